/* MPI sweep driver (built only with -DBUZZSIM_MPI=ON, which defines
 * BZ_HAVE_MPI and compiles src/sweep/mpi.c).
 *
 * Dynamic hand-out: rank 0 keeps the list of points still to run (in the
 * shard, not done in `data`) and gives one point index at a time to each
 * other rank; a rank that returns a result gets the next point, so uneven
 * points balance themselves. Workers run bz_sweep_run_point (a pure
 * function of the sweep and the point) and send the outcomes (and series)
 * back; rank 0 stores them in `data` and checkpoints each to `out` exactly
 * as the serial bz_sweep_run does. The results are therefore bit-identical
 * to a serial run for any rank count; only the order in which points reach
 * the file differs. Rank 0 does not compute (with one rank the call is
 * bz_sweep_run), and it waits for results by polling every millisecond
 * rather than in a blocking receive, because Open MPI busy-waits in blocking
 * calls and rank 0 usually shares a node's cores with workers.
 *
 * The ranks must be homogeneous (same byte order and double format):
 * results travel as raw bytes.
 *
 * How the CLI uses it (every rank runs `buzzsim sweep SWEEP.yaml ...`):
 *
 *     int rank = 0, size = 1;
 *     bz_sweep_mpi_init(&argc, &argv, &rank, &size);   // once, early
 *     ... every rank: bz_sweep_load + bz_sweep_check_points (same sweep) ...
 *     if (rank == 0) { ... data init, resume, open the output as now ... }
 *     status = bz_sweep_run_mpi(&sw, rank == 0 ? &d : NULL, rank == 0 ? h : NULL,
 *                               &opts, &ran, &err);
 *     if (rank == 0) { ... close, rename, report as now ... }
 *     bz_sweep_mpi_finalize();
 *
 * Only rank 0 may touch the output file, print the summary or exit with the
 * sweep's status; a rank that fails before the call must still call
 * bz_sweep_mpi_abort() so that the others do not wait forever.
 */
#ifndef BZ_SWEEP_MPI_H
#define BZ_SWEEP_MPI_H

#include <stddef.h>

#include "base/error.h"
#include "sweep/data.h"
#include "sweep/sweep.h"

/* MPI_Init_thread (MPI_THREAD_FUNNELED: only the calling thread makes MPI
 * calls; OpenMP runs inside points) unless MPI is already initialised, and
 * this process's rank and the world size. Returns BZ_OK or BZ_EINTERNAL. */
int bz_sweep_mpi_init(int *argc, char ***argv, int *rank, int *size);

/* MPI_Finalize if initialised and not yet finalised. */
void bz_sweep_mpi_finalize(void);

/* MPI_Abort(MPI_COMM_WORLD, code): ends every rank (for failures on one rank
 * before or outside bz_sweep_run_mpi). Does not return. */
void bz_sweep_mpi_abort(int code);

/* Collective over MPI_COMM_WORLD: every rank calls it with the same sweep.
 *   rank 0: data, o, ran as for bz_sweep_run (o->shard/n_shards choose
 *           the points; o->stop stops handing out points, the points in
 *           flight are still received and stored; o->checkpoint is called
 *           for each stored point with the seconds the worker spent on it)
 *   others: data is ignored (pass NULL); they run what rank 0
 *           sends until told to stop; *ran counts the points they ran.
 * A failing point stops the hand-out; points already finished by other
 * workers are still stored, and rank 0 returns the first error, prefixed
 * with the worker's rank. Workers return BZ_OK unless they could not
 * allocate their buffers. Cost: two messages per point, of
 * replicates x outcomes (+ arms x times with series) doubles. */
int bz_sweep_run_mpi(const bz_sweep *sw, bz_sweep_data *data, const bz_sweep_run_opts *o,
                     size_t *ran, bz_error *err);

#endif
