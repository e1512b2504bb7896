/* Network metrics: degrees, components, k-cores, assortativity, PageRank
 * (metrics.h). Clustering and betweenness are in metrics_paths.c; the
 * undirected view shared by both files is built here. */
#include "graph/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph/metrics_internal.h"

/* Fixed block of agents for deterministic floating-point partial sums. Loops
 * over a single block run serially: a parallel region costs more than the
 * work, and far more when the cores are shared (threads spin at barriers). */
#define BLOCK 4096

/* ---- Undirected view ------------------------------------------------------ */

void bz_mview_destroy(bz_mview *v)
{
    if (v->own) {
        free(v->offsets);
        free(v->targets);
    }
    memset(v, 0, sizeof *v);
}

int bz_mview_init(bz_mview *v, const bz_layer *l, bz_error *err)
{
    int status = BZ_OK;
    uint64_t *toff = NULL, *cur = NULL;
    uint32_t *ttgt = NULL;
    memset(v, 0, sizeof *v);
    v->n = l->n;
    if (!l->directed) {
        v->offsets = l->offsets;
        v->targets = l->targets;
        return BZ_OK;
    }
    uint32_t n = l->n;
    /* Transpose by counting sort: rows come out sorted because u ascends. */
    toff = calloc((size_t)n + 1, sizeof *toff);
    cur = malloc(((size_t)n + 1) * sizeof *cur);
    ttgt = malloc((l->m ? l->m : 1) * sizeof *ttgt);
    v->offsets = malloc(((size_t)n + 1) * sizeof *v->offsets);
    v->own = 1;
    if (!toff || !cur || !ttgt || !v->offsets)
        BZ_FAIL_OOM(err, "metrics",
                    ((size_t)n + 1) * (sizeof *toff + sizeof *cur + sizeof *v->offsets) +
                        (l->m ? l->m : 1) * sizeof *ttgt,
                    "the undirected view of layer '%s'", l->name);
    for (uint64_t a = 0; a < l->m; a++)
        toff[l->targets[a] + 1]++;
    for (uint32_t u = 0; u < n; u++)
        toff[u + 1] += toff[u];
    memcpy(cur, toff, ((size_t)n + 1) * sizeof *cur);
    for (uint32_t u = 0; u < n; u++)
        for (uint64_t a = l->offsets[u]; a < l->offsets[u + 1]; a++)
            ttgt[cur[l->targets[a]]++] = u;
    /* Merge out- and in-rows, dropping reciprocated duplicates: two passes
     * (count, fill) so the view is allocated exactly. */
    for (int pass = 0; pass < 2; pass++) {
        uint64_t k = 0;
        for (uint32_t u = 0; u < n; u++) {
            uint64_t a = l->offsets[u], ae = l->offsets[u + 1], b = toff[u], be = toff[u + 1];
            if (pass == 0) v->offsets[u] = k;
            while (a < ae || b < be) {
                uint32_t x;
                if (b == be || (a < ae && l->targets[a] < ttgt[b]))
                    x = l->targets[a++];
                else if (a == ae || ttgt[b] < l->targets[a])
                    x = ttgt[b++];
                else {
                    x = ttgt[b++];
                    a++;
                }
                if (pass == 1) v->targets[k] = x;
                k++;
            }
        }
        if (pass == 0) {
            v->offsets[n] = k;
            v->targets = malloc((k ? k : 1) * sizeof *v->targets);
            if (!v->targets)
                BZ_FAIL_OOM(err, "metrics", (k ? k : 1) * sizeof *v->targets,
                            "the undirected view of layer '%s'", l->name);
        }
    }
cleanup:
    free(toff);
    free(cur);
    free(ttgt);
    if (status != BZ_OK) bz_mview_destroy(v);
    return status;
}

/* ---- Degree histogram ----------------------------------------------------- */

int bz_metrics_degree_histogram(const bz_layer *l, int in, int64_t **hist, size_t *len,
                                bz_error *err)
{
    *hist = NULL;
    *len = 0;
    if (in != 0 && in != 1)
        return bz_error_set(err, BZ_EINVAL, "degree histogram: in must be 0 or 1, got %d", in);
    if (l->n == 0) return BZ_OK;
    uint64_t maxd = 0;
    for (uint32_t u = 0; u < l->n; u++) {
        uint64_t d = in ? bz_layer_in_degree(l, u) : bz_layer_degree(l, u);
        if (d > maxd) maxd = d;
    }
    int64_t *h = calloc((size_t)maxd + 1, sizeof *h);
    if (!h)
        return bz_error_oom(err, "degree histogram", bz_error_bytes((size_t)maxd + 1, sizeof *h),
                            "%llu bins", (unsigned long long)maxd + 1);
    if (l->complete)
        h[maxd] = l->n;
    else
        for (uint32_t u = 0; u < l->n; u++)
            h[in ? bz_layer_in_degree(l, u) : bz_layer_degree(l, u)]++;
    *hist = h;
    *len = (size_t)maxd + 1;
    return BZ_OK;
}

/* ---- Components ----------------------------------------------------------- */

static uint32_t uf_find(uint32_t *p, uint32_t x)
{
    while (p[x] != x) {
        p[x] = p[p[x]]; /* path halving */
        x = p[x];
    }
    return x;
}

int bz_metrics_components(const bz_layer *l, uint32_t *label, uint64_t *n_components,
                          uint64_t *giant_size, bz_error *err)
{
    int status = BZ_OK;
    uint32_t n = l->n;
    uint32_t *p = NULL, *rootlab = NULL;
    *n_components = 0;
    *giant_size = 0;
    if (n == 0) return BZ_OK;
    if (l->complete) {
        if (label) memset(label, 0, (size_t)n * sizeof *label);
        *n_components = 1;
        *giant_size = n;
        return BZ_OK;
    }
    p = malloc((size_t)n * sizeof *p);
    rootlab = calloc(n, sizeof *rootlab);
    if (!p || !rootlab)
        BZ_FAIL_OOM(err, "components", (size_t)n * (sizeof *p + sizeof *rootlab), "%u agents",
                    (unsigned)n);
    for (uint32_t u = 0; u < n; u++)
        p[u] = u;
    /* The root of a set is always its smallest agent: the labels below then
     * follow agent order whatever the arc order. */
    for (uint32_t u = 0; u < n; u++)
        for (uint64_t a = l->offsets[u]; a < l->offsets[u + 1]; a++) {
            uint32_t ru = uf_find(p, u), rv = uf_find(p, l->targets[a]);
            if (ru < rv)
                p[rv] = ru;
            else if (rv < ru)
                p[ru] = rv;
        }
    /* rootlab[r] = label of root r, in order of roots (smallest agents). */
    uint64_t comps = 0, giant = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint32_t r = uf_find(p, u);
        p[u] = r;
        if (r == u) rootlab[u] = (uint32_t)comps++; /* label of a new root */
    }
    uint32_t *count = calloc(comps, sizeof *count);
    if (!count)
        BZ_FAIL_OOM(err, "components", (size_t)comps * sizeof *count, "%llu components",
                    (unsigned long long)comps);
    for (uint32_t u = 0; u < n; u++) {
        uint32_t c = rootlab[p[u]];
        if (label) label[u] = c;
        if (++count[c] > giant) giant = count[c];
    }
    free(count);
    *n_components = comps;
    *giant_size = giant;
cleanup:
    free(p);
    free(rootlab);
    return status;
}

/* ---- k-core --------------------------------------------------------------- */

int bz_metrics_kcore(const bz_layer *l, uint32_t *core, uint32_t *max_core, bz_error *err)
{
    int status = BZ_OK;
    uint32_t n = l->n;
    uint32_t *vert = NULL, *pos = NULL, *bin = NULL;
    bz_mview v = {0};
    *max_core = 0;
    if (n == 0) return BZ_OK;
    if (l->complete) {
        for (uint32_t u = 0; u < n; u++)
            core[u] = n - 1;
        *max_core = n - 1;
        return BZ_OK;
    }
    BZ_CHECK(bz_mview_init(&v, l, err));
    uint32_t maxd = 0;
    for (uint32_t u = 0; u < n; u++) {
        core[u] = (uint32_t)(v.offsets[u + 1] - v.offsets[u]);
        if (core[u] > maxd) maxd = core[u];
    }
    vert = malloc((size_t)n * sizeof *vert);
    pos = malloc((size_t)n * sizeof *pos);
    bin = calloc((size_t)maxd + 1, sizeof *bin);
    if (!vert || !pos || !bin)
        BZ_FAIL_OOM(err, "k-core",
                    (size_t)n * (sizeof *vert + sizeof *pos) + ((size_t)maxd + 1) * sizeof *bin,
                    "%u agents", (unsigned)n);
    /* Batagelj & Zaversnik (2003): agents sorted by current degree in vert,
     * bin[d] = start of degree d; peeling the smallest moves each neighbour
     * one bucket down in O(1). */
    for (uint32_t u = 0; u < n; u++)
        bin[core[u]]++;
    uint32_t start = 0;
    for (uint32_t d = 0; d <= maxd; d++) {
        uint32_t c = bin[d];
        bin[d] = start;
        start += c;
    }
    for (uint32_t u = 0; u < n; u++) {
        pos[u] = bin[core[u]]++;
        vert[pos[u]] = u;
    }
    for (uint32_t d = maxd; d > 0; d--)
        bin[d] = bin[d - 1];
    bin[0] = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t u = vert[i];
        for (uint64_t a = v.offsets[u]; a < v.offsets[u + 1]; a++) {
            uint32_t w = v.targets[a];
            if (core[w] > core[u]) {
                uint32_t dw = core[w], pw = pos[w], pf = bin[dw], f = vert[pf];
                if (f != w) {
                    pos[w] = pf;
                    vert[pw] = f;
                    pos[f] = pw;
                    vert[pf] = w;
                }
                bin[dw]++;
                core[w]--;
            }
        }
        if (core[u] > *max_core) *max_core = core[u];
    }
cleanup:
    free(vert);
    free(pos);
    free(bin);
    bz_mview_destroy(&v);
    return status;
}

/* ---- Assortativity -------------------------------------------------------- */

int bz_metrics_assortativity(const bz_layer *l, double *r, bz_error *err)
{
    int status = BZ_OK;
    double *part = NULL;
    *r = 0.0;
    if (l->complete)
        return bz_error_set(err, BZ_EINVAL,
                            "assortativity is not defined for the implicit complete layer '%s' "
                            "(all degrees are equal)",
                            l->name);
    if (l->m == 0)
        return bz_error_set(err, BZ_EINVAL, "assortativity is not defined for layer '%s': no edges",
                            l->name);
    uint32_t n = l->n;
    int64_t nb = ((int64_t)n + BLOCK - 1) / BLOCK;
    part = calloc((size_t)nb * 5, sizeof *part);
    if (!part)
        BZ_FAIL_OOM(err, "assortativity", (size_t)nb * 5 * sizeof *part, "the sums of %lld blocks",
                    (long long)nb);
        /* Per block, exact integer sums (degree products fit easily in 64 bits
         * for a block), converted to double and combined in block order. */
#pragma omp parallel for schedule(dynamic, 4) if (nb > 1)
    for (int64_t b = 0; b < nb; b++) {
        uint64_t sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        uint32_t ue = (uint32_t)((b + 1) * BLOCK < n ? (b + 1) * BLOCK : n);
        for (uint32_t u = (uint32_t)(b * BLOCK); u < ue; u++) {
            uint64_t x = bz_layer_degree(l, u), k = x, ry = 0, ryy = 0;
            for (uint64_t a = l->offsets[u]; a < l->offsets[u + 1]; a++) {
                uint64_t y = bz_layer_in_degree(l, l->targets[a]);
                ry += y;
                ryy += y * y;
            }
            sx += k * x;
            sxx += k * x * x;
            sy += ry;
            syy += ryy;
            sxy += x * ry;
        }
        double *q = part + 5 * b;
        q[0] = (double)sx;
        q[1] = (double)sy;
        q[2] = (double)sxx;
        q[3] = (double)syy;
        q[4] = (double)sxy;
    }
    long double s[5] = {0};
    for (int64_t b = 0; b < nb; b++)
        for (int j = 0; j < 5; j++)
            s[j] += part[5 * b + j];
    long double M = (long double)l->m;
    long double vx = M * s[2] - s[0] * s[0], vy = M * s[3] - s[1] * s[1];
    if (vx <= 0 || vy <= 0)
        BZ_FAIL(err, BZ_EINVAL,
                "assortativity is not defined for layer '%s': every edge joins agents of the "
                "same degrees (zero variance)",
                l->name);
    *r = (double)((M * s[4] - s[0] * s[1]) / sqrtl(vx * vy));
cleanup:
    free(part);
    return status;
}

/* ---- PageRank ------------------------------------------------------------- */

int bz_metrics_pagerank(const bz_layer *l, double damping, double tol, int max_iter, double *rank,
                        int *iterations, bz_error *err)
{
    int status = BZ_OK;
    double *x = NULL, *part = NULL;
    uint32_t n = l->n;
    if (iterations) *iterations = 0;
    if (!(damping >= 0.0 && damping < 1.0))
        return bz_error_set(err, BZ_EINVAL, "pagerank: damping must be in [0, 1), got %g", damping);
    if (!(tol >= 0.0))
        return bz_error_set(err, BZ_EINVAL, "pagerank: tol must be >= 0, got %g", tol);
    if (max_iter < 1)
        return bz_error_set(err, BZ_EINVAL, "pagerank: max_iter must be >= 1, got %d", max_iter);
    if (n == 0) return bz_error_set(err, BZ_EINVAL, "pagerank: layer '%s' has no agents", l->name);
    int64_t nn = n;
    if (l->complete) {
        for (int64_t u = 0; u < nn; u++)
            rank[u] = 1.0 / n;
        return BZ_OK;
    }
    int64_t nb = (nn + BLOCK - 1) / BLOCK;
    x = malloc((size_t)n * sizeof *x);
    part = malloc((size_t)nb * 2 * sizeof *part);
    if (!x || !part)
        BZ_FAIL_OOM(err, "pagerank", (size_t)n * sizeof *x + (size_t)nb * 2 * sizeof *part,
                    "%u agents", n);
    for (int64_t u = 0; u < nn; u++)
        rank[u] = 1.0 / n;
    /* The walker's number of moves from v: its degree, or for directed
     * layers the number of accounts it follows (its in-degree). The pull at u
     * is then over the stored row of u in both cases. */
    for (int it = 1; it <= max_iter; it++) {
#pragma omp parallel for schedule(static) if (nb > 1)
        for (int64_t b = 0; b < nb; b++) {
            double dang = 0.0;
            int64_t ue = (b + 1) * BLOCK < nn ? (b + 1) * BLOCK : nn;
            for (int64_t v = b * BLOCK; v < ue; v++) {
                uint64_t k = bz_layer_in_degree(l, (uint32_t)v);
                x[v] = k ? rank[v] / (double)k : 0.0;
                if (!k) dang += rank[v];
            }
            part[b] = dang;
        }
        double dang = 0.0;
        for (int64_t b = 0; b < nb; b++)
            dang += part[b];
        double base = (1.0 - damping) / n + damping * dang / n;
#pragma omp parallel for schedule(static) if (nb > 1)
        for (int64_t b = 0; b < nb; b++) {
            double diff = 0.0;
            int64_t ue = (b + 1) * BLOCK < nn ? (b + 1) * BLOCK : nn;
            for (int64_t u = b * BLOCK; u < ue; u++) {
                double s = 0.0;
                for (uint64_t a = l->offsets[u]; a < l->offsets[u + 1]; a++)
                    s += x[l->targets[a]];
                double nr = base + damping * s;
                diff += fabs(nr - rank[u]);
                rank[u] = nr; /* x holds the old ranks: in-place is safe */
            }
            part[nb + b] = diff;
        }
        double diff = 0.0;
        for (int64_t b = 0; b < nb; b++)
            diff += part[nb + b];
        if (iterations) *iterations = it;
        if (diff <= tol) break;
    }
cleanup:
    free(x);
    free(part);
    return status;
}
