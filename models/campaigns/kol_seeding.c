/* KOL seeding: at a time `at`, `count` key opinion leaders chosen on a layer
 * by a strategy become active advocates (the `seed` lever), and post `posts`
 * times, evenly over [at, at + period] (post i at at + i period / (posts - 1);
 * one post is at `at`). Each post reaches each follower independently with
 * probability `reach` (the `expose` lever, channel kol) at the post's time;
 * post i of KOL u draws from campaign stream (1 + i, u). A post at or after
 * the horizon never happens.
 *
 * Strategies (ties always go to the lower agent id):
 *   random            uniform, distinct
 *   degree            largest out-degree on the layer, i.e. most followers (hubs)
 *   pagerank          highest PageRank on the layer (damping 0.85; on follower
 *                     layers rank flows to the accounts many follow)
 *   kcore             highest k-core number, then degree (the well-connected core)
 *   bridges           highest approximate betweenness (Brandes from `samples`
 *                     sources), the agents between communities (Hinz et al. 2011)
 *   community_spread  the highest-degree agents of every city in turn, largest
 *                     city first, so seeds are spread over the country
 *   greedy            influence maximisation (Kempe et al. 2003) by IMM (Tang,
 *                     Shi & Xiao 2015; graph/influence.h): `count` agents whose
 *                     spread is within (1 - 1/e - eps) of the best with
 *                     probability 1 - n^-ell, under the diffusion model's own
 *                     cascade over every layer (bz_kol_cascade_of): IC with
 *                     the model's p (independent_cascade), LT with weights
 *                     1 / in-degree (linear_threshold), IC with beta / (beta +
 *                     gamma) (sir), the funnel's equivalent cascade
 *                     (buzz_funnel, below), else IC with 1 - exp(-share_l *
 *                     ic_days) on layer l; ic_prob > 0 overrides: IC with it
 *                     on every layer. rr_sets > 0 replaces IMM's number of
 *                     RR sets. Unlike degree, greedy avoids hubs whose
 *                     audiences overlap.
 * The funnel's equivalent cascade (an approximation; docs/campaigns.md): an
 * advocate contacts each follower on layer l Poisson(share_l * life) times,
 * life = novelty (1 - exp(-(horizon - at) / novelty)) (horizon - at without
 * decay); the first contact makes it aware, then it gets interested on its
 * own (interest / (interest + forget)) or by a later contact (the layer's persuasion,
 * from the recommenders-th on), and buys (buy / (buy + forget)): that
 * product is the arc probability of layer l. A buyer passes it on only as an
 * advocate: relay = (1 - dissatisfied) advocate. A KOL's posts add an arc to
 * each follower on `layer` with (1 - (1 - reach awareness)^posts) times the
 * interest and buying chances. Interested agents' talk, forgetting between
 * contacts, the market, attributes and negative word of mouth are ignored.
 * Selection runs at start in every replicate for the deterministic
 * strategies (bridges sampling with the same sources in every replicate) and
 * for random (from the replicate's streams); greedy is a function of the
 * network, the experiment and its seed only, so it runs once per network and
 * is kept in the world's memo (engine/memo.h) for every replicate and arm on
 * it. Cost: O(n log count) plus the metric (PageRank O(m) per iteration,
 * bridges O(samples m), greedy O(m) for a directed layer's transpose plus
 * IMM's RR sets, O((count + ell)(n + m) log n / eps^2) expected, up to 12
 * bytes per stored agent, capped at 2^25: past the cap fewer sets are used,
 * and bz_kol_greedy's result says so).
 * Cost: fee per KOL (once, at `at`) plus fee_per_follower for each follower
 * reached by each post.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/campaign.h"
#include "engine/memo.h"
#include "engine/sim.h"
#include "graph/influence.h"
#include "graph/metrics.h"
#include "kol_seeding.h"
#include "util.h"

typedef struct kol_params {
    double at, reach, fee, fee_per_follower;
    int64_t count;
    int strategy;
    int64_t samples;
    char layer[BZ_NAME_MAX];
    int64_t posts;
    double period;
    double ic_prob, ic_days;
    int64_t rr_sets;
    double eps, ell;
    double persuasion;
} kol_params;

enum { KOL_RANDOM, KOL_DEGREE, KOL_PAGERANK, KOL_KCORE, KOL_BRIDGES, KOL_COMMUNITY, KOL_GREEDY };
static const char *const kol_strategies[] = {"random",  "degree",           "pagerank", "kcore",
                                             "bridges", "community_spread", "greedy",   NULL};

static const bz_param kol_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days", "when the KOLs become advocates and first post",
     offsetof(kol_params, at), NULL},
    {"count", BZ_PT_INT, 1, 4294967295.0, "10", "agents", "number of KOLs",
     offsetof(kol_params, count), NULL},
    {"strategy", BZ_PT_ENUM, 0, 0, "degree", "",
     "how KOLs are chosen: random, degree (hubs), pagerank, kcore, bridges (betweenness), "
     "community_spread (top agents of every city) or greedy (influence maximisation)",
     offsetof(kol_params, strategy), kol_strategies},
    {"samples", BZ_PT_INT, 1, 1e6, "64", "sources",
     "BFS sources of the approximate betweenness (strategy bridges): error ~ 1/sqrt(samples)",
     offsetof(kol_params, samples), NULL},
    {"layer", BZ_PT_STRING, 0, 0, "", "",
     "layer whose followers the KOLs reach (empty: the first layer)", offsetof(kol_params, layer),
     NULL},
    {"reach", BZ_PT_PROB, 0, 1, "0.2", "probability",
     "chance that a follower sees each of the KOL's posts", offsetof(kol_params, reach), NULL},
    {"fee", BZ_PT_REAL, 0, 1e15, "1000", "currency per KOL", "fee paid to each KOL",
     offsetof(kol_params, fee), NULL},
    {"fee_per_follower", BZ_PT_REAL, 0, 1e12, "0", "currency per follower reached",
     "variable fee per follower reached, per post", offsetof(kol_params, fee_per_follower), NULL},
    {"posts", BZ_PT_INT, 1, 10000, "1", "posts",
     "posts per KOL, evenly spread over [at, at + period]", offsetof(kol_params, posts), NULL},
    {"period", BZ_PT_DURATION, 0, 1e7, "0d", "days",
     "time from the first post to the last (posts > 1)", offsetof(kol_params, period), NULL},
    {"ic_prob", BZ_PT_PROB, 0, 1, "0", "probability",
     "strategy greedy: > 0 makes it maximise an independent cascade with this arc probability "
     "on every layer, whatever the diffusion model; 0: the model's own cascade (see "
     "docs/campaigns.md), or for models without one (bass) 1 - exp(-share * ic_days) per layer",
     offsetof(kol_params, ic_prob), NULL},
    {"ic_days", BZ_PT_REAL, 0, 1e6, "7", "days",
     "how long an advocate shares, to derive the cascade's arc probability of models without "
     "a cascade (bass) when ic_prob is 0",
     offsetof(kol_params, ic_days), NULL},
    {"eps", BZ_PT_REAL, 0, 1, "0.1", "fraction",
     "strategy greedy: IMM's slack, in (0, 1): the KOLs' spread is within (1 - 1/e - eps) of "
     "the best possible with probability 1 - n^-ell; the RR sets grow as 1/eps^2 (0.1: about a "
     "second on 60,000 agents, 11 s on a million; 0.5 is faster and a little worse)",
     offsetof(kol_params, eps), NULL},
    {"ell", BZ_PT_REAL, 0, 1e3, "1", "exponent",
     "strategy greedy: IMM's confidence, > 0: the guarantee fails with probability at most "
     "n^-ell",
     offsetof(kol_params, ell), NULL},
    {"persuasion", BZ_PT_PROB, 0, 1, "0", "probability",
     "chance that one KOL post makes a follower who already knows the product interested (a "
     "trusted voice persuades; 0: posts only inform)",
     offsetof(kol_params, persuasion), NULL},
    {"rr_sets", BZ_PT_INT, 0, 4294967295.0, "0", "sets",
     "strategy greedy: 0 lets IMM choose how many reverse-reachable sets to draw; > 0 draws "
     "exactly this many instead (spread estimates then have relative error ~ sqrt(n / (rr_sets "
     "* spread)), and no guarantee)",
     offsetof(kol_params, rr_sets), NULL},
};

typedef struct kol_state {
    int layer;
    uint32_t *kols; /* [count] */
} kol_state;

double bz_kol_ic_prob(const bz_experiment *x, int li, const void *params)
{
    const kol_params *p = params;
    if (p->ic_prob > 0) return p->ic_prob;
    return -expm1(-x->layers[li].share * p->ic_days);
}

/* Parameter `name` of the diffusion model (a double, or an int as double);
 * def when the model has none. */
static double model_param(const bz_experiment *x, const char *name, double def)
{
    const bz_param *q = bz_params_find(x->model->params, x->model->n_params, name);
    if (!q || !x->model_params) return def;
    const char *at = (const char *)x->model_params + q->offset;
    if (q->type == BZ_PT_INT) return (double)*(const int64_t *)at;
    if (q->type == BZ_PT_ENUM || q->type == BZ_PT_BOOL) return (double)*(const int *)at;
    return *(const double *)at;
}

/* The funnel's chance that a follower contacted Poisson(lam) times by one
 * advocate becomes interested: its first contact makes it aware; from then
 * on it gets interested on its own with probability a = interest / (interest
 * + forget) before forgetting, and each contact from the `recommenders`-th
 * on (counting the first) interests it with probability r. So P = P(N >= 1)
 * - (1 - a) E[(1 - r)^max(0, N - max(1, R - 1)); N >= 1], summed over the
 * Poisson terms. */
static double funnel_interest(double lam, double a, double r, double R)
{
    const double skip = R - 1 > 1 ? R - 1 : 1;
    double term = exp(-lam), none = 0; /* term = P(N = j) */
    const int top = (int)(lam + 20 * sqrt(lam) + 60);
    for (int j = 1; j <= top; j++) {
        term *= lam / j;
        const double trials = j - skip > 0 ? j - skip : 0;
        none += term * pow(1 - r, trials);
    }
    return -expm1(-lam) - (1 - a) * none;
}

int bz_kol_cascade_of(const bz_experiment *x, const void *params, bz_kol_cascade *c)
{
    const kol_params *p = params;
    memset(c, 0, sizeof *c);
    c->kind = BZ_INFLUENCE_IC;
    c->relay = 1;
    c->seed_layer = -1;
    const size_t L = x->n_layers < BZ_MAX_LAYERS ? x->n_layers : BZ_MAX_LAYERS;
    const char *model = x->model->name;
    if (p->ic_prob > 0) {
        for (size_t l = 0; l < L; l++)
            c->p[l] = p->ic_prob;
        return BZ_KOL_CASCADE_OVERRIDE;
    }
    if (strcmp(model, "independent_cascade") == 0) {
        for (size_t l = 0; l < L; l++)
            c->p[l] = model_param(x, "p", 0);
        return BZ_KOL_CASCADE_IC;
    }
    if (strcmp(model, "linear_threshold") == 0) {
        c->kind = BZ_INFLUENCE_LT;
        for (size_t l = 0; l < L; l++)
            c->p[l] = 1;
        return BZ_KOL_CASCADE_LT;
    }
    if (strcmp(model, "sir") == 0) {
        const double beta = model_param(x, "beta", 0), gamma = model_param(x, "gamma", 0);
        for (size_t l = 0; l < L; l++)
            c->p[l] = beta + gamma > 0 ? beta / (beta + gamma) : 0;
        return BZ_KOL_CASCADE_SIR;
    }
    if (strcmp(model, "buzz_funnel") == 0) {
        const double forget = model_param(x, "forget", 0), interest = model_param(x, "interest", 0),
                     buy = model_param(x, "buy", 0), novelty = model_param(x, "novelty", 0);
        const double a = interest + forget > 0 ? interest / (interest + forget) : 0;
        const double b = buy + forget > 0 ? buy / (buy + forget) : 0;
        const double R = model_param(x, "recommenders", 1);
        /* An advocate talks from `at` on, decaying with novelty, until the
         * horizon: expected contacts per tie share * life. */
        const double left = x->horizon - p->at > 0 ? x->horizon - p->at : 0;
        const double life = novelty > 0 ? novelty * -expm1(-left / novelty) : left;
        for (size_t l = 0; l < L; l++)
            c->p[l] = funnel_interest(x->layers[l].share * life, a, x->layers[l].persuasion, R) * b;
        c->relay = (1 - model_param(x, "dissatisfied", 0)) * model_param(x, "advocate", 0);
        if (!(c->relay > 0)) c->relay = 1e-12; /* nobody passes it on: the seeds' reach only */
        int li = -1;
        for (size_t l = 0; l < L; l++)
            if (p->layer[0] ? strcmp(x->layers[l].name, p->layer) == 0 : l == 0) li = (int)l;
        if (li >= 0) {
            /* A KOL's posts: each reaches a follower with `reach` and makes
             * it aware with `awareness`; then it must get interested on its
             * own and buy. */
            const double seen =
                -expm1((double)p->posts * log1p(-p->reach * model_param(x, "awareness", 0)));
            c->seed_layer = li;
            c->seed_p = seen * a * b;
        }
        return BZ_KOL_CASCADE_FUNNEL;
    }
    for (size_t l = 0; l < L; l++)
        c->p[l] = bz_kol_ic_prob(x, (int)l, p);
    return BZ_KOL_CASCADE_SHARE;
}

static int kol_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const kol_params *p = params;
    int li = bz_campaign_layer(x, p->layer, "layer", err);
    if (li < 0) return BZ_EINVAL;
    if (x->agents > 0 && (uint64_t)p->count > x->agents)
        return bz_error_set_param(err, BZ_EINVAL, "count", "%lld KOLs but only %u agents",
                                  (long long)p->count, x->agents);
    if (p->strategy != KOL_GREEDY) return BZ_OK;
    if (!(p->eps > 0 && p->eps < 1))
        return bz_error_set_param(err, BZ_EINVAL, "eps", "IMM's slack must be in (0, 1), got %g",
                                  p->eps);
    if (!(p->ell > 0))
        return bz_error_set_param(err, BZ_EINVAL, "ell",
                                  "IMM's confidence exponent must be > 0, got %g", p->ell);
    bz_kol_cascade c;
    if (bz_kol_cascade_of(x, p, &c) == BZ_KOL_CASCADE_SHARE) {
        int any = 0;
        for (size_t l = 0; l < x->n_layers && l < BZ_MAX_LAYERS; l++)
            any |= c.p[l] > 0;
        if (!any)
            return bz_error_set_param(err, BZ_EINVAL, "ic_prob",
                                      "0 and no layer shares (share 0 over ic_days %g): the "
                                      "cascade would never spread; set ic_prob or a sharing rate",
                                      p->ic_days);
    }
    return BZ_OK;
}

/* Indices of the k largest scores among `ids` (all agents 0..n-1 when ids
 * is NULL), ties to the lower id, best first: a bounded min-heap, O(n log k). */
static uint32_t top_score(const double *score, const uint32_t *ids, uint64_t n, uint32_t k,
                          uint32_t *out)
{
    uint32_t size = 0;
    if (k == 0) return 0;
#define KOL_LESS(a, b) (score[a] < score[b] || (score[a] == score[b] && (a) > (b)))
    for (uint64_t i = 0; i < n; i++) {
        uint32_t v = ids ? ids[i] : (uint32_t)i;
        if (size < k) {
            uint32_t j = size++;
            out[j] = v;
            while (j > 0 && KOL_LESS(out[j], out[(j - 1) / 2])) {
                uint32_t q = (j - 1) / 2, t = out[j];
                out[j] = out[q];
                out[q] = t;
                j = q;
            }
        } else if (KOL_LESS(out[0], v)) {
            out[0] = v;
            uint32_t j = 0;
            for (;;) {
                uint32_t a = 2 * j + 1, b = a + 1, m = j;
                if (a < size && KOL_LESS(out[a], out[m])) m = a;
                if (b < size && KOL_LESS(out[b], out[m])) m = b;
                if (m == j) break;
                uint32_t t = out[j];
                out[j] = out[m];
                out[m] = t;
                j = m;
            }
        }
    }
    /* Heap order -> best first (insertion sort; k is small). */
    for (uint32_t i = 1; i < size; i++) {
        uint32_t v = out[i], j = i;
        for (; j > 0 && KOL_LESS(out[j - 1], v); j--)
            out[j] = out[j - 1];
        out[j] = v;
    }
#undef KOL_LESS
    return size;
}

/* Score of every agent for the strategy (higher is better). */
static int kol_scores(const bz_layer *l, const kol_params *p, uint64_t seed, double *score,
                      bz_error *err)
{
    const uint32_t n = l->n;
    int status = BZ_OK;
    uint32_t *core = NULL;
    switch (p->strategy) {
    case KOL_PAGERANK:
        return bz_metrics_pagerank(l, 0.85, 1e-10, 200, score, NULL, err);
    case KOL_BRIDGES:
        return bz_metrics_betweenness_approx(l, (uint32_t)p->samples, seed, score, err);
    case KOL_KCORE: {
        uint32_t max_core;
        uint64_t maxd = 0;
        if (!(core = malloc((size_t)n * sizeof *core + 1)))
            return bz_error_oom(err, NULL, (size_t)n * sizeof *core + 1, "the k-cores of %u agents",
                                n);
        BZ_CHECK(bz_metrics_kcore(l, core, &max_core, err));
        for (uint32_t v = 0; v < n; v++)
            if (bz_layer_degree(l, v) > maxd) maxd = bz_layer_degree(l, v);
        for (uint32_t v = 0; v < n; v++)
            score[v] = (double)core[v] * (double)(maxd + 1) + (double)bz_layer_degree(l, v);
        break;
    }
    default: /* degree, community_spread */
        for (uint32_t v = 0; v < n; v++)
            score[v] = (double)bz_layer_degree(l, v);
    }
cleanup:
    free(core);
    return status;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* community_spread: the best agents of each city in turn, largest city
 * first (ties to the lower city index; a city table need not be sorted),
 * until k are chosen. */
static int spread_over_cities(const bz_population *pop, const double *score, uint32_t k,
                              uint32_t *out, bz_error *err)
{
    const uint32_t C = pop->n_cities, per = (k + C - 1) / C;
    uint32_t *best = malloc((size_t)C * per * sizeof *best), *got = calloc(C, sizeof *got);
    uint64_t *order = malloc((size_t)C * sizeof *order);
    if (!best || !got || !order) {
        free(best);
        free(got);
        free(order);
        return bz_error_oom(
            err, NULL, (size_t)C * per * sizeof *best + (size_t)C * (sizeof *got + sizeof *order),
            "choosing KOLs over %u cities", C);
    }
    /* Key (UINT32_MAX - size) << 32 | city sorts by size down, index up. */
    for (uint32_t c = 0; c < C; c++) {
        uint64_t size = pop->city_offsets[c + 1] - pop->city_offsets[c];
        order[c] = (UINT32_MAX - size) << 32 | c;
        got[c] = top_score(score, pop->city_members + pop->city_offsets[c], size, per,
                           best + (size_t)c * per);
    }
    qsort(order, C, sizeof *order, cmp_u64);
    uint32_t m = 0;
    for (uint32_t round = 0; round < per && m < k; round++)
        for (uint32_t i = 0; i < C && m < k; i++) {
            uint32_t c = (uint32_t)order[i];
            if (round < got[c]) out[m++] = best[(size_t)c * per + round];
        }
    free(order);
    int status = BZ_OK;
    if (m < k) {
        /* Small cities ran out: fill with the best agents overall not yet
         * chosen (the global top k holds at least k - m of them). */
        uint8_t *chosen = calloc(pop->n, 1);
        uint32_t *top = malloc((size_t)k * sizeof *top);
        if (!chosen || !top) {
            status = bz_error_oom(err, NULL, pop->n + (size_t)k * sizeof *top,
                                  "choosing %u KOLs among %u agents", k, pop->n);
        } else {
            for (uint32_t i = 0; i < m; i++)
                chosen[out[i]] = 1;
            top_score(score, NULL, pop->n, k, top);
            for (uint32_t i = 0; i < k && m < k; i++)
                if (!chosen[top[i]]) out[m++] = top[i];
        }
        free(chosen);
        free(top);
    }
    free(best);
    free(got);
    return status;
}

/* Key of the greedy strategy's RR-set streams: a function of the
 * experiment's seed only (the selection is one per network, shared by its
 * replicates and arms), mixed by the splitmix64 finaliser. */
static uint64_t greedy_key(uint64_t seed)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ull * 0x4B4F4Cull; /* "KOL" */
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int bz_kol_greedy(const bz_experiment *x, const bz_network *net, const void *params, uint64_t seed,
                  uint32_t *out, bz_influence_result *res, bz_error *err)
{
    const kol_params *p = params;
    bz_kol_cascade c;
    bz_kol_cascade_of(x, p, &c);
    if ((uint64_t)p->count > net->n)
        return bz_error_set_param(err, BZ_EINVAL, "count", "%lld KOLs but only %u agents",
                                  (long long)p->count, net->n);
    const bz_influence_model m = {.kind = c.kind,
                                  .n_layers =
                                      net->n_layers < BZ_MAX_LAYERS ? net->n_layers : BZ_MAX_LAYERS,
                                  .layers = net->layers,
                                  .p = c.p,
                                  .relay = c.relay,
                                  .seed_layer = c.seed_layer,
                                  .seed_p = c.seed_p};
    const bz_imm_opts o = {.eps = p->eps,
                           .ell = p->ell,
                           .seed = greedy_key(seed),
                           .max_entries = 0,
                           .theta = (uint64_t)p->rr_sets};
    int status = bz_influence_imm(&m, &o, (uint32_t)p->count, out, res, err);
    if (status != BZ_OK) bz_error_prefix(err, "kol_seeding greedy: ");
    return status;
}

int bz_kol_select(const bz_experiment *x, const bz_network *net, const bz_population *pop,
                  const void *params, uint64_t seed, uint32_t replicate, uint32_t index,
                  uint32_t *out, bz_error *err)
{
    const kol_params *p = params;
    const uint32_t n = net->n;
    int li = bz_campaign_layer(x, p->layer, "layer", err);
    if (li < 0) return BZ_EINVAL;
    if ((uint64_t)p->count > n)
        return bz_error_set_param(err, BZ_EINVAL, "count", "%lld KOLs but only %u agents",
                                  (long long)p->count, n);
    const uint32_t k = (uint32_t)p->count;
    const bz_layer *l = &net->layers[li];
    if (p->strategy == KOL_RANDOM) {
        bz_stream s;
        bz_stream_init(&s, seed, replicate, 0, UINT32_MAX, BZ_RNG_CAMPAIGN + index);
        return bz_sim_random_agents(n, k, &s, out, err);
    }
    if (p->strategy == KOL_GREEDY) return bz_kol_greedy(x, net, p, seed, out, NULL, err);
    double *score = malloc((size_t)n * sizeof *score + 1);
    if (!score)
        return bz_error_oom(err, NULL, (size_t)n * sizeof *score + 1, "the KOL scores of %u agents",
                            n);
    int status = kol_scores(l, p, seed ^ index, score, err);
    if (status == BZ_OK) {
        if (p->strategy == KOL_COMMUNITY)
            status = spread_over_cities(pop, score, k, out, err);
        else
            top_score(score, NULL, n, k, out);
    }
    free(score);
    return status;
}

/* The memo's value of a greedy selection: the influence result and the
 * KOLs. */
typedef struct kol_greedy_value {
    bz_influence_result res;
    uint32_t kols[];
} kol_greedy_value;

typedef struct greedy_ctx {
    const bz_experiment *x;
    const bz_network *net;
    const kol_params *p;
    uint64_t seed;
} greedy_ctx;

static int greedy_make(void *ctx, void **value, bz_error *err)
{
    const greedy_ctx *c = ctx;
    kol_greedy_value *v = malloc(sizeof *v + (size_t)c->p->count * sizeof v->kols[0]);
    if (!v)
        return bz_error_oom(err, NULL, sizeof *v + (size_t)c->p->count * sizeof v->kols[0],
                            "%lld KOLs", (long long)c->p->count);
    int status = bz_kol_greedy(c->x, c->net, c->p, c->seed, v->kols, &v->res, err);
    if (status != BZ_OK) {
        free(v);
        return status;
    }
    *value = v;
    return BZ_OK;
}

/* Time of post i: evenly over [at, at + period]. */
static double post_time(const kol_params *p, int64_t i)
{
    return p->posts <= 1 ? p->at : p->at + (double)i * p->period / (double)(p->posts - 1);
}

static int kol_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    bz_sim_set_persuasion(sim, BZ_CH_KOL, ((const kol_params *)run->params)->persuasion);
    const kol_params *p = run->params;
    kol_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_oom(err, run->type->name, sizeof *st, "the campaign's state");
    run->state = st;
    st->layer = bz_campaign_layer(sim->x, p->layer, "layer", err);
    if (st->layer < 0) return BZ_EINVAL;
    if ((uint64_t)p->count > sim->n)
        return bz_error_set_param(err, BZ_EINVAL, "count", "%lld KOLs but only %u agents",
                                  (long long)p->count, sim->n);
    st->kols = malloc((size_t)p->count * sizeof *st->kols);
    if (!st->kols)
        return bz_error_oom(err, NULL, (size_t)p->count * sizeof *st->kols, "%lld KOLs",
                            (long long)p->count);
    /* Tag 0 seeds the KOLs, tag 1 + i is post i; at the same instant the
     * seeding comes first (events are ordered by tag). */
    bz_sim_schedule_campaign(sim, run, p->at, 0);
    for (int64_t i = 0; i < p->posts; i++)
        bz_sim_schedule_campaign(sim, run, post_time(p, i), 1u + (uint32_t)i);
    if (p->strategy == KOL_GREEDY && sim->memo) {
        /* One selection per network: every replicate and arm on it reads the
         * same (the key holds everything it depends on besides the world). */
        struct {
            char tag[16];
            kol_params p;
        } key;
        memset(&key, 0, sizeof key);
        memcpy(key.tag, "kol_seeding", 12);
        key.p = *p;
        greedy_ctx ctx = {sim->x, sim->net, p, sim->seed};
        void *v = NULL;
        int status = bz_memo_get(sim->memo, &key, sizeof key, greedy_make, &ctx, free, &v, err);
        if (status != BZ_OK) return status;
        memcpy(st->kols, ((const kol_greedy_value *)v)->kols, (size_t)p->count * sizeof *st->kols);
        return BZ_OK;
    }
    return bz_kol_select(sim->x, sim->net, sim->pop, p, sim->seed, sim->replicate, run->index,
                         st->kols, err);
}

static void kol_act(bz_sim *sim, bz_campaign_run *run, uint32_t tag)
{
    const kol_params *p = run->params;
    kol_state *st = run->state;
    if (tag == 0) {
        for (int64_t i = 0; i < p->count; i++)
            bz_sim_seed(sim, st->kols[i], BZ_CH_KOL);
        run->cost += p->fee * (double)p->count;
        return;
    }
    uint64_t reached = 0;
    for (int64_t i = 0; i < p->count; i++) {
        bz_stream s;
        bz_sim_campaign_stream(sim, run, &s, tag, st->kols[i]);
        reached += bz_sim_reach(sim, (size_t)st->layer, st->kols[i], p->reach, BZ_CH_KOL, &s);
    }
    run->cost += p->fee_per_follower * (double)reached;
}

static void kol_finish(bz_campaign_run *run)
{
    kol_state *st = run->state;
    if (!st) return;
    free(st->kols);
    free(st);
    run->state = NULL;
}

/* Persuasion only when given. */
static const bz_lever_cond kol_lever_conds[] = {{BZ_LEVER_PERSUADE, "persuasion", 0}};

const bz_campaign_type bz_campaign_kol_seeding = {
    .name = "kol_seeding",
    .summary = "KOLs chosen by a strategy become advocates and post to their followers",
    .params = kol_param_table,
    .n_params = BZ_PARAMS_COUNT(kol_param_table),
    .params_size = sizeof(kol_params),
    .levers = BZ_LEVER_SEED | BZ_LEVER_EXPOSE | BZ_LEVER_PERSUADE,
    .lever_conds = kol_lever_conds,
    .n_lever_conds = BZ_PARAMS_COUNT(kol_lever_conds),
    .check = kol_check,
    .start = kol_start,
    .act = kol_act,
    .finish = kol_finish,
};
