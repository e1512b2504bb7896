/* The buzz_funnel model through the runner: only direct exposure acts when
 * nobody shares, sharing never lowers adoption, forgetting follows
 * exp(-forget t), flash sales with stock and waitlists, price appeal,
 * negative word of mouth, attribution sums and thread independence. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "base/channels.h"
#include "engine/run.h"

enum { UNAWARE, AWARE, INTERESTED, ADOPTER, ADVOCATE, LOST, N_STATES };

static int run_yaml(const char *yaml, bz_experiment *x, bz_results *res, int quiet)
{
    bz_error err;
    memset(res, 0, sizeof *res);
    int st = bz_experiment_load_string(x, yaml, "test.yaml", NULL, 0, &err);
    if (st != BZ_OK) {
        if (!quiet) fprintf(stderr, "config: %s\n", err.msg);
        return st;
    }
    st = bz_run_experiment(x, NULL, res, &err);
    if (st != BZ_OK && !quiet) fprintf(stderr, "run: %s\n", err.msg);
    return st;
}

static void done(bz_experiment *x, bz_results *r)
{
    bz_results_destroy(r);
    bz_experiment_destroy(x);
}

static int64_t state_at(const bz_results *r, size_t arm, int s, uint32_t rep, uint32_t t)
{
    return bz_series_row(r->arms[arm].series[BZ_SER_STATES], r->R, r->T, s, rep)[t];
}

static int64_t adopters_at(const bz_results *r, size_t arm, uint32_t rep, uint32_t t)
{
    return bz_series_row(r->arms[arm].series[BZ_SER_ADOPTERS], r->R, r->T, 0, rep)[t];
}

static int64_t sales_at(const bz_results *r, size_t arm, uint32_t rep, uint32_t t)
{
    return bz_series_row(r->arms[arm].series[BZ_SER_SALES], r->R, r->T, 0, rep)[t];
}

/* Sum of a per-channel series over all times of one replicate. */
static int64_t channel_total(const bz_results *r, int64_t *base, size_t arm, int ch, uint32_t rep)
{
    (void)arm;
    const int64_t *row = bz_series_row(base, r->R, r->T, ch, rep);
    int64_t s = 0;
    for (uint32_t t = 0; t < r->T; t++)
        s += row[t];
    return s;
}

/* Two undirected Erdos-Renyi layers; %s = the shares of the two layers,
 * then the diffusion and the arms. */
static void make_yaml(char *buf, size_t size, const char *head, double share0, double share1,
                      const char *tail)
{
    snprintf(buf, size,
             "%s"
             "network: { layers: [\n"
             "  { name: friends, share: %g, generator: { model: erdos_renyi, mean_degree: 8 } },\n"
             "  { name: chat, share: %g, generator: { model: erdos_renyi, mean_degree: 4 } } ] }\n"
             "%s",
             head, share0, share1, tail);
}

/* With every share 0 only direct exposure acts: no exposure or adoption on
 * a layer, and with awareness 1 and no forgetting the agents that left
 * unaware are exactly those an ad reached, which an independent cascade
 * with p = 0 and response 1 counts from the same ad draws (common random
 * numbers: campaign streams do not depend on the model). With sharing,
 * word-of-mouth adoptions appear. */
static void test_direct_exposure_only(void)
{
    const char *head = "seed: 5\ntime: { step: 3h, horizon: 12d }\nreplicates: 3\n"
                       "population: { agents: 3000, cities: 3 }\n";
    const char *arms = "arms:\n  ads: [ { campaign: advertising, at: 0d, reach: 0.08 } ]\n";
    char tail[1024], yaml[4096];
    snprintf(tail, sizeof tail,
             "diffusion: { model: buzz_funnel, awareness: 1, forget: 0, interest: 0.5, buy: 1, "
             "dissatisfied: 0, advocate: 0.5 }\n%s",
             arms);
    bz_experiment x, xi, xs;
    bz_results r, ri, rs;
    make_yaml(yaml, sizeof yaml, head, 0, 0, tail);
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    snprintf(tail, sizeof tail,
             "diffusion: { model: independent_cascade, p: 0, response: 1, seeds: 0 }\n%s", arms);
    make_yaml(yaml, sizeof yaml, head, 0, 0, tail);
    CU_ASSERT_FATAL(run_yaml(yaml, &xi, &ri, 0) == BZ_OK);
    snprintf(tail, sizeof tail,
             "diffusion: { model: buzz_funnel, awareness: 1, forget: 0, interest: 0.5, buy: 1, "
             "dissatisfied: 0, advocate: 0.5 }\n%s",
             arms);
    make_yaml(yaml, sizeof yaml, head, 0.3, 0, tail);
    CU_ASSERT_FATAL(run_yaml(yaml, &xs, &rs, 0) == BZ_OK);

    const uint32_t T = r.T;
    for (uint32_t rep = 0; rep < r.R; rep++) {
        for (int li = 0; li < 2; li++) {
            CU_ASSERT_EQUAL(
                channel_total(&r, r.arms[0].series[BZ_SER_ADOPTIONS_BY], 0, BZ_CH_LAYER0 + li, rep),
                0);
            CU_ASSERT_EQUAL(
                channel_total(&r, r.arms[0].series[BZ_SER_EXPOSURES], 0, BZ_CH_LAYER0 + li, rep),
                0);
        }
        CU_ASSERT(channel_total(&r, r.arms[0].series[BZ_SER_ADOPTIONS_BY], 0, BZ_CH_ADVERTISING,
                                rep) > 100);
        for (uint32_t t = 0; t < T; t++) {
            int64_t reached = 3000 - state_at(&r, 0, UNAWARE, rep, t);
            int64_t ic = state_at(&ri, 0, 1, rep, t) + state_at(&ri, 0, 2, rep, t);
            CU_ASSERT_EQUAL(reached, ic);
        }
        /* Sharing on: word of mouth tips purchases. */
        CU_ASSERT(channel_total(&rs, rs.arms[0].series[BZ_SER_ADOPTIONS_BY], 0, BZ_CH_LAYER0, rep) >
                  0);
        CU_ASSERT(channel_total(&rs, rs.arms[0].series[BZ_SER_EXPOSURES], 0, BZ_CH_LAYER0, rep) >
                  0);
        CU_ASSERT(adopters_at(&rs, 0, rep, T - 1) > adopters_at(&r, 0, rep, T - 1));
    }
    done(&x, &r);
    done(&xi, &ri);
    done(&xs, &rs);
}

/* The contact law: with every agent an advocate (no novelty decay), each
 * tie carries contacts as a Poisson process of rate share, so the contacts
 * of a layer over the horizon H are Poisson with mean H sum_u deg(u) share
 * (the per-talker sampling by total rate and random tie must give exactly
 * this law); tolerance 4 standard deviations. */
static void test_contact_law(void)
{
    char yaml[4096];
    make_yaml(yaml, sizeof yaml,
              "seed: 9\ntime: { step: 1h, horizon: 2d }\nreplicates: 2\n"
              "population: { agents: 3000, cities: 1 }\n",
              0.5, 0.2,
              "diffusion: { model: buzz_funnel, seeds: 3000, novelty: 0 }\narms:\n  b: []\n");
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    const double share[2] = {0.5, 0.2}, horizon = 2;
    for (int li = 0; li < 2; li++) {
        double sum_deg = 0;
        for (size_t k = 0; k < r.layers[li].hist_len; k++)
            sum_deg += (double)k * (double)r.layers[li].degree_histogram[k];
        CU_ASSERT(sum_deg > 3000 * (li == 0 ? 7 : 3.5));
        const double expect = horizon * sum_deg * share[li], tol = 4 * sqrt(expect);
        for (uint32_t rep = 0; rep < r.R; rep++) {
            double got = (double)channel_total(&r, r.arms[0].series[BZ_SER_EXPOSURES], 0,
                                               BZ_CH_LAYER0 + li, rep);
            CU_ASSERT(fabs(got - expect) <= tol);
            if (fabs(got - expect) > tol)
                fprintf(stderr, "layer %d: %g contacts, expected %g +- %g\n", li, got, expect, tol);
        }
    }
    done(&x, &r);
}

/* A higher sharing rate never lowers mean adoption. Why slack is needed and
 * how much: the runs share the seed, so network, population, ad exposures
 * and every agent's stream are common, but the contacts are not nested
 * across rates (geometric skipping with a larger p re-lays all contact
 * positions of a sender), so after the first contact the trajectories
 * diverge and a replicate may adopt less at the higher rate by chance.
 * Common random numbers only make the comparison paired: the slack allowed
 * is 3 standard errors of the paired per-replicate difference, nothing
 * more. dissatisfied = 0, because negative word of mouth travels on the
 * same ties and could make more sharing lower adoption. */
static void test_monotone_in_sharing(void)
{
    const double shares[] = {0, 0.02, 0.05, 0.1};
    enum { K = 4, R = 8 };
    double final[K][R];
    for (int k = 0; k < K; k++) {
        char yaml[4096];
        make_yaml(yaml, sizeof yaml,
                  "seed: 17\ntime: { step: 4h, horizon: 30d }\nreplicates: 8\n"
                  "population: { agents: 4000, cities: 2 }\n",
                  shares[k], shares[k],
                  "diffusion: { model: buzz_funnel, dissatisfied: 0 }\n"
                  "arms:\n  ads: [ { campaign: advertising, at: 0d, reach: 0.01 } ]\n");
        bz_experiment x;
        bz_results r;
        CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
        for (uint32_t rep = 0; rep < R; rep++)
            final[k][rep] = (double)adopters_at(&r, 0, rep, r.T - 1);
        done(&x, &r);
    }
    double m[K];
    for (int k = 0; k < K; k++) {
        m[k] = 0;
        for (int rep = 0; rep < R; rep++)
            m[k] += final[k][rep] / R;
    }
    for (int k = 0; k + 1 < K; k++) {
        double d[R], md = 0, var = 0;
        for (int rep = 0; rep < R; rep++) {
            d[rep] = final[k + 1][rep] - final[k][rep];
            md += d[rep] / R;
        }
        for (int rep = 0; rep < R; rep++)
            var += (d[rep] - md) * (d[rep] - md) / (R - 1);
        double se = sqrt(var / R);
        CU_ASSERT(m[k + 1] >= m[k] - 3 * se);
        if (m[k + 1] < m[k] - 3 * se)
            fprintf(stderr, "share %g -> %g: mean %g -> %g, se %g\n", shares[k], shares[k + 1],
                    m[k], m[k + 1], se);
    }
    if (getenv("BZ_VERBOSE")) fprintf(stderr, "means %g %g %g %g\n", m[0], m[1], m[2], m[3]);
    /* ...and the effect is real: at 0.1 per tie and day word of mouth
     * clearly adds adopters. */
    CU_ASSERT(m[K - 1] > 1.5 * m[0]);
}

/* No talk and a one-off ad: aware agents forget at rate `forget`, so with
 * A0 aware after the ad step, E[A(t)] = A0 exp(-forget (t - t1)) exactly at
 * the step times (forgetting times are drawn once, Exp(forget)). The count
 * is binomial given A0: tolerance 4 binomial standard deviations + 1. */
static void test_forgetting(void)
{
    char yaml[4096];
    const double f = 0.2, dt = 2.0 / 24;
    make_yaml(yaml, sizeof yaml,
              "seed: 3\ntime: { step: 2h, horizon: 10d }\nreplicates: 2\n"
              "population: { agents: 20000, cities: 1 }\n",
              0, 0,
              "diffusion: { model: buzz_funnel, awareness: 1, interest: 0, forget: 0.2 }\n"
              "arms:\n  ad: [ { campaign: advertising, at: 0d, duration: 2h, reach: 50 } ]\n");
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const double a0 = (double)state_at(&r, 0, AWARE, rep, 1);
        CU_ASSERT(a0 > 19000); /* 1 - exp(-50 / 12) = 98.5% reached */
        int bad = 0;
        for (uint32_t t = 1; t < r.T; t++) {
            double q = exp(-f * (t - 1) * dt);
            double expect = a0 * q, tol = 4 * sqrt(a0 * q * (1 - q)) + 1;
            double got = (double)state_at(&r, 0, AWARE, rep, t);
            if (fabs(got - expect) > tol) bad++;
            CU_ASSERT_EQUAL(state_at(&r, 0, INTERESTED, rep, t), 0);
        }
        CU_ASSERT_EQUAL(bad, 0);
        /* Not flat: after 10 days about e^-2 of them remember. */
        CU_ASSERT(state_at(&r, 0, AWARE, rep, r.T - 1) < 0.2 * a0);
    }
    done(&x, &r);
}

/* Flash sale with availability flash_only: purchases only inside the
 * window, sold = min(demand, stock). Nobody shares, so agents do not
 * interact and the arms differ only in who was served: with patience 0 the
 * D - S requesters left without a unit are waitlisted, never forget, and
 * stay interested to the end, exactly D - S more than with ample stock. */
static void test_flash_sale_waitlist(void)
{
    char yaml[4096];
    const int64_t S = 150;
    make_yaml(yaml, sizeof yaml,
              "seed: 21\ntime: { step: 1h, horizon: 5d }\nreplicates: 3\n"
              "population: { agents: 3000, cities: 2 }\n"
              "market: { availability: flash_only, stock: 0, price: 100, patience: 0 }\n",
              0, 0,
              "diffusion: { model: buzz_funnel, awareness: 0.5, interest: 2, buy: 2, forget: 1 }\n"
              "arms:\n"
              "  none: [ { campaign: advertising, at: 0d, duration: 2d, reach: 1 } ]\n"
              "  small: [ { campaign: advertising, at: 0d, duration: 2d, reach: 1 },\n"
              "           { campaign: flash_sale, at: 2d, duration: 10m, stock: 150 } ]\n"
              "  big: [ { campaign: advertising, at: 0d, duration: 2d, reach: 1 },\n"
              "         { campaign: flash_sale, at: 2d, duration: 10m, stock: 1000000 } ]\n");
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    const uint32_t T = r.T, W = 48 + 1; /* record index after the window's step */
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const int64_t D = sales_at(&r, 2, rep, T - 1);
        if (getenv("BZ_VERBOSE"))
            fprintf(stderr, "D %lld none-int %lld small-int %lld\n", (long long)D,
                    (long long)state_at(&r, 0, INTERESTED, rep, T - 1),
                    (long long)state_at(&r, 1, INTERESTED, rep, T - 1));
        CU_ASSERT(D > S);
        for (uint32_t t = 0; t < T; t++) {
            CU_ASSERT_EQUAL(sales_at(&r, 0, rep, t), 0);
            for (size_t a = 1; a <= 2; a++)
                CU_ASSERT_EQUAL(sales_at(&r, a, rep, t), t < W ? 0 : sales_at(&r, a, rep, W));
        }
        CU_ASSERT_EQUAL(sales_at(&r, 1, rep, T - 1), S);
        CU_ASSERT(r.arms[1].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS] <= 600);
        CU_ASSERT_EQUAL(state_at(&r, 1, INTERESTED, rep, T - 1),
                        state_at(&r, 2, INTERESTED, rep, T - 1) + (D - S));
        CU_ASSERT_EQUAL(adopters_at(&r, 1, rep, T - 1) + (D - S), adopters_at(&r, 2, rep, T - 1));
        /* Without a sale (and with the ads over) the would-be buyers, not
         * waitlisted, forget: fewer remain interested than the waitlist. */
        CU_ASSERT(state_at(&r, 0, INTERESTED, rep, T - 1) < (D - S) / 2);
    }
    done(&x, &r);
}

/* Willingness to pay: with a median value below the price a discount
 * raises purchases (more agents would pay the lower price: 1 - F(P / value)
 * is 0.23 at full price and 0.94 at half price for a lognormal spread of
 * 0.3 and value/price = 0.8); with value 0 (price does not matter) the
 * discount changes nothing at all. */
static void test_discount_willingness(void)
{
    const char *arms =
        "arms:\n"
        "  full: [ { campaign: advertising, at: 0d, reach: 1 },\n"
        "          { campaign: flash_sale, at: 0d, duration: 6d, stock: 1000000 } ]\n"
        "  half: [ { campaign: advertising, at: 0d, reach: 1 },\n"
        "          { campaign: flash_sale, at: 0d, duration: 6d, stock: 1000000, "
        "discount: 0.5 } ]\n";
    const char *head = "seed: 8\ntime: { step: 2h, horizon: 6d }\nreplicates: 3\n"
                       "population: { agents: 3000, cities: 2 }\n";
    char tail[2048], yaml[4096];
    bz_experiment x, x0;
    bz_results r, r0;
    snprintf(tail, sizeof tail,
             "market: { availability: flash_only, price: 100, value: 80 }\n"
             "diffusion: { model: buzz_funnel, buy: 0.3 }\n%s",
             arms);
    make_yaml(yaml, sizeof yaml, head, 0.05, 0.05, tail);
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    snprintf(tail, sizeof tail,
             "market: { availability: flash_only, price: 100 }\n"
             "diffusion: { model: buzz_funnel, buy: 0.3 }\n%s",
             arms);
    make_yaml(yaml, sizeof yaml, head, 0.05, 0.05, tail);
    CU_ASSERT_FATAL(run_yaml(yaml, &x0, &r0, 0) == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        int64_t full = sales_at(&r, 0, rep, r.T - 1), half = sales_at(&r, 1, rep, r.T - 1);
        CU_ASSERT(full > 0);
        CU_ASSERT(half > 2 * full);
        if (getenv("BZ_VERBOSE"))
            fprintf(stderr, "full %lld half %lld\n", (long long)full, (long long)half);
    }
    const size_t cells = (size_t)r0.R * r0.T * sizeof(int64_t);
    CU_ASSERT(memcmp(r0.arms[0].series[BZ_SER_SALES], r0.arms[1].series[BZ_SER_SALES], cells) == 0);
    CU_ASSERT(memcmp(r0.arms[0].series[BZ_SER_STATES], r0.arms[1].series[BZ_SER_STATES],
                     cells * N_STATES) == 0);
    CU_ASSERT(sales_at(&r0, 0, 0, r0.T - 1) > sales_at(&r, 0, 0, r.T - 1));
    done(&x, &r);
    done(&x0, &r0);
}

/* Negative word of mouth: without dissatisfied adopters there are no
 * negative contacts, so neg_impact changes nothing (identical runs); with
 * every adopter dissatisfied and neg_impact 1, adoption is lower (paired
 * over replicates, beyond 3 standard errors). */
static void test_negative_wom(void)
{
    const char *head = "seed: 13\ntime: { step: 3h, horizon: 20d }\nreplicates: 6\n"
                       "population: { agents: 3000, cities: 2 }\n";
    const char *fmt = "diffusion: { model: buzz_funnel, dissatisfied: %g, neg_impact: %g, buy: "
                      "0.15, forget: 0.01, interested_talk: 1 }\n"
                      "arms:\n  ads: [ { campaign: advertising, at: 0d, reach: 0.05 } ]\n";
    const double cases[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    bz_experiment x[4];
    bz_results r[4];
    for (int c = 0; c < 4; c++) {
        char tail[1024], yaml[4096];
        snprintf(tail, sizeof tail, fmt, cases[c][0], cases[c][1]);
        make_yaml(yaml, sizeof yaml, head, 0.3, 0.3, tail);
        CU_ASSERT_FATAL(run_yaml(yaml, &x[c], &r[c], 0) == BZ_OK);
    }
    const size_t cells = (size_t)r[0].R * r[0].T * sizeof(int64_t);
    CU_ASSERT(memcmp(r[0].arms[0].series[BZ_SER_STATES], r[1].arms[0].series[BZ_SER_STATES],
                     cells * N_STATES) == 0);
    CU_ASSERT(memcmp(r[0].arms[0].series[BZ_SER_ADOPTIONS_BY],
                     r[1].arms[0].series[BZ_SER_ADOPTIONS_BY],
                     cells * (size_t)r[0].n_channels) == 0);
    const uint32_t R = r[2].R, T = r[2].T;
    double md = 0, var = 0, d[16];
    for (uint32_t rep = 0; rep < R; rep++) {
        d[rep] = (double)(adopters_at(&r[3], 0, rep, T - 1) - adopters_at(&r[2], 0, rep, T - 1));
        md += d[rep] / R;
    }
    for (uint32_t rep = 0; rep < R; rep++)
        var += (d[rep] - md) * (d[rep] - md) / (R - 1);
    if (getenv("BZ_VERBOSE")) fprintf(stderr, "neg md %g se %g\n", md, sqrt(var / R));
    CU_ASSERT(md < -3 * sqrt(var / R));
    CU_ASSERT(md < 0);
    for (int c = 0; c < 4; c++)
        done(&x[c], &r[c]);
}

/* Every adoption is attributed to one channel: per step, the adoptions by
 * channel add up to the change in adopters (seeds at time 0); ads, KOL
 * seeding, initial seeds and both layers all appear. */
static void test_attribution(void)
{
    char yaml[4096];
    make_yaml(yaml, sizeof yaml,
              "seed: 2\ntime: { step: 2h, horizon: 15d }\nreplicates: 2\n"
              "population: { agents: 3000, cities: 3 }\n",
              0.3, 0.3,
              "diffusion: { model: buzz_funnel, seeds: 5, buy: 0.5 }\n"
              "arms:\n  all: [ { campaign: advertising, at: 0d, reach: 0.05 },\n"
              "          { campaign: kol_seeding, at: 2d, count: 7, strategy: degree, "
              "layer: chat } ]\n");
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        int64_t sum = 0;
        int bad = 0;
        for (uint32_t t = 0; t < r.T; t++) {
            for (int c = 0; c < r.n_channels; c++)
                sum += bz_series_row(r.arms[0].series[BZ_SER_ADOPTIONS_BY], r.R, r.T, c, rep)[t];
            if (sum != adopters_at(&r, 0, rep, t)) bad++;
        }
        CU_ASSERT_EQUAL(bad, 0);
        CU_ASSERT_EQUAL(adopters_at(&r, 0, rep, 0), 5);
        CU_ASSERT_EQUAL(
            channel_total(&r, r.arms[0].series[BZ_SER_ADOPTIONS_BY], 0, BZ_CH_SEED, rep), 5);
        /* KOLs seeded (7, less any who had already bought) plus purchases
         * whose last touch was a KOL post. */
        CU_ASSERT(channel_total(&r, r.arms[0].series[BZ_SER_ADOPTIONS_BY], 0, BZ_CH_KOL, rep) >= 5);
        CU_ASSERT(channel_total(&r, r.arms[0].series[BZ_SER_ADOPTIONS_BY], 0, BZ_CH_ADVERTISING,
                                rep) > 0);
        CU_ASSERT(channel_total(&r, r.arms[0].series[BZ_SER_ADOPTIONS_BY], 0, BZ_CH_LAYER0, rep) >
                  0);
        CU_ASSERT(
            channel_total(&r, r.arms[0].series[BZ_SER_ADOPTIONS_BY], 0, BZ_CH_LAYER0 + 1, rep) > 0);
        /* States add up to the population at every time. */
        for (uint32_t t = 0; t < r.T; t += 7) {
            int64_t all = 0;
            for (int s = 0; s < N_STATES; s++)
                all += state_at(&r, 0, s, rep, t);
            CU_ASSERT_EQUAL(all, 3000);
        }
    }
    done(&x, &r);
}

/* The same results with 1 and 2 threads: a world large enough for
 * parallel agent loops (>= 20000 agents), and a small one whose replicates
 * run in parallel. Every mechanism is on. */
static void test_threads(void)
{
    const char *tail =
        "diffusion: { model: buzz_funnel, seeds: 20, recommenders: 2, dissatisfied: 0.2, "
        "novelty: 3d }\n"
        "market: { availability: flash_only, price: 100 }\n"
        "arms:\n"
        "  mix: [ { campaign: advertising, at: 0d, reach: 0.05 },\n"
        "         { campaign: kol_seeding, at: 1d, count: 10, layer: friends },\n"
        "         { campaign: flash_sale, at: 3d, duration: 30m, stock: 400, discount: 0.2 },\n"
        "         { campaign: flash_sale, at: 5d, duration: 2h, stock: 300 } ]\n";
    const char *heads[2] = {"seed: 4\ntime: { step: 1h, horizon: 6d }\nreplicates: 1\n"
                            "population: { agents: 25000, cities: 3 }\n",
                            "seed: 4\ntime: { step: 1h, horizon: 6d }\nreplicates: 3\n"
                            "population: { agents: 2000, cities: 3 }\n"};
    int saved = omp_get_max_threads();
    for (int h = 0; h < 2; h++) {
        char yaml[4096];
        make_yaml(yaml, sizeof yaml, heads[h], 0.2, 0.4, tail);
        bz_experiment x1, x2;
        bz_results r1, r2;
        omp_set_num_threads(1);
        CU_ASSERT_FATAL(run_yaml(yaml, &x1, &r1, 0) == BZ_OK);
        omp_set_num_threads(2);
        CU_ASSERT_FATAL(run_yaml(yaml, &x2, &r2, 0) == BZ_OK);
        const size_t cells = (size_t)r1.R * r1.T * sizeof(int64_t);
        const size_t nch = (size_t)r1.n_channels;
        CU_ASSERT(memcmp(r1.arms[0].series[BZ_SER_STATES], r2.arms[0].series[BZ_SER_STATES],
                         cells * N_STATES) == 0);
        CU_ASSERT(memcmp(r1.arms[0].series[BZ_SER_SALES], r2.arms[0].series[BZ_SER_SALES], cells) ==
                  0);
        CU_ASSERT(memcmp(r1.arms[0].series[BZ_SER_ADOPTIONS_BY],
                         r2.arms[0].series[BZ_SER_ADOPTIONS_BY], cells * nch) == 0);
        CU_ASSERT(memcmp(r1.arms[0].series[BZ_SER_EXPOSURES], r2.arms[0].series[BZ_SER_EXPOSURES],
                         cells * nch) == 0);
        CU_ASSERT(sales_at(&r1, 0, 0, r1.T - 1) > 0);
        done(&x1, &r1);
        done(&x2, &r2);
    }
    omp_set_num_threads(saved);
}

/* Bad settings are refused with the parameter named. */
static void test_errors(void)
{
    const char *head = "seed: 1\ntime: { step: 1h, horizon: 1d }\nreplicates: 1\n"
                       "population: { agents: 100, cities: 1 }\n";
    const char *bad[] = {
        "diffusion: { model: buzz_funnel, recommenders: 0 }\narms:\n  b: []\n",
        "diffusion: { model: buzz_funnel, awareness: 1.5 }\narms:\n  b: []\n",
        "diffusion: { model: buzz_funnel, novelty: 3 }\narms:\n  b: []\n",
        "diffusion: { model: buzz_funnel, seeds: 101 }\narms:\n  b: []\n",
    };
    const char *names[] = {"recommenders", "awareness", "novelty", "seeds"};
    for (int i = 0; i < 4; i++) {
        char yaml[4096];
        make_yaml(yaml, sizeof yaml, head, 0.1, 0.1, bad[i]);
        bz_experiment x;
        bz_results r;
        bz_error err;
        memset(&r, 0, sizeof r);
        int st = bz_experiment_load_string(&x, yaml, "bad.yaml", NULL, 0, &err);
        if (st == BZ_OK) st = bz_run_experiment(&x, NULL, &r, &err);
        CU_ASSERT_EQUAL(st, BZ_EINVAL);
        CU_ASSERT(st == BZ_OK || strstr(err.msg, names[i]) != NULL);
        done(&x, &r);
    }
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"share 0: only direct exposure acts", test_direct_exposure_only},
        {"contacts follow the per-tie law", test_contact_law},
        {"more sharing never lowers mean adoption", test_monotone_in_sharing},
        {"aware agents forget like exp(-forget t)", test_forgetting},
        {"flash sale: min(demand, stock), waitlist", test_flash_sale_waitlist},
        {"a discount sells to those who would pay its price", test_discount_willingness},
        {"negative word of mouth", test_negative_wom},
        {"attribution adds up to adoptions", test_attribution},
        {"same results with 1 and 2 threads", test_threads},
        {"bad settings refused", test_errors},
        CU_TEST_INFO_NULL,
    };
    return bz_test_main("funnel", tests);
}
