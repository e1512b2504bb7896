/* optimize and calibrate over MPI ranks (optimize/mpi.h). */
#include "optimize/mpi.h"

#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int mpi_fail(bz_error *err, const char *what, int rc)
{
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (MPI_Error_string(rc, msg, &len) != MPI_SUCCESS) len = 0;
    msg[len] = '\0';
    return bz_error_set(err, BZ_EINTERNAL, "MPI: %s failed: %s", what, len ? msg : "(no message)");
}

/* ctx: an int[size] of displacements (bz_opt_mpi_comm_init). */
static int allgather(void *ctx, const double *mine, const int *n, double *all, bz_error *err)
{
    int rank, size, rc, *displ = ctx;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (int q = 0, at = 0; q < size; q++) {
        displ[q] = at;
        at += n[q];
    }
    rc = MPI_Allgatherv(mine, n[rank], MPI_DOUBLE, all, n, displ, MPI_DOUBLE, MPI_COMM_WORLD);
    return rc == MPI_SUCCESS ? BZ_OK : mpi_fail(err, "MPI_Allgatherv", rc);
}

/* Every rank's status; the message of the first failing rank to all. */
static int agree(void *ctx, int status, bz_error *err)
{
    (void)ctx;
    int mine = status != BZ_OK, first = 0, rc, rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    /* The lowest failing rank: MIN over (rank if failed, else INT_MAX). */
    int key = mine ? rank : INT32_MAX;
    if ((rc = MPI_Allreduce(&key, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD)) != MPI_SUCCESS)
        return mpi_fail(err, "MPI_Allreduce", rc);
    if (first == INT32_MAX) return BZ_OK;
    bz_error e;
    bz_error_clear(&e);
    if (rank == first) e = *err, e.code = status;
    if ((rc = MPI_Bcast(&e, (int)sizeof e, MPI_BYTE, first, MPI_COMM_WORLD)) != MPI_SUCCESS)
        return mpi_fail(err, "MPI_Bcast", rc);
    *err = e;
    return e.code;
}

/* A failing collective counts as a stop on this rank (with MPI's default
 * error handler a failure ends the job before that). */
static int any(void *ctx, int flag)
{
    (void)ctx;
    int in = flag != 0, out = 0;
    if (MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD) != MPI_SUCCESS) return 1;
    return out;
}

int bz_opt_mpi_comm_init(bz_opt_comm *c, bz_error *err)
{
    memset(c, 0, sizeof *c);
    MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c->size);
    c->allgather = allgather;
    c->agree = agree;
    c->any = any;
    int st =
        (c->ctx = malloc((size_t)c->size * sizeof(int)))
            ? BZ_OK
            : bz_error_oom(err, NULL, (size_t)c->size * sizeof(int), "%d ranks' offsets", c->size);
    return agree(NULL, st, err);
}

void bz_opt_mpi_comm_destroy(bz_opt_comm *c)
{
    if (!c) return;
    free(c->ctx);
    c->ctx = NULL;
}

int bz_opt_mpi_share(int status, bz_opt_eval **known, size_t *n, const bz_opt_plan *pl,
                     bz_error *err)
{
    int rank, rc;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    bz_error e;
    bz_error_clear(&e);
    if (rank == 0 && status != BZ_OK) e = *err, e.code = status;
    if ((rc = MPI_Bcast(&e, (int)sizeof e, MPI_BYTE, 0, MPI_COMM_WORLD)) != MPI_SUCCESS)
        return mpi_fail(err, "MPI_Bcast", rc);
    if (e.code != BZ_OK) {
        *err = e;
        return e.code;
    }
    uint64_t count = rank == 0 ? *n : 0;
    if ((rc = MPI_Bcast(&count, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD)) != MPI_SUCCESS)
        return mpi_fail(err, "MPI_Bcast", rc);
    if (!count) return BZ_OK;
    int st = BZ_OK;
    if (rank != 0) {
        *n = (size_t)count;
        if (!(*known = calloc(*n, sizeof **known)))
            st = bz_error_oom(err, NULL, *n * sizeof **known, "%zu journal plans", *n);
    }
    if ((st = agree(NULL, st, err)) != BZ_OK) return st;
    /* The evaluations as bytes (their pointers are rebuilt below), then
     * each one's series (calibration: n_obs doubles). */
    if ((rc = MPI_Bcast(*known, (int)(*n * sizeof **known), MPI_BYTE, 0, MPI_COMM_WORLD)) !=
        MPI_SUCCESS)
        return mpi_fail(err, "MPI_Bcast", rc);
    for (size_t k = 0; k < *n; k++) {
        bz_opt_eval *ev = &(*known)[k];
        const int has = ev->series != NULL; /* rank 0's pointer: only whether it had one */
        if (rank != 0) {
            ev->per_rep = ev->spend = ev->series = NULL;
            if (has && !(ev->series = malloc(pl->n_obs * sizeof *ev->series)))
                st = bz_error_oom(err, NULL, pl->n_obs * sizeof *ev->series, "a journal series");
        }
        if ((st = agree(NULL, st, err)) != BZ_OK) return st;
        if (has && (rc = MPI_Bcast(ev->series, (int)pl->n_obs, MPI_DOUBLE, 0, MPI_COMM_WORLD)) !=
                       MPI_SUCCESS)
            return mpi_fail(err, "MPI_Bcast", rc);
    }
    return BZ_OK;
}
