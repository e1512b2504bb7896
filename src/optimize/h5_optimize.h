/* Results of `buzzsim optimize` as an HDF5 file (docs/output.md, "Optimize
 * files"):
 *   /                      buzzsim_version, buzzsim_schema, created, command_line, complete
 *   /optimize              name, plan_path, base_path, arm, method, objective, budget,
 *                          seed, final_seed, evaluations, simulations, seconds, chosen,
 *                          recommended_yaml (the plan as an experiment, "" if none)
 *   /optimize/candidates   [n] compound: evaluation, phase, one column per variable
 *                          (its key), objective, spend_max, feasible, one per constraint
 *   /optimize/final        [k + 1] the same columns for the base plan (row 0) and the
 *                          finalists, plus vs_base_mean, vs_base_ci_low, vs_base_ci_high
 *   /optimize/replicates   [k + 1][R] objective per final replicate, rows as /final
 * Calibrations (kind "calibrate") add the attributes sse and bootstrap (refits
 * done) and the tables /optimize/fit (per parameter: estimate, interval, se,
 * at_edge) and /optimize/observed (time_days, observed, fitted); their
 * objective attribute names the loss.
 * Written in memory and renamed into place (io/h5_util.h), so a crash or a
 * full disk never leaves a file that looks complete. `buzzsim export FILE
 * /optimize/candidates` prints a table.
 */
#ifndef BZ_H5_OPTIMIZE_H
#define BZ_H5_OPTIMIZE_H

#include "optimize/optimize.h"

/* Write res to path (refusing an existing file unless force). */
int bz_h5_optimize_write(const char *path, const bz_opt_plan *pl, const bz_opt_result *res,
                         const char *command_line, int force, bz_error *err);

/* What `buzzsim info` shows of an optimize file. */
typedef struct bz_h5_optimize_summary {
    char *kind, *name, *arm, *method, *objective, *recommended_yaml; /* owned */
    double budget, evaluations, simulations, seconds, chosen;
    double sse, bootstrap; /* calibrations (kind "calibrate"); NAN otherwise */
} bz_h5_optimize_summary;

/* Read the /optimize attributes (untrusted file: BZ_EINVAL naming the
 * attribute when one is missing or of another type). */
int bz_h5_optimize_read_summary(const char *path, bz_h5_optimize_summary *s, bz_error *err);
void bz_h5_optimize_summary_destroy(bz_h5_optimize_summary *s);

/* 1 if path is a readable HDF5 file with an /optimize group. */
int bz_h5_optimize_detect(const char *path);

#endif
