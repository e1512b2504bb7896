/* core: population (Zipf cities), statistics, and the engine primitives
 * (spread by geometric skipping, random agent choice, channel picking). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "core/population.h"
#include "core/results.h"
#include "core/sim.h"
#include "core/stats.h"

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

/* Acceleration + expansion: integrals of min(A, N_B) - B and max(A - N_B, 0). */
static void test_decompose(void)
{
    bz_results r;
    bz_error err;
    CU_ASSERT_FATAL(bz_results_init(&r, 1, 4, 2, 1, 2, 0, &err) == BZ_OK);
    /* Baseline 0, 2, 4, 4 (N_B = 4); the arm 0, 4, 6, 6: earlier and more. */
    const int64_t B[4] = {0, 2, 4, 4}, A[4] = {0, 4, 6, 6};
    memcpy(r.arms[0].series[BZ_SER_ADOPTERS], B, sizeof B);
    memcpy(r.arms[1].series[BZ_SER_ADOPTERS], A, sizeof A);
    bz_results_decompose(&r, 0.5);
    /* min(A, 4) - B = 0, 2, 0, 0 -> trapezoid: (0+2)/2 + (2+0)/2 + 0 = 2, x 0.5 = 1.
     * max(A - 4, 0) = 0, 0, 2, 2 -> 0 + 1 + 2 = 3, x 0.5 = 1.5. */
    CU_ASSERT_DOUBLE_EQUAL(r.arms[1].outcomes[0].v[BZ_OUT_ACCELERATION], 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(r.arms[1].outcomes[0].v[BZ_OUT_EXPANSION], 1.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[0].v[BZ_OUT_ACCELERATION], 0.0, 0);
    /* The two parts add up to the area between the curves. */
    double area = 0;
    for (int t = 1; t < 4; t++)
        area += 0.5 * ((A[t] - B[t]) + (A[t - 1] - B[t - 1])) * 0.5;
    CU_ASSERT_DOUBLE_EQUAL(r.arms[1].outcomes[0].v[BZ_OUT_ACCELERATION] +
                               r.arms[1].outcomes[0].v[BZ_OUT_EXPANSION],
                           area, 1e-12);
    bz_results_destroy(&r);
}

/* A sim over an implicit complete layer of n agents, enough for spread. */
typedef struct fixture {
    bz_network net;
    bz_sim sim;
} fixture;

static void fixture_init(fixture *f, uint32_t n)
{
    bz_error err;
    memset(f, 0, sizeof *f);
    CU_ASSERT_FATAL(bz_network_init(&f->net, n, 1, &err) == BZ_OK);
    f->net.layers[0].complete = 1;
    f->net.layers[0].n = n;
    f->sim.net = &f->net;
    f->sim.n = n;
    f->sim.seed = 99;
    f->sim.n_threads = 1;
    f->sim.inbox = calloc(n, sizeof *f->sim.inbox);
    f->sim.state = calloc(n, sizeof *f->sim.state);
    f->sim.touched.ids = calloc(n + BZ_IDLIST_BLOCK, sizeof *f->sim.touched.ids);
    f->sim.tally = calloc(1, sizeof *f->sim.tally);
    CU_ASSERT_FATAL(f->sim.inbox && f->sim.state && f->sim.touched.ids && f->sim.tally);
}

static void fixture_destroy(fixture *f)
{
    free(f->sim.inbox);
    free(f->sim.state);
    free(f->sim.touched.ids);
    free(f->sim.tally);
    bz_network_destroy(&f->net);
}

static void reset_inbox(fixture *f)
{
    memset(f->sim.inbox, 0, f->sim.n * sizeof *f->sim.inbox);
    bz_idlist_reset(&f->sim.touched, &f->sim.tally[0].touch, 1);
}

/* Agents in the touched list (holes skipped). */
static uint64_t touched_count(const fixture *f)
{
    uint64_t k = 0;
    for (uint64_t i = 0; i < f->sim.touched.reserved; i++)
        k += f->sim.touched.ids[i] != BZ_IDLIST_HOLE;
    return k;
}

static void test_spread_binomial(void)
{
    /* Contacts from one sender to n - 1 others with probability p are
     * Binomial(n - 1, p): check mean and variance over many senders/steps,
     * that the sender is never contacted, and the touched list. */
    const uint32_t n = 1001;
    const double p = 0.03;
    fixture f;
    fixture_init(&f, n);
    bz_inbox *in = f.sim.inbox;
    double sum = 0, sumsq = 0;
    const int trials = 4000;
    for (int t = 0; t < trials; t++) {
        f.sim.step = (uint32_t)t;
        uint32_t u = (uint32_t)(t % n);
        uint32_t before = in[u].wom;
        double c = (double)bz_spread(&f.sim, &f.sim.tally[0], 0, u, p, BZ_RECEPTIVE_ALL);
        CU_ASSERT_EQUAL(in[u].wom, before);
        sum += c;
        sumsq += c * c;
    }
    double mean = sum / trials, var = sumsq / trials - mean * mean;
    double want = (n - 1) * p, wvar = (n - 1) * p * (1 - p);
    CU_ASSERT(fabs(mean - want) < 5 * sqrt(wvar / trials));
    CU_ASSERT(fabs(var / wvar - 1) < 0.1);
    CU_ASSERT_EQUAL(f.sim.tally[0].expo[BZ_CH_LAYER0], (int64_t)sum);
    uint64_t total = 0;
    uint32_t contacted = 0;
    for (uint32_t v = 0; v < n; v++) {
        total += in[v].wom;
        contacted += in[v].wom > 0;
        CU_ASSERT_EQUAL(in[v].ext, 0);
    }
    CU_ASSERT_EQUAL(total, (uint64_t)sum);
    /* The touched list holds each contacted agent exactly once. */
    CU_ASSERT_EQUAL(touched_count(&f), contacted);
    for (uint64_t i = 0; i < f.sim.touched.reserved; i++) {
        uint32_t v = f.sim.touched.ids[i];
        if (v == BZ_IDLIST_HOLE) continue;
        CU_ASSERT(in[v].wom > 0);
        CU_ASSERT_EQUAL(in[v].mask, ((uint32_t)1 << BZ_CH_LAYER0) | BZ_MASK_TOUCHED);
        in[v].mask = 0; /* a second entry for v would now fail the check above */
    }
    /* p = 1 contacts everyone else; p = 0 nobody. */
    reset_inbox(&f);
    CU_ASSERT_EQUAL(bz_spread(&f.sim, &f.sim.tally[0], 0, 5, 1.0, BZ_RECEPTIVE_ALL), n - 1);
    CU_ASSERT_EQUAL(touched_count(&f), n - 1);
    CU_ASSERT_EQUAL(in[5].wom, 0);
    CU_ASSERT_EQUAL(in[6].wom, 1);
    CU_ASSERT_EQUAL(bz_spread(&f.sim, &f.sim.tally[0], 0, 5, 0.0, BZ_RECEPTIVE_ALL), 0);
    /* Receptive filter: contacts to agents in another state are counted as
     * exposures but not delivered. */
    reset_inbox(&f);
    for (uint32_t v = 0; v < n; v += 2)
        f.sim.state[v] = 1;
    int64_t expo_before = f.sim.tally[0].expo[BZ_CH_LAYER0];
    CU_ASSERT_EQUAL(bz_spread(&f.sim, &f.sim.tally[0], 0, 5, 1.0, 0), n - 1);
    CU_ASSERT_EQUAL(f.sim.tally[0].expo[BZ_CH_LAYER0] - expo_before, n - 1);
    CU_ASSERT_EQUAL(touched_count(&f), n / 2 - 1); /* the odd agents but the sender 5 */
    CU_ASSERT(in[4].wom == 0 && in[3].wom == 1 && in[4].mask == 0);
    memset(f.sim.state, 0, n);
    /* Same (seed, step, sender): same contacts. */
    reset_inbox(&f);
    f.sim.step = 17;
    uint64_t c1 = bz_spread(&f.sim, &f.sim.tally[0], 0, 3, 0.2, BZ_RECEPTIVE_ALL);
    bz_inbox *copy = malloc(n * sizeof *copy);
    memcpy(copy, in, n * sizeof *copy);
    reset_inbox(&f);
    uint64_t c2 = bz_spread(&f.sim, &f.sim.tally[0], 0, 3, 0.2, BZ_RECEPTIVE_ALL);
    CU_ASSERT_EQUAL(c1, c2);
    CU_ASSERT(memcmp(copy, in, n * sizeof *copy) == 0);
    /* A batch of senders gives exactly what one call per sender gives. */
    uint32_t senders[700];
    for (int i = 0; i < 700; i++)
        senders[i] = (uint32_t)(i * 7 % n);
    reset_inbox(&f);
    uint64_t single = 0;
    for (int i = 0; i < 700; i++)
        single += bz_spread(&f.sim, &f.sim.tally[0], 0, senders[i], 0.05, BZ_RECEPTIVE_ALL);
    memcpy(copy, in, n * sizeof *copy);
    reset_inbox(&f);
    CU_ASSERT_EQUAL(
        bz_spread_batch(&f.sim, &f.sim.tally[0], 0, senders, 700, 0.05, BZ_RECEPTIVE_ALL), single);
    CU_ASSERT(single > 512); /* more than one delivery buffer */
    CU_ASSERT(memcmp(copy, in, n * sizeof *copy) == 0);
    free(copy);
    fixture_destroy(&f);
}

static void test_random_agents_and_channels(void)
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
    /* pick_channel: only set bits, roughly uniform among them. */
    int hits[BZ_CH_MAX] = {0};
    uint32_t mask = (1u << BZ_CH_ADVERTISING) | (1u << BZ_CH_KOL) | (1u << BZ_CH_LAYER0);
    for (int i = 0; i < 3000; i++)
        hits[bz_sim_pick_channel(mask, &s, -1)]++;
    CU_ASSERT(hits[BZ_CH_ADVERTISING] + hits[BZ_CH_KOL] + hits[BZ_CH_LAYER0] == 3000);
    CU_ASSERT(hits[BZ_CH_KOL] > 850 && hits[BZ_CH_KOL] < 1150);
    CU_ASSERT(bz_sim_pick_channel(0, &s, 7) == 7);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"population: Zipf city sizes", test_population_zipf},
        {"stats: summaries and paired intervals", test_stats},
        {"stats: cost per extra adopter (paired ratio)", test_stats_ratio},
        {"results: acceleration and expansion split", test_decompose},
        {"spread: binomial contacts by geometric skipping", test_spread_binomial},
        {"random agents and channel picking", test_random_agents_and_channels},
        CU_TEST_INFO_NULL};
    return bz_test_main("core", tests);
}
