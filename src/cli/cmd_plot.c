/* buzzsim plot FILE [--format png|svg|pdf] [--outdir DIR]: run every gnuplot
 * script in the plots directory (NAME.gp, except style.gp) on a results file.
 *
 * Each script gets its inputs as gnuplot variables through -e:
 *   file     absolute path of the results file
 *   outdir   absolute output directory (created here)
 *   fmt      png, svg or pdf
 *   buzzsim  this executable (scripts read data with '< buzzsim export ...')
 *   plotsdir the directory of the scripts (for `load plotsdir.'/style.gp'`)
 * and prints the path of every figure it wrote on standard output, which is
 * relayed here after checking the file is complete (an empty or cut figure,
 * as a full disk leaves, is removed and reported as one line, exit status
 * 1; so is a failed script, with the first line of gnuplot's errors). The
 * output directory is checked writable before anything runs (exit 2). gnuplot runs through
 * posix_spawnp with an argv array (no shell); values inside the -e string
 * are single-quoted, so paths containing a single quote are refused.
 */
#define _XOPEN_SOURCE 700 /* realpath() is an X/Open extension of POSIX */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/file.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "io/h5.h"
#include "optimize/h5_optimize.h"
#include "sweep/h5_sweep.h"

extern char **environ;

/* mkdir -p; 0 or -1 with errno set. */
static int make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        *p = saved;
        if (!saved) break;
    }
    struct stat st;
    if (stat(buf, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* 1 if `name` is an executable file in $PATH. */
static int in_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        char cand[PATH_MAX];
        if (snprintf(cand, sizeof cand, "%.*s/%s", (int)n, n ? path : ".", name) <
                (int)sizeof cand &&
            access(cand, X_OK) == 0)
            return 1;
        path += n;
        if (*path == ':') path++;
    }
    return 0;
}

/* Default output directory: <dir of file>/<basename without .h5>_plots. */
static void default_outdir(const char *file, char *out, size_t size)
{
    const char *slash = strrchr(file, '/');
    const char *base = slash ? slash + 1 : file;
    size_t blen = strlen(base);
    if (blen > 3 && strcmp(base + blen - 3, ".h5") == 0) blen -= 3;
    if (slash)
        snprintf(out, size, "%.*s/%.*s_plots", (int)(slash - file), file, (int)blen, base);
    else
        snprintf(out, size, "%.*s_plots", (int)blen, base);
}

static int is_script(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 3 && strcmp(e->d_name + n - 3, ".gp") == 0 && strcmp(e->d_name, "style.gp") != 0 &&
           e->d_name[0] != '.';
}

/* What a gnuplot child wrote to one of its pipes: kept up to CAP_OUT bytes
 * (more is read and dropped, so the child never blocks on a full pipe). */
#define CAP_OUT (1 << 20)
typedef struct pipe_text {
    int fd;
    char *buf;
    size_t len, cap;
} pipe_text;

/* Read what is there; 0 at end of file (fd closed, set to -1). */
static int pipe_read(pipe_text *p)
{
    char chunk[4096];
    ssize_t n = read(p->fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) return 1;
    if (n <= 0) {
        close(p->fd);
        p->fd = -1;
        return 0;
    }
    size_t keep = p->len + (size_t)n < CAP_OUT ? (size_t)n : CAP_OUT - p->len;
    if (keep && p->len + keep + 1 > p->cap) {
        size_t ncap = p->cap ? 2 * p->cap : 8192;
        while (ncap < p->len + keep + 1)
            ncap *= 2;
        char *nb = realloc(p->buf, ncap);
        if (!nb) return 1; /* drop it: messages only */
        p->buf = nb;
        p->cap = ncap;
    }
    if (keep && p->buf) {
        memcpy(p->buf + p->len, chunk, keep);
        p->len += keep;
        p->buf[p->len] = '\0';
    }
    return 1;
}

/* The first non-blank line of text into out (one line, bounded). */
static void first_line(const char *text, char *out, size_t size)
{
    out[0] = '\0';
    while (text && *text) {
        size_t n = strcspn(text, "\r\n");
        size_t skip = strspn(text, " \t");
        if (n > skip) {
            snprintf(out, size, "%.*s", (int)(n - skip), text + skip);
            return;
        }
        text += n;
        text += strspn(text, "\r\n");
    }
}

/* 1 if the figure at path is complete: it ends as its format does (PNG's
 * IEND chunk, "</svg>", PDF's "%%EOF"); a full disk leaves empty or cut
 * files behind. */
static int figure_complete(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *mark = !dot                       ? NULL
                       : strcmp(dot, ".png") == 0 ? "IEND"
                       : strcmp(dot, ".svg") == 0 ? "</svg>"
                       : strcmp(dot, ".pdf") == 0 ? "%%EOF"
                                                  : NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char tail[64];
    size_t n = 0;
    if (fseek(f, -(long)sizeof tail, SEEK_END) != 0) rewind(f);
    n = fread(tail, 1, sizeof tail, f);
    fclose(f);
    if (n == 0) return 0;
    if (!mark) return 1;
    size_t ml = strlen(mark);
    for (size_t i = 0; i + ml <= n; i++)
        if (memcmp(tail + i, mark, ml) == 0) return 1;
    return 0;
}

/* "gnuplot failed writing FIGURE: WHY" (one line, exit status 1), FIGURE
 * removed when it is there (empty or cut). WHY: the first line gnuplot
 * wrote on stderr, else the disk's state, else `fallback`. */
static int figure_failed(const char *figure, const char *outdir, const char *err_text,
                         const char *fallback)
{
    char why[512];
    struct statvfs vfs;
    first_line(err_text, why, sizeof why);
    if (!why[0] && statvfs(outdir, &vfs) == 0 && vfs.f_bavail == 0)
        snprintf(why, sizeof why, "%s", strerror(ENOSPC));
    if (!why[0]) snprintf(why, sizeof why, "%s", fallback);
    struct stat st;
    if (stat(figure, &st) == 0 && S_ISREG(st.st_mode) && !figure_complete(figure)) remove(figure);
    fprintf(stderr, "buzzsim: gnuplot failed writing %s: %s\n", figure, why);
    return 1;
}

/* Run one script, whose figure is OUTDIR/NAME.FMT for NAME.gp. Its
 * standard output (the paths of the figures it wrote, and its messages) is
 * relayed once each figure is checked complete; its standard error is kept
 * and relayed when it succeeds, or turned into one line when it fails.
 * Returns 0, 1 after a failure (reported), -1 if gnuplot could not be
 * started (errno set). *figures counts the figures written. */
static int run_script(const char *script, const char *vars, const char *outdir, const char *fmt,
                      int *figures)
{
    int out[2], err[2], rc = 0;
    if (pipe(out) != 0) return -1;
    if (pipe(err) != 0) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, err[0]);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&fa, out[1]);
    posix_spawn_file_actions_addclose(&fa, err[1]);
    char *args[] = {"gnuplot", "-e", (char *)vars, (char *)script, NULL};
    pid_t pid;
    int sr = posix_spawnp(&pid, "gnuplot", &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    pipe_text po = {out[0], NULL, 0, 0}, pe = {err[0], NULL, 0, 0};
    if (sr != 0) {
        close(out[0]);
        close(err[0]);
        errno = sr;
        return -1;
    }
    while (po.fd >= 0 || pe.fd >= 0) { /* both pipes at once: neither may fill up */
        struct pollfd pf[2] = {{po.fd, POLLIN, 0}, {pe.fd, POLLIN, 0}};
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (po.fd >= 0 && pf[0].revents) pipe_read(&po);
        if (pe.fd >= 0 && pf[1].revents) pipe_read(&pe);
    }
    if (po.fd >= 0) close(po.fd);
    if (pe.fd >= 0) close(pe.fd);
    int wst = 0;
    while (waitpid(pid, &wst, 0) < 0)
        if (errno != EINTR) {
            wst = -1;
            break;
        }
    int status = wst == -1 ? -1 : WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + WTERMSIG(wst);

    /* The figure of this script, for messages: OUTDIR/NAME.FMT. */
    const char *base = strrchr(script, '/');
    base = base ? base + 1 : script;
    char figure[PATH_MAX + 64];
    snprintf(figure, sizeof figure, "%s/%.*s.%s", outdir, (int)(strlen(base) - 3), base, fmt);
    if (status != 0) {
        char why[64];
        snprintf(why, sizeof why, "exit status %d", status);
        rc = figure_failed(figure, outdir, pe.buf, why);
        goto done;
    }
    for (char *line = po.buf; line && *line;) {
        size_t n = strcspn(line, "\n");
        char saved = line[n];
        line[n] = '\0';
        if (n && line[n - 1] == '\r') line[n - 1] = '\0';
        struct stat st;
        if (line[0] && stat(line, &st) == 0 && S_ISREG(st.st_mode)) {
            if (!figure_complete(line)) {
                rc = figure_failed(line, outdir, pe.buf, "the file is incomplete");
                goto done;
            }
            printf("%s\n", line);
            (*figures)++;
        } else if (line[0]) {
            printf("%s\n", line); /* a message of the script: pass it on */
        }
        line[n] = saved;
        line += n + (saved != '\0');
    }
    struct stat st; /* a figure written but not announced must be complete too */
    if (stat(figure, &st) == 0 && S_ISREG(st.st_mode) && !figure_complete(figure)) {
        rc = figure_failed(figure, outdir, pe.buf, "the file is incomplete");
        goto done;
    }
    if (pe.len) fputs(pe.buf, stderr); /* the script's own messages */
done:
    free(po.buf);
    free(pe.buf);
    return rc;
}

static int refuse_quote(const char *what, const char *value)
{
    if (!strchr(value, '\'')) return 0;
    fprintf(stderr,
            "buzzsim plot: %s '%s' contains a single quote, which gnuplot cannot be "
            "given safely: rename it\n",
            what, value);
    return 1;
}

typedef struct plot_opts {
    const char *path, *outdir;
    int format; /* index in formats */
} plot_opts;

static const char *const formats[] = {"png", "svg", "pdf", NULL};

static const bz_positional plot_positionals[] = {
    {"out.h5", "a results, network (graph --stats), sweep or optimize file",
     offsetof(plot_opts, path), .missing = "missing the results file", .complete = "*.h5"},
    {0},
};

static const bz_option plot_options[] = {
    {"--format", 'f', BZ_OPT_CHOICE, NULL,
     "png (default, 1200x750), svg (the same size) or pdf (8x5 inches, vector)",
     offsetof(plot_opts, format), .choices = formats},
    {"--outdir", 'o', BZ_OPT_STRING, "DIR",
     "write the figures here (created; default: next to the file, NAME_plots)",
     offsetof(plot_opts, outdir), .flags = BZ_OPT_NONEMPTY, .complete = "DIR"},
    {0},
};

const bz_opts_command bz_plot_command = {
    .summary = "make the report figures of a results file with gnuplot",
    .description = "Runs plots/*.gp with gnuplot and prints each figure written.\n",
    .options = plot_options,
    .positionals = plot_positionals,
    .size = sizeof(plot_opts),
};

/* The kinds of file plot draws, each with its scripts: a sweep file gets
 * the sweep_*.gp figures only, an optimize file the optimize_*.gp ones, a
 * network file (buzzsim graph --stats) network.gp only, a results file
 * every other script. */
typedef enum plot_kind { KIND_RESULTS, KIND_NETWORK, KIND_SWEEP, KIND_OPTIMIZE } plot_kind;
static const char *const kind_vars[] = {"", "; network_only=1", "; sweep=1", "; optimize=1"};

static int script_of_kind(const char *name, int kind)
{
    if (kind == KIND_NETWORK) return strcmp(name, "network.gp") == 0;
    int sweep = strncmp(name, "sweep_", 6) == 0, opt = strncmp(name, "optimize_", 9) == 0;
    if (kind == KIND_SWEEP) return sweep;
    if (kind == KIND_OPTIMIZE) return opt;
    return !sweep && !opt;
}

/* What the file is, read (and so checked) before anything starts. Returns
 * BZ_OPTS_CONTINUE or the exit status (reported). */
static int inspect(const char *path, int *kind)
{
    bz_results res;
    bz_error err;
    bz_error_clear(&err);
    /* A directory, FIFO or device is refused before anything opens it. */
    if (bz_file_check_input(path, &err) != BZ_OK) return bz_cli_fail(&err);
    if (bz_h5_sweep_detect(path)) {
        bz_sweep_data d;
        if (bz_h5_sweep_read(&d, path, &err) != BZ_OK) return bz_cli_fail(&err);
        bz_sweep_data_destroy(&d);
        *kind = KIND_SWEEP;
    } else if (bz_h5_optimize_detect(path)) {
        bz_h5_optimize_summary s;
        if (bz_h5_optimize_read_summary(path, &s, &err) != BZ_OK) return bz_cli_fail(&err);
        bz_h5_optimize_summary_destroy(&s);
        *kind = KIND_OPTIMIZE;
    } else {
        if (bz_h5_read_meta(&res, NULL, path, &err) != BZ_OK) return bz_cli_fail(&err);
        *kind = res.n_arms == 0 ? KIND_NETWORK : KIND_RESULTS;
        bz_results_destroy(&res);
    }
    return BZ_OPTS_CONTINUE;
}

/* The absolute paths gnuplot is given. */
typedef struct plot_paths {
    char exe[PATH_MAX], file[PATH_MAX], outdir[PATH_MAX], scripts[PATH_MAX];
} plot_paths;

/* Find this executable and the scripts, create the output directory and
 * check it writable, resolve everything to absolute paths that gnuplot can
 * be given safely. Returns BZ_OPTS_CONTINUE or the exit status (reported). */
static int resolve_paths(const plot_opts *o, plot_paths *p)
{
    char outdir[PATH_MAX];
    bz_error err;
    bz_error_clear(&err);
    ssize_t n = readlink("/proc/self/exe", p->exe, sizeof p->exe - 1);
    if (n <= 0) {
        fprintf(stderr, "buzzsim: cannot find this executable (/proc/self/exe): %s\n",
                strerror(errno));
        return 1;
    }
    p->exe[n] = '\0';
    const char *plots = bz_cli_plots_dir();
    if (o->outdir)
        snprintf(outdir, sizeof outdir, "%s", o->outdir);
    else
        default_outdir(o->path, outdir, sizeof outdir);
    if (make_dirs(outdir) != 0) {
        fprintf(stderr, "buzzsim: cannot create directory '%s': %s\n", outdir, strerror(errno));
        return 2;
    }
    /* Up front: a read-only directory would give a page of gnuplot errors. */
    if (bz_file_check_output_dir(outdir, &err) != BZ_OK) return bz_cli_fail(&err);
    if (!realpath(o->path, p->file) || !realpath(outdir, p->outdir)) {
        fprintf(stderr, "buzzsim: cannot resolve '%s' or '%s': %s\n", o->path, outdir,
                strerror(errno));
        return 1;
    }
    if (!realpath(plots, p->scripts)) {
        fprintf(stderr, "buzzsim: plot scripts not found in '%s' (set BUZZSIM_PLOTS)\n", plots);
        return 1;
    }
    if (refuse_quote("file", p->file) || refuse_quote("output directory", p->outdir) ||
        refuse_quote("executable", p->exe) || refuse_quote("plots directory", p->scripts))
        return 2;
    return BZ_OPTS_CONTINUE;
}

/* Run the scripts of the file's kind in turn, stopping at the first
 * failure. Returns the exit status. */
static int run_scripts(const plot_paths *p, const char *format, int kind)
{
    char vars[5 * PATH_MAX + 128];
    snprintf(vars, sizeof vars, "file='%s'; outdir='%s'; fmt='%s'; buzzsim='%s'; plotsdir='%s'%s",
             p->file, p->outdir, format, p->exe, p->scripts, kind_vars[kind]);
    struct dirent **list = NULL;
    int count = scandir(p->scripts, &list, is_script, alphasort);
    if (count <= 0) {
        fprintf(stderr, "buzzsim: no plot scripts (*.gp) in '%s'\n", p->scripts);
        free(list);
        return 1;
    }
    int failed = 0, figures = 0;
    fflush(stdout);
    for (int i = 0; i < count; i++) {
        char script[PATH_MAX + 256];
        snprintf(script, sizeof script, "%s/%s", p->scripts, list[i]->d_name);
        const int skip = !script_of_kind(list[i]->d_name, kind);
        free(list[i]);
        if (skip || failed) continue; /* after a failure: the disk or gnuplot is broken */
        fflush(stdout);
        int rc = run_script(script, vars, p->outdir, format, &figures);
        if (rc < 0) fprintf(stderr, "buzzsim: cannot run gnuplot: %s\n", strerror(errno));
        failed = rc != 0;
    }
    free(list);
    if (failed) return 1;
    if (figures == 0) fprintf(stderr, "buzzsim: no figures were written\n");
    return 0;
}

int bz_cmd_plot(int argc, char **argv)
{
    plot_opts o;
    plot_paths paths;
    int kind = KIND_RESULTS, rc = bz_opts_parse(&bz_plot_command, argc, argv, &o);
    if (rc != BZ_OPTS_CONTINUE) return rc;
    bz_h5_skip_exit_cleanup(); /* untrusted file: see io/h5.h */
    if ((rc = inspect(o.path, &kind)) != BZ_OPTS_CONTINUE) return rc;
    if (!in_path("gnuplot")) {
        fprintf(stderr, "buzzsim: gnuplot not found: install gnuplot-nox\n");
        return 1;
    }
    if ((rc = resolve_paths(&o, &paths)) != BZ_OPTS_CONTINUE) return rc;
    return run_scripts(&paths, formats[o.format], kind);
}
