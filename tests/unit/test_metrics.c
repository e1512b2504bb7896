/* metrics: every metric against a naive reference written here (dense
 * adjacency matrices: O(n^3) triangles, BFS components, dense power
 * iteration, repeated-sweep k-core peeling, all-pairs path counting for
 * betweenness) on hand-checked and random graphs, thread-count determinism,
 * sampled estimates within their stated errors, and ego-Facebook against
 * SNAP's published statistics. */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bz_test.h"
#include "graph/edgelist.h"
#include "graph/metrics.h"
#include "rng/rng.h"

/* ---- Layers from dense matrices ------------------------------------------ */

/* A[u * n + v] = 1 for an arc u -> v (symmetric when undirected). */
static void layer_from_matrix(bz_layer *l, uint32_t n, int directed, const unsigned char *A)
{
    memset(l, 0, sizeof *l);
    strcpy(l->name, "test");
    l->n = n;
    l->directed = directed;
    l->offsets = calloc((size_t)n + 1, sizeof *l->offsets);
    CU_ASSERT_PTR_NOT_NULL_FATAL(l->offsets);
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t v = 0; v < n; v++)
            l->offsets[u + 1] += A[(size_t)u * n + v];
    for (uint32_t u = 0; u < n; u++)
        l->offsets[u + 1] += l->offsets[u];
    l->m = l->offsets[n];
    l->targets = malloc((l->m ? l->m : 1) * sizeof *l->targets);
    CU_ASSERT_PTR_NOT_NULL_FATAL(l->targets);
    uint64_t k = 0;
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t v = 0; v < n; v++)
            if (A[(size_t)u * n + v]) l->targets[k++] = v;
    if (directed) {
        l->in_degree = calloc(n ? n : 1, sizeof *l->in_degree);
        CU_ASSERT_PTR_NOT_NULL_FATAL(l->in_degree);
        for (uint64_t a = 0; a < l->m; a++)
            l->in_degree[l->targets[a]]++;
    }
}

/* Random simple graph: each pair (undirected) or ordered pair (directed)
 * linked with probability p; a few planted triangles raise clustering. */
static unsigned char *random_matrix(uint32_t n, int directed, double p, uint64_t seed)
{
    unsigned char *A = calloc((size_t)n * n, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(A);
    bz_stream s;
    bz_stream_init(&s, seed, 0, 0, 0, BZ_RNG_TEST);
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t v = 0; v < n; v++) {
            if (u == v || (!directed && v < u)) continue;
            if (bz_stream_uniform(&s) < p) {
                A[(size_t)u * n + v] = 1;
                if (!directed) A[(size_t)v * n + u] = 1;
            }
        }
    for (uint32_t t = 0; t + 2 < n; t += 5) { /* triangles t, t+1, t+2 */
        uint32_t a = t, b = t + 1, c = t + 2;
        A[(size_t)a * n + b] = A[(size_t)b * n + c] = A[(size_t)a * n + c] = 1;
        if (!directed) A[(size_t)b * n + a] = A[(size_t)c * n + b] = A[(size_t)c * n + a] = 1;
    }
    return A;
}

static unsigned char *edges_matrix(uint32_t n, int directed, const uint32_t *e, size_t ne)
{
    unsigned char *A = calloc((size_t)n * n, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(A);
    for (size_t i = 0; i < ne; i++) {
        A[(size_t)e[2 * i] * n + e[2 * i + 1]] = 1;
        if (!directed) A[(size_t)e[2 * i + 1] * n + e[2 * i]] = 1;
    }
    return A;
}

/* Undirected view of A. */
static int adj(const unsigned char *A, uint32_t n, uint32_t u, uint32_t v)
{
    return u != v && (A[(size_t)u * n + v] || A[(size_t)v * n + u]);
}

/* ---- References ---------------------------------------------------------- */

static uint64_t ref_components(const unsigned char *A, uint32_t n, uint32_t *label, uint64_t *giant)
{
    uint32_t *queue = malloc(n * sizeof *queue);
    for (uint32_t u = 0; u < n; u++)
        label[u] = UINT32_MAX;
    uint64_t c = 0;
    *giant = 0;
    for (uint32_t s = 0; s < n; s++) {
        if (label[s] != UINT32_MAX) continue;
        uint32_t h = 0, t = 0;
        queue[t++] = s;
        label[s] = (uint32_t)c;
        while (h < t) {
            uint32_t u = queue[h++];
            for (uint32_t v = 0; v < n; v++)
                if (adj(A, n, u, v) && label[v] == UINT32_MAX) {
                    label[v] = (uint32_t)c;
                    queue[t++] = v;
                }
        }
        if (t > *giant) *giant = t;
        c++;
    }
    free(queue);
    return c;
}

/* Clustering on the undirected view; zero_low: agents of degree < 2 count
 * as 0 in the average (else they are left out). */
static void ref_clustering(const unsigned char *A, uint32_t n, int zero_low, double *avg,
                           double *global, uint64_t *triangles)
{
    uint64_t tri = 0, wedges = 0, counted = 0;
    double sum = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint64_t d = 0, t = 0;
        for (uint32_t v = 0; v < n; v++)
            d += adj(A, n, u, v);
        for (uint32_t v = 0; v < n; v++)
            for (uint32_t w = v + 1; w < n; w++)
                t += adj(A, n, u, v) && adj(A, n, u, w) && adj(A, n, v, w);
        tri += t;
        wedges += d * (d - (d > 0)) / 2;
        if (d >= 2) {
            sum += 2.0 * t / (double)(d * (d - 1));
            counted++;
        } else if (zero_low)
            counted++;
    }
    *triangles = tri / 3;
    *avg = counted ? sum / counted : 0;
    *global = wedges ? (double)tri / wedges : 0;
}

static double ref_assortativity(const unsigned char *A, uint32_t n, int directed)
{
    double *out = calloc(n, sizeof *out), *in = calloc(n, sizeof *in);
    double m = 0, mx = 0, my = 0;
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t v = 0; v < n; v++)
            if (A[(size_t)u * n + v]) {
                out[u]++;
                in[v]++;
            }
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t v = 0; v < n; v++)
            if (A[(size_t)u * n + v]) {
                m++;
                mx += out[u];
                my += directed ? in[v] : out[v];
            }
    mx /= m;
    my /= m;
    double cxy = 0, cxx = 0, cyy = 0;
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t v = 0; v < n; v++)
            if (A[(size_t)u * n + v]) {
                double x = out[u] - mx, y = (directed ? in[v] : out[v]) - my;
                cxy += x * y;
                cxx += x * x;
                cyy += y * y;
            }
    free(out);
    free(in);
    return cxy / sqrt(cxx * cyy);
}

/* Dense power iteration with an explicit transition matrix: undirected, a
 * walker moves to a uniform neighbour; directed, from v to a uniform u with
 * arc u -> v (an account v follows). */
static void ref_pagerank(const unsigned char *A, uint32_t n, int directed, double d, double *r)
{
    double *P = calloc((size_t)n * n, sizeof *P), *nr = malloc(n * sizeof *nr);
    for (uint32_t v = 0; v < n; v++) {
        double k = 0;
        for (uint32_t u = 0; u < n; u++)
            k += directed ? A[(size_t)u * n + v] : A[(size_t)v * n + u];
        for (uint32_t u = 0; u < n; u++) {
            int move = directed ? A[(size_t)u * n + v] : A[(size_t)v * n + u];
            P[(size_t)v * n + u] = k > 0 ? move / k : 1.0 / n; /* dangling: uniform */
        }
    }
    for (uint32_t u = 0; u < n; u++)
        r[u] = 1.0 / n;
    for (int it = 0; it < 2000; it++) {
        for (uint32_t u = 0; u < n; u++) {
            nr[u] = (1 - d) / n;
            for (uint32_t v = 0; v < n; v++)
                nr[u] += d * r[v] * P[(size_t)v * n + u];
        }
        memcpy(r, nr, n * sizeof *r);
    }
    free(P);
    free(nr);
}

/* core(v) = largest k such that v survives repeated sweeps deleting agents
 * with fewer than k remaining neighbours. */
static void ref_kcore(const unsigned char *A, uint32_t n, uint32_t *core)
{
    unsigned char *alive = malloc(n);
    for (uint32_t u = 0; u < n; u++)
        core[u] = 0;
    for (uint32_t k = 1;; k++) {
        memset(alive, 1, n);
        for (int changed = 1; changed;) {
            changed = 0;
            for (uint32_t u = 0; u < n; u++) {
                if (!alive[u]) continue;
                uint32_t d = 0;
                for (uint32_t v = 0; v < n; v++)
                    d += alive[v] && adj(A, n, u, v);
                if (d < k) alive[u] = 0, changed = 1;
            }
        }
        int any = 0;
        for (uint32_t u = 0; u < n; u++)
            if (alive[u]) core[u] = k, any = 1;
        if (!any) break;
    }
    free(alive);
}

/* Exact betweenness by all-pairs BFS distances and path counts:
 * bc[v] = sum over s != v != t with d(s,v) + d(v,t) = d(s,t) of
 * sigma_sv sigma_vt / sigma_st, halved for undirected graphs. */
static void ref_betweenness(const unsigned char *A, uint32_t n, int directed, double *bc)
{
    uint32_t *D = malloc((size_t)n * n * sizeof *D), *q = malloc(n * sizeof *q);
    double *S = calloc((size_t)n * n, sizeof *S);
    for (uint32_t s = 0; s < n; s++) {
        uint32_t *ds = D + (size_t)s * n;
        double *ss = S + (size_t)s * n;
        for (uint32_t u = 0; u < n; u++)
            ds[u] = UINT32_MAX;
        uint32_t h = 0, t = 0;
        ds[s] = 0;
        ss[s] = 1;
        q[t++] = s;
        while (h < t) {
            uint32_t u = q[h++];
            for (uint32_t v = 0; v < n; v++) {
                if (!A[(size_t)u * n + v]) continue;
                if (ds[v] == UINT32_MAX) ds[v] = ds[u] + 1, q[t++] = v;
                if (ds[v] == ds[u] + 1) ss[v] += ss[u];
            }
        }
    }
    for (uint32_t v = 0; v < n; v++) {
        bc[v] = 0;
        for (uint32_t s = 0; s < n; s++)
            for (uint32_t t = 0; t < n; t++) {
                if (s == v || t == v || s == t) continue;
                uint32_t dsv = D[(size_t)s * n + v], dvt = D[(size_t)v * n + t],
                         dst = D[(size_t)s * n + t];
                if (dsv == UINT32_MAX || dvt == UINT32_MAX || dst == UINT32_MAX) continue;
                if (dsv + dvt == dst)
                    bc[v] += S[(size_t)s * n + v] * S[(size_t)v * n + t] / S[(size_t)s * n + t];
            }
        if (!directed) bc[v] /= 2;
    }
    free(D);
    free(S);
    free(q);
}

/* Queue-based peeling on a CSR undirected view: for k = 1, 2, ... delete
 * every agent with fewer than k live neighbours until none is left. */
static uint32_t ref_kcore_csr(const bz_layer *l, uint32_t *core)
{
    uint32_t n = l->n, kmax = 0;
    uint32_t *deg = malloc(n * sizeof *deg), *q = malloc(n * sizeof *q);
    unsigned char *alive = malloc(n);
    uint32_t left = n;
    for (uint32_t u = 0; u < n; u++) {
        deg[u] = (uint32_t)(l->offsets[u + 1] - l->offsets[u]);
        alive[u] = 1;
        core[u] = 0;
    }
    for (uint32_t k = 1; left > 0; k++) {
        uint32_t h = 0, t = 0;
        for (uint32_t u = 0; u < n; u++)
            if (alive[u] && deg[u] < k) alive[u] = 0, q[t++] = u;
        while (h < t) {
            uint32_t u = q[h++];
            left--;
            for (uint64_t a = l->offsets[u]; a < l->offsets[u + 1]; a++) {
                uint32_t w = l->targets[a];
                if (alive[w] && --deg[w] < k) alive[w] = 0, q[t++] = w;
            }
        }
        for (uint32_t u = 0; u < n; u++)
            if (alive[u]) core[u] = k, kmax = k;
    }
    free(deg);
    free(q);
    free(alive);
    return kmax;
}

/* ---- Checking every metric against the references ----------------------- */

static void check_all(const unsigned char *A, uint32_t n, int directed)
{
    bz_layer l;
    bz_error err = {0};
    layer_from_matrix(&l, n, directed, A);
    uint32_t *lab = malloc(n * sizeof *lab), *rlab = malloc(n * sizeof *rlab);
    uint32_t *core = malloc(n * sizeof *core), *rcore = calloc(n, sizeof *rcore);
    double *r = malloc(n * sizeof *r), *rr = malloc(n * sizeof *rr);

    for (int in = 0; in <= 1; in++) {
        int64_t *h = NULL;
        size_t len = 0;
        CU_ASSERT_EQUAL_FATAL(bz_metrics_degree_histogram(&l, in, &h, &len, &err), BZ_OK);
        int64_t *want = calloc(n, sizeof *want);
        size_t wlen = 0;
        for (uint32_t u = 0; u < n; u++) {
            uint32_t d = 0;
            for (uint32_t v = 0; v < n; v++)
                d += in ? A[(size_t)v * n + u] : A[(size_t)u * n + v];
            want[d]++;
            if (d + 1 > wlen) wlen = d + 1;
        }
        CU_ASSERT_EQUAL(len, wlen);
        if (len == wlen) CU_ASSERT(memcmp(h, want, len * sizeof *h) == 0);
        free(h);
        free(want);
    }

    uint64_t nc, giant, rgiant;
    CU_ASSERT_EQUAL_FATAL(bz_metrics_components(&l, lab, &nc, &giant, &err), BZ_OK);
    CU_ASSERT_EQUAL(nc, ref_components(A, n, rlab, &rgiant));
    CU_ASSERT_EQUAL(giant, rgiant);
    CU_ASSERT(memcmp(lab, rlab, n * sizeof *lab) == 0);
    CU_ASSERT_EQUAL(bz_metrics_components(&l, NULL, &nc, &giant, &err), BZ_OK);

    bz_clustering c;
    double avg, glob;
    uint64_t tri;
    CU_ASSERT_EQUAL_FATAL(bz_metrics_clustering(&l, 0, 1, &c, &err), BZ_OK);
    ref_clustering(A, n, 1, &avg, &glob, &tri);
    CU_ASSERT_EQUAL(c.triangles, tri);
    CU_ASSERT(tri == 0 || fabs(c.wedges * c.global - 3.0 * tri) < 1e-9 * tri);
    CU_ASSERT_DOUBLE_EQUAL(c.avg_local, avg, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c.global, glob, 1e-12);
    CU_ASSERT_EQUAL(c.samples_used, 0);

    double a, ra = ref_assortativity(A, n, directed);
    if (isfinite(ra)) {
        CU_ASSERT_EQUAL_FATAL(bz_metrics_assortativity(&l, &a, &err), BZ_OK);
        CU_ASSERT_DOUBLE_EQUAL(a, ra, 1e-10);
    } else /* zero variance: undefined */
        CU_ASSERT_EQUAL(bz_metrics_assortativity(&l, &a, &err), BZ_EINVAL);

    int iters = 0;
    CU_ASSERT_EQUAL_FATAL(bz_metrics_pagerank(&l, 0.85, 1e-14, 1000, r, &iters, &err), BZ_OK);
    CU_ASSERT(iters >= 1 && iters < 1000);
    ref_pagerank(A, n, directed, 0.85, rr);
    double sum = 0;
    for (uint32_t u = 0; u < n; u++) {
        CU_ASSERT_DOUBLE_EQUAL(r[u], rr[u], 1e-12);
        sum += r[u];
    }
    CU_ASSERT_DOUBLE_EQUAL(sum, 1.0, 1e-12);

    uint32_t kmax;
    CU_ASSERT_EQUAL_FATAL(bz_metrics_kcore(&l, core, &kmax, &err), BZ_OK);
    ref_kcore(A, n, rcore);
    CU_ASSERT(memcmp(core, rcore, n * sizeof *core) == 0);
    uint32_t rmax = 0;
    for (uint32_t u = 0; u < n; u++)
        if (rcore[u] > rmax) rmax = rcore[u];
    CU_ASSERT_EQUAL(kmax, rmax);

    CU_ASSERT_EQUAL_FATAL(bz_metrics_betweenness_approx(&l, n, 7, r, &err), BZ_OK);
    ref_betweenness(A, n, directed, rr);
    for (uint32_t u = 0; u < n; u++)
        CU_ASSERT_DOUBLE_EQUAL(r[u], rr[u], 1e-9 * (1 + rr[u]));

    free(lab);
    free(rlab);
    free(core);
    free(rcore);
    free(r);
    free(rr);
    bz_layer_destroy(&l);
}

/* ---- Hand-checked graphs ------------------------------------------------- */

static void test_tiny(void)
{
    bz_error err = {0};
    bz_layer l;
    bz_clustering c;
    uint64_t nc, giant;
    uint32_t core[6], kmax, lab[6];
    double bc[6], r;

    /* Triangle: clustering 1, one triangle, 2-core, no betweenness. */
    const uint32_t tri[] = {0, 1, 1, 2, 0, 2};
    unsigned char *A = edges_matrix(3, 0, tri, 3);
    layer_from_matrix(&l, 3, 0, A);
    CU_ASSERT_EQUAL(bz_metrics_clustering(&l, 0, 0, &c, &err), BZ_OK);
    CU_ASSERT_EQUAL(c.triangles, 1);
    CU_ASSERT_DOUBLE_EQUAL(c.avg_local, 1.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(c.global, 1.0, 1e-15);
    CU_ASSERT_EQUAL(bz_metrics_kcore(&l, core, &kmax, &err), BZ_OK);
    CU_ASSERT_EQUAL(kmax, 2);
    CU_ASSERT(core[0] == 2 && core[1] == 2 && core[2] == 2);
    CU_ASSERT_EQUAL(bz_metrics_betweenness_approx(&l, 3, 1, bc, &err), BZ_OK);
    CU_ASSERT(bc[0] == 0 && bc[1] == 0 && bc[2] == 0);
    /* Regular: degree variance 0, assortativity undefined. */
    CU_ASSERT_EQUAL(bz_metrics_assortativity(&l, &r, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "zero variance"));
    check_all(A, 3, 0);
    bz_layer_destroy(&l);
    free(A);

    /* Star, centre 0 and 4 leaves: clustering 0, betweenness of the centre
     * C(4,2) = 6, assortativity -1, 1-core. */
    const uint32_t star[] = {0, 1, 0, 2, 0, 3, 0, 4};
    A = edges_matrix(5, 0, star, 4);
    layer_from_matrix(&l, 5, 0, A);
    CU_ASSERT_EQUAL(bz_metrics_clustering(&l, 0, 0, &c, &err), BZ_OK);
    CU_ASSERT(c.triangles == 0 && c.avg_local == 0 && c.global == 0);
    CU_ASSERT_EQUAL(bz_metrics_betweenness_approx(&l, 5, 1, bc, &err), BZ_OK);
    CU_ASSERT_DOUBLE_EQUAL(bc[0], 6.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(bc[1], 0.0, 1e-12);
    CU_ASSERT_EQUAL(bz_metrics_assortativity(&l, &r, &err), BZ_OK);
    CU_ASSERT_DOUBLE_EQUAL(r, -1.0, 1e-12);
    CU_ASSERT_EQUAL(bz_metrics_kcore(&l, core, &kmax, &err), BZ_OK);
    CU_ASSERT(kmax == 1 && core[0] == 1 && core[4] == 1);
    /* PageRank: centre c and leaves x solve c = (1-d)/5 + d 4x,
     * x = (1-d)/5 + d c/4. */
    double d = 0.85, pr[5];
    double cc = ((1 - d) / 5 + 4 * d * (1 - d) / 5) / (1 - d * d);
    CU_ASSERT_EQUAL(bz_metrics_pagerank(&l, d, 1e-15, 1000, pr, NULL, &err), BZ_OK);
    CU_ASSERT_DOUBLE_EQUAL(pr[0], cc, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(pr[3], (1 - cc) / 4, 1e-12);
    check_all(A, 5, 0);
    bz_layer_destroy(&l);
    free(A);

    /* Path 0-1-2-3: betweenness 0 2 2 0, 1-core, transitivity 0. */
    const uint32_t path[] = {0, 1, 1, 2, 2, 3};
    A = edges_matrix(4, 0, path, 3);
    layer_from_matrix(&l, 4, 0, A);
    CU_ASSERT_EQUAL(bz_metrics_betweenness_approx(&l, 100, 1, bc, &err), BZ_OK);
    CU_ASSERT_DOUBLE_EQUAL(bc[0], 0.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(bc[1], 2.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(bc[2], 2.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(bc[3], 0.0, 1e-12);
    check_all(A, 4, 0);
    bz_layer_destroy(&l);
    free(A);

    /* Two components and an isolated agent: {0,1,2} triangle, {3,4}, {5}. */
    const uint32_t two[] = {0, 1, 1, 2, 0, 2, 3, 4};
    A = edges_matrix(6, 0, two, 4);
    layer_from_matrix(&l, 6, 0, A);
    CU_ASSERT_EQUAL(bz_metrics_components(&l, lab, &nc, &giant, &err), BZ_OK);
    CU_ASSERT_EQUAL(nc, 3);
    CU_ASSERT_EQUAL(giant, 3);
    CU_ASSERT(lab[0] == 0 && lab[1] == 0 && lab[2] == 0 && lab[3] == 1 && lab[4] == 1 &&
              lab[5] == 2);
    CU_ASSERT_EQUAL(bz_metrics_kcore(&l, core, &kmax, &err), BZ_OK);
    CU_ASSERT(kmax == 2 && core[3] == 1 && core[5] == 0);
    /* Local clustering 1 for the three triangle agents, 0 for the others. */
    CU_ASSERT_EQUAL(bz_metrics_clustering(&l, 0, 0, &c, &err), BZ_OK);
    CU_ASSERT_DOUBLE_EQUAL(c.avg_local, 0.5, 1e-15);
    check_all(A, 6, 0);
    bz_layer_destroy(&l);
    free(A);

    /* Directed cycle 0->1->2->0 plus 3->1: weakly one component. */
    const uint32_t cyc[] = {0, 1, 1, 2, 2, 0, 3, 1};
    A = edges_matrix(4, 1, cyc, 4);
    layer_from_matrix(&l, 4, 1, A);
    CU_ASSERT_EQUAL(bz_metrics_components(&l, lab, &nc, &giant, &err), BZ_OK);
    CU_ASSERT(nc == 1 && giant == 4);
    check_all(A, 4, 1);
    bz_layer_destroy(&l);
    free(A);
}

/* Directed attention: everyone follows agent 0 (arcs 0 -> v), so agent 0
 * must hold the top rank. */
static void test_pagerank_direction(void)
{
    bz_error err = {0};
    const uint32_t fans[] = {0, 1, 0, 2, 0, 3, 0, 4, 1, 2};
    unsigned char *A = edges_matrix(5, 1, fans, 5);
    bz_layer l;
    layer_from_matrix(&l, 5, 1, A);
    double r[5];
    CU_ASSERT_EQUAL(bz_metrics_pagerank(&l, 0.85, 1e-12, 1000, r, NULL, &err), BZ_OK);
    for (int u = 1; u < 5; u++)
        CU_ASSERT(r[0] > r[u]);
    CU_ASSERT(r[1] > r[3]); /* followed by 2 as well */
    bz_layer_destroy(&l);
    free(A);
}

static void test_random(void)
{
    const uint32_t ns[] = {12, 30, 55};
    const double ps[] = {0.08, 0.3};
    uint64_t seed = 11;
    for (int directed = 0; directed <= 1; directed++)
        for (size_t i = 0; i < 3; i++)
            for (size_t j = 0; j < 2; j++) {
                unsigned char *A = random_matrix(ns[i], directed, ps[j], seed++);
                check_all(A, ns[i], directed);
                free(A);
            }
}

/* ---- Thread-count determinism -------------------------------------------- */

static void layer_from_pairs(bz_layer *l, const bz_edgelist *el, int directed);

/* A sparse random layer of n agents and about m random edges plus
 * triangles, through the edge-list path (no n x n matrix). */
static void random_sparse(bz_layer *l, uint32_t n, uint64_t m, int directed, uint64_t seed)
{
    bz_edgelist el = {0};
    el.n = n;
    el.n_edges = m + 3 * (n / 5);
    el.pairs = malloc(2 * el.n_edges * sizeof *el.pairs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(el.pairs);
    bz_stream s;
    bz_stream_init(&s, seed, 0, 0, 0, BZ_RNG_TEST);
    uint64_t k = 0;
    for (uint64_t i = 0; i < m; i++) {
        el.pairs[k++] = (uint32_t)bz_stream_below(&s, n);
        el.pairs[k++] = (uint32_t)bz_stream_below(&s, n);
    }
    for (uint32_t t = 0; t + 2 < n; t += 5) {
        const uint32_t tr[6] = {t, t + 1, t + 1, t + 2, t, t + 2};
        memcpy(el.pairs + k, tr, sizeof tr);
        k += 6;
    }
    el.n_edges = k / 2;
    layer_from_pairs(l, &el, directed);
    bz_edgelist_destroy(&el);
}

typedef struct outputs {
    uint32_t *lab, *core, kmax;
    uint64_t nc, giant;
    bz_clustering exact, sampled;
    double assort, *pr, *bc;
    int iters;
} outputs;

static void run_all(const bz_layer *l, outputs *o)
{
    bz_error err = {0};
    uint32_t n = l->n;
    o->lab = malloc(n * sizeof *o->lab);
    o->core = malloc(n * sizeof *o->core);
    o->pr = malloc(n * sizeof *o->pr);
    o->bc = malloc(n * sizeof *o->bc);
    CU_ASSERT_EQUAL(bz_metrics_components(l, o->lab, &o->nc, &o->giant, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_metrics_kcore(l, o->core, &o->kmax, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_metrics_clustering(l, 0, 3, &o->exact, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_metrics_clustering(l, 5000, 3, &o->sampled, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_metrics_assortativity(l, &o->assort, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_metrics_pagerank(l, 0.85, 1e-12, 500, o->pr, &o->iters, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_metrics_betweenness_approx(l, 37, 5, o->bc, &err), BZ_OK);
}

static void free_outputs(outputs *o)
{
    free(o->lab);
    free(o->core);
    free(o->pr);
    free(o->bc);
}

static void test_threads(void)
{
    /* Over 4096 agents so PageRank and assortativity use several blocks. */
    const uint32_t n = 5000;
    for (int directed = 0; directed <= 1; directed++) {
        bz_layer l;
        random_sparse(&l, n, 3 * n / 2, directed, 99 + directed);
        outputs o1, o2;
        int saved = omp_get_max_threads();
        omp_set_num_threads(1);
        run_all(&l, &o1);
        omp_set_num_threads(2);
        run_all(&l, &o2);
        omp_set_num_threads(saved);
        CU_ASSERT(memcmp(o1.lab, o2.lab, n * sizeof *o1.lab) == 0);
        CU_ASSERT(memcmp(o1.core, o2.core, n * sizeof *o1.core) == 0);
        CU_ASSERT(memcmp(o1.pr, o2.pr, n * sizeof *o1.pr) == 0);
        CU_ASSERT(memcmp(o1.bc, o2.bc, n * sizeof *o1.bc) == 0);
        CU_ASSERT(memcmp(&o1.exact, &o2.exact, sizeof o1.exact) == 0);
        CU_ASSERT(memcmp(&o1.sampled, &o2.sampled, sizeof o1.sampled) == 0);
        CU_ASSERT(memcmp(&o1.assort, &o2.assort, sizeof o1.assort) == 0);
        CU_ASSERT(o1.nc == o2.nc && o1.giant == o2.giant && o1.kmax == o2.kmax &&
                  o1.iters == o2.iters);
        /* The sample does depend on the seed. */
        bz_clustering other;
        bz_error err = {0};
        CU_ASSERT_EQUAL(bz_metrics_clustering(&l, 5000, 4, &other, &err), BZ_OK);
        CU_ASSERT(memcmp(&other, &o1.sampled, sizeof other) != 0);
        free_outputs(&o1);
        free_outputs(&o2);
        bz_layer_destroy(&l);
    }
}

/* ---- Sampled estimates ---------------------------------------------------- */

static void test_sampled(void)
{
    const uint32_t n = 400;
    unsigned char *A = random_matrix(n, 0, 0.03, 5);
    bz_layer l;
    bz_error err = {0};
    layer_from_matrix(&l, n, 0, A);
    free(A);
    bz_clustering ex, sa;
    CU_ASSERT_EQUAL_FATAL(bz_metrics_clustering(&l, 0, 0, &ex, &err), BZ_OK);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        CU_ASSERT_EQUAL_FATAL(bz_metrics_clustering(&l, 20000, seed, &sa, &err), BZ_OK);
        CU_ASSERT_EQUAL(sa.samples_used, 20000);
        CU_ASSERT(sa.stderr_local > 0 && sa.stderr_global > 0);
        CU_ASSERT(fabs(sa.avg_local - ex.avg_local) <= 3 * sa.stderr_local);
        CU_ASSERT(fabs(sa.global - ex.global) <= 3 * sa.stderr_global);
    }
    /* Betweenness: the mean of the estimates over seeds approaches the
     * exact value (unbiased), and samples >= n is exact. */
    double *ex_bc = malloc(n * sizeof *ex_bc), *bc = malloc(n * sizeof *bc);
    double *mean = calloc(n, sizeof *mean);
    CU_ASSERT_EQUAL(bz_metrics_betweenness_approx(&l, n, 0, ex_bc, &err), BZ_OK);
    const int reps = 20;
    for (int s = 0; s < reps; s++) {
        CU_ASSERT_EQUAL(bz_metrics_betweenness_approx(&l, 100, (uint64_t)s, bc, &err), BZ_OK);
        for (uint32_t u = 0; u < n; u++)
            mean[u] += bc[u] / reps;
    }
    double tot_ex = 0, tot_mean = 0;
    for (uint32_t u = 0; u < n; u++)
        tot_ex += ex_bc[u], tot_mean += mean[u];
    CU_ASSERT(fabs(tot_mean - tot_ex) < 0.05 * tot_ex);
    free(ex_bc);
    free(bc);
    free(mean);
    bz_layer_destroy(&l);
}

/* ---- Complete layers and errors ------------------------------------------ */

static void test_complete_and_errors(void)
{
    bz_error err = {0};
    bz_layer k = {0};
    strcpy(k.name, "crowd");
    k.complete = 1;
    k.n = 6;
    int64_t *h = NULL;
    size_t len;
    CU_ASSERT_EQUAL(bz_metrics_degree_histogram(&k, 1, &h, &len, &err), BZ_OK);
    CU_ASSERT(len == 6 && h[5] == 6 && h[0] == 0);
    free(h);
    uint64_t nc, giant;
    uint32_t lab[6], core[6], kmax;
    CU_ASSERT_EQUAL(bz_metrics_components(&k, lab, &nc, &giant, &err), BZ_OK);
    CU_ASSERT(nc == 1 && giant == 6 && lab[5] == 0);
    bz_clustering c;
    CU_ASSERT_EQUAL(bz_metrics_clustering(&k, 0, 0, &c, &err), BZ_OK);
    CU_ASSERT(c.avg_local == 1.0 && c.global == 1.0 && c.triangles == 20 && c.wedges == 60);
    CU_ASSERT_EQUAL(bz_metrics_kcore(&k, core, &kmax, &err), BZ_OK);
    CU_ASSERT(kmax == 5 && core[0] == 5);
    double r[6];
    CU_ASSERT_EQUAL(bz_metrics_pagerank(&k, 0.85, 1e-10, 100, r, NULL, &err), BZ_OK);
    CU_ASSERT_DOUBLE_EQUAL(r[2], 1.0 / 6, 1e-15);
    CU_ASSERT_EQUAL(bz_metrics_betweenness_approx(&k, 3, 0, r, &err), BZ_OK);
    CU_ASSERT(r[0] == 0.0);
    double a;
    CU_ASSERT_EQUAL(bz_metrics_assortativity(&k, &a, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "implicit complete layer 'crowd'"));

    /* Errors on a small stored layer. */
    const uint32_t e[] = {0, 1, 1, 2};
    unsigned char *A = edges_matrix(3, 0, e, 2);
    bz_layer l;
    layer_from_matrix(&l, 3, 0, A);
    free(A);
    CU_ASSERT_EQUAL(bz_metrics_degree_histogram(&l, 2, &h, &len, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "got 2"));
    CU_ASSERT_EQUAL(bz_metrics_pagerank(&l, 1.0, 1e-10, 10, r, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "damping"));
    CU_ASSERT_EQUAL(bz_metrics_pagerank(&l, 0.85, -1, 10, r, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "tol"));
    CU_ASSERT_EQUAL(bz_metrics_pagerank(&l, 0.85, 1e-10, 0, r, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "max_iter"));
    CU_ASSERT_EQUAL(bz_metrics_betweenness_approx(&l, 0, 0, r, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "samples"));
    /* max_iter reached: iterations reports it. */
    int it = 0;
    CU_ASSERT_EQUAL(bz_metrics_pagerank(&l, 0.85, 0, 3, r, &it, &err), BZ_OK);
    CU_ASSERT_EQUAL(it, 3);
    bz_layer_destroy(&l);

    /* No arcs: assortativity undefined; everything else trivial. */
    A = calloc(9, 1);
    layer_from_matrix(&l, 3, 1, A);
    free(A);
    CU_ASSERT_EQUAL(bz_metrics_assortativity(&l, &a, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no edges"));
    CU_ASSERT_EQUAL(bz_metrics_components(&l, lab, &nc, &giant, &err), BZ_OK);
    CU_ASSERT(nc == 3 && giant == 1 && lab[2] == 2);
    CU_ASSERT_EQUAL(bz_metrics_pagerank(&l, 0.85, 1e-12, 100, r, NULL, &err), BZ_OK);
    CU_ASSERT_DOUBLE_EQUAL(r[1], 1.0 / 3, 1e-15);
    bz_layer_destroy(&l);
}

/* ---- ego-Facebook ----------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Layer from an edge list (undirected: both directions), rows sorted,
 * loops and repeats dropped. */
static void layer_from_pairs(bz_layer *l, const bz_edgelist *el, int directed)
{
    uint32_t n = el->n;
    memset(l, 0, sizeof *l);
    strcpy(l->name, "pairs");
    l->n = n;
    l->directed = directed;
    l->offsets = calloc((size_t)n + 1, sizeof *l->offsets);
    l->targets = malloc(2 * el->n_edges * sizeof *l->targets);
    uint64_t *cur = malloc((size_t)n * sizeof *cur);
    CU_ASSERT_FATAL(l->offsets && l->targets && cur);
    for (uint64_t i = 0; i < el->n_edges; i++) {
        l->offsets[el->pairs[2 * i] + 1]++;
        if (!directed) l->offsets[el->pairs[2 * i + 1] + 1]++;
    }
    for (uint32_t u = 0; u < n; u++)
        l->offsets[u + 1] += l->offsets[u];
    memcpy(cur, l->offsets, n * sizeof *cur);
    for (uint64_t i = 0; i < el->n_edges; i++) {
        uint32_t u = el->pairs[2 * i], v = el->pairs[2 * i + 1];
        l->targets[cur[u]++] = v;
        if (!directed) l->targets[cur[v]++] = u;
    }
    uint64_t k = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint64_t b = l->offsets[u], e = l->offsets[u + 1];
        qsort(l->targets + b, e - b, sizeof *l->targets, cmp_u32);
        l->offsets[u] = k;
        for (uint64_t a = b; a < e; a++)
            if (l->targets[a] != u && (k == l->offsets[u] || l->targets[k - 1] != l->targets[a]))
                l->targets[k++] = l->targets[a];
    }
    l->offsets[n] = k;
    l->m = k;
    free(cur);
    if (directed) {
        l->in_degree = calloc(n, sizeof *l->in_degree);
        CU_ASSERT_PTR_NOT_NULL_FATAL(l->in_degree);
        for (uint64_t a = 0; a < k; a++)
            l->in_degree[l->targets[a]]++;
    }
}

static void test_facebook(void)
{
    const char *path = bz_test_data_path("facebook_combined.txt.gz");
    bz_edgelist el = {0};
    bz_error err = {0};
    CU_ASSERT_EQUAL_FATAL(bz_edgelist_read(&el, path, '#', 0, 0, &err), BZ_OK);
    bz_layer l;
    layer_from_pairs(&l, &el, 0);
    bz_edgelist_destroy(&el);
    CU_ASSERT_EQUAL(l.n, 4039);
    CU_ASSERT_EQUAL(l.m, 2 * 88234);

    uint64_t nc, giant;
    CU_ASSERT_EQUAL(bz_metrics_components(&l, NULL, &nc, &giant, &err), BZ_OK);
    CU_ASSERT(nc == 1 && giant == 4039);

    /* SNAP: 1,612,010 triangles, average clustering 0.6055, "fraction of
     * closed triangles" 0.2647. 0.6055 is the mean over all agents with
     * degree-1 agents counted as 0 (leaving the 75 out gives 0.6170). SNAP's fraction is not the
     * transitivity: it counts each triangle once against each open wedge
     * once, T / (T + (wedges - 3T)); the transitivity 3T / wedges is 0.5192
     * (networkx's published transitivity of this graph). */
    bz_clustering c;
    CU_ASSERT_EQUAL_FATAL(bz_metrics_clustering(&l, 0, 0, &c, &err), BZ_OK);
    CU_ASSERT_EQUAL(c.triangles, 1612010);
    CU_ASSERT_DOUBLE_EQUAL(c.avg_local, 0.6055, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL((double)c.triangles / (double)(c.wedges - 2 * c.triangles), 0.2647,
                           1e-4);
    CU_ASSERT_DOUBLE_EQUAL(c.global, 0.5192, 1e-4);
    fprintf(stderr, "\n  facebook: avg_local %.6f transitivity %.6f triangles %llu\n", c.avg_local,
            c.global, (unsigned long long)c.triangles);
    bz_clustering s;
    CU_ASSERT_EQUAL(bz_metrics_clustering(&l, 40000, 9, &s, &err), BZ_OK);
    CU_ASSERT(fabs(s.avg_local - c.avg_local) <= 3 * s.stderr_local);
    CU_ASSERT(fabs(s.global - c.global) <= 3 * s.stderr_global);
    fprintf(stderr, "  sampled: avg_local %.4f +- %.4f transitivity %.4f +- %.4f\n", s.avg_local,
            s.stderr_local, s.global, s.stderr_global);

    uint32_t *core = malloc(l.n * sizeof *core), *rcore = malloc(l.n * sizeof *rcore), kmax;
    CU_ASSERT_EQUAL(bz_metrics_kcore(&l, core, &kmax, &err), BZ_OK);
    uint32_t rmax = ref_kcore_csr(&l, rcore);
    CU_ASSERT(memcmp(core, rcore, l.n * sizeof *core) == 0);
    CU_ASSERT_EQUAL(kmax, rmax);
    CU_ASSERT_EQUAL(kmax, 115); /* the literature's value, confirmed by the reference */

    double a, *pr = malloc(l.n * sizeof *pr);
    int it;
    CU_ASSERT_EQUAL(bz_metrics_assortativity(&l, &a, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_metrics_pagerank(&l, 0.85, 1e-10, 200, pr, &it, &err), BZ_OK);
    uint32_t top = 0;
    for (uint32_t u = 1; u < l.n; u++)
        if (pr[u] > pr[top]) top = u;
    fprintf(stderr, "  max core %u, assortativity %.4f, PageRank top %u (%.5f, %d iterations)\n",
            kmax, a, top, pr[top], it);
    free(core);
    free(rcore);
    free(pr);
    bz_layer_destroy(&l);
}

static CU_TestInfo tests[] = {{"hand-checked tiny graphs", test_tiny},
                              {"PageRank flows to followed accounts", test_pagerank_direction},
                              {"random graphs against naive references", test_random},
                              {"1 vs 2 threads bit-identical", test_threads},
                              {"sampled clustering within 3 stated errors", test_sampled},
                              {"complete layers and errors", test_complete_and_errors},
                              {"ego-Facebook against SNAP", test_facebook},
                              CU_TEST_INFO_NULL};

int main(void)
{
    return bz_test_main("metrics", tests);
}
