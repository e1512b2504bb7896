/* Subcommands of the buzzsim executable.
 *
 * Adding a command: write src/cli/cmd_<name>.c defining its arguments as a
 *     const bz_opts_command bz_<name>_command = {...};
 * (options and positionals, cli/options.h) and
 *     int bz_cmd_<name>(int argc, char **argv);
 * which starts with bz_opts_parse(&bz_<name>_command, argc, argv, &opts)
 * (argv[0] is the command name; return the process exit status: 0 success,
 * 2 usage/config/input error, 1 runtime failure). Declare both below and
 * add one row {"<name>", bz_cmd_<name>, &bz_<name>_command} to bz_commands[]
 * in main.c: the usage line, `buzzsim <name> --help`, the `buzzsim --help`
 * listing and `buzzsim completion bash` come from the table. Only src/cli/
 * prints or exits.
 */
#ifndef BZ_CLI_H
#define BZ_CLI_H

#include <stdio.h>

#include "base/error.h"
#include "cli/options.h"

typedef struct bz_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const bz_opts_command *args; /* its options, positionals and summary */
} bz_command;

/* Every command, in the order of `buzzsim --help` (main.c); *n is how many. */
const bz_command *bz_cli_commands(size_t *n);

int bz_cmd_run(int argc, char **argv);
int bz_cmd_validate(int argc, char **argv);
int bz_cmd_info(int argc, char **argv);
int bz_cmd_export(int argc, char **argv);
int bz_cmd_plot(int argc, char **argv);
int bz_cmd_models(int argc, char **argv);
int bz_cmd_graph(int argc, char **argv);
int bz_cmd_sweep(int argc, char **argv);
int bz_cmd_merge(int argc, char **argv);
int bz_cmd_schema(int argc, char **argv);
int bz_cmd_optimize(int argc, char **argv);
int bz_cmd_calibrate(int argc, char **argv);
int bz_cmd_completion(int argc, char **argv);

extern const bz_opts_command bz_run_command, bz_validate_command, bz_info_command,
    bz_export_command, bz_plot_command, bz_models_command, bz_graph_command, bz_sweep_command,
    bz_merge_command, bz_schema_command, bz_optimize_command, bz_calibrate_command,
    bz_completion_command;

/* Sweep files (cmd_sweep.c): `buzzsim info` of a sweep file (returns the
 * exit status), and the Sobol index table of a sweep's results. */
struct bz_sweep_data;
int bz_cli_sweep_info(const char *path);
/* Read a sweep file and replay the journal beside it (OUT.journal for OUT or
 * OUT.partial), so a killed sweep's finished points all count; *from_journal
 * (may be NULL) is how many records the journal had. */
int bz_cli_sweep_load(const char *path, struct bz_sweep_data *d, size_t *from_journal,
                      bz_error *err);
void bz_cli_sweep_sobol(FILE *f, const struct bz_sweep_data *d);
/* `buzzsim info` of an optimize file (cmd_optimize.c); the exit status. */
int bz_cli_optimize_info(const char *path);

/* Print "buzzsim: <msg>" to stderr (one line) and return the exit status for
 * the error's code. */
int bz_cli_fail(const bz_error *err);

/* Print the one line "buzzsim <cmd>: <msg> (usage: 'buzzsim <cmd> --help')"
 * to stderr and return 2. */
int bz_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Directory holding the plots/ scripts (*.gp): $BUZZSIM_PLOTS, else next to the executable
 * (../plots, ../share/buzzsim/plots), else the source tree. */
const char *bz_cli_plots_dir(void);

/* The full command line, for provenance (set by main). */
const char *bz_cli_command_line(void);

#endif
