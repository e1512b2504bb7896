/* The key tables of the sweep file (sweep/sweep.h: bz_sweep_key_table),
 * walked from bz_sweep_keys with the rows of the experiment's tables
 * (config/tables.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "config/tables.h"
#include "sweep/sweep.h"

/* The *i-th table under `keys` (named `prefix`, "" for the top level),
 * counting down *i; its name into buf. NULL when *i is past the end. */
static const bz_sweep_key *table_at(const bz_sweep_key *keys, const char *prefix, size_t *i,
                                    char *buf, size_t size)
{
    char sub[160];
    if ((*i)-- == 0) {
        snprintf(buf, size, "%s", prefix[0] ? prefix : "top");
        return keys;
    }
    for (const bz_sweep_key *k = keys; k->param.name; k++) {
        if (!k->keys) continue;
        snprintf(sub, sizeof sub, "%s%s%s%s", prefix, prefix[0] ? "." : "", k->param.name,
                 k->shape == BZ_SWEEP_LIST ? "[]" : "");
        const bz_sweep_key *t = table_at(k->keys, sub, i, buf, size);
        if (t) return t;
    }
    return NULL;
}

int bz_sweep_table_name(size_t i, char *buf, size_t size)
{
    return table_at(bz_sweep_keys, "", &i, buf, size) != NULL;
}

/* A list key's type: "list of 2 numbers", "list of 1 to 8 outcome names". */
static void list_type(const bz_sweep_key *k, char *buf, size_t size)
{
    static const char *const items[][2] = {{"number", "numbers"},
                                           {"string", "strings"},
                                           {"scalar", "scalars"},
                                           {"outcome", "outcome names"},
                                           {"object", "mappings"}};
    const char *what = k->items ? k->items : "?";
    for (size_t j = 0; j < sizeof items / sizeof items[0]; j++)
        if (k->items && !strcmp(k->items, items[j][0])) what = items[j][1];
    if (k->max > 0 && k->max == k->min)
        snprintf(buf, size, "list of %g %s", k->max, what);
    else if (k->max > 0)
        snprintf(buf, size, "list of %g to %g %s", k->min, k->max, what);
    else
        snprintf(buf, size, "list of %g or more %s", k->min > 0 ? k->min : 0, what);
}

/* What the row of k adds to its desc: the key it goes with, the keys it
 * is one of. */
static void row_notes(const bz_sweep_key *keys, const bz_sweep_key *k, char *buf, size_t size)
{
    char list[160];
    size_t used = 0, listed = 0;
    buf[0] = list[0] = '\0';
    if (k->needs) used = bz_text_add(buf, size, used, "", "(with `%s`)", k->needs);
    if (!(k->flags & BZ_SWEEP_KEY_ONE_OF)) return;
    for (const bz_sweep_key *o = keys; o->param.name; o++)
        if (o->flags & BZ_SWEEP_KEY_ONE_OF)
            listed = bz_text_add(list, sizeof list, listed, ", ", "`%s`", o->param.name);
    bz_text_add(buf, size, used, " ", "(exactly one of %s)", list);
}

int bz_sweep_key_table(const char *name, char **out, bz_error *err)
{
    int status = BZ_OK;
    bz_md_table t = {0};
    char tn[160], type[160], notes[200], what[200], meaning[1200];
    const bz_sweep_key *keys = NULL;
    *out = NULL;
    for (size_t i = 0; bz_sweep_table_name(i, tn, sizeof tn); i++)
        if (!strcmp(tn, name)) {
            size_t j = i;
            keys = table_at(bz_sweep_keys, "", &j, tn, sizeof tn);
        }
    if (!keys) BZ_FAIL(err, BZ_EINVAL, "no key table of the sweep file named '%s'", name);
    BZ_CHECK(bz_md_table_begin(&t, err));
    for (const bz_sweep_key *k = keys; k->param.name; k++) {
        row_notes(keys, k, notes, sizeof notes);
        if (k->shape == BZ_SWEEP_PARAM) {
            bz_md_table_param(&t, &k->param, !(k->flags & BZ_SWEEP_KEY_UNSET),
                              notes[0] ? notes : NULL);
            continue;
        }
        if (k->shape == BZ_SWEEP_TEXT)
            snprintf(type, sizeof type, "text of at most %g characters", k->max);
        else if (k->shape == BZ_SWEEP_BASE)
            snprintf(type, sizeof type, "path, or mapping (an inline experiment)");
        else if (k->shape == BZ_SWEEP_LIST)
            list_type(k, type, sizeof type);
        else
            snprintf(type, sizeof type, "mapping");
        snprintf(meaning, sizeof meaning, "%s%s%s", k->param.desc, notes[0] ? " " : "", notes);
        bz_md_table_row(&t, k->param.name, type, NULL, (k->flags & BZ_SWEEP_KEY_REQUIRED) != 0,
                        meaning);
    }
    snprintf(what, sizeof what, "the key table %s of the sweep file", name);
    BZ_CHECK(bz_md_table_end(&t, what, out, err));
cleanup:
    bz_md_table_discard(&t);
    return status;
}
