/* Campaign levers (engine/levers.h): the declarations are complete and
 * honest.
 *
 *   - the lever table is in bit order with unique names; every campaign of
 *     the registry declares a non-empty mask, conditions on numeric
 *     parameters of its own table for levers of its mask, and a lever set
 *     that at least one model honours (with its defaults and in full);
 *     every model declares what it honours, consistently with its
 *     callbacks (sale <=> buys, boost => boosted);
 *   - conditions: festival's boost and flash_sale's urgency are used only
 *     for the parameter values that make the campaign call the lever;
 *   - honesty: for every lever and every model that claims to honour it, a
 *     probe campaign that uses exactly that lever raises the final adopters
 *     over the same run without it (paired: the same streams); under a
 *     model that does not honour it, the probe changes nothing, which is
 *     why the config refuses such arms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "engine/levers.h"
#include "engine/market.h"
#include "engine/run.h"
#include "engine/sim.h"

static void test_table(void)
{
    for (int k = 0; k < BZ_N_LEVERS; k++) {
        CU_ASSERT_EQUAL(bz_lever_defs[k].bit, 1u << k);
        CU_ASSERT(bz_lever_defs[k].name && bz_lever_defs[k].name[0]);
        CU_ASSERT(bz_lever_defs[k].desc && strlen(bz_lever_defs[k].desc) > 20);
        CU_ASSERT(bz_lever_defs[k].call && strncmp(bz_lever_defs[k].call, "bz_", 3) == 0);
        for (int j = 0; j < k; j++)
            CU_ASSERT(strcmp(bz_lever_defs[j].name, bz_lever_defs[k].name) != 0);
        CU_ASSERT_PTR_EQUAL(bz_lever_def_of(bz_lever_defs[k].bit | (1u << (BZ_N_LEVERS - 1))),
                            &bz_lever_defs[k]);
    }
    CU_ASSERT_PTR_NULL(bz_lever_def_of(0));
    char b[200];
    CU_ASSERT_STRING_EQUAL(bz_levers_format(0, b, sizeof b), "none");
    CU_ASSERT_STRING_EQUAL(bz_levers_format(BZ_LEVER_SALE | BZ_LEVER_EXPOSE, b, sizeof b),
                           "expose, sale");
}

/* Some model honours every lever of mask. */
static int honoured_somewhere(uint32_t mask)
{
    for (size_t i = 0; bz_model_registry[i]; i++)
        if ((mask & ~bz_model_registry[i]->honours) == 0) return 1;
    return 0;
}

static void test_registries(void)
{
    size_t n_models = 0, n_campaigns = 0;
    for (size_t i = 0; bz_model_registry[i]; i++, n_models++) {
        const bz_model_type *m = bz_model_registry[i];
        printf("  model %-20s honours %#04x\n", m->name, m->honours);
        CU_ASSERT(m->honours != 0);
        CU_ASSERT((m->honours & ~BZ_LEVERS_ALL) == 0);
        CU_ASSERT(m->honours & BZ_LEVER_EXPOSE); /* expose() is required of every model */
        if (m->honours & BZ_LEVER_SEED) CU_ASSERT_PTR_NOT_NULL(m->seed);
        if (m->honours & BZ_LEVER_BOOST) CU_ASSERT_PTR_NOT_NULL(m->boosted);
        /* Sale windows act through the market, which only buying models use. */
        CU_ASSERT_EQUAL(!!(m->honours & BZ_LEVER_SALE), !!m->buys);
        /* Referral rewards are paid per referred purchase. */
        if (m->honours & BZ_LEVER_REFERRAL) CU_ASSERT(m->buys);
    }
    for (size_t i = 0; bz_campaign_registry[i]; i++, n_campaigns++) {
        const bz_campaign_type *t = bz_campaign_registry[i];
        CU_ASSERT(t->levers != 0);
        CU_ASSERT((t->levers & ~BZ_LEVERS_ALL) == 0);
        CU_ASSERT(t->n_lever_conds == 0 || t->lever_conds != NULL);
        void *p = calloc(1, t->params_size + 1);
        CU_ASSERT_FATAL(p != NULL);
        CU_ASSERT_FATAL(bz_params_set_defaults(t->params, t->n_params, p, NULL) == BZ_OK);
        for (size_t k = 0; k < t->n_lever_conds; k++) {
            const bz_lever_cond *c = &t->lever_conds[k];
            CU_ASSERT(c->lever != 0 && (c->lever & (c->lever - 1)) == 0); /* one lever */
            CU_ASSERT((c->lever & ~t->levers) == 0);
            const bz_param *q = bz_params_find(t->params, t->n_params, c->param);
            CU_ASSERT_PTR_NOT_NULL(q);
            if (q) CU_ASSERT(!isnan(bz_param_number(q, p)));
            if (!q) fprintf(stderr, "campaign %s: no parameter '%s'\n", t->name, c->param);
        }
        const uint32_t used = bz_campaign_levers(t, p);
        char a[200], b[200];
        printf("  campaign %-12s levers %s; with its defaults %s\n", t->name,
               bz_levers_format(t->levers, a, sizeof a), bz_levers_format(used, b, sizeof b));
        CU_ASSERT((used & ~t->levers) == 0);
        CU_ASSERT(used != 0);
        CU_ASSERT(honoured_somewhere(used));
        CU_ASSERT(honoured_somewhere(t->levers));
        free(p);
    }
    CU_ASSERT(n_models >= 5);
    CU_ASSERT(n_campaigns >= 6);
}

/* The params of campaign `name` from "key=value" settings over the defaults. */
static void *campaign_params(const char *name, const char *const *kv, size_t n)
{
    const bz_campaign_type *t = bz_campaign_find(name);
    CU_ASSERT_FATAL(t != NULL);
    void *p = calloc(1, t->params_size);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_FATAL(bz_params_set_defaults(t->params, t->n_params, p, NULL) == BZ_OK);
    for (size_t i = 0; i + 1 < n; i += 2) {
        const bz_param *q = bz_params_find(t->params, t->n_params, kv[i]);
        CU_ASSERT_FATAL(q != NULL);
        CU_ASSERT_FATAL(bz_param_parse(q, kv[i + 1], p, NULL) == BZ_OK);
    }
    return p;
}

static void test_conditions(void)
{
    const bz_campaign_type *fest = bz_campaign_find("festival");
    const bz_campaign_type *fs = bz_campaign_find("flash_sale");
    CU_ASSERT_FATAL(fest && fs);
    char why[160];
    static const char *const cases_fest[][4] = {
        {"share_boost", "3", "boost_for", "7d"},
        {"share_boost", "1", "boost_for", "7d"},
        {"share_boost", "3", "boost_for", "0d"},
    };
    for (int i = 0; i < 3; i++) {
        void *p = campaign_params("festival", cases_fest[i], 4);
        const uint32_t m = bz_campaign_levers(fest, p);
        CU_ASSERT(m & BZ_LEVER_ENGAGE);
        CU_ASSERT_EQUAL(!!(m & BZ_LEVER_BOOST), i == 0);
        if (i == 0)
            CU_ASSERT_STRING_EQUAL(bz_campaign_lever_why(fest, p, BZ_LEVER_BOOST, why, sizeof why),
                                   "share_boost 3, boost_for 7d");
        free(p);
    }
    static const char *const cases_fs[][4] = {
        {"urgency", "1", "announce", "0d"},
        {"urgency", "2", "announce", "0d"},
        {"urgency", "1", "announce", "1d"},
        {"urgency", "2", "announce", "1d"},
    };
    for (int i = 0; i < 4; i++) {
        void *p = campaign_params("flash_sale", cases_fs[i], 4);
        const uint32_t m = bz_campaign_levers(fs, p);
        CU_ASSERT((m & (BZ_LEVER_SALE | BZ_LEVER_EXPOSE)) == (BZ_LEVER_SALE | BZ_LEVER_EXPOSE));
        CU_ASSERT_EQUAL(!!(m & BZ_LEVER_URGENCY), i == 3);
        free(p);
    }
    /* An unconditional lever has no reason to give. */
    void *p = campaign_params("festival", NULL, 0);
    CU_ASSERT_STRING_EQUAL(bz_campaign_lever_why(fest, p, BZ_LEVER_ENGAGE, why, sizeof why), "");
    free(p);
}

/* ---- the probe: a test campaign that uses one lever ----------------------------
 * At day 1 it acts on a fixed set of agents; `on` = 0 is the same campaign
 * with the lever left out, so that the two arms differ only by the lever:
 *   expose    every 4th agent is exposed (off: nobody)
 *   engage    every 4th agent gets an engaging exposure (off: a plain one)
 *   seed      every 20th agent is seeded (off: nobody)
 *   boost     every 20th agent is seeded, and (on) shares 20x until the horizon
 *   urgency   every 20th agent is seeded; (on) everyone shares 20x throughout
 *   referral  every 20th agent is seeded; (on) a referral interval, 20x
 *   persuade  every 4th agent is exposed twice; (on) ads persuade with 1
 *   programme every 20th agent is seeded; (on) a brand community all join,
 *             members buying at 20x and all advocating
 *   sale      every 4th agent is exposed (demand); (on) a sale window from
 *             day 1 with ample stock, the market being open only in windows
 *             (off: no window, so nobody can buy). */
typedef struct probe_params {
    uint32_t lever;
    int on;
} probe_params;

static int probe_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const probe_params *p = run->params;
    bz_sim_schedule_campaign(sim, run, 1.0, 0);
    if (!p->on) return BZ_OK;
    switch (p->lever) {
    case BZ_LEVER_BOOST:
        return bz_sim_boost_enable(sim, err);
    case BZ_LEVER_URGENCY:
        return bz_sim_share_interval(sim, 0, sim->horizon, 20, run->index, 0, err);
    case BZ_LEVER_REFERRAL:
        return bz_sim_share_interval(sim, 0, sim->horizon, 20, run->index, 1, err);
    case BZ_LEVER_PERSUADE:
        bz_sim_set_persuasion(sim, BZ_CH_ADVERTISING, 1);
        return BZ_OK;
    case BZ_LEVER_PROGRAMME:
        sim->community = (bz_community){
            .run = run, .from = 0, .until = sim->horizon, .join = 1, .buy_lift = 20, .advocate = 1};
        return BZ_OK;
    case BZ_LEVER_SALE: {
        size_t w;
        return bz_market_add_window(sim, 1.0, sim->horizon, 1000000000, 0, run->slot, 0, &w, err);
    }
    default:
        return BZ_OK;
    }
}

static void probe_act(bz_sim *sim, bz_campaign_run *run, uint32_t tag)
{
    const probe_params *p = run->params;
    if (tag != 0) return; /* a sold-out notice */
    for (uint32_t v = 0; v < sim->n; v++) {
        switch (p->lever) {
        case BZ_LEVER_SALE:
            if (v % 4 == 0) bz_sim_expose(sim, v, BZ_CH_ADVERTISING, 0);
            break;
        case BZ_LEVER_EXPOSE:
            if (p->on && v % 4 == 0) bz_sim_expose(sim, v, BZ_CH_ADVERTISING, 0);
            break;
        case BZ_LEVER_PERSUADE: /* the second exposure finds some aware */
            if (v % 4 == 0) bz_sim_expose(sim, v, BZ_CH_ADVERTISING, 0);
            if (v % 4 == 0) bz_sim_expose(sim, v, BZ_CH_ADVERTISING, 0);
            break;
        case BZ_LEVER_ENGAGE:
            if (v % 4 == 0) bz_sim_expose(sim, v, BZ_CH_FESTIVAL, p->on ? BZ_EXPOSE_ENGAGE : 0);
            break;
        case BZ_LEVER_SEED:
            if (p->on && v % 20 == 0) bz_sim_seed(sim, v, BZ_CH_KOL);
            break;
        case BZ_LEVER_BOOST:
        case BZ_LEVER_URGENCY:
        case BZ_LEVER_REFERRAL:
        case BZ_LEVER_PROGRAMME:
            if (v % 20 != 0) break;
            bz_sim_seed(sim, v, BZ_CH_KOL);
            if (p->on && p->lever == BZ_LEVER_BOOST) bz_sim_boost(sim, v, 20, sim->horizon);
            break;
        default:
            break;
        }
    }
}

static const bz_campaign_type probe_campaign = {
    .name = "probe",
    .summary = "test fixture: uses one lever",
    .params_size = sizeof(probe_params),
    .levers = BZ_LEVERS_ALL,
    .start = probe_start,
    .act = probe_act,
};

/* The diffusion section used for a model: parameters under which the
 * probe's agents matter within 10 days. */
static const char *diffusion_of(const char *model)
{
    if (strcmp(model, "bass") == 0) return "{ model: bass, p: 0.01, q: 0.5, response: 0.3 }";
    if (strcmp(model, "sir") == 0) return "{ model: sir, seeds: 0, beta: 0.05 }";
    if (strcmp(model, "independent_cascade") == 0)
        return "{ model: independent_cascade, seeds: 0, p: 0.05 }";
    if (strcmp(model, "linear_threshold") == 0)
        return "{ model: linear_threshold, seeds: 0, threshold: 0.5 }";
    return NULL; /* the model's defaults */
}

static void add_probe(bz_experiment *x, size_t arm, uint32_t lever, int on)
{
    bz_arm_spec *a = &x->arms[arm];
    probe_params *p = malloc(sizeof *p);
    bz_campaign_spec *c = realloc(a->campaigns, (a->n_campaigns + 1) * sizeof *c);
    CU_ASSERT_FATAL(p != NULL && c != NULL);
    *p = (probe_params){lever, on};
    a->campaigns = c;
    c[a->n_campaigns++] = (bz_campaign_spec){&probe_campaign, p, 1};
}

static void test_honest(void)
{
    int pairs = 0;
    for (int k = 0; k < BZ_N_LEVERS; k++) {
        const bz_lever_def *d = &bz_lever_defs[k];
        for (size_t i = 0; bz_model_registry[i]; i++) {
            const bz_model_type *m = bz_model_registry[i];
            const int honours = (m->honours & d->bit) != 0;
            /* A sale window needs a market, which models that do not buy
             * have not (and their config refuses flash_only). */
            if (!honours && d->bit == BZ_LEVER_SALE) continue;
            char y[2048], dm[80];
            const char *diff = diffusion_of(m->name);
            if (!diff) {
                snprintf(dm, sizeof dm, "{ model: %s }", m->name);
                diff = dm;
            }
            snprintf(y, sizeof y,
                     "seed: 3\ntime: { step: 1d, horizon: 10d }\nreplicates: 3\n"
                     "population: { agents: 3000, cities: 2 }\n"
                     "network: { layers: [ { name: friends, share: 0.3, generator: { model: "
                     "erdos_renyi, mean_degree: 8 } } ] }\n"
                     "diffusion: %s\n%sarms:\n  off: []\n  on: []\n",
                     diff, d->bit == BZ_LEVER_SALE ? "market: { availability: flash_only }\n" : "");
            bz_experiment x;
            bz_results r;
            bz_error err;
            int st = bz_experiment_load_string(&x, y, "levers.yaml", NULL, 0, &err);
            if (st != BZ_OK) fprintf(stderr, "config: %s\n", err.msg);
            CU_ASSERT_FATAL(st == BZ_OK);
            add_probe(&x, 0, d->bit, 0);
            add_probe(&x, 1, d->bit, 1);
            st = bz_run_experiment(&x, NULL, &r, &err);
            if (st != BZ_OK) fprintf(stderr, "run: %s\n", err.msg);
            CU_ASSERT_FATAL(st == BZ_OK);
            double mean[2] = {0, 0};
            for (int a = 0; a < 2; a++)
                for (uint32_t rep = 0; rep < r.R; rep++)
                    mean[a] += r.arms[a].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS] / r.R;
            printf("  %-8s under %-20s final adopters %8.1f without, %8.1f with%s\n", d->name,
                   m->name, mean[0], mean[1], honours ? "" : " (not honoured)");
            /* Every probe's lever can only add adopters; ask for 2% more
             * (the effects are tens of percent) so a lever that does
             * nothing fails. A lever a model does not honour changes
             * nothing at all: that is why such arms are refused. */
            if (honours) {
                CU_ASSERT(mean[1] > 1.02 * mean[0] + 1);
            } else {
                CU_ASSERT_EQUAL(mean[1], mean[0]);
            }
            bz_results_destroy(&r);
            bz_experiment_destroy(&x);
            pairs += honours;
        }
    }
    CU_ASSERT(pairs >= BZ_N_LEVERS);
}

static CU_TestInfo tests[] = {
    {"the lever table: bit order, unique names", test_table},
    {"every campaign and model declares its levers; each campaign runs under some model",
     test_registries},
    {"levers used only for some parameter values (festival boost, flash_sale urgency)",
     test_conditions},
    {"every lever a model claims to honour changes its final adopters", test_honest},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("levers", tests);
}
