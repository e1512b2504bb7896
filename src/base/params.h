/* Parameter tables: every model, generator and campaign declares its settings
 * once, as a const array of bz_param. The same table drives YAML parsing and
 * validation (src/config), defaults, `buzzsim models`, the resolved experiment
 * text written to HDF5, and docs.
 *
 * Values are stored into a plain C struct owned by the model, at `offset`:
 *   BZ_PT_INT      int64_t
 *   BZ_PT_REAL     double               (bounds [min, max])
 *   BZ_PT_PROB     double in [0, 1]     (one-off probability)
 *   BZ_PT_RATE     double, per day      (text: "0.02", "0.5/h", "3/w", "0.03/y")
 *   BZ_PT_DURATION double, in days      (text needs a unit: "10m", "7d", "1h30m" not allowed)
 *   BZ_PT_BOOL     int (0/1)            (true/false/yes/no/on/off)
 *   BZ_PT_ENUM     int index into `choices` (NULL-terminated)
 *   BZ_PT_STRING   char[BZ_NAME_MAX]
 *   BZ_PT_CITIES   bz_cityset           ("all", {top: N}, or a list of city indices)
 */
#ifndef BZ_PARAMS_H
#define BZ_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define BZ_NAME_MAX 64
#define BZ_CITYSET_MAX 256

typedef enum bz_ptype {
    BZ_PT_INT,
    BZ_PT_REAL,
    BZ_PT_PROB,
    BZ_PT_RATE,
    BZ_PT_DURATION,
    BZ_PT_BOOL,
    BZ_PT_ENUM,
    BZ_PT_STRING,
    BZ_PT_CITIES,
    BZ_PT__COUNT
} bz_ptype;

typedef enum bz_citymode { BZ_CITIES_ALL, BZ_CITIES_TOP, BZ_CITIES_LIST } bz_citymode;

/* A set of cities: all, the N largest, or an explicit list of indices. */
typedef struct bz_cityset {
    int mode;     /* bz_citymode */
    uint32_t top; /* BZ_CITIES_TOP */
    uint32_t n;   /* BZ_CITIES_LIST: number of entries */
    uint32_t ids[BZ_CITYSET_MAX];
} bz_cityset;

typedef struct bz_param {
    const char *name;
    bz_ptype type;
    double min, max;            /* inclusive bounds for INT/REAL/RATE/DURATION */
    const char *def;            /* default as YAML text; NULL = required */
    const char *unit;           /* shown in docs ("per day", "days", "agents") */
    const char *desc;           /* one sentence: what it is and why the default */
    size_t offset;              /* where the value lives in the params struct */
    const char *const *choices; /* BZ_PT_ENUM only, NULL-terminated */
} bz_param;

/* Find a parameter by name; NULL if absent. */
const bz_param *bz_params_find(const bz_param *table, size_t n, const char *name);

/* Parse `text` as a value of parameter p and store it into `dst` (the params
 * struct). On failure fills err with "<p->name>: expected <what>, got '<text>'"
 * and returns BZ_EINVAL; dst is unchanged. BZ_PT_CITIES accepts only "all" or
 * an integer N (meaning top N) here; lists are handled by the YAML layer via
 * bz_param_set_cities(). */
int bz_param_parse(const bz_param *p, const char *text, void *dst, bz_error *err);

/* Store every default of the table into dst. Required params (def == NULL)
 * are zeroed. Cannot fail for a well-formed table (checked by unit tests). */
int bz_params_set_defaults(const bz_param *table, size_t n, void *dst, bz_error *err);

/* Format the stored value of p as YAML scalar text (flow form for cities)
 * into buf. Returns buf. */
char *bz_param_format(const bz_param *p, const void *src, char *buf, size_t size);

/* Human-readable type name for messages and docs: "probability in [0, 1]",
 * "rate per day (e.g. 0.5/h)", "duration with a unit (s, m, h, d, w)". */
const char *bz_ptype_describe(bz_ptype t);

/* Durations and rates, exposed for the config layer and the tests.
 * bz_parse_duration: "90s", "10m", "1h", "7d", "2w", "0" -> days. */
int bz_parse_duration(const char *text, double *days, bz_error *err);
/* bz_parse_rate: "0.02" (per day), "0.5/h", "3/w", "1/m", "10/s", "0.03/y" (365 d)
 * -> per day. */
int bz_parse_rate(const char *text, double *per_day, bz_error *err);

#define BZ_PARAMS_COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* Mark the cities of a cityset in out[n_cities] (1 = included). {top: N}
 * means the N largest cities (indices 0..N-1, population order). BZ_EINVAL
 * if a listed city does not exist. */
int bz_cityset_mark(const bz_cityset *cs, uint32_t n_cities, uint8_t *out, bz_error *err);

/* Number of cities marked in marks[n_cities] (filled by bz_cityset_mark):
 * {top: N} counts at most n_cities, a city listed twice counts once.
 * O(n_cities). */
uint32_t bz_cityset_count(const uint8_t *marks, uint32_t n_cities);

#endif
