/* Declared command-line options (in the manner of git's parse-options.h).
 *
 * Each command describes its arguments once, in a const bz_opts_command: its
 * options (bz_option rows), its positional arguments (bz_positional rows)
 * and the struct the parser fills. Everything else comes from that table:
 * the parser (bz_opts_parse), the usage line and `buzzsim CMD --help`
 * (bz_opts_help), the `buzzsim --help` listing (bz_opts_usage) and the bash
 * completion script (cmd_completion.c).
 *
 * Where values go: `offset` (offsetof into the command's options struct),
 * whose field type is fixed by the kind:
 *   BZ_OPT_FLAG      int, set to 1
 *   BZ_OPT_STRING    const char *, pointing into argv
 *   BZ_OPT_LIST      bz_opt_list, every value appended in order (repeatable)
 *   BZ_OPT_UINT      uint64_t, a whole decimal number in [min, max]; with
 *                    set_key: instead appended as "SET_KEY=VALUE" to the
 *                    bz_opt_list at offset (so `--seed 3` is `--set seed=3`
 *                    at its place among the --set overrides)
 *   BZ_OPT_CHOICE    int, the index in choices (0, the first, when absent)
 *   BZ_OPT_OPTIONAL  int, 0 when absent, 1 + the index in choices of
 *                    `--name=WORD`, 1 + def of a bare `--name`
 * Positionals: const char * each, or a bz_opt_list for the last one when it
 * repeats.
 *
 * Accepted forms: `--name VALUE`, `--name=VALUE`, `-x VALUE` (x the short
 * name), `--name[=WORD]` (OPTIONAL only), `--` (what follows is positional),
 * `-` (a positional). `-h` and `--help` anywhere print the help. */
#ifndef BZ_CLI_OPTIONS_H
#define BZ_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum bz_opt_kind {
    BZ_OPT_FLAG,
    BZ_OPT_STRING,
    BZ_OPT_LIST,
    BZ_OPT_UINT,
    BZ_OPT_CHOICE,
    BZ_OPT_OPTIONAL,
} bz_opt_kind;

/* bz_option.flags */
enum {
    BZ_OPT_REQUIRED = 1 << 0, /* "missing -o OUT.h5" when absent */
    BZ_OPT_NONEMPTY = 1 << 1, /* an empty value is a missing one */
    /* A thread count: main caps it before the command runs
     * (bz_arg_cap_threads), and its help is a printf format taking the cap
     * (bz_arg_max_threads()) as its one int. */
    BZ_OPT_THREADS = 1 << 2,
};

typedef struct bz_option {
    const char *name; /* "--output" */
    char short_name;  /* 'o' for -o, 0 for none */
    bz_opt_kind kind;
    const char *metavar;        /* the value in usage and help: "out.h5"; NULL for flags */
    const char *help;           /* one sentence, no final period */
    size_t offset;              /* where the value goes (see above) */
    uint64_t min, max;          /* BZ_OPT_UINT */
    const char *const *choices; /* CHOICE and OPTIONAL: NULL-terminated words */
    int def;                    /* OPTIONAL: the index a bare --name means */
    int flags;
    /* Single-valued options: non-NULL refuses a second one, saying why
     * ("-o given twice ('a' and 'b'): one output file"); NULL: the last wins. */
    const char *once;
    const char *conflicts; /* the name of an option this one contradicts */
    const char *needs;     /* the name of an option this one goes with */
    const char *set_key;   /* BZ_OPT_UINT: see above */
    /* Bash completion of the value: a glob ("*.h5"), "DIR" for directories,
     * NULL for none (choices are always completed). */
    const char *complete;
} bz_option;

typedef struct bz_positional {
    const char *metavar; /* "EXPERIMENT.yaml"; "PART.h5" is shown as "PART.h5..." when it repeats */
    const char *help;    /* for --help; NULL: not listed */
    size_t offset;       /* const char *, or bz_opt_list when repeat */
    int optional, repeat;       /* repeat: the last positional only */
    const char *missing;        /* the message when absent; NULL: "missing METAVAR" */
    const char *const *choices; /* NULL, or the words it must be one of */
    const char *complete;       /* as bz_option.complete */
} bz_positional;

/* The repeatable values of one option, in command-line order; the strings
 * are owned (bz_opts_free). */
typedef struct bz_opt_list {
    size_t n;
    char **items;
} bz_opt_list;

typedef struct bz_opts_command {
    const char *summary;              /* one line for `buzzsim --help` and `CMD --help` */
    const char *description;          /* NULL, or more lines for `CMD --help` (verbatim) */
    const bz_option *options;         /* ends with a row whose name is NULL */
    const bz_positional *positionals; /* ends with a row whose metavar is NULL */
    /* An argument beyond the positionals: a format with one %s, the
     * argument; NULL: "unexpected argument '%s'". */
    const char *extra;
    size_t size; /* sizeof the options struct */
} bz_opts_command;

/* Rows several commands share (T is the command's options struct). */
#define BZ_OPTION_SET(T, field)                                                                    \
    {                                                                                              \
        "--set", 0, BZ_OPT_LIST, "key.path=value",                                                 \
            "override one key of the experiment file (repeatable; the value is YAML: a scalar, "   \
            "or a flow [list] or {map})",                                                          \
            offsetof(T, field), .complete = NULL                                                   \
    }
#define BZ_OPTION_THREADS(T, field)                                                                \
    {                                                                                              \
        "--threads", 't', BZ_OPT_UINT, "T",                                                        \
            "1 to 4096 threads (default: OMP_NUM_THREADS, else one per processor); more than 8 "   \
            "per "                                                                                 \
            "processor (%d here) only oversubscribe the cores, so they are reduced to that with "  \
            "a "                                                                                   \
            "warning: results do not depend on the thread count",                                  \
            offsetof(T, field), 1, 4096, .flags = BZ_OPT_THREADS                                   \
    }
#define BZ_OPTION_FORCE(T, field)                                                                  \
    {                                                                                              \
        "--force", 'f', BZ_OPT_FLAG, NULL,                                                         \
            "overwrite an existing output file (a regular file only)",                             \
            .offset = offsetof(T, field)                                                           \
    }
#define BZ_OPTION_OUTPUT(T, field, help)                                                           \
    {                                                                                              \
        "--output", 'o', BZ_OPT_STRING, "out.h5", help, offsetof(T, field),                        \
            .once = "one output file", .complete = "*.h5"                                          \
    }

/* What bz_opts_parse returns when the command is to go on. */
#define BZ_OPTS_CONTINUE (-1)

/* Parse argv[1..argc-1] of command argv[0] into `opts` (size c->size,
 * zeroed first). Checks, in this order, each argument as it comes (unknown
 * option, missing value, bad number or word, given twice, too many
 * positionals), then the missing positionals, the missing required
 * options, contradicting options and options missing the option they need.
 * Returns BZ_OPTS_CONTINUE, or the exit status the command returns at once:
 * 0 after --help, 2 after a usage error (one line through bz_cli_usage),
 * 1 when out of memory (one line). On any return but BZ_OPTS_CONTINUE the
 * lists are freed already. */
int bz_opts_parse(const bz_opts_command *c, int argc, char **argv, void *opts);

/* Free the lists bz_opts_parse filled (opts stays valid otherwise). */
void bz_opts_free(const bz_opts_command *c, void *opts);

/* `buzzsim NAME --help`: usage line, summary, one row per argument and
 * option with its help, the description. */
void bz_opts_help(FILE *f, const char *name, const bz_opts_command *c);

/* The usage (the words after "buzzsim NAME"), printed from column `col`,
 * wrapped at 100 columns between arguments, every line after the first
 * indented by `indent`; no final newline. */
void bz_opts_usage(FILE *f, const bz_opts_command *c, size_t col, size_t indent);

/* `text` from column `col`, wrapped at `width` columns between words, every
 * line after the first indented by `indent`; then a newline. */
void bz_opts_wrap(FILE *f, const char *text, size_t col, size_t indent, size_t width);

/* 1 if the command has a BZ_OPT_THREADS option. */
int bz_opts_has_threads(const bz_opts_command *c);

/* The option called `name` (long "--x" or short "-x"), or NULL. */
const bz_option *bz_opts_find(const bz_opts_command *c, const char *name);

/* `buzzsim --debug-parse CMD ARGS...` (hidden, for tests): parse ARGS with
 * CMD's table and print every value parsed, one "NAME=VALUE" line each
 * (positionals by metavar, lists one line per item, absent options not at
 * all); the exit status is the parser's (0 when it would go on). */
int bz_opts_debug_parse(const char *name, const bz_opts_command *c, int argc, char **argv);

/* `buzzsim --debug-options` (hidden, for tests): per option of NAME one
 * line "NAME ARGS...", arguments that parse with that option given (a
 * sample of every positional, the option with a sample value, the options
 * it needs and the required ones). */
void bz_opts_samples(FILE *f, const char *name, const bz_opts_command *c);

#endif
