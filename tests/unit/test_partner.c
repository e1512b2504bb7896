/* Partnership (audience, repeated exposures, exclusive launch, revenue
 * share) and social_game (recruitment, boost, fatigue, reward per share).
 *
 * What the campaigns did is seen through a probe: a test campaign put in
 * the arm after them, with the purchase and shared callbacks. It copies
 * the audience from the market's access window, records every purchase
 * (who, when, list price) and every word-of-mouth contact (by boosted
 * talkers, per day of the game), and at a chosen time copies the boosts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "engine/market.h"
#include "engine/run.h"
#include "engine/sim.h"

#define PROBE_DAYS 64

typedef struct probe {
    uint32_t n;
    uint8_t *mask;  /* [n] the audience (from the market's access window 0), or given */
    double *t_buy;  /* [n] purchase time, NaN if none */
    double at, end; /* the partnership's period, for the revenue sum */
    double revenue; /* list prices of members' purchases in [at, end) */
    int64_t member_purchases;
    /* social game */
    double snap;             /* copy the boosts at this time (0: never) */
    double game_at;          /* start of day bins */
    float *until;            /* [n] boost_until at snap */
    uint8_t *waiting;        /* [n] what it waits for in the market at snap (bz_wait_kind) */
    double rate_played;      /* sum over players of r_v (until - snap) at snap */
    double rate_players;     /* sum over players of r_v */
    int64_t players;         /* boosted at snap */
    int64_t boosted;         /* contacts by boosted talkers */
    int64_t before;          /* contacts before game_at */
    int64_t day[PROBE_DAYS]; /* contacts by boosted talkers, by day since game_at */
} probe;

typedef struct probe_params {
    probe *pr;
} probe_params;

static int probe_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    (void)err;
    probe *pr = ((const probe_params *)run->params)->pr;
    if (sim->market.n_access > 0) memcpy(pr->mask, sim->market.access[0].allowed, sim->n);
    if (pr->snap > 0) bz_sim_schedule_campaign(sim, run, pr->snap, 0);
    return BZ_OK;
}

/* At snap: who plays, until when, and their base sharing rates. */
static void probe_act(bz_sim *sim, bz_campaign_run *run, uint32_t tag)
{
    (void)tag;
    probe *pr = ((const probe_params *)run->params)->pr;
    for (uint32_t v = 0; v < sim->n; v++) {
        pr->waiting[v] = sim->market.wait ? sim->market.wait[v] & 0x7F : 0;
        pr->until[v] = sim->boost ? sim->boost_until[v] : 0;
        if (!(pr->until[v] > sim->t)) continue;
        double r = 0;
        for (size_t l = 0; l < sim->net->n_layers; l++)
            r += sim->x->layers[l].share * (double)bz_layer_degree(&sim->net->layers[l], v);
        r *= sim->pop->activity[v];
        pr->players++;
        pr->rate_players += r;
        pr->rate_played += r * ((double)pr->until[v] - sim->t);
    }
}

static void probe_purchase(bz_sim *sim, bz_campaign_run *run, uint32_t v, int referred)
{
    (void)referred;
    probe *pr = ((const probe_params *)run->params)->pr;
    pr->t_buy[v] = sim->t;
    if (pr->mask[v] && sim->t >= pr->at && sim->t < pr->end) {
        pr->revenue += bz_market_list_price(sim, v);
        pr->member_purchases++;
    }
}

static void probe_shared(bz_sim *sim, bz_campaign_run *run, uint32_t v)
{
    probe *pr = ((const probe_params *)run->params)->pr;
    if (sim->t < pr->game_at) pr->before++;
    if (!(sim->boost && sim->boost_until[v] > sim->t)) return;
    pr->boosted++;
    const double d = sim->t - pr->game_at;
    if (d >= 0 && d < PROBE_DAYS) pr->day[(int)d]++;
}

static const bz_campaign_type probe_campaign = {
    .name = "probe",
    .summary = "test fixture",
    .params_size = sizeof(probe_params),
    .start = probe_start,
    .act = probe_act,
    .purchase = probe_purchase,
    .shared = probe_shared,
};

static void probe_alloc(probe *pr, uint32_t n)
{
    memset(pr, 0, sizeof *pr);
    pr->n = n;
    pr->mask = calloc(n, 1);
    pr->t_buy = malloc(n * sizeof *pr->t_buy);
    pr->until = calloc(n, sizeof *pr->until);
    pr->waiting = calloc(n, 1);
    CU_ASSERT_FATAL(pr->mask && pr->t_buy && pr->until && pr->waiting);
    for (uint32_t v = 0; v < n; v++)
        pr->t_buy[v] = NAN;
}

static void probe_free(probe *pr)
{
    free(pr->mask);
    free(pr->t_buy);
    free(pr->until);
    free(pr->waiting);
}

/* Append the probe to arm `arm` (the experiment frees its params). */
static void add_probe(bz_experiment *x, size_t arm, probe *pr)
{
    bz_arm_spec *a = &x->arms[arm];
    bz_campaign_spec *c = realloc(a->campaigns, (a->n_campaigns + 1) * sizeof *c);
    probe_params *pp = malloc(sizeof *pp);
    CU_ASSERT_FATAL(c != NULL && pp != NULL);
    pp->pr = pr;
    a->campaigns = c;
    c[a->n_campaigns++] = (bz_campaign_spec){&probe_campaign, pp, 1};
}

static int load(const char *yaml, bz_experiment *x)
{
    bz_error err;
    int st = bz_experiment_load_string(x, yaml, "test.yaml", NULL, 0, &err);
    if (st != BZ_OK) fprintf(stderr, "config: %s\n", err.msg);
    return st;
}

static int run(const bz_experiment *x, bz_results *r)
{
    bz_error err;
    int st = bz_run_experiment(x, NULL, r, &err);
    if (st != BZ_OK) fprintf(stderr, "run: %s\n", err.msg);
    return st;
}

static int64_t series_sum(const bz_results *r, size_t arm, int s, int k, uint32_t rep)
{
    const int64_t *row = bz_series_row(r->arms[arm].series[s], r->R, r->T, k, rep);
    int64_t sum = 0;
    for (uint32_t t = 0; t < r->T; t++)
        sum += row[t];
    return sum;
}

/* ---- partnership ---------------------------------------------------------------- */

#define PART_HEAD                                                                                  \
    "seed: 7\ntime: { step: 6h, horizon: 20d }\nreplicates: 1\n"                                   \
    "population: { agents: 20000, cities: 4, city_sizes: { zipf: 0 } }\n"                          \
    "network: { layers: [ { name: friends, share: 0.05, generator: { model: erdos_renyi, "         \
    "mean_degree: 8 } } ] }\n"                                                                     \
    "diffusion: { model: buzz_funnel, seeds: 50 }\n"

/* Exclusive launch and revenue share (ads to everyone make demand outside
 * the audience, at no cost): during [2d, 6d) every purchase is by
 * an audience member (and some are); those kept out wait (just before 6d
 * they wait for general availability, none of them in the audience) and
 * buy within a day of the end; the audience is exactly round(0.2 x 10,000)
 * agents of cities 0 and 1 (equal sizes); cost = fee + 0.1 x the list prices of the
 * members' purchases in [2d, 12d) to the last bit (two cities have their
 * own price). */
static void test_exclusive_and_revenue_share(void)
{
    const char *yaml =
        PART_HEAD "market: { price: 1999, local: [ { cities: [1], price: 1799, value: 0 } ] }\n"
                  "arms:\n  p: [ { campaign: partnership, at: 2d, period: 10d, share: 0.2, "
                  "cities: [0, 1], reach: 0.3, engage: 0.3, exclusive: 4d, fee: 1000, "
                  "revenue_share: 0.1 },\n"
                  "      { campaign: advertising, at: 0d, reach: 0.1, cpm: 0 } ]\n";
    bz_experiment x;
    bz_results r;
    probe pr;
    CU_ASSERT_FATAL(load(yaml, &x) == BZ_OK);
    probe_alloc(&pr, x.agents);
    pr.at = 2, pr.end = 12;
    pr.snap = 6 - 1e-6;
    add_probe(&x, 0, &pr);
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    bz_world w;
    bz_error err;
    CU_ASSERT_FATAL(bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) == BZ_OK);
    int64_t members = 0, outside_cities = 0, in_excl = 0, other_in_excl = 0, other_rush = 0,
            other_after = 0, waiting = 0, waiting_members = 0, waiting_rush = 0;
    for (uint32_t v = 0; v < pr.n; v++) {
        const int kept_out = pr.waiting[v] == BZ_WAIT_ACCESS;
        members += pr.mask[v];
        waiting += kept_out;
        waiting_members += kept_out && pr.mask[v];
        waiting_rush += kept_out && pr.t_buy[v] >= 6 && pr.t_buy[v] < 7;
        outside_cities += pr.mask[v] && w.pop.city[v] > 1;
        const double t = pr.t_buy[v];
        if (!(t >= 2)) continue;
        if (t < 6) {
            in_excl++;
            other_in_excl += !pr.mask[v];
        } else if (!pr.mask[v]) {
            other_after++;
            other_rush += t < 7;
        }
    }
    CU_ASSERT_EQUAL(members, 2000);
    CU_ASSERT_EQUAL(outside_cities, 0);
    CU_ASSERT(in_excl > 100);
    CU_ASSERT_EQUAL(other_in_excl, 0);
    CU_ASSERT(waiting > 0);
    CU_ASSERT_EQUAL(waiting_members, 0);
    /* Served at once on arrival (unlimited stock, price does not matter),
     * unless forgotten first (forget 0.05/day: within a day, 5%). */
    CU_ASSERT(waiting_rush >= waiting * 0.85);
    CU_ASSERT(pr.member_purchases > 100);
    const double cost = r.arms[0].outcomes[0].v[BZ_OUT_CAMPAIGN_COST];
    CU_ASSERT_EQUAL(cost, 1000.0 + 0.1 * pr.revenue);
    CU_ASSERT(pr.revenue > 0 && pr.revenue == floor(pr.revenue));
    /* Exposures: Poisson(0.3 x 10 days) per member, only in the period. */
    const int64_t e = series_sum(&r, 0, BZ_SER_EXPOSURES, BZ_CH_PARTNERSHIP, 0);
    const double mean = 2000 * 0.3 * 10;
    CU_ASSERT(fabs((double)e - mean) < 5 * sqrt(mean));
    const int64_t *row =
        bz_series_row(r.arms[0].series[BZ_SER_EXPOSURES], r.R, r.T, BZ_CH_PARTNERSHIP, 0);
    for (uint32_t k = 0; k < r.T; k++) /* sample k counts (t_k - 6h, t_k] */
        if (r.time_days[k] <= 2 || r.time_days[k] > 12.25) CU_ASSERT_EQUAL(row[k], 0);
    if (getenv("BZ_VERBOSE"))
        fprintf(stderr,
                "\nexclusive: %lld in; %lld waiting, %lld served in a day; %lld others in the "
                "day after (%lld after); revenue %.0f cost %.1f\n",
                (long long)in_excl, (long long)waiting, (long long)waiting_rush,
                (long long)other_rush, (long long)other_after, pr.revenue, cost);
    bz_world_destroy(&w);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    probe_free(&pr);
}

/* attribute: willingness: the audience is the top 10% by willingness to
 * pay (every member's at least every non-member's); the same audience in
 * two arms that differ by another campaign (common random numbers). */
static void test_audience_by_attribute(void)
{
    const char *yaml = PART_HEAD
        "market: { price: 1999, value: 2500 }\n"
        "arms:\n  a: [ { campaign: partnership, at: 1d, share: 0.1, attribute: willingness, "
        "exclusive: 1d } ]\n"
        "  b: [ { campaign: partnership, at: 1d, share: 0.1, attribute: willingness, "
        "exclusive: 1d }, { campaign: advertising, at: 0d, reach: 0.2 } ]\n";
    bz_experiment x;
    bz_results r;
    probe pr[2];
    CU_ASSERT_FATAL(load(yaml, &x) == BZ_OK);
    for (int a = 0; a < 2; a++) {
        probe_alloc(&pr[a], x.agents);
        add_probe(&x, (size_t)a, &pr[a]);
    }
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    bz_world w;
    bz_error err;
    CU_ASSERT_FATAL(bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) == BZ_OK);
    float lo_in = INFINITY, hi_out = -INFINITY;
    int64_t k = 0;
    for (uint32_t v = 0; v < pr[0].n; v++) {
        k += pr[0].mask[v];
        if (pr[0].mask[v] && w.pop.willingness[v] < lo_in) lo_in = w.pop.willingness[v];
        if (!pr[0].mask[v] && w.pop.willingness[v] > hi_out) hi_out = w.pop.willingness[v];
    }
    CU_ASSERT_EQUAL(k, 2000);
    CU_ASSERT(lo_in >= hi_out);
    CU_ASSERT(memcmp(pr[0].mask, pr[1].mask, pr[0].n) == 0);
    bz_world_destroy(&w);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    for (int a = 0; a < 2; a++)
        probe_free(&pr[a]);
}

/* What an ad burst with the same exposures cannot do: a partnership with a
 * 10% audience, exclusive over its 7 days, against advertising to everyone
 * at a tenth of the rate over the same 7 days (the same expected
 * exposures, checked within 6%). In the partnership's exclusive week every
 * purchase is by the audience (share 1, ten times its population share);
 * after the same ad burst the audience's share of that week's purchases is
 * about its population share (below 0.2). */
static void test_audience_share_vs_ad_burst(void)
{
    const char *yaml = PART_HEAD
        "arms:\n  partner: [ { campaign: partnership, at: 2d, period: 7d, share: 0.1, reach: 0.5, "
        "engage: 0, exclusive: 7d } ]\n"
        "  ads: [ { campaign: advertising, at: 2d, duration: 7d, reach: 0.05, cpm: 0 } ]\n";
    bz_experiment x;
    bz_results r;
    probe pr[2];
    CU_ASSERT_FATAL(load(yaml, &x) == BZ_OK);
    for (int a = 0; a < 2; a++) {
        probe_alloc(&pr[a], x.agents);
        add_probe(&x, (size_t)a, &pr[a]);
    }
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    const double ep = (double)series_sum(&r, 0, BZ_SER_EXPOSURES, BZ_CH_PARTNERSHIP, 0);
    const double ea = (double)series_sum(&r, 1, BZ_SER_EXPOSURES, BZ_CH_ADVERTISING, 0);
    CU_ASSERT(fabs(ep - ea) < 0.06 * ea);
    double share[2];
    int64_t bought[2];
    for (int a = 0; a < 2; a++) {
        int64_t in = 0, all = 0;
        for (uint32_t v = 0; v < pr[a].n; v++) {
            const double t = pr[a].t_buy[v];
            if (!(t >= 2 && t < 9)) continue;
            all++;
            in += pr[0].mask[v]; /* the partner's audience, in both arms */
        }
        bought[a] = all;
        share[a] = all ? (double)in / (double)all : NAN;
    }
    CU_ASSERT(bought[0] > 100 && bought[1] > 100);
    CU_ASSERT_EQUAL(share[0], 1.0);
    CU_ASSERT(share[1] < 0.2);
    if (getenv("BZ_VERBOSE"))
        fprintf(stderr,
                "\nexposures %.0f vs %.0f; audience share of week purchases %.3f (%lld) vs "
                "%.3f (%lld)\n",
                ep, ea, share[0], (long long)bought[0], share[1], (long long)bought[1]);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    for (int a = 0; a < 2; a++)
        probe_free(&pr[a]);
}

/* Early access: the product is on general sale from 10d (availability
 * from); the exclusive window [4d, 7d) opens it to the audience from 4d.
 * Nobody buys before 4d; in [4d, 7d) only members buy, and the members
 * who were waiting for the opening just before 4d buy within a day of it
 * (85%: some forget); nobody buys in [7d, 10d); everyone may from 10d. */
static void test_early_access(void)
{
    const char *yaml =
        PART_HEAD "market: { price: 1999, availability: from, from: 10d }\n"
                  "arms:\n  p: [ { campaign: partnership, at: 4d, period: 10d, share: 0.2, "
                  "reach: 0.3, engage: 0.3, exclusive: 3d },\n"
                  "      { campaign: advertising, at: 0d, reach: 0.3, cpm: 0 } ]\n";
    bz_experiment x;
    bz_results r;
    probe pr;
    CU_ASSERT_FATAL(load(yaml, &x) == BZ_OK);
    probe_alloc(&pr, x.agents);
    pr.snap = 4 - 1e-6;
    add_probe(&x, 0, &pr);
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    int64_t before = 0, early = 0, early_other = 0, gap = 0, general_other = 0;
    int64_t waited = 0, waited_rush = 0;
    for (uint32_t v = 0; v < pr.n; v++) {
        const double t = pr.t_buy[v];
        const int w = pr.mask[v] && pr.waiting[v] == BZ_WAIT_CLOSED;
        waited += w;
        waited_rush += w && t >= 4 && t < 5;
        if (!(t >= 0)) continue;
        before += t < 4;
        early += t >= 4 && t < 7;
        early_other += t >= 4 && t < 7 && !pr.mask[v];
        gap += t >= 7 && t < 10;
        general_other += t >= 10 && !pr.mask[v];
    }
    CU_ASSERT_EQUAL(before, 0);
    CU_ASSERT(early > 100);
    CU_ASSERT_EQUAL(early_other, 0);
    CU_ASSERT_EQUAL(gap, 0);
    CU_ASSERT(general_other > 100);
    CU_ASSERT(waited > 20);
    CU_ASSERT(waited_rush >= 0.85 * waited);
    if (getenv("BZ_VERBOSE"))
        fprintf(stderr, "\nearly access: %lld in [4d, 7d), %lld waited for 4d (%lld in a day)\n",
                (long long)early, (long long)waited, (long long)waited_rush);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    probe_free(&pr);
}

/* Nothing depends on the output step: the same outcomes, to the bit, with
 * time.step 1d and 1h for a partnership (exclusive, revenue share) and a
 * social game together. */
static void test_step_independence(void)
{
    double o[2][BZ_N_OUTCOMES];
    const char *steps[2] = {"1d", "1h"};
    for (int i = 0; i < 2; i++) {
        char y[2048];
        snprintf(y, sizeof y,
                 "seed: 8\ntime: { step: %s, horizon: 15d }\nreplicates: 1\n"
                 "population: { agents: 5000, cities: 3 }\n"
                 "network: { layers: [ { name: friends, share: 0.05, generator: { model: "
                 "erdos_renyi, mean_degree: 8 } } ] }\n"
                 "diffusion: { model: buzz_funnel, seeds: 30 }\nmarket: { price: 99 }\n"
                 "arms:\n  p: [ { campaign: partnership, at: 1d, share: 0.3, attribute: "
                 "activity, exclusive: 2d, fee: 10, revenue_share: 0.05 },\n"
                 "      { campaign: social_game, at: 2d, participation: 0.5, reward: 0.1 } ]\n",
                 steps[i]);
        bz_experiment x;
        bz_results r;
        CU_ASSERT_FATAL(load(y, &x) == BZ_OK);
        CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
        memcpy(o[i], r.arms[0].outcomes[0].v, sizeof o[i]);
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
    CU_ASSERT(o[0][BZ_OUT_PURCHASES] > 100);
    CU_ASSERT(o[0][BZ_OUT_CAMPAIGN_COST] > 10);
    CU_ASSERT_EQUAL(o[0][BZ_OUT_CAMPAIGN_COST], o[1][BZ_OUT_CAMPAIGN_COST]);
    CU_ASSERT_EQUAL(o[0][BZ_OUT_PURCHASES], o[1][BZ_OUT_PURCHASES]);
    CU_ASSERT_EQUAL(o[0][BZ_OUT_FINAL_ADOPTERS], o[1][BZ_OUT_FINAL_ADOPTERS]);
    CU_ASSERT_EQUAL(o[0][BZ_OUT_REVENUE], o[1][BZ_OUT_REVENUE]);
}

/* ---- social game ------------------------------------------------------------------ */

/* 2,000 seeded advocates are the only talkers (no one else ever becomes
 * interested: interest 0 and the layer's persuasion 0), with no novelty decay, so each
 * shares at r_v = share x degree per day. The game starts at 3d and
 * recruits every advocate in its first round (participation 1000/day). */
static const char *game_yaml(double boost, double fatigue, char *buf, size_t size)
{
    snprintf(buf, size,
             "seed: 12\ntime: { step: 1d, horizon: 12d }\nreplicates: 1\n"
             "population: { agents: 20000, cities: 2 }\n"
             "network: { layers: [ { name: friends, share: 0.1, persuasion: 0, generator: { model: "
             "erdos_renyi, "
             "mean_degree: 10 } } ] }\n"
             "diffusion: { model: buzz_funnel, seeds: 2000, interest: 0, "
             "novelty: 0 }\n"
             "arms:\n  g: [ { campaign: social_game, at: 3d, period: 8d, participation: 1000, "
             "boost: %g, fatigue: %g, reward: 0.7, fee: 300, eligible: advocate } ]\n",
             boost, fatigue);
    return buf;
}

/* Cost = fee + reward x shares made by players while playing, exactly (the
 * probe counts contacts by talkers whose boost is in force). */
static void test_game_reward_identity(void)
{
    char y[2048];
    bz_experiment x;
    bz_results r;
    probe pr;
    CU_ASSERT_FATAL(load(game_yaml(3, 0.3, y, sizeof y), &x) == BZ_OK);
    probe_alloc(&pr, x.agents);
    pr.game_at = 3;
    add_probe(&x, 0, &pr);
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    CU_ASSERT(pr.boosted > 1000);
    CU_ASSERT_EQUAL(r.arms[0].outcomes[0].v[BZ_OUT_CAMPAIGN_COST],
                    300.0 + 0.7 * (double)pr.boosted);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    probe_free(&pr);
}

/* Sharing rises with the boost and falls with fatigue: all 2,000
 * advocates join at 3d; the players' shares while playing match
 * boost x sum of r_v x play time (within 4 Poisson sd), and before the game
 * the same agents shared at sum r_v x 3 days (boost 1); the share of
 * players still playing d days in is exp(-0.3 d) (binomial, 4 sd), and the
 * boosted shares per day fall at the fatigue rate (fitted over days 0-4,
 * within 10%). With boost 1 the game adds no sharing. */
static void test_game_boost_and_fatigue(void)
{
    const double boost = 3, fatigue = 0.3;
    double per_day[2] = {0, 0};
    for (int b = 0; b < 2; b++) {
        char y[2048];
        bz_experiment x;
        bz_results r;
        probe pr;
        const double m = b ? 1.0 : boost;
        CU_ASSERT_FATAL(load(game_yaml(m, fatigue, y, sizeof y), &x) == BZ_OK);
        probe_alloc(&pr, x.agents);
        pr.game_at = 3;
        pr.snap = 3 + 1e-6;
        add_probe(&x, 0, &pr);
        CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
        CU_ASSERT_EQUAL(pr.players, 2000);
        /* Before the game: only the advocates talk, at sum r_v. */
        const double pre = pr.rate_players * 3;
        CU_ASSERT(fabs((double)pr.before - pre) < 4 * sqrt(pre));
        const double want = m * pr.rate_played;
        CU_ASSERT(fabs((double)pr.boosted - want) < 4 * sqrt(want) + 1);
        per_day[b] = (double)pr.day[0];
        if (b == 0) {
            for (int d = 1; d <= 6; d++) {
                int64_t still = 0;
                for (uint32_t v = 0; v < pr.n; v++)
                    still += pr.until[v] > 3 + d;
                const double p = exp(-fatigue * d), mean = 2000 * p, sd = sqrt(2000 * p * (1 - p));
                CU_ASSERT(fabs((double)still - mean) < 4 * sd);
            }
            /* Least squares of log shares per day against the day, days 0-4. */
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (int d = 0; d <= 4; d++) {
                const double ly = log((double)pr.day[d]);
                sx += d, sy += ly, sxx += d * d, sxy += d * ly;
            }
            const double slope = (5 * sxy - sx * sy) / (5 * sxx - sx * sx);
            CU_ASSERT(fabs(-slope - fatigue) < 0.1 * fatigue);
            if (getenv("BZ_VERBOSE"))
                fprintf(stderr,
                        "\ngame: shares before %lld (expected %.0f), while playing %lld "
                        "(expected %.0f); decay %.4f/day (fatigue %.2f)\n",
                        (long long)pr.before, pre, (long long)pr.boosted, want, -slope, fatigue);
        }
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
        probe_free(&pr);
    }
    /* Day 0 of play: boost 3 against boost 1, the same players. */
    CU_ASSERT(per_day[0] > 2.7 * per_day[1] && per_day[0] < 3.3 * per_day[1]);
}

/* Bad parameters are refused at load with the key. */
static void test_errors(void)
{
    const char *cases[][2] = {
        {"[ { campaign: partnership, share: 0 } ]", "share: expected an audience share in (0, 1]"},
        {"[ { campaign: partnership, period: 3d, exclusive: 4d } ]", "exclusive"},
        {"[ { campaign: social_game, eligible: advocat } ]", "has no state 'advocat'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char y[2048];
        snprintf(y, sizeof y, "%sarms:\n  a: %s\n", PART_HEAD, cases[i][0]);
        bz_experiment x;
        bz_error err;
        int st = bz_experiment_load_string(&x, y, "test.yaml", NULL, 0, &err);
        CU_ASSERT_EQUAL(st, BZ_EINVAL);
        if (st == BZ_OK) {
            bz_experiment_destroy(&x);
            continue;
        }
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[i][1]));
        if (!strstr(err.msg, cases[i][1])) fprintf(stderr, "message: %s\n", err.msg);
    }
    /* A model that does not share: no social game. */
    bz_experiment x;
    bz_error err;
    const char *sir = "seed: 1\ntime: { step: 1d, horizon: 5d }\nreplicates: 1\n"
                      "population: { agents: 100 }\n"
                      "network: { layers: [ { name: a, generator: { model: erdos_renyi } } ] }\n"
                      "diffusion: { model: sir }\narms:\n  a: [ { campaign: social_game } ]\n";
    CU_ASSERT_EQUAL(bz_experiment_load_string(&x, sir, "test.yaml", NULL, 0, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "needs the boost lever"));
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"exclusive launch and revenue share identity", test_exclusive_and_revenue_share},
        {"audience by attribute, the same in every arm", test_audience_by_attribute},
        {"audience share of purchases: partnership vs ad burst", test_audience_share_vs_ad_burst},
        {"early access before general availability", test_early_access},
        {"partnership and social game do not depend on time.step", test_step_independence},
        {"social game reward identity", test_game_reward_identity},
        {"social game boost and fatigue", test_game_boost_and_fatigue},
        {"bad parameters", test_errors},
        CU_TEST_INFO_NULL};
    return bz_test_main("partner", tests);
}
