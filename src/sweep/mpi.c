/* MPI sweep driver (sweep/mpi.h): rank 0 hands out point indices one at a
 * time and writes; the other ranks run points.
 *
 * Messages (MPI_COMM_WORLD):
 *   TAG_WORK   rank 0 -> worker: one uint64, a point index or NO_MORE
 *   TAG_RESULT worker -> rank 0: a result_head, then (status OK only)
 *              R x n_out outcome doubles and, with series, A x T doubles
 * Every worker always has at most one point in flight, so rank 0 knows
 * exactly how many results are outstanding and never leaves a worker
 * blocked in a send when it returns.
 */
#include "sweep/mpi.h"
#include "base/clock.h"

#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TAG_WORK = 4101, TAG_RESULT = 4102 };
#define NO_MORE UINT64_MAX

typedef struct result_head {
    uint64_t point;
    int32_t status;
    int32_t rank;
    double seconds;
    char msg[BZ_ERROR_MAX];
} result_head;

int bz_sweep_mpi_init(int *argc, char ***argv, int *rank, int *size)
{
    int inited = 0, provided = 0;
    if (MPI_Initialized(&inited) != MPI_SUCCESS) return BZ_EINTERNAL;
    if (!inited && MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return BZ_EINTERNAL;
    if (MPI_Comm_rank(MPI_COMM_WORLD, rank) != MPI_SUCCESS ||
        MPI_Comm_size(MPI_COMM_WORLD, size) != MPI_SUCCESS)
        return BZ_EINTERNAL;
    return BZ_OK;
}

void bz_sweep_mpi_finalize(void)
{
    int inited = 0, finalized = 0;
    MPI_Initialized(&inited);
    MPI_Finalized(&finalized);
    if (inited && !finalized) MPI_Finalize();
}

void bz_sweep_mpi_abort(int code)
{
    MPI_Abort(MPI_COMM_WORLD, code);
    abort(); /* MPI_Abort does not return; keeps the compiler and readers sure */
}

static void send_work(uint64_t point, int rank)
{
    MPI_Send(&point, 1, MPI_UINT64_T, rank, TAG_WORK, MPI_COMM_WORLD);
}

/* Wait for the next result without spinning: test, then sleep 1 ms. */
static void wait_result(void *buf, int bytes, MPI_Status *st)
{
    MPI_Request req;
    int flag = 0;
    MPI_Irecv(buf, bytes, MPI_BYTE, MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &req);
    for (;;) {
        MPI_Test(&req, &flag, st);
        if (flag) return;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

/* Worker: run points until NO_MORE. */
static int run_worker(const bz_sweep *sw, int rank, size_t n_out_doubles, size_t n_series,
                      size_t *ran)
{
    size_t bytes = sizeof(result_head) + (n_out_doubles + n_series) * sizeof(double);
    unsigned char *buf = malloc(bytes);
    int status = buf ? BZ_OK : BZ_ENOMEM;
    for (;;) {
        uint64_t point;
        MPI_Recv(&point, 1, MPI_UINT64_T, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (point == NO_MORE) break;
        result_head head;
        memset(&head, 0, sizeof head);
        head.point = point;
        head.rank = rank;
        bz_error err;
        bz_error_clear(&err);
        if (!buf) {
            /* Still answer, so rank 0 is not left waiting. */
            head.status = BZ_ENOMEM;
            bz_error_oom(&err, NULL, bytes, "a result");
            snprintf(head.msg, sizeof head.msg, "%s", err.msg);
            MPI_Send(&head, (int)sizeof head, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
            continue;
        }
        double *outc = (double *)(buf + sizeof head);
        double t0 = bz_clock_seconds();
        head.status = bz_sweep_run_point(sw, (size_t)point, outc,
                                         n_series ? outc + n_out_doubles : NULL, &err);
        head.seconds = bz_clock_seconds() - t0;
        int send_bytes = (int)sizeof head;
        if (head.status == BZ_OK) {
            send_bytes = (int)bytes;
            (*ran)++;
        } else {
            snprintf(head.msg, sizeof head.msg, "%s", err.msg);
        }
        memcpy(buf, &head, sizeof head);
        MPI_Send(buf, send_bytes, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    }
    free(buf);
    return status;
}

int bz_sweep_run_mpi(const bz_sweep *sw, bz_sweep_data *data, const bz_sweep_run_opts *o,
                     size_t *ran, bz_error *err)
{
    int rank = 0, size = 1, status = BZ_OK;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    *ran = 0;
    if (size == 1) return bz_sweep_run(sw, data, o, ran, err);

    const size_t P = bz_sweep_points(sw), n_out = sw->n_out, A = sw->n_arms, T = sw->T;
    const uint32_t R = sw->replicates;
    const size_t n_oc = (size_t)R * n_out, n_series = sw->keep_series ? A * T : 0;
    if (rank != 0) {
        int st = run_worker(sw, rank, n_oc, n_series, ran);
        if (st != BZ_OK) {
            bz_error_oom(err, NULL,
                         sizeof(result_head) + (n_oc * sizeof(double) + n_series * sizeof(double)),
                         "the result buffer");
            bz_error_prefix(err, "MPI rank %d: ", rank);
        }
        return st;
    }

    uint32_t shard = o ? o->shard : 0, n_shards = o ? o->n_shards : 1;
    size_t bytes = sizeof(result_head) + (n_oc + n_series) * sizeof(double);
    unsigned char *buf = malloc(bytes);
    size_t *todo = malloc((P ? P : 1) * sizeof *todo);
    size_t n_todo = 0, next = 0;
    int busy = 0; /* workers with a point in flight */
    if (!buf || !todo || bytes > (size_t)INT32_MAX) {
        status = bz_error_set(err, buf && todo ? BZ_ETOOBIG : BZ_ENOMEM,
                              "MPI sweep: cannot hold a result of %zu bytes", bytes);
    } else if (data->P != P || data->R != R || data->n_out != n_out) {
        status = bz_error_set(err, BZ_EINTERNAL, "sweep data does not match the sweep");
    } else {
        for (size_t p = 0; p < P; p++)
            if (bz_sweep_in_shard(p, shard, n_shards) && !data->done[p]) todo[n_todo++] = p;
    }
    /* First round: one point per worker (or stop, when there is nothing). */
    for (int w = 1; w < size; w++) {
        if (status == BZ_OK && next < n_todo && !(o && o->stop && *o->stop)) {
            send_work(todo[next++], w);
            busy++;
        } else {
            send_work(NO_MORE, w);
        }
    }
    while (busy > 0) {
        MPI_Status st;
        wait_result(buf, (int)bytes, &st);
        busy--;
        result_head head;
        memcpy(&head, buf, sizeof head);
        if (head.status != BZ_OK) {
            if (status == BZ_OK) {
                status =
                    bz_error_set(err, head.status, "MPI rank %d: %s", (int)head.rank, head.msg);
            }
        } else if (head.point >= P) {
            if (status == BZ_OK)
                status = bz_error_set(err, BZ_EINTERNAL, "MPI rank %d sent point %llu of %zu",
                                      st.MPI_SOURCE, (unsigned long long)head.point, P);
        } else {
            /* Stored even after an error: finished work is never dropped. */
            size_t p = (size_t)head.point;
            const double *outc = (const double *)(buf + sizeof head);
            memcpy(data->outcomes + p * n_oc, outc, n_oc * sizeof *outc);
            if (n_series && data->series)
                memcpy(data->series + p * A * T, outc + n_oc, n_series * sizeof *outc);
            data->done[p] = 1;
            if (o && o->writing) *o->writing = 1;
            int wst = o && o->checkpoint ? o->checkpoint(o->ctx, data, p, head.seconds,
                                                         status == BZ_OK ? err : NULL)
                                         : BZ_OK;
            if (o && o->writing) *o->writing = 0;
            if (wst != BZ_OK && status == BZ_OK) status = wst;
            if (wst == BZ_OK) (*ran)++;
        }
        if (status == BZ_OK && next < n_todo && !(o && o->stop && *o->stop)) {
            send_work(todo[next++], st.MPI_SOURCE);
            busy++;
        } else {
            send_work(NO_MORE, st.MPI_SOURCE);
        }
    }
    free(buf);
    free(todo);
    return status;
}
