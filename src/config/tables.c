/* The key tables of docs/config.md (see tables.h), walked from the
 * loader's section tables; the keys read by hand are described by the
 * schema's entries (bz_config_describe_key). */
#include "config/tables.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "config/convert.h"
#include "config/schema.h"

const char *const bz_config_table_names[] = {"top",
                                             "time",
                                             "population",
                                             "population.cities[]",
                                             "population.city_sizes",
                                             "network",
                                             "network.layers[]",
                                             "market",
                                             "market.local[]",
                                             "output",
                                             NULL};

/* ------------------------------------------------------------ rows */

/* A bound as short text: whole numbers below 1e7 in full, others in the
 * shortest form that reads back, exponent without '+' or leading zeros
 * ("1e15", "4294967294", "0.5"). */
static void number_text(double v, char *buf, size_t size)
{
    if (v == floor(v) && fabs(v) < 1e7) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    char *d = strchr(buf, 'e');
    if (!d) return;
    d++;
    if (*d == '+') memmove(d, d + 1, strlen(d));
    if (*d == '-') d++;
    while (d[0] == '0' && d[1])
        memmove(d, d + 1, strlen(d));
}

void bz_config_param_type(const bz_param *p, char *buf, size_t size)
{
    static const char *const words[BZ_PT__COUNT] = {"integer", "number",   "probability",
                                                    "rate",    "duration", "boolean",
                                                    "one of",  "string",   "city set"};
    const int bounded = p->type <= BZ_PT_DURATION;
    const int signed_type = p->type == BZ_PT_INT || p->type == BZ_PT_REAL;
    const double lo_type = signed_type ? -INFINITY : 0;
    const double hi_type = p->type == BZ_PT_PROB ? 1 : INFINITY;
    const char *per = p->type == BZ_PT_RATE ? " per day" : p->type == BZ_PT_DURATION ? "d" : "";
    double lo = lo_type, hi = hi_type;
    char a[40], b[40];
    size_t used =
        bz_text_add(buf, size, 0, "", "%s", p->type < BZ_PT__COUNT ? words[p->type] : "?");
    if (bounded && (p->min != 0 || p->max != 0)) {
        lo = fmax(lo, p->min);
        hi = fmin(hi, p->max);
    }
    number_text(lo, a, sizeof a);
    number_text(hi, b, sizeof b);
    if (p->type == BZ_PT_ENUM)
        for (size_t i = 0; p->choices && p->choices[i]; i++)
            used = bz_text_add(buf, size, used, i ? ", " : " ", "`%s`", p->choices[i]);
    else if (bounded && hi >= hi_type && lo > lo_type)
        used = bz_text_add(buf, size, used, "", " ≥ %s%s", a, per);
    else if (bounded && hi < hi_type && lo <= lo_type)
        used = bz_text_add(buf, size, used, "", " ≤ %s%s", b, per);
    else if (bounded && (hi < hi_type || lo > lo_type))
        used = bz_text_add(buf, size, used, "", " in [%s, %s]%s", a, b, per);
    /* The unit, unless the type says it already. */
    const char *unit = p->unit;
    if (unit && unit[0] && p->type != BZ_PT_DURATION && p->type != BZ_PT_PROB &&
        !(p->type == BZ_PT_RATE && !strcmp(unit, "per day")))
        bz_text_add(buf, size, used, "", " (%s)", unit);
}

/* s with every '|' escaped, for a table cell. */
static void put_cell(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|') fputc('\\', f);
        fputc(*s, f);
    }
}

int bz_md_table_begin(bz_md_table *t, bz_error *err)
{
    memset(t, 0, sizeof *t);
    t->f = open_memstream(&t->text, &t->len);
    if (!t->f) return bz_error_oom(err, NULL, BUFSIZ, "the first buffer of a key table");
    fputs("| key | type | default | meaning |\n|---|---|---|---|\n", t->f);
    return BZ_OK;
}

void bz_md_table_row(bz_md_table *t, const char *key, const char *type, const char *def,
                     int required, const char *meaning)
{
    if (!t->f) return;
    fprintf(t->f, "| `%s` | ", key);
    put_cell(t->f, type);
    fputs(" | ", t->f);
    if (required)
        fputs("required", t->f);
    else if (def) {
        fputc('`', t->f);
        put_cell(t->f, def[0] ? def : "\"\"");
        fputc('`', t->f);
    }
    fputs(" | ", t->f);
    put_cell(t->f, meaning);
    fputs(" |\n", t->f);
}

void bz_md_table_param(bz_md_table *t, const bz_param *p, int with_default, const char *more)
{
    char type[300], meaning[2048];
    bz_config_param_type(p, type, sizeof type);
    snprintf(meaning, sizeof meaning, "%s%s%s", p->desc ? p->desc : "", more ? " " : "",
             more ? more : "");
    bz_md_table_row(t, p->name, type, with_default ? p->def : NULL, with_default && !p->def,
                    meaning);
}

int bz_md_table_end(bz_md_table *t, const char *what, char **out, bz_error *err)
{
    *out = NULL;
    int bad = !t->f || ferror(t->f);
    if (t->f && fclose(t->f) != 0) bad = 1;
    t->f = NULL;
    if (bad) {
        const size_t bytes = t->len + BUFSIZ; /* what the stream had, and one more buffer */
        bz_md_table_discard(t);
        return bz_error_oom(err, NULL, bytes, "%s", what);
    }
    *out = t->text;
    t->text = NULL;
    return BZ_OK;
}

void bz_md_table_discard(bz_md_table *t)
{
    if (t->f) fclose(t->f);
    t->f = NULL;
    free(t->text);
    t->text = NULL;
}

/* ------------------------------------------------------------ tables */

/* `name` is one of the NULL-terminated list. */
static int listed(const char *const *list, const char *name)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], name)) return 1;
    return 0;
}

int bz_config_key_table(const char *name, char **out, bz_error *err)
{
    int status = BZ_OK;
    bz_md_table t = {0};
    bz_config_key_doc d;
    char what[160], known[400];
    const char *path = strcmp(name, "top") ? name : "";
    const bz_cfg_keys *s = listed(bz_config_table_names, name) ? bz_cfg_find_section(path) : NULL;
    *out = NULL;
    if (!s)
        BZ_FAIL(err, BZ_EINVAL, "no key table named '%s' (known: %s)", name,
                bz_text_join(known, sizeof known, bz_config_table_names, SIZE_MAX, ", "));
    /* The top level lists every key in order; elsewhere the parameters
     * come first, then the keys read by hand (sections and lists). */
    int in_order = 0;
    for (size_t i = 0; s->extra && s->extra[i]; i++)
        in_order |= bz_params_find(s->params, s->n_params, s->extra[i]) != NULL;
    BZ_CHECK(bz_md_table_begin(&t, err));
    for (size_t i = 0; !in_order && i < s->n_params; i++)
        bz_md_table_param(&t, &s->params[i], 1, NULL);
    for (size_t i = 0; s->extra && s->extra[i]; i++) {
        const bz_param *p = bz_params_find(s->params, s->n_params, s->extra[i]);
        if (p) {
            bz_md_table_param(&t, p, 1, NULL);
            continue;
        }
        BZ_CHECK(bz_config_describe_key(path, s->extra[i], &d, err));
        bz_md_table_row(&t, s->extra[i], d.type, d.def, d.required, d.desc);
    }
    snprintf(what, sizeof what, "the key table of %s", name);
    BZ_CHECK(bz_md_table_end(&t, what, out, err));
cleanup:
    bz_md_table_discard(&t);
    return status;
}
