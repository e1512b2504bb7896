/* buzzsim: entry point and command dispatch. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli/args.h"
#include "cli/cli.h"

/* The registry: one row per command, in the order of `buzzsim --help`. */
static const bz_command bz_commands[] = {
    {"run", bz_cmd_run, &bz_run_command},
    {"validate", bz_cmd_validate, &bz_validate_command},
    {"graph", bz_cmd_graph, &bz_graph_command},
    {"sweep", bz_cmd_sweep, &bz_sweep_command},
    {"merge", bz_cmd_merge, &bz_merge_command},
    {"info", bz_cmd_info, &bz_info_command},
    {"export", bz_cmd_export, &bz_export_command},
    {"plot", bz_cmd_plot, &bz_plot_command},
    {"models", bz_cmd_models, &bz_models_command},
    {"optimize", bz_cmd_optimize, &bz_optimize_command},
    {"calibrate", bz_cmd_calibrate, &bz_calibrate_command},
    {"schema", bz_cmd_schema, &bz_schema_command},
    {"completion", bz_cmd_completion, &bz_completion_command},
};
#define N_COMMANDS (sizeof bz_commands / sizeof bz_commands[0])

const bz_command *bz_cli_commands(size_t *n)
{
    *n = N_COMMANDS;
    return bz_commands;
}

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
    int width = 0; /* the names in one column */
    for (size_t i = 0; i < N_COMMANDS; i++)
        if ((int)strlen(bz_commands[i].name) > width) width = (int)strlen(bz_commands[i].name);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        int n = fprintf(f, "  buzzsim %-*s ", width, bz_commands[i].name);
        bz_opts_usage(f, bz_commands[i].args, (size_t)n, (size_t)n);
        fprintf(f, "\n      ");
        bz_opts_wrap(f, bz_commands[i].args->summary, 6, 6, 100);
    }
    fprintf(f, "\n`buzzsim COMMAND --help` describes every option of a command.\n"
               "exit status: 0 success, 2 usage or input error, 1 runtime failure\n");
}

static const bz_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(bz_commands[i].name, name) == 0) return &bz_commands[i];
    return NULL;
}

/* Hidden, for tests (tests/cli/test_completion.sh): `--debug-options`
 * prints a command line per option of every command that its parser
 * accepts; `--debug-parse CMD ARGS...` parses ARGS as CMD would and prints
 * what it parsed. Returns -1 for any other command line. */
static int debug_path(int argc, char **argv)
{
    if (!strcmp(argv[1], "--debug-options")) {
        for (size_t i = 0; i < N_COMMANDS; i++)
            bz_opts_samples(stdout, bz_commands[i].name, bz_commands[i].args);
        return 0;
    }
    if (strcmp(argv[1], "--debug-parse") != 0) return -1;
    const bz_command *c = argc > 2 ? find_command(argv[2]) : NULL;
    if (!c) {
        fprintf(stderr, "buzzsim: --debug-parse needs a command\n");
        return 2;
    }
    return bz_opts_debug_parse(c->name, c->args, argc - 2, argv + 2);
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
    int rc = debug_path(argc, argv);
    if (rc >= 0) return rc;
    const bz_command *c = find_command(argv[1]);
    if (c) {
        if (bz_opts_has_threads(c->args)) bz_arg_cap_threads(argc - 1, argv + 1);
        return c->run(argc - 1, argv + 1);
    }
    fprintf(stderr, "buzzsim: unknown command '%s' (try 'buzzsim --help')\n", argv[1]);
    return 2;
}
