/* Number parsing and the thread cap; the command lines themselves are
 * parsed by cli/options.h. */
#ifndef BZ_CLI_ARGS_H
#define BZ_CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>

/* Parse a whole decimal number in [min, max]; 0 on success, -1 otherwise. */
int bz_arg_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out);

/* The most threads a command runs: 8 per processor (omp_get_num_procs()).
 * More only oversubscribe the cores (results do not depend on the thread
 * count), and every thread reserves a stack: thousands of them exhaust a
 * memory limit (ulimit -v) and OpenMP aborts. */
int bz_arg_max_threads(void);

/* Cap the thread count of a command line at bz_arg_max_threads(): a valid
 * --threads T, -t T or --threads=T above it is rewritten in argv to the cap,
 * and OMP_NUM_THREADS above it is lowered (omp_set_num_threads), each with
 * one warning line on stderr ("buzzsim: --threads 4096 is more than 8 per
 * processor: using 16"). Values that are not integers in [1, 4096] are left
 * to the command, which refuses them. */
void bz_arg_cap_threads(int argc, char **argv);

#endif
