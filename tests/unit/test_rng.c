/* rng: known answers (Random123's published kat_vectors for Philox4x32-10),
 * stream keying, uniformity (chi-square), bounded integers, the GSL adapter. */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "bz_test.h"
#include "rng/rng.h"

static void test_known_answers(void)
{
    static const uint32_t kat[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
         0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
         0x94fdcceb, 0x5001e420, 0x24126ea1}};
    for (int i = 0; i < 3; i++) {
        bz_stream s;
        /* Build the stream through the public keying, then check that it
         * maps to the raw counter/key of the vector. */
        uint64_t seed = (uint64_t)kat[i][5] << 32 | kat[i][4];
        bz_stream_init(&s, seed, kat[i][2], kat[i][1], kat[i][0], kat[i][3] >> 24);
        s.ctr.v[3] = kat[i][3]; /* full 32-bit word, including the block bits */
        for (int k = 0; k < 4; k++)
            CU_ASSERT_EQUAL(bz_stream_u32(&s), kat[i][6 + k]);
    }
}

static void test_streams_differ_and_repeat(void)
{
    bz_stream a, b, c;
    bz_stream_init(&a, 42, 1, 2, 3, BZ_RNG_DECIDE);
    bz_stream_init(&b, 42, 1, 2, 3, BZ_RNG_DECIDE);
    bz_stream_init(&c, 42, 1, 2, 4, BZ_RNG_DECIDE);
    int same_ab = 1, same_ac = 1;
    for (int i = 0; i < 100; i++) {
        uint32_t x = bz_stream_u32(&a), y = bz_stream_u32(&b), z = bz_stream_u32(&c);
        same_ab &= x == y;
        same_ac &= x == z;
    }
    CU_ASSERT(same_ab);
    CU_ASSERT(!same_ac);
    /* Each coordinate of the key/counter matters. */
    uint32_t first[6];
    bz_stream s;
    bz_stream_init(&s, 1, 0, 0, 0, 1), first[0] = bz_stream_u32(&s);
    bz_stream_init(&s, 2, 0, 0, 0, 1), first[1] = bz_stream_u32(&s);
    bz_stream_init(&s, 1, 1, 0, 0, 1), first[2] = bz_stream_u32(&s);
    bz_stream_init(&s, 1, 0, 1, 0, 1), first[3] = bz_stream_u32(&s);
    bz_stream_init(&s, 1, 0, 0, 1, 1), first[4] = bz_stream_u32(&s);
    bz_stream_init(&s, 1, 0, 0, 0, 2), first[5] = bz_stream_u32(&s);
    for (int i = 0; i < 6; i++)
        for (int j = i + 1; j < 6; j++)
            CU_ASSERT_NOT_EQUAL(first[i], first[j]);
    /* A seed above 2^32 differs from its low word. */
    bz_stream_init(&s, (1ULL << 32) | 1, 0, 0, 0, 1);
    CU_ASSERT_NOT_EQUAL(bz_stream_u32(&s), first[0]);
}

/* Chi-square test of uniform doubles in 100 bins, n = 10^6: the statistic
 * must stay below the 0.9999 quantile (a false alarm 1 in 10,000 runs; the
 * seed is fixed, so the test is deterministic). */
static void test_uniformity(void)
{
    enum { BINS = 100, N = 1000000 };
    static long count[BINS];
    memset(count, 0, sizeof count);
    bz_stream s;
    bz_stream_init(&s, 2024, 0, 0, 0, BZ_RNG_TEST);
    double mn = 1, mx = 0;
    for (long i = 0; i < N; i++) {
        double u = bz_stream_uniform(&s);
        CU_ASSERT_FATAL(u >= 0 && u < 1);
        if (u < mn) mn = u;
        if (u > mx) mx = u;
        count[(int)(u * BINS)]++;
    }
    double chi2 = 0, e = (double)N / BINS;
    for (int b = 0; b < BINS; b++)
        chi2 += (count[b] - e) * (count[b] - e) / e;
    CU_ASSERT(chi2 < gsl_cdf_chisq_Pinv(0.9999, BINS - 1));
    CU_ASSERT(mn < 1e-4 && mx > 1 - 1e-4);
    /* Lag-1 correlation near 0 (sd 1/sqrt(N) = 0.001). */
    bz_stream_init(&s, 2025, 0, 0, 0, BZ_RNG_TEST);
    double prev = bz_stream_uniform(&s), sxy = 0;
    for (long i = 0; i < N; i++) {
        double u = bz_stream_uniform(&s);
        sxy += (prev - 0.5) * (u - 0.5);
        prev = u;
    }
    CU_ASSERT(fabs(sxy / N / (1.0 / 12)) < 0.005);
}

static void test_below_and_geometric(void)
{
    bz_stream s;
    bz_stream_init(&s, 9, 0, 0, 0, BZ_RNG_TEST);
    long hist[7] = {0};
    for (int i = 0; i < 70000; i++) {
        uint64_t k = bz_stream_below(&s, 7);
        CU_ASSERT_FATAL(k < 7);
        hist[k]++;
    }
    for (int k = 0; k < 7; k++)
        CU_ASSERT(fabs(hist[k] - 10000.0) < 5 * sqrt(10000.0));
    CU_ASSERT(bz_stream_below(&s, 1) == 0);
    uint64_t big = (1ULL << 40) + 3;
    for (int i = 0; i < 1000; i++)
        CU_ASSERT(bz_stream_below(&s, big) < big);
    /* Geometric skip: mean number of failures (1-p)/p. */
    double p = 0.05, sum = 0, lq = log1p(-p);
    for (int i = 0; i < 100000; i++)
        sum += (double)bz_stream_geometric_skip(&s, 1.0 / lq);
    double mean = sum / 100000, want = (1 - p) / p, sd = sqrt((1 - p) / (p * p) / 100000);
    CU_ASSERT(fabs(mean - want) < 5 * sd);
    CU_ASSERT(fabs(bz_rate_to_prob(0.5, 2.0) - (1 - exp(-1.0))) < 1e-15);
}

/* The bulk draws give exactly the single draws, in order, and leave the
 * stream where the single draws would: from every starting word of a block
 * (a stream part used by u32 draws), for lengths below, at and far above
 * the eight blocks the AVX2 path computes at once. */
static void test_bulk_draws(void)
{
    const size_t lens[] = {0, 1, 2, 3, 4, 5, 7, 31, 32, 33, 63, 64, 65, 127, 1000, 4099};
    uint32_t got[4099];
    double ug[4099];
    for (unsigned skip = 0; skip < 5; skip++)
        for (size_t li = 0; li < sizeof lens / sizeof *lens; li++) {
            size_t n = lens[li];
            bz_stream a, b;
            bz_stream_init(&a, 0x1234567890ABCDEFull, 7, 11, 13 + (uint32_t)li, BZ_RNG_TEST);
            a.ctr.v[3] += 0xFFF0u; /* near a carry into the block counter's upper bits */
            for (unsigned k = 0; k < skip; k++)
                (void)bz_stream_u32(&a);
            b = a;
            bz_stream_fill_u32(&a, got, n);
            int same = 1;
            for (size_t i = 0; i < n; i++)
                same &= got[i] == bz_stream_u32(&b);
            CU_ASSERT(same);
            /* The next draws agree too: the same state. */
            CU_ASSERT_EQUAL(bz_stream_u32(&a), bz_stream_u32(&b));
            CU_ASSERT_EQUAL(bz_stream_u64(&a), bz_stream_u64(&b));

            bz_stream_fill_uniform_pos(&a, ug, n);
            same = 1;
            for (size_t i = 0; i < n; i++)
                same &= ug[i] == bz_stream_uniform_pos(&b);
            CU_ASSERT(same);
            CU_ASSERT_EQUAL(bz_stream_u32(&a), bz_stream_u32(&b));
        }
}

/* The table logarithm of the skips is within 1.2e-14 of ln (long double
 * logl) on 10^6 draws, at the ends of (0, 1] and at every interval
 * boundary; bz_skips_fill (vectorised where the CPU allows) gives the
 * scalar formula's bits; the skips have the geometric mean (1 - p) / p. */
static void test_skips(void)
{
    /* The constant table is what its definition says (rng/lntab.c). */
    int table = 1;
    for (int k = 0; k < BZ_LOGTAB_SIZE; k++) {
        const double mid = 1.0 + (k + 0.5) / BZ_LOGTAB_SIZE;
        table &= bz_lntab.inv[k] == 1.0 / mid;
        table &= fabs(bz_lntab.ln[k] - log(mid)) <= 0x1p-52 * fabs(log(mid)); /* 1 ulp */
    }
    CU_ASSERT(table);
    bz_stream s;
    bz_stream_init(&s, 5, 0, 0, 0, BZ_RNG_TEST);
    double worst = 0;
    for (int i = 0; i < 1000000; i++) {
        double u = bz_stream_uniform_pos(&s);
        double e = fabsl((long double)bz_ln01(u) - logl((long double)u));
        if (e > worst) worst = e;
    }
    const double ends[] = {0x1p-53, 0x1p-52 * 3, 0.5, 1.0, nextafter(1.0, 0), nextafter(0.5, 1)};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        double e = fabsl((long double)bz_ln01(ends[i]) - logl((long double)ends[i]));
        if (e > worst) worst = e;
    }
    for (int k = 1; k < BZ_LOGTAB_SIZE; k++) { /* interval boundaries, scaled into (0, 1] */
        double b = (1.0 + (double)k / BZ_LOGTAB_SIZE) / 2;
        double near[] = {nextafter(b, 0), b, nextafter(b, 1)};
        for (int j = 0; j < 3; j++) {
            double e = fabsl((long double)bz_ln01(near[j]) - logl((long double)near[j]));
            if (e > worst) worst = e;
        }
    }
    printf("\n  table ln: worst absolute error %.2g\n", worst);
    CU_ASSERT(worst < 1.2e-14);
    /* Never above 0, so a skip is never negative (u = 1 has probability
     * 2^-53 per draw, and the table alone gives +5.6e-15 there). */
    CU_ASSERT_EQUAL(bz_ln01(1.0), 0.0);
    for (int i = 1; i < 64; i++)
        CU_ASSERT(bz_ln01(1.0 - i * 0x1p-53) <= 0.0);
    double one[4] = {0};
    bz_stream_init(&s, 5, 0, 0, 1, BZ_RNG_TEST);
    bz_skips_fill(&s, 1.0 / log1p(-0.5), one, 4);
    CU_ASSERT(one[0] >= 0 && one[1] >= 0 && one[2] >= 0 && one[3] >= 0);

    const double ps[] = {0.3, 1e-3, 3e-7};
    for (size_t pi = 0; pi < sizeof ps / sizeof *ps; pi++) {
        double p = ps[pi], inv = 1.0 / log1p(-p);
        enum { N = 200003 }; /* not a multiple of 4: the scalar tail runs too */
        static double g[N];
        bz_stream a, b;
        bz_stream_init(&a, 17, 1, 2, (uint32_t)pi, BZ_RNG_TEST);
        b = a;
        bz_skips_fill(&a, inv, g, N);
        int same = 1;
        double sum = 0;
        for (int i = 0; i < N; i++) {
            same &= g[i] == floor(bz_ln01(bz_stream_uniform_pos(&b)) * inv);
            sum += g[i];
        }
        CU_ASSERT(same);
        double mean = sum / N, want = (1 - p) / p, sd = sqrt((1 - p) / (p * p) / N);
        CU_ASSERT(fabs(mean - want) < 5 * sd);
    }
}

static void test_gsl_adapter(void)
{
    gsl_rng *r = bz_gsl_rng_alloc();
    CU_ASSERT_FATAL(r != NULL);
    bz_stream s, t;
    bz_stream_init(&s, 77, 3, 4, 5, BZ_RNG_TEST);
    t = s;
    bz_gsl_rng_attach(r, &s);
    /* The adapter draws exactly the stream's numbers. */
    for (int i = 0; i < 10; i++)
        CU_ASSERT_EQUAL(gsl_rng_get(r), bz_stream_u32(&t));
    /* A GSL distribution through it: Poisson(4) mean within 5 sd. */
    bz_gsl_rng_attach(r, &s);
    double sum = 0;
    for (int i = 0; i < 20000; i++)
        sum += gsl_ran_poisson(r, 4.0);
    CU_ASSERT(fabs(sum / 20000 - 4.0) < 5 * sqrt(4.0 / 20000));
    CU_ASSERT_STRING_EQUAL(gsl_rng_name(r), "bz_philox4x32_10");
    gsl_rng_free(r);
}

int main(void)
{
    CU_TestInfo tests[] = {{"Philox4x32-10 known answers", test_known_answers},
                           {"streams are keyed and repeatable", test_streams_differ_and_repeat},
                           {"uniform doubles pass chi-square", test_uniformity},
                           {"bounded integers and geometric skips", test_below_and_geometric},
                           {"GSL adapter draws from the stream", test_gsl_adapter},
                           {"bulk draws equal single draws", test_bulk_draws},
                           {"table logarithm and bulk skips", test_skips},
                           CU_TEST_INFO_NULL};
    return bz_test_main("rng", tests);
}
