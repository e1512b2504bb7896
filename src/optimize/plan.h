/* Campaign plans to optimise (docs/optimize.md): a base experiment, the arm
 * whose settings are the decision, the decision variables (any `--set` key
 * of the experiment), a budget, an objective and constraints over outcomes,
 * and how to search.
 *
 * Plan file:
 *   name: NAME                        (optional; default: the file's stem)
 *   base: experiment.yaml             (relative to the plan file)
 *   arm: ARM                          (the arm planned; compared with `baseline`)
 *   variables:
 *     - { key: arms.ARM.0.count, min: 0, max: 200, integer: true }
 *     - { key: arms.ARM.1.reach, min: 0.01, max: 1, scale: log }
 *     - { key: arms.ARM.1.cities, values: ["{top: 3}", all] }
 *   budget: 2000000                   (most `spend` of the arm in any replicate)
 *   budget: { total: 2000000, campaigns: { kol_seeding: 300000, 0: 500000 } }
 *                                     (and caps on campaigns' own spend, by
 *                                     position in the arm or unique type)
 *   objective: profit                 (an outcome, or { weights: { profit: 1, final_adopters: 10 }
 * }) relative: true                    (objective as the paired difference with baseline)
 *   constraints: [ { outcome: unmet_demand, max: 100 } ]   (on the arm's mean)
 *   search: { method: direct+bobyqa, evaluations: 60, replicates: 8 }
 *   final: { candidates: 3, replicates: 32 }
 *   seed: 1
 *   output: { file: results/NAME.h5 }
 *
 * Calibration plans (buzzsim calibrate) give instead of budget, objective,
 * relative and constraints:
 *   observed: { file: sales.tsv, series: sales }   (or adopters)
 *   uncertainty: { bootstrap: 20 }                 (0: Gauss-Newton intervals)
 * The observed file: one "TIME VALUE" line per observation (TIME in days,
 * or a duration with a unit: 5m, 2h; VALUE the cumulative count), blank
 * lines and lines starting with # ignored, times strictly ascending.
 *
 * Errors are one line "FILE:LINE:COL: key.path: what was expected, got 'x'"
 * (BZ_EINVAL; BZ_ENOENT for a missing file), as for experiment files; the
 * base experiment is loaded here once, and every variable is checked by
 * loading the base with the variable at its bounds (or every choice).
 */
#ifndef BZ_OPT_PLAN_H
#define BZ_OPT_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "config/experiment.h"
#include "engine/results.h"

#define BZ_OPT_KEY_MAX 256   /* a variable's key path */
#define BZ_OPT_VALUE_MAX 256 /* one value as --set text */
#define BZ_OPT_CHOICES_MAX 64
#define BZ_OPT_VARS_MAX 32
#define BZ_OPT_TERMS_MAX 8 /* outcomes in a weighted objective */
#define BZ_OPT_CONS_MAX 16
#define BZ_OPT_CAMPAIGNS_MAX 32 /* campaigns of the planned arm */

typedef enum bz_opt_var_kind { BZ_VAR_REAL, BZ_VAR_INT, BZ_VAR_CHOICE } bz_opt_var_kind;

typedef struct bz_opt_var {
    char key[BZ_OPT_KEY_MAX];
    int kind; /* bz_opt_var_kind */
    double min, max;
    int log; /* searched on a log scale (min > 0) */
    size_t n_choices;
    char (*choices)[BZ_OPT_VALUE_MAX]; /* [n_choices] --set texts, owned */
    int line, col;                     /* position in the plan file, for messages */
} bz_opt_var;

typedef enum bz_opt_method {
    BZ_OPT_DIRECT_BOBYQA, /* DIRECT-L for the first 60% of evaluations, then BOBYQA */
    BZ_OPT_DIRECT,
    BZ_OPT_CRS2,
    BZ_OPT_BOBYQA,
    BZ_OPT_COBYLA,
    BZ_OPT_N_METHODS
} bz_opt_method;
extern const char *const bz_opt_method_names[]; /* NULL-terminated, bz_opt_method order */

typedef struct bz_opt_term {
    int outcome; /* bz_outcome_id */
    double weight;
} bz_opt_term;

typedef struct bz_opt_constraint {
    int outcome;     /* bz_outcome_id of the arm, mean over replicates */
    double min, max; /* -inf / +inf when not given */
} bz_opt_constraint;

typedef struct bz_opt_plan {
    char name[BZ_NAME_MAX];
    char *path;      /* plan file (or the name given to load_string), owned */
    char *base_path; /* base experiment file, relative to the cwd, owned */
    char arm[BZ_NAME_MAX];
    int relative; /* objective and constraints' paired difference with baseline */
    size_t n_vars;
    bz_opt_var vars[BZ_OPT_VARS_MAX];
    double budget; /* +inf: none */
    /* The planned arm's campaigns in the base, in order (their type
     * names), and the most each may spend (its cost plus the discounts of
     * its sales: bz_campaign_result) in any replicate, +inf when not
     * capped; n_caps of them are capped. Calibration: 0 campaigns. */
    size_t n_campaigns;
    char campaign[BZ_OPT_CAMPAIGNS_MAX][BZ_NAME_MAX];
    double cap[BZ_OPT_CAMPAIGNS_MAX];
    size_t n_caps;
    size_t n_terms;
    bz_opt_term terms[BZ_OPT_TERMS_MAX];
    size_t n_cons;
    bz_opt_constraint cons[BZ_OPT_CONS_MAX];
    int method; /* bz_opt_method */
    uint64_t evaluations;
    uint32_t replicates;
    uint64_t finalists;
    uint32_t final_replicates;
    uint64_t seed;
    char output[4096]; /* output.file, "" if not given */
    uint64_t id;       /* FNV-1a of the plan's text and of the base's resolved text */

    /* Calibration (`observed:` given; buzzsim calibrate): the objective is
     * minus the sum of squared differences between the observed series and
     * the arm's mean series at the observed times; relative, budget,
     * objective and constraints do not apply. */
    int calibrate;
    int observed_series;      /* bz_series_id: BZ_SER_ADOPTERS or BZ_SER_SALES */
    char observed_path[4096]; /* the TSV file, relative to the cwd */
    size_t n_obs;
    double *obs_t, *obs_v; /* [n_obs] days (ascending), values; owned */
    uint64_t bootstrap;    /* refits of synthetic series for the intervals (0: none) */
} bz_opt_plan;

/* Load and check a plan file (above). pl is left empty on failure. */
int bz_opt_plan_load(bz_opt_plan *pl, const char *path, bz_error *err);

/* Same from text; `name` is used in messages and as the directory a
 * relative base path is resolved against. */
int bz_opt_plan_load_string(bz_opt_plan *pl, const char *text, const char *name, bz_error *err);

void bz_opt_plan_destroy(bz_opt_plan *pl);

/* The `--set` text of variable v at value u in [0, 1] of its search range
 * (linear or log between min and max; integers rounded to the nearest;
 * choice floor(u n), the last for u = 1), and the value itself in *value
 * (the choice's index for choices). buf holds BZ_OPT_VALUE_MAX. */
void bz_opt_var_text(const bz_opt_var *v, double u, char *buf, double *value);

/* FNV-1a of the first n bytes of s (up to its NUL), continuing h (0: a
 * new hash). */
uint64_t bz_opt_hash(uint64_t h, const char *s, size_t n);

/* Load the base experiment with `sets` (n_sets "key=value"), keeping the
 * arms the plan compares (baseline first when relative, then the arm). */
int bz_opt_plan_experiment(const bz_opt_plan *pl, const char *const *sets, size_t n_sets,
                           bz_experiment *x, bz_error *err);

#endif
