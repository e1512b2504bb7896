/* Benchmark: barabasi_albert (n agents, m edges per node) + SIR, buzzsim
 * against igraph (igraph_barabasi_game with the psumtree algorithm,
 * igraph_sir) on the same sizes and rates. Prints seconds, edges built per
 * second, (infections + recoveries) per second, peak memory, and ratios.
 *
 *   bench_sir [--n N] [--m M] [--beta B] [--gamma G] [--dt DAYS] [--threads T]
 *             [--no-igraph] [--igraph-runs K]
 *
 * The two sides run in separate child processes so that each one's peak
 * resident memory (ru_maxrss) is its own. igraph_sir is continuous time
 * (Gillespie); buzzsim's SIR is discrete time with step dt: the comparison
 * is events simulated per second, on the same graph model and rates.
 * The default rates are dyadic (1/16, 1/2): igraph 0.10.2 sums rates in a
 * prefix-sum tree and, with rates like 0.05, rounding makes a weight
 * slightly negative and igraph_sir fails ("negative or non-finite weight"). */
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
#include "core/model.h"
#include "core/run.h"
#include "rng/rng.h"
#ifdef BZ_HAVE_IGRAPH
#include <igraph/igraph.h>
#endif

typedef struct opts {
    long n, m;
    double beta, gamma, dt;
    int threads, igraph;
    long igraph_runs;
} opts;

typedef struct result {
    double build_s, sim_s, edges, events, contacts, rss_mb;
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

static void run_buzzsim(const opts *o, result *r)
{
    char yaml[1024];
    /* Horizon: long enough for the epidemic to end (about 30 / gamma). */
    snprintf(
        yaml, sizeof yaml,
        "name: bench\nseed: 1\ntime: { step: %gd, horizon: %gd }\nreplicates: 1\n"
        "population: { agents: %ld }\n"
        "network: { layers: [ { name: ba, generator: { model: barabasi_albert, m: %ld } } ] }\n"
        "diffusion: { model: sir, beta: %g, gamma: %g, seeds: 10 }\n",
        o->dt, ceil(30 / o->gamma), o->n, o->m, o->beta, o->gamma);
    bz_experiment x;
    bz_error err;
    bz_world w;
    bz_results res;
    if (bz_experiment_load_string(&x, yaml, "bench", NULL, 0, &err) != BZ_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return;
    }
    double t0 = now();
    if (bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) != BZ_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        bz_experiment_destroy(&x);
        return;
    }
    r->build_s = now() - t0;
    r->edges = (double)bz_layer_edges(&w.net.layers[0]);
    if (bz_results_init(&res, 1, x.n_steps + 1, x.model->n_states, BZ_CH_LAYER0 + 1, 1, 1, &err) ==
        BZ_OK) {
        t0 = now();
        if (bz_run_arm_replicate(&x, &w, 0, 0, &res, &err) == BZ_OK) {
            r->sim_s = now() - t0;
            uint32_t T = res.T;
            double ever = (double)res.arms[0].series[BZ_SER_ADOPTERS][T - 1];
            double rec =
                (double)bz_series_row(res.arms[0].series[BZ_SER_STATES], 1, T, 2, 0)[T - 1];
            r->events = (ever - 10) + rec;
            for (uint32_t t = 0; t < T; t++)
                r->contacts += (double)bz_series_row(res.arms[0].series[BZ_SER_EXPOSURES], 1, T,
                                                     BZ_CH_LAYER0, 0)[t];
            r->ok = 1;
        } else {
            fprintf(stderr, "bench: %s\n", err.msg);
        }
        bz_results_destroy(&res);
    }
    bz_world_destroy(&w);
    bz_experiment_destroy(&x);
    r->rss_mb = peak_rss_mb();
}

#ifdef BZ_HAVE_IGRAPH
static void run_igraph(const opts *o, result *r)
{
    igraph_t g;
    igraph_rng_seed(igraph_rng_default(), 1);
    double t0 = now();
    if (igraph_barabasi_game(&g, o->n, 1.0, o->m, NULL, 0, 1.0, 0, IGRAPH_BARABASI_PSUMTREE,
                             NULL) != IGRAPH_SUCCESS)
        return;
    r->build_s = now() - t0;
    r->edges = (double)igraph_ecount(&g);
    /* One initial infective per run (igraph's choice): some runs die out
     * at once, so run several and rate the total. */
    igraph_vector_ptr_t result;
    igraph_vector_ptr_init(&result, 0);
    t0 = now();
    if (igraph_sir(&g, o->beta, o->gamma, o->igraph_runs, &result) == IGRAPH_SUCCESS) {
        r->sim_s = now() - t0;
        for (long k = 0; k < igraph_vector_ptr_size(&result); k++) {
            igraph_sir_t *s = VECTOR(result)[k];
            r->events += (double)igraph_vector_size(&s->times) - 1;
            igraph_sir_destroy(s);
            igraph_free(s);
        }
        r->ok = 1;
    }
    igraph_vector_ptr_destroy(&result);
    igraph_destroy(&g);
    r->rss_mb = peak_rss_mb();
}
#endif

/* Run fn in a child so its peak memory is its own; the result comes back
 * through a pipe. */
static int in_child(void (*fn)(const opts *, result *), const opts *o, result *r)
{
    int fd[2];
    if (pipe(fd)) return -1;
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

/* Bytes per edge after granting 64 bytes per agent: the memory
 * budget is 12 bytes per undirected edge + 64 per agent. */
static void print(const char *who, const result *r, long n)
{
    double per_edge = (r->rss_mb * 1048576.0 - 64.0 * (double)n) / r->edges;
    printf("%-8s build %7.3f s %7.2f M edges/s | SIR %7.3f s %6.2f M events %7.2f M events/s | "
           "peak %7.1f MB = %.1f B/edge + 64 B/agent\n",
           who, r->build_s, r->edges / r->build_s / 1e6, r->sim_s, r->events / 1e6,
           r->events / r->sim_s / 1e6, r->rss_mb, per_edge);
    if (r->contacts > 0)
        printf("         %.2f M contacts made (%.1f per event), %.1f M contacts/s\n",
               r->contacts / 1e6, r->contacts / r->events, r->contacts / r->sim_s / 1e6);
}

int main(int argc, char **argv)
{
    opts o = {1000000, 10, 0.0625, 0.5, 0.05, 0, 1, 5};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--n") && i + 1 < argc)
            o.n = atol(argv[++i]);
        else if (!strcmp(argv[i], "--m") && i + 1 < argc)
            o.m = atol(argv[++i]);
        else if (!strcmp(argv[i], "--beta") && i + 1 < argc)
            o.beta = atof(argv[++i]);
        else if (!strcmp(argv[i], "--gamma") && i + 1 < argc)
            o.gamma = atof(argv[++i]);
        else if (!strcmp(argv[i], "--dt") && i + 1 < argc)
            o.dt = atof(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            o.threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-igraph"))
            o.igraph = 0;
        else if (!strcmp(argv[i], "--igraph-runs") && i + 1 < argc)
            o.igraph_runs = atol(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_sir [--n N] [--m M] [--beta B] [--gamma G] [--dt D] "
                            "[--threads T] [--no-igraph]\n");
            return 2;
        }
    }
    if (o.threads > 0) omp_set_num_threads(o.threads);
    printf("barabasi_albert n=%ld m=%ld; SIR beta=%g/day per tie, gamma=%g/day; buzzsim dt=%g "
           "day; %d threads\n",
           o.n, o.m, o.beta, o.gamma, o.dt, omp_get_max_threads());
    result b = {0}, g = {0};
    if (in_child(run_buzzsim, &o, &b)) {
        fprintf(stderr, "bench: buzzsim side failed\n");
        return 1;
    }
    print("buzzsim", &b, o.n);
#ifdef BZ_HAVE_IGRAPH
    if (o.igraph) {
        if (in_child(run_igraph, &o, &g)) {
            fprintf(stderr, "bench: igraph side failed\n");
            return 1;
        }
        print("igraph", &g, o.n);
        printf("ratio    build rate %.1fx  event rate %.1fx  memory %.2fx\n",
               (b.edges / b.build_s) / (g.edges / g.build_s),
               (b.events / b.sim_s) / (g.events / g.sim_s), b.rss_mb / g.rss_mb);
    }
#else
    (void)g;
    printf("igraph   not available (install libigraph-dev and rebuild)\n");
#endif
    return 0;
}
