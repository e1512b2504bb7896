/* Validation of linear_threshold (Watts 2002).
 *
 * 1. Exact dynamics on an 11-agent hand-made network: activation happens in
 *    the step in which the active share of an agent's neighbours first
 *    reaches phi, and not before.
 * 2. The global cascade window on G(n, z/n) with uniform phi = 0.18 and one
 *    random seed. An agent of degree k is vulnerable (one active neighbour
 *    tips it) iff 1/k >= phi, i.e. k <= K = floor(1/phi) = 5. Cascades are
 *    global when the vulnerable agents percolate (Watts 2002, eq. 5):
 *        sum_k k (k - 1) rho_k p_k = z,  rho_k = 1 for 1 <= k <= K,
 *    which for Poisson(z) degrees reads z * P(Poisson(z) <= K - 2) = 1: the
 *    window is 1 < z < 5.76. The chance that one random seed starts a global
 *    cascade is 1 - sum_k p_k u^k, where u, the chance that an edge leads
 *    to a finite vulnerable branch, solves
 *        u = 1 - sum_{k<=K} q_k + sum_{k<=K} q_k u^(k-1),  q_k = k p_k / z.
 *    Tolerance: inside the window (z = 2, 3, 4) the frequency of global
 *    cascades (> 50% of agents) is >= 0.5 and within 0.12 of that
 *    prediction: the binomial 4-sigma band at R = 200 (about 0.1) plus
 *    finite-size slack, as the theory is for n -> infinity (N = 20,000
 *    measured +0.02 to +0.04 at z = 2). Outside (z = 0.5, z = 10): <= 2% of
 *    replicates.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "base/channels.h"
#include "engine/run.h"

static double poisson_pk(double z, int k)
{
    return exp(-z + k * log(z) - lgamma(k + 1.0));
}

/* Probability that one random seed starts a global cascade (see above). */
static double cascade_probability(double z, int K)
{
    double u = 0;
    for (int it = 0; it < 20000; it++) {
        double nu = 0;
        for (int k = 1; k < 200; k++) {
            double q = k * poisson_pk(z, k) / z;
            nu += k <= K ? q * pow(u, k - 1) : q;
        }
        u = nu;
    }
    double s = 0;
    for (int k = 0; k < 200; k++)
        s += poisson_pk(z, k) * pow(u, k);
    return 1 - s;
}

/* Left side of the cascade condition divided by z: z P(Poisson(z) <= K-2). */
static double cascade_condition(double z, int K)
{
    double s = 0;
    for (int j = 0; j <= K - 2; j++)
        s += poisson_pk(z, j);
    return z * s;
}

static int run_yaml(const char *yaml, bz_experiment *x, bz_results *res)
{
    bz_error err;
    int st = bz_experiment_load_string(x, yaml, "threshold.yaml", NULL, 0, &err);
    if (st != BZ_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return st;
    }
    st = bz_run_experiment(x, NULL, res, &err);
    if (st != BZ_OK) {
        fprintf(stderr, "%s\n", err.msg);
        bz_experiment_destroy(x);
    }
    return st;
}

/* Undirected network (agent: neighbours):
 *   0: 1 2 3 4     (unique hub: the KOL seed, strategy degree)
 *   1: 0           2: 0 5        3: 0 4 6     4: 0 3
 *   5: 2 8 9       6: 3 10       8: 5         9: 5      10: 6
 *   7: isolated (degree 0 never activates by neighbours)
 * The KOL campaign seeds 0 at t = 0 (the sample at t = 0 comes before any
 * event, nobody active). Each activation is heard one delay (1 day) later.
 * With phi = 0.5: at t = 1 (0 tells 1..4): 1 (1/1), 2 (1/2) and 4 (1/2)
 * activate, 3 (1/3) does not; t = 2: 3 (2/3); 5 stays at 1/3; t = 3: 6
 * (1/2); t = 4: 10 (1/1). Samples at t = 0..5 (each after the events
 * before it): 0 1 4 5 6 7. With phi = 0.51, 2 and 4 (exactly 1/2) no
 * longer activate, nor 3 (1/3): only 1 does. */
static void run_small(const char *dir, double phi, int64_t *active, int64_t *by_layer,
                      int64_t *by_kol)
{
    char path[512], yaml[2048];
    snprintf(path, sizeof path, "%s/edges.txt", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("0 1\n0 2\n0 3\n0 4\n3 4\n2 5\n3 6\n7 7\n5 8\n5 9\n6 10\n", f);
    fclose(f);
    snprintf(yaml, sizeof yaml,
             "name: lt-small\nseed: 5\ntime: { step: 1d, horizon: 5d }\nreplicates: 1\n"
             "population: { agents: 11 }\n"
             "network: { layers: [ { name: g, generator: { model: edge_list, path: %s } } ] }\n"
             "diffusion: { model: linear_threshold, threshold: %g, seeds: 0 }\n"
             "arms: { kol: [ { campaign: kol_seeding, at: 0d, count: 1, strategy: degree, "
             "reach: 0 } ] }\n",
             path, phi);
    bz_experiment x;
    bz_results res;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &res) == BZ_OK);
    CU_ASSERT_FATAL(res.T == 6);
    const int64_t *act = bz_series_row(res.arms[0].series[BZ_SER_STATES], res.R, res.T, 1, 0);
    *by_layer = *by_kol = 0;
    for (uint32_t t = 0; t < res.T; t++) {
        active[t] = act[t];
        *by_layer += bz_series_row(res.arms[0].series[BZ_SER_ADOPTIONS_BY], res.R, res.T,
                                   BZ_CH_LAYER0, 0)[t];
        *by_kol +=
            bz_series_row(res.arms[0].series[BZ_SER_ADOPTIONS_BY], res.R, res.T, BZ_CH_KOL, 0)[t];
    }
    bz_results_destroy(&res);
    bz_experiment_destroy(&x);
}

static void test_small_network(void)
{
    char dir[] = "/tmp/bz_lt_XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    int64_t a[6], layer, kol;
    run_small(dir, 0.5, a, &layer, &kol);
    const int64_t want[6] = {0, 1, 4, 5, 6, 7};
    for (int t = 0; t < 6; t++)
        CU_ASSERT_EQUAL(a[t], want[t]);
    CU_ASSERT_EQUAL(kol, 1);
    CU_ASSERT_EQUAL(layer, 6);
    run_small(dir, 0.51, a, &layer, &kol);
    const int64_t want2[6] = {0, 1, 2, 2, 2, 2};
    for (int t = 0; t < 6; t++)
        CU_ASSERT_EQUAL(a[t], want2[t]);
    CU_ASSERT_EQUAL(layer, 1);
    char path[512];
    snprintf(path, sizeof path, "%s/edges.txt", dir);
    remove(path);
    rmdir(dir);
}

/* A threshold outside [-1, 1] is a configuration error naming the key. */
static void test_bad_threshold(void)
{
    const char *yaml = "name: lt-bad\nseed: 1\ntime: { step: 1d, horizon: 2d }\n"
                       "population: { agents: 100 }\n"
                       "network: { layers: [ { name: g, generator: { model: erdos_renyi, "
                       "mean_degree: 3 } } ] }\n"
                       "diffusion: { model: linear_threshold, threshold: 1.5 }\n";
    bz_experiment x;
    bz_error err;
    int st = bz_experiment_load_string(&x, yaml, "bad.yaml", NULL, 0, &err);
    CU_ASSERT_EQUAL(st, BZ_EINVAL);
    if (st == BZ_OK)
        bz_experiment_destroy(&x);
    else
        CU_ASSERT(strstr(err.msg, "threshold") != NULL);
}

static double global_frequency(double z, uint32_t N, uint32_t R, double *mean_size)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: lt-window\nseed: 21\ntime: { step: 1d, horizon: 300d }\n"
             "replicates: %u\npopulation: { agents: %u, attributes: { threshold: { dist: "
             "constant, value: 0.18 } } }\n"
             "network: { resample: true, layers: [ { name: g, generator: { model: erdos_renyi, "
             "mean_degree: %g } } ] }\n"
             "diffusion: { model: linear_threshold, seeds: 1 }\n",
             R, N, z);
    bz_experiment x;
    bz_results res;
    if (run_yaml(yaml, &x, &res) != BZ_OK) {
        CU_FAIL("experiment failed");
        return NAN;
    }
    uint32_t global = 0;
    double sum = 0;
    for (uint32_t r = 0; r < R; r++) {
        double f = res.arms[0].outcomes[r].v[BZ_OUT_FINAL_ADOPTERS] / N;
        if (f > 0.5) {
            global++;
            sum += f;
        }
        /* Finished: nobody activated in the last step. */
        const int64_t *ad = bz_series_row(res.arms[0].series[BZ_SER_ADOPTERS], R, res.T, 0, r);
        CU_ASSERT_EQUAL(ad[res.T - 1], ad[res.T - 2]);
    }
    *mean_size = global ? sum / global : NAN;
    bz_results_destroy(&res);
    bz_experiment_destroy(&x);
    return (double)global / R;
}

static void test_cascade_window(void)
{
    const int K = 5; /* floor(1 / 0.18) */
    const uint32_t N = 20000, R = 200;
    double lo = 0.5, hi = 10; /* upper root of z P(Poisson(z) <= 3) = 1 */
    for (int i = 0; i < 100; i++) {
        double m = (lo + hi) / 2;
        if (m > 1 && cascade_condition(m, K) > 1)
            lo = m;
        else
            hi = m;
    }
    printf("\n  phi = 0.18: predicted cascade window 1 < z < %.3f (N=%u, %u replicates)\n", lo, N,
           R);
    CU_ASSERT(lo > 5.5 && lo < 6.0);
    const double zs[] = {0.5, 2, 3, 4, 10};
    for (size_t i = 0; i < sizeof zs / sizeof zs[0]; i++) {
        double z = zs[i], size;
        double pred = (z > 1 && z < lo) ? cascade_probability(z, K) : 0;
        double freq = global_frequency(z, N, R, &size);
        printf("  z = %4.1f: global cascades %.3f (predicted %.3f), mean size %.3f\n", z, freq,
               pred, size);
        if (z > 1 && z < lo) {
            CU_ASSERT(freq >= 0.5);
            CU_ASSERT(fabs(freq - pred) <= 0.12);
        } else {
            CU_ASSERT(freq <= 0.02);
        }
    }
}

int main(void)
{
    CU_TestInfo tests[] = {{"activation exactly when the share reaches phi", test_small_network},
                           {"threshold out of range is refused", test_bad_threshold},
                           {"Watts cascade window on G(n, z/n), phi = 0.18", test_cascade_window},
                           CU_TEST_INFO_NULL};
    return bz_test_main("validation-threshold", tests);
}
