/* Sweep points: the `--set` overrides of a point, loading a point as an
 * experiment, and relocating config errors to the axis at fault. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep/sweep.h"
#include "base/text.h"

static int load_base(const bz_sweep *sw, const char *const *sets, size_t n_sets, bz_experiment *x,
                     bz_error *err)
{
    if (sw->base_path) return bz_experiment_load(x, sw->base_path, sets, n_sets, err);
    return bz_experiment_load_string(x, sw->base_text, sw->path, sets, n_sets, err);
}

/* ------------------------------------------------------------------ points */

int bz_sweep_point_sets(const bz_sweep *sw, size_t point, char (*sets)[BZ_SWEEP_SET_MAX],
                        bz_error *err)
{
    if (point >= bz_sweep_points(sw))
        return bz_error_set(err, BZ_EINVAL, "sweep '%s': point %zu out of range (%zu points)",
                            sw->name, point, bz_sweep_points(sw));
    for (size_t a = 0; a < sw->n_axes; a++) {
        int n = snprintf(sets[a], BZ_SWEEP_SET_MAX, "%s=%s", sw->axes[a].key,
                         sw->design.value[point * sw->n_axes + a]);
        if (n < 0 || n >= BZ_SWEEP_SET_MAX)
            return bz_error_set(err, BZ_EINVAL, "sweep '%s': axis %s: value too long", sw->name,
                                sw->axes[a].key);
    }
    snprintf(sets[sw->n_axes], BZ_SWEEP_SET_MAX, "seed=%llu", (unsigned long long)sw->seed);
    snprintf(sets[sw->n_axes + 1], BZ_SWEEP_SET_MAX, "replicates=%u", (unsigned)sw->replicates);
    return BZ_OK;
}

/* The key path a config message is about: after "--set " or "FILE:L:C: ". */
static const char *message_path(const char *msg, size_t *len)
{
    const char *p = NULL;
    if (strncmp(msg, "--set ", 6) == 0) {
        p = msg + 6;
    } else {
        /* FILE:LINE:COL: -- find ":digits:digits: " */
        for (const char *q = strchr(msg, ':'); q && !p; q = strchr(q + 1, ':')) {
            const char *r = q + 1;
            if (*r < '0' || *r > '9') continue;
            while (*r >= '0' && *r <= '9')
                r++;
            if (*r != ':') continue;
            r++;
            if (*r < '0' || *r > '9') continue;
            while (*r >= '0' && *r <= '9')
                r++;
            if (r[0] == ':' && r[1] == ' ') p = r + 2;
        }
    }
    if (!p) return NULL;
    const char *end = strstr(p, ": ");
    if (!end) return NULL;
    *len = (size_t)(end - p);
    return p;
}

/* Relocate a config error about point `point` to the axis at fault. */
static int point_error(const bz_sweep *sw, size_t point, char (*sets)[BZ_SWEEP_SET_MAX],
                       bz_error *err)
{
    bz_error e = *err;
    size_t len = 0;
    const char *path = message_path(e.msg, &len);
    size_t best = sw->n_axes, best_len = 0;
    for (size_t a = 0; path && a < sw->n_axes; a++) {
        size_t kl = strlen(sw->axes[a].key);
        size_t m = kl < len ? kl : len;
        /* the message names the axis key, a key under it, or the map above it */
        int match =
            strncmp(path, sw->axes[a].key, m) == 0 && (kl == len || (kl < len && path[kl] == '.') ||
                                                       (len < kl && sw->axes[a].key[len] == '.'));
        if (match && kl > best_len) best = a, best_len = kl;
    }
    if (best < sw->n_axes) {
        const char *rest = path + len + 2;
        return bz_error_set(err, e.code ? e.code : BZ_EINVAL, "%s:%d:%d: %s: %s (point %zu: %s)",
                            sw->path, sw->axis_line[best], sw->axis_col[best], sw->axes[best].key,
                            rest, point, sets[best]);
    }
    char list[512] = "";
    for (size_t a = 0, used = 0; a < sw->n_axes; a++)
        used = bz_text_add(list, sizeof list, used, ", ", "%s", sets[a]);
    return bz_error_set(err, e.code ? e.code : BZ_EINVAL, "%s: point %zu (%s): %s", sw->path, point,
                        list, e.msg);
}

int bz_sweep_load_point(const bz_sweep *sw, size_t point, bz_experiment *x, bz_error *err)
{
    int status = BZ_OK;
    size_t n = bz_sweep_n_sets(sw);
    char(*sets)[BZ_SWEEP_SET_MAX] = malloc(n * sizeof *sets);
    const char **setp = malloc(n * sizeof *setp);
    memset(x, 0, sizeof *x);
    if (!sets || !setp)
        BZ_FAIL_OOM(err, NULL, n * (sizeof *sets + sizeof *setp), "the %zu sets of point %zu", n,
                    point);
    BZ_CHECK(bz_sweep_point_sets(sw, point, sets, err));
    for (size_t i = 0; i < n; i++)
        setp[i] = sets[i];
    status = load_base(sw, setp, n, x, err);
    if (status == BZ_ENOMEM) goto cleanup;
    if (status != BZ_OK) {
        status = point_error(sw, point, sets, err);
        goto cleanup;
    }
    if (sw->arms_list && (status = bz_experiment_select_arms(x, sw->arms_list, err)) != BZ_OK) {
        bz_experiment_destroy(x);
        goto cleanup;
    }
cleanup:
    free(sets);
    free(setp);
    return status;
}

int bz_sweep_check_points(const bz_sweep *sw, bz_error *err)
{
    for (size_t p = 0; p < bz_sweep_points(sw); p++) {
        bz_experiment x;
        int status = bz_sweep_load_point(sw, p, &x, err);
        if (status != BZ_OK) return status;
        int same = x.n_arms == sw->n_arms && (!sw->keep_series || x.n_steps + 1 == sw->T);
        for (size_t a = 0; same && a < x.n_arms; a++)
            same = strcmp(x.arms[a].name, sw->arm_names[a]) == 0;
        bz_experiment_destroy(&x);
        if (!same)
            return bz_error_set(err, BZ_EINVAL,
                                "%s: point %zu has other arms%s than point 0; every point must "
                                "have the same arms%s",
                                sw->path, p, sw->keep_series ? " or time points" : "",
                                sw->keep_series ? " and (keep_series) time points" : "");
    }
    return BZ_OK;
}
