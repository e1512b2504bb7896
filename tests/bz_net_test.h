/* Helpers shared by the network-generator tests (test_networks.c,
 * test_generators2.c): parameter structs set through the tables, degree
 * moments, a reference clustering computed by merging sorted rows (independent
 * of src/graph/metrics.c), and byte-wise layer comparison. */
#ifndef BZ_NET_TEST_H
#define BZ_NET_TEST_H

#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>

#include "base/params.h"
#include "graph/generator.h"

/* ---- helpers ------------------------------------------------------------ */
typedef struct params_buf {
    _Alignas(16) unsigned char bytes[4096];
} params_buf;

static inline const bz_netgen_type *gen(const char *name)
{
    const bz_netgen_type *t = bz_netgen_find(name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    return t;
}

/* Defaults of t, then "name=value" settings through the parameter table. */
static inline int set_params(const bz_netgen_type *t, params_buf *pb, const char *const *kv,
                             size_t n, bz_error *err)
{
    memset(pb, 0, sizeof *pb);
    CU_ASSERT_FATAL(t->params_size <= sizeof pb->bytes);
    int status = bz_params_set_defaults(t->params, t->n_params, pb->bytes, err);
    for (size_t i = 0; status == BZ_OK && i < n; i += 2) {
        const bz_param *p = bz_params_find(t->params, t->n_params, kv[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        status = bz_param_parse(p, kv[i + 1], pb->bytes, err);
    }
    return status;
}

static inline void degree_moments(const bz_layer *l, double *mean, double *var)
{
    double s = 0, s2 = 0;
    for (uint32_t u = 0; u < l->n; u++) {
        double k = (double)bz_layer_degree(l, u);
        s += k;
        s2 += k * k;
    }
    *mean = s / l->n;
    *var = s2 / l->n - *mean * *mean;
}

static inline uint64_t max_degree(const bz_layer *l)
{
    uint64_t mx = 0;
    for (uint32_t u = 0; u < l->n; u++)
        if (bz_layer_degree(l, u) > mx) mx = bz_layer_degree(l, u);
    return mx;
}

/* Average local clustering and transitivity (3 triangles / connected
 * triples) of an undirected layer; rows are sorted, so triangles through u
 * are counted by merging neighbour rows. */
static inline void clustering(const bz_layer *l, double *avg_local, double *transitivity)
{
    double sum_c = 0, tri = 0, triples = 0;
    for (uint32_t u = 0; u < l->n; u++) {
        uint64_t d = bz_layer_degree(l, u), t = 0;
        for (uint64_t i = l->offsets[u]; i < l->offsets[u + 1]; i++) {
            uint32_t v = l->targets[i];
            uint64_t a = l->offsets[u], b = l->offsets[v];
            while (a < l->offsets[u + 1] && b < l->offsets[v + 1]) {
                if (l->targets[a] < l->targets[b])
                    a++;
                else if (l->targets[a] > l->targets[b])
                    b++;
                else
                    t++, a++, b++;
            }
        }
        /* t counts each triangle at u twice (v then w, w then v) */
        double pairs = (double)d * (double)(d - 1) / 2;
        if (d >= 2) sum_c += (t / 2.0) / pairs;
        tri += t / 2.0;
        triples += d >= 2 ? pairs : 0;
    }
    *avg_local = sum_c / l->n;
    *transitivity = tri / triples;
}

static inline int same_layer(const bz_layer *a, const bz_layer *b)
{
    if (a->n != b->n || a->m != b->m || a->complete != b->complete) return 0;
    if (a->complete) return 1;
    if (memcmp(a->offsets, b->offsets, ((size_t)a->n + 1) * sizeof *a->offsets)) return 0;
    if (memcmp(a->targets, b->targets, (size_t)a->m * sizeof *a->targets)) return 0;
    if (a->directed && memcmp(a->in_degree, b->in_degree, (size_t)a->n * sizeof *a->in_degree))
        return 0;
    return 1;
}

#endif
