/* The one table writer of every `buzzsim export` (results, sweeps, cities):
 * TSV with a "# " header line and NaN as "nan" (gnuplot reads it as
 * missing), or CSV with a plain header, NaN as an empty field and fields
 * quoted when they hold a comma, a quote, a line break or surrounding
 * blanks. Numbers are written with the fewest digits (15 or 17) that read
 * back as the same double, so an exported table loses nothing.
 *
 * Writes go to a caller's FILE*; the first failed write is remembered
 * (errno) and reported by bz_table_end/bz_table_finish, so long exports stop
 * at the first full-disk error instead of streaming on. */
#ifndef BZ_TABLE_H
#define BZ_TABLE_H

#include <stdint.h>
#include <stdio.h>

#include "base/error.h"

typedef enum bz_export_format { BZ_EXPORT_TSV, BZ_EXPORT_CSV } bz_export_format;

typedef struct bz_table {
    FILE *out;
    bz_export_format fmt;
    int col;    /* fields written on the current line */
    int header; /* the current line is the header */
    int werr;   /* errno of the first failed write, 0 while none failed */
} bz_table;

void bz_table_init(bz_table *t, FILE *out, bz_export_format fmt);

/* The next line is the header (TSV: it starts with "# "). */
void bz_table_header(bz_table *t);

void bz_table_str(bz_table *t, const char *s);
void bz_table_num(bz_table *t, double v);
void bz_table_int(bz_table *t, int64_t v);

/* End the line. -1 once a write has failed (t->werr says why), else 0. */
int bz_table_end(bz_table *t);

/* Flush and check every write: BZ_OK, or BZ_EIO "no space left on device
 * writing WHAT" (base/file.h bz_file_write_error). */
int bz_table_finish(bz_table *t, const char *what, bz_error *err);

/* The failed-write error for what the table writes to. */
int bz_table_fail(const bz_table *t, const char *what, bz_error *err);

#endif
