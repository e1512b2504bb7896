/* core: population (Zipf cities), statistics, and the engine primitives
 * (the event calendar, the sharing schedule and exact talk times, random
 * agent choice). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "engine/persons.h"
#include "base/population.h"
#include "engine/results.h"
#include "engine/sim.h"
#include "base/stats.h"

static void test_population_zipf(void)
{
    bz_population pop;
    bz_error err;
    CU_ASSERT_FATAL(bz_population_init(&pop, 100000, 10, 1.0, 3, &err) == BZ_OK);
    uint64_t total = 0;
    for (uint32_t k = 0; k < 10; k++) {
        uint64_t size = pop.city_offsets[k + 1] - pop.city_offsets[k];
        total += size;
        if (k > 0) CU_ASSERT(size <= pop.city_offsets[k] - pop.city_offsets[k - 1]);
        /* Zipf(1): size_k / size_0 = 1 / (k + 1), up to rounding of the
         * one-agent floor (n >> cities, so within 0.1%). */
        double ratio = (double)size / (double)(pop.city_offsets[1] - pop.city_offsets[0]);
        CU_ASSERT(fabs(ratio - 1.0 / (k + 1)) < 1e-3);
    }
    CU_ASSERT_EQUAL(total, 100000);
    /* Members agree with the per-agent city, ascending within a city. */
    for (uint32_t k = 0; k < 10; k++)
        for (uint64_t j = pop.city_offsets[k]; j < pop.city_offsets[k + 1]; j++) {
            CU_ASSERT_EQUAL(pop.city[pop.city_members[j]], k);
            if (j > pop.city_offsets[k]) CU_ASSERT(pop.city_members[j] > pop.city_members[j - 1]);
        }
    /* Shuffled: the first 1000 agents are not all in the largest city. */
    int mixed = 0;
    for (uint32_t i = 0; i < 1000; i++)
        mixed |= pop.city[i] != 0;
    CU_ASSERT(mixed);
    bz_population_destroy(&pop);

    CU_ASSERT(bz_population_init(&pop, 10, 11, 1.0, 3, &err) == BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "population.cities") != NULL);
    CU_ASSERT(bz_population_init(&pop, 10, 0, 1.0, 3, &err) == BZ_EINVAL);
    CU_ASSERT(bz_population_init(&pop, 10, 10, 1.0, 3, &err) == BZ_OK); /* one agent each */
    for (uint32_t k = 0; k < 10; k++)
        CU_ASSERT_EQUAL(pop.city_offsets[k + 1] - pop.city_offsets[k], 1);
    bz_population_destroy(&pop);
}

static void test_stats(void)
{
    /* Series [R=4][T=2]: column 0 = 1,2,3,4; column 1 = 10,10,10,10. */
    int64_t series[8] = {1, 10, 2, 10, 3, 10, 4, 10};
    bz_summary out[2];
    double work[4];
    bz_stats_summarise(series, 4, 2, out, work);
    CU_ASSERT_DOUBLE_EQUAL(out[0].mean, 2.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(out[0].sd, sqrt(5.0 / 3.0), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(out[0].q50, 2.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(out[0].q05, 1.15, 1e-12); /* 1 + 0.05 * 3 * (2 - 1) */
    CU_ASSERT_DOUBLE_EQUAL(out[0].q95, 3.85, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(out[1].sd, 0.0, 1e-12);
    /* Paired differences 1, 2, 3: mean 2, sd 1, t(0.975, 2) = 4.302653. */
    double a[3] = {11, 22, 33}, b[3] = {10, 20, 30};
    bz_compare c = bz_stats_paired(a, b, 3);
    CU_ASSERT_DOUBLE_EQUAL(c.mean, 2.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c.ci_high - 2.0, 4.302652729911275 / sqrt(3.0), 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(2.0 - c.ci_low, c.ci_high - 2.0, 1e-12);
    /* NaN pairs are skipped; one pair left gives no interval. */
    double an[3] = {NAN, 5, NAN};
    c = bz_stats_paired(an, b, 3);
    CU_ASSERT_DOUBLE_EQUAL(c.mean, -15.0, 1e-12);
    CU_ASSERT(isnan(c.ci_low) && isnan(c.ci_high));
    bz_summary s = bz_stats_summary(an, 3, work);
    CU_ASSERT_DOUBLE_EQUAL(s.mean, 5.0, 1e-12);
}

/* Cost per extra adopter: a ratio of paired mean differences with a
 * delta-method interval, undefined when the extra adopters are not
 * significantly positive. */
static void test_stats_ratio(void)
{
    /* Extra cost 10 per replicate exactly; extra adopters 4, 5, 6: ratio
     * 10 / 5 = 2; var of d = 1, num constant, so
     * se = sqrt(r^2 var_d / md^2 / k) = sqrt(4 / 25 / 3). */
    double ca[3] = {110, 210, 310}, cb[3] = {100, 200, 300};
    double na[3] = {14, 25, 36}, nb[3] = {10, 20, 30};
    bz_compare c = bz_stats_paired_ratio(ca, cb, na, nb, 3);
    CU_ASSERT_DOUBLE_EQUAL(c.mean, 2.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(c.ci_high - 2.0, 4.302652729911275 * sqrt(4.0 / 25.0 / 3.0), 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(2.0 - c.ci_low, c.ci_high - 2.0, 1e-12);
    /* Extra adopters -1, 0, +1: not significantly positive -> NaN. */
    double nz[3] = {9, 20, 31};
    c = bz_stats_paired_ratio(ca, cb, nz, nb, 3);
    CU_ASSERT(isnan(c.mean) && isnan(c.ci_low));
}

/* Person by person: a hand-made case, and the two identities on random
 * adoption times (converted - displaced = the difference of adopters;
 * acceleration + expansion = the integral of A(t) - B(t), computed here
 * from the step functions directly). */
static void test_persons(void)
{
    const float nan = NAN;
    /* Agents: both (here 2, base 5), both (here 4, base 3), here only (6),
     * base only (1), neither. Horizon 10. */
    const float here[5] = {2, 4, 6, nan, nan}, base[5] = {5, 3, nan, 1, nan};
    bz_persons p = bz_persons_compare(here, base, 5, 10);
    CU_ASSERT_EQUAL(p.converted, 1);
    CU_ASSERT_EQUAL(p.displaced, 1);
    CU_ASSERT_EQUAL(p.accelerated, 1);
    CU_ASSERT_DOUBLE_EQUAL(p.acceleration, (5 - 2) + (3 - 4), 0);
    CU_ASSERT_DOUBLE_EQUAL(p.days_earlier, 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(p.expansion, (10 - 6) - (10 - 1), 0);
    const float none[2] = {nan, nan};
    CU_ASSERT(isnan(bz_persons_compare(none, none, 2, 10).days_earlier));

    enum { N = 5000 };
    static float a[N], b[N];
    bz_stream s;
    bz_stream_init(&s, 9, 0, 0, 0, BZ_RNG_TEST);
    for (int trial = 0; trial < 20; trial++) {
        const double H = 30;
        double na = 0, nb = 0, area = 0;
        for (int v = 0; v < N; v++) {
            a[v] = bz_stream_uniform(&s) < 0.6 ? (float)(bz_stream_uniform(&s) * H) : nan;
            b[v] = bz_stream_uniform(&s) < 0.5 ? (float)(bz_stream_uniform(&s) * H) : nan;
            na += !isnan(a[v]);
            nb += !isnan(b[v]);
            /* The integral of A - B over [0, H] is, agent by agent, the time
             * each spends adopted here minus in the baseline. */
            area += (isnan(a[v]) ? 0 : H - (double)a[v]) - (isnan(b[v]) ? 0 : H - (double)b[v]);
        }
        bz_persons q = bz_persons_compare(a, b, N, H);
        CU_ASSERT_EQUAL(q.converted - q.displaced, na - nb);
        CU_ASSERT_DOUBLE_EQUAL(q.acceleration + q.expansion, area, 1e-6 * N * H);
    }
}

/* The calendar pops events in (time, key) order whatever the order of
 * pushes, ties included, with pushes between pops, past its span, and
 * growing its heap and chunk pool. */
static void test_event_queue(void)
{
    bz_evq q;
    bz_error err;
    /* 16 buckets over [0, 40): most events in later buckets, some past
     * the span (they share the last bucket). */
    CU_ASSERT_FATAL(bz_evq_init(&q, 40, 16, &err) == BZ_OK);
    bz_stream s;
    bz_stream_init(&s, 3, 0, 0, 0, BZ_RNG_TEST);
    enum { K = 20000 };
    int K_extra = 0;
    for (int i = 0; i < K; i++) {
        /* Coarse times so that many tie; keys from the kind, aux and agent. */
        double t = (double)bz_stream_below(&s, 500) / 8.0;
        uint64_t key =
            bz_event_key((unsigned)bz_stream_below(&s, 5), (uint32_t)bz_stream_below(&s, 1u << 24),
                         (uint32_t)bz_stream_u32(&s));
        CU_ASSERT_FATAL(bz_evq_push(&q, t, key) == BZ_OK);
    }
    CU_ASSERT(bz_evq_size(&q) == K);
    bz_event prev = {-1, 0}, e;
    int ordered = 1;
    for (int i = 0; i < K; i++) {
        CU_ASSERT_FATAL(!bz_evq_empty(&q));
        const double next = bz_evq_next_time(&q);
        bz_evq_pop(&q, &e);
        CU_ASSERT(next == e.t);
        ordered &= e.t > prev.t || (e.t == prev.t && e.key >= prev.key);
        prev = e;
        /* Events pushed while popping, at or after the current one (the
         * simulation's pattern; kind 5 sorts after the current key), into
         * the near heap and later buckets. */
        if (i % 3 == 0 && i < K / 2) {
            const double t = e.t + (double)bz_stream_below(&s, 80) / 8.0;
            CU_ASSERT_FATAL(bz_evq_push(&q, t, bz_event_key(5, 0, (uint32_t)i)) == BZ_OK);
            K_extra++;
        }
    }
    while (!bz_evq_empty(&q)) {
        const double next = bz_evq_next_time(&q);
        CU_ASSERT_FATAL(isfinite(next));
        bz_evq_pop(&q, &e);
        CU_ASSERT(next == e.t);
        ordered &= e.t > prev.t || (e.t == prev.t && e.key >= prev.key);
        prev = e;
        K_extra--;
    }
    CU_ASSERT(K_extra == 0);
    CU_ASSERT(ordered);
    CU_ASSERT(bz_evq_empty(&q));
    CU_ASSERT(isinf(bz_evq_next_time(&q)));
    /* The key packs and unpacks. */
    uint64_t k = bz_event_key(4, 0x123456, 0xDEADBEEF);
    CU_ASSERT(bz_event_kind(k) == 4 && bz_event_aux(k) == 0x123456 &&
              bz_event_agent(k) == 0xDEADBEEF);
    bz_evq_destroy(&q);
}

/* A minimal sim for the sharing schedule and talk times. */
static void talk_sim(bz_sim *sim, float *boost, float *until)
{
    memset(sim, 0, sizeof *sim);
    sim->horizon = 100;
    sim->boost = boost;
    sim->boost_until = until;
}

/* Numerical integral of a talker's rate over [a, b] (midpoint rule). */
static double rate_integral(const bz_sim *sim, const bz_talk *tk, double a, double b)
{
    const int K = 200000;
    double h = (b - a) / K, sum = 0;
    for (int i = 0; i < K; i++) {
        double t = a + (i + 0.5) * h;
        const bz_share_seg *sg = bz_sim_share_at(sim, t);
        double m = tk->base * sg->all;
        if (tk->advocate && sg->referral > 0) m *= sg->referral;
        if (sim->boost && t < sim->boost_until[tk->agent]) m *= sim->boost[tk->agent];
        if (tk->novelty > 0) m *= exp(-(t - tk->since) / tk->novelty);
        sum += m * h;
    }
    return sum;
}

/* Sharing schedule: one group's overlapping intervals count once, groups
 * multiply, referral takes the largest; bz_talk_next spends exactly the
 * Exp(1) budget across the pieces (checked against numerical integration),
 * with and without novelty decay and a boost, and gives +inf when the
 * horizon comes first. */
static void test_share_schedule_and_talk(void)
{
    bz_sim sim;
    float boost[2] = {3, 1}, until[2] = {4.5f, 0};
    bz_error err;
    talk_sim(&sim, boost, until);
    CU_ASSERT(bz_sim_share_interval(&sim, 2, 4, 2.0, 0, 0, &err) == BZ_OK);
    CU_ASSERT(bz_sim_share_interval(&sim, 3, 5, 2.0, 0, 0, &err) == BZ_OK); /* same group */
    CU_ASSERT(bz_sim_share_interval(&sim, 3.5, 6, 1.5, 1, 0, &err) == BZ_OK);
    CU_ASSERT(bz_sim_share_interval(&sim, 1, 3, 4.0, 2, 1, &err) == BZ_OK); /* referral */
    CU_ASSERT(bz_sim_share_interval(&sim, 2.5, 3.2, 5.0, 3, 1, &err) == BZ_OK);
    CU_ASSERT_FATAL(bz_sim_share_build(&sim, &err) == BZ_OK);
    CU_ASSERT(bz_sim_share_at(&sim, 0)->all == 1 && bz_sim_share_at(&sim, 0)->referral == 0);
    CU_ASSERT(bz_sim_share_at(&sim, 2.2)->all == 2);
    CU_ASSERT(bz_sim_share_at(&sim, 3.2)->all == 2); /* not 4: one group */
    CU_ASSERT(bz_sim_share_at(&sim, 3.7)->all == 3); /* 2 x 1.5 */
    CU_ASSERT(bz_sim_share_at(&sim, 5.5)->all == 1.5);
    CU_ASSERT(bz_sim_share_at(&sim, 2.7)->referral == 5); /* the larger */
    CU_ASSERT(bz_sim_share_at(&sim, 1.5)->referral == 4);
    CU_ASSERT(bz_sim_share_at(&sim, 3.3)->referral == 0);
    const bz_talk cases[] = {
        {.base = 0.7, .since = 0, .novelty = 0, .advocate = 0, .agent = 1},
        {.base = 0.7, .since = 0.5, .novelty = 3, .advocate = 0, .agent = 1},
        {.base = 0.4, .since = 1, .novelty = 2, .advocate = 1, .agent = 0},
        {.base = 0.9, .since = 0, .novelty = 0, .advocate = 1, .agent = 0},
    };
    const double budgets[] = {0.3, 1.0, 2.5};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (size_t b = 0; b < 3; b++) {
            const double t0 = 1.2;
            double t = bz_talk_next(&sim, &cases[c], t0, budgets[b]);
            if (isinf(t)) {
                /* Only when the whole rest of the run holds less rate. */
                CU_ASSERT(rate_integral(&sim, &cases[c], t0, sim.horizon) < budgets[b] + 1e-4);
                continue;
            }
            CU_ASSERT(t > t0);
            double got = rate_integral(&sim, &cases[c], t0, t);
            CU_ASSERT(fabs(got - budgets[b]) < 1e-4);
            if (!(fabs(got - budgets[b]) < 1e-4))
                fprintf(stderr, "case %zu budget %g: integral to %g is %g\n", c, budgets[b], t,
                        got);
        }
    /* A decaying talker with little rate left never talks again. */
    const bz_talk fading = {.base = 0.01, .since = 0, .novelty = 1, .advocate = 0, .agent = 1};
    CU_ASSERT(isinf(bz_talk_next(&sim, &fading, 1, 1.0)));
    free(sim.share.seg);
    free(sim.share.iv);
}

static void test_random_agents(void)
{
    bz_stream s;
    bz_error err;
    bz_stream_init(&s, 1, 0, 0, 0, BZ_RNG_TEST);
    uint32_t ids[500];
    CU_ASSERT_FATAL(bz_sim_random_agents(1000, 500, &s, ids, &err) == BZ_OK);
    uint8_t seen[1000] = {0};
    for (int i = 0; i < 500; i++) {
        CU_ASSERT_FATAL(ids[i] < 1000);
        CU_ASSERT(!seen[ids[i]]);
        seen[ids[i]] = 1;
    }
    CU_ASSERT(bz_sim_random_agents(10, 10, &s, ids, &err) == BZ_OK); /* all of them */
    CU_ASSERT(bz_sim_random_agents(10, 11, &s, ids, &err) == BZ_EINVAL);
}

int main(void)
{
    CU_TestInfo tests[] = {{"population: Zipf city sizes", test_population_zipf},
                           {"stats: summaries and paired intervals", test_stats},
                           {"stats: cost per extra adopter (paired ratio)", test_stats_ratio},
                           {"persons: converted, displaced, acceleration, expansion", test_persons},
                           {"event calendar: (time, key) order, ties, growth", test_event_queue},
                           {"sharing schedule and exact talk times", test_share_schedule_and_talk},
                           {"random agents", test_random_agents},
                           CU_TEST_INFO_NULL};
    return bz_test_main("core", tests);
}
