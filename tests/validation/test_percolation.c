/* Validation: independent cascade and SIR on G(n, z/n) against bond
 * percolation.
 * One random seed; a cascade that takes off reaches S = 1 - exp(-z p S) of
 * the agents (Newman 2002). N = 100,000, z = 10, p = 0.2: S = 0.7968.
 * Tolerance (issue #2): |mean final size of large cascades - S| <= 0.01.
 * The probability that one random seed starts a large cascade is also S
 * (for Poisson degrees), checked loosely (binomial 4-sigma band). */
#include <math.h>
#include <stdio.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "engine/run.h"

static double percolation_S(double zp)
{
    double S = 0.5;
    for (int i = 0; i < 200; i++)
        S = 1 - exp(-zp * S);
    return S;
}

static void test_ic_percolation(void)
{
    const uint32_t N = 100000, R = 60;
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: ic-validation\nseed: 11\ntime: { step: 1d, horizon: 120d }\n"
             "replicates: %u\npopulation: { agents: %u }\n"
             "network: { resample: true, layers: [ { name: g, generator: { model: erdos_renyi, "
             "mean_degree: 10 } } ] }\n"
             "diffusion: { model: independent_cascade, p: 0.2, seeds: 1 }\n",
             R, N);
    bz_experiment x;
    bz_results res;
    bz_error err;
    int st = bz_experiment_load_string(&x, yaml, "ic.yaml", NULL, 0, &err);
    if (st != BZ_OK) fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_FATAL(st == BZ_OK);
    st = bz_run_experiment(&x, NULL, &res, &err);
    if (st != BZ_OK) fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_FATAL(st == BZ_OK);
    double S = percolation_S(10 * 0.2), sum = 0;
    uint32_t large = 0;
    for (uint32_t r = 0; r < R; r++) {
        double f = res.arms[0].outcomes[r].v[BZ_OUT_FINAL_ADOPTERS] / N;
        if (f > 0.1) {
            sum += f;
            large++;
        }
    }
    double mean = large ? sum / large : NAN;
    double sd = sqrt(S * (1 - S) / R);
    printf("\n  IC on G(n, 10/n), p=0.2: %u/%u large cascades, mean size %.4f, theory %.4f\n",
           large, R, mean, S);
    CU_ASSERT(large > 0);
    CU_ASSERT(fabs(mean - S) <= 0.01);
    CU_ASSERT(fabs((double)large / R - S) <= 4 * sd);
    /* Small cascades stay small (no mass between 1% and 10%). */
    for (uint32_t r = 0; r < R; r++) {
        double f = res.arms[0].outcomes[r].v[BZ_OUT_FINAL_ADOPTERS] / N;
        CU_ASSERT(f < 0.01 || f > 0.5);
    }
    bz_results_destroy(&res);
    bz_experiment_destroy(&x);
}

/* SIR in continuous time on G(n, z/n): an infectious agent stays
 * D ~ Exp(gamma) days and transmits along each tie at rate beta, so it
 * transmits along an edge with probability T = E[1 - exp(-beta D)] =
 * beta / (beta + gamma). Transmissions into one agent from different
 * neighbours are independent, so the final size of a large outbreak solves
 * S = 1 - exp(-z T S) (Kenah & Robins 2007; Newman 2002). Tolerance 0.01. */
static void test_sir_final_size(void)
{
    const uint32_t N = 100000, R = 40;
    const double beta = 0.1, gamma = 0.4, z = 10;
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: sir-validation\nseed: 12\ntime: { step: 1d, horizon: 200d }\n"
             "replicates: %u\npopulation: { agents: %u }\n"
             "network: { resample: true, layers: [ { name: g, generator: { model: erdos_renyi, "
             "mean_degree: %g } } ] }\n"
             "diffusion: { model: sir, beta: %g, gamma: %g, seeds: 1 }\n",
             R, N, z, beta, gamma);
    bz_experiment x;
    bz_results res;
    bz_error err;
    int st = bz_experiment_load_string(&x, yaml, "sir.yaml", NULL, 0, &err);
    if (st != BZ_OK) fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_FATAL(st == BZ_OK);
    st = bz_run_experiment(&x, NULL, &res, &err);
    if (st != BZ_OK) fprintf(stderr, "%s\n", err.msg);
    CU_ASSERT_FATAL(st == BZ_OK);
    double T = beta / (beta + gamma);
    double S = percolation_S(z * T), sum = 0;
    uint32_t large = 0;
    for (uint32_t k = 0; k < R; k++) {
        double f = res.arms[0].outcomes[k].v[BZ_OUT_FINAL_ADOPTERS] / N;
        if (f > 0.1) {
            sum += f;
            large++;
        }
        /* The epidemic is over at the horizon: nobody is still infectious. */
        CU_ASSERT_EQUAL(bz_series_row(res.arms[0].series[BZ_SER_STATES], R, res.T, 1, k)[res.T - 1],
                        0);
    }
    double mean = large ? sum / large : NAN;
    printf("\n  SIR on G(n, 10/n), T=%.4f: %u/%u large outbreaks, mean size %.4f, theory %.4f\n", T,
           large, R, mean, S);
    CU_ASSERT(large >= R / 3);
    CU_ASSERT(fabs(mean - S) <= 0.01);
    bz_results_destroy(&res);
    bz_experiment_destroy(&x);
}

int main(void)
{
    CU_TestInfo tests[] = {{"independent cascade matches bond percolation", test_ic_percolation},
                           {"SIR final size matches percolation with T", test_sir_final_size},
                           CU_TEST_INFO_NULL};
    return bz_test_main("validation-percolation", tests);
}
