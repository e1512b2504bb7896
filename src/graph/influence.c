/* Influence maximisation by reverse-reachable sets (influence.h).
 *
 * Drawing: sets are generated in waves of WAVE chunks of consecutive set
 * indices (FIRST sets per chunk in the first wave, then as many as make the
 * wave end near the entry cap at the mean set size so far, at most CHUNK);
 * each chunk is drawn by one thread into its own buffer, then the chunks are
 * consumed in index order. The chunk sizes only move work around. The entry cap cuts at an exact
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
        return bz_error_set(err, BZ_ENOMEM,
                            "influence: out of memory for the transpose of layer '%s' (%llu arcs)",
                            l->name, (unsigned long long)l->m);
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

/* One chunk's output: the agents of its sets back to back, and set sizes. */
typedef struct rr_chunk {
    uint32_t *nodes;
    uint64_t len, cap;
    uint32_t sizes[CHUNK];
    uint32_t done; /* sets drawn (the chunk may stop early at the entry cap) */
} rr_chunk;

static int chunk_push(rr_chunk *c, uint32_t x)
{
    if (c->len == c->cap) {
        uint64_t cap = c->cap ? 2 * c->cap : 4096;
        uint32_t *p = realloc(c->nodes, cap * sizeof *p);
        if (!p) return 0;
        c->nodes = p;
        c->cap = cap;
    }
    c->nodes[c->len++] = x;
    return 1;
}

/* Draw RR set i into c (appended): root uniform, then reverse BFS keeping
 * each in-arc with probability p (geometric skipping: O(1 + kept arcs) per
 * visited agent). The chunk buffer doubles as the BFS queue. stamp[] marks
 * agents visited in this set (value `epoch`). Returns 0 on out of memory. */
static int draw_set(const rr_view *v, double p, double inv_log_q, uint64_t seed, uint64_t i,
                    uint32_t *stamp, uint32_t epoch, rr_chunk *c)
{
    bz_stream s;
    bz_stream_init(&s, seed, 0, (uint32_t)(i >> 32), (uint32_t)i, BZ_INFLUENCE_RNG_PURPOSE);
    uint32_t root = (uint32_t)bz_stream_below(&s, v->n);
    uint64_t head = c->len;
    stamp[root] = epoch;
    if (!chunk_push(c, root)) return 0;
    if (!(p > 0)) return 1;
    while (head < c->len) {
        uint32_t w = c->nodes[head++];
        uint64_t deg = rr_degree(v, w);
        uint64_t j = p >= 1.0 ? 0 : bz_stream_geometric_skip(&s, inv_log_q);
        while (j < deg) {
            uint32_t x = rr_neighbour(v, w, j);
            if (stamp[x] != epoch) {
                stamp[x] = epoch;
                if (!chunk_push(c, x)) return 0;
            }
            j += 1 + (p >= 1.0 ? 0 : bz_stream_geometric_skip(&s, inv_log_q));
        }
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
} rr_sink;

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

/* Draw sets 0 .. theta-1 (or up to the entry cap) into the sink. */
static int rr_draw(const bz_layer *l, double p, const bz_influence_opts *o, rr_sink *sink,
                   bz_error *err)
{
    int status = BZ_OK;
    rr_view view;
    rr_chunk *chunks = NULL;
    BZ_CHECK(rr_view_init(&view, l, err));
    const uint64_t theta = o->theta,
                   cap = o->max_entries ? o->max_entries : BZ_INFLUENCE_MAX_ENTRIES;
    const double inv_log_q = p > 0 && p < 1 ? 1.0 / log1p(-p) : 0.0;
    if (!(chunks = calloc(WAVE, sizeof *chunks)))
        BZ_FAIL(err, BZ_ENOMEM, "influence: out of memory for RR-set buffers");
    uint64_t next = 0;    /* first set index not consumed */
    uint32_t per = FIRST; /* sets per chunk in this wave */
    int done = 0, oom = 0;
    uint64_t wave_entries = 0;
    const uint32_t n = l->n;
#pragma omp parallel if (theta > CHUNK)
    {
        uint32_t *stamp = calloc(n, sizeof *stamp);
        uint32_t epoch = 0;
        if (!stamp) {
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
                    if (++epoch == 0) { /* wrapped: forget old stamps */
                        memset(stamp, 0, (size_t)n * sizeof *stamp);
                        epoch = 1;
                    }
                    uint64_t before = ch->len;
                    if (!draw_set(&view, p, inv_log_q, o->seed, i, stamp, epoch, ch)) {
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
        free(stamp);
    }
    if (oom) BZ_FAIL(err, BZ_ENOMEM, "influence: out of memory drawing RR sets");
cleanup:
    if (chunks)
        for (uint32_t c = 0; c < WAVE; c++)
            free(chunks[c].nodes);
    free(chunks);
    rr_view_destroy(&view);
    return status;
}

static int check_args(const bz_layer *l, double p, const bz_influence_opts *o, uint32_t k,
                      bz_error *err)
{
    if (l->n == 0) return bz_error_set(err, BZ_EINVAL, "influence: layer '%s' is empty", l->name);
    if (!(p >= 0 && p <= 1))
        return bz_error_set(err, BZ_EINVAL, "influence: p must be in [0, 1], got %g", p);
    if (o->theta == 0 || o->theta > UINT32_MAX)
        return bz_error_set(err, BZ_EINVAL, "influence: theta must be in [1, %u], got %llu",
                            UINT32_MAX, (unsigned long long)o->theta);
    if (k == 0 || k > l->n)
        return bz_error_set(err, BZ_EINVAL, "influence: k must be in [1, %u], got %u", l->n, k);
    return BZ_OK;
}

int bz_influence_estimate(const bz_layer *l, double p, const bz_influence_opts *opts,
                          const uint32_t *seeds, uint32_t k, bz_influence_result *res,
                          bz_error *err)
{
    int status = BZ_OK;
    uint8_t *is_seed = NULL;
    rr_sink sink = {0};
    BZ_CHECK(check_args(l, p, opts, 1, err));
    if (k == 0) BZ_FAIL(err, BZ_EINVAL, "influence: no seeds to estimate");
    if (!(is_seed = calloc(l->n, 1))) BZ_FAIL(err, BZ_ENOMEM, "influence: out of memory");
    for (uint32_t i = 0; i < k; i++) {
        if (seeds[i] >= l->n)
            BZ_FAIL(err, BZ_EINVAL, "influence: seed %u is not an agent (n = %u)", seeds[i], l->n);
        is_seed[seeds[i]] = 1;
    }
    sink.is_seed = is_seed;
    BZ_CHECK(rr_draw(l, p, opts, &sink, err));
    res->theta_used = sink.theta_used;
    res->covered = sink.covered;
    res->entries = sink.entries;
    res->est_spread = (double)l->n * (double)sink.covered / (double)sink.theta_used;
cleanup:
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

int bz_influence_greedy_ex(const bz_layer *l, double p, const bz_influence_opts *opts, uint32_t k,
                           uint32_t *seeds, bz_influence_result *res, bz_error *err)
{
    int status = BZ_OK;
    rr_sink sink = {0};
    uint64_t *ioff = NULL;
    uint32_t *iset = NULL, *gain = NULL, *heap = NULL, *fresh = NULL;
    uint8_t *covered = NULL, *chosen = NULL;
    BZ_CHECK(check_args(l, p, opts, k, err));
    const uint32_t n = l->n;
    sink.store = 1;
    BZ_CHECK(rr_draw(l, p, opts, &sink, err));
    const uint64_t T = sink.theta_used, E = sink.entries;

    /* Agent -> sets index (sets ascending within a row), then drop the sets. */
    ioff = calloc((size_t)n + 2, sizeof *ioff);
    iset = malloc((E ? E : 1) * sizeof *iset);
    if (!ioff || !iset)
        BZ_FAIL(err, BZ_ENOMEM, "influence: out of memory for the index of %llu RR entries",
                (unsigned long long)E);
    for (uint64_t e = 0; e < E; e++)
        ioff[sink.nodes[e] + 2]++;
    for (uint32_t v = 0; v < n; v++)
        ioff[v + 2] += ioff[v + 1];
    for (uint64_t s = 0; s < T; s++)
        for (uint64_t e = sink.set_off[s]; e < sink.set_off[s + 1]; e++)
            iset[ioff[sink.nodes[e] + 1]++] = (uint32_t)s;
    free(sink.nodes);
    free(sink.set_off);
    sink.nodes = NULL;
    sink.set_off = NULL;

    gain = malloc((size_t)n * sizeof *gain);
    heap = malloc((size_t)n * sizeof *heap);
    fresh = calloc(n, sizeof *fresh);
    covered = calloc(T, 1);
    chosen = calloc(n, 1);
    if (!gain || !heap || !fresh || !covered || !chosen)
        BZ_FAIL(err, BZ_ENOMEM, "influence: out of memory for greedy coverage of %u agents", n);
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
    if (res) {
        res->theta_used = T;
        res->covered = n_cov;
        res->entries = E;
        res->est_spread = (double)n * (double)n_cov / (double)T;
    }
cleanup:
    free(sink.nodes);
    free(sink.set_off);
    free(ioff);
    free(iset);
    free(gain);
    free(heap);
    free(fresh);
    free(covered);
    free(chosen);
    return status;
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
