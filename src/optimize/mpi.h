/* MPI ranks for optimize and calibrate (built only with -DBUZZSIM_MPI=ON,
 * which defines BZ_HAVE_MPI and compiles src/optimize/mpi.c).
 *
 * SPMD, unlike the sweep driver's hand-out (sweep/mpi.h): every rank runs
 * the same search, and each evaluation's replicates are split among the
 * ranks (bz_opt_comm in optimize/optimize.h), so one evaluation takes
 * about 1/size of the time and every rank holds every figure. No rank is
 * a master that only waits. Messages per evaluation: a few collectives of
 * an int each, and one allgather of R rows of figures (docs/optimize.md,
 * "Over MPI").
 *
 * How the CLI uses it (every rank runs `buzzsim optimize PLAN.yaml ...`):
 *
 *     bz_sweep_mpi_init(&argc, &argv, &rank, &size);      // as sweeps do
 *     ... every rank: bz_opt_plan_load (the same plan) ...
 *     rank 0: check the outputs, open the journal (and read it with --resume)
 *     status = bz_opt_mpi_share(status, &known, &n_known, &pl, &err);
 *     bz_opt_comm c; bz_opt_mpi_comm_init(&c, &err);
 *     opts.comm = &c;  (record and progress on rank 0 only)
 *     bz_optimize(&pl, &opts, &res, &err);                // collective
 *     rank 0: write the outputs and report
 *
 * The ranks must be homogeneous (same byte order and double format). */
#ifndef BZ_OPT_MPI_H
#define BZ_OPT_MPI_H

#include <stddef.h>

#include "base/error.h"
#include "optimize/optimize.h"

/* A bz_opt_comm over MPI_COMM_WORLD (MPI must be initialised); collective.
 * Destroy with bz_opt_mpi_comm_destroy (also after a failure). */
int bz_opt_mpi_comm_init(bz_opt_comm *c, bz_error *err);
void bz_opt_mpi_comm_destroy(bz_opt_comm *c);

/* Collective: rank 0's status of its set-up (output checks, journal) goes
 * to every rank, with its message; when it is BZ_OK, rank 0's preload
 * (*known, *n: plans read from the journal) is copied to every other rank
 * (allocated here; free with bz_opt_evals_free). Returns the agreed
 * status. */
int bz_opt_mpi_share(int status, bz_opt_eval **known, size_t *n, const bz_opt_plan *pl,
                     bz_error *err);

#endif
