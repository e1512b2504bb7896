/* Helpers shared by the HDF5 writer, reader and exporter (see h5_util.h). */
#include "io/h5_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5_hl.h>

#include "base/durable.h"
#include "base/file.h"
#include "io/h5.h"

void bz_h5_skip_exit_cleanup(void)
{
    H5dont_atexit(); /* fails harmlessly once the library is initialised */
}

void bz_h5_quiet_begin(bz_h5_quiet *q)
{
    q->saved = H5Eget_auto2(H5E_DEFAULT, &q->func, &q->data) >= 0;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void bz_h5_quiet_end(const bz_h5_quiet *q)
{
    if (q->saved) H5Eset_auto2(H5E_DEFAULT, q->func, q->data);
}

static herr_t first_error(unsigned n, const H5E_error2_t *e, void *data)
{
    char *buf = data;
    if (n == 0 && e->desc) snprintf(buf, BZ_NAME_MAX * 4, "%s", e->desc);
    return 0;
}

void bz_h5_last_error(char *buf, size_t len)
{
    char tmp[BZ_NAME_MAX * 4] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, first_error, tmp);
    snprintf(buf, len, "%s", tmp[0] ? tmp : "HDF5 error");
}

int bz_h5_fail(bz_error *err, int code, const char *file, const char *obj, const char *fmt, ...)
{
    char what[BZ_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return bz_error_set(err, code, "%s: %s: %s", file, obj, what);
}

int bz_h5_make_parents(const char *path, bz_error *err)
{
    int status = BZ_OK;
    char *dir = strdup(path);
    if (!dir) BZ_FAIL_OOM(err, NULL, strlen(path) + 1, "a copy of the path '%s'", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) goto cleanup; /* relative file in cwd, or in / */
    *slash = '\0';
    /* Walk every prefix ending at a '/', then the whole directory. */
    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            BZ_FAIL(err, BZ_EINVAL, "cannot create directory '%s': %s", dir, strerror(errno));
        *p = saved;
        if (saved == '\0') break;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        BZ_FAIL(err, BZ_EINVAL, "cannot create directory '%s': not a directory", dir);
cleanup:
    free(dir);
    return status;
}

/* File image callbacks: the core driver allocates through these, so the
 * last buffer survives H5Fclose in m->image. New memory is zeroed, so the
 * bytes after the file's end hold nothing from the process. */
static void *img_malloc(size_t size, H5FD_file_image_op_t op, void *udata)
{
    (void)op;
    bz_h5_mem *m = udata;
    void *p = calloc(1, size ? size : 1);
    if (p) {
        free(m->image); /* kept from an earlier close: superseded */
        m->image = p, m->size = size;
    }
    return p;
}

static void *img_memcpy(void *dst, const void *src, size_t size, H5FD_file_image_op_t op,
                        void *udata)
{
    (void)op;
    (void)udata;
    return memcpy(dst, src, size);
}

static void *img_realloc(void *ptr, size_t size, H5FD_file_image_op_t op, void *udata)
{
    (void)op;
    bz_h5_mem *m = udata;
    char *p = realloc(ptr, size ? size : 1);
    if (!p) return NULL;
    if (!ptr) {
        free(m->image); /* kept from an earlier close: superseded */
        memset(p, 0, size);
        m->image = p, m->size = size;
    } else if (ptr == m->image) {
        if (size > m->size) memset(p + m->size, 0, size - m->size);
        m->image = p, m->size = size;
    }
    return p;
}

static herr_t img_free(void *ptr, H5FD_file_image_op_t op, void *udata)
{
    bz_h5_mem *m = udata;
    if (op == H5FD_FILE_IMAGE_OP_FILE_CLOSE && ptr == m->image) return 0; /* kept */
    if (ptr == m->image) m->image = NULL, m->size = 0;
    free(ptr);
    return 0;
}

static void *udata_copy(void *udata)
{
    return udata; /* not owned: m outlives every copy of the property list */
}

static herr_t udata_free(void *udata)
{
    (void)udata;
    return 0;
}

int bz_h5_mem_create(bz_h5_mem *m, const char *name)
{
    /* The core driver reads an existing file of the given name into memory
     * first, even to truncate it: a name under a non-directory never exists. */
    char label[512];
    snprintf(label, sizeof label, "/dev/null/buzzsim-image/%s", name);
    m->file = H5I_INVALID_HID;
    m->image = NULL;
    m->size = 0;
    H5FD_file_image_callbacks_t cb = {img_malloc, img_memcpy, img_realloc, img_free, udata_copy,
                                      udata_free, m};
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), fcpl = H5Pcreate(H5P_FILE_CREATE);
    /* 1 MiB growth steps: few reallocations for typical files. */
    if (fapl >= 0 && fcpl >= 0 && H5Pset_fapl_core(fapl, (size_t)1 << 20, 0) >= 0 &&
        H5Pset_file_image_callbacks(fapl, &cb) >= 0 &&
        H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) >= 0 &&
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) >= 0)
        m->file = H5Fcreate(label, H5F_ACC_TRUNC, fcpl, fapl);
    if (fapl >= 0) H5Pclose(fapl);
    if (fcpl >= 0) H5Pclose(fcpl);
    return m->file >= 0 ? 0 : -1;
}

void bz_h5_mem_discard(bz_h5_mem *m)
{
    if (m->file >= 0) H5Fclose(m->file);
    m->file = H5I_INVALID_HID;
    free(m->image);
    m->image = NULL;
    m->size = 0;
}

/* The file's end from its superblock (version 2 or 3, 8-byte addresses:
 * signature, version, sizes, flags, then base, extension and end-of-file
 * addresses); the whole buffer if it does not parse. */
static size_t image_end(const unsigned char *b, size_t size)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    uint64_t eof;
    if (size < 48 || memcmp(b, sig, 8) != 0 || (b[8] != 2 && b[8] != 3) || b[9] != 8) return size;
    memcpy(&eof, b + 28, 8); /* little-endian on every machine this builds on */
    return eof > 0 && eof <= size ? (size_t)eof : size;
}

int bz_h5_mem_commit(bz_h5_mem *m, const char *path, const char *tmp, bz_error *err)
{
    int status = BZ_OK;
    herr_t closed = H5Fclose(m->file); /* in memory: writes only the driver's buffer */
    m->file = H5I_INVALID_HID;
    if (closed < 0 || !m->image) {
        char why[256];
        bz_h5_last_error(why, sizeof why);
        BZ_FAIL(err, BZ_EIO, "cannot write '%s': %s", path, why);
    }
    BZ_CHECK(bz_durable_write(path, tmp, m->image, image_end(m->image, m->size), err));
cleanup:
    bz_h5_mem_discard(m);
    return status;
}

int bz_h5_check_output(const char *path, int force, bz_error *err)
{
    struct stat st;
    if (!path || !*path) return bz_error_set(err, BZ_EINVAL, "output file name is empty");
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return bz_error_set(err, BZ_EINVAL, "'%s' is a directory, not an output file", path);
        if (!S_ISREG(st.st_mode))
            return bz_error_set(err, BZ_EINVAL,
                                "'%s' is not a regular file: an output may only replace a "
                                "regular file, even with --force",
                                path);
        if (!force)
            return bz_error_set(err, BZ_EEXIST, "'%s' exists (use --force to overwrite)", path);
    }
    return bz_h5_make_parents(path, err);
}

/* ---- writing ------------------------------------------------------------ */

herr_t bz_h5_put_string_attr(hid_t obj, const char *name, const char *value)
{
    herr_t ret = -1;
    hid_t type = H5I_INVALID_HID, space = H5I_INVALID_HID, attr = H5I_INVALID_HID;
    if (!value) value = "";
    if ((type = H5Tcopy(H5T_C_S1)) < 0) goto cleanup;
    if (H5Tset_size(type, strlen(value) + 1) < 0) goto cleanup;
    if (H5Tset_strpad(type, H5T_STR_NULLTERM) < 0) goto cleanup;
    if (H5Tset_cset(type, H5T_CSET_UTF8) < 0) goto cleanup;
    if ((space = H5Screate(H5S_SCALAR)) < 0) goto cleanup;
    if ((attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT)) < 0) goto cleanup;
    if (H5Awrite(attr, type, value) < 0) goto cleanup;
    ret = 0;
cleanup:
    if (attr >= 0 && H5Aclose(attr) < 0) ret = -1;
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    return ret;
}

herr_t bz_h5_put_scalar_attr(hid_t obj, const char *name, hid_t ftype, hid_t mtype,
                             const void *value)
{
    herr_t ret = -1;
    hid_t space = H5I_INVALID_HID, attr = H5I_INVALID_HID;
    if ((space = H5Screate(H5S_SCALAR)) < 0) goto cleanup;
    if ((attr = H5Acreate2(obj, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT)) < 0) goto cleanup;
    if (H5Awrite(attr, mtype, value) < 0) goto cleanup;
    ret = 0;
cleanup:
    if (attr >= 0 && H5Aclose(attr) < 0) ret = -1;
    if (space >= 0) H5Sclose(space);
    return ret;
}

hid_t bz_h5_doubles_type(const char *const *names, int n, int file)
{
    hid_t type = H5Tcreate(H5T_COMPOUND, (size_t)n * sizeof(double));
    if (type < 0) return H5I_INVALID_HID;
    for (int i = 0; i < n; i++) {
        if (H5Tinsert(type, names[i], (size_t)i * sizeof(double),
                      file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE) < 0) {
            H5Tclose(type);
            return H5I_INVALID_HID;
        }
    }
    return type;
}

hid_t bz_h5_defs_type(const bz_outcome_def *defs, int n, int file)
{
    const char *names[256];
    if (n < 0 || n > 256) return H5I_INVALID_HID;
    for (int i = 0; i < n; i++)
        names[i] = defs[i].name;
    return bz_h5_doubles_type(names, n, file);
}

hid_t bz_h5_ordered_gcpl(void)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (gcpl < 0) return H5I_INVALID_HID;
    if (H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
        H5Pclose(gcpl);
        return H5I_INVALID_HID;
    }
    return gcpl;
}

/* ---- reading -------------------------------------------------------------- */

int bz_h5_open_results(const char *path, hid_t *file, bz_error *err)
{
    int status = BZ_OK;
    hid_t f = H5I_INVALID_HID;
    struct stat st;
    *file = H5I_INVALID_HID;
    if (stat(path, &st) != 0)
        BZ_FAIL(err, errno == ENOENT ? BZ_ENOENT : BZ_EINVAL, "cannot open '%s': %s", path,
                strerror(errno));
    if (S_ISDIR(st.st_mode)) BZ_FAIL(err, BZ_EINVAL, "%s: is a directory, not an HDF5 file", path);
    if (access(path, R_OK) != 0)
        BZ_FAIL(err, BZ_EINVAL, "cannot open '%s': %s", path, strerror(errno));
    if (H5Fis_hdf5(path) <= 0) BZ_FAIL(err, BZ_EINVAL, "%s: not an HDF5 file (or truncated)", path);
    if ((f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        char why[256];
        bz_h5_last_error(why, sizeof why);
        BZ_FAIL(err, BZ_EINVAL, "%s: cannot open as HDF5 (corrupt or truncated?): %s", path, why);
    }
    if (H5Aexists(f, "buzzsim_schema") <= 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: /: no 'buzzsim_schema' attribute: not a buzzsim results file",
                path);
    int64_t schema = 0, complete = 0;
    BZ_CHECK(bz_h5_get_num_attr(f, path, "/", "buzzsim_schema", H5T_NATIVE_INT64, &schema, err));
    if (schema != BZ_SCHEMA_VERSION)
        BZ_FAIL(err, BZ_EINVAL,
                "%s: /: buzzsim_schema is %lld, this buzzsim reads schema %d (use a matching "
                "buzzsim version)",
                path, (long long)schema, BZ_SCHEMA_VERSION);
    BZ_CHECK(bz_h5_get_num_attr(f, path, "/", "complete", H5T_NATIVE_INT64, &complete, err));
    if (complete != 1)
        BZ_FAIL(err, BZ_EINVAL,
                "%s: /: file is incomplete (complete = %lld): the run that wrote it "
                "did not finish",
                path, (long long)complete);
    *file = f;
    f = H5I_INVALID_HID;
cleanup:
    if (f >= 0) H5Fclose(f);
    return status;
}

/* Open attribute `name` on obj and check it holds exactly one element. */
static int open_attr(hid_t obj, const char *file, const char *objpath, const char *name,
                     hid_t *attr, hid_t *type, bz_error *err)
{
    int status = BZ_OK;
    hid_t space = H5I_INVALID_HID;
    *attr = *type = H5I_INVALID_HID;
    if (H5Aexists(obj, name) <= 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: %s: attribute '%s' is missing", file, objpath, name);
    if ((*attr = H5Aopen(obj, name, H5P_DEFAULT)) < 0 || (*type = H5Aget_type(*attr)) < 0 ||
        (space = H5Aget_space(*attr)) < 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: %s: cannot open attribute '%s'", file, objpath, name);
    if (H5Sget_simple_extent_npoints(space) != 1)
        BZ_FAIL(err, BZ_EINVAL, "%s: %s: attribute '%s' must hold one value", file, objpath, name);
cleanup:
    if (space >= 0) H5Sclose(space);
    if (status != BZ_OK) {
        if (*type >= 0) H5Tclose(*type);
        if (*attr >= 0) H5Aclose(*attr);
        *attr = *type = H5I_INVALID_HID;
    }
    return status;
}

int bz_h5_get_string_attr(hid_t obj, const char *file, const char *objpath, const char *name,
                          char **out, bz_error *err)
{
    int status = BZ_OK;
    hid_t attr = H5I_INVALID_HID, type = H5I_INVALID_HID, mtype = H5I_INVALID_HID;
    char *s = NULL, *vl = NULL;
    *out = NULL;
    BZ_CHECK(open_attr(obj, file, objpath, name, &attr, &type, err));
    if (H5Tget_class(type) != H5T_STRING)
        BZ_FAIL(err, BZ_EINVAL, "%s: %s: attribute '%s' must be a string", file, objpath, name);
    htri_t var = H5Tis_variable_str(type);
    if (var < 0 || (mtype = H5Tcopy(type)) < 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: %s: attribute '%s': bad string type", file, objpath, name);
    if (var) {
        if (H5Aread(attr, mtype, &vl) < 0)
            BZ_FAIL(err, BZ_EINVAL, "%s: %s: cannot read attribute '%s'", file, objpath, name);
        s = strdup(vl ? vl : "");
        if (!s) BZ_FAIL_OOM(err, NULL, strlen(vl ? vl : "") + 1, "reading attribute '%s'", name);
    } else {
        size_t size = H5Tget_size(type);
        if (size == 0 || size > ((size_t)1 << 30))
            BZ_FAIL(err, BZ_EINVAL, "%s: %s: attribute '%s': bad string size %zu", file, objpath,
                    name, size);
        s = calloc(size + 1, 1);
        if (!s) BZ_FAIL_OOM(err, NULL, size + 1, "reading attribute '%s'", name);
        if (H5Aread(attr, mtype, s) < 0)
            BZ_FAIL(err, BZ_EINVAL, "%s: %s: cannot read attribute '%s'", file, objpath, name);
    }
    *out = s;
    s = NULL;
cleanup:
    if (vl) H5free_memory(vl);
    free(s);
    if (mtype >= 0) H5Tclose(mtype);
    if (type >= 0) H5Tclose(type);
    if (attr >= 0) H5Aclose(attr);
    return status;
}

int bz_h5_get_num_attr(hid_t obj, const char *file, const char *objpath, const char *name,
                       hid_t mtype, void *out, bz_error *err)
{
    int status = BZ_OK;
    hid_t attr = H5I_INVALID_HID, type = H5I_INVALID_HID;
    BZ_CHECK(open_attr(obj, file, objpath, name, &attr, &type, err));
    H5T_class_t cls = H5Tget_class(type);
    if (cls != H5T_INTEGER && cls != H5T_FLOAT)
        BZ_FAIL(err, BZ_EINVAL, "%s: %s: attribute '%s' must be a number", file, objpath, name);
    if (H5Aread(attr, mtype, out) < 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: %s: cannot read attribute '%s'", file, objpath, name);
cleanup:
    if (type >= 0) H5Tclose(type);
    if (attr >= 0) H5Aclose(attr);
    return status;
}

typedef struct list_ctx {
    bz_h5_names *names;
    size_t cap;
    int too_long, nomem;
} list_ctx;

static herr_t collect(hid_t group, const char *name, const H5L_info_t *info, void *data)
{
    (void)group;
    (void)info;
    list_ctx *c = data;
    if (strlen(name) >= BZ_NAME_MAX) {
        c->too_long = 1;
        return 1; /* stop */
    }
    if (c->names->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        void *v = realloc(c->names->v, cap * sizeof *c->names->v);
        if (!v) {
            c->nomem = 1;
            return 1;
        }
        c->names->v = v;
        c->cap = cap;
    }
    snprintf(c->names->v[c->names->n++], BZ_NAME_MAX, "%s", name);
    return 0;
}

int bz_h5_list(hid_t loc, const char *group, const char *file, bz_h5_names *out, bz_error *err)
{
    int status = BZ_OK;
    list_ctx c = {out, 0, 0, 0};
    out->n = 0;
    out->v = NULL;
    hid_t g = H5I_INVALID_HID;
    if (H5LTpath_valid(loc, group, 1) <= 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: %s: group is missing", file, group);
    if ((g = H5Gopen2(loc, group, H5P_DEFAULT)) < 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: %s: not a group", file, group);
    hsize_t idx = 0;
    if (H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect, &c) < 0) {
        /* No creation-order index (a file written by another tool): names. */
        out->n = 0;
        idx = 0;
        if (!c.nomem && !c.too_long &&
            H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &c) < 0)
            BZ_FAIL(err, BZ_EINVAL, "%s: %s: cannot list the group", file, group);
    }
    if (c.nomem)
        BZ_FAIL_OOM(err, NULL, (c.cap ? 2 * c.cap : 8) * sizeof *out->v, "listing %s", group);
    if (c.too_long)
        BZ_FAIL(err, BZ_EINVAL, "%s: %s: a member name is longer than %d characters", file, group,
                BZ_NAME_MAX - 1);
cleanup:
    if (g >= 0) H5Gclose(g);
    if (status != BZ_OK) bz_h5_names_destroy(out);
    return status;
}

void bz_h5_names_destroy(bz_h5_names *names)
{
    if (!names) return;
    free(names->v);
    names->v = NULL;
    names->n = 0;
}

int bz_h5_exists(hid_t file, const char *path)
{
    if (strcmp(path, "/") == 0) return 1;
    return H5LTpath_valid(file, path, 1) > 0;
}

hid_t bz_h5_make_dataset(hid_t loc, const char *name, int rank, const hsize_t *dims,
                         const hsize_t *chunk, hid_t ftype, hid_t mtype, const void *data)
{
    hid_t space = H5Screate_simple(rank, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t ds = H5I_INVALID_HID;
    hsize_t n = 1;
    for (int i = 0; i < rank; i++)
        n *= dims[i];
    if (space < 0 || dcpl < 0) goto done;
    if (n > 0 && (H5Pset_chunk(dcpl, rank, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
                  H5Pset_deflate(dcpl, BZ_H5_DEFLATE_LEVEL) < 0))
        goto done;
    ds = H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (ds >= 0 && n > 0 && H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        H5Dclose(ds);
        ds = H5I_INVALID_HID;
    }
done:
    if (space >= 0) H5Sclose(space);
    if (dcpl >= 0) H5Pclose(dcpl);
    return ds;
}

int bz_h5_has_group(const char *path, const char *group)
{
    bz_h5_quiet quiet;
    bz_h5_quiet_begin(&quiet);
    int yes = 0;
    if (bz_file_check_input(path, NULL) == BZ_OK && H5Fis_hdf5(path) > 0) {
        hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (file >= 0) {
            yes = H5Lexists(file, group, H5P_DEFAULT) > 0;
            H5Fclose(file);
        }
    }
    bz_h5_quiet_end(&quiet);
    return yes;
}

herr_t bz_h5_put_provenance(hid_t file, const char *command_line)
{
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(created, sizeof created, "unknown");
    int32_t schema = BZ_SCHEMA_VERSION;
    if (bz_h5_put_string_attr(file, "buzzsim_version", BZ_VERSION) < 0 ||
        bz_h5_put_scalar_attr(file, "buzzsim_schema", H5T_STD_I32LE, H5T_NATIVE_INT32, &schema) <
            0 ||
        bz_h5_put_string_attr(file, "created", created) < 0 ||
        bz_h5_put_string_attr(file, "command_line", command_line) < 0)
        return -1;
    return 0;
}

int bz_h5_write_fail(bz_error *err, const char *path, const char *obj)
{
    char why[256];
    bz_h5_last_error(why, sizeof why);
    return bz_error_set(err, BZ_EIO, "cannot write '%s': %s: %s", path, obj, why);
}
