/* Influence maximisation by reverse-reachable sets (influence.h).
 *
 * Drawing: sets are generated in waves of WAVE chunks of consecutive set
 * indices (FIRST sets per chunk in the first wave, then as many as make the
 * wave end near the entry cap at the mean set size so far, at most CHUNK);
 * each chunk is drawn by one thread into its own buffer, then the chunks are
 * consumed in index order (from the sink's first missing set, so a phase can
 * be extended). The chunk sizes only move work around. The entry cap cuts at an exact
 * set index: a chunk stops early once the wave has drawn the cap's worth of agents (so memory stays
 * bounded even when sets span the giant component), and if the cut has not been reached before the
 * first unfinished chunk, the next wave resumes at its first missing set. Which sets are used
 * therefore depends only on (seed, theta, cap), never on the thread count or timing.
 */
#include "graph/influence.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "rng/rng.h"

#define CHUNK 1024u /* most sets per chunk */
#define FIRST 64u   /* sets per chunk in the first wave */
#define WAVE 16u    /* chunks per wave */

/* In-neighbours of the layer: the layer itself (undirected), its transpose
 * (directed, owned), or implicit (complete). */
typedef struct rr_view {
    uint32_t n;
    int complete;
    const uint64_t *off;
    const uint32_t *tgt;
    uint64_t *own_off;
    uint32_t *own_tgt;
} rr_view;

static void rr_view_destroy(rr_view *v)
{
    free(v->own_off);
    free(v->own_tgt);
    memset(v, 0, sizeof *v);
}

static int rr_view_init(rr_view *v, const bz_layer *l, bz_error *err)
{
    memset(v, 0, sizeof *v);
    v->n = l->n;
    v->complete = l->complete;
    if (l->complete || !l->directed) {
        v->off = l->offsets;
        v->tgt = l->targets;
        return BZ_OK;
    }
    /* Transpose by counting sort (rows come out ascending). */
    const uint32_t n = l->n;
    uint64_t *off = calloc((size_t)n + 2, sizeof *off);
    uint32_t *tgt = malloc((l->m ? l->m : 1) * sizeof *tgt);
    if (!off || !tgt) {
        free(off);
        free(tgt);
        return bz_error_oom(
            err, "influence", ((size_t)n + 2) * sizeof *off + (l->m ? l->m : 1) * sizeof *tgt,
            "the transpose of layer '%s' (%llu arcs)", l->name, (unsigned long long)l->m);
    }
    /* off[v + 2] counts, prefix into off[v + 1] = start of row v, then fill
     * advancing off[v + 1] so it ends as the end of row v. */
    for (uint64_t a = 0; a < l->m; a++)
        off[l->targets[a] + 2]++;
    for (uint32_t v2 = 0; v2 < n; v2++)
        off[v2 + 2] += off[v2 + 1];
    for (uint32_t u = 0; u < n; u++)
        for (uint64_t a = l->offsets[u]; a < l->offsets[u + 1]; a++)
            tgt[off[l->targets[a] + 1]++] = u;
    v->off = v->own_off = off;
    v->tgt = v->own_tgt = tgt;
    return BZ_OK;
}

static inline uint64_t rr_degree(const rr_view *v, uint32_t w)
{
    return v->complete ? (uint64_t)v->n - 1 : v->off[w + 1] - v->off[w];
}

static inline uint32_t rr_neighbour(const rr_view *v, uint32_t w, uint64_t j)
{
    if (v->complete) return (uint32_t)(j < w ? j : j + 1);
    return v->tgt[v->off[w] + j];
}

/* The model with its in-neighbour views, built once per call. */
typedef struct rr_model {
    const bz_influence_model *m;
    uint32_t n;
    size_t L;
    rr_view *views;    /* [L] */
    double *inv_log_q; /* [L]: 1 / log(1 - p), 0 when p is 0 or 1 */
    int lt;
} rr_model;

static void rr_model_destroy(rr_model *r)
{
    for (size_t i = 0; r->views && i < r->L; i++)
        rr_view_destroy(&r->views[i]);
    free(r->views);
    free(r->inv_log_q);
    memset(r, 0, sizeof *r);
}

static int rr_model_init(rr_model *r, const bz_influence_model *m, bz_error *err)
{
    int status = BZ_OK;
    memset(r, 0, sizeof *r);
    r->m = m;
    r->n = m->layers[0].n;
    r->L = m->n_layers;
    r->lt = m->kind == BZ_INFLUENCE_LT;
    r->views = calloc(r->L, sizeof *r->views);
    r->inv_log_q = calloc(r->L, sizeof *r->inv_log_q);
    if (!r->views || !r->inv_log_q)
        BZ_FAIL_OOM(err, "influence", r->L * (sizeof *r->views + sizeof *r->inv_log_q),
                    "the views of %zu layers", r->L);
    for (size_t i = 0; i < r->L; i++) {
        const double p = m->p[i];
        r->inv_log_q[i] = p > 0 && p < 1 ? 1.0 / log1p(-p) : 0.0;
        /* A layer that takes no part needs no view (the seed layer does). */
        if (!(p > 0) && (r->lt || (int)i != m->seed_layer || !(m->seed_p > 0))) continue;
        BZ_CHECK(rr_view_init(&r->views[i], &m->layers[i], err));
    }
cleanup:
    if (status != BZ_OK) rr_model_destroy(r);
    return status;
}

/* One chunk's output: the agents of its sets back to back, and set sizes. */
typedef struct rr_chunk {
    uint32_t *nodes;
    uint64_t len, cap;
    uint32_t sizes[CHUNK];
    uint32_t done; /* sets drawn (the chunk may stop early at the entry cap) */
} rr_chunk;

static int grow_push(uint32_t **a, uint64_t *len, uint64_t *cap, uint32_t x)
{
    if (*len == *cap) {
        uint64_t c = *cap ? 2 * *cap : 4096;
        uint32_t *p = realloc(*a, c * sizeof *p);
        if (!p) return 0;
        *a = p;
        *cap = c;
    }
    (*a)[(*len)++] = x;
    return 1;
}

static inline int chunk_push(rr_chunk *c, uint32_t x)
{
    return grow_push(&c->nodes, &c->len, &c->cap, x);
}

/* Per-thread scratch: visit stamps and the BFS queue of expanded agents. */
typedef struct rr_scratch {
    uint32_t *stamp, epoch;
    uint32_t *q;
    uint64_t qlen, qcap;
} rr_scratch;

/* IC: every in-neighbour x of w on layer li kept with p (geometric skipping,
 * O(1 + kept arcs)) joins the set; with `expand`, x is queued with the
 * relay chance. Returns 0 on out of memory. */
static int ic_in_arcs(const rr_model *r, size_t li, double p, double inv_lq, int expand, uint32_t w,
                      bz_stream *s, rr_scratch *sc, rr_chunk *c)
{
    const rr_view *v = &r->views[li];
    const uint64_t deg = rr_degree(v, w);
    const double relay = r->m->relay;
    for (uint64_t j = p >= 1.0 ? 0 : bz_stream_geometric_skip(s, inv_lq); j < deg;
         j += 1 + (p >= 1.0 ? 0 : bz_stream_geometric_skip(s, inv_lq))) {
        uint32_t x = rr_neighbour(v, w, j);
        if (sc->stamp[x] == sc->epoch) continue;
        sc->stamp[x] = sc->epoch;
        if (!chunk_push(c, x)) return 0;
        if (expand && (relay >= 1.0 || bz_stream_uniform(s) < relay) &&
            !grow_push(&sc->q, &sc->qlen, &sc->qcap, x))
            return 0;
    }
    return 1;
}

/* Draw RR set i into c (appended). IC: reverse BFS from a uniform root
 * over every layer, then the seeds' extra arcs into the expanded agents; LT:
 * reverse random walk. Returns 0 on out of memory. */
static int draw_set(const rr_model *r, uint64_t seed, uint64_t i, rr_scratch *sc, rr_chunk *c)
{
    bz_stream s;
    bz_stream_init(&s, seed, 0, (uint32_t)(i >> 32), (uint32_t)i, BZ_INFLUENCE_RNG_PURPOSE);
    const bz_influence_model *m = r->m;
    uint32_t root = (uint32_t)bz_stream_below(&s, r->n);
    sc->stamp[root] = sc->epoch;
    if (!chunk_push(c, root)) return 0;
    if (r->lt) {
        for (uint32_t w = root;;) {
            uint64_t d = 0;
            for (size_t li = 0; li < r->L; li++)
                if (m->p[li] > 0) d += rr_degree(&r->views[li], w);
            if (d == 0) return 1;
            uint64_t j = bz_stream_below(&s, d);
            size_t li = 0;
            for (;; li++) {
                if (!(m->p[li] > 0)) continue;
                uint64_t dl = rr_degree(&r->views[li], w);
                if (j < dl) break;
                j -= dl;
            }
            uint32_t x = rr_neighbour(&r->views[li], w, j);
            if (sc->stamp[x] == sc->epoch) return 1;
            sc->stamp[x] = sc->epoch;
            if (!chunk_push(c, x)) return 0;
            w = x;
        }
    }
    sc->qlen = 0;
    if (!grow_push(&sc->q, &sc->qlen, &sc->qcap, root)) return 0;
    for (uint64_t head = 0; head < sc->qlen; head++) {
        const uint32_t w = sc->q[head];
        for (size_t li = 0; li < r->L; li++)
            if (m->p[li] > 0 && !ic_in_arcs(r, li, m->p[li], r->inv_log_q[li], 1, w, &s, sc, c))
                return 0;
    }
    const int sl = m->seed_layer;
    if (sl >= 0 && m->seed_p > 0) {
        const double inv = m->seed_p < 1 ? 1.0 / log1p(-m->seed_p) : 0.0;
        for (uint64_t head = 0; head < sc->qlen; head++)
            if (!ic_in_arcs(r, (size_t)sl, m->seed_p, inv, 0, sc->q[head], &s, sc, c)) return 0;
    }
    return 1;
}

/* What the consumer does with each set, in index order. */
typedef struct rr_sink {
    /* store mode (greedy): all sets back to back */
    uint32_t *nodes;
    uint64_t *set_off; /* [theta_used + 1] */
    uint64_t nodes_cap, sets_cap;
    int store;
    /* estimate mode: seeds marked, covered sets counted */
    const uint8_t *is_seed;
    uint64_t covered;
    /* both */
    uint64_t theta_used, entries;
    int capped; /* the entry cap stopped drawing */
} rr_sink;

static void sink_destroy(rr_sink *k)
{
    free(k->nodes);
    free(k->set_off);
    k->nodes = NULL;
    k->set_off = NULL;
}

static int sink_store(rr_sink *k, const uint32_t *set, uint32_t size)
{
    if (k->entries + size > k->nodes_cap) {
        uint64_t cap = k->nodes_cap ? 2 * k->nodes_cap : 65536;
        while (cap < k->entries + size)
            cap *= 2;
        uint32_t *p = realloc(k->nodes, cap * sizeof *p);
        if (!p) return 0;
        k->nodes = p;
        k->nodes_cap = cap;
    }
    if (k->theta_used + 2 > k->sets_cap) {
        uint64_t cap = k->sets_cap ? 2 * k->sets_cap : 4096;
        uint64_t *p = realloc(k->set_off, cap * sizeof *p);
        if (!p) return 0;
        k->set_off = p;
        k->sets_cap = cap;
    }
    memcpy(k->nodes + k->entries, set, (size_t)size * sizeof *set);
    k->set_off[k->theta_used] = k->entries;
    k->set_off[k->theta_used + 1] = k->entries + size;
    return 1;
}

/* Draw sets sink->theta_used .. theta-1 (or up to the entry cap) of the
 * stream family `seed` into the sink. */
static int rr_draw(const rr_model *r, uint64_t theta, uint64_t seed, uint64_t max_entries,
                   rr_sink *sink, bz_error *err)
{
    int status = BZ_OK;
    rr_chunk *chunks = NULL;
    const uint64_t cap = max_entries ? max_entries : BZ_INFLUENCE_MAX_ENTRIES;
    if (sink->theta_used >= theta || sink->capped) return BZ_OK;
    if (sink->entries >= cap) {
        sink->capped = 1;
        return BZ_OK;
    }
    if (!(chunks = calloc(WAVE, sizeof *chunks)))
        BZ_FAIL_OOM(err, "influence", WAVE * sizeof *chunks, "%d RR-set buffers", (int)WAVE);
    uint64_t next = sink->theta_used; /* first set index not consumed */
    uint32_t per = FIRST;             /* sets per chunk in this wave */
    int done = 0, oom = 0;
    uint64_t wave_entries = 0;
    const uint32_t n = r->n;
#pragma omp parallel if (theta - next > CHUNK)
    {
        rr_scratch sc = {0};
        sc.stamp = calloc(n, sizeof *sc.stamp);
        if (!sc.stamp) {
#pragma omp atomic write
            oom = 1;
        }
#pragma omp barrier
        while (!done) {
            uint64_t base = next;
#pragma omp for schedule(dynamic, 1)
            for (uint32_t c = 0; c < WAVE; c++) {
                rr_chunk *ch = &chunks[c];
                ch->len = 0;
                ch->done = 0;
                uint64_t lo = base + (uint64_t)c * per;
                int stop;
#pragma omp atomic read
                stop = oom;
                for (uint64_t i = lo; !stop && i < theta && i < lo + per; i++) {
                    if (++sc.epoch == 0) { /* wrapped: forget old stamps */
                        memset(sc.stamp, 0, (size_t)n * sizeof *sc.stamp);
                        sc.epoch = 1;
                    }
                    uint64_t before = ch->len;
                    if (!draw_set(r, seed, i, &sc, ch)) {
#pragma omp atomic write
                        oom = 1;
                        break;
                    }
                    ch->sizes[ch->done++] = (uint32_t)(ch->len - before);
                    uint64_t w;
#pragma omp atomic capture
                    w = wave_entries += ch->len - before;
                    if (sink->entries + w >= cap) break;
                }
            }
#pragma omp single
            {
                /* Consume in index order; stop at the cap, at theta, or at
                 * the first chunk that did not finish its range. */
                uint64_t i = base;
                for (uint32_t c = 0; c < WAVE && !done && !oom; c++) {
                    rr_chunk *ch = &chunks[c];
                    uint64_t pos = 0;
                    for (uint32_t j = 0; j < ch->done; j++, i++) {
                        const uint32_t *set = ch->nodes + pos;
                        uint32_t size = ch->sizes[j];
                        pos += size;
                        if (sink->store && !sink_store(sink, set, size)) {
                            oom = 1;
                            break;
                        }
                        if (sink->is_seed)
                            for (uint32_t q = 0; q < size; q++)
                                if (sink->is_seed[set[q]]) {
                                    sink->covered++;
                                    break;
                                }
                        sink->theta_used++;
                        sink->entries += size;
                        if (sink->entries >= cap || i + 1 >= theta) {
                            if (i + 1 < theta) sink->capped = 1;
                            done = 1;
                            break;
                        }
                    }
                    uint64_t end = base + (uint64_t)(c + 1) * per;
                    if (!done && i < (end < theta ? end : theta)) break;
                }
                next = i;
                wave_entries = 0;
                /* Size the next wave to end near the cap: with sets of mean
                 * size mu, remaining / (mu WAVE) sets per chunk (large sets,
                 * near the giant component, would otherwise make threads
                 * draw past the cut and the work be redone). */
                if (sink->theta_used > 0) {
                    double mu = (double)sink->entries / (double)sink->theta_used;
                    double want =
                        (double)(cap - (sink->entries < cap ? sink->entries : cap)) / (mu * WAVE);
                    per = want >= CHUNK ? CHUNK : want >= 1 ? (uint32_t)want : 1;
                }
                if (oom || next >= theta) done = 1;
            }
        }
        free(sc.stamp);
        free(sc.q);
    }
    if (oom)
        BZ_FAIL_OOM(err, "influence", bz_error_bytes(sink->entries, sizeof(uint32_t)),
                    "RR sets past %llu entries", (unsigned long long)sink->entries);
cleanup:
    if (chunks)
        for (uint32_t c = 0; c < WAVE; c++)
            free(chunks[c].nodes);
    free(chunks);
    return status;
}

static int check_model(const bz_influence_model *m, uint32_t k, bz_error *err)
{
    if (!m || m->n_layers == 0 || !m->layers || !m->p)
        return bz_error_set(err, BZ_EINVAL, "influence: no layers");
    const uint32_t n = m->layers[0].n;
    if (n == 0)
        return bz_error_set(err, BZ_EINVAL, "influence: layer '%s' is empty", m->layers[0].name);
    if (m->kind != BZ_INFLUENCE_IC && m->kind != BZ_INFLUENCE_LT)
        return bz_error_set(err, BZ_EINVAL, "influence: unknown model kind %d", m->kind);
    for (size_t i = 0; i < m->n_layers; i++) {
        if (m->layers[i].n != n)
            return bz_error_set(err, BZ_EINVAL, "influence: layer '%s' has %u agents, not %u",
                                m->layers[i].name, m->layers[i].n, n);
        if (!(m->p[i] >= 0 && m->p[i] <= 1))
            return bz_error_set(err, BZ_EINVAL,
                                "influence: p of layer '%s' must be in [0, 1], got %g",
                                m->layers[i].name, m->p[i]);
    }
    if (m->kind == BZ_INFLUENCE_IC) {
        if (!(m->relay > 0 && m->relay <= 1))
            return bz_error_set(err, BZ_EINVAL, "influence: relay must be in (0, 1], got %g",
                                m->relay);
        if (m->seed_layer >= (int)m->n_layers || !(m->seed_p >= 0 && m->seed_p <= 1))
            return bz_error_set(err, BZ_EINVAL,
                                "influence: seed layer %d (of %zu) or seed_p %g out of range",
                                m->seed_layer, m->n_layers, m->seed_p);
    }
    if (k == 0 || k > n)
        return bz_error_set(err, BZ_EINVAL, "influence: k must be in [1, %u], got %u", n, k);
    return BZ_OK;
}

static int check_theta(uint64_t theta, bz_error *err)
{
    if (theta == 0 || theta > UINT32_MAX)
        return bz_error_set(err, BZ_EINVAL, "influence: theta must be in [1, %u], got %llu",
                            UINT32_MAX, (unsigned long long)theta);
    return BZ_OK;
}

int bz_influence_estimate_model(const bz_influence_model *m, const bz_influence_opts *opts,
                                const uint32_t *seeds, uint32_t k, bz_influence_result *res,
                                bz_error *err)
{
    int status = BZ_OK;
    uint8_t *is_seed = NULL;
    rr_sink sink = {0};
    rr_model r = {0};
    BZ_CHECK(check_model(m, 1, err));
    BZ_CHECK(check_theta(opts->theta, err));
    const uint32_t n = m->layers[0].n;
    if (k == 0) BZ_FAIL(err, BZ_EINVAL, "influence: no seeds to estimate");
    if (!(is_seed = calloc(n, 1)))
        BZ_FAIL_OOM(err, "influence", n, "the seed marks of %u agents", n);
    for (uint32_t i = 0; i < k; i++) {
        if (seeds[i] >= n)
            BZ_FAIL(err, BZ_EINVAL, "influence: seed %u is not an agent (n = %u)", seeds[i], n);
        is_seed[seeds[i]] = 1;
    }
    sink.is_seed = is_seed;
    BZ_CHECK(rr_model_init(&r, m, err));
    BZ_CHECK(rr_draw(&r, opts->theta, opts->seed, opts->max_entries, &sink, err));
    memset(res, 0, sizeof *res);
    res->theta_used = sink.theta_used;
    res->theta_target = opts->theta;
    res->capped = sink.capped;
    res->covered = sink.covered;
    res->entries = sink.entries;
    res->est_spread = (double)n * (double)sink.covered / (double)sink.theta_used;
cleanup:
    rr_model_destroy(&r);
    free(is_seed);
    return status;
}

/* Max-heap of (gain, agent), ties to the lower agent. */
#define HEAP_ABOVE(a, b) (gain[a] > gain[b] || (gain[a] == gain[b] && (a) < (b)))

static void heap_down(uint32_t *h, uint32_t size, uint32_t j, const uint32_t *gain)
{
    for (;;) {
        uint32_t a = 2 * j + 1, b = a + 1, m = j;
        if (a < size && HEAP_ABOVE(h[a], h[m])) m = a;
        if (b < size && HEAP_ABOVE(h[b], h[m])) m = b;
        if (m == j) return;
        uint32_t t = h[j];
        h[j] = h[m];
        h[m] = t;
        j = m;
    }
}

/* Greedy maximum coverage of the stored sets (kept) by k seeds; returns the
 * sets covered in *n_cov. */
static int cover(uint32_t n, const rr_sink *sink, uint32_t k, uint32_t *seeds, uint64_t *n_cov_out,
                 bz_error *err)
{
    int status = BZ_OK;
    uint64_t *ioff = NULL;
    uint32_t *iset = NULL, *gain = NULL, *heap = NULL, *fresh = NULL;
    uint8_t *covered = NULL, *chosen = NULL;
    const uint64_t T = sink->theta_used, E = sink->entries;

    /* Agent -> sets index (sets ascending within a row). */
    ioff = calloc((size_t)n + 2, sizeof *ioff);
    iset = malloc((E ? E : 1) * sizeof *iset);
    if (!ioff || !iset)
        BZ_FAIL_OOM(err, "influence",
                    ((size_t)n + 2) * sizeof *ioff + bz_error_bytes(E ? E : 1, sizeof *iset),
                    "the index of %llu RR entries", (unsigned long long)E);
    for (uint64_t e = 0; e < E; e++)
        ioff[sink->nodes[e] + 2]++;
    for (uint32_t v = 0; v < n; v++)
        ioff[v + 2] += ioff[v + 1];
    for (uint64_t s = 0; s < T; s++)
        for (uint64_t e = sink->set_off[s]; e < sink->set_off[s + 1]; e++)
            iset[ioff[sink->nodes[e] + 1]++] = (uint32_t)s;

    gain = malloc((size_t)n * sizeof *gain);
    heap = malloc((size_t)n * sizeof *heap);
    fresh = calloc(n, sizeof *fresh);
    covered = calloc(T ? T : 1, 1);
    chosen = calloc(n, 1);
    if (!gain || !heap || !fresh || !covered || !chosen)
        BZ_FAIL_OOM(err, "influence",
                    (size_t)n * (sizeof *gain + sizeof *heap + sizeof *fresh + 1) + (T ? T : 1),
                    "greedy coverage of %u agents", n);
    for (uint32_t v = 0; v < n; v++) {
        gain[v] = (uint32_t)(ioff[v + 1] - ioff[v]);
        heap[v] = v;
    }
    uint32_t size = n;
    for (uint32_t j = n / 2; j-- > 0;)
        heap_down(heap, size, j, gain);

    /* Lazy greedy: a gain stamped with this round (fresh) is exact; stale
     * gains are upper bounds, so a fresh top beats every true gain below. */
    uint64_t n_cov = 0;
    uint32_t r = 0;
    for (; r < k && n_cov < T; r++) {
        for (;;) {
            uint32_t u = heap[0];
            if (fresh[u] == r + 1) break;
            uint32_t g = 0;
            for (uint64_t e = ioff[u]; e < ioff[u + 1]; e++)
                g += !covered[iset[e]];
            gain[u] = g;
            fresh[u] = r + 1;
            heap_down(heap, size, 0, gain);
        }
        uint32_t u = heap[0];
        heap[0] = heap[--size];
        heap_down(heap, size, 0, gain);
        seeds[r] = u;
        chosen[u] = 1;
        for (uint64_t e = ioff[u]; e < ioff[u + 1]; e++)
            if (!covered[iset[e]]) {
                covered[iset[e]] = 1;
                n_cov++;
            }
    }
    /* Every set covered: all gains are 0, ties go to the lowest ids. */
    for (uint32_t v = 0; r < k; v++)
        if (!chosen[v]) seeds[r++] = v;
    *n_cov_out = n_cov;
cleanup:
    free(ioff);
    free(iset);
    free(gain);
    free(heap);
    free(fresh);
    free(covered);
    free(chosen);
    return status;
}

/* Draw theta sets of family `seed` into a fresh sink and run the greedy. */
static int select_phase(const rr_model *r, uint64_t theta, uint64_t seed, uint64_t max_entries,
                        uint32_t k, uint32_t *seeds, bz_influence_result *res, bz_error *err)
{
    int status = BZ_OK;
    rr_sink sink = {0};
    uint64_t n_cov = 0;
    sink.store = 1;
    BZ_CHECK(rr_draw(r, theta, seed, max_entries, &sink, err));
    BZ_CHECK(cover(r->n, &sink, k, seeds, &n_cov, err));
    res->theta_used = sink.theta_used;
    res->covered = n_cov;
    res->entries = sink.entries;
    res->capped = sink.capped;
    res->est_spread = (double)r->n * (double)n_cov / (double)sink.theta_used;
cleanup:
    sink_destroy(&sink);
    return status;
}

int bz_influence_select(const bz_influence_model *m, const bz_influence_opts *opts, uint32_t k,
                        uint32_t *seeds, bz_influence_result *res, bz_error *err)
{
    int status = BZ_OK;
    rr_model r = {0};
    bz_influence_result tmp = {0};
    BZ_CHECK(check_model(m, k, err));
    BZ_CHECK(check_theta(opts->theta, err));
    BZ_CHECK(rr_model_init(&r, m, err));
    tmp.theta_target = opts->theta;
    tmp.lower_bound = 1;
    BZ_CHECK(select_phase(&r, opts->theta, opts->seed, opts->max_entries, k, seeds, &tmp, err));
    if (res) *res = tmp;
cleanup:
    rr_model_destroy(&r);
    return status;
}

/* ln C(n, k). */
static double log_choose(double n, double k)
{
    return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

double bz_influence_imm_theta(uint32_t n, uint32_t k, double eps, double ell, double lb)
{
    const double ln_n = log((double)n), e1 = 1 - exp(-1.0);
    const double alpha = sqrt(ell * ln_n + log(2.0));
    const double beta = sqrt(e1 * (log_choose(n, k) + ell * ln_n + log(2.0)));
    const double lambda_star = 2.0 * n * pow(e1 * alpha + beta, 2) / (eps * eps);
    return ceil(lambda_star / lb);
}

/* Second stream family, independent of the first (splitmix64 step). */
static uint64_t family(uint64_t seed, uint64_t phase)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ull * (phase + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int bz_influence_imm(const bz_influence_model *m, const bz_imm_opts *o, uint32_t k, uint32_t *seeds,
                     bz_influence_result *res, bz_error *err)
{
    int status = BZ_OK;
    rr_model r = {0};
    rr_sink sink = {0};
    bz_influence_result out = {0};
    BZ_CHECK(check_model(m, k, err));
    if (!(o->eps > 0 && o->eps < 1))
        BZ_FAIL(err, BZ_EINVAL, "influence: eps must be in (0, 1), got %g", o->eps);
    if (!(o->ell > 0) || !isfinite(o->ell))
        BZ_FAIL(err, BZ_EINVAL, "influence: ell must be > 0, got %g", o->ell);
    BZ_CHECK(rr_model_init(&r, m, err));
    const uint32_t n = r.n;
    if (o->theta > 0) {
        BZ_CHECK(check_theta(o->theta, err));
        out.theta_target = o->theta;
        out.lower_bound = 1;
        BZ_CHECK(select_phase(&r, o->theta, o->seed, o->max_entries, k, seeds, &out, err));
        if (res) *res = out;
        goto cleanup;
    }
    /* n = 1 has one answer, and log n = 0 below. */
    if (n < 2) {
        seeds[0] = 0;
        out = (bz_influence_result){.est_spread = 1, .lower_bound = 1};
        if (res) *res = out;
        goto cleanup;
    }
    const double ln_n = log((double)n), log2_n = log2((double)n);
    const double ell = o->ell * (1 + log(2.0) / ln_n);
    const double eps1 = sqrt(2.0) * o->eps;
    const double lambda1 = (2 + 2 * eps1 / 3) *
                           (log_choose(n, k) + ell * ln_n + log(log2_n > 1 ? log2_n : 1)) * n /
                           (eps1 * eps1);
    /* Sampling: x = n / 2^i; the first i whose greedy reaches (1 + eps') x
     * gives LB. */
    double lb = 1;
    sink.store = 1;
    for (int i = 1; i < log2_n; i++) {
        const double x = (double)n / ldexp(1.0, i);
        double th = ceil(lambda1 / x);
        if (th > UINT32_MAX) th = UINT32_MAX;
        BZ_CHECK(rr_draw(&r, (uint64_t)th, family(o->seed, 0), o->max_entries, &sink, err));
        uint64_t n_cov = 0;
        BZ_CHECK(cover(n, &sink, k, seeds, &n_cov, err));
        const double est = (double)n * (double)n_cov / (double)sink.theta_used;
        if (est >= (1 + eps1) * x) {
            lb = est / (1 + eps1);
            break;
        }
        /* At the cap no more sets can come: take what the sets say. */
        if (sink.capped) {
            lb = est / (1 + eps1) > 1 ? est / (1 + eps1) : 1;
            break;
        }
    }
    out.sampling_sets = sink.theta_used;
    const int sampling_capped = sink.capped;
    sink_destroy(&sink);
    double theta = bz_influence_imm_theta(n, k, o->eps, ell, lb);
    int over = theta > UINT32_MAX;
    if (over) theta = UINT32_MAX;
    /* Final phase: fresh sets (Chen 2018). */
    BZ_CHECK(
        select_phase(&r, (uint64_t)theta, family(o->seed, 1), o->max_entries, k, seeds, &out, err));
    out.theta_target = (uint64_t)theta;
    out.lower_bound = lb;
    out.capped = out.capped || over || sampling_capped;
    if (res) *res = out;
cleanup:
    sink_destroy(&sink);
    rr_model_destroy(&r);
    return status;
}

/* ---- single-layer IC ---------------------------------------------------- */

static bz_influence_model ic1(const bz_layer *l, const double *p)
{
    return (bz_influence_model){.kind = BZ_INFLUENCE_IC,
                                .n_layers = 1,
                                .layers = l,
                                .p = p,
                                .relay = 1,
                                .seed_layer = -1,
                                .seed_p = 0};
}

int bz_influence_greedy_ex(const bz_layer *l, double p, const bz_influence_opts *opts, uint32_t k,
                           uint32_t *seeds, bz_influence_result *res, bz_error *err)
{
    const bz_influence_model m = ic1(l, &p);
    return bz_influence_select(&m, opts, k, seeds, res, err);
}

int bz_influence_estimate(const bz_layer *l, double p, const bz_influence_opts *opts,
                          const uint32_t *seeds, uint32_t k, bz_influence_result *res,
                          bz_error *err)
{
    const bz_influence_model m = ic1(l, &p);
    return bz_influence_estimate_model(&m, opts, seeds, k, res, err);
}

int bz_influence_greedy(const bz_layer *l, double p, uint64_t theta, uint64_t seed, uint32_t k,
                        uint32_t *seeds, double *est_spread, bz_error *err)
{
    bz_influence_opts o = {.theta = theta, .seed = seed, .max_entries = 0};
    bz_influence_result r;
    int status = bz_influence_greedy_ex(l, p, &o, k, seeds, &r, err);
    if (status == BZ_OK && est_spread) *est_spread = r.est_spread;
    return status;
}
