/* The table writer (io/table.h). */
#include "io/table.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"

void bz_table_init(bz_table *t, FILE *out, bz_export_format fmt)
{
    t->out = out;
    t->fmt = fmt;
    t->col = 0;
    t->header = 0;
    t->werr = 0;
}

void bz_table_header(bz_table *t)
{
    t->header = 1;
}

static void sep(bz_table *t)
{
    if (t->col++ > 0)
        fputc(t->fmt == BZ_EXPORT_TSV ? '\t' : ',', t->out);
    else if (t->header && t->fmt == BZ_EXPORT_TSV)
        fputs("# ", t->out);
}

void bz_table_str(bz_table *t, const char *s)
{
    sep(t);
    if (t->fmt == BZ_EXPORT_CSV) {
        if (strpbrk(s, ",\"\r\n") || (s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' '))) {
            fputc('"', t->out);
            for (const char *p = s; *p; p++) {
                if (*p == '"') fputc('"', t->out);
                fputc(*p, t->out);
            }
            fputc('"', t->out);
        } else {
            fputs(s, t->out);
        }
        return;
    }
    /* TSV has no quoting: keep one field on one line. */
    for (const char *p = s; *p; p++)
        fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, t->out);
}

void bz_table_num(bz_table *t, double v)
{
    sep(t);
    if (isnan(v)) {
        if (t->fmt == BZ_EXPORT_TSV) fputs("nan", t->out);
    } else if (isinf(v)) {
        fputs(v > 0 ? "inf" : "-inf", t->out);
    } else {
        char buf[40];
        snprintf(buf, sizeof buf, "%.15g", v);
        if (strtod(buf, NULL) != v) snprintf(buf, sizeof buf, "%.17g", v);
        fputs(buf, t->out);
    }
}

void bz_table_int(bz_table *t, int64_t v)
{
    sep(t);
    fprintf(t->out, "%" PRId64, v);
}

int bz_table_end(bz_table *t)
{
    fputc('\n', t->out);
    t->col = 0;
    t->header = 0;
    if (!t->werr && ferror(t->out)) t->werr = errno ? errno : EIO;
    return t->werr ? -1 : 0;
}

int bz_table_fail(const bz_table *t, const char *what, bz_error *err)
{
    return bz_file_write_error(err, t->werr ? t->werr : EIO, what);
}

int bz_table_finish(bz_table *t, const char *what, bz_error *err)
{
    if (fflush(t->out) != 0 && !t->werr) t->werr = errno ? errno : EIO;
    if (!t->werr && ferror(t->out)) t->werr = EIO;
    return t->werr ? bz_table_fail(t, what, err) : BZ_OK;
}
