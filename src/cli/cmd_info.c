/* buzzsim info FILE: describe a results file (provenance, shape, model and
 * network, per-arm outcomes, paired comparisons against the baseline).
 * Reads no [R,T] series (bz_h5_read_meta), so it is fast on big files. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/report.h"
#include "engine/compare.h"
#include "base/file.h"
#include "base/stats.h"
#include "cli/options.h"
#include "config/yaml_tree.h"
#include "io/h5.h"
#include "optimize/h5_optimize.h"
#include "sweep/h5_sweep.h"

/* The diffusion model of the resolved experiment text the file carries
 * (diffusion.model), or "" when the text has none or does not parse. */
static void model_name(const char *yaml, char *out, size_t size)
{
    bz_ynode *root = NULL;
    bz_error err;
    out[0] = '\0';
    if (!yaml || bz_yaml_parse(yaml, strlen(yaml), "experiment_yaml", &root, &err) != BZ_OK) return;
    const bz_ynode *m = bz_ynode_lookup(root, "diffusion.model");
    if (m && m->kind == BZ_YNODE_SCALAR) snprintf(out, size, "%s", m->text);
    bz_ynode_free(root);
}

static void print_list(const char *label, int n, const char (*names)[BZ_NAME_MAX])
{
    printf("%-11s", label);
    for (int i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", names[i]);
    printf("%s\n", n ? "" : "(none)");
}

static void print_layers(const bz_results *r)
{
    char a[64], b[64];
    for (size_t i = 0; i < r->n_layers; i++) {
        const bz_layer_info *l = &r->layers[i];
        double mean =
            l->agents ? (double)l->edges * (l->directed ? 1.0 : 2.0) / (double)l->agents : 0.0;
        printf("%-11s%s: %s, %s, %s agents, %s edges, mean %s %.2f\n", i ? "" : "network", l->name,
               l->generator, l->directed ? "directed" : "undirected",
               bz_report_number((double)l->agents, a, sizeof a),
               bz_report_number((double)l->edges, b, sizeof b),
               l->directed ? "out-degree" : "degree", mean);
    }
    if (r->n_layers == 0) printf("%-11s(none: well mixed)\n", "network");
}

static void print_header(const char *path, const bz_results *r, const bz_h5_provenance *prov)
{
    char model[BZ_NAME_MAX];
    printf("%-11s%s\n", "file", path);
    printf("%-11s%s by buzzsim %s\n", "written", prov->created, prov->version);
    if (r->command_line && *r->command_line) printf("%-11s%s\n", "command", r->command_line);
    printf("%-11s%llu\n", "seed", (unsigned long long)r->seed);
    if (r->n_arms == 0) { /* a network file (buzzsim graph --stats) */
        print_layers(r);
        printf("%-11s(none: a network file; see /network for statistics)\n", "arms");
        return;
    }
    double t0 = r->time_days[0], t1 = r->time_days[r->T - 1];
    double step = r->T > 1 ? r->time_days[1] - r->time_days[0] : 0;
    printf("%-11s%u replicates x %u samples (%g to %g days, every %g h)\n", "runs", (unsigned)r->R,
           (unsigned)(r->T - 1), t0, t1, step * 24);
    model_name(r->experiment_yaml, model, sizeof model);
    if (model[0]) printf("%-11s%s\n", "model", model);
    print_list("states", r->n_states, (const char(*)[BZ_NAME_MAX])r->state_names);
    print_list("channels", r->n_channels, (const char(*)[BZ_NAME_MAX])r->channel_names);
    print_layers(r);
    printf("%-11s", "arms");
    for (size_t k = 0; k < r->n_arms; k++)
        printf("%s%s%s", k ? ", " : "", r->arms[k].name, k ? "" : " (baseline)");
    printf("\n");
}

/* Per arm and outcome: mean ± sd over replicates. */
static void print_outcomes(const bz_results *r, double *x, double *work)
{
    char m[64], s[64], cell[160];
    printf("\noutcomes per arm (mean ± sd over %u replicates)\n", (unsigned)r->R);
    printf("%-14s", "arm");
    for (int k = 0; k < BZ_N_OUTCOMES; k++)
        printf(" %20s", bz_outcome_defs[k].name);
    printf("\n");
    for (size_t a = 0; a < r->n_arms; a++) {
        printf("%-14s", r->arms[a].name);
        for (int k = 0; k < BZ_N_OUTCOMES; k++) {
            for (uint32_t i = 0; i < r->R; i++)
                x[i] = r->arms[a].outcomes[i].v[k];
            bz_summary sm = bz_stats_summary(x, r->R, work);
            if (isnan(sm.mean))
                snprintf(cell, sizeof cell, "-");
            else
                snprintf(cell, sizeof cell, "%s ± %s", bz_report_number(sm.mean, m, sizeof m),
                         bz_report_number(sm.sd, s, sizeof s));
            printf(" %*s", strstr(cell, "±") ? 21 : 20, cell); /* ± is 2 bytes */
        }
        printf("\n");
    }
}

/* Every row of the paired comparison vs arms[0] (what /comparison holds). */
static int print_comparison(const bz_results *r, bz_error *err)
{
    char m[64], lo[64], hi[64], ci[160];
    if (r->n_arms < 2) {
        printf("\nonly one arm: no comparison\n");
        return BZ_OK;
    }
    bz_comparison cmp;
    int status = bz_comparison_compute(r, &cmp, err);
    if (status != BZ_OK) return status;
    printf("\ndifference vs baseline '%s' (paired over replicates, 95%% CI)\n", r->arms[0].name);
    printf("%-14s %-24s %16s  %s\n", "arm", "outcome", "mean", "95% CI");
    for (size_t a = 1; a < r->n_arms; a++)
        for (int k = 0; k < BZ_N_CMP_ROWS; k++) {
            bz_compare c = cmp.rows[a][k];
            if (isnan(c.ci_low))
                snprintf(ci, sizeof ci, "-");
            else
                snprintf(ci, sizeof ci, "[%s, %s]", bz_report_number(c.ci_low, lo, sizeof lo),
                         bz_report_number(c.ci_high, hi, sizeof hi));
            char signed_mean[80];
            snprintf(signed_mean, sizeof signed_mean, "%s%s",
                     c.mean > 0 && k < BZ_N_OUTCOMES ? "+" : "",
                     bz_report_number(c.mean, m, sizeof m));
            printf("%-14s %-24s %16s  %s\n", k ? "" : r->arms[a].name, bz_cmp_row_name(k),
                   signed_mean, ci);
        }
    bz_comparison_destroy(&cmp);
    return BZ_OK;
}

typedef struct info_opts {
    const char *path;
} info_opts;

static const bz_positional info_positionals[] = {
    {"out.h5", "a results, network (graph --stats) or sweep file", offsetof(info_opts, path),
     .missing = "missing the results file", .complete = "*.h5"},
    {0},
};

const bz_opts_command bz_info_command = {
    .summary = "describe a results file: arms, outcomes, comparison",
    .description = "Describe a results file: provenance, model and network, per-arm outcomes\n"
                   "(mean ± sd) and paired differences against the first (baseline) arm.\n",
    .positionals = info_positionals,
    .size = sizeof(info_opts),
};

int bz_cmd_info(int argc, char **argv)
{
    info_opts o;
    int rc = bz_opts_parse(&bz_info_command, argc, argv, &o);
    if (rc != BZ_OPTS_CONTINUE) return rc;
    const char *path = o.path;
    bz_h5_skip_exit_cleanup(); /* untrusted file: see io/h5.h */
    bz_results r;
    bz_h5_provenance prov;
    bz_error err;
    bz_error_clear(&err);
    /* A directory, FIFO or device is refused before anything opens it
     * (opening a FIFO blocks). */
    if (bz_file_check_input(path, &err) != BZ_OK) return bz_cli_fail(&err);
    if (bz_h5_sweep_detect(path)) return bz_cli_sweep_info(path);
    if (bz_h5_optimize_detect(path)) return bz_cli_optimize_info(path);
    int status = bz_h5_read_meta(&r, &prov, path, &err);
    if (status != BZ_OK) return bz_cli_fail(&err);
    if (r.n_arms == 0) {
        print_header(path, &r, &prov);
        bz_results_destroy(&r);
        return 0;
    }
    double *x = malloc(r.R * sizeof *x), *y = malloc(r.R * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        bz_error_set(&err, BZ_ENOMEM,
                     "out of memory for the outcomes of %u replicates (2 x %zu bytes)",
                     (unsigned)r.R, r.R * sizeof *x);
        bz_results_destroy(&r);
        return bz_cli_fail(&err);
    }
    print_header(path, &r, &prov);
    printf("\n");
    bz_report_comparison(stdout, &r);
    print_outcomes(&r, x, y);
    status = print_comparison(&r, &err);
    free(x);
    free(y);
    bz_results_destroy(&r);
    if (status != BZ_OK) return bz_cli_fail(&err);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        bz_file_write_error(&err, errno, "standard output");
        return bz_cli_fail(&err);
    }
    return 0;
}
