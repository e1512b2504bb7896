/* buzzsim: entry point and command dispatch. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli/args.h"
#include "cli/cli.h"

static const bz_command bz_commands[] = {
    {"run", bz_cmd_run,
     "EXPERIMENT.yaml [-o out.h5] [--set key.path=value]... [--replicates R] [--seed S] "
     "[--threads T] [--arms a,b] [--force] [--quiet|--progress]",
     "run an experiment: every arm, every replicate; print the comparison, write HDF5"},
    {"validate", bz_cmd_validate, "EXPERIMENT.yaml [--set key.path=value]...",
     "check an experiment and print it resolved, with every default"},
    {"graph", bz_cmd_graph,
     "EXPERIMENT.yaml [--set key.path=value]... [--dry-run] [--stats[=basic] [-o out.h5]] "
     "[--save-edges FILE [--layer NAME]] [--threads T] [--force]",
     "build the experiment's network and describe it; memory estimate; statistics; edge lists"},
    {"sweep", bz_cmd_sweep,
     "SWEEP.yaml [-o out.h5] [--shard I/N] [--resume] [--force] [--threads T] [--quiet]",
     "run a parameter sweep (grid, lhs, sobol), checkpointed and resumable; --shard I/N\n"
     "      (1-based, or SLURM_ARRAY_TASK_* when unset) runs points p % N == I-1 into "
     "OUT.I-of-N.h5"},
    {"merge", bz_cmd_merge, "PART.h5... -o out.h5 [--force] [--partial]",
     "join the shard files of one sweep into one file"},
    {"info", bz_cmd_info, "out.h5", "describe a results file: arms, outcomes, comparison"},
    {"export", bz_cmd_export, "out.h5 DATASET [--format tsv|csv]",
     "print a dataset as a table (for gnuplot and spreadsheets)"},
    {"plot", bz_cmd_plot, "out.h5 [--format png|svg|pdf] [--outdir DIR]",
     "make the report figures of a results file with gnuplot"},
    {"models", bz_cmd_models, "[NAME] [--markdown] | --outputs [--markdown]",
     "list every model, generator and campaign with its parameters; --outputs: every series,\n"
     "      outcome and comparison row with its unit"},
    {"optimize", bz_cmd_optimize,
     "PLAN.yaml [-o out.h5] [--force] [--threads T] [--quiet] [--dry-run]",
     "search a plan's variables for the best campaign plan under a budget (docs/optimize.md)"},
    {"schema", bz_cmd_schema, "[--sweep]", "JSON Schema of experiment (--sweep: sweep) files"},
};

static char command_line[8192];

const char *bz_cli_command_line(void)
{
    return command_line;
}

int bz_cli_fail(const bz_error *err)
{
    fprintf(stderr, "buzzsim: %s\n", err->msg[0] ? err->msg : "unknown error");
    return bz_error_exit_code(err->code ? err->code : BZ_EINTERNAL);
}

int bz_cli_usage(const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* One line, like every other error; the full usage is in --help. */
    fprintf(stderr, "buzzsim %s: %s (usage: 'buzzsim %s --help')\n", cmd, msg, cmd);
    return 2;
}

/* `buzzsim CMD --help`: the command's usage line. */
static int command_help(const bz_command *c)
{
    printf("usage: buzzsim %s %s\n  %s\n", c->name, c->usage, c->summary);
    if (strstr(c->usage, "--threads"))
        printf("  --threads T: 1 to 4096 threads (default: OMP_NUM_THREADS, else one per\n"
               "      processor); more than 8 per processor (%d here) only oversubscribe the\n"
               "      cores, so they are reduced to that with a warning: results do not depend\n"
               "      on the thread count\n",
               bz_arg_max_threads());
    return 0;
}

const char *bz_cli_plots_dir(void)
{
    static char buf[4096]; /* written once, read-only afterwards: not shared mutable state */
    const char *env = getenv("BUZZSIM_PLOTS");
    if (env && *env) return env;
    char exe[2048];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        const char *cands[] = {"/../plots", "/../share/buzzsim/plots", "/../../plots"};
        for (size_t i = 0; i < 3; i++) {
            snprintf(buf, sizeof buf, "%s%s/style.gp", exe, cands[i]);
            if (access(buf, R_OK) == 0) {
                snprintf(buf, sizeof buf, "%s%s", exe, cands[i]);
                return buf;
            }
        }
    }
    return BZ_SOURCE_DIR "/plots";
}

static void print_help(FILE *f)
{
    fprintf(f, "buzzsim %s: word-of-mouth diffusion simulator\n\nusage:\n", BZ_VERSION);
    for (size_t i = 0; i < sizeof bz_commands / sizeof bz_commands[0]; i++)
        fprintf(f, "  buzzsim %-8s %s\n      %s\n", bz_commands[i].name, bz_commands[i].usage,
                bz_commands[i].summary);
    fprintf(f, "\nexit status: 0 success, 2 usage or input error, 1 runtime failure\n");
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off(); /* GSL must never abort: we check its return codes */
    size_t used = 0;
    for (int i = 0; i < argc && used + 2 < sizeof command_line; i++)
        used += (size_t)snprintf(command_line + used, sizeof command_line - used, "%s%s",
                                 i ? " " : "", argv[i]);
    if (argc < 2) {
        print_help(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        print_help(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("buzzsim %s\n", BZ_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof bz_commands / sizeof bz_commands[0]; i++)
        if (strcmp(bz_commands[i].name, argv[1]) == 0) {
            if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")))
                return command_help(&bz_commands[i]);
            if (strstr(bz_commands[i].usage, "--threads")) bz_arg_cap_threads(argc - 1, argv + 1);
            return bz_commands[i].run(argc - 1, argv + 1);
        }
    fprintf(stderr, "buzzsim: unknown command '%s' (try 'buzzsim --help')\n", argv[1]);
    return 2;
}
