/* buzzsim optimize PLAN.yaml [--output out.h5] [--force] [--threads T] [--quiet] [--dry-run]
 *
 * --dry-run: check the plan (every variable at its bounds, every choice)
 * and print what the search would do; nothing is simulated or written.
 *
 * Order of work, as for run: load and check the plan (exit 2 on bad input,
 * before anything is written), refuse existing outputs without --force,
 * search, re-evaluate the finalists on fresh replicates, then write OUT.h5
 * and the recommended plan OUT.plan.yaml (each written whole and renamed
 * into place). SIGINT/SIGTERM stop the search between evaluations; nothing
 * is written then. */
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/durable.h"
#include "base/file.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "io/h5.h"
#include "optimize/h5_optimize.h"
#include "optimize/journal.h"
#include "optimize/optimize.h"
#ifdef BZ_HAVE_MPI
#include "optimize/mpi.h"
#include "sweep/mpi.h"
#endif

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void show_progress(void *ctx, const bz_opt_eval *e, size_t done, size_t total)
{
    const bz_opt_plan *pl = ctx;
    fprintf(stderr, "[%3zu/%zu] %-6s", done, total, e->phase ? "local" : "global");
    for (size_t i = 0; i < pl->n_vars; i++)
        fprintf(stderr, " %s=%s", pl->vars[i].key, e->text[i]);
    fprintf(stderr, "  objective %.6g%s\n", e->objective, e->feasible ? "" : " (infeasible)");
}

/* "results/x.h5" -> "results/x.plan.yaml" */
static void plan_path_of(const char *out, char *buf, size_t size)
{
    size_t n = strlen(out);
    if (n > 3 && !strcmp(out + n - 3, ".h5")) n -= 3;
    snprintf(buf, size, "%.*s.plan.yaml", (int)n, out);
}

/* Column width of a variable in the table: its key, at least 12. */
static int width_of(const bz_opt_var *v)
{
    int n = (int)strlen(v->key);
    return n < 12 ? 12 : n;
}

static void print_row(const bz_opt_plan *pl, const char *label, const bz_opt_eval *e,
                      const bz_compare *d)
{
    printf("%-6s", label);
    for (size_t i = 0; i < pl->n_vars; i++)
        if (!e->text[i][0])
            printf("  %-*s", width_of(&pl->vars[i]), "(as written)");
        else if (pl->vars[i].kind == BZ_VAR_CHOICE)
            printf("  %-*s", width_of(&pl->vars[i]), e->text[i]);
        else
            printf("  %-*.6g", width_of(&pl->vars[i]), e->value[i]);
    printf("  %14.6g", e->objective);
    if (d && isfinite(d->mean))
        printf("  %+12.6g [%.6g, %.6g]", d->mean, d->ci_low, d->ci_high);
    else
        printf("  %-30s", d ? "-" : "(reference)");
    printf("  %12.6g  %s\n", e->spend_max, e->feasible ? "yes" : "no");
}

static void report(const bz_opt_plan *pl, const bz_opt_result *res, const char *out,
                   const char *plan_out)
{
    printf("\n%s: %zu plans simulated by %s (%u replicates each, seed %llu), %.1f s, %llu "
           "simulations in all\n",
           pl->name, res->n_evals, bz_opt_method_names[pl->method], (unsigned)pl->replicates,
           (unsigned long long)pl->seed, res->seconds, (unsigned long long)res->simulations);
    if (res->resumed)
        printf("(%zu of them answered from the journal of the interrupted search)\n", res->resumed);
    printf("Final round: the best %zu feasible plans and the base plan on %u fresh replicates "
           "(seed %llu); objective = ",
           res->n_final, (unsigned)pl->final_replicates, (unsigned long long)res->final_seed);
    for (size_t t = 0; t < pl->n_terms; t++)
        printf("%s%g x %s", t ? " + " : "", pl->terms[t].weight,
               bz_outcome_defs[pl->terms[t].outcome].name);
    printf("%s of arm '%s'", pl->relative ? " paired with the baseline" : "", pl->arm);
    if (isfinite(pl->budget)) printf(", spend at most %g in every replicate", pl->budget);
    for (size_t k = 0, first = 1; k < pl->n_campaigns; k++)
        if (isfinite(pl->cap[k])) {
            printf("%s campaign %zu (%s) at most %g", first ? "; caps:" : ",", k, pl->campaign[k],
                   pl->cap[k]);
            first = 0;
        }
    printf("\n\n%-6s", "plan");
    for (size_t i = 0; i < pl->n_vars; i++)
        printf("  %-*s", width_of(&pl->vars[i]), pl->vars[i].key);
    printf("  %14s  %-30s  %12s  %s\n", "objective", "vs base plan [95% CI]", "spend (max)",
           "feasible");
    print_row(pl, "base", &res->base, NULL);
    for (size_t k = 0; k < res->n_final; k++) {
        char label[24];
        snprintf(label, sizeof label, "%zu", k + 1);
        bz_compare d = bz_stats_paired(res->final[k].per_rep, res->base.per_rep, res->base.R);
        print_row(pl, label, &res->final[k], &d);
    }
    if (res->chosen < 0) {
        printf("\nNo plan met the budget and the constraints on the fresh replicates: nothing "
               "to recommend.\n");
    } else {
        printf("\nRecommended: plan 1");
        if (res->n_final > 1 && isfinite(res->vs_runner_up.mean))
            printf(", ahead of plan 2 by %+.6g [%.6g, %.6g]", res->vs_runner_up.mean,
                   res->vs_runner_up.ci_low, res->vs_runner_up.ci_high);
        const bz_opt_eval *c = &res->final[res->chosen];
        double mean_spend = 0;
        for (uint32_t k = 0; k < c->R; k++)
            mean_spend += c->spend[k] / c->R;
        if (pl->n_campaigns) {
            printf("\nBudget split of plan 1 (spend = cost + discounts given; mean [largest] over "
                   "the fresh replicates):\n");
            for (size_t k = 0; k < pl->n_campaigns; k++)
                printf("  %2zu %-20s %14.6g [%.6g]%s\n", k, pl->campaign[k], c->camp_mean[k],
                       c->camp_max[k], isfinite(pl->cap[k]) ? "  (capped)" : "");
            printf("     %-20s %14.6g [%.6g]\n", "total", mean_spend, c->spend_max);
        }
        printf("\nwrote %s (run it: buzzsim run %s)\n", plan_out, plan_out);
    }
    printf("wrote %s\n", out);
}

int bz_cli_optimize_info(const char *path)
{
    bz_h5_optimize_summary s;
    bz_error err;
    if (bz_h5_optimize_read_summary(path, &s, &err) != BZ_OK) return bz_cli_fail(&err);
    printf("%s: %s results of plan '%s' (arm '%s')\n", path, s.kind, s.name, s.arm);
    const int calibration = strcmp(s.kind, "calibrate") == 0;
    printf("  search: %s, %.0f %s, %.0f simulations, %.1f s\n", s.method, s.evaluations,
           calibration ? "parameter sets" : "plans", s.simulations, s.seconds);
    if (calibration) {
        printf("  loss: %s; SSE %.6g\n", s.objective, s.sse);
        if (s.bootstrap > 0)
            printf("  intervals: parametric bootstrap, %.0f refits\n", s.bootstrap);
        else
            printf("  intervals: Gauss-Newton\n");
        printf("  fitted model: the recommended_yaml attribute (and the .plan.yaml beside it)\n");
        printf("  datasets: /optimize/fit, /optimize/observed, /optimize/candidates "
               "(buzzsim export %s /optimize/fit)\n",
               path);
    } else {
        printf("  objective: %s; budget: %g\n", s.objective, s.budget);
        printf("  recommended: %s\n",
               s.chosen >= 0 ? "plan 1 of /optimize/final (row 1)" : "none (no feasible plan)");
        printf("  datasets: /optimize/candidates, /optimize/final, /optimize/replicates "
               "(buzzsim export %s /optimize/final)\n",
               path);
    }
    bz_h5_optimize_summary_destroy(&s);
    if (fflush(stdout) != 0) {
        bz_file_write_error(&err, errno, "standard output");
        return bz_cli_fail(&err);
    }
    return 0;
}

typedef struct optimize_opts {
    const char *path, *out;
    uint64_t threads;
    int force, quiet, dry, resume;
} optimize_opts;

static const bz_positional optimize_positionals[] = {
    {"PLAN.yaml", "the plan file (docs/optimize.md)", offsetof(optimize_opts, path),
     .missing = "missing the plan file", .complete = "*.yaml"},
    {0},
};

static const bz_option optimize_options[] = {
    BZ_OPTION_OUTPUT(optimize_opts, out,
                     "the results file (default: output.file of the plan, else "
                     "results/NAME.h5); the recommended plan goes beside it as OUT.plan.yaml"),
    BZ_OPTION_FORCE(optimize_opts, force),
    BZ_OPTION_THREADS(optimize_opts, threads),
    {"--resume", 'r', BZ_OPT_FLAG, NULL,
     "go on with the search a kill interrupted (OUT.journal): nothing is simulated twice, and "
     "the result is the uninterrupted one",
     .offset = offsetof(optimize_opts, resume), .conflicts = "--force"},
    {"--quiet", 'q', BZ_OPT_FLAG, NULL, "print no progress line per plan simulated",
     .offset = offsetof(optimize_opts, quiet)},
    {"--dry-run", 'n', BZ_OPT_FLAG, NULL,
     "check the plan (every variable at its bounds) and say what the search would do; simulate "
     "and write nothing",
     .offset = offsetof(optimize_opts, dry)},
    {0},
};

const bz_opts_command bz_optimize_command = {
    .summary = "search one arm's settings for the best campaign plan under a budget; under mpirun",
    .options = optimize_options,
    .positionals = optimize_positionals,
    .extra = "one plan file expected, got '%s' too",
    .size = sizeof(optimize_opts),
};

const bz_opts_command bz_calibrate_command = {
    .summary = "fit model parameters to an observed series (a calibration plan: observed:)",
    .options = optimize_options,
    .positionals = optimize_positionals,
    .extra = "one plan file expected, got '%s' too",
    .size = sizeof(optimize_opts),
};

/* Every plan simulated goes to the journal at once (optimize/journal.h). */
typedef struct journal_ctx {
    bz_opt_journal *j;
    const bz_opt_plan *pl;
} journal_ctx;

static int record(void *ctx, const bz_opt_eval *e, bz_error *err)
{
    const journal_ctx *jc = ctx;
    return bz_opt_journal_append(jc->j, jc->pl, e, err);
}

/* calibrate: the fitted values with their intervals, and the fit. */
static void report_fit(const bz_opt_plan *pl, const bz_opt_result *res, const char *out,
                       const char *plan_out)
{
    printf("\n%s: %zu parameter sets simulated (DIRECT-L, then Levenberg-Marquardt; %u replicates "
           "each, seed %llu), %.1f s, %llu simulations in all\n",
           pl->name, res->n_evals, (unsigned)pl->replicates, (unsigned long long)pl->seed,
           res->seconds, (unsigned long long)res->simulations);
    if (res->resumed)
        printf("(%zu of them answered from the journal of the interrupted search)\n", res->resumed);
    if (res->chosen < 0) {
        printf("\nNo fit: every candidate failed.\nwrote %s\n", out);
        return;
    }
    const bz_opt_eval *f = &res->final[0];
    printf("Least squares on the increments of '%s' of arm '%s' (%zu observations, %s): SSE "
           "%.6g\n\n",
           pl->observed_series == BZ_SER_SALES ? "sales" : "adopters", pl->arm, pl->n_obs,
           pl->observed_path, res->sse_min);
    printf("%-32s  %14s  %-32s\n", "parameter", "fitted", "95% interval");
    for (size_t i = 0; i < pl->n_vars; i++) {
        char iv[96];
        snprintf(iv, sizeof iv, "[%.6g, %.6g]%s", res->fit_low[i], res->fit_high[i],
                 res->at_edge[i] ? " (cut at a bound)" : "");
        printf("%-32s  %14.6g  %-32s\n", pl->vars[i].key, f->value[i], iv);
    }
    printf("\n(intervals: %s)\n",
           res->bootstrap_done ? "parametric bootstrap of the fitted model" : "Gauss-Newton");
    if (pl->n_vars > 1) {
        printf("\nCorrelations of the estimates (%s; near +-1: the data tell the two apart "
               "poorly, and the intervals above are not a joint region):\n",
               res->bootstrap_done ? "over the refits" : "Gauss-Newton");
        for (size_t i = 0; i < pl->n_vars; i++)
            for (size_t j = i + 1; j < pl->n_vars; j++)
                printf("  %s ~ %s: %+.2f\n", pl->vars[i].key, pl->vars[j].key, res->fit_corr[i][j]);
    }
    printf("\n%12s  %14s  %14s\n", "time (days)", "observed", "fitted");
    for (size_t o = 0; o < pl->n_obs && res->fitted; o++)
        printf("%12.6g  %14.6g  %14.6g\n", pl->obs_t[o], pl->obs_v[o], res->fitted[o]);
    printf("\nwrote %s (the fitted model: buzzsim run %s)\nwrote %s\n", plan_out, plan_out, out);
}

/* The ranks' agreement on a status (BZ_OK alone). */
static int agreed(const bz_opt_comm *comm, int status, bz_error *err)
{
    return comm ? comm->agree(comm->ctx, status, err) : status;
}

/* optimize and calibrate: load, check outputs, search, write, report.
 * Under mpirun (comm not NULL) every rank runs this; rank 0 alone checks
 * and writes the outputs and the journal and prints (the others' standard
 * streams go to /dev/null), and every failure is agreed among the ranks
 * (optimize/mpi.h) so that all stop together with the same status. */
static int run_plan(const bz_opts_command *cmd, int argc, char **argv, int calibrate,
                    const bz_opt_comm *comm)
{
    optimize_opts o;
    const int rank = comm ? comm->rank : 0;
    int rc = bz_opts_parse(cmd, argc, argv, &o);
    if (rc != BZ_OPTS_CONTINUE) return rc;
    const char *path = o.path, *out = o.out;
    int force = o.force, quiet = o.quiet, dry = o.dry, loaded = 0;
    uint64_t threads = o.threads;
    char out_buf[4200], plan_out[4300];
    bz_opt_plan pl;
    bz_opt_result res;
    bz_opt_journal *journal = NULL;
    bz_opt_eval *known = NULL;
    size_t n_known = 0;
    bz_error err;
    bz_error_clear(&err);
    memset(&res, 0, sizeof res);
    rc = 0;
    int st = bz_opt_plan_load(&pl, path, &err);
    loaded = st == BZ_OK;
    if (agreed(comm, st, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    if (pl.calibrate != calibrate) {
        bz_error_set(&err, BZ_EINVAL,
                     calibrate
                         ? "%s: not a calibration plan (no observed: key): use buzzsim optimize"
                         : "%s: a calibration plan (observed:): use buzzsim calibrate",
                     path);
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    if (!out) {
        if (pl.output[0])
            out = pl.output;
        else {
            snprintf(out_buf, sizeof out_buf, "results/%s.h5", pl.name);
            out = out_buf;
        }
    }
    plan_path_of(out, plan_out, sizeof plan_out);
    if (dry && pl.calibrate) {
        printf("%s: valid calibration plan '%s': %zu parameters of %s fitted to %zu observations "
               "of '%s' (arm '%s', %s); DIRECT-L, then Levenberg-Marquardt, a budget of %llu "
               "parameter sets of %u replicates, %llu bootstrap refits; would write %s and %s\n",
               path, pl.name, pl.n_vars, pl.base_path, pl.n_obs,
               pl.observed_series == BZ_SER_SALES ? "sales" : "adopters", pl.arm, pl.observed_path,
               (unsigned long long)pl.evaluations, (unsigned)pl.replicates,
               (unsigned long long)pl.bootstrap, out, plan_out);
        goto cleanup;
    }
    if (dry) {
        printf("%s: valid plan '%s': %zu variables of arm '%s' of %s; %s, %llu plans of %u "
               "replicates, then %llu finalists on %u fresh replicates; would write %s and %s\n",
               path, pl.name, pl.n_vars, pl.arm, pl.base_path, bz_opt_method_names[pl.method],
               (unsigned long long)pl.evaluations, (unsigned)pl.replicates,
               (unsigned long long)pl.finalists, (unsigned)pl.final_replicates, out, plan_out);
        goto cleanup;
    }
    char journal_path[4300];
    snprintf(journal_path, sizeof journal_path, "%s.journal", out);
    if (o.resume && bz_h5_optimize_detect(out)) { /* killed after writing OUT: done */
        if (rank == 0 && bz_durable_remove(journal_path, &err) != BZ_OK) {
            rc = bz_cli_fail(&err);
            goto cleanup;
        }
        if (!quiet) fprintf(stderr, "%s: '%s' is complete: nothing to resume\n", path, out);
        goto cleanup;
    }
    st = BZ_OK;
    if (rank == 0) {
        if (bz_h5_check_output(out, force, &err) != BZ_OK ||
            bz_h5_check_output(plan_out, force || o.resume, &err) != BZ_OK)
            st = err.code;
        else
            st = bz_opt_journal_open(&journal, journal_path, &pl, o.resume, force, &known, &n_known,
                                     &err);
    }
#ifdef BZ_HAVE_MPI
    if (comm) st = bz_opt_mpi_share(st, &known, &n_known, &pl, &err);
#endif
    if (st != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    if (n_known && !quiet)
        fprintf(stderr, "%s: %zu plans from %s: not simulated again\n", path, n_known,
                journal_path);
    if (threads) omp_set_num_threads((int)threads);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    journal_ctx jc = {journal, &pl};
    bz_opt_opts run = {quiet ? NULL : show_progress, &pl, &stop_flag, known, n_known,
                       rank == 0 ? record : NULL,    &jc, comm};
    if (bz_optimize(&pl, &run, &res, &err) != BZ_OK) {
        if (stop_flag || !strcmp(err.msg, "optimize: stopped by a signal"))
            bz_error_set(&err, BZ_EIO, "%s stopped by a signal: nothing written", argv[0]);
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    if (rank != 0) goto cleanup; /* rank 0 writes and reports */
    /* The plan first, the results file last: OUT's existence says the
     * search is complete, and then its journal goes. */
    if (res.plan_yaml) {
        char tmp[4400];
        snprintf(tmp, sizeof tmp, "%s.partial", plan_out);
        if (bz_durable_write(plan_out, tmp, res.plan_yaml, strlen(res.plan_yaml), &err) != BZ_OK) {
            rc = bz_cli_fail(&err);
            goto cleanup;
        }
    }
    if (bz_h5_optimize_write(out, &pl, &res, bz_cli_command_line(), force, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    int jst = bz_opt_journal_close(journal, 1, &err);
    journal = NULL;
    if (jst != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    if (calibrate)
        report_fit(&pl, &res, out, plan_out);
    else
        report(&pl, &res, out, plan_out);
    if (fflush(stdout) != 0) {
        bz_file_write_error(&err, errno, "standard output");
        rc = bz_cli_fail(&err);
    }
cleanup:
    bz_opt_journal_close(journal, 0, NULL);
    bz_opt_evals_free(known, n_known);
    bz_opt_result_destroy(&res);
    if (loaded) bz_opt_plan_destroy(&pl);
    return rc;
}

/* Without MPI, or with one rank, the plan runs in this process alone;
 * under mpirun with more ranks they share every evaluation's replicates
 * (optimize/mpi.h) and give the same bits. */
static int plan_main(const bz_opts_command *cmd, int argc, char **argv, int calibrate)
{
#ifdef BZ_HAVE_MPI
    int rank = 0, size = 1, rc;
    if (bz_sweep_mpi_init(&argc, &argv, &rank, &size) != BZ_OK) {
        fprintf(stderr, "buzzsim: cannot initialise MPI\n");
        return 1;
    }
    if (size == 1) {
        rc = run_plan(cmd, argc, argv, calibrate, NULL);
    } else {
        bz_opt_comm comm;
        bz_error err;
        bz_error_clear(&err);
        if (rank != 0) { /* rank 0 speaks for all: every failure is agreed */
            FILE *out = freopen("/dev/null", "w", stdout),
                 *errs = freopen("/dev/null", "w", stderr);
            (void)out; /* without them this rank has nothing to say anyway */
            (void)errs;
        }
        if (bz_opt_mpi_comm_init(&comm, &err) != BZ_OK)
            rc = bz_cli_fail(&err);
        else
            rc = run_plan(cmd, argc, argv, calibrate, &comm);
        bz_opt_mpi_comm_destroy(&comm);
    }
    bz_sweep_mpi_finalize();
    return rc;
#else
    return run_plan(cmd, argc, argv, calibrate, NULL);
#endif
}

int bz_cmd_optimize(int argc, char **argv)
{
    return plan_main(&bz_optimize_command, argc, argv, 0);
}

int bz_cmd_calibrate(int argc, char **argv)
{
    return plan_main(&bz_calibrate_command, argc, argv, 1);
}
