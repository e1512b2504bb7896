/* buzzsim run EXPERIMENT.yaml [-o out.h5] [--set key.path=value]... [--replicates R]
 *             [--seed S] [--threads T] [--arms a,b] [--force] [--quiet|--progress]
 *
 * Order of work, so that nothing is lost or half-written: parse and validate
 * everything (exit 2 on any bad input, before any output exists), refuse an
 * existing output without --force, simulate, write NAME.partial and rename. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/args.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "cli/report.h"
#include "config/experiment.h"
#include "engine/run.h"
#include "io/h5.h"

typedef struct progress {
    double start;
    int last_pct;
} progress;

static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress *p = ctx;
    int pct = total ? (int)(100 * done / total) : 100;
    if (pct == p->last_pct) return;
    p->last_pct = pct;
    double el = bz_clock_seconds() - p->start;
    double eta = done ? el * (double)(total - done) / (double)done : 0;
    char bar[31];
    int fill = pct * 30 / 100;
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %3d%%  %llu/%llu runs  %.0fs elapsed, ETA %.0fs ", bar, pct,
            (unsigned long long)done, (unsigned long long)total, el, eta);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
}

int bz_cmd_run(int argc, char **argv)
{
    const char *path = NULL, *out = NULL, *arms = NULL, *v;
    char **sets = calloc((size_t)argc + 2, sizeof *sets);
    size_t n_sets = 0;
    int force = 0, quiet = 0, want_progress = -1, rc = 0, loaded = 0, have_results = 0;
    uint64_t threads = 0, u;
    bz_experiment x;
    bz_results res;
    bz_error err;
    bz_error_clear(&err);
    memset(&res, 0, sizeof res);
    if (!sets) return 1;

    for (int i = 1; i < argc; i++) {
        int r;
        if ((r = bz_arg_value(argc, argv, &i, "--set", NULL, &v))) {
            if (r < 0) goto missing;
            sets[n_sets++] = strdup(v);
        } else if ((r = bz_arg_value(argc, argv, &i, "--output", "-o", &v))) {
            if (r < 0) goto missing;
            if (out) {
                rc = bz_cli_usage("run", "-o given twice ('%s' and '%s'): one output file", out, v);
                goto cleanup;
            }
            out = v;
        } else if ((r = bz_arg_value(argc, argv, &i, "--replicates", NULL, &v))) {
            if (r < 0) goto missing;
            if (bz_arg_u64(v, 1, 100000, &u)) {
                rc = bz_cli_usage("run",
                                  "--replicates: expected an integer in [1, 100000], got '%s'", v);
                goto cleanup;
            }
            size_t len = strlen(v) + 16;
            sets[n_sets] = malloc(len);
            if (sets[n_sets]) snprintf(sets[n_sets], len, "replicates=%s", v);
            n_sets++;
        } else if ((r = bz_arg_value(argc, argv, &i, "--seed", NULL, &v))) {
            if (r < 0) goto missing;
            if (bz_arg_u64(v, 0, UINT64_MAX, &u)) {
                rc = bz_cli_usage("run", "--seed: expected a non-negative integer, got '%s'", v);
                goto cleanup;
            }
            size_t len = strlen(v) + 8;
            sets[n_sets] = malloc(len);
            if (sets[n_sets]) snprintf(sets[n_sets], len, "seed=%s", v);
            n_sets++;
        } else if ((r = bz_arg_value(argc, argv, &i, "--threads", "-t", &v))) {
            if (r < 0) goto missing;
            if (bz_arg_u64(v, 1, 4096, &threads)) {
                rc =
                    bz_cli_usage("run", "--threads: expected an integer in [1, 4096], got '%s'", v);
                goto cleanup;
            }
        } else if ((r = bz_arg_value(argc, argv, &i, "--arms", NULL, &v))) {
            if (r < 0) goto missing;
            arms = v;
        } else if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f")) {
            force = 1;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            quiet = 1;
        } else if (!strcmp(argv[i], "--progress")) {
            want_progress = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = bz_cli_usage("run", "unknown option '%s'", argv[i]);
            goto cleanup;
        } else if (path) {
            rc = bz_cli_usage("run", "one experiment file expected, got '%s' too", argv[i]);
            goto cleanup;
        } else {
            path = argv[i];
        }
        if (n_sets && !sets[n_sets - 1]) {
            fprintf(stderr, "buzzsim: out of memory\n");
            rc = 1;
            goto cleanup;
        }
        continue;
    missing:
        rc = bz_cli_usage("run", "%s needs a value", argv[i]);
        goto cleanup;
    }
    if (!path) {
        rc = bz_cli_usage("run", "missing EXPERIMENT.yaml");
        goto cleanup;
    }
    if (quiet && want_progress == 1) {
        rc = bz_cli_usage("run", "--quiet and --progress contradict each other");
        goto cleanup;
    }
    if (bz_experiment_load(&x, path, (const char *const *)sets, n_sets, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    loaded = 1;
    if (arms && bz_experiment_select_arms(&x, arms, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    char outbuf[4200];
    if (!out) {
        if (x.output[0]) {
            out = x.output;
        } else {
            snprintf(outbuf, sizeof outbuf, "results/%s.h5", x.name);
            out = outbuf;
        }
    }
    if (bz_h5_check_output(out, force, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    if (threads) omp_set_num_threads((int)threads);
    if (!getenv("BUZZSIM_NO_MEMORY_CHECK")) {
        bz_mem_estimate est;
        if (bz_mem_estimate_compute(&x, omp_get_max_threads(), &est, &err) != BZ_OK ||
            bz_mem_estimate_check(&est, &err) != BZ_OK) {
            rc = bz_cli_fail(&err);
            goto cleanup;
        }
    }

    progress prog = {bz_clock_seconds(), -1};
    int show = want_progress == 1 || (!quiet && want_progress != 0 && isatty(STDERR_FILENO));
    bz_run_opts opts = {show ? show_progress : NULL, &prog};
    if (show)
        fprintf(stderr, "%s: %zu arms x %u replicates, %u samples of %g h, %d threads\n", x.name,
                x.n_arms, x.replicates, x.n_steps, x.step * 24, omp_get_max_threads());
    /* Attribution multiplies the work: say so before it starts. */
    const uint64_t subs = bz_run_sub_arms(&x);
    if (subs && !quiet) {
        fprintf(stderr, "%s: attribution", x.name);
        for (size_t a = 1; a < x.n_arms; a++) {
            if (x.arms[a].attribution == BZ_ATTRIB_NONE) continue;
            uint32_t pos[BZ_ATTRIB_MAX_PLAYERS];
            size_t k = bz_experiment_players(&x, a, pos, BZ_ATTRIB_MAX_PLAYERS);
            fprintf(stderr, " %s on '%s' (%zu campaigns)",
                    bz_attribution_names[x.arms[a].attribution], x.arms[a].name, k);
        }
        fprintf(stderr, ": %llu sub-arms x %u replicates = %llu more simulations (%llu in all)\n",
                (unsigned long long)subs, x.replicates, (unsigned long long)(subs * x.replicates),
                (unsigned long long)((subs + x.n_arms) * x.replicates));
    }
    have_results = 1;
    if (bz_run_experiment(&x, &opts, &res, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    double elapsed = bz_clock_seconds() - prog.start;
    res.command_line = strdup(bz_cli_command_line());
    if (!res.command_line || bz_h5_write(out, &res, force, &err) != BZ_OK) {
        if (!res.command_line) bz_error_set(&err, BZ_ENOMEM, "out of memory");
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    if (!quiet) {
        printf("\n%s: %zu arms, %u replicates, %u agents, %g days (%.1f s)\n\n", x.name, x.n_arms,
               x.replicates, res.layers && res.n_layers ? (unsigned)res.layers[0].agents : 0u,
               x.horizon, elapsed);
        bz_report_comparison(stdout, &res);
        printf("\nwrote %s\n", out);
    }
cleanup:
    if (have_results) bz_results_destroy(&res);
    if (loaded) bz_experiment_destroy(&x);
    for (size_t i = 0; i < n_sets; i++)
        free(sets[i]);
    free(sets);
    return rc;
}
