/* Ambassador: a local celebrity (Xiaomi's launches in India and Brazil with
 * a local face). At `at`, `count` agents living in the chosen `cities`
 * become the product's ambassadors: the most-followed residents on `layer`
 * (strategy degree: largest out-degree, ties to the lower agent id) or
 * residents drawn uniformly (strategy random, campaign stream (0,
 * UINT32_MAX - k) for the k-th city drawn from, or (0, UINT32_MAX) for the
 * whole set); with `per_city`, `count` of them in each chosen city. A set
 * with fewer residents than asked for gives them all. With `seed` they
 * become active advocates (the `seed` lever: a gift, as KOLs are given the
 * product).
 *
 * Posts. Each ambassador posts `posts` times, evenly over [at, at +
 * period] (post i at at + i period / (posts - 1); one post is at `at`), as
 * kol_seeding does. A post reaches each follower who lives in one of the
 * chosen cities independently with probability `reach` (the `expose`
 * lever, channel kol), and no follower elsewhere: a local celebrity is
 * followed abroad too, but speaks to the local market (local language,
 * local price, local launch). Post i of ambassador u draws from campaign
 * stream (1 + i, u), skipping geometrically through all its followers and
 * exposing those that are local. A post at or after the horizon never
 * happens.
 *
 * Cost: fee per ambassador (once, at `at`) plus fee_per_follower for each
 * local follower reached by each post:
 *   cost = fee x ambassadors + fee_per_follower x (kol exposures it made).
 * Complexity: O(m log m) once for m residents of the chosen cities (degree
 * ranking), O(followers) per post and ambassador; n_cities bytes of marks.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/campaign.h"
#include "engine/sim.h"
#include "util.h"

typedef struct amb_params {
    double at;
    bz_cityset cities;
    int64_t count;
    int per_city;
    int strategy;
    char layer[BZ_NAME_MAX];
    double reach;
    int seed;
    double fee, fee_per_follower;
    int64_t posts;
    double period;
} amb_params;

enum { AMB_DEGREE, AMB_RANDOM };
static const char *const amb_strategies[] = {"degree", "random", NULL};

static const bz_param amb_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days",
     "when the ambassadors are signed (become advocates) and first post", offsetof(amb_params, at),
     NULL},
    {"cities", BZ_PT_CITIES, 0, 0, "1", "cities",
     "the local market: all, {top: N} (the N largest cities) or a list of city indices; "
     "ambassadors live there and their posts reach only followers there (default: the largest "
     "city)",
     offsetof(amb_params, cities), NULL},
    {"count", BZ_PT_INT, 1, 1e6, "1", "agents",
     "number of ambassadors (in each chosen city with per_city)", offsetof(amb_params, count),
     NULL},
    {"per_city", BZ_PT_BOOL, 0, 0, "false", "",
     "count ambassadors in every chosen city (one face per market) instead of count in all",
     offsetof(amb_params, per_city), NULL},
    {"strategy", BZ_PT_ENUM, 0, 0, "degree", "",
     "how ambassadors are chosen among the residents: degree (the most followed on layer) or "
     "random",
     offsetof(amb_params, strategy), amb_strategies},
    {"layer", BZ_PT_STRING, 0, 0, "", "",
     "layer whose followers the ambassadors reach (empty: the first layer)",
     offsetof(amb_params, layer), NULL},
    {"reach", BZ_PT_PROB, 0, 1, "0.2", "probability",
     "chance that a local follower sees each of the ambassador's posts",
     offsetof(amb_params, reach), NULL},
    {"seed", BZ_PT_BOOL, 0, 0, "true", "",
     "the ambassadors become active advocates at `at` (given the product, counted as gifts)",
     offsetof(amb_params, seed), NULL},
    {"fee", BZ_PT_REAL, 0, 1e15, "5000", "currency per ambassador",
     "fee paid to each ambassador (a local celebrity: 5 KOL fees at kol_seeding's default)",
     offsetof(amb_params, fee), NULL},
    {"fee_per_follower", BZ_PT_REAL, 0, 1e12, "0", "currency per follower reached",
     "variable fee per local follower reached, per post", offsetof(amb_params, fee_per_follower),
     NULL},
    {"posts", BZ_PT_INT, 1, 10000, "1", "posts",
     "posts per ambassador, evenly spread over [at, at + period]", offsetof(amb_params, posts),
     NULL},
    {"period", BZ_PT_DURATION, 0, 1e7, "0d", "days",
     "time from the first post to the last (posts > 1)", offsetof(amb_params, period), NULL},
};

typedef struct amb_state {
    int layer;
    uint8_t *local; /* [n_cities] 1 = a chosen city */
    uint32_t n_amb;
    uint32_t *amb; /* [n_amb] ambassadors, best first */
} amb_state;

static int amb_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const amb_params *p = params;
    if (bz_campaign_layer(x, p->layer, "layer", err) < 0) return BZ_EINVAL;
    if (x->agents > 0 && (uint64_t)p->count > x->agents)
        return bz_error_set_param(err, BZ_EINVAL, "count", "%lld ambassadors but only %u agents",
                                  (long long)p->count, x->agents);
    return BZ_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Append to st->amb up to k of the m agents ids[] (a city's residents, or
 * the residents of all chosen cities): by degree, or drawn uniformly from
 * stream (0, sub). keys: m scratch words. */
static int choose(bz_sim *sim, const bz_campaign_run *run, amb_state *st, const uint32_t *ids,
                  uint64_t m, uint32_t k, uint32_t sub, uint64_t *keys, bz_error *err)
{
    const amb_params *p = run->params;
    if (k > m) k = (uint32_t)m;
    if (k == 0) return BZ_OK;
    if (p->strategy == AMB_RANDOM) {
        bz_stream s;
        uint32_t *pick = st->amb + st->n_amb;
        bz_sim_campaign_stream(sim, run, &s, 0, sub);
        int status = bz_sim_random_agents((uint32_t)m, k, &s, pick, err);
        if (status != BZ_OK) return status;
        for (uint32_t i = 0; i < k; i++)
            pick[i] = ids[pick[i]];
        st->n_amb += k;
        return BZ_OK;
    }
    /* Key (UINT32_MAX - degree) << 32 | id sorts by degree down, id up. */
    const bz_layer *l = &sim->net->layers[st->layer];
    for (uint64_t i = 0; i < m; i++) {
        uint64_t d = bz_layer_degree(l, ids[i]);
        keys[i] = (UINT32_MAX - (d < UINT32_MAX ? d : UINT32_MAX)) << 32 | ids[i];
    }
    qsort(keys, m, sizeof *keys, cmp_u64);
    for (uint32_t i = 0; i < k; i++)
        st->amb[st->n_amb++] = (uint32_t)keys[i];
    return BZ_OK;
}

/* Time of post i: evenly over [at, at + period]. */
static double post_time(const amb_params *p, int64_t i)
{
    return p->posts <= 1 ? p->at : p->at + (double)i * p->period / (double)(p->posts - 1);
}

static int amb_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const amb_params *p = run->params;
    const bz_population *pop = sim->pop;
    const uint32_t C = pop->n_cities;
    int status = BZ_OK;
    uint64_t *keys = NULL;
    uint32_t *ids = NULL;
    amb_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_oom(err, run->type->name, sizeof *st, "the campaign's state");
    run->state = st;
    if ((st->layer = bz_campaign_layer(sim->x, p->layer, "layer", err)) < 0) return BZ_EINVAL;
    if (!(st->local = malloc(C ? C : 1)))
        return bz_error_oom(err, NULL, C ? C : 1, "the marks of %u cities", C);
    BZ_CHECK(bz_cityset_mark(&p->cities, C, st->local, err));
    uint64_t m = 0;
    uint32_t n_local = 0;
    for (uint32_t c = 0; c < C; c++) {
        if (!st->local[c]) continue;
        const uint64_t size = pop->city_offsets[c + 1] - pop->city_offsets[c];
        m += size;
        n_local++;
    }
    const uint64_t want = p->per_city ? (uint64_t)p->count * n_local : (uint64_t)p->count;
    const uint64_t cap = want < m ? want : m;
    st->amb = malloc((size_t)(cap ? cap : 1) * sizeof *st->amb);
    keys = malloc((size_t)(m ? m : 1) * sizeof *keys);
    if (!st->amb || !keys)
        BZ_FAIL_OOM(err, NULL,
                    (size_t)(cap ? cap : 1) * sizeof *st->amb + (size_t)(m ? m : 1) * sizeof *keys,
                    "choosing ambassadors among %llu residents", (unsigned long long)m);
    if (p->per_city) {
        for (uint32_t c = 0, k = 0; c < C; c++) {
            if (!st->local[c]) continue;
            const uint64_t off = pop->city_offsets[c], size = pop->city_offsets[c + 1] - off;
            BZ_CHECK(choose(sim, run, st, pop->city_members + off, size, (uint32_t)p->count,
                            UINT32_MAX - 1 - k++, keys, err));
        }
    } else {
        /* The residents of every chosen city, city by city. */
        if (!(ids = malloc((size_t)(m ? m : 1) * sizeof *ids)))
            BZ_FAIL_OOM(err, NULL, (size_t)(m ? m : 1) * sizeof *ids, "%llu residents",
                        (unsigned long long)m);
        uint64_t j = 0;
        for (uint32_t c = 0; c < C; c++)
            for (uint64_t i = pop->city_offsets[c]; st->local[c] && i < pop->city_offsets[c + 1];
                 i++)
                ids[j++] = pop->city_members[i];
        BZ_CHECK(choose(sim, run, st, ids, m, (uint32_t)p->count, UINT32_MAX, keys, err));
    }
    /* Tag 0 signs the ambassadors, tag 1 + i is post i; at the same instant
     * the signing comes first (events are ordered by tag). */
    bz_sim_schedule_campaign(sim, run, p->at, 0);
    for (int64_t i = 0; i < p->posts; i++)
        bz_sim_schedule_campaign(sim, run, post_time(p, i), 1u + (uint32_t)i);
cleanup:
    free(keys);
    free(ids);
    return status;
}

/* One post of ambassador u (stream s): every follower with probability
 * reach, exposed only if local. Returns the exposures made. */
static uint64_t post(bz_sim *sim, const amb_state *st, uint32_t u, double p, bz_stream *s)
{
    const bz_layer *l = &sim->net->layers[st->layer];
    const uint64_t deg = bz_layer_degree(l, u);
    if (deg == 0 || !(p > 0)) return 0;
    const double inv_lq = p < 1 ? 1.0 / log1p(-p) : 0;
    uint64_t c = 0;
    for (uint64_t j = p < 1 ? bz_stream_geometric_skip(s, inv_lq) : 0; j < deg;
         j += 1 + (p < 1 ? bz_stream_geometric_skip(s, inv_lq) : 0)) {
        const uint32_t v = bz_sim_neighbour(l, u, j);
        if (!st->local[sim->pop->city[v]]) continue;
        bz_sim_expose(sim, v, BZ_CH_KOL, 0);
        c++;
    }
    return c;
}

static void amb_act(bz_sim *sim, bz_campaign_run *run, uint32_t tag)
{
    const amb_params *p = run->params;
    amb_state *st = run->state;
    if (tag == 0) {
        for (uint32_t i = 0; p->seed && i < st->n_amb; i++)
            bz_sim_seed(sim, st->amb[i], BZ_CH_KOL);
        run->cost += p->fee * (double)st->n_amb;
        return;
    }
    uint64_t reached = 0;
    for (uint32_t i = 0; i < st->n_amb; i++) {
        bz_stream s;
        bz_sim_campaign_stream(sim, run, &s, tag, st->amb[i]);
        reached += post(sim, st, st->amb[i], p->reach, &s);
    }
    run->cost += p->fee_per_follower * (double)reached;
}

static void amb_finish(bz_campaign_run *run)
{
    amb_state *st = run->state;
    if (!st) return;
    free(st->local);
    free(st->amb);
    free(st);
    run->state = NULL;
}

/* Gifts only with seed. */
static const bz_lever_cond amb_lever_conds[] = {{BZ_LEVER_SEED, "seed", 0}};

const bz_campaign_type bz_campaign_ambassador = {
    .name = "ambassador",
    .summary = "local celebrities of chosen cities post to their followers there only",
    .params = amb_param_table,
    .n_params = BZ_PARAMS_COUNT(amb_param_table),
    .params_size = sizeof(amb_params),
    .check = amb_check,
    .levers = BZ_LEVER_EXPOSE | BZ_LEVER_SEED,
    .lever_conds = amb_lever_conds,
    .n_lever_conds = BZ_PARAMS_COUNT(amb_lever_conds),
    .start = amb_start,
    .act = amb_act,
    .finish = amb_finish,
};
