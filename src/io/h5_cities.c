/* Per-city results in HDF5 (see io/h5_cities.h). */
#include "io/h5_cities.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/h5_util.h"

/* A row of /cities_summary/<arm>. */
#define CITY_SUMMARY_COLS (6 * BZ_N_CITY_FIELDS)
typedef struct city_row {
    char city[BZ_NAME_MAX];
    double agents;
    double v[CITY_SUMMARY_COLS];
} city_row;

static int put(hid_t loc, const char *name, int rank, const hsize_t *dims, hid_t ftype, hid_t mtype,
               const void *data)
{
    hid_t space = H5Screate_simple(rank, dims, NULL);
    if (space < 0) return -1;
    hid_t ds = H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t n = 1;
    for (int i = 0; i < rank; i++)
        n *= dims[i];
    int rc = ds < 0 || (n > 0 && H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0);
    if (ds >= 0 && H5Dclose(ds) < 0) rc = 1;
    H5Sclose(space);
    return rc ? -1 : 0;
}

/* Compound {city string, agents, cols doubles named names[]} for memory
 * (native, struct city_row layout) or the file (packed little-endian). */
static hid_t row_type(hid_t str, char (*names)[BZ_NAME_MAX], int cols, int file)
{
    const size_t size = file ? BZ_NAME_MAX + 8 * (size_t)(1 + cols) : sizeof(city_row);
    hid_t t = H5Tcreate(H5T_COMPOUND, size);
    if (t < 0) return t;
    const hid_t num = file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE;
    int bad = H5Tinsert(t, "city", 0, str) < 0 ||
              H5Tinsert(t, "agents", file ? BZ_NAME_MAX : offsetof(city_row, agents), num) < 0;
    for (int k = 0; k < cols && !bad; k++)
        bad = H5Tinsert(t, names[k],
                        file ? BZ_NAME_MAX + 8 * (size_t)(1 + k)
                             : offsetof(city_row, v) + (size_t)k * sizeof(double),
                        num) < 0;
    if (bad) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

int bz_h5_write_cities(hid_t file, const char *path, const bz_results *r, bz_error *err)
{
    int status = BZ_OK;
    const uint32_t C = r->n_cities, R = r->R;
    char obj[4 * BZ_NAME_MAX];
    char names[CITY_SUMMARY_COLS][BZ_NAME_MAX];
    hid_t str = H5I_INVALID_HID, mt = H5I_INVALID_HID, ft = H5I_INVALID_HID;
    hid_t cm = H5I_INVALID_HID, cf = H5I_INVALID_HID, g = H5I_INVALID_HID;
    city_row *rows = NULL;
    double *work = NULL;
    if (C == 0 || r->n_arms == 0) return BZ_OK;
    if (!(rows = calloc(C, sizeof *rows)) || !(work = malloc(2 * (size_t)R * sizeof *work)))
        BZ_FAIL_OOM(err, NULL, rows ? 2 * (size_t)R * sizeof *work : (size_t)C * sizeof *rows,
                    "writing the results of %u cities", C);
    static const char *const part[6] = {"", "_low", "_high", "extra_", "extra_", "extra_"};
    static const char *const tail[6] = {"", "", "", "", "_low", "_high"};
    for (int f = 0; f < BZ_N_CITY_FIELDS; f++)
        for (int q = 0; q < 6; q++) {
            if (q < 3)
                snprintf(names[6 * f + q], BZ_NAME_MAX, "%s%s", bz_city_defs[f].name, part[q]);
            else
                snprintf(names[6 * f + q], BZ_NAME_MAX, "%s%s%s", part[q], bz_city_defs[f].name,
                         tail[q]);
        }
    if ((str = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(str, BZ_NAME_MAX) < 0 ||
        H5Tset_strpad(str, H5T_STR_NULLTERM) < 0 || H5Tset_cset(str, H5T_CSET_UTF8) < 0 ||
        (mt = row_type(str, names, CITY_SUMMARY_COLS, 0)) < 0 ||
        (ft = row_type(str, names, CITY_SUMMARY_COLS, 1)) < 0 ||
        (cm = row_type(str, names, 0, 0)) < 0 || (cf = row_type(str, names, 0, 1)) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "(city types)"));
    /* /cities */
    for (uint32_t c = 0; c < C; c++) {
        snprintf(rows[c].city, BZ_NAME_MAX, "%s", r->city_names[c]);
        rows[c].agents = r->city_agents[c];
    }
    const hsize_t nc = C;
    if (put(file, "cities", 1, &nc, cf, cm, rows) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/cities"));
    /* /arms/<arm>/cities */
    hid_t dt = bz_h5_defs_type(bz_city_defs, BZ_N_CITY_FIELDS, 1);
    hid_t dm = bz_h5_defs_type(bz_city_defs, BZ_N_CITY_FIELDS, 0);
    for (size_t a = 0; a < r->n_arms && dt >= 0 && dm >= 0; a++) {
        const hsize_t RC[2] = {R, C};
        snprintf(obj, sizeof obj, "/arms/%s", r->arms[a].name);
        hid_t ag = H5Gopen2(file, obj, H5P_DEFAULT);
        int bad = ag < 0 || put(ag, "cities", 2, RC, dt, dm, r->arms[a].cities) < 0;
        if (ag >= 0) H5Gclose(ag);
        if (bad) {
            snprintf(obj, sizeof obj, "/arms/%s/cities", r->arms[a].name);
            status = bz_h5_write_fail(err, path, obj);
            break;
        }
    }
    if (dt >= 0) H5Tclose(dt);
    if (dm >= 0) H5Tclose(dm);
    if (status == BZ_OK && (dt < 0 || dm < 0)) status = bz_h5_write_fail(err, path, "(city type)");
    BZ_CHECK(status);
    /* /cities_summary/<arm> */
    hid_t gcpl = bz_h5_ordered_gcpl();
    g = H5Gcreate2(file, "cities_summary", H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (gcpl >= 0) H5Pclose(gcpl);
    if (g < 0) BZ_CHECK(bz_h5_write_fail(err, path, "/cities_summary"));
    for (size_t a = 0; a < r->n_arms; a++) {
        for (uint32_t c = 0; c < C; c++)
            for (int f = 0; f < BZ_N_CITY_FIELDS; f++) {
                bz_compare level, extra;
                bz_results_city_compare(r, a, c, f, work, &level, &extra);
                double *v = rows[c].v + 6 * f;
                v[0] = level.mean, v[1] = level.ci_low, v[2] = level.ci_high;
                v[3] = extra.mean, v[4] = extra.ci_low, v[5] = extra.ci_high;
            }
        if (put(g, r->arms[a].name, 1, &nc, ft, mt, rows) < 0) {
            snprintf(obj, sizeof obj, "/cities_summary/%s", r->arms[a].name);
            BZ_CHECK(bz_h5_write_fail(err, path, obj));
        }
    }
cleanup:
    if (g >= 0) H5Gclose(g);
    hid_t types[] = {str, mt, ft, cm, cf};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i] >= 0) H5Tclose(types[i]);
    free(rows);
    free(work);
    return status;
}

int bz_h5_read_cities(hid_t file, const char *path, bz_results *r, bz_error *err)
{
    int status = BZ_OK;
    char obj[4 * BZ_NAME_MAX];
    hid_t ds = H5I_INVALID_HID, space = H5I_INVALID_HID, str = H5I_INVALID_HID;
    hid_t cm = H5I_INVALID_HID, dm = H5I_INVALID_HID;
    city_row *rows = NULL;
    hsize_t dims[2] = {0, 0};
    if (!bz_h5_exists(file, "/cities")) return BZ_OK;
    if ((ds = H5Dopen2(file, "/cities", H5P_DEFAULT)) < 0 || (space = H5Dget_space(ds)) < 0 ||
        H5Sget_simple_extent_ndims(space) != 1 ||
        H5Sget_simple_extent_dims(space, dims, NULL) < 0 || dims[0] == 0 || dims[0] > UINT32_MAX)
        BZ_CHECK(bz_h5_fail(err, BZ_EINVAL, path, "/cities", "expected a [cities] dataset"));
    const uint32_t C = (uint32_t)dims[0];
    if ((str = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(str, BZ_NAME_MAX) < 0 ||
        H5Tset_strpad(str, H5T_STR_NULLTERM) < 0 || H5Tset_cset(str, H5T_CSET_UTF8) < 0 ||
        (cm = row_type(str, NULL, 0, 0)) < 0)
        BZ_FAIL(err, BZ_EINTERNAL, "cannot build the city type");
    if (!(rows = calloc(C, sizeof *rows)))
        BZ_FAIL_OOM(err, NULL, (size_t)C * sizeof *rows, "reading /cities of %u cities", C);
    if (H5Dread(ds, cm, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)
        BZ_CHECK(bz_h5_fail(err, BZ_EINVAL, path, "/cities", "cannot read (corrupt data?)"));
    BZ_CHECK(bz_results_alloc_cities(r, C, err));
    for (uint32_t c = 0; c < C; c++) {
        rows[c].city[BZ_NAME_MAX - 1] = '\0';
        memcpy(r->city_names[c], rows[c].city, BZ_NAME_MAX);
        r->city_agents[c] = rows[c].agents;
    }
    H5Sclose(space);
    H5Dclose(ds);
    space = ds = H5I_INVALID_HID;
    if ((dm = bz_h5_defs_type(bz_city_defs, BZ_N_CITY_FIELDS, 0)) < 0)
        BZ_FAIL(err, BZ_EINTERNAL, "cannot build the city type");
    for (size_t a = 0; a < r->n_arms; a++) {
        bz_city_result *out = r->arms[a].cities;
        for (size_t i = 0; i < (size_t)r->R * C; i++)
            for (int f = 0; f < BZ_N_CITY_FIELDS; f++)
                out[i].v[f] = NAN;
        snprintf(obj, sizeof obj, "/arms/%s/cities", r->arms[a].name);
        if (!bz_h5_exists(file, obj)) continue;
        if ((ds = H5Dopen2(file, obj, H5P_DEFAULT)) < 0 || (space = H5Dget_space(ds)) < 0 ||
            H5Sget_simple_extent_ndims(space) != 2 ||
            H5Sget_simple_extent_dims(space, dims, NULL) < 0 || dims[0] != r->R || dims[1] != C)
            BZ_CHECK(bz_h5_fail(err, BZ_EINVAL, path, obj, "expected a [%u, %u] dataset",
                                (unsigned)r->R, (unsigned)C));
        if (H5Dread(ds, dm, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
            BZ_CHECK(bz_h5_fail(err, BZ_EINVAL, path, obj, "cannot read (corrupt data?)"));
        H5Sclose(space);
        H5Dclose(ds);
        space = ds = H5I_INVALID_HID;
    }
cleanup:
    free(rows);
    if (dm >= 0) H5Tclose(dm);
    if (cm >= 0) H5Tclose(cm);
    if (str >= 0) H5Tclose(str);
    if (space >= 0) H5Sclose(space);
    if (ds >= 0) H5Dclose(ds);
    return status;
}
