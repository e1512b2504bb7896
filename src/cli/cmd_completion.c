/* buzzsim completion bash: a bash completion script generated from the
 * option tables of every command (cli/options.h): the commands, each
 * command's options, the words of choice options and positionals, and file
 * names matching the glob of file arguments (*.yaml, *.h5; directories
 * always, to descend into). Use: source <(buzzsim completion bash), or save
 * it as ~/.local/share/bash-completion/completions/buzzsim. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"

typedef struct completion_opts {
    const char *shell;
} completion_opts;

static const char *const shells[] = {"bash", NULL};

static const bz_positional completion_positionals[] = {
    {"SHELL", "the shell the script is for (bash)", offsetof(completion_opts, shell),
     .missing = "missing the shell (bash)", .choices = shells},
    {0},
};

const bz_opts_command bz_completion_command = {
    .summary = "print a bash completion script made from the option tables (source it)",
    .positionals = completion_positionals,
    .size = sizeof(completion_opts),
};

/* The helpers every command's branch uses. */
static const char script_head[] =
    "# _buzzsim_files CUR GLOB: the files matching GLOB and the directories\n"
    "# (GLOB DIR: the directories only) whose names start with CUR.\n"
    "_buzzsim_files() {\n"
    "    local IFS=$'\\n'\n"
    "    compopt -o filenames 2>/dev/null\n"
    "    if [ \"$2\" = DIR ]; then\n"
    "        COMPREPLY=($(compgen -d -- \"$1\"))\n"
    "    elif [ \"$2\" = '*' ]; then\n"
    "        COMPREPLY=($(compgen -f -- \"$1\"))\n"
    "    else\n"
    "        COMPREPLY=($(compgen -f -X \"!$2\" -- \"$1\") $(compgen -d -- \"$1\"))\n"
    "    fi\n"
    "}\n"
    "\n"
    "# _buzzsim_words CUR WORDS...: the WORDS that start with CUR.\n"
    "_buzzsim_words() {\n"
    "    local cur=$1\n"
    "    shift\n"
    "    COMPREPLY=($(compgen -W \"$*\" -- \"$cur\"))\n"
    "}\n"
    "\n"
    "# _buzzsim_position VALUED: how many positional arguments come before the\n"
    "# word being completed; VALUED is \"|-o|--output|...|\", the options that take\n"
    "# the next word as their value (--name=VALUE is split by bash at '=').\n"
    "_buzzsim_position() {\n"
    "    local i n=0 w\n"
    "    for ((i = 2; i < COMP_CWORD; i++)); do\n"
    "        w=${COMP_WORDS[i]}\n"
    "        case $w in\n"
    "        =) ((i++)) ;;\n"
    "        -?*) [[ $1 == *\"|$w|\"* && ${COMP_WORDS[i + 1]} != = ]] && ((i++)) ;;\n"
    "        *) ((n++)) ;;\n"
    "        esac\n"
    "    done\n"
    "    echo $n\n"
    "}\n"
    "\n"
    "_buzzsim() {\n"
    "    local cur=${COMP_WORDS[COMP_CWORD]} prev= eq=\n"
    "    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
    "    if [ \"$cur\" = = ]; then\n"
    "        cur= eq=1\n"
    "    elif [ \"$prev\" = = ] && ((COMP_CWORD > 1)); then\n"
    "        prev=${COMP_WORDS[COMP_CWORD - 2]} eq=1\n"
    "    fi\n"
    "    COMPREPLY=()\n";

/* The names of an option, separated by sep: "--output|-o". */
static void names(FILE *f, const bz_option *o, const char *sep)
{
    fprintf(f, "%s", o->name);
    if (o->short_name) fprintf(f, "%s-%c", sep, o->short_name);
}

/* The words of a NULL-terminated list, space separated. */
static void words(FILE *f, const char *const *w)
{
    for (size_t i = 0; w[i]; i++)
        fprintf(f, "%s%s", i ? " " : "", w[i]);
}

/* The completion of one value: its words, else files matching its glob,
 * else nothing; `indent` spaces before the command. */
static void complete_value(FILE *f, int indent, const char *const *choices, const char *glob)
{
    if (choices) {
        fprintf(f, "%*s_buzzsim_words \"$cur\" ", indent, "");
        words(f, choices);
        fprintf(f, "\n");
    } else if (glob) {
        fprintf(f, "%*s_buzzsim_files \"$cur\" '%s'\n", indent, "", glob);
    }
}

/* `case $prev in`: what the value of an option completes to. */
static void value_cases(FILE *f, const bz_opts_command *c)
{
    fprintf(f, "        case $prev in\n");
    for (size_t k = 0; c->options && c->options[k].name; k++) {
        const bz_option *o = &c->options[k];
        if (o->kind == BZ_OPT_FLAG) continue;
        fprintf(f, "        ");
        names(f, o, "|");
        fprintf(f, ")\n");
        if (o->kind == BZ_OPT_OPTIONAL) { /* only --name=WORD: a word after a space is not it */
            fprintf(f, "            if [ -n \"$eq\" ]; then\n");
            complete_value(f, 16, o->choices, NULL);
            fprintf(f, "                return\n            fi\n            ;;\n");
            continue;
        }
        complete_value(f, 12, o->choices, o->complete);
        fprintf(f, "            return\n            ;;\n");
    }
    fprintf(f, "        esac\n");
}

/* `case $(_buzzsim_position ...) in`: what each positional completes to. */
static void positional_cases(FILE *f, const bz_opts_command *c)
{
    fprintf(f, "        case $(_buzzsim_position '|");
    for (size_t k = 0; c->options && c->options[k].name; k++)
        if (c->options[k].kind != BZ_OPT_FLAG && c->options[k].kind != BZ_OPT_OPTIONAL) {
            names(f, &c->options[k], "|");
            fprintf(f, "|");
        }
    fprintf(f, "') in\n");
    for (size_t k = 0; c->positionals && c->positionals[k].metavar; k++) {
        const bz_positional *p = &c->positionals[k];
        if (p->repeat)
            fprintf(f, "        *)\n");
        else
            fprintf(f, "        %zu)\n", k);
        complete_value(f, 12, p->choices, p->complete);
        fprintf(f, "            ;;\n");
    }
    fprintf(f, "        esac\n");
}

static void command_branch(FILE *f, const bz_command *cmd)
{
    const bz_opts_command *c = cmd->args;
    fprintf(f, "    %s)\n", cmd->name);
    value_cases(f, c);
    fprintf(f, "        if [[ $cur == -* ]]; then\n            _buzzsim_words \"$cur\"");
    for (size_t k = 0; c->options && c->options[k].name; k++)
        fprintf(f, " %s", c->options[k].name);
    fprintf(f, " --help\n            return\n        fi\n");
    positional_cases(f, c);
    fprintf(f, "        ;;\n");
}

int bz_cmd_completion(int argc, char **argv)
{
    completion_opts o;
    int rc = bz_opts_parse(&bz_completion_command, argc, argv, &o);
    if (rc != BZ_OPTS_CONTINUE) return rc;
    size_t n;
    const bz_command *cmds = bz_cli_commands(&n);
    printf("# bash completion for buzzsim %s, generated by `buzzsim completion bash`\n"
           "# from its option tables. Use: source <(buzzsim completion bash)\n\n",
           BZ_VERSION);
    fputs(script_head, stdout);
    printf("    if ((COMP_CWORD == 1)); then\n        _buzzsim_words \"$cur\"");
    for (size_t i = 0; i < n; i++)
        printf(" %s", cmds[i].name);
    printf(" help --help --version\n        return\n    fi\n");
    printf("    case ${COMP_WORDS[1]} in\n");
    for (size_t i = 0; i < n; i++)
        command_branch(stdout, &cmds[i]);
    printf("    esac\n}\n\ncomplete -F _buzzsim buzzsim\n");
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "buzzsim completion: cannot write the script to standard output\n");
        return 1;
    }
    return 0;
}
