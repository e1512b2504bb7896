/* buzzsim models [NAME] [--markdown] | --outputs [--markdown]
 * Lists every generator, diffusion model and campaign with its parameter
 * table, then the market section of the experiment file. --markdown prints the same as Markdown
 * tables (docs/reference.md is generated this way). --outputs lists every recorded series, outcome,
 * comparison row and window field with its unit (the tables of
 * engine/results.h and engine/compare.h; docs/output.md embeds the Markdown). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "config/convert.h"
#include "engine/campaign.h"
#include "engine/compare.h"
#include "engine/model.h"
#include "graph/generator.h"

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

static void print_entry(const char *kind, const char *name, const char *summary,
                        const bz_param *params, size_t n, int md)
{
    char b[256];
    if (md) {
        printf("### %s `%s`\n\n%s\n\n", kind, name, summary);
        if (n == 0) {
            printf("No parameters.\n\n");
            return;
        }
        printf("| parameter | type | bounds | default | unit | description |\n");
        printf("|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < n; i++) {
            bounds(&params[i], "\\|", b, sizeof b);
            printf("| `%s` | %s | %s | %s | %s | %s |\n", params[i].name, type_name(params[i].type),
                   b, params[i].def ? params[i].def : "(required)",
                   params[i].unit ? params[i].unit : "", params[i].desc);
        }
        printf("\n");
        return;
    }
    printf("%s %s\n  %s\n", kind, name, summary);
    for (size_t i = 0; i < n; i++) {
        bounds(&params[i], "|", b, sizeof b);
        printf("  %-18s %-11s %-16s default %-8s %s\n      %s\n", params[i].name,
               type_name(params[i].type), b, params[i].def ? params[i].def : "(required)",
               params[i].unit ? params[i].unit : "", params[i].desc);
    }
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
}

int bz_cmd_models(int argc, char **argv)
{
    const char *only = NULL;
    int md = 0, found = 0, outputs = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--markdown") == 0)
            md = 1;
        else if (strcmp(argv[i], "--outputs") == 0)
            outputs = 1;
        else if (argv[i][0] == '-')
            return bz_cli_usage("models", "unknown option '%s'", argv[i]);
        else
            only = argv[i];
    }
    if (outputs) {
        if (only) return bz_cli_usage("models", "--outputs takes no model name");
        print_outputs(md);
        return 0;
    }
    if (md) printf("## Network generators\n\n");
    for (size_t i = 0; bz_netgen_registry[i]; i++) {
        const bz_netgen_type *g = bz_netgen_registry[i];
        if (only && strcmp(only, g->name)) continue;
        print_entry("network", g->name, g->summary, g->params, g->n_params, md);
        found++;
    }
    if (md) printf("## Diffusion models\n\n");
    for (size_t i = 0; bz_model_registry[i]; i++) {
        const bz_model_type *m = bz_model_registry[i];
        if (only && strcmp(only, m->name)) continue;
        print_entry("diffusion", m->name, m->summary, m->params, m->n_params, md);
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
        print_entry("campaign", c->name, c->summary, c->params, c->n_params, md);
        found++;
    }
    if (!only || strcmp(only, "market") == 0) {
        if (md) printf("## Market\n\n");
        print_entry("section", "market",
                    "the product's market (price, stock, willingness to pay, costs, patience): "
                    "engine/market.h",
                    bz_cfg_market_params, bz_cfg_n_market_params, md);
        print_entry("section", "market.local",
                    "one entry of the list market.local: a price and value for some cities",
                    bz_cfg_local_params, bz_cfg_n_local_params, md);
        found++;
    }
    if (only && !found) {
        fprintf(stderr, "buzzsim models: no generator, model or campaign named '%s'\n", only);
        return 2;
    }
    return 0;
}
