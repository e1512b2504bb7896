#include "cli/options.h"

#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"

/* The most options one command declares (a fixed table: see the commands). */
#define MAX_OPTIONS 32

/* The width of --help and the usage, and the column option help starts at. */
#define HELP_WIDTH 100
#define HELP_COLUMN 28
#define USAGE_WIDTH 100

/* Parser state beside the options struct. */
typedef struct parse_state {
    const bz_opts_command *c;
    const char *cmd; /* argv[0] */
    char *opts;
    int seen[MAX_OPTIONS];
    const char *first[MAX_OPTIONS]; /* the first value of each option */
    size_t n_pos;                   /* positionals given */
    const char *last_pos;           /* the last positional given (for "missing") */
} parse_state;

static size_t count_options(const bz_opts_command *c)
{
    size_t n = 0;
    while (c->options && c->options[n].name)
        n++;
    return n;
}

static size_t count_positionals(const bz_opts_command *c)
{
    size_t n = 0;
    while (c->positionals && c->positionals[n].metavar)
        n++;
    return n;
}

/* The name in messages about the option as a whole: "-o" when it has a
 * short form, else "--layer". */
static const char *display(const bz_option *o, char buf[3])
{
    if (!o->short_name) return o->name;
    buf[0] = '-';
    buf[1] = o->short_name;
    buf[2] = '\0';
    return buf;
}

/* "a or b", "a, b or c" into buf. */
static const char *join_words(const char *const *words, const char *sep, const char *last,
                              char *buf, size_t size)
{
    size_t used = 0, n = 0;
    while (words[n])
        n++;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 i == 0       ? ""
                                 : i + 1 == n ? last
                                              : sep,
                                 words[i]);
    return buf;
}

static int find_word(const char *const *words, const char *w)
{
    for (int i = 0; words[i]; i++)
        if (!strcmp(words[i], w)) return i;
    return -1;
}

const bz_option *bz_opts_find(const bz_opts_command *c, const char *name)
{
    for (size_t i = 0; c->options && c->options[i].name; i++) {
        const bz_option *o = &c->options[i];
        if (!strcmp(o->name, name) ||
            (o->short_name && name[0] == '-' && name[1] == o->short_name && !name[2]))
            return o;
    }
    return NULL;
}

int bz_opts_has_threads(const bz_opts_command *c)
{
    for (size_t i = 0; c->options && c->options[i].name; i++)
        if (c->options[i].flags & BZ_OPT_THREADS) return 1;
    return 0;
}

/* ------------------------------------------------------------ parsing */

/* Append a copy of `text` (with "prefix=" before it when prefix is given)
 * to the list `l` of option `what`; 1 (reported) when out of memory. */
static int list_append(bz_opt_list *l, const char *what, const char *prefix, const char *text)
{
    size_t len = strlen(text) + (prefix ? strlen(prefix) + 1 : 0) + 1;
    char **items = realloc(l->items, (l->n + 1) * sizeof *items);
    if (!items) {
        fprintf(stderr, "buzzsim: out of memory for %zu %s values (%zu bytes)\n", l->n + 1, what,
                (l->n + 1) * sizeof *items);
        return 1;
    }
    l->items = items;
    char *s = malloc(len);
    if (!s) {
        fprintf(stderr, "buzzsim: out of memory for the %s value '%.100s' (%zu bytes)\n", what,
                text, len);
        return 1;
    }
    if (prefix)
        snprintf(s, len, "%s=%s", prefix, text);
    else
        memcpy(s, text, len);
    l->items[l->n++] = s;
    return 0;
}

/* 1 if the option's values go to a bz_opt_list. */
static int is_list(const bz_option *o)
{
    return o->kind == BZ_OPT_LIST || (o->kind == BZ_OPT_UINT && o->set_key);
}

/* 1 if option k is the first of those filling its list (--set, --seed and
 * --replicates of run share one). */
static int owns_list(const bz_opts_command *c, size_t k)
{
    if (!is_list(&c->options[k])) return 0;
    for (size_t j = 0; j < k; j++)
        if (is_list(&c->options[j]) && c->options[j].offset == c->options[k].offset) return 0;
    return 1;
}

static void list_free(bz_opt_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void bz_opts_free(const bz_opts_command *c, void *opts)
{
    char *base = opts;
    for (size_t i = 0; c->options && c->options[i].name; i++) {
        const bz_option *o = &c->options[i];
        if (owns_list(c, i)) list_free((bz_opt_list *)(base + o->offset));
    }
    size_t n = count_positionals(c);
    if (n && c->positionals[n - 1].repeat)
        list_free((bz_opt_list *)(base + c->positionals[n - 1].offset));
}

/* The value of option o as given by `value`: checked and stored. Returns
 * BZ_OPTS_CONTINUE or the exit status. */
static int store_value(parse_state *s, const bz_option *o, const char *value)
{
    char *field = s->opts + o->offset;
    char words[256];
    switch (o->kind) {
    case BZ_OPT_STRING:
        *(const char **)field = value;
        break;
    case BZ_OPT_LIST:
        if (list_append((bz_opt_list *)field, o->name, NULL, value)) return 1;
        break;
    case BZ_OPT_UINT: {
        uint64_t u;
        if (bz_arg_u64(value, o->min, o->max, &u) != 0) {
            if (o->min == 0 && o->max == UINT64_MAX)
                return bz_cli_usage(s->cmd, "%s: expected a non-negative integer, got '%s'",
                                    o->name, value);
            return bz_cli_usage(s->cmd, "%s: expected an integer in [%llu, %llu], got '%s'",
                                o->name, (unsigned long long)o->min, (unsigned long long)o->max,
                                value);
        }
        if (o->set_key) {
            if (list_append((bz_opt_list *)field, o->name, o->set_key, value)) return 1;
        } else {
            *(uint64_t *)field = u;
        }
        break;
    }
    case BZ_OPT_CHOICE:
    case BZ_OPT_OPTIONAL: {
        int k = find_word(o->choices, value);
        if (k < 0)
            return bz_cli_usage(s->cmd, "%s: expected %s, got '%s'", o->name,
                                join_words(o->choices, ", ", " or ", words, sizeof words), value);
        *(int *)field = o->kind == BZ_OPT_CHOICE ? k : k + 1;
        break;
    }
    case BZ_OPT_FLAG:
        *(int *)field = 1;
        break;
    }
    return BZ_OPTS_CONTINUE;
}

/* argv[*i], an option: find it, take its value, store it. */
static int parse_option(parse_state *s, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *eq = a[1] == '-' ? strchr(a, '=') : NULL, *value = NULL;
    const bz_option *o = NULL;
    size_t k;
    char words[256], shown[3];
    for (k = 0; s->c->options && s->c->options[k].name; k++) {
        const bz_option *t = &s->c->options[k];
        size_t len = eq ? (size_t)(eq - a) : strlen(a);
        if ((strlen(t->name) == len && !strncmp(t->name, a, len)) ||
            (!eq && t->short_name && a[1] == t->short_name && !a[2])) {
            o = t;
            break;
        }
    }
    if (!o) return bz_cli_usage(s->cmd, "unknown option '%s'", a);
    if (o->kind == BZ_OPT_FLAG) {
        if (eq) return bz_cli_usage(s->cmd, "%s takes no value, got '%s'", o->name, a);
        s->seen[k]++;
        return store_value(s, o, NULL);
    }
    if (o->kind == BZ_OPT_OPTIONAL && !eq) {
        s->seen[k]++;
        *(int *)(s->opts + o->offset) = o->def + 1;
        return BZ_OPTS_CONTINUE;
    }
    if (eq)
        value = eq + 1;
    else if (o->kind != BZ_OPT_OPTIONAL && *i + 1 < argc)
        value = argv[++*i];
    if (!value || (!*value && (o->flags & BZ_OPT_NONEMPTY))) {
        const int len = eq ? (int)(eq - a) : (int)strlen(a); /* the option as written */
        if (o->choices)
            return bz_cli_usage(s->cmd, "%.*s needs a value (%s)", len, a,
                                join_words(o->choices, ", ", " or ", words, sizeof words));
        return bz_cli_usage(s->cmd, "%.*s needs a value", len, a);
    }
    if (s->seen[k] && o->once && o->kind != BZ_OPT_LIST)
        return bz_cli_usage(s->cmd, "%s given twice ('%s' and '%s'): %s", display(o, shown),
                            s->first[k], value, o->once);
    if (!s->seen[k]++) s->first[k] = value;
    return store_value(s, o, value);
}

static int parse_positional(parse_state *s, const char *a)
{
    size_t n = count_positionals(s->c), k = s->n_pos < n ? s->n_pos : n;
    char words[256];
    if (k == n && n && s->c->positionals[n - 1].repeat) k = n - 1;
    if (k >= n) {
        char msg[1024];
        snprintf(msg, sizeof msg, s->c->extra ? s->c->extra : "unexpected argument '%s'", a);
        return bz_cli_usage(s->cmd, "%s", msg);
    }
    const bz_positional *p = &s->c->positionals[k];
    if (p->choices && find_word(p->choices, a) < 0)
        return bz_cli_usage(s->cmd, "%s: expected %s, got '%s'", p->metavar,
                            join_words(p->choices, ", ", " or ", words, sizeof words), a);
    s->n_pos++;
    s->last_pos = a;
    if (p->repeat)
        return list_append((bz_opt_list *)(s->opts + p->offset), p->metavar, NULL, a)
                   ? 1
                   : BZ_OPTS_CONTINUE;
    *(const char **)(s->opts + p->offset) = a;
    return BZ_OPTS_CONTINUE;
}

/* After every argument: what is missing or does not go together. */
static int check_whole(parse_state *s)
{
    const bz_opts_command *c = s->c;
    size_t n = count_positionals(c);
    char shown[3];
    for (size_t k = s->n_pos; k < n; k++) {
        const bz_positional *p = &c->positionals[k];
        if (p->optional) continue;
        if (p->missing) return bz_cli_usage(s->cmd, "%s", p->missing);
        return bz_cli_usage(s->cmd, "missing %s", p->metavar);
    }
    for (size_t k = 0; c->options && c->options[k].name; k++) {
        const bz_option *o = &c->options[k];
        if ((o->flags & BZ_OPT_REQUIRED) && !s->seen[k])
            return bz_cli_usage(s->cmd, "missing %s %s", display(o, shown), o->metavar);
    }
    for (size_t k = 0; c->options && c->options[k].name; k++) {
        const bz_option *o = &c->options[k], *other;
        if (!s->seen[k]) continue;
        if (o->conflicts && (other = bz_opts_find(c, o->conflicts)) && s->seen[other - c->options])
            return bz_cli_usage(s->cmd, "%s and %s contradict each other", o->name, other->name);
        if (o->needs && (other = bz_opts_find(c, o->needs)) && !s->seen[other - c->options])
            return bz_cli_usage(s->cmd, "%s goes with %s", display(o, shown), other->name);
    }
    return BZ_OPTS_CONTINUE;
}

int bz_opts_parse(const bz_opts_command *c, int argc, char **argv, void *opts)
{
    parse_state s;
    memset(&s, 0, sizeof s);
    memset(opts, 0, c->size);
    s.c = c;
    s.cmd = argv[0];
    s.opts = opts;
    if (count_options(c) > MAX_OPTIONS) {
        fprintf(stderr, "buzzsim %s: more than %d options declared\n", s.cmd, MAX_OPTIONS);
        return 1;
    }
    int rc = BZ_OPTS_CONTINUE, only_positionals = 0;
    for (int i = 1; i < argc && rc == BZ_OPTS_CONTINUE; i++) {
        const char *a = argv[i];
        if (only_positionals || a[0] != '-' || !a[1]) {
            rc = parse_positional(&s, a);
        } else if (!strcmp(a, "--")) {
            only_positionals = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            bz_opts_help(stdout, s.cmd, c);
            rc = 0;
        } else {
            rc = parse_option(&s, argc, argv, &i);
        }
    }
    if (rc == BZ_OPTS_CONTINUE) rc = check_whole(&s);
    if (rc != BZ_OPTS_CONTINUE) bz_opts_free(c, opts);
    return rc;
}

/* ------------------------------------------------------------ help */

/* The pieces of `text` separated by `sep` (runs of it for ' '), printed
 * from column col with one space between them, a new line indented by
 * `indent` before a piece that would pass `width`. */
static void wrap_pieces(FILE *f, const char *text, char sep, size_t col, size_t indent,
                        size_t width)
{
    const char seps[2] = {sep, '\0'};
    size_t start = col;
    while (*text) {
        size_t n = strcspn(text, seps);
        if (col > start && col + 1 + n > width) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = start = indent;
        } else if (col > start) {
            fputc(' ', f);
            col++;
        }
        fprintf(f, "%.*s", (int)n, text);
        col += n;
        text += n;
        text += sep == ' ' ? strspn(text, seps) : (*text != '\0');
    }
}

void bz_opts_wrap(FILE *f, const char *text, size_t col, size_t indent, size_t width)
{
    wrap_pieces(f, text, ' ', col, indent, width);
    fputc('\n', f);
}

/* The value part of an option in usage and help: " out.h5", " tsv|csv",
 * "[=basic|full]", "" for a flag. */
static const char *value_text(const bz_option *o, char *buf, size_t size)
{
    char words[200];
    if (o->kind == BZ_OPT_FLAG) {
        buf[0] = '\0';
    } else if (o->kind == BZ_OPT_OPTIONAL) {
        snprintf(buf, size, "[=%s]", join_words(o->choices, "|", "|", words, sizeof words));
    } else if (o->choices && !o->metavar) {
        snprintf(buf, size, " %s", join_words(o->choices, "|", "|", words, sizeof words));
    } else {
        snprintf(buf, size, " %s", o->metavar ? o->metavar : "VALUE");
    }
    return buf;
}

/* The flag that `o` contradicts, when both are flags (they share one
 * "[--a|--b]" in the usage), else NULL. */
static const bz_option *flag_partner(const bz_opts_command *c, const bz_option *o)
{
    const bz_option *p = o->conflicts ? bz_opts_find(c, o->conflicts) : NULL;
    return p && o->kind == BZ_OPT_FLAG && p->kind == BZ_OPT_FLAG ? p : NULL;
}

/* One usage item per argument, in `buf`, separated by '\n'. */
static void usage_items(const bz_opts_command *c, char *buf, size_t size)
{
    size_t used = 0;
    char v[256];
    buf[0] = '\0';
#define PUT(...)                                                                                   \
    do {                                                                                           \
        if (used < size) used += (size_t)snprintf(buf + used, size - used, __VA_ARGS__);           \
    } while (0)
    for (size_t k = 0; c->positionals && c->positionals[k].metavar; k++) {
        const bz_positional *p = &c->positionals[k];
        PUT("%s%s%s%s%s", used ? "\n" : "", p->optional ? "[" : "", p->metavar,
            p->repeat ? "..." : "", p->optional ? "]" : "");
    }
    for (size_t k = 0; c->options && c->options[k].name; k++) {
        const bz_option *o = &c->options[k], *partner = flag_partner(c, o);
        int skip = 0; /* the second of a pair of contradicting flags */
        for (size_t j = 0; j < k; j++)
            skip |= flag_partner(c, &c->options[j]) == o;
        if (skip) continue;
        int req = (o->flags & BZ_OPT_REQUIRED) != 0;
        PUT("%s%s%s%s%s%s%s%s", used ? "\n" : "", req ? "" : "[", o->name,
            value_text(o, v, sizeof v), partner ? "|" : "", partner ? partner->name : "",
            req ? "" : "]", o->kind == BZ_OPT_LIST ? "..." : "");
    }
#undef PUT
}

void bz_opts_usage(FILE *f, const bz_opts_command *c, size_t col, size_t indent)
{
    char items[4096];
    usage_items(c, items, sizeof items);
    wrap_pieces(f, items, '\n', col, indent, USAGE_WIDTH);
}

/* One help row: `left` padded to HELP_COLUMN (or alone on its line when
 * longer), then `help` wrapped. */
static void help_row(FILE *f, const char *left, const char *help)
{
    int n = fprintf(f, "  %s", left);
    if (n + 2 > HELP_COLUMN) {
        fprintf(f, "\n%*s", HELP_COLUMN, "");
    } else {
        fprintf(f, "%*s", HELP_COLUMN - n, "");
    }
    bz_opts_wrap(f, help, HELP_COLUMN, HELP_COLUMN, HELP_WIDTH);
}

void bz_opts_help(FILE *f, const char *name, const bz_opts_command *c)
{
    char left[300], v[256], help[1024];
    int n = fprintf(f, "usage: buzzsim %s ", name);
    bz_opts_usage(f, c, (size_t)n, (size_t)n);
    fprintf(f, "\n  ");
    bz_opts_wrap(f, c->summary, 2, 2, HELP_WIDTH);
    fprintf(f, "\n");
    for (size_t k = 0; c->positionals && c->positionals[k].metavar; k++)
        if (c->positionals[k].help) help_row(f, c->positionals[k].metavar, c->positionals[k].help);
    for (size_t k = 0; c->options && c->options[k].name; k++) {
        const bz_option *o = &c->options[k];
        snprintf(left, sizeof left, "%c%c%s%s%s", o->short_name ? '-' : ' ',
                 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name,
                 value_text(o, v, sizeof v));
        if (o->flags & BZ_OPT_THREADS)
            snprintf(help, sizeof help, o->help, bz_arg_max_threads());
        else
            snprintf(help, sizeof help, "%s", o->help);
        help_row(f, left, help);
    }
    help_row(f, "-h, --help", "print this help");
    if (c->description) fprintf(f, "\n%s", c->description);
}

/* ------------------------------------------------------------ tests */

int bz_opts_debug_parse(const char *name, const bz_opts_command *c, int argc, char **argv)
{
    char *opts = calloc(1, c->size ? c->size : 1);
    if (!opts) {
        fprintf(stderr, "buzzsim: out of memory for the options of %s (%zu bytes)\n", name,
                c->size);
        return 1;
    }
    int rc = bz_opts_parse(c, argc, argv, opts);
    if (rc != BZ_OPTS_CONTINUE) goto cleanup;
    for (size_t k = 0; c->positionals && c->positionals[k].metavar; k++) {
        const bz_positional *p = &c->positionals[k];
        if (p->repeat) {
            const bz_opt_list *l = (const bz_opt_list *)(opts + p->offset);
            for (size_t i = 0; i < l->n; i++)
                printf("%s=%s\n", p->metavar, l->items[i]);
        } else if (*(const char **)(opts + p->offset)) {
            printf("%s=%s\n", p->metavar, *(const char **)(opts + p->offset));
        }
    }
    for (size_t k = 0; c->options && c->options[k].name; k++) {
        const bz_option *o = &c->options[k];
        const char *field = opts + o->offset;
        if (is_list(o)) {
            const bz_opt_list *l = (const bz_opt_list *)field;
            if (!owns_list(c, k)) continue; /* printed under the first option filling it */
            for (size_t i = 0; i < l->n; i++)
                printf("%s=%s\n", o->name, l->items[i]);
        } else if (o->kind == BZ_OPT_STRING && *(const char *const *)field) {
            printf("%s=%s\n", o->name, *(const char *const *)field);
        } else if (o->kind == BZ_OPT_UINT && *(const uint64_t *)field) {
            printf("%s=%llu\n", o->name, (unsigned long long)*(const uint64_t *)field);
        } else if (o->kind == BZ_OPT_CHOICE) {
            printf("%s=%s\n", o->name, o->choices[*(const int *)field]);
        } else if (o->kind == BZ_OPT_OPTIONAL && *(const int *)field) {
            printf("%s=%s\n", o->name, o->choices[*(const int *)field - 1]);
        } else if (o->kind == BZ_OPT_FLAG && *(const int *)field) {
            printf("%s\n", o->name);
        }
    }
    bz_opts_free(c, opts);
    rc = 0;
cleanup:
    free(opts);
    return rc;
}

/* A value option `o` accepts. */
static const char *sample_value(const bz_option *o, char *buf, size_t size)
{
    if (o->choices) return o->choices[o->choices[1] ? 1 : 0];
    if (o->kind == BZ_OPT_UINT) {
        snprintf(buf, size, "%llu", (unsigned long long)o->min);
        return buf;
    }
    return "x";
}

/* " --name VALUE" of a value option, " --name" of a flag. */
static void print_sample(FILE *f, const bz_option *o)
{
    char num[32];
    if (o->kind == BZ_OPT_FLAG)
        fprintf(f, " %s", o->name);
    else if (o->kind == BZ_OPT_OPTIONAL)
        fprintf(f, " %s=%s", o->name, sample_value(o, num, sizeof num));
    else
        fprintf(f, " %s %s", o->name, sample_value(o, num, sizeof num));
}

void bz_opts_samples(FILE *f, const char *name, const bz_opts_command *c)
{
    for (size_t k = 0; c->options && c->options[k].name; k++) {
        const bz_option *o = &c->options[k];
        fprintf(f, "%s", name);
        for (size_t j = 0; c->positionals && c->positionals[j].metavar; j++) {
            const bz_positional *p = &c->positionals[j];
            fprintf(f, " %s", p->choices ? p->choices[0] : "x");
        }
        print_sample(f, o);
        const bz_option *needs = o->needs ? bz_opts_find(c, o->needs) : NULL;
        if (needs) print_sample(f, needs);
        for (size_t j = 0; c->options[j].name; j++)
            if ((c->options[j].flags & BZ_OPT_REQUIRED) && j != k) print_sample(f, &c->options[j]);
        fprintf(f, "\n");
    }
}
