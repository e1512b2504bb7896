/* Network metrics over triangles and shortest paths: clustering and
 * approximate betweenness (metrics.h). */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "graph/metrics.h"
#include "graph/metrics_internal.h"
#include "rng/rng.h"

/* Below these sizes the loops run serially: a parallel region (and its
 * barrier, where threads spin) costs more than the work. */
#define PAR_AGENTS 2048
#define PAR_SAMPLES 2048
#define PAR_ARCS 4096

/* Stream steps of the sampled metrics (the agent word is the draw index). */
enum { STEP_LOCAL = 0, STEP_WEDGE = 1, STEP_SOURCES = 2 };

/* |a ∩ b| of two ascending rows: a merge, or a binary search of each element
 * of the shorter row (lower bound advancing) when it is 16x shorter. */
static uint64_t intersect(const uint32_t *a, uint64_t na, const uint32_t *b, uint64_t nb)
{
    if (na > nb) {
        const uint32_t *t = a;
        a = b;
        b = t;
        uint64_t tn = na;
        na = nb;
        nb = tn;
    }
    uint64_t c = 0;
    if (nb > 16 * na) {
        uint64_t lo = 0;
        for (uint64_t i = 0; i < na; i++) {
            uint64_t hi = nb;
            while (lo < hi) {
                uint64_t mid = lo + (hi - lo) / 2;
                if (b[mid] < a[i])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == nb) break;
            if (b[lo] == a[i]) c++;
        }
        return c;
    }
    uint64_t i = 0, j = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (b[j] < a[i])
            j++;
        else {
            c++;
            i++;
            j++;
        }
    }
    return c;
}

/* 1 if w is in the ascending row of u in the view. O(log d). */
static int linked(const bz_mview *v, uint32_t u, uint32_t w)
{
    uint64_t lo = v->offsets[u], hi = v->offsets[u + 1];
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (v->targets[mid] < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->offsets[u + 1] && v->targets[lo] == w;
}

/* One draw of the wedge test at agent u: a uniform pair of distinct
 * neighbours, 1 if linked. Precondition: degree(u) >= 2. */
static int closed_wedge(const bz_mview *v, uint32_t u, bz_stream *s)
{
    uint64_t d = v->offsets[u + 1] - v->offsets[u];
    uint64_t i = bz_stream_below(s, d), j = bz_stream_below(s, d - 1);
    if (j >= i) j++;
    return linked(v, v->targets[v->offsets[u] + i], v->targets[v->offsets[u] + j]);
}

static int clustering_exact(const bz_mview *v, bz_clustering *out, bz_error *err)
{
    uint32_t n = v->n;
    int64_t nn = n;
    uint64_t *t2 = malloc((size_t)n * sizeof *t2);
    if (!t2) return bz_error_oom(err, "clustering", (size_t)n * sizeof *t2, "%u agents", n);
        /* t2[u] = sum over neighbours w of |N(u) ∩ N(w)| = twice the number of
         * edges among u's neighbours. */
#pragma omp parallel for schedule(dynamic, 64) if (nn > PAR_AGENTS)
    for (int64_t u = 0; u < nn; u++) {
        const uint32_t *ru = v->targets + v->offsets[u];
        uint64_t du = v->offsets[u + 1] - v->offsets[u], c = 0;
        if (du >= 2)
            for (uint64_t a = 0; a < du; a++) {
                uint32_t w = ru[a];
                c += intersect(ru, du, v->targets + v->offsets[w],
                               v->offsets[w + 1] - v->offsets[w]);
            }
        t2[u] = c;
    }
    /* Serial, in agent order: the double sum is then thread-independent. */
    uint64_t tsum = 0, wedges = 0;
    double local = 0.0;
    for (uint32_t u = 0; u < n; u++) {
        uint64_t d = v->offsets[u + 1] - v->offsets[u];
        tsum += t2[u] / 2;
        if (d >= 2) {
            wedges += d * (d - 1) / 2;
            local += (double)t2[u] / ((double)d * (double)(d - 1));
        }
    }
    free(t2);
    out->triangles = tsum / 3;
    out->wedges = wedges;
    out->avg_local = n ? local / n : 0.0;
    out->global = wedges ? (double)tsum / (double)wedges : 0.0;
    return BZ_OK;
}

static int clustering_sampled(const bz_mview *v, uint64_t samples, uint64_t seed,
                              bz_clustering *out, bz_error *err)
{
    uint32_t n = v->n;
    int64_t ns = (int64_t)samples;
    uint64_t closed = 0, gclosed = 0;
    /* Local: uniform agent, then a uniform wedge at it (0 if degree < 2). */
#pragma omp parallel for schedule(static) reduction(+ : closed) if (ns > PAR_SAMPLES)
    for (int64_t i = 0; i < ns; i++) {
        bz_stream s;
        bz_stream_init(&s, seed, (uint32_t)((uint64_t)i >> 32), STEP_LOCAL, (uint32_t)i,
                       BZ_METRICS_RNG_PURPOSE);
        uint32_t u = (uint32_t)bz_stream_below(&s, n);
        if (v->offsets[u + 1] - v->offsets[u] >= 2) closed += (uint64_t)closed_wedge(v, u, &s);
    }
    /* Global: a uniform wedge, its centre drawn from the cumulative wedge
     * counts by binary search. */
    uint64_t *cum = malloc(((size_t)n + 1) * sizeof *cum);
    if (!cum) return bz_error_oom(err, "clustering", ((size_t)n + 1) * sizeof *cum, "%u agents", n);
    cum[0] = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint64_t d = v->offsets[u + 1] - v->offsets[u];
        cum[u + 1] = cum[u] + (d >= 2 ? d * (d - 1) / 2 : 0);
    }
    uint64_t total = cum[n];
    out->wedges = total;
    if (total > 0) {
#pragma omp parallel for schedule(static) reduction(+ : gclosed) if (ns > PAR_SAMPLES)
        for (int64_t i = 0; i < ns; i++) {
            bz_stream s;
            bz_stream_init(&s, seed, (uint32_t)((uint64_t)i >> 32), STEP_WEDGE, (uint32_t)i,
                           BZ_METRICS_RNG_PURPOSE);
            uint64_t r = bz_stream_below(&s, total);
            uint32_t lo = 0, hi = n; /* largest u with cum[u] <= r */
            while (hi - lo > 1) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (cum[mid] <= r)
                    lo = mid;
                else
                    hi = mid;
            }
            gclosed += (uint64_t)closed_wedge(v, lo, &s);
        }
    }
    free(cum);
    double c = (double)closed / (double)samples, g = (double)gclosed / (double)samples;
    out->avg_local = c;
    out->global = total ? g : 0.0;
    out->samples_used = samples;
    out->stderr_local = sqrt(c * (1.0 - c) / (double)samples);
    out->stderr_global = total ? sqrt(g * (1.0 - g) / (double)samples) : 0.0;
    return BZ_OK;
}

int bz_metrics_clustering(const bz_layer *l, uint64_t samples, uint64_t seed, bz_clustering *out,
                          bz_error *err)
{
    int status = BZ_OK;
    bz_mview v = {0};
    memset(out, 0, sizeof *out);
    if (l->complete) {
        uint64_t n = l->n;
        out->avg_local = out->global = n >= 3 ? 1.0 : 0.0;
        /* Saturate at UINT64_MAX beyond about 2.6 million agents. */
        long double t = (long double)n * (n - 1) * (n - 2) / 6, w = 3 * t;
        if (n >= 3) {
            out->triangles = t < 1.8e19L ? (uint64_t)t : UINT64_MAX;
            out->wedges = w < 1.8e19L ? (uint64_t)w : UINT64_MAX;
        }
        return BZ_OK;
    }
    if (l->n == 0) return BZ_OK;
    BZ_CHECK(bz_mview_init(&v, l, err));
    if (samples == 0)
        BZ_CHECK(clustering_exact(&v, out, err));
    else
        BZ_CHECK(clustering_sampled(&v, samples, seed, out, err));
cleanup:
    bz_mview_destroy(&v);
    return status;
}

/* ---- Betweenness ---------------------------------------------------------- */

typedef struct bfs_ws {
    uint32_t *dist, *order;
    double *sigma, *delta;
} bfs_ws;

/* Brandes (2001) from source s: dependencies of every agent in ws->delta
 * (delta[s] = 0). O(n + m). */
static void brandes(const bz_layer *l, uint32_t s, bfs_ws *ws)
{
    uint32_t n = l->n;
    for (uint32_t u = 0; u < n; u++) {
        ws->dist[u] = UINT32_MAX;
        ws->sigma[u] = 0.0;
        ws->delta[u] = 0.0;
    }
    uint32_t head = 0, tail = 0;
    ws->dist[s] = 0;
    ws->sigma[s] = 1.0;
    ws->order[tail++] = s;
    while (head < tail) {
        uint32_t u = ws->order[head++];
        for (uint64_t a = l->offsets[u]; a < l->offsets[u + 1]; a++) {
            uint32_t w = l->targets[a];
            if (ws->dist[w] == UINT32_MAX) {
                ws->dist[w] = ws->dist[u] + 1;
                ws->order[tail++] = w;
            }
            if (ws->dist[w] == ws->dist[u] + 1) ws->sigma[w] += ws->sigma[u];
        }
    }
    while (tail > 0) {
        uint32_t u = ws->order[--tail];
        double acc = 0.0;
        for (uint64_t a = l->offsets[u]; a < l->offsets[u + 1]; a++) {
            uint32_t w = l->targets[a];
            if (ws->dist[w] == ws->dist[u] + 1) acc += (1.0 + ws->delta[w]) / ws->sigma[w];
        }
        ws->delta[u] = ws->sigma[u] * acc;
    }
    ws->delta[s] = 0.0;
}

int bz_metrics_betweenness_approx(const bz_layer *l, uint32_t samples, uint64_t seed, double *bc,
                                  bz_error *err)
{
    int status = BZ_OK;
    uint32_t n = l->n, *src = NULL;
    bfs_ws *ws = NULL;
    int nt = omp_get_max_threads();
    if (samples == 0)
        return bz_error_set(err, BZ_EINVAL, "betweenness: samples must be >= 1, got 0");
    if (n == 0) return BZ_OK;
    memset(bc, 0, (size_t)n * sizeof *bc);
    if (l->complete) return BZ_OK;
    uint32_t S = samples < n ? samples : n;
    src = malloc((size_t)n * sizeof *src);
    ws = calloc((size_t)nt, sizeof *ws);
    if (!src || !ws)
        BZ_FAIL_OOM(err, "betweenness", (size_t)n * sizeof *src + (size_t)nt * sizeof *ws,
                    "%u agents", n);
    for (int t = 0; t < nt; t++) {
        ws[t].dist = malloc((size_t)n * sizeof *ws[t].dist);
        ws[t].order = malloc((size_t)n * sizeof *ws[t].order);
        ws[t].sigma = malloc((size_t)n * sizeof *ws[t].sigma);
        ws[t].delta = malloc((size_t)n * sizeof *ws[t].delta);
        if (!ws[t].dist || !ws[t].order || !ws[t].sigma || !ws[t].delta)
            BZ_FAIL_OOM(err, "betweenness",
                        (size_t)n * (sizeof *ws[t].dist + sizeof *ws[t].order +
                                     sizeof *ws[t].sigma + sizeof *ws[t].delta),
                        "workspace %d of %d", t + 1, nt);
    }
    /* Sources: the first S entries of a partial Fisher-Yates shuffle. */
    for (uint32_t u = 0; u < n; u++)
        src[u] = u;
    if (S < n) {
        bz_stream s;
        bz_stream_init(&s, seed, 0, STEP_SOURCES, 0, BZ_METRICS_RNG_PURPOSE);
        for (uint32_t i = 0; i < S; i++) {
            uint32_t j = i + (uint32_t)bz_stream_below(&s, n - i), t = src[i];
            src[i] = src[j];
            src[j] = t;
        }
    }
    /* Batches of nt sources run in parallel; their dependencies are then
     * added to bc in source order, so bc[v] is the same left-to-right sum for
     * any thread count. */
    int64_t nn = n;
    int par = (uint64_t)n + l->m > PAR_ARCS;
    for (uint32_t b0 = 0; b0 < S; b0 += (uint32_t)nt) {
        int cnt = S - b0 < (uint32_t)nt ? (int)(S - b0) : nt;
#pragma omp parallel for schedule(static, 1) if (par)
        for (int j = 0; j < cnt; j++)
            brandes(l, src[b0 + (uint32_t)j], &ws[j]);
#pragma omp parallel for schedule(static) if (par)
        for (int64_t v = 0; v < nn; v++)
            for (int j = 0; j < cnt; j++)
                bc[v] += ws[j].delta[v];
    }
    double scale = (double)n / (double)S * (l->directed ? 1.0 : 0.5);
    for (uint32_t v = 0; v < n; v++)
        bc[v] *= scale;
cleanup:
    if (ws)
        for (int t = 0; t < nt; t++) {
            free(ws[t].dist);
            free(ws[t].order);
            free(ws[t].sigma);
            free(ws[t].delta);
        }
    free(ws);
    free(src);
    return status;
}
