/* Small helpers shared by the subcommands' argument parsing. */
#ifndef BZ_CLI_ARGS_H
#define BZ_CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>

/* If argv[*i] is `--name VALUE` or `--name=VALUE` (or the short form `-x
 * VALUE` when short_name is given), store VALUE in *value, advance *i past
 * it and return 1. Returns -1 if the option is present but its value is
 * missing, 0 if argv[*i] is another argument. */
int bz_arg_value(int argc, char **argv, int *i, const char *name, const char *short_name,
                 const char **value);

/* Parse a whole decimal number in [min, max]; 0 on success, -1 otherwise. */
int bz_arg_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out);

#endif
