/* Campaigns of issue #4 through the runner: festival (guests are strong-tie
 * friends of attendees, attendance share, cities, costs, thread
 * independence), referral (refused without a sharing model, rewards per
 * referred adoption), flash_sale repeat windows and urgency.
 *
 * Sim state is inspected with "probe" campaigns inserted into an arm after
 * the experiment is loaded: a probe placed before a campaign can make fans
 * (seed lever), one placed after it records what the campaign did in the
 * step (inbox, boosts, sharing levers) before the model's step runs. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "core/run.h"
#include "core/sim.h"

/* ---- probes ---------------------------------------------------------------- */

enum { PROBE_FANS, PROBE_RECORD };

typedef struct probe {
    double at;        /* act in the step containing this time (days) */
    uint32_t fan_mod; /* PROBE_FANS: seed the agents v with v % fan_mod == 0 */
    /* PROBE_RECORD, in the step of `at` (arrays of n, allocated by the test) */
    uint32_t n;
    uint8_t *engaged; /* inbox.eng > 0 */
    uint8_t *fan;     /* state != 0 */
    float *boost, *until;
    int seen, had_boost;
    /* PROBE_RECORD, every step (arrays of steps, or NULL) */
    double *share_mult, *referral_mult;
    /* PROBE_RECORD at start(): the market's windows */
    size_t n_windows;
    double win_start[8];
    int64_t win_stock[8];
} probe;

typedef struct probe_params {
    probe *pr;
    int role;
} probe_params;

static int probe_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    (void)err;
    const probe_params *pp = run->params;
    probe *pr = pp->pr;
    if (pp->role != PROBE_RECORD) return BZ_OK;
    pr->n_windows = sim->market.n_windows;
    for (size_t i = 0; i < pr->n_windows && i < 8; i++) {
        pr->win_start[i] = sim->market.windows[i].start;
        pr->win_stock[i] = sim->market.windows[i].stock;
    }
    return BZ_OK;
}

static void probe_act(bz_sim *sim, bz_campaign_run *run)
{
    const probe_params *pp = run->params;
    probe *pr = pp->pr;
    const int now = pr->at >= sim->t0 && pr->at < sim->t0 + sim->dt;
    if (pp->role == PROBE_FANS) {
        if (now)
            for (uint32_t v = 0; v < sim->n; v += pr->fan_mod)
                bz_sim_seed(sim, v, BZ_CH_SEED);
        return;
    }
    if (pr->share_mult) pr->share_mult[sim->step] = sim->share_mult;
    if (pr->referral_mult) pr->referral_mult[sim->step] = sim->referral_mult;
    if (!now || !pr->engaged) return;
    pr->seen = 1;
    pr->had_boost = sim->boost != NULL;
    for (uint32_t v = 0; v < sim->n; v++) {
        pr->engaged[v] = sim->inbox[v].eng > 0;
        pr->fan[v] = sim->state[v] != 0;
        pr->boost[v] = sim->boost ? sim->boost[v] : 0;
        pr->until[v] = sim->boost ? sim->boost_until[v] : 0;
    }
}

static const bz_campaign_type probe_type = {
    .name = "probe",
    .summary = "test fixture",
    .params_size = sizeof(probe_params),
    .start = probe_start,
    .act = probe_act,
};

static void probe_alloc(probe *pr, uint32_t n, double at)
{
    memset(pr, 0, sizeof *pr);
    pr->at = at;
    pr->n = n;
    pr->engaged = calloc(n, 1);
    pr->fan = calloc(n, 1);
    pr->boost = calloc(n, sizeof *pr->boost);
    pr->until = calloc(n, sizeof *pr->until);
    CU_ASSERT_FATAL(pr->engaged && pr->fan && pr->boost && pr->until);
}

static void probe_free(probe *pr)
{
    free(pr->engaged);
    free(pr->fan);
    free(pr->boost);
    free(pr->until);
    free(pr->share_mult);
    free(pr->referral_mult);
}

/* Insert a probe campaign at position pos of arm `arm` (the experiment
 * frees its params). */
static void add_campaign(bz_experiment *x, size_t arm, size_t pos, const bz_campaign_type *type,
                         void *params)
{
    bz_arm_spec *a = &x->arms[arm];
    bz_campaign_spec *c = realloc(a->campaigns, (a->n_campaigns + 1) * sizeof *c);
    CU_ASSERT_FATAL(c != NULL);
    a->campaigns = c;
    memmove(c + pos + 1, c + pos, (a->n_campaigns - pos) * sizeof *c);
    c[pos] = (bz_campaign_spec){type, params};
    a->n_campaigns++;
}

static void add_probe(bz_experiment *x, size_t arm, size_t pos, probe *pr, int role)
{
    probe_params *pp = malloc(sizeof *pp);
    CU_ASSERT_FATAL(pp != NULL);
    *pp = (probe_params){pr, role};
    add_campaign(x, arm, pos, &probe_type, pp);
}

static int load(const char *yaml, bz_experiment *x, bz_error *err)
{
    int st = bz_experiment_load_string(x, yaml, "test.yaml", NULL, 0, err);
    if (st != BZ_OK) fprintf(stderr, "config: %s\n", err->msg);
    return st;
}

static int run(const bz_experiment *x, bz_results *r)
{
    bz_error err;
    int st = bz_run_experiment(x, NULL, r, &err);
    if (st != BZ_OK) fprintf(stderr, "run: %s\n", err.msg);
    return st;
}

/* u and v adjacent on layer l (rows are sorted: binary search). */
static int adjacent(const bz_layer *l, uint32_t u, uint32_t v)
{
    uint64_t lo = l->offsets[u], hi = l->offsets[u + 1];
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (l->targets[mid] == v) return 1;
        if (l->targets[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Some engaged fan (an attendee) is v's neighbour on l. */
static int has_engaged_fan_nbr(const bz_layer *l, const probe *pr, uint32_t v)
{
    for (uint64_t j = l->offsets[v]; j < l->offsets[v + 1]; j++) {
        uint32_t u = l->targets[j];
        if (pr->engaged[u] && pr->fan[u]) return 1;
    }
    return 0;
}

static int64_t series_sum(const bz_results *r, int64_t *base, int k, uint32_t rep)
{
    const int64_t *row = bz_series_row(base, r->R, r->T, k, rep);
    int64_t s = 0;
    for (uint32_t t = 0; t < r->T; t++)
        s += row[t];
    return s;
}

/* ---- festival ---------------------------------------------------------------- */

/* Fans (every 5th agent, seeded just before the festival) attend; every
 * other person engaged is a friend of an engaged fan on the strong-tie
 * layer (the last, `wechat`), not merely a neighbour on `weibo`; at most
 * `bring` per attendee; everyone engaged is boosted until at + boost_for,
 * nobody else. */
static void test_festival_guests_are_friends(void)
{
    const char *yaml =
        "seed: 5\ntime: { step: 1h, horizon: 2d }\nreplicates: 1\n"
        "population: { agents: 2000, cities: 1 }\n"
        "network: { layers: [ { name: weibo, generator: { model: erdos_renyi, mean_degree: 6 } },\n"
        "  { name: wechat, generator: { model: erdos_renyi, mean_degree: 4 } } ] }\n"
        "diffusion: { model: bass, p: 0, q: 0, response: 0 }\n"
        "arms:\n  f: [ { campaign: festival, at: 1d, cities: all, attendance: 0.5, bring: 2,\n"
        "               share_boost: 3, boost_for: 2d } ]\n";
    bz_experiment x;
    bz_results r;
    bz_world w;
    bz_error err;
    probe fans = {.at = 1.0, .fan_mod = 5}, rec;
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    probe_alloc(&rec, x.agents, 1.0);
    add_probe(&x, 0, 0, &fans, PROBE_FANS);
    add_probe(&x, 0, 2, &rec, PROBE_RECORD);
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    CU_ASSERT_FATAL(bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) == BZ_OK);
    CU_ASSERT_FATAL(rec.seen);
    const bz_layer *weibo = &w.net.layers[0], *wechat = &w.net.layers[1];
    uint32_t attendees = 0, guests = 0, guests_off_weibo = 0, fans_n = 0;
    for (uint32_t v = 0; v < rec.n; v++) {
        CU_ASSERT_EQUAL(rec.fan[v], v % 5 == 0); /* the fixture made exactly these fans */
        fans_n += rec.fan[v];
        if (!rec.engaged[v]) {
            CU_ASSERT_EQUAL(rec.until[v], 0);
            continue;
        }
        CU_ASSERT_DOUBLE_EQUAL(rec.boost[v], 3.0, 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(rec.until[v], 3.0, 1e-6);
        if (rec.fan[v]) {
            attendees++;
            continue;
        }
        guests++;
        CU_ASSERT(has_engaged_fan_nbr(wechat, &rec, v));
        guests_off_weibo += !has_engaged_fan_nbr(weibo, &rec, v);
    }
    CU_ASSERT(rec.had_boost);
    CU_ASSERT(attendees > 100 && attendees < fans_n);
    CU_ASSERT(guests > 100);
    CU_ASSERT(guests <= 2 * attendees);
    CU_ASSERT(guests_off_weibo > 0);
    /* Spot-check adjacency itself on one guest: symmetric on wechat. */
    for (uint32_t v = 0; v < rec.n; v++)
        if (rec.engaged[v] && !rec.fan[v]) {
            uint32_t u = wechat->targets[wechat->offsets[v]];
            CU_ASSERT(adjacent(wechat, u, v));
            break;
        }
    bz_world_destroy(&w);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    probe_free(&rec);
}

/* With bring 0 only fans are engaged, each with probability `attendance`:
 * a binomial count; cost = cost_per_city x 1 + cost_per_attendee x engaged
 * = the festival channel's exposures, all in the festival's step. */
static void test_festival_attendance_and_cost(void)
{
    const char *yaml =
        "seed: 9\ntime: { step: 1h, horizon: 2d }\nreplicates: 1\n"
        "population: { agents: 10000, cities: 1 }\n"
        "network: { layers: [ { name: wechat, generator: { model: erdos_renyi, mean_degree: 4 } } "
        "] }\n"
        "diffusion: { model: bass, p: 0, q: 0, response: 0 }\n"
        "arms:\n  f: [ { campaign: festival, at: 1d, cities: all, attendance: 0.3, bring: 0,\n"
        "               cost_per_city: 1000, cost_per_attendee: 7 } ]\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    probe fans = {.at = 1.0, .fan_mod = 2}, rec;
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    probe_alloc(&rec, x.agents, 1.0);
    add_probe(&x, 0, 0, &fans, PROBE_FANS);
    add_probe(&x, 0, 2, &rec, PROBE_RECORD);
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    CU_ASSERT_FATAL(rec.seen);
    int64_t engaged = 0, fans_n = 0;
    for (uint32_t v = 0; v < rec.n; v++) {
        fans_n += rec.fan[v];
        engaged += rec.engaged[v];
        if (rec.engaged[v]) CU_ASSERT(rec.fan[v]);
    }
    CU_ASSERT_EQUAL(fans_n, 5000);
    /* Binomial(5000, 0.3): mean 1500, sd 32.4; 5 sd. */
    CU_ASSERT(llabs(engaged - 1500) < 162);
    const int64_t *fest =
        bz_series_row(r.arms[0].series[BZ_SER_EXPOSURES], r.R, r.T, BZ_CH_FESTIVAL, 0);
    CU_ASSERT_EQUAL(fest[25], engaged); /* step 24 (day 1), recorded at index 25 */
    CU_ASSERT_EQUAL(series_sum(&r, r.arms[0].series[BZ_SER_EXPOSURES], BZ_CH_FESTIVAL, 0), engaged);
    CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[0].v[BZ_OUT_COST], 1000.0 + 7.0 * (double)engaged,
                           1e-6);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    probe_free(&rec);
}

/* cities {top: 3} of 8: every person engaged lives in one of the 3 largest
 * cities (guests too, with local_guests), each of them has a festival; with
 * local_guests false some guests come from elsewhere, all friends of
 * attendees. Costs: 3 cities + people engaged = festival exposures. */
static void test_festival_top_cities(void)
{
    const char *yaml =
        "seed: 21\ntime: { step: 2h, horizon: 1d }\nreplicates: 1\n"
        "population: { agents: 6000, cities: 8 }\n"
        "network: { layers: [ { name: wechat, generator: { model: erdos_renyi, mean_degree: 6 } } "
        "] }\n"
        "diffusion: { model: bass, p: 0, q: 0, response: 0 }\n"
        "arms:\n"
        "  local: [ { campaign: festival, at: 6h, cities: { top: 3 }, attendance: 0.2, bring: 2,\n"
        "             cost_per_city: 500, cost_per_attendee: 3 } ]\n"
        "  far: [ { campaign: festival, at: 6h, cities: { top: 3 }, attendance: 0.2, bring: 2,\n"
        "           local_guests: false } ]\n";
    bz_experiment x;
    bz_results r;
    bz_world w;
    bz_error err;
    probe fans[2] = {{.at = 0.25, .fan_mod = 1}, {.at = 0.25, .fan_mod = 1}}, rec[2];
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    for (int a = 0; a < 2; a++) {
        probe_alloc(&rec[a], x.agents, 0.25);
        add_probe(&x, (size_t)a, 0, &fans[a], PROBE_FANS);
        add_probe(&x, (size_t)a, 2, &rec[a], PROBE_RECORD);
    }
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    CU_ASSERT_FATAL(bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) == BZ_OK);
    const bz_population *pop = &w.pop;
    /* Cities 0..2 are the three largest (population contract). */
    for (uint32_t c = 3; c < pop->n_cities; c++)
        CU_ASSERT(pop->city_offsets[c + 1] - pop->city_offsets[c] <=
                  pop->city_offsets[3] - pop->city_offsets[2]);
    int64_t per_city[8] = {0}, engaged = 0, outside = 0, outside_not_friend = 0;
    for (uint32_t v = 0; v < pop->n; v++) {
        if (!rec[0].engaged[v]) continue;
        engaged++;
        per_city[pop->city[v]]++;
    }
    for (int c = 0; c < 3; c++)
        CU_ASSERT(per_city[c] > 0);
    for (int c = 3; c < 8; c++)
        CU_ASSERT_EQUAL(per_city[c], 0);
    const int64_t *fest =
        bz_series_row(r.arms[0].series[BZ_SER_EXPOSURES], r.R, r.T, BZ_CH_FESTIVAL, 0);
    CU_ASSERT_EQUAL(fest[4], engaged); /* step 3 (6h with 2h steps) */
    CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[0].v[BZ_OUT_COST], 500.0 * 3 + 3.0 * (double)engaged,
                           1e-6);
    for (uint32_t v = 0; v < pop->n; v++) {
        if (!rec[1].engaged[v] || pop->city[v] < 3) continue;
        outside++;
        /* From elsewhere: a guest, friend of an attendee of cities 0..2. */
        int ok = 0;
        for (uint64_t j = w.net.layers[0].offsets[v]; j < w.net.layers[0].offsets[v + 1]; j++) {
            uint32_t u = w.net.layers[0].targets[j];
            ok |= rec[1].engaged[u] && pop->city[u] < 3;
        }
        outside_not_friend += !ok;
    }
    CU_ASSERT(outside > 0);
    CU_ASSERT_EQUAL(outside_not_friend, 0);
    /* Default costs: 5000 per city, 20 per person. */
    const int64_t far_people =
        series_sum(&r, r.arms[1].series[BZ_SER_EXPOSURES], BZ_CH_FESTIVAL, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.arms[1].outcomes[0].v[BZ_OUT_COST],
                           5000.0 * 3 + 20.0 * (double)far_people, 1e-6);
    bz_world_destroy(&w);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    for (int a = 0; a < 2; a++)
        probe_free(&rec[a]);
}

/* Same results, engaged people and boosts with 1 and 2 threads (agent
 * loops in parallel: one arm, one replicate). */
static void test_festival_threads(void)
{
    const char *yaml =
        "seed: 33\ntime: { step: 2h, horizon: 3d }\nreplicates: 1\n"
        "population: { agents: 20000, cities: 10 }\n"
        "network: { layers: [ { name: weibo, directed: true, generator: { model: erdos_renyi, "
        "mean_degree: 8 } },\n"
        "  { name: wechat, generator: { model: sbm, mean_degree: 6, within_city: 0.8 } } ] }\n"
        "diffusion: { model: bass, p: 0.3, q: 0.5, response: 0.1 }\n"
        "arms:\n  f: [ { campaign: festival, at: 1d, cities: { top: 3 }, attendance: 0.2, "
        "bring: 3 } ]\n";
    bz_experiment x[2];
    bz_results r[2];
    bz_error err;
    probe rec[2];
    const int saved = omp_get_max_threads();
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_FATAL(load(yaml, &x[i], &err) == BZ_OK);
        probe_alloc(&rec[i], x[i].agents, 1.0);
        add_probe(&x[i], 0, 1, &rec[i], PROBE_RECORD);
        omp_set_num_threads(i + 1);
        CU_ASSERT_FATAL(run(&x[i], &r[i]) == BZ_OK);
    }
    omp_set_num_threads(saved);
    const uint32_t n = rec[0].n;
    const size_t cells = (size_t)r[0].R * r[0].T * sizeof(int64_t);
    int64_t engaged = 0;
    for (uint32_t v = 0; v < n; v++)
        engaged += rec[0].engaged[v];
    CU_ASSERT(engaged > 100);
    CU_ASSERT(memcmp(rec[0].engaged, rec[1].engaged, n) == 0);
    CU_ASSERT(memcmp(rec[0].boost, rec[1].boost, n * sizeof(float)) == 0);
    CU_ASSERT(memcmp(rec[0].until, rec[1].until, n * sizeof(float)) == 0);
    CU_ASSERT(memcmp(r[0].arms[0].series[BZ_SER_ADOPTERS], r[1].arms[0].series[BZ_SER_ADOPTERS],
                     cells) == 0);
    CU_ASSERT(memcmp(r[0].arms[0].series[BZ_SER_EXPOSURES], r[1].arms[0].series[BZ_SER_EXPOSURES],
                     cells * (size_t)r[0].n_channels) == 0);
    CU_ASSERT(memcmp(r[0].arms[0].series[BZ_SER_ADOPTIONS_BY],
                     r[1].arms[0].series[BZ_SER_ADOPTIONS_BY],
                     cells * (size_t)r[0].n_channels) == 0);
    CU_ASSERT_EQUAL(r[0].arms[0].outcomes[0].v[BZ_OUT_COST],
                    r[1].arms[0].outcomes[0].v[BZ_OUT_COST]);
    for (int i = 0; i < 2; i++) {
        bz_results_destroy(&r[i]);
        bz_experiment_destroy(&x[i]);
        probe_free(&rec[i]);
    }
}

/* ---- errors -------------------------------------------------------------------- */

/* Load must fail with BZ_EINVAL and a message containing `want`. */
static void expect_refused(const char *yaml, const char *want)
{
    bz_experiment x;
    bz_error err;
    int st = bz_experiment_load_string(&x, yaml, "test.yaml", NULL, 0, &err);
    CU_ASSERT_EQUAL(st, BZ_EINVAL);
    if (st == BZ_OK) {
        bz_experiment_destroy(&x);
        return;
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
    if (!strstr(err.msg, want)) fprintf(stderr, "message: %s\n(wanted '%s')\n", err.msg, want);
}

#define ERR_HEAD                                                                                   \
    "seed: 1\ntime: { step: 1h, horizon: 2d }\nreplicates: 1\n"                                    \
    "population: { agents: 300, cities: 3 }\n"                                                     \
    "network: { layers: [ { name: wechat, generator: { model: erdos_renyi, mean_degree: 4 } },\n"  \
    "  { name: weibo, directed: true, generator: { model: erdos_renyi, mean_degree: 4 } } ] }\n"   \
    "diffusion: { model: bass }\n"                                                                 \
    "market: { availability: flash_only }\n"

static void test_errors(void)
{
    /* The default layer is the last one, here directed: refused. */
    expect_refused(ERR_HEAD "arms:\n  f: [ { campaign: festival, at: 1d } ]\n", "directed");
    {
        bz_experiment x;
        bz_error err; /* ... unless nobody brings friends */
        CU_ASSERT(load(ERR_HEAD "arms:\n  f: [ { campaign: festival, at: 1d, bring: 0 } ]\n", &x,
                       &err) == BZ_OK);
        bz_experiment_destroy(&x);
    }
    expect_refused(ERR_HEAD "arms:\n  f: [ { campaign: festival, at: 1d, layer: nope } ]\n",
                   "no layer named 'nope'");
    expect_refused(
        ERR_HEAD "arms:\n  f: [ { campaign: festival, at: 1d, layer: wechat, cities: [0, 7] } ]\n",
        "city index 7 out of range");
    expect_refused(ERR_HEAD "arms:\n  f: [ { campaign: festival, at: 2d, layer: wechat } ]\n",
                   "horizon");
    expect_refused(ERR_HEAD "arms:\n  f: [ { campaign: festival, at: 1d, layer: wechat, bring: 101 "
                            "} ]\n",
                   "bring");
    expect_refused(ERR_HEAD "arms:\n  r: [ { campaign: referral } ]\n",
                   "'bass' does not honour sharing levers; referral needs a model whose word of "
                   "mouth honours sharing levers, e.g. buzz_funnel");
    expect_refused(ERR_HEAD "arms:\n  s: [ { campaign: flash_sale, at: 1d, duration: 1h, "
                            "repeat: 2, every: 30m } ]\n",
                   "every");
    expect_refused(ERR_HEAD "arms:\n  s: [ { campaign: flash_sale, urgency: 0.5 } ]\n", "urgency");
    /* Unlimited stock and always open: the window's units would cap every
     * later sale; refused unless sales are in windows only or stock finite. */
    expect_refused("seed: 1\ntime: { step: 1h, horizon: 2d }\nreplicates: 1\n"
                   "population: { agents: 300 }\n"
                   "network: { layers: [ { name: a, generator: { model: erdos_renyi } } ] }\n"
                   "diffusion: { model: bass }\n"
                   "arms:\n  s: [ { campaign: flash_sale, at: 1d } ]\n",
                   "use market.availability: flash_only");

    /* A well_mixed friend layer has no ties to bring friends from: refused
     * at start when bring > 0, fine with bring 0. */
    const char *wm = "seed: 1\ntime: { step: 1h, horizon: 1d }\nreplicates: 1\n"
                     "population: { agents: 200, cities: 2 }\n"
                     "network: { layers: [ { name: all, generator: { model: well_mixed } } ] }\n"
                     "diffusion: { model: bass }\narms:\n";
    char y[1024];
    for (int bring = 0; bring <= 2; bring += 2) {
        snprintf(y, sizeof y, "%s  f: [ { campaign: festival, at: 6h, bring: %d } ]\n", wm, bring);
        bz_experiment x;
        bz_results r;
        bz_error err;
        CU_ASSERT_FATAL(load(y, &x, &err) == BZ_OK);
        int st = bz_run_experiment(&x, NULL, &r, &err);
        CU_ASSERT_EQUAL(st, bring ? BZ_EINVAL : BZ_OK);
        if (bring) CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "well_mixed"));
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
}

/* ---- referral ------------------------------------------------------------------- */

/* A minimal model that honours the referral lever: while referral_mult > 0
 * an unaware agent adopts with probability 0.02 per step through channel
 * referral, and always with probability 0.01 through channel external. */
static const char *const sharer_states[] = {"unaware", "adopted"};

static int sharer_init(bz_sim *sim, bz_error *err)
{
    (void)sim;
    (void)err;
    return BZ_OK;
}

static void sharer_step(bz_sim *sim)
{
    bz_tally *t = bz_sim_tally(sim);
    for (uint32_t v = 0; v < sim->n; v++) {
        if (sim->state[v]) continue;
        bz_stream s;
        bz_sim_agent_stream(sim, &s, v, BZ_RNG_DECIDE);
        double u = bz_stream_uniform(&s);
        if (sim->referral_mult > 0 && u < 0.02) {
            sim->state[v] = 1;
            bz_tally_adopt(t, BZ_CH_REFERRAL);
        } else if (u >= 0.02 && u < 0.03) {
            sim->state[v] = 1;
            bz_tally_adopt(t, BZ_CH_EXTERNAL);
        }
    }
}

static const bz_model_type sharer_model = {
    .name = "sharer",
    .summary = "test fixture",
    .states = sharer_states,
    .n_states = 2,
    .adopted_mask = 2,
    .shares = 1,
    .init = sharer_init,
    .step = sharer_step,
};

/* A referral campaign's params from "key=value" settings over the defaults. */
static void *referral_params(const char *const *kv, size_t n)
{
    const bz_campaign_type *t = bz_campaign_find("referral");
    CU_ASSERT_FATAL(t != NULL);
    void *p = calloc(1, t->params_size);
    bz_error err;
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_FATAL(bz_params_set_defaults(t->params, t->n_params, p, &err) == BZ_OK);
    for (size_t i = 0; i < n; i++) {
        char key[64];
        const char *eq = strchr(kv[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv[i]), kv[i]);
        const bz_param *par = bz_params_find(t->params, t->n_params, key);
        CU_ASSERT_FATAL(par != NULL);
        CU_ASSERT_FATAL(bz_param_parse(par, eq + 1, p, &err) == BZ_OK);
    }
    return p;
}

/* Rewards: cost = flat + reward x referral adoptions, only while the
 * programme runs; the lever is share_mult inside the window and 0 outside;
 * two overlapping programmes pay each referral once and use the larger
 * multiplier. */
static void test_referral_accounting(void)
{
    const char *yaml = "seed: 3\ntime: { step: 6h, horizon: 3d }\nreplicates: 1\n"
                       "population: { agents: 3000, cities: 1 }\n"
                       "network: { layers: [ { name: wechat, generator: { model: erdos_renyi, "
                       "mean_degree: 4 } } ] }\n"
                       "diffusion: { model: bass }\narms:\n  one: []\n  two: []\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    x.model = &sharer_model;
    const char *a[] = {"at=1d", "duration=1d", "reward=10", "cost=100", "share_mult=3"};
    const char *b[] = {"at=36h", "duration=0d", "reward=10", "cost=50", "share_mult=5"};
    const bz_campaign_type *ref = bz_campaign_find("referral");
    add_campaign(&x, 0, 0, ref, referral_params(a, 5));
    add_campaign(&x, 1, 0, ref, referral_params(a, 5));
    add_campaign(&x, 1, 1, ref, referral_params(b, 5));
    probe rec[2] = {{.at = -1}, {.at = -1}};
    for (int i = 0; i < 2; i++) {
        rec[i].referral_mult = calloc(x.n_steps, sizeof(double));
        CU_ASSERT_FATAL(rec[i].referral_mult != NULL);
        add_probe(&x, (size_t)i, x.arms[i].n_campaigns, &rec[i], PROBE_RECORD);
    }
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    for (int i = 0; i < 2; i++) {
        const int64_t *ra =
            bz_series_row(r.arms[i].series[BZ_SER_ADOPTIONS_BY], r.R, r.T, BZ_CH_REFERRAL, 0);
        int64_t referred = 0;
        for (uint32_t step = 0; step < x.n_steps; step++) {
            /* steps of 6h: programme a is steps 4..7, b from step 6 on */
            const int in_a = step >= 4 && step < 8, in_b = i == 1 && step >= 6;
            const double want = in_b ? 5.0 : in_a ? 3.0 : 0.0;
            CU_ASSERT_DOUBLE_EQUAL(rec[i].referral_mult[step], want, 1e-12);
            if (!in_a && !in_b) CU_ASSERT_EQUAL(ra[step + 1], 0);
            referred += ra[step + 1];
        }
        CU_ASSERT(referred > 50);
        const double flat = i == 0 ? 100 : 150;
        CU_ASSERT_DOUBLE_EQUAL(r.arms[i].outcomes[0].v[BZ_OUT_COST], flat + 10.0 * (double)referred,
                               1e-6);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    for (int i = 0; i < 2; i++)
        probe_free(&rec[i]);
}

/* With the real sharing model (buzz_funnel, when registered): cost = flat
 * + reward x the adoptions attributed to referral. */
static void test_referral_buzz_funnel(void)
{
    if (!bz_model_find("buzz_funnel")) {
        fprintf(stderr, "(buzz_funnel not registered: skipped) ");
        return;
    }
    const char *yaml =
        "seed: 4\ntime: { step: 6h, horizon: 20d }\nreplicates: 2\n"
        "population: { agents: 3000, cities: 2 }\n"
        "network: { layers: [ { name: wechat, share: 0.3, generator: { model: erdos_renyi, "
        "mean_degree: 8 } } ] }\n"
        "diffusion: { model: buzz_funnel }\n"
        "arms:\n  r: [ { campaign: kol_seeding, at: 0d, count: 30, strategy: random,\n"
        "                fee: 0, fee_per_follower: 0 },\n"
        "              { campaign: referral, at: 1d, reward: 10, cost: 100, share_mult: 2 } ]\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    int64_t all = 0;
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const int64_t referred =
            series_sum(&r, r.arms[0].series[BZ_SER_ADOPTIONS_BY], BZ_CH_REFERRAL, rep);
        all += referred;
        CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[rep].v[BZ_OUT_COST],
                               100.0 + 10.0 * (double)referred, 1e-6);
    }
    CU_ASSERT(all > 0);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* ---- flash_sale -------------------------------------------------------------- */

#define FS_HEAD                                                                                    \
    "seed: 11\ntime: { step: 1h, horizon: 3d }\nreplicates: 2\n"                                   \
    "population: { agents: 4000, cities: 2 }\n"                                                    \
    "network: { layers: [ { name: all, generator: { model: well_mixed } } ] }\n"                   \
    "diffusion: { model: bass, p: 20, q: 2, response: 0.3 }\n"                                     \
    "market: { availability: flash_only, stock: 0 }\n"

/* repeat: 3 windows 18h apart from 12h, 300 units each, all sold (demand is
 * far larger): stock rises by 300 at each opening, sales never exceed what
 * opened, sold-out news follows each window, the fee is paid per window.
 * With 5 windows the fifth (84h) is past the horizon and never opens. */
static void test_flash_sale_repeat(void)
{
    const char *yaml = FS_HEAD
        "arms:\n"
        "  three: [ { campaign: flash_sale, at: 12h, duration: 10m, stock: 300, repeat: 3,\n"
        "             every: 18h, news_reach: 0.5, cost: 50 } ]\n"
        "  five: [ { campaign: flash_sale, at: 12h, duration: 10m, stock: 300, repeat: 5,\n"
        "            every: 18h, cost: 50 } ]\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    probe rec[2] = {{.at = -1}, {.at = -1}};
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    x.replicates = 1; /* the probes are shared by replicates running at once */
    add_probe(&x, 0, 1, &rec[0], PROBE_RECORD);
    add_probe(&x, 1, 1, &rec[1], PROBE_RECORD);
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    const size_t nwin[2] = {3, 5};
    for (int a = 0; a < 2; a++) {
        CU_ASSERT_EQUAL(rec[a].n_windows, nwin[a]);
        for (size_t k = 0; k < rec[a].n_windows && k < 8; k++) {
            CU_ASSERT_DOUBLE_EQUAL(rec[a].win_start[k], 0.5 + 0.75 * (double)k, 1e-12);
            CU_ASSERT_EQUAL(rec[a].win_stock[k], 300);
        }
    }
    const uint32_t R = r.R, T = r.T;
    for (uint32_t rep = 0; rep < R; rep++) {
        for (int a = 0; a < 2; a++) {
            const int64_t *sales = bz_series_row(r.arms[a].series[BZ_SER_SALES], R, T, 0, rep);
            const int64_t *stock = bz_series_row(r.arms[a].series[BZ_SER_STOCK], R, T, 0, rep);
            for (uint32_t t = 0; t < T; t++) {
                /* windows opened in steps 0..t-1: those starting before hour t */
                int64_t opened = 0;
                for (size_t k = 0; k < nwin[a]; k++)
                    opened += 12.0 + 18.0 * (double)k < (double)t;
                CU_ASSERT(sales[t] <= 300 * opened);
                if (opened) CU_ASSERT_EQUAL(stock[t] + sales[t], 300 * opened);
                if (!opened) CU_ASSERT_EQUAL(stock[t], -1);
            }
            CU_ASSERT_EQUAL(sales[T - 1], a == 0 ? 900 : 1200);
            CU_ASSERT_DOUBLE_EQUAL(r.arms[a].outcomes[rep].v[BZ_OUT_COST], a == 0 ? 150 : 200,
                                   1e-9);
        }
        /* News in the step after each sell-out: steps 13, 31, 49. */
        const int64_t *news =
            bz_series_row(r.arms[0].series[BZ_SER_EXPOSURES], R, T, BZ_CH_NEWS, rep);
        for (uint32_t t = 1; t < T; t++) {
            const int after = t == 14 || t == 32 || t == 50;
            if (after) {
                CU_ASSERT(news[t] > 1700 && news[t] < 2300);
            } else {
                CU_ASSERT_EQUAL(news[t], 0);
            }
        }
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* urgency multiplies share_mult in the steps of each announcement
 * (6h before each of two daily windows) and nowhere else; without it the
 * lever stays 1. */
static void test_flash_sale_urgency(void)
{
    const char *yaml = FS_HEAD
        "arms:\n"
        "  urgent: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 100, announce: 6h,\n"
        "              urgency: 4, repeat: 2, every: 1d } ]\n"
        "  calm: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 100, announce: 6h } ]\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    probe rec[2] = {{.at = -1}, {.at = -1}};
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    x.replicates = 1; /* the probes are shared by replicates running at once */
    for (int a = 0; a < 2; a++) {
        rec[a].share_mult = calloc(x.n_steps, sizeof(double));
        CU_ASSERT_FATAL(rec[a].share_mult != NULL);
        add_probe(&x, (size_t)a, 1, &rec[a], PROBE_RECORD);
    }
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    int urgent_steps = 0;
    for (uint32_t s = 0; s < x.n_steps; s++) {
        const int ann = (s >= 18 && s < 24) || (s >= 42 && s < 48);
        CU_ASSERT_DOUBLE_EQUAL(rec[0].share_mult[s], ann ? 4.0 : 1.0, 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(rec[1].share_mult[s], 1.0, 1e-12);
        urgent_steps += rec[0].share_mult[s] > 1;
    }
    CU_ASSERT_EQUAL(urgent_steps, 12);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    for (int a = 0; a < 2; a++)
        probe_free(&rec[a]);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"festival guests are strong-tie friends of attendees", test_festival_guests_are_friends},
        {"festival attendance is binomial; cost adds up", test_festival_attendance_and_cost},
        {"festival {top: N} touches only the N largest cities", test_festival_top_cities},
        {"festival: same results with 1 and 2 threads", test_festival_threads},
        {"bad festival, referral and flash_sale settings are refused", test_errors},
        {"referral pays per referred adoption while it runs", test_referral_accounting},
        {"referral with buzz_funnel (skipped if not registered)", test_referral_buzz_funnel},
        {"flash_sale repeat: windows, stock, news, cost", test_flash_sale_repeat},
        {"flash_sale urgency only during announcements", test_flash_sale_urgency},
        CU_TEST_INFO_NULL,
    };
    return bz_test_main("campaigns", tests);
}
