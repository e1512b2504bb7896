/* Per-city results in HDF5 (docs/output.md). Internal to src/io.
 *
 * /cities                 [C] compound {city (string), agents}: the population's cities
 * /arms/<arm>/cities      [R, C] compound of engine/results.h bz_city_defs
 * /cities_summary/<arm>   [C] compound {city, agents, then for each field F of
 *                         bz_city_defs: F, F_low, F_high (mean over replicates,
 *                         95% CI) and extra_F, extra_F_low, extra_F_high (paired
 *                         difference with the baseline arm; NaN for the baseline)}
 * Written when r->n_cities > 0; files without /cities read as n_cities 0. */
#ifndef BZ_H5_CITIES_H
#define BZ_H5_CITIES_H

#include <hdf5.h>

#include "base/error.h"
#include "engine/results.h"

/* Write everything above into the open file (the /arms/<arm> groups exist).
 * BZ_EIO with HDF5's reason, BZ_ENOMEM. */
int bz_h5_write_cities(hid_t file, const char *path, const bz_results *r, bz_error *err);

/* Read /cities and every /arms/<arm>/cities back into r (arms named, R
 * set), when the file has them. BZ_EINVAL "FILE: OBJ: ..." on a bad shape. */
int bz_h5_read_cities(hid_t file, const char *path, bz_results *r, bz_error *err);

#endif
