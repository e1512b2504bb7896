/* In-memory sweep results: everything a sweep file holds, built from a sweep
 * before running (bz_sweep_data_init), filled point by point by the runners
 * (sweep/sweep.h), replayed from a journal (sweep/journal.h), read from and
 * written to HDF5 (sweep/h5_sweep.h), and joined across shards
 * (bz_sweep_data_merge). Knows nothing of files.
 */
#ifndef BZ_SWEEP_DATA_H
#define BZ_SWEEP_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "sweep/sweep.h"

#define BZ_SWEEP_STR 128 /* fixed strings: word axis values, sobol names */

typedef struct bz_sweep_data {
    char name[BZ_NAME_MAX];
    char id[BZ_SWEEP_ID_LEN];
    char design[16];                             /* grid, lhs, sobol */
    char *sweep_yaml, *base_yaml, *command_line; /* owned */
    char created[BZ_NAME_MAX], version[BZ_NAME_MAX];
    uint64_t samples, seed;
    uint32_t shard, n_shards; /* 0-based shard */
    int complete;
    size_t P;
    uint32_t R;
    size_t n_axes;
    char (*axis_names)[BZ_AXIS_KEY_MAX]; /* [n_axes] */
    int *axis_word;                      /* [n_axes] */
    double *num;                         /* [P][n_axes] NaN for word axes */
    char (*word)[BZ_SWEEP_STR];          /* [P][n_axes] "" for numeric axes */
    size_t n_out;
    char (*out_names)[BZ_SWEEP_COL_MAX]; /* [n_out] */
    double *outcomes;                    /* [P][R][n_out] */
    uint8_t *done;                       /* [P] */
    size_t n_arms;
    char (*arm_names)[BZ_NAME_MAX];
    uint32_t T;        /* 0 without series */
    double *time_days; /* [T] or NULL */
    double *series;    /* [P][n_arms][T] or NULL */
    size_t n_dims;
    char (*dim_names)[BZ_AXIS_KEY_MAX]; /* [n_dims] */
    int have_sobol;
    double *s1, *st; /* [n_out][n_dims] when have_sobol */
} bz_sweep_data;

/* Empty data of a sweep for a shard (0-based) of n_shards: params from the
 * design, outcomes NaN, nothing done. command_line may be NULL. */
int bz_sweep_data_init(bz_sweep_data *d, const bz_sweep *sw, uint32_t shard, uint32_t n_shards,
                       const char *command_line, bz_error *err);
void bz_sweep_data_destroy(bz_sweep_data *d);

/* Points of the shard, and how many of them are done. */
void bz_sweep_data_count(const bz_sweep_data *d, size_t *in_shard, size_t *done);

/* For a complete sobol design: first-order and total indices of every
 * outcome column over the replicate means (d->have_sobol = 1). Columns
 * whose indices cannot be computed (zero variance) get NaN. No-op for
 * other designs; BZ_EINVAL if the points do not form a sobol layout. */
int bz_sweep_data_sobol(bz_sweep_data *d, bz_error *err);

/* Join the done points of `in` (named in_name in messages) into `m`, which
 * must be of the same sweep (id) and shape: BZ_EINVAL naming both files
 * otherwise. A point done in both must be bit-identical (NaN equals NaN),
 * else BZ_EINVAL "point P differs between 'A' and 'B'". owner[p] (P
 * entries, may hold NULL) names the file each done point of m came from;
 * points taken from `in` get in_name, which must outlive owner. */
int bz_sweep_data_merge(bz_sweep_data *m, const char *m_name, const bz_sweep_data *in,
                        const char *in_name, const char **owner, bz_error *err);

#endif
