/* buzzsim models [NAME] [--markdown] | --outputs [--markdown] | --levers [--markdown]
 *                | --config-tables
 * Lists every generator, diffusion model (with the levers it honours) and
 * campaign (with the levers it uses) with its parameter table, then the
 * levers (engine/levers.h) and the market section of the experiment file.
 * --levers prints only the lever table (docs/campaigns.md and
 * docs/models.md embed its Markdown). --markdown prints the same as Markdown
 * tables (docs/reference.md is generated this way). --outputs lists every recorded series, outcome,
 * comparison row and window field with its unit (the tables of
 * engine/results.h and engine/compare.h; docs/output.md embeds the Markdown).
 * --config-tables prints the key tables of the experiment file's fixed
 * sections (config/tables.h) and of the sweep file (sweep/sweep.h), each
 * between the marker lines docs/config.md and docs/cluster.md embed it in. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "config/convert.h"
#include "config/tables.h"
#include "engine/campaign.h"
#include "engine/compare.h"
#include "engine/levers.h"
#include "engine/model.h"
#include "graph/generator.h"
#include "sweep/sweep.h"

/* The bounds of p; choices joined by sep ("\\|" inside a Markdown table). */
static void bounds(const bz_param *p, const char *sep, char *buf, size_t size)
{
    switch (p->type) {
    case BZ_PT_INT:
    case BZ_PT_REAL:
    case BZ_PT_RATE:
    case BZ_PT_DURATION:
        snprintf(buf, size, "[%g, %g]", p->min, p->max);
        break;
    case BZ_PT_PROB:
        snprintf(buf, size, "[0, 1]");
        break;
    case BZ_PT_ENUM: {
        size_t used = 0;
        buf[0] = '\0';
        for (size_t i = 0; p->choices[i] && used + 2 < size; i++)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? sep : "", p->choices[i]);
        break;
    }
    default:
        buf[0] = '\0';
    }
}

static const char *type_name(bz_ptype t)
{
    static const char *const names[BZ_PT__COUNT] = {
        "int", "real", "probability", "rate", "duration", "bool", "choice", "string", "cities"};
    return t < BZ_PT__COUNT ? names[t] : "?";
}

/* `extra` (may be NULL): one more line after the summary (the levers). */
/* One parameter: a Markdown table row or the plain listing's two lines. */
static void print_param(const bz_param *p, int md)
{
    char b[256];
    bounds(p, md ? "\\|" : "|", b, sizeof b);
    if (md)
        printf("| `%s` | %s | %s | %s | %s | %s |\n", p->name, type_name(p->type), b,
               p->def ? p->def : "(required)", p->unit ? p->unit : "", p->desc);
    else
        printf("  %-18s %-11s %-16s default %-8s %s\n      %s\n", p->name, type_name(p->type), b,
               p->def ? p->def : "(required)", p->unit ? p->unit : "", p->desc);
}

/* An entry and its parameters, then the `common` keys every entry of its
 * kind takes (campaigns: enabled). */
static void print_entry(const char *kind, const char *name, const char *summary, const char *extra,
                        const bz_param *own, size_t n_own, const bz_param *common, size_t n_common,
                        int md)
{
    if (md) {
        printf("### %s `%s`\n\n%s\n\n", kind, name, summary);
        if (extra) printf("%s\n\n", extra);
        if (n_own + n_common == 0) {
            printf("No parameters.\n\n");
            return;
        }
        printf("| parameter | type | bounds | default | unit | description |\n");
        printf("|---|---|---|---|---|---|\n");
    } else {
        printf("%s %s\n  %s\n", kind, name, summary);
        if (extra) printf("  %s\n", extra);
    }
    for (size_t i = 0; i < n_own; i++)
        print_param(&own[i], md);
    for (size_t i = 0; i < n_common; i++)
        print_param(&common[i], md);
    printf("\n");
}

/* One table of name, unit, description rows. */
static void print_defs(const char *title, const char *col, int n, const char *const *names,
                       const char *const *units, const char *const *descs, int md)
{
    if (md) {
        printf("#### %s\n\n| %s | unit | meaning |\n|---|---|---|\n", title, col);
        for (int k = 0; k < n; k++)
            printf("| `%s` | %s | %s |\n", names[k], units[k], descs[k]);
        printf("\n");
        return;
    }
    printf("%s\n", title);
    for (int k = 0; k < n; k++)
        printf("  %-24s %-22s %s\n", names[k], units[k], descs[k]);
    printf("\n");
}

/* "engage, boost (only when share_boost != 1 and boost_for != 0)": the
 * levers campaign t may use, with the conditions of those it uses only for
 * some parameter values; names in backquotes when md. */
static void campaign_levers(const bz_campaign_type *t, int md, char *buf, size_t size)
{
    const char *q = md ? "`" : "";
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < BZ_N_LEVERS && used < size; k++) {
        const bz_lever_def *d = &bz_lever_defs[k];
        if (!(t->levers & d->bit)) continue;
        used = bz_text_add(buf, size, used, ", ", "%s%s%s", q, d->name, q);
        int first = 1;
        for (size_t c = 0; c < t->n_lever_conds && used < size; c++) {
            if (!(t->lever_conds[c].lever & d->bit)) continue;
            used = bz_text_add(buf, size, used, first ? " (only when " : " and ", "%s%s%s != %g", q,
                               t->lever_conds[c].param, q, t->lever_conds[c].off);
            first = 0;
        }
        if (!first) used = bz_text_add(buf, size, used, "", ")");
    }
    if (used == 0) snprintf(buf, size, "none");
}

/* "`a`, `b`" (md) or "a, b": the models honouring bit, or the campaigns
 * that may use it. */
static void lever_users(uint32_t bit, int models, int md, char *buf, size_t size)
{
    const char *q = md ? "`" : "";
    size_t used = 0;
    buf[0] = '\0';
    if (models) {
        for (size_t i = 0; bz_model_registry[i] && used < size; i++)
            if (bz_model_registry[i]->honours & bit)
                used =
                    bz_text_add(buf, size, used, ", ", "%s%s%s", q, bz_model_registry[i]->name, q);
    } else {
        for (size_t i = 0; bz_campaign_registry[i] && used < size; i++)
            if (bz_campaign_registry[i]->levers & bit)
                used = bz_text_add(buf, size, used, ", ", "%s%s%s", q,
                                   bz_campaign_registry[i]->name, q);
    }
    if (used == 0) snprintf(buf, size, "none");
}

/* The lever table (engine/levers.h) with the models that honour each lever
 * and the campaigns that use it. */
static void print_levers(int md)
{
    char honoured[400], users[400];
    if (md)
        printf("| lever | what it does | engine call | honoured by | used by |\n"
               "|---|---|---|---|---|\n");
    else
        printf("Levers (a campaign whose lever the model does not honour is refused)\n");
    for (int k = 0; k < BZ_N_LEVERS; k++) {
        const bz_lever_def *d = &bz_lever_defs[k];
        lever_users(d->bit, 1, md, honoured, sizeof honoured);
        lever_users(d->bit, 0, md, users, sizeof users);
        if (md)
            printf("| `%s` | %s | `%s` | %s | %s |\n", d->name, d->desc, d->call, honoured, users);
        else
            printf("  %-9s %s\n            engine call: %s\n            honoured by: %s\n"
                   "            used by:     %s\n",
                   d->name, d->desc, d->call, honoured, users);
    }
    printf("\n");
}

#define DEFS_COLUMNS(defs, n, names, units, descs)                                                 \
    for (int k_ = 0; k_ < (n); k_++) {                                                             \
        names[k_] = (defs)[k_].name;                                                               \
        units[k_] = (defs)[k_].unit;                                                               \
        descs[k_] = (defs)[k_].desc;                                                               \
    }

static void print_outputs(int md)
{
    const char *names[64], *units[64], *descs[64];
    DEFS_COLUMNS(bz_series_defs, BZ_N_SERIES, names, units, descs);
    print_defs("Series of every arm: [replicates, times] int64", "series", BZ_N_SERIES, names,
               units, descs, md);
    DEFS_COLUMNS(bz_outcome_defs, BZ_N_OUTCOMES, names, units, descs);
    print_defs("Outcomes of every arm and replicate (float64)", "outcome", BZ_N_OUTCOMES, names,
               units, descs, md);
    DEFS_COLUMNS(bz_cmp_ratio_defs, BZ_N_CMP_RATIOS, names, units, descs);
    print_defs("Ratio rows of the comparison (after one row per outcome)", "row", BZ_N_CMP_RATIOS,
               names, units, descs, md);
    DEFS_COLUMNS(bz_window_defs, BZ_N_WINDOW_FIELDS, names, units, descs);
    print_defs("Fields of every flash-sale window of every replicate", "field", BZ_N_WINDOW_FIELDS,
               names, units, descs, md);
    DEFS_COLUMNS(bz_city_defs, BZ_N_CITY_FIELDS, names, units, descs);
    print_defs("Fields of every city of every replicate (they add up to the outcomes)", "field",
               BZ_N_CITY_FIELDS, names, units, descs, md);
    DEFS_COLUMNS(bz_campaign_defs, BZ_N_CAMPAIGN_FIELDS, names, units, descs);
    print_defs("Fields of every campaign of every replicate (they add up to the outcomes)", "field",
               BZ_N_CAMPAIGN_FIELDS, names, units, descs, md);
}

typedef struct models_opts {
    const char *only;
    int markdown, outputs, levers, config_tables;
} models_opts;

static const bz_positional models_positionals[] = {
    {"NAME", "only the generator, model or campaign NAME (or market)", offsetof(models_opts, only),
     .optional = 1},
    {0},
};

static const bz_option models_options[] = {
    {"--markdown", 0, BZ_OPT_FLAG, NULL,
     "print Markdown tables (docs/reference.md is generated this way)",
     .offset = offsetof(models_opts, markdown)},
    {"--outputs", 0, BZ_OPT_FLAG, NULL,
     "list every series, outcome, comparison row and window field with its unit instead",
     .offset = offsetof(models_opts, outputs)},
    {"--levers", 0, BZ_OPT_FLAG, NULL,
     "list only the levers, with the models that honour them and the campaigns that use them",
     .offset = offsetof(models_opts, levers)},
    {"--config-tables", 0, BZ_OPT_FLAG, NULL,
     "print the key tables of the experiment and sweep files as Markdown, each between the "
     "marker lines docs/config.md and docs/cluster.md embed it in",
     .offset = offsetof(models_opts, config_tables)},
    {0},
};

const bz_opts_command bz_models_command = {
    .summary = "list every model, generator and campaign with its parameters, or every output",
    .options = models_options,
    .positionals = models_positionals,
    .size = sizeof(models_opts),
};

/* The generators, models, campaigns, levers and market section (only the
 * entry `only` when given); returns how many entries were printed. */
static int print_catalogue(const char *only, int md)
{
    int found = 0;
    char lv[512], line[600];
    if (md) printf("## Network generators\n\n");
    for (size_t i = 0; bz_netgen_registry[i]; i++) {
        const bz_netgen_type *g = bz_netgen_registry[i];
        if (only && strcmp(only, g->name)) continue;
        print_entry("network", g->name, g->summary, NULL, g->params, g->n_params, NULL, 0, md);
        found++;
    }
    if (md) printf("## Diffusion models\n\n");
    for (size_t i = 0; bz_model_registry[i]; i++) {
        const bz_model_type *m = bz_model_registry[i];
        if (only && strcmp(only, m->name)) continue;
        if (md) {
            size_t used = 0;
            lv[0] = '\0';
            for (int k = 0; k < BZ_N_LEVERS && used < sizeof lv; k++)
                if (m->honours & bz_lever_defs[k].bit)
                    used = bz_text_add(lv, sizeof lv, used, ", ", "`%s`", bz_lever_defs[k].name);
            if (!used) snprintf(lv, sizeof lv, "none");
        } else {
            bz_levers_format(m->honours, lv, sizeof lv);
        }
        snprintf(line, sizeof line, "%s%s", md ? "Honours the levers: " : "honours: ", lv);
        print_entry("diffusion", m->name, m->summary, line, m->params, m->n_params, NULL, 0, md);
        if (!md) {
            printf("  states:");
            for (int k = 0; k < m->n_states; k++)
                printf(" %s", m->states[k]);
            printf("\n\n");
        }
        found++;
    }
    if (md) printf("## Campaigns\n\n");
    for (size_t i = 0; bz_campaign_registry[i]; i++) {
        const bz_campaign_type *c = bz_campaign_registry[i];
        if (only && strcmp(only, c->name)) continue;
        campaign_levers(c, md, lv, sizeof lv);
        snprintf(line, sizeof line, "%s%s", md ? "Levers: " : "levers: ", lv);
        print_entry("campaign", c->name, c->summary, line, c->params, c->n_params,
                    bz_cfg_campaign_common_params, bz_cfg_n_campaign_common_params, md);
        found++;
    }
    if (md && !only) {
        printf("## Levers\n\n");
        print_levers(md);
    }
    if (!only || strcmp(only, "market") == 0) {
        if (md) printf("## Market\n\n");
        print_entry("section", "market",
                    "the product's market (price, stock, willingness to pay, costs, patience): "
                    "engine/market.h",
                    NULL, bz_cfg_market_params, bz_cfg_n_market_params, NULL, 0, md);
        print_entry("section", "market.local",
                    "one entry of the list market.local: a price and value for some cities", NULL,
                    bz_cfg_local_params, bz_cfg_n_local_params, NULL, 0, md);
        found++;
    }
    return found;
}

/* One generated block: its marker line, the table, the end marker. */
static int print_block(const char *kind, const char *name, int status, char *text,
                       const bz_error *err)
{
    if (status != BZ_OK) return bz_cli_fail(err);
    printf("<!-- generated: %s %s -->\n%s<!-- end of generated -->\n\n", kind, name, text);
    free(text);
    return 0;
}

/* Every key table of the experiment file, then of the sweep file. */
static int print_config_tables(void)
{
    char *text = NULL, name[160];
    bz_error err;
    bz_error_clear(&err);
    for (size_t i = 0; bz_config_table_names[i]; i++) {
        int status = bz_config_key_table(bz_config_table_names[i], &text, &err);
        int rc = print_block("config-table", bz_config_table_names[i], status, text, &err);
        if (rc) return rc;
    }
    for (size_t i = 0; bz_sweep_table_name(i, name, sizeof name); i++) {
        int status = bz_sweep_key_table(name, &text, &err);
        int rc = print_block("sweep-table", name, status, text, &err);
        if (rc) return rc;
    }
    return 0;
}

int bz_cmd_models(int argc, char **argv)
{
    models_opts o;
    int rc = bz_opts_parse(&bz_models_command, argc, argv, &o);
    if (rc != BZ_OPTS_CONTINUE) return rc;
    if (o.outputs) {
        if (o.only) return bz_cli_usage("models", "--outputs takes no model name");
        print_outputs(o.markdown);
        return 0;
    }
    if (o.levers) {
        if (o.only) return bz_cli_usage("models", "--levers takes no model name");
        print_levers(o.markdown);
        return 0;
    }
    if (o.config_tables) {
        if (o.only) return bz_cli_usage("models", "--config-tables takes no model name");
        return print_config_tables();
    }
    if (!print_catalogue(o.only, o.markdown) && o.only) {
        fprintf(stderr, "buzzsim models: no generator, model or campaign named '%s'\n", o.only);
        return 2;
    }
    return 0;
}
