/* Validation: the bass model on a well-mixed population against the Bass
 * closed form F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}), with
 * N = 100,000 agents, p = 0.03 and q = 0.38 per day (a fast market, so 30
 * days cover the whole curve), 10 replicates.
 *
 * The model runs in continuous time, so there is no discretisation error
 * left: the replicate mean differs from F only by sampling noise, whose
 * standard error is sqrt(F (1 - F) / (N R)) <= 0.0005; the maximum over the
 * 30 days of a correlated noise of that size is a few of them. Tolerance:
 * max_t |F_sim(t) - F(t)| <= 0.003 (6 SE) at every output step from 15
 * minutes to 12 hours, and the adopters at the horizon identical for every
 * step (time.step only samples the series). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "engine/run.h"

static double bass_F(double t, double p, double q)
{
    double e = exp(-(p + q) * t);
    return (1 - e) / (1 + (q / p) * e);
}

/* Max |mean F_sim - F| over time, for a step given as YAML text. */
static double bass_error(const char *step, uint32_t agents, uint32_t reps, double *final)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: bass-validation\nseed: 7\ntime: { step: %s, horizon: 30d }\n"
             "replicates: %u\npopulation: { agents: %u }\n"
             "network: { layers: [ { name: all, generator: { model: well_mixed } } ] }\n"
             "diffusion: { model: bass, p: 0.03, q: 0.38 }\n",
             step, reps, agents);
    bz_experiment x;
    bz_results res;
    bz_error err;
    double worst = NAN;
    if (bz_experiment_load_string(&x, yaml, "bass.yaml", NULL, 0, &err) != BZ_OK) {
        fprintf(stderr, "config: %s\n", err.msg);
        return NAN;
    }
    if (bz_run_experiment(&x, NULL, &res, &err) != BZ_OK) {
        fprintf(stderr, "run: %s\n", err.msg);
    } else {
        worst = 0;
        for (uint32_t t = 0; t < res.T; t++) {
            double mean = 0;
            for (uint32_t r = 0; r < res.R; r++)
                mean += (double)bz_series_row(res.arms[0].series[BZ_SER_ADOPTERS], res.R, res.T, 0,
                                              r)[t];
            mean /= (double)res.R * agents;
            double e = fabs(mean - bass_F(res.time_days[t], 0.03, 0.38));
            if (e > worst) worst = e;
        }
        if (final) {
            *final = 0;
            for (uint32_t r = 0; r < res.R; r++)
                *final += res.arms[0].outcomes[r].v[BZ_OUT_FINAL_ADOPTERS];
        }
    }
    bz_results_destroy(&res);
    bz_experiment_destroy(&x);
    return worst;
}

static void test_bass_closed_form(void)
{
    double e = bass_error("1h", 100000, 10, NULL);
    printf("\n  bass N=100000, output every 1h: max |F_sim - F| = %.5f (tolerance 0.003)\n", e);
    CU_ASSERT(e <= 0.003);
}

/* The output step changes nothing but the sampling. */
static void test_bass_any_step(void)
{
    const char *steps[] = {"12h", "6h", "2h", "15m"};
    double final0 = NAN;
    printf("\n  step  max|F_sim - F|  adopters summed over 10 replicates of N = 100000\n");
    for (int i = 0; i < 4; i++) {
        double final = NAN;
        double e = bass_error(steps[i], 100000, 10, &final);
        printf("  %-5s %.5f        %.0f\n", steps[i], e, final);
        CU_ASSERT(e <= 0.003);
        if (i == 0) final0 = final;
        CU_ASSERT(final == final0);
    }
}

int main(void)
{
    CU_TestInfo tests[] = {{"bass tracks the closed form (output every 1h)", test_bass_closed_form},
                           {"bass: the same at every output step", test_bass_any_step},
                           CU_TEST_INFO_NULL};
    return bz_test_main("validation-bass", tests);
}
