/* Experiment runner: worlds, arms, replicates, series and outcomes. */
#include "engine/run.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "graph/netstats.h"
#include "engine/memo.h"
#include "engine/persons.h"
#include "engine/sim.h"
#include "graph/generator.h"

/* ---- world ---------------------------------------------------------------- */

int bz_world_build(bz_world *w, const bz_experiment *x, uint32_t replicate, bz_error *err)
{
    int status = BZ_OK;
    void *states[BZ_MAX_LAYERS] = {0};
    uint32_t file_n[BZ_MAX_LAYERS] = {0};
    double prep_s[BZ_MAX_LAYERS] = {0};
    memset(w, 0, sizeof *w);
    if (x->n_layers > BZ_MAX_LAYERS)
        BZ_FAIL(err, BZ_EINVAL, "network.layers: at most %d layers, got %zu", BZ_MAX_LAYERS,
                x->n_layers);

    /* Generators that define the agents (edge_list) are prepared first. */
    uint32_t n = x->agents, n_from_file = 0;
    for (size_t i = 0; i < x->n_layers; i++) {
        const bz_layer_spec *ls = &x->layers[i];
        if (!ls->gen->prepare) continue;
        bz_netgen_ctx ctx = {.n = x->agents,
                             .directed = ls->directed,
                             .seed = x->seed,
                             .replicate = replicate,
                             .layer_index = (uint32_t)i,
                             .params = ls->gen_params,
                             .base_dir = x->base_dir};
        double t0 = omp_get_wtime();
        status = ls->gen->prepare(&ctx, &states[i], &file_n[i], err);
        prep_s[i] = omp_get_wtime() - t0;
        if (status != BZ_OK) {
            bz_error_prefix(err, "network.layers.%zu (%s): ", i, ls->name);
            goto cleanup;
        }
        if (file_n[i] > n_from_file) n_from_file = file_n[i];
    }
    if (n == 0) n = n_from_file;
    if (n == 0)
        BZ_FAIL(err, BZ_EINVAL,
                "population.agents: not given, and no layer loads a network that defines it");
    for (size_t i = 0; i < x->n_layers; i++)
        if (file_n[i] > n)
            BZ_FAIL(err, BZ_EINVAL,
                    "population.agents: %u agents, but layer '%s' has %u nodes; give at least %u "
                    "or leave agents out",
                    n, x->layers[i].name, file_n[i], file_n[i]);

    bz_population_spec ps;
    bz_experiment_population_spec(x, &ps);
    BZ_CHECK(bz_population_build(&w->pop, n, &ps, x->seed, err));
    BZ_CHECK(bz_network_init(&w->net, n, x->n_layers, err));
    BZ_CHECK(bz_memo_create(&w->memo, err));
    for (size_t i = 0; i < x->n_layers; i++) {
        const bz_layer_spec *ls = &x->layers[i];
        if (ls->gen->check) {
            status = ls->gen->check(ls->gen_params, n, ls->directed, err);
            if (status != BZ_OK) {
                bz_error_prefix(err, "network.layers.%zu.generator: ", i);
                goto cleanup;
            }
        }
        bz_netgen_ctx ctx = {.n = n,
                             .directed = ls->directed,
                             .seed = x->seed,
                             .replicate = replicate,
                             .layer_index = (uint32_t)i,
                             .params = ls->gen_params,
                             .pop = &w->pop,
                             .base_dir = x->base_dir,
                             .state = states[i]};
        double t0 = omp_get_wtime();
        status = bz_layer_build(&w->net.layers[i], ls->gen, &ctx, ls->name, err);
        if (status != BZ_OK) {
            bz_error_prefix(err, "building layer '%s': ", ls->name);
            goto cleanup;
        }
        w->net.layers[i].build_seconds = prep_s[i] + omp_get_wtime() - t0;
        if (ls->gen->release) ls->gen->release(states[i]);
        states[i] = NULL;
    }
cleanup:
    for (size_t i = 0; i < x->n_layers && i < BZ_MAX_LAYERS; i++)
        if (states[i] && x->layers[i].gen->release) x->layers[i].gen->release(states[i]);
    if (status != BZ_OK) bz_world_destroy(w);
    return status;
}

void bz_world_destroy(bz_world *w)
{
    if (!w) return;
    bz_network_destroy(&w->net);
    bz_population_destroy(&w->pop);
    bz_memo_destroy(w->memo);
    w->memo = NULL;
}

/* ---- one arm, one replicate ------------------------------------------------ */

static void sim_destroy(bz_sim *sim)
{
    if (sim->model && sim->model->destroy && sim->model_state) sim->model->destroy(sim);
    for (size_t i = 0; i < sim->n_campaigns; i++)
        if (sim->campaigns[i].type && sim->campaigns[i].type->finish)
            sim->campaigns[i].type->finish(&sim->campaigns[i]);
    free(sim->campaigns);
    free(sim->state);
    free(sim->t_adopt);
    free(sim->boost);
    free(sim->boost_until);
    free(sim->share.seg);
    free(sim->share.iv);
    bz_evq_destroy(&sim->q);
    bz_market_destroy(&sim->market);
}

/* Value of row k of series s of the sim now (the one place that says what
 * each series of engine/results.h records). */
static int64_t sample(const bz_sim *sim, bz_series_id s, int k)
{
    switch (s) {
    case BZ_SER_ADOPTERS: {
        int64_t adopters = 0;
        for (int q = 0; q < sim->model->n_states; q++)
            if (sim->model->adopted_mask & (1u << q)) adopters += sim->counts[q];
        return adopters;
    }
    case BZ_SER_SALES:
        return sim->model->buys ? sim->purchases : sim->adoptions;
    case BZ_SER_STOCK:
        return sim->market.stock;
    case BZ_SER_UNMET:
        return sim->market.unmet;
    case BZ_SER_LOST:
        return sim->market.lost;
    case BZ_SER_STATES:
        return sim->counts[k];
    case BZ_SER_EXPOSURES:
        return sim->expo[k];
    case BZ_SER_ADOPTIONS_BY:
        return sim->adopt[k];
    default:
        return 0;
    }
}

/* Store every series of the sim at time indices ti .. tj (no event falls
 * between them: the same values, and no tallies after the first), then
 * start the next interval's tallies. The series arrays start zeroed
 * (bz_results_init) and each (arm, replicate) is recorded once, so zeros
 * are not written: the pages of rows that stay zero (channels nobody
 * uses, tallies between events) are never touched. O(series x (tj - ti +
 * 1)) sequential writes at most: a fine output step costs memory
 * bandwidth, not events. */
static void record(bz_sim *sim, bz_results *res, size_t arm, uint32_t rep, uint32_t ti, uint32_t tj)
{
    bz_arm_result *a = &res->arms[arm];
    for (int s = 0; s < BZ_N_SERIES; s++) {
        const int rows = bz_results_series_rows(res, (bz_series_id)s);
        const int tally = bz_series_defs[s].per_interval;
        for (int k = 0; k < rows; k++) {
            const int64_t v = sample(sim, (bz_series_id)s, k), rest = tally ? 0 : v;
            if (v == 0 && rest == 0) continue;
            int64_t *row = bz_series_row(a->series[s], res->R, res->T, k, rep);
            row[ti] = v;
            if (rest != 0)
                for (uint32_t t = ti + 1; t <= tj; t++)
                    row[t] = rest;
        }
    }
    memset(sim->expo, 0, sizeof sim->expo);
    memset(sim->adopt, 0, sizeof sim->adopt);
}

/* Middle of the bin (1/120 of the horizon) with the most adoptions after
 * time 0: fixed by the horizon, never by the output step. NaN if none. */
#define PEAK_BINS 120
static double peak_time(const bz_sim *sim)
{
    int64_t bins[PEAK_BINS] = {0};
    const double w = sim->horizon / PEAK_BINS;
    for (uint32_t v = 0; v < sim->n; v++) {
        const double t = sim->t_adopt[v];
        if (!(t > 0) || !(t < sim->horizon)) continue;
        int b = (int)(t / w);
        bins[b < PEAK_BINS ? b : PEAK_BINS - 1]++;
    }
    int best = -1;
    for (int b = 0; b < PEAK_BINS; b++)
        if (bins[b] > 0 && (best < 0 || bins[b] > bins[best])) best = b;
    return best < 0 ? NAN : (best + 0.5) * w;
}

/* Number of agents in an adopted state now. */
static int64_t adopters_now(const bz_sim *sim)
{
    int64_t a = 0;
    for (int q = 0; q < sim->model->n_states; q++)
        if (sim->model->adopted_mask & (1u << q)) a += sim->counts[q];
    return a;
}

/* Revenue of city c: the prices its residents paid, or, for models that do
 * not buy, its adoptions at market.price. */
static double city_revenue(const bz_sim *sim, uint32_t c)
{
    const bz_city_tally *ct = &sim->market.city[c];
    return sim->model->buys ? ct->revenue : (double)ct->adoptions * sim->x->market.price;
}

/* The per-city results of the sim into arm a's row rep (engine/results.h:
 * they add up to the outcomes). O(n + cities). */
static int record_cities(const bz_sim *sim, bz_arm_result *a, uint32_t rep, bz_error *err)
{
    const uint32_t C = sim->pop->n_cities;
    bz_city_result *row = a->cities + (size_t)rep * C;
    int64_t *unmet = calloc(C ? C : 1, sizeof *unmet);
    if (!unmet)
        return bz_error_oom(err, NULL, (size_t)(C ? C : 1) * sizeof *unmet,
                            "the results of %u cities", C);
    bz_market_waiting_by_city(sim, BZ_WAIT_SOLDOUT, unmet);
    for (uint32_t c = 0; c < C; c++) {
        const bz_city_tally *ct = &sim->market.city[c];
        row[c].v[BZ_CITY_ADOPTERS] = 0;
        row[c].v[BZ_CITY_PURCHASES] = (double)(sim->model->buys ? ct->purchases : ct->adoptions);
        row[c].v[BZ_CITY_GIFTED] = (double)ct->gifted;
        row[c].v[BZ_CITY_REVENUE] = city_revenue(sim, c);
        row[c].v[BZ_CITY_UNMET] = (double)unmet[c];
    }
    for (uint32_t v = 0; v < sim->n; v++)
        if (sim->model->adopted_mask & (1u << sim->state[v]))
            row[sim->pop->city[v]].v[BZ_CITY_ADOPTERS] += 1;
    free(unmet);
    return BZ_OK;
}

/* Every outcome of the sim (engine/results.h) into o; base_t: the baseline's
 * adoption times in this replicate, for the person-by-person comparison
 * (NULL: none, NaN outcomes; is_base: this is the baseline, zeros). */
static void outcome(const bz_sim *sim, double *o, int is_base, const float *base_t)
{
    const bz_market_spec *ms = &sim->x->market;
    o[BZ_OUT_FINAL_ADOPTERS] = (double)adopters_now(sim);
    o[BZ_OUT_PURCHASES] = (double)(sim->model->buys ? sim->purchases : sim->adoptions);
    o[BZ_OUT_GIFTED] = (double)sim->gifted;
    o[BZ_OUT_PEAK_TIME] = peak_time(sim);
    o[BZ_OUT_SELLOUT_SECONDS] = sim->market.sellout_seconds;
    /* Revenue is the sum of the cities' (in city order), so that the
     * per-city results add up to it exactly (record_cities). */
    double revenue = 0;
    for (uint32_t c = 0; c < sim->pop->n_cities; c++)
        revenue += city_revenue(sim, c);
    o[BZ_OUT_REVENUE] = revenue;
    /* Costs and discounts are the sums of the campaigns', in campaign
     * order, so that the per-campaign spend adds up to them exactly
     * (record_campaigns, engine/results.h). */
    double cost = 0, discount = 0;
    for (size_t i = 0; i < sim->n_campaigns; i++) {
        cost += sim->campaigns[i].cost;
        discount += bz_market_campaign_discount(sim, (uint32_t)i);
    }
    o[BZ_OUT_DISCOUNT] = discount;
    o[BZ_OUT_CAMPAIGN_COST] = cost;
    o[BZ_OUT_UNIT_COSTS] = bz_market_unit_costs(sim, o[BZ_OUT_PURCHASES], o[BZ_OUT_GIFTED]);
    o[BZ_OUT_FIXED_COSTS] = ms->fixed_cost;
    o[BZ_OUT_PROFIT] =
        o[BZ_OUT_REVENUE] - o[BZ_OUT_UNIT_COSTS] - o[BZ_OUT_CAMPAIGN_COST] - o[BZ_OUT_FIXED_COSTS];
    o[BZ_OUT_SPEND] = o[BZ_OUT_CAMPAIGN_COST] + o[BZ_OUT_DISCOUNT];
    o[BZ_OUT_COST_PER_ADOPTER] =
        o[BZ_OUT_FINAL_ADOPTERS] > 0 ? o[BZ_OUT_SPEND] / o[BZ_OUT_FINAL_ADOPTERS] : NAN;
    o[BZ_OUT_UNMET_DEMAND] = (double)sim->market.unmet;
    o[BZ_OUT_LOST_SALES] = (double)sim->market.lost;
    o[BZ_OUT_PRICED_OUT] = (double)bz_market_waiting(sim, BZ_WAIT_PRICE);
    bz_persons p = {NAN, NAN, NAN, NAN, NAN, NAN};
    if (is_base)
        p = (bz_persons){0, 0, 0, 0, 0, 0};
    else if (base_t)
        p = bz_persons_compare(sim->t_adopt, base_t, sim->n, sim->horizon);
    o[BZ_OUT_CONVERTED] = p.converted;
    o[BZ_OUT_DISPLACED] = p.displaced;
    o[BZ_OUT_ACCELERATED] = p.accelerated;
    o[BZ_OUT_DAYS_EARLIER] = p.days_earlier;
    o[BZ_OUT_ACCELERATION] = p.acceleration;
    o[BZ_OUT_EXPANSION] = p.expansion;
    o[BZ_OUT_EVENTS] = (double)sim->events;
}

/* What each campaign of the sim spent into arm a's row rep (engine/results.h:
 * the same terms, in the same order, as the outcomes' sums). Nothing when a
 * has no row for them. */
static void record_campaigns(const bz_sim *sim, bz_arm_result *a, uint32_t rep)
{
    if (!a->campaign_spend || a->n_campaigns != sim->n_campaigns) return;
    for (uint32_t k = 0; k < a->n_campaigns; k++) {
        bz_campaign_result *c = bz_arm_campaign(a, rep, k);
        c->v[BZ_CAMP_COST] = sim->campaigns[k].cost;
        c->v[BZ_CAMP_DISCOUNT] = bz_market_campaign_discount(sim, k);
        c->v[BZ_CAMP_SPEND] = c->v[BZ_CAMP_COST] + c->v[BZ_CAMP_DISCOUNT];
    }
}

/* The sale windows of the sim into arm a's row rep. */
static void record_windows(const bz_sim *sim, bz_arm_result *a, uint32_t rep)
{
    const bz_market *m = &sim->market;
    uint32_t nw = m->n_windows < BZ_RESULT_WINDOWS ? (uint32_t)m->n_windows : BZ_RESULT_WINDOWS;
    for (uint32_t i = 0; i < nw; i++) {
        const bz_market_window *w = &m->windows[i];
        a->windows[(size_t)rep * BZ_RESULT_WINDOWS + i] = (bz_window_result){
            {w->start, w->end, (double)w->stock, (double)w->sold, w->sellout_seconds,
             sim->x->market.price * (1.0 - w->discount), w->discount}};
    }
    /* Every replicate registers the same windows; replicates may run in
     * parallel, so the count is written atomically. */
#pragma omp atomic write
    a->n_windows = nw;
}

/* Process one event at its time. */
static void dispatch(bz_sim *sim, const bz_event *e)
{
    const uint32_t agent = bz_event_agent(e->key), aux = bz_event_aux(e->key);
    sim->t = e->t;
    switch (bz_event_kind(e->key)) {
    case BZ_EV_MARKET:
        bz_market_event(sim, agent, aux);
        break;
    case BZ_EV_CAMPAIGN:
        sim->campaigns[agent].type->act(sim, &sim->campaigns[agent], aux);
        break;
    case BZ_EV_EXPOSE:
        bz_sim_expose(sim, agent, (int)(aux & 31u), aux >> 5);
        break;
    case BZ_EV_ARRIVE:
        bz_market_arrive(sim, agent, aux);
        break;
    default:
        sim->model->event(sim, agent, aux);
        break;
    }
}

/* Prefetch for the model events due soon (engine/model.h: the events of the
 * calendar's sorted run are known in advance, and each touches agents
 * whose data is far apart in memory: overlapping those cache misses is
 * most of the speed of a large run, docs/performance.md). */
static inline void prefetch_ahead(const bz_sim *sim,
                                  void (*pf)(const bz_sim *, uint32_t, uint32_t, int))
{
    static const size_t dist[3] = {BZ_PREFETCH_FAR, BZ_PREFETCH_MID, BZ_PREFETCH_NEAR};
    for (int stage = 0; stage < 3; stage++) {
        const uint64_t key = bz_evq_ahead(&sim->q, dist[stage]);
        if (key && bz_event_kind(key) >= BZ_EV_MODEL)
            pf(sim, bz_event_agent(key), bz_event_aux(key), stage);
    }
}

/* What one simulation runs: campaigns with their positions in the arm
 * (the keys of their streams), and where its results go. An arm's job
 * records series and windows into res->arms[arm]; a sub-arm of
 * attribution (arm = SIZE_MAX) keeps only its outcomes. */
typedef struct run_job {
    const bz_campaign_spec *camps; /* [n] */
    const uint32_t *index;         /* [n] positions, NULL: 0 .. n-1 */
    size_t n;
    const char *name; /* the arm, for messages */
    size_t arm;       /* row of res, or SIZE_MAX */
    bz_outcome *out;  /* [R] outcomes */
} run_job;

/* What a disabled campaign (enabled: false) runs as: no hooks, so it
 * schedules nothing, touches no agent and accrues no cost; it keeps its
 * slot, so the other campaigns' streams and the results' rows do not
 * move. */
static const bz_campaign_type disabled_campaign = {
    .name = "disabled",
    .summary = "a campaign switched off (enabled: false)",
};

/* One simulation of job in replicate rep; base_t as for outcome(); *keep
 * (if keep is not NULL) receives its adoption times (the caller frees);
 * stats (if not NULL) its cost. */
static int run_one(const bz_experiment *x, const bz_world *w, const run_job *job, uint32_t rep,
                   bz_results *res, const float *base_t, float **keep, bz_run_stats *stats,
                   bz_error *err)
{
    int status = BZ_OK;
    const uint32_t n = w->pop.n;
    const int series = job->arm != SIZE_MAX && res;
    bz_sim sim;
    memset(&sim, 0, sizeof sim);
    sim.x = x;
    sim.net = &w->net;
    sim.pop = &w->pop;
    sim.model = x->model;
    sim.mp = x->model_params;
    sim.n = n;
    sim.seed = x->seed;
    sim.replicate = rep;
    sim.horizon = x->horizon;
    sim.memo = w->memo;

    sim.state = calloc(n ? n : 1, sizeof *sim.state);
    sim.t_adopt = malloc((n ? n : 1) * sizeof *sim.t_adopt);
    sim.campaigns = calloc(job->n ? job->n : 1, sizeof *sim.campaigns);
    if (!sim.state || !sim.t_adopt || !sim.campaigns)
        BZ_FAIL_OOM(err, NULL,
                    (size_t)(n ? n : 1) * (sizeof *sim.state + sizeof *sim.t_adopt) +
                        (job->n ? job->n : 1) * sizeof *sim.campaigns,
                    "the agent arrays of %u agents", n);
    for (uint32_t v = 0; v < n; v++)
        sim.t_adopt[v] = NAN;
    sim.counts[0] = n;
    BZ_CHECK(bz_evq_init(&sim.q, x->horizon, 4096, err));
    BZ_CHECK(bz_market_init(&sim, err));
    sim.n_campaigns = job->n;
    for (size_t i = 0; i < job->n; i++) {
        bz_campaign_run *run = &sim.campaigns[i];
        run->type = job->camps[i].enabled ? job->camps[i].type : &disabled_campaign;
        run->params = job->camps[i].params;
        run->index = job->index ? job->index[i] : (uint32_t)i;
        run->slot = (uint32_t)i;
        if (run->type->start) {
            status = run->type->start(&sim, run, err);
            if (status != BZ_OK) {
                bz_error_prefix(err, "arms.%s.%u (%s): ", job->name, run->index, run->type->name);
                goto cleanup;
            }
        }
    }
    BZ_CHECK(bz_sim_share_build(&sim, err));
    BZ_CHECK(x->model->init(&sim, err));
    if (sim.status != BZ_OK) BZ_FAIL(err, sim.status, "%s", sim.fail.msg);
    if (series) record(&sim, res, job->arm, rep, 0, 0);

    void (*const pf)(const bz_sim *, uint32_t, uint32_t, int) = x->model->prefetch;
    uint64_t peak = 0;
    for (uint32_t k = 1; k <= x->n_steps;) {
        const double tk = bz_run_sample_time(x, k);
        double next;
        while ((next = bz_evq_next_time(&sim.q)) < tk) {
            bz_event e;
            if (pf) prefetch_ahead(&sim, pf);
            bz_evq_pop(&sim.q, &e);
            dispatch(&sim, &e);
            sim.events++;
            if (sim.status != BZ_OK) BZ_FAIL(err, sim.status, "%s", sim.fail.msg);
        }
        if (bz_evq_size(&sim.q) > peak) peak = bz_evq_size(&sim.q);
        if (sim.q.failed) BZ_FAIL_OOM(err, NULL, sim.q.want, "the event calendar");
        /* Samples k .. j see the same state: no event before t_j. */
        uint32_t j = k;
        while (j < x->n_steps && !(next < bz_run_sample_time(x, j + 1)))
            j++;
        sim.t = bz_run_sample_time(x, j);
        if (series) record(&sim, res, job->arm, rep, k, j);
        k = j + 1;
    }
    if (stats) *stats = (bz_run_stats){sim.events, peak};
    outcome(&sim, job->out[rep].v, job->arm == 0, base_t);
    if (series) record_windows(&sim, &res->arms[job->arm], rep);
    if (series) record_campaigns(&sim, &res->arms[job->arm], rep);
    if (series && res->arms[job->arm].cities && res->n_cities == w->pop.n_cities)
        BZ_CHECK(record_cities(&sim, &res->arms[job->arm], rep, err));
    if (keep) {
        *keep = sim.t_adopt;
        sim.t_adopt = NULL;
    }
cleanup:
    sim_destroy(&sim);
    return status;
}

/* The job of arm `arm` of x. */
static run_job arm_job(const bz_experiment *x, bz_results *res, size_t arm)
{
    return (run_job){x->arms[arm].campaigns, NULL, x->arms[arm].n_campaigns,
                     x->arms[arm].name,      arm,  res->arms[arm].outcomes};
}

int bz_run_arm_replicate(const bz_experiment *x, const bz_world *w, size_t arm, uint32_t rep,
                         bz_results *res, bz_run_stats *stats, bz_error *err)
{
    const run_job job = arm_job(x, res, arm);
    return run_one(x, w, &job, rep, res, NULL, NULL, stats, err);
}

/* ---- attribution ------------------------------------------------------------- */

/* A coalition of an arm's players (bit j: player j's campaign runs, else
 * the baseline's at that position): its campaigns and their outcomes. */
typedef struct sub_arm {
    size_t arm;
    uint32_t mask;
    bz_campaign_spec *camps; /* borrowed params */
    uint32_t *index;
    size_t n;
    bz_outcome *out; /* [R] */
} sub_arm;

typedef struct subs {
    sub_arm *v;
    size_t n;
} subs;

static void subs_destroy(subs *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].camps);
        free(s->v[i].index);
        free(s->v[i].out);
    }
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* The coalitions an arm's method needs besides the empty one (the
 * baseline) and the full one (the arm): every other subset for Shapley,
 * the arm without each player for leave_one_out. */
static uint32_t n_coalitions(int method, size_t k)
{
    if (method == BZ_ATTRIB_SHAPLEY) return k ? (1u << k) - 2 : 0;
    if (method == BZ_ATTRIB_LEAVE_ONE_OUT) return k > 1 ? (uint32_t)k : 0;
    return 0;
}

static uint32_t coalition(int method, size_t k, uint32_t i)
{
    const uint32_t full = (1u << k) - 1;
    return method == BZ_ATTRIB_SHAPLEY ? i + 1 : full ^ (1u << i);
}

uint64_t bz_run_sub_arms(const bz_experiment *x)
{
    uint64_t n = 0;
    for (size_t a = 1; a < x->n_arms; a++) {
        uint32_t pos[BZ_ATTRIB_MAX_PLAYERS];
        const size_t k = bz_experiment_players(x, a, pos, BZ_ATTRIB_MAX_PLAYERS);
        n += n_coalitions(x->arms[a].attribution, k);
    }
    return n;
}

static int build_subs(const bz_experiment *x, subs *s, bz_error *err)
{
    int status = BZ_OK;
    const uint64_t total = bz_run_sub_arms(x);
    memset(s, 0, sizeof *s);
    if (total == 0) return BZ_OK;
    if (!(s->v = calloc(total, sizeof *s->v)))
        BZ_FAIL_OOM(err, NULL, bz_error_bytes(total, sizeof *s->v), "%llu sub-arms",
                    (unsigned long long)total);
    const bz_arm_spec *base = &x->arms[0];
    for (size_t a = 1; a < x->n_arms; a++) {
        const bz_arm_spec *arm = &x->arms[a];
        uint32_t pos[BZ_ATTRIB_MAX_PLAYERS];
        const size_t k = bz_experiment_players(x, a, pos, BZ_ATTRIB_MAX_PLAYERS);
        const uint32_t m = n_coalitions(arm->attribution, k);
        const size_t L =
            arm->n_campaigns > base->n_campaigns ? arm->n_campaigns : base->n_campaigns;
        for (uint32_t c = 0; c < m; c++) {
            sub_arm *sa = &s->v[s->n++];
            sa->arm = a;
            sa->mask = coalition(arm->attribution, k, c);
            sa->camps = calloc(L ? L : 1, sizeof *sa->camps);
            sa->index = calloc(L ? L : 1, sizeof *sa->index);
            sa->out = calloc(x->replicates, sizeof *sa->out);
            if (!sa->camps || !sa->index || !sa->out)
                BZ_FAIL_OOM(err, NULL,
                            (L ? L : 1) * (sizeof *sa->camps + sizeof *sa->index) +
                                x->replicates * sizeof *sa->out,
                            "the sub-arms of arm '%s'", arm->name);
            for (size_t i = 0; i < L; i++) {
                int player = -1;
                for (size_t j = 0; j < k; j++)
                    if (pos[j] == i) player = (int)j;
                const int mine = player < 0 || (sa->mask >> player & 1u);
                const bz_arm_spec *from = mine ? arm : base;
                if (i >= from->n_campaigns) continue; /* nothing at this position */
                sa->camps[sa->n] = from->campaigns[i];
                sa->index[sa->n++] = (uint32_t)i;
            }
        }
    }
cleanup:
    if (status != BZ_OK) subs_destroy(s);
    return status;
}

/* A label for player position i of arm a: the arm's campaign, and what it
 * replaces. Unique within the arm (the position is added when two would
 * read the same). */
static void player_label(const bz_experiment *x, size_t a, const uint32_t *pos, size_t k, size_t j,
                         char *out)
{
    const bz_arm_spec *arm = &x->arms[a], *base = &x->arms[0];
    const uint32_t i = pos[j];
    const char *mine = i < arm->n_campaigns ? arm->campaigns[i].type->name : NULL;
    const char *theirs = i < base->n_campaigns ? base->campaigns[i].type->name : NULL;
    int dup = 0;
    for (size_t q = 0; q < k; q++)
        if (q != j && pos[q] < arm->n_campaigns && mine &&
            strcmp(arm->campaigns[pos[q]].type->name, mine) == 0)
            dup = 1;
    char core[BZ_NAME_MAX];
    if (mine && theirs && strcmp(mine, theirs) == 0)
        snprintf(core, sizeof core, "%s (changed)", mine);
    else if (mine && theirs)
        snprintf(core, sizeof core, "%s (for the baseline's %s)", mine, theirs);
    else if (mine)
        snprintf(core, sizeof core, "%s", mine);
    else
        snprintf(core, sizeof core, "without %s", theirs ? theirs : "?");
    if (dup)
        snprintf(out, BZ_NAME_MAX, "%.50s #%u", core, (unsigned)i);
    else
        snprintf(out, BZ_NAME_MAX, "%s", core);
}

/* Shares per replicate from the coalitions' outcomes. */
static int attribute(const bz_experiment *x, bz_results *res, const subs *s, bz_error *err)
{
    for (size_t a = 1; a < x->n_arms; a++) {
        const int method = x->arms[a].attribution;
        if (method == BZ_ATTRIB_NONE) continue;
        uint32_t pos[BZ_ATTRIB_MAX_PLAYERS];
        const size_t k = bz_experiment_players(x, a, pos, BZ_ATTRIB_MAX_PLAYERS);
        bz_arm_result *ar = &res->arms[a];
        int status = bz_results_alloc_attrib(res, ar, method, (uint32_t)k, err);
        if (status != BZ_OK) return status;
        for (size_t j = 0; j < k; j++)
            player_label(x, a, pos, k, j, ar->attrib.players[j]);
        const uint32_t full = k ? (1u << k) - 1 : 0;
        /* v[mask] of outcome o in replicate r. */
        const bz_outcome *by_mask[1u << BZ_SHAPLEY_MAX] = {0};
        for (size_t q = 0; q < s->n && method == BZ_ATTRIB_SHAPLEY; q++)
            if (s->v[q].arm == a) by_mask[s->v[q].mask] = s->v[q].out;
        for (uint32_t r = 0; r < res->R; r++)
            for (int oi = 0; oi < BZ_N_ATTRIB_OUT; oi++) {
                const int o = bz_attrib_outcome[oi];
                double *share = ar->attrib.share + ((size_t)oi * res->R + r) * k;
                const double v_full = ar->outcomes[r].v[o], v_none = res->arms[0].outcomes[r].v[o];
                if (method == BZ_ATTRIB_LEAVE_ONE_OUT) {
                    for (size_t j = 0; j < k; j++) {
                        double without = v_none; /* k = 1: without it is the baseline */
                        for (size_t q = 0; q < s->n; q++)
                            if (s->v[q].arm == a && s->v[q].mask == (full ^ (1u << j)))
                                without = s->v[q].out[r].v[o];
                        share[j] = v_full - without;
                    }
                    continue;
                }
                /* Shapley: phi_j = sum over coalitions m without j of
                 * |m|! (k - |m| - 1)! / k! (v(m + j) - v(m)). */
                double fact[BZ_SHAPLEY_MAX + 1] = {1};
                for (size_t q = 1; q <= k; q++)
                    fact[q] = fact[q - 1] * (double)q;
                for (size_t j = 0; j < k; j++) {
                    double phi = 0;
                    for (uint32_t m = 0; m <= full; m++) {
                        if (m >> j & 1u) continue;
                        const uint32_t mj = m | 1u << j;
                        const double vm = m == 0 ? v_none : by_mask[m][r].v[o];
                        const double vmj = mj == full ? v_full : by_mask[mj][r].v[o];
                        const int size = __builtin_popcount(m);
                        phi += fact[size] * fact[k - (size_t)size - 1] / fact[k] * (vmj - vm);
                    }
                    share[j] = phi;
                }
            }
    }
    return BZ_OK;
}

/* ---- whole experiment ------------------------------------------------------- */

static int fill_layer_info(bz_results *res, const bz_experiment *x, const bz_world *w,
                           bz_error *err)
{
    for (uint32_t c = 0; c < res->n_cities && c < w->pop.n_cities; c++)
        res->city_agents[c] = (double)(w->pop.city_offsets[c + 1] - w->pop.city_offsets[c]);
    for (size_t i = 0; i < w->net.n_layers; i++) {
        int status =
            bz_netstats_layer_info(&w->net.layers[i], x->layers[i].gen->name, &res->layers[i], err);
        if (status != BZ_OK) return status;
    }
    return BZ_OK;
}

/* The per-campaign rows of arm `spec` in `arm`, with their labels: the
 * campaign's type, and its position when the arm has that type twice. */
static int campaign_labels(const bz_results *res, bz_arm_result *arm, const bz_arm_spec *spec,
                           bz_error *err)
{
    if (spec->n_campaigns > UINT32_MAX)
        return bz_error_set(err, BZ_EINVAL, "arm '%s': %zu campaigns", spec->name,
                            spec->n_campaigns);
    int status = bz_results_alloc_campaigns(res, arm, (uint32_t)spec->n_campaigns, err);
    if (status != BZ_OK) return status;
    for (size_t k = 0; k < spec->n_campaigns; k++) {
        const char *name = spec->campaigns[k].type->name;
        int dup = 0;
        for (size_t j = 0; j < spec->n_campaigns; j++)
            dup |= j != k && strcmp(spec->campaigns[j].type->name, name) == 0;
        if (dup)
            snprintf(arm->campaign_names[k], BZ_NAME_MAX, "%.40s #%u", name, (unsigned)k);
        else
            snprintf(arm->campaign_names[k], BZ_NAME_MAX, "%s", name);
    }
    return BZ_OK;
}

static int init_results(bz_results *res, const bz_experiment *x, bz_error *err)
{
    const bz_model_type *m = x->model;
    int status = bz_results_init(res, x->replicates, x->n_steps + 1, m->n_states,
                                 BZ_CH_LAYER0 + (int)x->n_layers, x->n_arms, x->n_layers, err);
    if (status != BZ_OK) return status;
    for (int k = 0; k < m->n_states; k++)
        snprintf(res->state_names[k], BZ_NAME_MAX, "%s", m->states[k]);
    for (int c = 0; c < res->n_channels; c++)
        snprintf(res->channel_names[c], BZ_NAME_MAX, "%s",
                 c < BZ_CH_LAYER0 ? bz_channel_fixed_name(c) : x->layers[c - BZ_CH_LAYER0].name);
    for (uint32_t t = 0; t < res->T; t++)
        res->time_days[t] = bz_run_sample_time(x, t);
    for (size_t a = 0; a < x->n_arms; a++) {
        snprintf(res->arms[a].name, BZ_NAME_MAX, "%s", x->arms[a].name);
        res->arms[a].campaigns_yaml =
            strdup(x->arms[a].campaigns_yaml ? x->arms[a].campaigns_yaml : "[]");
        if (!res->arms[a].campaigns_yaml)
            return bz_error_oom(
                err, NULL, strlen(x->arms[a].campaigns_yaml ? x->arms[a].campaigns_yaml : "[]") + 1,
                "the campaigns of arm '%s'", x->arms[a].name);
    }
    for (size_t a = 0; a < x->n_arms; a++) {
        status = campaign_labels(res, &res->arms[a], &x->arms[a], err);
        if (status != BZ_OK) return status;
    }
    status = bz_results_alloc_cities(res, x->cities, err);
    if (status != BZ_OK) return status;
    for (uint32_t c = 0; c < x->cities; c++)
        if (x->city_names)
            snprintf(res->city_names[c], BZ_NAME_MAX, "%s", x->city_names[c]);
        else
            snprintf(res->city_names[c], BZ_NAME_MAX, "%u", (unsigned)c);
    res->seed = x->seed;
    res->experiment_yaml = strdup(x->resolved_yaml ? x->resolved_yaml : "");
    if (!res->experiment_yaml)
        return bz_error_oom(err, NULL, strlen(x->resolved_yaml ? x->resolved_yaml : "") + 1,
                            "the resolved experiment");
    return BZ_OK;
}

static int check_supported(const bz_experiment *x, bz_error *err)
{
    /* Stock and availability act only on models whose adoption is a
     * purchase: refuse rather than silently ignore them elsewhere. */
    if (x->model->buys) return BZ_OK;
    if (x->market.stock != 0)
        return bz_error_set(err, BZ_EINVAL,
                            "market.stock: model '%s' does not buy through the market, so stock "
                            "has no effect (use 0 = unlimited), got %lld",
                            x->model->name, (long long)x->market.stock);
    for (size_t i = 0; i < x->market.n_local; i++)
        if (x->market.local[i].from > 0)
            return bz_error_set(err, BZ_EINVAL,
                                "market.local.%zu.from: model '%s' does not buy through the "
                                "market, so a local launch date has no effect (use 0), got %g",
                                i, x->model->name, x->market.local[i].from);
    if (x->market.availability != BZ_AVAIL_ALWAYS)
        return bz_error_set(err, BZ_EINVAL,
                            "market.availability: model '%s' does not buy through the market; "
                            "only 'always' applies",
                            x->model->name);
    return BZ_OK;
}

/* The simulations of replicates [r0, r1) on world w, in parallel (a
 * simulation runs on one thread, so they are the unit of parallelism; each
 * writes only its own rows). Two phases, so that every arm can be compared
 * agent by agent with the baseline of its replicate: first the baselines,
 * keeping their adoption times in base[rep] (4 bytes per agent and
 * replicate), then every other arm and the attribution sub-arms. */
static int run_tasks(const bz_experiment *x, const bz_world *w, uint32_t r0, uint32_t r1,
                     bz_results *res, const subs *sub, float **base, const bz_run_opts *opts,
                     uint64_t *done, uint64_t total, bz_error *err)
{
    int failed = 0;
    bz_error first;
    bz_error_clear(&first);
    const int64_t reps = (int64_t)(r1 - r0);
    const int64_t others = (int64_t)x->n_arms - 1 + (int64_t)sub->n;
    for (int phase = 0; phase < 2 && !failed; phase++) {
        const int64_t n_tasks = phase == 0 ? reps : reps * others;
#pragma omp parallel for schedule(dynamic, 1) if (n_tasks > 1)
        for (int64_t task = 0; task < n_tasks; task++) {
            int skip;
#pragma omp atomic read
            skip = failed;
            if (skip) continue;
            const int64_t which = phase == 0 ? -1 : task % others;
            const uint32_t rep = r0 + (uint32_t)(phase == 0 ? task : task / others);
            run_job job;
            if (which < 0) {
                job = arm_job(x, res, 0);
            } else if (which < (int64_t)x->n_arms - 1) {
                job = arm_job(x, res, (size_t)which + 1);
            } else {
                const sub_arm *sa = &sub->v[which - ((int64_t)x->n_arms - 1)];
                job = (run_job){sa->camps, sa->index, sa->n, x->arms[sa->arm].name,
                                SIZE_MAX,  sa->out};
            }
            bz_error e;
            bz_error_clear(&e);
            int st = run_one(x, w, &job, rep, res, which < 0 ? NULL : base[rep],
                             which < 0 ? &base[rep] : NULL, NULL, &e);
            if (st != BZ_OK) {
#pragma omp critical(bz_run_error)
                if (!failed) {
                    failed = 1;
                    first = e;
                }
            }
            uint64_t now;
#pragma omp atomic capture
            now = ++*done;
            if (omp_get_thread_num() == 0 && opts && opts->progress)
                opts->progress(opts->progress_ctx, now, total);
        }
    }
    if (failed) {
        if (err) *err = first;
        return first.code;
    }
    return BZ_OK;
}

double bz_run_sample_time(const bz_experiment *x, uint32_t k)
{
    return k >= x->n_steps ? x->horizon : fmin(k * x->step, x->horizon);
}

int bz_run_experiment(const bz_experiment *x, const bz_run_opts *opts, bz_results *res,
                      bz_error *err)
{
    int status = BZ_OK;
    bz_world shared;
    float **base = NULL;
    subs sub = {NULL, 0};
    memset(&shared, 0, sizeof shared);
    memset(res, 0, sizeof *res);
    BZ_CHECK(check_supported(x, err));
    BZ_CHECK(init_results(res, x, err));

    uint32_t r0 = 0, r1 = x->replicates;
    if (opts && opts->rep_end) {
        if (!(opts->rep_begin < opts->rep_end && opts->rep_end <= x->replicates))
            BZ_FAIL(err, BZ_EINVAL, "replicate range [%u, %u) outside the %u replicates",
                    (unsigned)opts->rep_begin, (unsigned)opts->rep_end, (unsigned)x->replicates);
        r0 = opts->rep_begin, r1 = opts->rep_end;
        for (size_t a = 0; a < x->n_arms; a++)
            if (x->arms[a].attribution != BZ_ATTRIB_NONE && (r0 || r1 < x->replicates))
                BZ_FAIL(err, BZ_EINVAL,
                        "arm '%s': attribution needs every replicate, not the range [%u, %u)",
                        x->arms[a].name, (unsigned)r0, (unsigned)r1);
    }
    BZ_CHECK(build_subs(x, &sub, err));
    const uint64_t total = (uint64_t)(r1 - r0) * (x->n_arms + sub.n);
    uint64_t done = 0;
    if (!(base = calloc(x->replicates, sizeof *base)))
        BZ_FAIL_OOM(err, NULL, (size_t)x->replicates * sizeof *base, "%u replicates",
                    x->replicates);
    if (!x->resample) {
        BZ_CHECK(bz_world_build(&shared, x, BZ_RNG_SHARED_REPLICATE, err));
        BZ_CHECK(fill_layer_info(res, x, &shared, err));
        BZ_CHECK(run_tasks(x, &shared, r0, r1, res, &sub, base, opts, &done, total, err));
    } else {
        for (uint32_t rep = r0; rep < r1; rep++) {
            bz_world own;
            BZ_CHECK(bz_world_build(&own, x, rep, err));
            status = rep == r0 ? fill_layer_info(res, x, &own, err) : BZ_OK;
            if (status == BZ_OK)
                status = run_tasks(x, &own, rep, rep + 1, res, &sub, base, opts, &done, total, err);
            bz_world_destroy(&own);
            free(base[rep]); /* this replicate's own network: its arms are compared */
            base[rep] = NULL;
            if (status != BZ_OK) goto cleanup;
        }
    }
    if (opts && opts->progress) opts->progress(opts->progress_ctx, total, total);
    for (size_t a = 0; a < x->n_arms; a++) {
        double c = 0;
        for (uint32_t r = r0; r < r1; r++)
            c += res->arms[a].outcomes[r].v[BZ_OUT_CAMPAIGN_COST];
        res->arms[a].cost = c / (r1 - r0);
    }
    BZ_CHECK(attribute(x, res, &sub, err));
cleanup:
    subs_destroy(&sub);
    for (uint32_t r = 0; base && r < x->replicates; r++)
        free(base[r]);
    free(base);
    bz_world_destroy(&shared);
    return status;
}

/* ---- memory estimate -------------------------------------------------------- */

/* MemAvailable of /proc/meminfo in bytes; 0 if unknown. */
static uint64_t meminfo_available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f) return 0;
    char line[256];
    unsigned long long kb = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) break;
    fclose(f);
    return (uint64_t)kb * 1024;
}

/* Field k of /proc/self/statm (0: the address space mapped, 5: data and
 * stack) in bytes; 0 if unknown. */
static uint64_t statm_bytes(int k)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long v[7] = {0};
    if (!f) return 0;
    int got = fscanf(f, "%llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
                     &v[5], &v[6]);
    fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    return got > k && page > 0 ? (uint64_t)v[k] * (uint64_t)page : 0;
}

/* Soft limit of resource `which`, RLIM_INFINITY as 0. */
static uint64_t soft_limit(int which)
{
    struct rlimit rl;
    if (getrlimit(which, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 0;
    return (uint64_t)rl.rlim_cur;
}

/* limit - used - extra, at least 1 (0 would mean "unknown"). */
static uint64_t left_under(uint64_t limit, uint64_t used, uint64_t extra)
{
    return limit > used + extra ? limit - used - extra : 1;
}

void bz_mem_limit_get(int threads, bz_mem_limit *out)
{
    uint64_t stack = soft_limit(RLIMIT_STACK);
    if (stack == 0) stack = (uint64_t)8 << 20;
    const uint64_t stacks = (uint64_t)(threads > 1 ? threads - 1 : 0) * stack;
    *out = (bz_mem_limit){meminfo_available(), 0, "MemAvailable"};
    const struct {
        int which, field;
        const char *name;
    } lim[] = {{RLIMIT_AS, 0, "ulimit -v"}, {RLIMIT_DATA, 5, "ulimit -d"}};
    for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
        uint64_t l = soft_limit(lim[i].which);
        if (!l) continue;
        uint64_t left = left_under(l, statm_bytes(lim[i].field), stacks);
        if (!out->bytes || left < out->bytes) *out = (bz_mem_limit){left, l, lim[i].name};
    }
}

uint64_t bz_mem_available(void)
{
    bz_mem_limit m;
    bz_mem_limit_get(1, &m);
    return m.bytes;
}

const char *bz_mem_limit_describe(uint64_t limit, const char *name, int threads, char *buf,
                                  size_t size)
{
    const double g = 1024.0 * 1024.0 * 1024.0;
    if (!limit || !name)
        snprintf(buf, size, "available");
    else
        snprintf(buf, size, "left under %s (%s %.1f GiB, less what is mapped now%s)", name,
                 strcmp(name, "ulimit -v") == 0 ? "RLIMIT_AS" : "RLIMIT_DATA", limit / g,
                 threads > 1 ? " and the thread stacks" : "");
    return buf;
}

uint64_t bz_run_series_bytes(const bz_experiment *x)
{
    return (uint64_t)x->n_arms * bz_results_series_bytes(x->replicates, x->n_steps + 1,
                                                         x->model->n_states,
                                                         BZ_CH_LAYER0 + (int)x->n_layers);
}

static void fill_limit(bz_mem_estimate *est, int threads)
{
    bz_mem_limit m;
    bz_mem_limit_get(threads, &m);
    est->available = m.bytes;
    est->limit = m.limit;
    est->limit_name = m.name;
    est->threads = threads;
}

int bz_mem_estimate_compute(const bz_experiment *x, int threads, bz_mem_estimate *est,
                            bz_error *err)
{
    memset(est, 0, sizeof *est);
    est->complete = 1;
    const uint64_t n = x->agents;
    est->agents = x->agents;
    if (n == 0) {
        /* The agent count comes from a file: sizes are known only after
         * loading it. */
        est->complete = 0;
        fill_limit(est, threads);
        return BZ_OK;
    }
    (void)err;
    /* Population: city (4) + city members (4) + attributes (3 x 4). */
    est->population = n * 20 + ((uint64_t)x->cities + 1) * 8;
    uint64_t largest_peak = 0;
    for (size_t i = 0; i < x->n_layers; i++) {
        const bz_layer_spec *ls = &x->layers[i];
        if (ls->gen->implicit_complete) continue;
        uint64_t arcs = ls->gen->estimate_arcs
                            ? ls->gen->estimate_arcs(ls->gen_params, (uint32_t)n, ls->directed)
                            : 0;
        if (arcs == 0) est->complete = 0;
        est->network += arcs * 4 + (n + 1) * 8 + (ls->directed ? n * 4 : 0);
        /* Building in two passes: per-agent counters (8), staging buffers
         * (512 KiB per thread) and up to 4 bytes per arc of generator state.
         * A one-pass build (graph/collect.c) peaks lower, at 6 bytes per
         * arc + 8 per agent including the layer itself. */
        uint64_t peak = (n + 1) * 8 + (uint64_t)threads * 524288 + arcs * 4;
        if (peak > largest_peak) largest_peak = peak;
    }
    est->build_peak = largest_peak;
    /* Simulation: state (1), adoption time (4), market (1), the model's
     * arrays (at most 56: buzz_funnel) and the event calendar (16 per
     * pending event, at most about 2 per agent); one simulation per
     * thread, up to the number of (arm, replicate) tasks. */
    uint64_t per_sim = n * (1 + 4 + 1 + 56 + 32);
    uint64_t tasks = (uint64_t)x->n_arms * x->replicates;
    uint64_t concurrent = threads > 1 ? (uint64_t)threads : 1;
    if (concurrent > tasks) concurrent = tasks;
    est->simulation = per_sim * concurrent;
    /* The series of every arm, and the baselines' adoption times kept for
     * the person-by-person comparison (4 bytes per agent and replicate). */
    est->results = bz_run_series_bytes(x) + (uint64_t)x->replicates * n * 4;
    uint64_t transient = est->build_peak > est->simulation ? est->build_peak : est->simulation;
    est->total = est->population + est->network + transient + est->results;
    fill_limit(est, threads);
    return BZ_OK;
}

int bz_mem_estimate_check(const bz_mem_estimate *est, bz_error *err)
{
    if (!est->available || est->total <= est->available) return BZ_OK;
    const double g = 1024.0 * 1024.0 * 1024.0;
    char lim[160];
    bz_mem_limit_describe(est->limit, est->limit_name, est->threads, lim, sizeof lim);
    return bz_error_set(err, BZ_ETOOBIG,
                        "the experiment needs about %.1f GiB (network %.1f, agents %.1f, "
                        "building or simulating %.1f, results %.1f) but %.1f GiB are %s: "
                        "reduce population.agents, the mean degrees, replicates or the "
                        "horizon%s",
                        est->total / g, est->network / g, est->population / g,
                        (est->build_peak > est->simulation ? est->build_peak : est->simulation) / g,
                        est->results / g, est->available / g, lim,
                        est->limit ? (est->threads > 1 ? ", use fewer --threads or raise the limit"
                                                       : ", or raise the limit")
                                   : "");
}
