/* Partnership: a partner brings its own audience (an exclusive launch on a
 * partner network, a delivery partner's customers: Xiaomi launched on QQ
 * Zone's geeky audience), for [at, at + period) (period 0: until the
 * horizon).
 *
 * Audience. Drawn once per replicate in start(): of the agents of the
 * chosen `cities` (the eligible ones), round(share x eligible) (at least
 * one), either uniformly at random (attribute none: Floyd's algorithm on
 * campaign stream (AUDIENCE, 0)) or those with the highest value of a
 * population attribute (activity: the most talkative; susceptibility: the
 * most easily interested; willingness: who would pay the most), ties broken
 * by a key from campaign stream (AUDIENCE, v). The same audience in every
 * arm that has the campaign at the same position.
 *
 * Exposure. Every audience member is exposed as a Poisson process of rate
 * `reach` per day over the period (repeated exposures, not one burst),
 * channel partnership; each exposure is engaging (BZ_EXPOSE_ENGAGE: the
 * partner's audience is pre-qualified, buzz_funnel makes the agent
 * interested at once) with probability `engage`, else a plain exposure.
 * Generated one day-long chunk at a time: chunk k from campaign stream
 * (k, block of 65,536 members), geometric skipping to the exposed members:
 * O(exposures + blocks) per day, the same for any time.step.
 *
 * Exclusivity. With exclusive > 0 the market's access window (engine/
 * market.h) lets only the audience buy during [at, at + exclusive); everyone
 * else waits for general availability and arrives within a day of its end.
 *
 * Cost: fee (once: the partnership starts before the horizon) +
 * revenue_share x the revenue of the purchases made by audience members
 * during the period (the purchase callback; the price of a purchase is the
 * market's price at its instant, the one paid). Kept as fee + share x sum,
 * so the identity is exact. O(1) per purchase.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/campaign.h"
#include "engine/sim.h"
#include "util.h"

typedef struct partner_params {
    double at, period, share;
    bz_cityset cities;
    int attribute;
    double reach, engage, exclusive, fee, revenue_share, persuasion;
} partner_params;

/* attribute choices: none, then BZ_ATTR_* + 1 of the selectable ones. */
static const char *const partner_attributes[] = {"none", "activity", "susceptibility",
                                                 "willingness", NULL};

static const bz_param partner_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days", "start of the partnership",
     offsetof(partner_params, at), NULL},
    {"period", BZ_PT_DURATION, 0, 1e7, "14d", "days",
     "length of the partnership (0: until the horizon); exposures and the revenue share run over "
     "it (a two-week co-marketing push)",
     offsetof(partner_params, period), NULL},
    {"share", BZ_PT_PROB, 0, 1, "0.1", "fraction in (0, 1]",
     "size of the partner's audience as a share of the agents of the chosen cities",
     offsetof(partner_params, share), NULL},
    {"cities", BZ_PT_CITIES, 0, 0, "all", "cities",
     "where the audience lives (the partner's markets): all, {top: N} or a list",
     offsetof(partner_params, cities), NULL},
    {"attribute", BZ_PT_ENUM, 0, 0, "none", "",
     "how the audience is selected: none (at random) or the agents with the highest activity, "
     "susceptibility or willingness to pay (a pre-qualified audience, e.g. geeks)",
     offsetof(partner_params, attribute), partner_attributes},
    {"reach", BZ_PT_RATE, 0, 1e6, "0.1", "per day",
     "exposure rate of each audience member over the period (0.1/day: 1.4 exposures each in two "
     "weeks)",
     offsetof(partner_params, reach), NULL},
    {"engage", BZ_PT_PROB, 0, 1, "0.2", "probability",
     "chance that an exposure engages the member (the partner vouches for the product: "
     "buzz_funnel makes it interested at once); else a plain exposure",
     offsetof(partner_params, engage), NULL},
    {"exclusive", BZ_PT_DURATION, 0, 1e7, "0d", "days",
     "exclusive launch: during [at, at + exclusive) only the audience may buy (0: none); at most "
     "the period",
     offsetof(partner_params, exclusive), NULL},
    {"fee", BZ_PT_REAL, 0, 1e15, "0", "currency", "fixed co-marketing fee paid to the partner",
     offsetof(partner_params, fee), NULL},
    {"revenue_share", BZ_PT_PROB, 0, 1, "0", "fraction",
     "share of the revenue of the purchases made by audience members during the period paid to "
     "the partner",
     offsetof(partner_params, revenue_share), NULL},
    {"persuasion", BZ_PT_PROB, 0, 1, "0", "probability",
     "chance that one partner exposure makes an audience member who already knows the product "
     "interested (0: exposures only inform; engage acts on everyone it reaches)",
     offsetof(partner_params, persuasion), NULL},
};

/* Campaign stream index of the audience draw (chunks use 0, 1, ...). */
#define AUDIENCE 0xFFFFFFFFu

typedef struct partner_state {
    uint8_t *member;   /* [n] 1: in the audience (the market's access mask) */
    uint32_t *members; /* [n_members] ascending */
    uint32_t n_members;
    double end;     /* end of the period, capped at the horizon */
    double revenue; /* prices paid by members during the period */
} partner_state;

static int partner_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const partner_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set_param(err, BZ_EINVAL, "at",
                                  "%g days is not before the horizon (%g days)", p->at, x->horizon);
    if (!(p->share > 0))
        return bz_error_set_param(err, BZ_EINVAL, "share",
                                  "expected an audience share in (0, 1], got %g (an audience "
                                  "needs members)",
                                  p->share);
    if (p->period > 0 && p->exclusive > p->period)
        return bz_error_set_param(err, BZ_EINVAL, "exclusive",
                                  "%g days is longer than the partnership's period (%g days)",
                                  p->exclusive, p->period);
    if ((p->exclusive > 0 || p->revenue_share > 0) && !x->model->buys)
        return bz_error_set_param(err, BZ_EINVAL, p->exclusive > 0 ? "exclusive" : "revenue_share",
                                  "model '%s' does not buy through the market, so there is no %s "
                                  "(use a model with purchases, e.g. buzz_funnel or bass)",
                                  x->model->name,
                                  p->exclusive > 0 ? "sale to make exclusive" : "revenue to share");
    return BZ_OK;
}

typedef struct ranked {
    double key;   /* attribute value */
    uint64_t tie; /* random tie-break */
    uint32_t v;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b; /* descending key, then tie */
    if (x->key != y->key) return x->key < y->key ? 1 : -1;
    if (x->tie != y->tie) return x->tie < y->tie ? 1 : -1;
    return x->v < y->v ? -1 : x->v > y->v;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static const float *attribute_of(const bz_population *pop, int attribute)
{
    switch (attribute) {
    case 1:
        return pop->activity;
    case 2:
        return pop->susceptibility;
    default:
        return pop->willingness;
    }
}

/* Draw the audience into st (members sorted, mask). */
static int draw_audience(bz_sim *sim, const bz_campaign_run *run, partner_state *st, bz_error *err)
{
    const partner_params *p = run->params;
    int status = BZ_OK;
    uint8_t *in_city = calloc(sim->pop->n_cities ? sim->pop->n_cities : 1, 1);
    uint32_t *eligible = malloc((sim->n ? sim->n : 1) * sizeof *eligible);
    ranked *rk = NULL;
    if (!in_city || !eligible)
        BZ_FAIL_OOM(err, NULL,
                    (sim->pop->n_cities ? sim->pop->n_cities : 1) +
                        (size_t)(sim->n ? sim->n : 1) * sizeof *eligible,
                    "the partner's audience");
    BZ_CHECK(bz_cityset_mark(&p->cities, sim->pop->n_cities, in_city, err));
    uint32_t ne = 0;
    for (uint32_t v = 0; v < sim->n; v++)
        if (in_city[sim->pop->city[v]]) eligible[ne++] = v;
    if (ne == 0) goto cleanup;
    double want = floor(p->share * (double)ne + 0.5);
    const uint32_t k = want < 1 ? 1 : want > ne ? ne : (uint32_t)want;
    if (!(st->members = malloc((size_t)k * sizeof *st->members)))
        BZ_FAIL_OOM(err, NULL, (size_t)k * sizeof *st->members, "the partner's audience of %u", k);
    if (p->attribute == 0) {
        bz_stream s;
        bz_sim_campaign_stream(sim, run, &s, AUDIENCE, 0);
        BZ_CHECK(bz_sim_random_agents(ne, k, &s, st->members, err));
        for (uint32_t i = 0; i < k; i++)
            st->members[i] = eligible[st->members[i]];
    } else {
        const float *a = attribute_of(sim->pop, p->attribute);
        if (!(rk = malloc((size_t)ne * sizeof *rk)))
            BZ_FAIL_OOM(err, NULL, (size_t)ne * sizeof *rk, "ranking %u agents for the partner",
                        ne);
        for (uint32_t i = 0; i < ne; i++) {
            bz_stream s;
            bz_sim_campaign_stream(sim, run, &s, AUDIENCE, eligible[i]);
            rk[i] = (ranked){a[eligible[i]], bz_stream_u64(&s), eligible[i]};
        }
        qsort(rk, ne, sizeof *rk, cmp_ranked);
        for (uint32_t i = 0; i < k; i++)
            st->members[i] = rk[i].v;
    }
    qsort(st->members, k, sizeof *st->members, cmp_u32);
    st->n_members = k;
    for (uint32_t i = 0; i < k; i++)
        st->member[st->members[i]] = 1;
cleanup:
    free(in_city);
    free(eligible);
    free(rk);
    return status;
}

static int partner_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    bz_sim_set_persuasion(sim, BZ_CH_PARTNERSHIP,
                          ((const partner_params *)run->params)->persuasion);
    const partner_params *p = run->params;
    partner_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_oom(err, run->type->name, sizeof *st, "the campaign's state");
    run->state = st;
    if (!(st->member = calloc(sim->n ? sim->n : 1, 1)))
        return bz_error_oom(err, NULL, sim->n ? sim->n : 1, "the partner's audience marks");
    int status = draw_audience(sim, run, st, err);
    if (status != BZ_OK) return status;
    st->end = bz_campaign_end(sim, p->at, p->period);
    run->cost = p->fee; /* at is before the horizon (check) */
    if (p->exclusive > 0) {
        status = bz_market_add_access(sim, p->at, p->at + p->exclusive, st->member, err);
        if (status != BZ_OK) return status;
    }
    if (p->reach > 0 && st->n_members > 0) bz_sim_schedule_campaign(sim, run, p->at, 0);
    return BZ_OK;
}

/* Chunk k: the members' exposures in [at + k, at + k + 1) (within the
 * period): Poisson(reach x span) each, given one or more for those the
 * geometric skip lands on. */
static void partner_act(bz_sim *sim, bz_campaign_run *run, uint32_t k)
{
    const partner_params *p = run->params;
    const partner_state *st = run->state;
    const double a = p->at + (double)k * BZ_CAMPAIGN_CHUNK;
    const double b = fmin(a + BZ_CAMPAIGN_CHUNK, st->end), span = b - a;
    const double lambda = p->reach * span, q = -expm1(-lambda);
    if (q > 0) {
        const double inv_lq = q < 1 ? 1.0 / log1p(-q) : 0;
        for (uint32_t lo = 0; lo < st->n_members; lo += BZ_CAMPAIGN_BLOCK) {
            const uint64_t hi = (uint64_t)lo + BZ_CAMPAIGN_BLOCK < st->n_members
                                    ? (uint64_t)lo + BZ_CAMPAIGN_BLOCK
                                    : st->n_members;
            bz_stream s;
            bz_sim_campaign_stream(sim, run, &s, k, lo / BZ_CAMPAIGN_BLOCK);
            for (uint64_t i = lo + (q < 1 ? bz_stream_geometric_skip(&s, inv_lq) : 0); i < hi;
                 i += 1 + (q < 1 ? bz_stream_geometric_skip(&s, inv_lq) : 0)) {
                uint32_t c = 1; /* Poisson(lambda) given >= 1, by inversion */
                double u = bz_stream_uniform(&s) * q, term = exp(-lambda) * lambda, cum = term;
                while (u >= cum && c < 1000) {
                    term *= lambda / (double)(c + 1);
                    cum += term;
                    c++;
                }
                for (uint32_t j = 0; j < c; j++) {
                    const double t = a + bz_stream_uniform(&s) * span;
                    const unsigned fl = bz_stream_uniform(&s) < p->engage ? BZ_EXPOSE_ENGAGE : 0;
                    bz_sim_expose_at(sim, st->members[i], t, BZ_CH_PARTNERSHIP, fl);
                }
            }
        }
    }
    if (b < st->end) bz_sim_schedule_campaign(sim, run, b, k + 1);
}

/* Revenue share: a member's purchase during the period. */
static void partner_purchase(bz_sim *sim, bz_campaign_run *run, uint32_t v, int referred)
{
    (void)referred;
    const partner_params *p = run->params;
    partner_state *st = run->state;
    if (!st->member[v] || !(sim->t >= p->at && sim->t < st->end)) return;
    st->revenue += bz_market_price(sim, v);
    run->cost = p->fee + p->revenue_share * st->revenue;
}

static void partner_finish(bz_campaign_run *run)
{
    partner_state *st = run->state;
    if (!st) return;
    free(st->member);
    free(st->members);
    free(st);
    run->state = NULL;
}

/* Engaging exposures only with engage > 0; an access window (a market
 * lever) only with an exclusive launch. */
static const bz_lever_cond partner_lever_conds[] = {
    {BZ_LEVER_ENGAGE, "engage", 0},
    {BZ_LEVER_SALE, "exclusive", 0},
    {BZ_LEVER_PERSUADE, "persuasion", 0},
};

const bz_campaign_type bz_campaign_partnership = {
    .name = "partnership",
    .summary = "a partner's own audience (a share of agents, by city or attribute) is exposed "
               "repeatedly over a period, optionally with an exclusive launch; fee + revenue share",
    .params = partner_param_table,
    .n_params = BZ_PARAMS_COUNT(partner_param_table),
    .params_size = sizeof(partner_params),
    .levers = BZ_LEVER_EXPOSE | BZ_LEVER_ENGAGE | BZ_LEVER_SALE | BZ_LEVER_PERSUADE,
    .lever_conds = partner_lever_conds,
    .n_lever_conds = BZ_PARAMS_COUNT(partner_lever_conds),
    .check = partner_check,
    .start = partner_start,
    .act = partner_act,
    .purchase = partner_purchase,
    .finish = partner_finish,
};
