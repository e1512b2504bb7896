/* Resolved experiment text: the validated struct written back as YAML.
 *
 * The text is produced from the struct, not from the parsed tree, so it
 * shows every default, reflects --set overrides and arm selection, and is
 * what HDF5 files store as provenance. Values go through bz_param_format(),
 * whose output bz_param_parse() reads back bit-identically, which makes the
 * round trip load(resolved_yaml) == x exact.
 */
#include "config/convert.h"
#include "config/resolve.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/campaign.h"
#include "engine/model.h"
#include "graph/generator.h"

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
    size_t want; /* with oom: the bytes that could not be had */
} sbuf;

static void sb_putn(sbuf *b, const char *text, size_t n)
{
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            b->want = cap;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, text, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *text)
{
    sb_putn(b, text, strlen(text));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        sb_putn(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        b->want = (size_t)n + 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_putn(b, big, (size_t)n);
    free(big);
}

static void sb_indent(sbuf *b, int indent)
{
    for (int i = 0; i < indent; i++)
        sb_putn(b, " ", 1);
}

/* Plain style is safe for names, paths and numbers made of these
 * characters, unless the word means something else to a YAML reader. */
static int plain_ok(const char *t)
{
    static const char *const special[] = {"null",  "Null",  "NULL",  "true", "True", "TRUE",
                                          "false", "False", "FALSE", "yes",  "Yes",  "YES",
                                          "no",    "No",    "NO",    "on",   "On",   "ON",
                                          "off",   "Off",   "OFF",   "-",    "~"};
    if (!t[0]) return 0;
    for (const char *p = t; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '/' || c == '+' || c == '-'))
            return 0;
    }
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (strcmp(t, special[i]) == 0) return 0;
    return 1;
}

/* A string as a YAML scalar: plain when safe, else double-quoted. */
static void emit_string(sbuf *b, const char *t)
{
    if (plain_ok(t)) {
        sb_puts(b, t);
        return;
    }
    sb_putn(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            sb_putn(b, esc, 2);
        } else if (*p == '\n') {
            sb_puts(b, "\\n");
        } else if (*p == '\t') {
            sb_puts(b, "\\t");
        } else if (*p < 0x20 || *p == 0x7f) {
            sb_printf(b, "\\x%02x", *p);
        } else {
            sb_putn(b, (const char *)p, 1);
        }
    }
    sb_putn(b, "\"", 1);
}

/* One parameter's value as YAML scalar text. */
static void emit_value(sbuf *b, const bz_param *p, const void *params)
{
    char buf[4096];
    bz_param_format(p, params, buf, sizeof buf);
    if (p->type == BZ_PT_STRING)
        emit_string(b, buf);
    else
        sb_puts(b, buf);
}

/* A value formatted through a synthetic parameter of type t stored at v. */
static void emit_typed(sbuf *b, bz_ptype t, const void *v)
{
    bz_param p;
    memset(&p, 0, sizeof p);
    p.name = "";
    p.type = t;
    emit_value(b, &p, v);
}

static void emit_int(sbuf *b, int64_t v)
{
    sb_printf(b, "%" PRId64, v);
}

/* Block mapping lines "key: value" of a parameter table at `indent`. */
static void emit_params_block(sbuf *b, int indent, const bz_param *t, size_t n, const void *params)
{
    for (size_t i = 0; i < n; i++) {
        sb_indent(b, indent);
        sb_printf(b, "%s: ", t[i].name);
        emit_value(b, &t[i], params);
        sb_putn(b, "\n", 1);
    }
}

/* One campaign as a flow mapping {campaign: NAME, k: v, ...}. */
static void emit_campaign_flow(sbuf *b, const bz_campaign_spec *c)
{
    sb_puts(b, "{campaign: ");
    emit_string(b, c->type->name);
    for (size_t i = 0; i < c->type->n_params; i++) {
        sb_printf(b, ", %s: ", c->type->params[i].name);
        emit_value(b, &c->type->params[i], c->params);
    }
    if (!c->enabled) sb_puts(b, ", enabled: false");
    sb_putn(b, "}", 1);
}

static char *campaigns_flow(const bz_arm_spec *arm, size_t *want)
{
    sbuf b = {0};
    sb_putn(&b, "[", 1);
    for (size_t j = 0; j < arm->n_campaigns; j++) {
        if (j) sb_puts(&b, ", ");
        emit_campaign_flow(&b, &arm->campaigns[j]);
    }
    sb_putn(&b, "]", 1);
    if (b.oom) {
        free(b.s);
        *want = b.want;
        return NULL;
    }
    return b.s;
}

static void emit_experiment(sbuf *b, const bz_experiment *x)
{
    sb_puts(b, "name: ");
    emit_string(b, x->name);
    sb_puts(b, "\nseed: ");
    emit_int(b, (int64_t)x->seed);
    sb_puts(b, "\ntime:\n  step: ");
    emit_typed(b, BZ_PT_DURATION, &x->step);
    sb_puts(b, "\n  horizon: ");
    emit_typed(b, BZ_PT_DURATION, &x->horizon);
    sb_puts(b, "\nreplicates: ");
    emit_int(b, x->replicates);
    sb_puts(b, "\npopulation:\n  agents: ");
    emit_int(b, x->agents);
    if (x->city_names && x->city_shares) { /* a city table: shares as normalised */
        sb_puts(b, "\n  cities:");
        for (uint32_t k = 0; k < x->cities; k++) {
            sb_puts(b, "\n    - name: ");
            emit_string(b, x->city_names[k]);
            sb_puts(b, "\n      share: ");
            emit_typed(b, BZ_PT_REAL, &x->city_shares[k]);
        }
    } else {
        sb_puts(b, "\n  cities: ");
        emit_int(b, x->cities);
        sb_puts(b, "\n  city_sizes:\n    zipf: ");
        emit_typed(b, BZ_PT_REAL, &x->city_zipf);
    }
    sb_puts(b, "\n  attributes:\n");
    for (int a = 0; a < BZ_ATTR_COUNT; a++) {
        const bz_dist *d = &x->attributes[a];
        size_t n = 0;
        const bz_param *t = bz_dist_params(d->kind, &n);
        sb_printf(b, "    %s:\n      dist: %s\n", bz_attr_names[a],
                  bz_dist_name(d->kind) ? bz_dist_name(d->kind) : "constant");
        if (t) emit_params_block(b, 6, t, n, d);
    }
    sb_puts(b, "network:\n  layers:\n");
    for (size_t i = 0; i < x->n_layers; i++) {
        const bz_layer_spec *l = &x->layers[i];
        sb_puts(b, "    - name: ");
        emit_string(b, l->name);
        sb_putn(b, "\n", 1);
        /* name, directed and share for every model; the persuasion keys
         * only where the model reads them (others refuse them). */
        emit_params_block(b, 6, bz_cfg_layer_params + 1,
                          x->model->persuades ? bz_cfg_n_layer_params - 1 : 2, l);
        sb_puts(b, "      generator:\n        model: ");
        emit_string(b, l->gen->name);
        sb_putn(b, "\n", 1);
        emit_params_block(b, 8, l->gen->params, l->gen->n_params, l->gen_params);
    }
    sb_printf(b, "  resample: %s\n", x->resample ? "true" : "false");
    sb_puts(b, "diffusion:\n  model: ");
    emit_string(b, x->model->name);
    sb_putn(b, "\n", 1);
    emit_params_block(b, 2, x->model->params, x->model->n_params, x->model_params);

    sb_puts(b, "market:\n");
    for (size_t i = 0; i < bz_cfg_n_market_params; i++) {
        const bz_param *p = &bz_cfg_market_params[i];
        if (!strcmp(p->name, "price") && !(x->market.price > 0)) continue; /* not priced */
        emit_params_block(b, 2, p, 1, &x->market);
    }
    if (x->market.n_local) sb_puts(b, "  local:\n");
    for (size_t i = 0; i < x->market.n_local; i++) {
        sb_puts(b, "    -\n");
        emit_params_block(b, 6, bz_cfg_local_params, bz_cfg_n_local_params, &x->market.local[i]);
    }
    sb_puts(b, "arms:\n");
    for (size_t i = 0; i < x->n_arms; i++) {
        const bz_arm_spec *arm = &x->arms[i];
        sb_indent(b, 2);
        emit_string(b, arm->name);
        if (arm->n_campaigns == 0) {
            sb_puts(b, ": []\n");
            continue;
        }
        sb_puts(b, ":\n");
        for (size_t j = 0; j < arm->n_campaigns; j++) {
            const bz_campaign_spec *c = &arm->campaigns[j];
            sb_puts(b, "    - campaign: ");
            emit_string(b, c->type->name);
            sb_putn(b, "\n", 1);
            emit_params_block(b, 6, c->type->params, c->type->n_params, c->params);
            if (!c->enabled) sb_puts(b, "      enabled: false\n");
        }
    }
    int attributed = 0;
    for (size_t i = 0; i < x->n_arms; i++)
        attributed |= x->arms[i].attribution != BZ_ATTRIB_NONE;
    if (attributed) {
        sb_puts(b, "attribution:\n");
        for (size_t i = 0; i < x->n_arms; i++) {
            if (x->arms[i].attribution == BZ_ATTRIB_NONE) continue;
            sb_indent(b, 2);
            emit_string(b, x->arms[i].name);
            sb_printf(b, ": %s\n", bz_attribution_names[x->arms[i].attribution]);
        }
    }
    sb_puts(b, "output:\n  file: ");
    emit_string(b, x->output);
    sb_putn(b, "\n", 1);
}

int bz_config_resolve(bz_experiment *x, bz_error *err)
{
    int status = BZ_OK;
    sbuf b = {0};
    char **flows = NULL;
    if (x->n_arms) {
        flows = calloc(x->n_arms, sizeof *flows);
        if (!flows)
            BZ_FAIL_OOM(err, NULL, x->n_arms * sizeof *flows, "the campaigns of %zu arms",
                        x->n_arms);
    }
    for (size_t i = 0; i < x->n_arms; i++) {
        size_t want = 0;
        flows[i] = campaigns_flow(&x->arms[i], &want);
        if (!flows[i])
            BZ_FAIL_OOM(err, NULL, want, "the campaigns of arm '%s' in the resolved experiment",
                        x->arms[i].name);
    }
    emit_experiment(&b, x);
    if (b.oom) BZ_FAIL_OOM(err, NULL, b.want, "the text of the resolved experiment");
    free(x->resolved_yaml);
    x->resolved_yaml = b.s;
    b.s = NULL;
    for (size_t i = 0; i < x->n_arms; i++) {
        free(x->arms[i].campaigns_yaml);
        x->arms[i].campaigns_yaml = flows[i];
        flows[i] = NULL;
    }
cleanup:
    if (flows)
        for (size_t i = 0; i < x->n_arms; i++)
            free(flows[i]);
    free(flows);
    free(b.s);
    return status;
}
