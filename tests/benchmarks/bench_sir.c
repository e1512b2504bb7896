/* Benchmark: SIR on a barabasi_albert network, buzzsim against igraph_sir
 * (Gillespie, continuous time) and graph-tool's SIRState (discrete time,
 * Debian's python3-graph-tool), on the same edge list and rates.
 *
 *   bench_sir [--n N[,N...]] [--m M] [--beta B] [--gamma G] [--steps S[,S...]]
 *             [--repeat K] [--threads T] [--no-igraph] [--no-graph-tool]
 *             [--gt-seconds SEC]
 *
 * Defaults: n = 200000 and 1000000, m = 10, beta = 1/16 per tie per day,
 * gamma = 1/2 per day, output steps 1m, 1h, 1d, 3 repeats, 1 thread.
 * Events are infections + recoveries, counted the same way for every tool.
 *
 * buzzsim builds the network (timed) and writes its edges to a temporary
 * binary file that igraph (igraph_create) and graph-tool (gt_sir.py) read,
 * so all three simulate the same graph. buzzsim runs in continuous time at
 * every output step (the step only samples the series); each step is run
 * `repeat` times on different replicates and the best and median events per
 * second are printed. igraph_sir is continuous time, so one figure serves
 * every step. graph-tool's SIR is discrete: each step dt gives per-step
 * probabilities 1 - exp(-rate dt), and fine steps run for at most
 * --gt-seconds; such a run is extrapolated from its cost per step and the
 * events and steps of the nearest coarser step that finished (marked
 * "extrapolated"). Every side runs in its own child process, so its peak
 * resident memory is its own.
 *
 * The rates are dyadic (1/16, 1/2) because igraph 0.10.2 sums rates in a
 * prefix-sum tree and, with rates like 0.05, rounding makes a weight
 * slightly negative and igraph_sir fails ("negative or non-finite weight").
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/experiment.h"
#include "engine/model.h"
#include "engine/run.h"
#include "rng/rng.h"
#ifdef BZ_HAVE_IGRAPH
#include <igraph/igraph.h>
#endif

#define MAX_LIST 8

typedef struct opts {
    long n[MAX_LIST];
    int n_n;
    double steps[MAX_LIST]; /* days */
    char step_names[MAX_LIST][16];
    int n_steps;
    long m, repeat;
    double beta, gamma, gt_seconds;
    int threads, igraph, graph_tool;
    long n_now; /* the n being measured */
    char edges[256];
} opts;

/* What one side reports back through the pipe. */
typedef struct result {
    double build_s, edges, rss_mb;
    double best[MAX_LIST], median[MAX_LIST], secs[MAX_LIST], events[MAX_LIST];
    double gt_steps[MAX_LIST];
    int gt_done[MAX_LIST];
    int ok;
} result;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* ---- buzzsim ---- */

static int load(const opts *o, double step, bz_experiment *x)
{
    char yaml[1024];
    bz_error err;
    /* Horizon: long enough for the epidemic to end (about 30 / gamma). */
    snprintf(yaml, sizeof yaml,
             "name: bench\nseed: 1\ntime: { step: %.17gd, horizon: %gd }\nreplicates: %ld\n"
             "population: { agents: %ld }\n"
             "network: { layers: [ { name: ba, generator: { model: barabasi_albert, m: %ld } } "
             "] }\n"
             "diffusion: { model: sir, beta: %.17g, gamma: %.17g, seeds: 10 }\n",
             step, ceil(30 / o->gamma), o->repeat, o->n_now, o->m, o->beta, o->gamma);
    if (bz_experiment_load_string(x, yaml, "bench", NULL, 0, &err) != BZ_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return -1;
    }
    return 0;
}

/* Undirected edges u < v as little-endian uint32 pairs. */
static int write_edges(const bz_layer *l, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    uint32_t buf[2 * 4096];
    size_t k = 0;
    for (uint32_t u = 0; u < l->n; u++)
        for (uint64_t j = l->offsets[u]; j < l->offsets[u + 1]; j++) {
            if (l->targets[j] <= u) continue;
            buf[k++] = u;
            buf[k++] = l->targets[j];
            if (k == sizeof buf / sizeof buf[0]) {
                if (fwrite(buf, sizeof buf[0], k, f) != k) break;
                k = 0;
            }
        }
    int ok = fwrite(buf, sizeof buf[0], k, f) == k;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static void run_buzzsim(const opts *o, result *r)
{
    bz_experiment x;
    bz_world w;
    bz_error err;
    if (load(o, o->steps[0], &x)) return;
    double t0 = now();
    if (bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) != BZ_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        bz_experiment_destroy(&x);
        return;
    }
    r->build_s = now() - t0;
    r->edges = (double)bz_layer_edges(&w.net.layers[0]);
    if (write_edges(&w.net.layers[0], o->edges)) {
        fprintf(stderr, "bench: cannot write %s\n", o->edges);
        return;
    }
    bz_experiment_destroy(&x);
    for (int s = 0; s < o->n_steps; s++) {
        if (load(o, o->steps[s], &x)) return;
        bz_results res;
        if (bz_results_init(&res, (uint32_t)o->repeat, x.n_steps + 1, x.model->n_states,
                            BZ_CH_LAYER0 + 1, 1, 1, &err) != BZ_OK)
            return;
        double rate[64], total_s = 0, total_ev = 0;
        const long K = o->repeat < 64 ? o->repeat : 64;
        for (long k = 0; k < K; k++) {
            t0 = now();
            if (bz_run_arm_replicate(&x, &w, 0, (uint32_t)k, &res, NULL, &err) != BZ_OK) {
                fprintf(stderr, "bench: %s\n", err.msg);
                return;
            }
            const double dt = now() - t0;
            const uint32_t T = res.T;
            const int64_t *adopters = res.arms[0].series[BZ_SER_ADOPTERS] + (size_t)k * T;
            const int64_t *rec = bz_series_row(res.arms[0].series[BZ_SER_STATES], res.R, T, 2, k);
            const double ev = (double)(adopters[T - 1] - 10) + (double)rec[T - 1];
            rate[k] = ev / dt;
            total_s += dt;
            total_ev += ev;
        }
        qsort(rate, (size_t)K, sizeof rate[0], cmp_double);
        r->best[s] = rate[K - 1];
        r->median[s] = rate[K / 2];
        r->secs[s] = total_s / (double)K;
        r->events[s] = total_ev / (double)K;
        bz_results_destroy(&res);
        bz_experiment_destroy(&x);
    }
    bz_world_destroy(&w);
    r->rss_mb = peak_rss_mb();
    r->ok = 1;
}

/* ---- igraph ---- */

#ifdef BZ_HAVE_IGRAPH
static void run_igraph(const opts *o, result *r)
{
    FILE *f = fopen(o->edges, "rb");
    if (!f) return;
    fseek(f, 0, SEEK_END);
    const long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    const long k = bytes / 4;
    uint32_t *raw = malloc((size_t)bytes);
    if (!raw || fread(raw, 4, (size_t)k, f) != (size_t)k) {
        fclose(f);
        free(raw);
        return;
    }
    fclose(f);
    igraph_rng_seed(igraph_rng_default(), 1);
    double t0 = now();
    igraph_vector_int_t ev;
    igraph_vector_int_init(&ev, k);
    for (long i = 0; i < k; i++)
        VECTOR(ev)[i] = raw[i];
    free(raw);
    igraph_t g;
    if (igraph_create(&g, &ev, (igraph_integer_t)o->n_now, IGRAPH_UNDIRECTED) != IGRAPH_SUCCESS)
        return;
    igraph_vector_int_destroy(&ev);
    r->build_s = now() - t0;
    r->edges = (double)igraph_ecount(&g);
    /* One initial infective per run (igraph's choice): some runs die out at
     * once, so run several and rate the total. */
    double rate[64];
    const long K = o->repeat < 64 ? o->repeat : 64;
    double total_s = 0, total_ev = 0;
    for (long rep = 0; rep < K; rep++) {
        igraph_vector_ptr_t result;
        igraph_vector_ptr_init(&result, 0);
        t0 = now();
        if (igraph_sir(&g, o->beta, o->gamma, 3, &result) != IGRAPH_SUCCESS) return;
        const double dt = now() - t0;
        double events = 0;
        for (long j = 0; j < igraph_vector_ptr_size(&result); j++) {
            igraph_sir_t *s = VECTOR(result)[j];
            events += (double)igraph_vector_size(&s->times) - 1;
            igraph_sir_destroy(s);
            igraph_free(s);
        }
        igraph_vector_ptr_destroy(&result);
        rate[rep] = events / dt;
        total_s += dt;
        total_ev += events;
    }
    qsort(rate, (size_t)K, sizeof rate[0], cmp_double);
    for (int s = 0; s < o->n_steps; s++) {
        r->best[s] = rate[K - 1];
        r->median[s] = rate[K / 2];
        r->secs[s] = total_s / (double)K;
        r->events[s] = total_ev / (double)K;
    }
    igraph_destroy(&g);
    r->rss_mb = peak_rss_mb();
    r->ok = 1;
}
#endif

static void run_igraph_or_none(const opts *o, result *r)
{
#ifdef BZ_HAVE_IGRAPH
    run_igraph(o, r);
#else
    (void)o;
    r->ok = 0;
#endif
}

/* ---- graph-tool ---- */

static void run_graph_tool(const opts *o, result *r)
{
    for (int s = 0; s < o->n_steps; s++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "/usr/bin/python3 %s/tests/benchmarks/gt_sir.py %s %ld %.17g %.17g %.17g %g 1",
                 BZ_SOURCE_DIR, o->edges, o->n_now, o->beta, o->gamma, o->steps[s], o->gt_seconds);
        FILE *p = popen(cmd, "r");
        if (!p) return;
        double build, sim, inf, rec, steps;
        int done;
        const int got =
            fscanf(p, "%lf %lf %lf %lf %lf %d", &build, &sim, &inf, &rec, &steps, &done);
        if (pclose(p) != 0 || got != 6) return;
        r->build_s = build;
        r->best[s] = r->median[s] = (inf + rec) / sim;
        r->secs[s] = sim;
        r->events[s] = inf + rec;
        r->gt_steps[s] = steps;
        r->gt_done[s] = done;
    }
    /* A run cut short by --gt-seconds (fine steps): its rate would count
     * only the epidemic's first hours. Extrapolate instead from the
     * nearest coarser step that finished: as many events, and
     * steps x (coarse / fine) steps at the cost per step measured. */
    for (int s = 0; s < o->n_steps; s++) {
        if (r->gt_done[s]) continue;
        int c = -1;
        for (int q = 0; q < o->n_steps; q++)
            if (r->gt_done[q] && o->steps[q] > o->steps[s] && (c < 0 || o->steps[q] < o->steps[c]))
                c = q;
        if (c < 0 || !(r->gt_steps[s] > 0)) continue;
        const double steps_full = r->gt_steps[c] * o->steps[c] / o->steps[s];
        const double secs_full = r->secs[s] / r->gt_steps[s] * steps_full;
        r->events[s] = r->events[c];
        r->secs[s] = secs_full;
        r->best[s] = r->median[s] = r->events[c] / secs_full;
        r->gt_done[s] = -1; /* extrapolated */
    }
    r->ok = 1;
}

/* Run fn in a child so its peak memory is its own; the result comes back
 * through a pipe. */
static int in_child(void (*fn)(const opts *, result *), const opts *o, result *r)
{
    int fd[2];
    if (pipe(fd)) return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(fd[0]);
        result mine = {0};
        fn(o, &mine);
        ssize_t w = write(fd[1], &mine, sizeof mine);
        _exit(w == (ssize_t)sizeof mine ? 0 : 1);
    }
    close(fd[1]);
    ssize_t got = read(fd[0], r, sizeof *r);
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    return got == (ssize_t)sizeof *r && r->ok ? 0 : -1;
}

static int parse_steps(const char *arg, opts *o)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", arg);
    o->n_steps = 0;
    for (char *tok = strtok(buf, ","); tok && o->n_steps < MAX_LIST; tok = strtok(NULL, ",")) {
        char *end;
        double v = strtod(tok, &end);
        double unit = !strcmp(end, "s")   ? 1.0 / 86400
                      : !strcmp(end, "m") ? 1.0 / 1440
                      : !strcmp(end, "h") ? 1.0 / 24
                      : !strcmp(end, "d") ? 1.0
                                          : NAN;
        if (!(v > 0) || isnan(unit)) return -1;
        o->steps[o->n_steps] = v * unit;
        snprintf(o->step_names[o->n_steps], sizeof o->step_names[0], "%s", tok);
        o->n_steps++;
    }
    return o->n_steps ? 0 : -1;
}

static int parse_n(const char *arg, opts *o)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", arg);
    o->n_n = 0;
    for (char *tok = strtok(buf, ","); tok && o->n_n < MAX_LIST; tok = strtok(NULL, ","))
        if ((o->n[o->n_n++] = atol(tok)) < 100) return -1;
    return o->n_n ? 0 : -1;
}

int main(int argc, char **argv)
{
    opts o = {.m = 10,
              .repeat = 3,
              .beta = 0.0625,
              .gamma = 0.5,
              .gt_seconds = 60,
              .threads = 1,
              .igraph = 1,
              .graph_tool = 1};
    parse_n("200000,1000000", &o);
    parse_steps("1m,1h,1d", &o);
    for (int i = 1; i < argc; i++) {
        const int more = i + 1 < argc;
        if (!strcmp(argv[i], "--n") && more) {
            if (parse_n(argv[++i], &o)) goto usage;
        } else if (!strcmp(argv[i], "--steps") && more) {
            if (parse_steps(argv[++i], &o)) goto usage;
        } else if (!strcmp(argv[i], "--m") && more) {
            o.m = atol(argv[++i]);
        } else if (!strcmp(argv[i], "--beta") && more) {
            o.beta = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--gamma") && more) {
            o.gamma = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--repeat") && more) {
            o.repeat = atol(argv[++i]);
        } else if (!strcmp(argv[i], "--threads") && more) {
            o.threads = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--gt-seconds") && more) {
            o.gt_seconds = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--no-igraph")) {
            o.igraph = 0;
        } else if (!strcmp(argv[i], "--no-graph-tool")) {
            o.graph_tool = 0;
        } else {
            goto usage;
        }
    }
    if (o.repeat < 1 || o.m < 1) goto usage;
    if (o.threads > 0) omp_set_num_threads(o.threads);
    if (o.graph_tool && system("/usr/bin/python3 -c 'import graph_tool' 2>/dev/null") != 0) {
        printf("graph-tool not available (apt-get install python3-graph-tool): skipped\n");
        o.graph_tool = 0;
    }
#ifndef BZ_HAVE_IGRAPH
    printf("igraph not available (install libigraph-dev and rebuild): skipped\n");
    o.igraph = 0;
#endif
    snprintf(o.edges, sizeof o.edges, "/tmp/bench_sir_%ld.edges", (long)getpid());
    printf("SIR on barabasi_albert (m = %ld), beta = %g per tie per day, gamma = %g per day, 10 "
           "initial infectives (igraph: 1 per run); %d thread(s); events = infections + "
           "recoveries; best and median of %ld runs\n",
           o.m, o.beta, o.gamma, omp_get_max_threads(), o.repeat);
    int status = 0;
    for (int ni = 0; ni < o.n_n; ni++) {
        o.n_now = o.n[ni];
        result b = {0}, ig = {0}, gt = {0};
        if (in_child(run_buzzsim, &o, &b)) {
            fprintf(stderr, "bench: buzzsim side failed\n");
            status = 1;
            break;
        }
        const int have_ig = o.igraph && in_child(run_igraph_or_none, &o, &ig) == 0;
        const int have_gt = o.graph_tool && in_child(run_graph_tool, &o, &gt) == 0;
        printf("\nn = %ld, %.0f edges; build: buzzsim %.3f s (%.1f M edges/s), peak %.0f MB "
               "(%.1f B/edge + 64 B/agent)\n",
               o.n_now, b.edges, b.build_s, b.edges / b.build_s / 1e6, b.rss_mb,
               (b.rss_mb * 1048576.0 - 64.0 * (double)o.n_now) / b.edges);
        if (have_ig) printf("        igraph_sir peak %.0f MB\n", ig.rss_mb);
        printf("%-6s %-24s %-24s %-26s %s\n", "step", "buzzsim M events/s", "igraph_sir M/s",
               "graph-tool SIRState M/s", "ratios (best buzzsim / best peer)");
        for (int s = 0; s < o.n_steps; s++) {
            char c1[64], c2[64] = "-", c3[64] = "-", c4[96] = "";
            snprintf(c1, sizeof c1, "%.2f (med %.2f) %.3f s", b.best[s] / 1e6, b.median[s] / 1e6,
                     b.secs[s]);
            if (have_ig)
                snprintf(c2, sizeof c2, "%.3f (med %.3f)", ig.best[s] / 1e6, ig.median[s] / 1e6);
            if (have_gt)
                snprintf(c3, sizeof c3, "%.4g%s", gt.best[s] / 1e6,
                         gt.gt_done[s] > 0    ? ""
                         : gt.gt_done[s] == 0 ? " (partial)"
                                              : " (extrapolated)");
            size_t u = 0;
            if (have_ig)
                u += (size_t)snprintf(c4 + u, sizeof c4 - u, "%.1fx igraph  ",
                                      b.best[s] / ig.best[s]);
            if (have_gt)
                snprintf(c4 + u, sizeof c4 - u, "%.1fx graph-tool", b.best[s] / gt.best[s]);
            printf("%-6s %-24s %-24s %-26s %s\n", o.step_names[s], c1, c2, c3, c4);
        }
        if (o.n_steps > 1)
            printf("buzzsim cost of a run at %s against %s: %.2fx\n", o.step_names[0],
                   o.step_names[o.n_steps - 1], b.secs[0] / b.secs[o.n_steps - 1]);
    }
    remove(o.edges);
    return status;
usage:
    fprintf(stderr, "usage: bench_sir [--n N[,N...]] [--m M] [--beta B] [--gamma G] "
                    "[--steps 1m,1h,1d] [--repeat K] [--threads T] [--no-igraph] "
                    "[--no-graph-tool] [--gt-seconds SEC]\n");
    return 2;
}
