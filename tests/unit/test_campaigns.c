/* Campaigns through the runner: festival (guests are strong-tie friends of
 * attendees, attendance share, cities, costs, thread independence),
 * referral (refused without a sharing model, rewards per referred
 * purchase), flash_sale repeat windows and urgency.
 *
 * What a campaign did is seen through a test model, the recorder (below),
 * put in place of the experiment's model after loading: it makes fans at
 * the start and records engagements, boosts and the sharing schedule. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "engine/market.h"
#include "engine/run.h"
#include "engine/sim.h"

/* ---- the recorder: a test model --------------------------------------------
 * States quiet and fan. At the start it makes every agent v with v % fan_mod
 * == 0 a fan (seed lever) and copies the sharing schedule; it records who
 * got an engaging exposure (and whether a fan then), the boosts it was
 * told of, and the exposures of every channel. It never adopts otherwise.
 * Its params point to the test's record (one arm, one replicate per run:
 * the record is not shared between simulations). */
typedef struct record {
    uint32_t fan_mod; /* 0: no fans */
    uint32_t n;
    uint8_t *engaged, *fan;
    float *boost, *until;
    size_t n_seg;
    bz_share_seg seg[64];
} record;

typedef struct recorder_params {
    record *rec;
} recorder_params;

static const char *const recorder_states[] = {"quiet", "fan"};

static int recorder_seed(bz_sim *sim, uint32_t v, int channel)
{
    (void)channel;
    if (sim->state[v]) return 0;
    bz_sim_move(sim, v, 1);
    return 1;
}

static int recorder_init(bz_sim *sim, bz_error *err)
{
    (void)err;
    record *rec = ((const recorder_params *)sim->mp)->rec;
    rec->n_seg = sim->share.n_seg < 64 ? sim->share.n_seg : 64;
    memcpy(rec->seg, sim->share.seg, rec->n_seg * sizeof *rec->seg);
    for (uint32_t v = 0; rec->fan_mod && v < sim->n; v += rec->fan_mod)
        bz_sim_seed(sim, v, BZ_CH_SEED);
    return BZ_OK;
}

static void recorder_expose(bz_sim *sim, uint32_t v, int channel, unsigned flags)
{
    (void)channel;
    record *rec = ((const recorder_params *)sim->mp)->rec;
    if (!(flags & BZ_EXPOSE_ENGAGE)) return;
    rec->engaged[v] = 1;
    rec->fan[v] = sim->state[v] != 0;
}

static void recorder_boosted(bz_sim *sim, uint32_t v)
{
    record *rec = ((const recorder_params *)sim->mp)->rec;
    rec->boost[v] = sim->boost[v];
    rec->until[v] = sim->boost_until[v];
}

static void recorder_event(bz_sim *sim, uint32_t v, uint32_t aux)
{
    (void)sim, (void)v, (void)aux;
}

static int recorder_adopt(bz_sim *sim, uint32_t v, int *referred)
{
    (void)sim, (void)v;
    *referred = 0;
    return BZ_CH_EXTERNAL; /* never asked: the recorder does not buy */
}

static const bz_model_type recorder_model = {
    .name = "recorder",
    .summary = "test fixture",
    .params_size = sizeof(recorder_params),
    .states = recorder_states,
    .n_states = 2,
    .adopted_mask = 2,
    .honours = BZ_LEVERS_ALL,
    .buys = 1, /* accepts market settings; never asks the market */
    .init = recorder_init,
    .event = recorder_event,
    .expose = recorder_expose,
    .seed = recorder_seed,
    .adopt = recorder_adopt,
    .boosted = recorder_boosted,
};

static void record_alloc(record *rec, uint32_t n, uint32_t fan_mod)
{
    memset(rec, 0, sizeof *rec);
    rec->fan_mod = fan_mod;
    rec->n = n;
    rec->engaged = calloc(n, 1);
    rec->fan = calloc(n, 1);
    rec->boost = calloc(n, sizeof *rec->boost);
    rec->until = calloc(n, sizeof *rec->until);
    CU_ASSERT_FATAL(rec->engaged && rec->fan && rec->boost && rec->until);
}

static void record_free(record *rec)
{
    free(rec->engaged);
    free(rec->fan);
    free(rec->boost);
    free(rec->until);
}

/* Run x with the recorder as its model. */
static void use_recorder(bz_experiment *x, record *rec)
{
    recorder_params *pp = malloc(sizeof *pp);
    CU_ASSERT_FATAL(pp != NULL);
    pp->rec = rec;
    free(x->model_params);
    x->model_params = pp;
    x->model = &recorder_model;
}

/* Insert a campaign at position pos of arm `arm` (the experiment frees its
 * params). */
static void add_campaign(bz_experiment *x, size_t arm, size_t pos, const bz_campaign_type *type,
                         void *params)
{
    bz_arm_spec *a = &x->arms[arm];
    bz_campaign_spec *c = realloc(a->campaigns, (a->n_campaigns + 1) * sizeof *c);
    CU_ASSERT_FATAL(c != NULL);
    a->campaigns = c;
    memmove(c + pos + 1, c + pos, (a->n_campaigns - pos) * sizeof *c);
    c[pos] = (bz_campaign_spec){type, params, 1};
    a->n_campaigns++;
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
static int has_engaged_fan_nbr(const bz_layer *l, const record *pr, uint32_t v)
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

/* Fans (every 5th agent, made fans at the start) attend; every other
 * person engaged is a friend of an engaged fan on the strong-tie layer (the
 * last, `wechat`), not merely a neighbour on `weibo`; at most `bring` per
 * attendee; everyone engaged is boosted until at + boost_for, nobody else. */
static void test_festival_guests_are_friends(void)
{
    const char *yaml =
        "seed: 5\ntime: { step: 1h, horizon: 2d }\nreplicates: 1\n"
        "population: { agents: 2000, cities: 1 }\n"
        "network: { layers: [ { name: weibo, generator: { model: erdos_renyi, mean_degree: 6 } },\n"
        "  { name: wechat, generator: { model: erdos_renyi, mean_degree: 4 } } ] }\n"
        "diffusion: { model: buzz_funnel }\n"
        "arms:\n  f: [ { campaign: festival, engage: 1, at: 1d, cities: all, attendance: 0.5, "
        "bring: 2,\n"
        "               share_boost: 3, boost_for: 2d } ]\n";
    bz_experiment x;
    bz_results r;
    bz_world w;
    bz_error err;
    record rec;
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    record_alloc(&rec, x.agents, 5);
    use_recorder(&x, &rec);
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    CU_ASSERT_FATAL(bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) == BZ_OK);
    const bz_layer *weibo = &w.net.layers[0], *wechat = &w.net.layers[1];
    uint32_t attendees = 0, guests = 0, guests_off_weibo = 0, fans_n = 0;
    for (uint32_t v = 0; v < rec.n; v++) {
        fans_n += v % 5 == 0; /* the fans the recorder made */
        if (!rec.engaged[v]) {
            CU_ASSERT_EQUAL(rec.until[v], 0);
            continue;
        }
        CU_ASSERT_DOUBLE_EQUAL(rec.boost[v], 3.0, 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(rec.until[v], 3.0, 1e-6);
        CU_ASSERT_EQUAL(rec.fan[v], v % 5 == 0);
        if (rec.fan[v]) {
            attendees++;
            continue;
        }
        guests++;
        CU_ASSERT(has_engaged_fan_nbr(wechat, &rec, v));
        guests_off_weibo += !has_engaged_fan_nbr(weibo, &rec, v);
    }
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
    record_free(&rec);
}

/* With bring 0 only fans are engaged, each with probability `attendance`:
 * a binomial count; cost = cost_per_city x 1 + cost_per_attendee x engaged
 * = the festival channel's exposures, all at the festival's time. */
static void test_festival_attendance_and_cost(void)
{
    const char *yaml =
        "seed: 9\ntime: { step: 1h, horizon: 2d }\nreplicates: 1\n"
        "population: { agents: 10000, cities: 1 }\n"
        "network: { layers: [ { name: wechat, generator: { model: erdos_renyi, mean_degree: 4 } } "
        "] }\n"
        "diffusion: { model: buzz_funnel }\n"
        "arms:\n  f: [ { campaign: festival, engage: 1, at: 1d, cities: all, attendance: 0.3, "
        "bring: 0,\n"
        "               cost_per_city: 1000, cost_per_attendee: 7 } ]\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    record rec;
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    record_alloc(&rec, x.agents, 2);
    use_recorder(&x, &rec);
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    int64_t engaged = 0, fans_n = 0;
    for (uint32_t v = 0; v < rec.n; v++) {
        fans_n += v % 2 == 0;
        engaged += rec.engaged[v];
        if (rec.engaged[v]) CU_ASSERT(rec.fan[v]);
    }
    CU_ASSERT_EQUAL(fans_n, 5000);
    /* Binomial(5000, 0.3): mean 1500, sd 32.4; 5 sd. */
    CU_ASSERT(llabs(engaged - 1500) < 162);
    const int64_t *fest =
        bz_series_row(r.arms[0].series[BZ_SER_EXPOSURES], r.R, r.T, BZ_CH_FESTIVAL, 0);
    CU_ASSERT_EQUAL(fest[25], engaged); /* at day 1: in the sample of hour 25 */
    CU_ASSERT_EQUAL(series_sum(&r, r.arms[0].series[BZ_SER_EXPOSURES], BZ_CH_FESTIVAL, 0), engaged);
    CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[0].v[BZ_OUT_CAMPAIGN_COST],
                           1000.0 + 7.0 * (double)engaged, 1e-6);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    record_free(&rec);
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
        "diffusion: { model: buzz_funnel }\n"
        "arms:\n"
        "  local: [ { campaign: festival, engage: 1, at: 6h, cities: { top: 3 }, attendance: 0.2, "
        "bring: 2,\n"
        "             cost_per_city: 500, cost_per_attendee: 3 } ]\n"
        "  far: [ { campaign: festival, engage: 1, at: 6h, cities: { top: 3 }, attendance: 0.2, "
        "bring: 2,\n"
        "           local_guests: false } ]\n";
    bz_experiment x;
    bz_world w;
    bz_error err;
    bz_results rr[2];
    record rec[2];
    const char *arms[2] = {"local", "far"};
    for (int a = 0; a < 2; a++) {
        CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
        CU_ASSERT_FATAL(bz_experiment_select_arms(&x, arms[a], &err) == BZ_OK);
        record_alloc(&rec[a], x.agents, 1);
        use_recorder(&x, &rec[a]);
        CU_ASSERT_FATAL(run(&x, &rr[a]) == BZ_OK);
        if (a == 0) CU_ASSERT_FATAL(bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) == BZ_OK);
        bz_experiment_destroy(&x);
    }
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
        bz_series_row(rr[0].arms[0].series[BZ_SER_EXPOSURES], rr[0].R, rr[0].T, BZ_CH_FESTIVAL, 0);
    CU_ASSERT_EQUAL(fest[4], engaged); /* at 6h: in the sample of 8h */
    CU_ASSERT_DOUBLE_EQUAL(rr[0].arms[0].outcomes[0].v[BZ_OUT_CAMPAIGN_COST],
                           500.0 * 3 + 3.0 * (double)engaged, 1e-6);
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
        series_sum(&rr[1], rr[1].arms[0].series[BZ_SER_EXPOSURES], BZ_CH_FESTIVAL, 0);
    CU_ASSERT_DOUBLE_EQUAL(rr[1].arms[0].outcomes[0].v[BZ_OUT_CAMPAIGN_COST],
                           5000.0 * 3 + 20.0 * (double)far_people, 1e-6);
    bz_world_destroy(&w);
    for (int a = 0; a < 2; a++) {
        bz_results_destroy(&rr[a]);
        record_free(&rec[a]);
    }
}

/* Same results, engaged people and boosts with 1 and 2 threads. */
static void test_festival_threads(void)
{
    const char *yaml =
        "seed: 33\ntime: { step: 2h, horizon: 3d }\nreplicates: 1\n"
        "population: { agents: 20000, cities: 10 }\n"
        "network: { layers: [ { name: weibo, directed: true, generator: { model: erdos_renyi, "
        "mean_degree: 8 } },\n"
        "  { name: wechat, generator: { model: sbm, mean_degree: 6, within_city: 0.8 } } ] }\n"
        "diffusion: { model: buzz_funnel }\n"
        "arms:\n  f: [ { campaign: festival, engage: 1, at: 1d, cities: { top: 3 }, attendance: "
        "0.2, "
        "bring: 3 } ]\n";
    bz_experiment x[2];
    bz_results r[2];
    bz_error err;
    record rec[2];
    const int saved = omp_get_max_threads();
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_FATAL(load(yaml, &x[i], &err) == BZ_OK);
        record_alloc(&rec[i], x[i].agents, 3);
        use_recorder(&x[i], &rec[i]);
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
    CU_ASSERT(memcmp(r[0].arms[0].series[BZ_SER_EXPOSURES], r[1].arms[0].series[BZ_SER_EXPOSURES],
                     cells * (size_t)r[0].n_channels) == 0);
    CU_ASSERT_EQUAL(r[0].arms[0].outcomes[0].v[BZ_OUT_CAMPAIGN_COST],
                    r[1].arms[0].outcomes[0].v[BZ_OUT_CAMPAIGN_COST]);
    for (int i = 0; i < 2; i++) {
        bz_results_destroy(&r[i]);
        bz_experiment_destroy(&x[i]);
        record_free(&rec[i]);
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
    "diffusion: { model: buzz_funnel }\n"                                                          \
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
    /* Levers the model does not honour (engine/levers.h): the festival is
     * refused under bass unless it boosts nobody, and still needs engage. */
    const char *bass = "seed: 1\ntime: { step: 1h, horizon: 2d }\nreplicates: 1\n"
                       "population: { agents: 300, cities: 3 }\n"
                       "network: { layers: [ { name: wechat, generator: { model: erdos_renyi } } "
                       "] }\ndiffusion: { model: bass }\narms:\n";
    char yb[1024];
    snprintf(yb, sizeof yb, "%s  r: [ { campaign: referral } ]\n", bass);
    expect_refused(yb, "test.yaml:8:8: arms.r.0: campaign 'referral' needs the referral lever, "
                       "which model 'bass' does not honour; models that do: buzz_funnel");
    snprintf(yb, sizeof yb, "%s  f: [ { campaign: festival, at: 1d, share_boost: 2 } ]\n", bass);
    expect_refused(yb, "campaign 'festival' needs the engage lever, which model 'bass'");
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
                     "diffusion: { model: buzz_funnel }\narms:\n";
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

/* A minimal buying model that honours the referral lever: every agent
 * decides to buy at rate 0.5 per day; a decision while a referral programme
 * runs is "referred" (channel referral), any other channel external. */
static const char *const referrer_states[] = {"potential", "adopted"};

static int referrer_init(bz_sim *sim, bz_error *err)
{
    uint8_t *referred = calloc(sim->n, 1);
    if (!referred) return bz_error_set(err, BZ_ENOMEM, "out of memory");
    sim->model_state = referred;
    for (uint32_t v = 0; v < sim->n; v++) {
        bz_stream s;
        bz_sim_stream(sim, &s, v, 0, BZ_RNG_DECIDE);
        bz_sim_schedule(sim, bz_stream_exp1(&s) / 0.5, BZ_EV_MODEL, 0, v);
    }
    return BZ_OK;
}

static void referrer_event(bz_sim *sim, uint32_t v, uint32_t aux)
{
    (void)aux;
    uint8_t *referred = sim->model_state;
    referred[v] = bz_sim_share_at(sim, sim->t)->referral > 0;
    bz_market_request(sim, v);
}

static int referrer_adopt(bz_sim *sim, uint32_t v, int *referred)
{
    const uint8_t *flags = sim->model_state;
    bz_sim_move(sim, v, 1);
    *referred = flags[v];
    return flags[v] ? BZ_CH_REFERRAL : BZ_CH_EXTERNAL;
}

static void referrer_destroy(bz_sim *sim)
{
    free(sim->model_state);
    sim->model_state = NULL;
}

static const bz_model_type referrer_model = {
    .name = "referrer",
    .summary = "test fixture",
    .states = referrer_states,
    .n_states = 2,
    .adopted_mask = 2,
    .honours = BZ_LEVERS_ALL,
    .buys = 1,
    .init = referrer_init,
    .event = referrer_event,
    .adopt = referrer_adopt,
    .destroy = referrer_destroy,
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

/* Time-weighted referral multiplier of a schedule at t. */
static double referral_at(const record *rec, double t)
{
    double m = 0;
    for (size_t i = 0; i < rec->n_seg; i++)
        if (rec->seg[i].t <= t) m = rec->seg[i].referral;
    return m;
}

/* Rewards: cost = flat + reward x referred purchases, only while the
 * programme runs (exactly [at, at + duration)); the lever is share_mult
 * inside and 0 outside; two overlapping programmes pay each referral once
 * and use the larger multiplier. */
static void test_referral_accounting(void)
{
    const char *yaml = "seed: 3\ntime: { step: 6h, horizon: 3d }\nreplicates: 1\n"
                       "population: { agents: 3000, cities: 1 }\n"
                       "network: { layers: [ { name: wechat, generator: { model: erdos_renyi, "
                       "mean_degree: 4 } } ] }\n"
                       "diffusion: { model: bass }\narms:\n  one: []\n  two: []\n";
    const char *a[] = {"at=1d", "duration=1d", "reward=10", "cost=100", "share_mult=3"};
    const char *b[] = {"at=36h", "duration=0d", "reward=10", "cost=50", "share_mult=5"};
    const bz_campaign_type *ref = bz_campaign_find("referral");
    for (int i = 0; i < 2; i++) {
        bz_experiment x;
        bz_results r;
        bz_error err;
        CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
        CU_ASSERT_FATAL(bz_experiment_select_arms(&x, i ? "two" : "one", &err) == BZ_OK);
        x.model = &referrer_model;
        add_campaign(&x, 0, 0, ref, referral_params(a, 5));
        if (i) add_campaign(&x, 0, 1, ref, referral_params(b, 5));
        CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
        /* The schedule, seen from the results: referred purchases only
         * inside the programmes. */
        const int64_t *ra =
            bz_series_row(r.arms[0].series[BZ_SER_ADOPTIONS_BY], r.R, r.T, BZ_CH_REFERRAL, 0);
        int64_t referred = 0;
        for (uint32_t k = 1; k < r.T; k++) {
            const double t1 = r.time_days[k]; /* sample k counts (t1 - 0.25, t1] */
            const int inside = (t1 > 1 && t1 <= 2) || (i == 1 && t1 > 1.5);
            if (!inside) CU_ASSERT_EQUAL(ra[k], 0);
            referred += ra[k];
        }
        CU_ASSERT(referred > 50);
        const double flat = i == 0 ? 100 : 150;
        CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[0].v[BZ_OUT_CAMPAIGN_COST],
                               flat + 10.0 * (double)referred, 1e-6);
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
    /* The schedule itself, through the recorder. */
    bz_experiment x;
    bz_results r;
    bz_error err;
    record rec;
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    CU_ASSERT_FATAL(bz_experiment_select_arms(&x, "two", &err) == BZ_OK);
    record_alloc(&rec, x.agents, 0);
    use_recorder(&x, &rec);
    add_campaign(&x, 0, 0, ref, referral_params(a, 5));
    add_campaign(&x, 0, 1, ref, referral_params(b, 5));
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    CU_ASSERT_DOUBLE_EQUAL(referral_at(&rec, 0.9), 0, 0);
    CU_ASSERT_DOUBLE_EQUAL(referral_at(&rec, 1.0), 3, 0);
    CU_ASSERT_DOUBLE_EQUAL(referral_at(&rec, 1.49), 3, 0);
    CU_ASSERT_DOUBLE_EQUAL(referral_at(&rec, 1.5), 5, 0);
    CU_ASSERT_DOUBLE_EQUAL(referral_at(&rec, 2.5), 5, 0);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    record_free(&rec);
}

/* With the real sharing model: cost = flat + reward x referred purchases,
 * where a referred purchase is one whose buyer became interested through a
 * referral contact. That is at most, and here fewer than, the purchases
 * whose last touch was a referral contact: last touch also credits buyers
 * who were already interested. */
static void test_referral_buzz_funnel(void)
{
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
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const int64_t last_touch =
            series_sum(&r, r.arms[0].series[BZ_SER_ADOPTIONS_BY], BZ_CH_REFERRAL, rep);
        const double paid = (r.arms[0].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST] - 100.0) / 10.0;
        CU_ASSERT(paid > 0);
        CU_ASSERT(paid == floor(paid)); /* whole referrals */
        CU_ASSERT(paid < (double)last_touch);
        if (getenv("BZ_VERBOSE"))
            fprintf(stderr, "referrals paid %.0f, last-touch referral %lld\n", paid,
                    (long long)last_touch);
    }
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
/* The same with buzz_funnel, which honours urgency (the recorder replaces it). */
#define FS_HEAD_FUNNEL                                                                             \
    "seed: 11\ntime: { step: 1h, horizon: 3d }\nreplicates: 2\n"                                   \
    "population: { agents: 4000, cities: 2 }\n"                                                    \
    "network: { layers: [ { name: all, generator: { model: well_mixed } } ] }\n"                   \
    "diffusion: { model: buzz_funnel }\n"                                                          \
    "market: { availability: flash_only, stock: 0 }\n"

/* repeat: 3 windows 18h apart from 12h, 300 units each, all sold (demand is
 * far larger): stock rises by 300 at each opening, sales never exceed what
 * opened, sold-out news follows each window within news_within, the fee is
 * paid per window. With 5 windows the fifth (84h) is past the horizon and
 * never opens (nor is it paid). */
static void test_flash_sale_repeat(void)
{
    const char *yaml = FS_HEAD
        "arms:\n"
        "  three: [ { campaign: flash_sale, at: 12h, duration: 10m, stock: 300, repeat: 3,\n"
        "             every: 18h, news_reach: 0.5, news_within: 3h, cost: 50 } ]\n"
        "  five: [ { campaign: flash_sale, at: 12h, duration: 10m, stock: 300, repeat: 5,\n"
        "            every: 18h, cost: 50 } ]\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
    CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
    const size_t nwin[2] = {3, 5};
    const uint32_t R = r.R, T = r.T;
    for (int a = 0; a < 2; a++) {
        CU_ASSERT_EQUAL(r.arms[a].n_windows, nwin[a]);
        for (uint32_t rep = 0; rep < R; rep++)
            for (size_t k = 0; k < r.arms[a].n_windows; k++) {
                const bz_window_result *w = &r.arms[a].windows[rep * BZ_RESULT_WINDOWS + k];
                CU_ASSERT_DOUBLE_EQUAL(w->v[BZ_WIN_START_DAYS], 0.5 + 0.75 * (double)k, 1e-12);
                CU_ASSERT_EQUAL(w->v[BZ_WIN_STOCK], 300);
                CU_ASSERT_EQUAL(w->v[BZ_WIN_SOLD], k < 4 ? 300 : 0);
                if (k < 4) CU_ASSERT(w->v[BZ_WIN_SELLOUT_SECONDS] < 600);
            }
    }
    for (uint32_t rep = 0; rep < R; rep++) {
        for (int a = 0; a < 2; a++) {
            const int64_t *sales = bz_series_row(r.arms[a].series[BZ_SER_SALES], R, T, 0, rep);
            const int64_t *stock = bz_series_row(r.arms[a].series[BZ_SER_STOCK], R, T, 0, rep);
            for (uint32_t t = 0; t < T; t++) {
                /* windows opened before hour t */
                int64_t opened = 0;
                for (size_t k = 0; k < nwin[a]; k++)
                    opened += 12.0 + 18.0 * (double)k < (double)t;
                CU_ASSERT(sales[t] <= 300 * opened);
                if (opened) CU_ASSERT_EQUAL(stock[t] + sales[t], 300 * opened);
                if (!opened) CU_ASSERT_EQUAL(stock[t], -1);
            }
            CU_ASSERT_EQUAL(sales[T - 1], a == 0 ? 900 : 1200);
            CU_ASSERT_DOUBLE_EQUAL(r.arms[a].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST],
                                   a == 0 ? 150 : 200, 1e-9);
        }
        /* News within 3 h after each sell-out (seconds after 12h, 30h,
         * 48h): samples 13..16, 31..34, 49..52; about half of 4000 each. */
        const int64_t *news =
            bz_series_row(r.arms[0].series[BZ_SER_EXPOSURES], R, T, BZ_CH_NEWS, rep);
        int64_t per[3] = {0, 0, 0};
        for (uint32_t t = 1; t < T; t++) {
            int k = -1;
            for (int j = 0; j < 3; j++)
                if (t >= 13 + 18 * (uint32_t)j && t <= 16 + 18 * (uint32_t)j) k = j;
            if (k >= 0)
                per[k] += news[t];
            else
                CU_ASSERT_EQUAL(news[t], 0);
        }
        for (int k = 0; k < 3; k++)
            CU_ASSERT(per[k] > 1800 && per[k] < 2200);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* urgency multiplies every talker's sharing exactly during each
 * announcement (6h before each of two daily windows) and nowhere else;
 * without it the schedule stays 1. */
static void test_flash_sale_urgency(void)
{
    const char *yaml = FS_HEAD_FUNNEL
        "arms:\n"
        "  urgent: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 100, announce: 6h,\n"
        "              urgency: 4, repeat: 2, every: 1d } ]\n"
        "  calm: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 100, announce: 6h } ]\n";
    const char *arms[2] = {"urgent", "calm"};
    for (int a = 0; a < 2; a++) {
        bz_experiment x;
        bz_results r;
        bz_error err;
        record rec;
        CU_ASSERT_FATAL(load(yaml, &x, &err) == BZ_OK);
        CU_ASSERT_FATAL(bz_experiment_select_arms(&x, arms[a], &err) == BZ_OK);
        record_alloc(&rec, x.agents, 0);
        use_recorder(&x, &rec);
        CU_ASSERT_FATAL(run(&x, &r) == BZ_OK);
        for (double t = 0; t < 3; t += 1.0 / 96) {
            const int ann = (t >= 0.75 && t < 1) || (t >= 1.75 && t < 2);
            double all = 1;
            for (size_t i = 0; i < rec.n_seg; i++)
                if (rec.seg[i].t <= t) all = rec.seg[i].all;
            CU_ASSERT_DOUBLE_EQUAL(all, a == 0 && ann ? 4.0 : 1.0, 0);
        }
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
        record_free(&rec);
    }
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"festival guests are strong-tie friends of attendees", test_festival_guests_are_friends},
        {"festival attendance is binomial; cost adds up", test_festival_attendance_and_cost},
        {"festival {top: N} touches only the N largest cities", test_festival_top_cities},
        {"festival: same results with 1 and 2 threads", test_festival_threads},
        {"bad festival, referral and flash_sale settings are refused", test_errors},
        {"referral pays per referred purchase while it runs", test_referral_accounting},
        {"referral with buzz_funnel pays per referral, not per last touch",
         test_referral_buzz_funnel},
        {"flash_sale repeat: windows, stock, news, cost", test_flash_sale_repeat},
        {"flash_sale urgency only during announcements", test_flash_sale_urgency},
        CU_TEST_INFO_NULL,
    };
    return bz_test_main("campaigns", tests);
}
