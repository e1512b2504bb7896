/* Parameter sweeps: a sweep file (YAML) is a base experiment plus axes, a
 * design and how many replicates to run per point. A point IS the base
 * experiment loaded with one `--set key.path=value` per axis (plus the
 * sweep's seed and replicate count), so everything the config layer checks
 * for `buzzsim run --set` is checked for every point.
 *
 * Sweep file:
 *   name: NAME                       (optional; default: the file's stem)
 *   base: experiment.yaml            (relative to the sweep file) or an inline mapping
 *   axes:
 *     - { key: diffusion.q, values: [0.1, 0.2] }                  list (numbers or words)
 *     - { key: diffusion.p, range: [1e-4, 1e-2], scale: log, levels: 3 }
 *     - { key: population.agents, dist: uniform, params: [500, 2000], integer: true }
 *     (optional on every axis: `tie: NAME` (axes with one tie name vary
 *      together), `integer: true`)
 *   design: { kind: grid|lhs|sobol, samples: N }     (default grid; samples for lhs/sobol)
 *   replicates: R                    (default: the base's)
 *   seed: S                          (default: the base's)
 *   arms: [a, b]                     (default: every arm of the base)
 *   outcomes: [final_adopters, ...]  (bz_outcome names; default all)
 *   keep_series: false|true          (keep each point's mean adopters series per arm)
 *   output: { file: results/x.h5 }
 *
 * Reproducibility: every point runs its replicates with the sweep's seed
 * (common random numbers across points), so a point's results are a pure
 * function of (sweep file, point index), whatever the thread count, the
 * shard split or the MPI rank count. The per-point API below
 * (bz_sweep_run_point) is what every driver calls: serial runner, shards,
 * MPI ranks.
 *
 * Outcome columns: for every kept arm a and outcome o, one column named "o"
 * when one arm is kept, "a.o" otherwise; column index = arm * n_kept + k.
 */
#ifndef BZ_SWEEP_H
#define BZ_SWEEP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "config/experiment.h"
#include "base/error.h"
#include "base/params.h"
#include "engine/results.h"
#include "sweep/design.h"

#define BZ_SWEEP_COL_MAX (2 * BZ_NAME_MAX)                         /* outcome column name */
#define BZ_SWEEP_SET_MAX (BZ_AXIS_KEY_MAX + BZ_AXIS_VALUE_MAX + 2) /* "key=value" */
#define BZ_SWEEP_ID_LEN 17                                         /* 16 hex digits + NUL */

typedef struct bz_sweep {
    char name[BZ_NAME_MAX];
    char *path;      /* sweep file (or the name given to load_string), owned */
    char *text;      /* sweep file text as read, owned */
    char *base_path; /* base experiment file, relative to the cwd; NULL when inline, owned */
    char *base_text; /* inline base as YAML text with the sweep file's line and column
                      * positions (other lines blanked); NULL for a file, owned */
    char *base_yaml; /* resolved base experiment (sweep seed and replicates applied), owned */

    size_t n_axes;
    bz_axis *axes;  /* owned, with their values */
    int *axis_line; /* [n_axes] position of each axis in the sweep file, for messages */
    int *axis_col;
    char (*tie_names)[BZ_NAME_MAX];     /* [n_axes] tie name of each axis, "" if untied */
    char (*dim_names)[BZ_AXIS_KEY_MAX]; /* [design.n_dims] tie name or the axis key */
    int *axis_word;                     /* [n_axes] 1 if some value of the axis is not a number */

    int design_kind; /* bz_design_kind */
    size_t samples;  /* lhs: points; sobol: base points N; grid: 0 */
    bz_design design;

    uint64_t seed;
    uint32_t replicates;
    char *arms_list; /* comma-separated arms to keep, NULL = all, owned */
    size_t n_arms;
    char (*arm_names)[BZ_NAME_MAX]; /* [n_arms] */
    int n_kept;
    int kept[BZ_N_OUTCOMES];             /* bz_outcome indices kept, in the file's order */
    size_t n_out;                        /* n_arms * n_kept */
    char (*out_names)[BZ_SWEEP_COL_MAX]; /* [n_out] */

    int keep_series;
    uint32_t T;               /* time points of every point's series (n_steps + 1) */
    double *time_days;        /* [T] */
    char output[4096];        /* output.file, "" if not given */
    char id[BZ_SWEEP_ID_LEN]; /* hash of the resolved sweep: base, every point's sets,
                               * replicates, seed, arms, outcomes, keep_series */
} bz_sweep;

/* The keys of a sweep file, declared once (spec.c): one row per key of
 * each map. A scalar key is a bz_param (BZ_SWEEP_PARAM), read, checked and
 * described by the config layer as the experiment's keys are
 * (config/convert.h: bz_cfg_check_keys, bz_cfg_read_params); the others
 * (the base, lists, nested maps, long texts) are read by spec.c. The key
 * checks, the sweep file's JSON Schema (`buzzsim schema --sweep`,
 * bz_sweep_schema) and the key tables of docs/cluster.md (`buzzsim models
 * --config-tables`) are made from the same rows. */
typedef enum bz_sweep_shape {
    BZ_SWEEP_PARAM, /* a scalar as `param` says (type, bounds, default, choices) */
    BZ_SWEEP_TEXT,  /* a scalar text of at most `max` characters */
    BZ_SWEEP_BASE,  /* an experiment file name or an inline experiment mapping */
    BZ_SWEEP_LIST,  /* a list of `items`, `min` to `max` of them (max 0: no limit) */
    BZ_SWEEP_MAP    /* a mapping with the keys `keys` */
} bz_sweep_shape;

typedef struct bz_sweep_key {
    bz_param param; /* every key: name and desc; BZ_SWEEP_PARAM: all of it, offset into the
                     * map's values (spec.c) */
    bz_sweep_shape shape;
    double min, max;                 /* BZ_SWEEP_LIST: items; BZ_SWEEP_TEXT: max characters */
    const char *items;               /* a list's items: "number", "string", "scalar" (any
                                      * scalar), "outcome" (an outcome name), "object" */
    const struct bz_sweep_key *keys; /* a map's or a list of objects' keys, ended by a NULL
                                      * name */
    unsigned flags;                  /* BZ_SWEEP_KEY_* */
    const char *needs;               /* a key of the same map it goes with, or NULL */
} bz_sweep_key;

#define BZ_SWEEP_KEY_REQUIRED 1u /* the map must give it */
#define BZ_SWEEP_KEY_ONE_OF 2u   /* exactly one key of the map with this flag is given */
#define BZ_SWEEP_KEY_UNSET 4u    /* param.def is a placeholder: absence means what desc says */

extern const bz_sweep_key bz_sweep_keys[]; /* the top level of a sweep file */

/* The key tables of the sweep file (docs/cluster.md, `buzzsim models
 * --config-tables`): name of the i-th into buf ("top", then each map or
 * list of mappings depth first: "axes[]", "design", "output"); 0 past the
 * end. */
int bz_sweep_table_name(size_t i, char *buf, size_t size);

/* The key table `name` as Markdown (config/tables.h): *out is malloc'd,
 * the caller frees it. BZ_EINVAL for an unknown name, BZ_ENOMEM. */
int bz_sweep_key_table(const char *name, char **out, bz_error *err);

/* The sweep file's JSON Schema (draft-07; its inline base refers to
 * the experiment schema, embedded under definitions): *out is malloc'd, the
 * caller frees it. */
int bz_sweep_schema(char **out, bz_error *err);

/* Load and validate a sweep file: its keys (unknown keys are errors), the
 * axes, the design (built here), and the base experiment loaded once with
 * the sweep's seed and replicates. Errors are one line "FILE:LINE:COL:
 * key.path: what was expected, got 'x'" (BZ_EINVAL; BZ_ENOENT for a missing
 * file). Does not load every point: see bz_sweep_check_points. sw is left
 * empty on failure. */
int bz_sweep_load(bz_sweep *sw, const char *path, bz_error *err);

/* Same from text in memory; `name` is used in messages and as the directory
 * a relative base path and an inline base's files are resolved against. */
int bz_sweep_load_string(bz_sweep *sw, const char *text, const char *name, bz_error *err);

void bz_sweep_destroy(bz_sweep *sw);

static inline size_t bz_sweep_points(const bz_sweep *sw)
{
    return sw->design.n_points;
}

/* Number of --set strings of a point: one per axis, then seed and replicates. */
static inline size_t bz_sweep_n_sets(const bz_sweep *sw)
{
    return sw->n_axes + 2;
}

/* The --set strings of `point` ("key=value") into sets[bz_sweep_n_sets()].
 * Returns BZ_EINVAL if point >= P or a string would not fit. */
int bz_sweep_point_sets(const bz_sweep *sw, size_t point, char (*sets)[BZ_SWEEP_SET_MAX],
                        bz_error *err);

/* Load point `point` as an experiment (base + its sets, kept arms only).
 * Errors name the sweep file position of the axis at fault:
 * "SWEEP:LINE:COL: KEY: <config message> (point P: key=value)". */
int bz_sweep_load_point(const bz_sweep *sw, size_t point, bz_experiment *x, bz_error *err);

/* Load every point (cost O(P) config loads, no simulation) and check that
 * all have the same arms and time points. The first failing point's error
 * is returned (BZ_EINVAL). Call before any work starts. */
int bz_sweep_check_points(const bz_sweep *sw, bz_error *err);

/* Run every replicate of one point (the engine's OpenMP inside).
 *   outcomes  [replicates][n_out] doubles, filled
 *   series    [n_arms][T] mean adopters over replicates, or NULL to skip
 * A pure function of (sweep, point). Errors: config (as load_point), engine. */
int bz_sweep_run_point(const bz_sweep *sw, size_t point, double *outcomes, double *series,
                       bz_error *err);

/* Shards: shard i of n (0-based here; the CLI's --shard I/N is 1-based)
 * owns the points p with p % n == i. */
static inline int bz_sweep_in_shard(size_t point, uint32_t shard, uint32_t n_shards)
{
    return n_shards <= 1 || point % n_shards == shard;
}

/* The per-point means over replicates of column `col` (NaN replicate values
 * skipped; NaN when none) of outcomes [P][R][n_out]. */
void bz_sweep_point_means(const double *outcomes, size_t P, uint32_t R, size_t n_out, size_t col,
                          double *means);

/* FNV-1a 64-bit hash, for the sweep id. */
uint64_t bz_sweep_hash(uint64_t h, const void *data, size_t len);
#define BZ_SWEEP_HASH_INIT 14695981039346656037ull

struct bz_sweep_data;

/* Called from the calling thread after point `point` is stored in d, before
 * the next point is handed out: it makes the point durable (the CLI appends
 * it to the sweep's journal) and reports progress. The point counts as run
 * only if it returns BZ_OK; an error stops the run. */
typedef int (*bz_sweep_checkpoint_fn)(void *ctx, const struct bz_sweep_data *d, size_t point,
                                      double seconds, bz_error *err);

typedef struct bz_sweep_run_opts {
    uint32_t shard, n_shards;          /* 0-based shard of n_shards (n_shards 0 or 1: all points) */
    const volatile sig_atomic_t *stop; /* may be NULL; nonzero: return after the point in
                                        * flight (checked between points) */
    volatile sig_atomic_t *writing;    /* may be NULL; 1 while a checkpoint is being written,
                                        * so a signal handler knows when it may _exit */
    bz_sweep_checkpoint_fn checkpoint; /* may be NULL (nothing kept beyond data) */
    void *ctx;
} bz_sweep_run_opts;

/* Run the points of the shard not yet done in `data` one after another
 * (each with the engine's OpenMP inside), storing each in data and handing
 * it to o->checkpoint before the next starts. *ran counts the points run
 * and checkpointed here. Returns BZ_OK when every shard point is done or
 * when stopped (check bz_sweep_data_shard_done); errors from a point or the
 * checkpoint stop the run with the finished points kept. sweep/ knows
 * nothing of files: the checkpoint callback does. */
int bz_sweep_run(const bz_sweep *sw, struct bz_sweep_data *data, const bz_sweep_run_opts *o,
                 size_t *ran, bz_error *err);

#endif
