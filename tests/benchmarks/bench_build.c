/* bench_build: network build rate and peak memory, buzzsim vs igraph.
 *
 *   bench_build [--n N] [--m M] [--mean-degree D] [--cities C] [--threads T]
 *               [--repeat R] [--no-igraph]
 *               [--only ba|gnp|gnm|chung_lu|sbm|holme_kim]
 *
 * Cases: barabasi_albert (n, m) against igraph_barabasi_game (psumtree,
 * undirected, no multi-edges); erdos_renyi G(n, p) with p = D / (n - 1)
 * against igraph_erdos_renyi_game_gnp; G(n, m) with m = n D / 2 against
 * igraph_erdos_renyi_game_gnm; chung_lu (mean_degree D, exponent 2.5)
 * against igraph_static_power_law_game (n D / 2 edges, exponent 2.5,
 * undirected, no loops or multi-edges, finite-size correction); sbm
 * (mean_degree D, within_city 0.85) over C equal cities against
 * igraph_sbm_game with the same blocks and the same within- and
 * between-block probabilities; holme_kim (m = D / 2, p_triad 0.5), which
 * igraph lacks ("-" in its row). buzzsim runs with 1 thread and with T.
 * --no-igraph skips the igraph runs (for sizes igraph cannot hold).
 * n may be written 1e8; it must fit in 32 bits (buzzsim's agent index).
 *
 * sbm: the population (bz_population_init(n, C, zipf_s = 0, seed)) is built
 * in the child before the base resident size is taken, for both sides, so
 * it is not counted in the memory column; its build time is not timed.
 *
 * Every run happens in its own forked child, so the peak resident set
 * (getrusage ru_maxrss) belongs to that run alone; the child also reports
 * its resident size before building, and the table shows the difference.
 * The parent never enters an OpenMP region (libgomp's pool is not
 * fork-safe). Each case runs R times (default 3) and the fastest run is
 * shown (the machine may be shared). Times are wall-clock, build only (generation + CSR for
 * buzzsim; generation + igraph_t indexing for igraph).
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "graph/generator.h"

#ifdef BZ_HAVE_IGRAPH
#include <igraph/igraph.h>
#endif

typedef struct result {
    int ok;
    double seconds;
    double base_kb, peak_kb;
    uint64_t edges;
    char msg[BZ_ERROR_MAX];
} result;

typedef struct options {
    uint32_t n;
    int m;
    double mean_degree;
    uint32_t cities;
    int threads;
    int repeat;
    int igraph;
    const char *only; /* the variant being run: ba, gnp, gnm, chung_lu, sbm, holme_kim */
} options;

enum { BENCH_SEED = 42 };
#define BENCH_EXPONENT 2.5     /* chung_lu / static power law */
#define BENCH_WITHIN_CITY 0.85 /* sbm */
#define BENCH_P_TRIAD 0.5      /* holme_kim */

/* Edges asked of gnm and igraph's static power law: n D / 2, in 64 bits. */
static uint64_t half_nd(const options *o)
{
    return (uint64_t)((double)o->n * o->mean_degree / 2.0 + 0.5);
}

/* holme_kim's m: D / 2 rounded, at least 1. */
static int hk_m(const options *o)
{
    int m = (int)(o->mean_degree / 2.0 + 0.5);
    return m < 1 ? 1 : m;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double rss_kb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024.0);
}

static double maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss;
}

/* ---- the runs (in the child) -------------------------------------------- */
static void run_buzzsim(const char *model, const options *o, int threads, result *r)
{
    omp_set_num_threads(threads);
    const bz_netgen_type *t = bz_netgen_find(model);
    _Alignas(16) unsigned char params[512];
    bz_error err = {0};
    if (!t || t->params_size > sizeof params ||
        bz_params_set_defaults(t->params, t->n_params, params, &err) != BZ_OK) {
        snprintf(r->msg, sizeof r->msg, "no generator %s", model);
        return;
    }
    /* (name, value) pairs to set, by variant */
    char value[2][64];
    const char *name[2] = {NULL, NULL};
    const char *v = o->only;
    if (strcmp(v, "ba") == 0) {
        name[0] = "m", snprintf(value[0], sizeof value[0], "%d", o->m);
    } else if (strcmp(v, "gnm") == 0) {
        name[0] = "edges";
        snprintf(value[0], sizeof value[0], "%llu", (unsigned long long)half_nd(o));
    } else if (strcmp(v, "holme_kim") == 0) {
        name[0] = "m", snprintf(value[0], sizeof value[0], "%d", hk_m(o));
        name[1] = "p_triad", snprintf(value[1], sizeof value[1], "%.17g", BENCH_P_TRIAD);
    } else {
        name[0] = "mean_degree", snprintf(value[0], sizeof value[0], "%.17g", o->mean_degree);
        if (strcmp(v, "chung_lu") == 0)
            name[1] = "exponent", snprintf(value[1], sizeof value[1], "%.17g", BENCH_EXPONENT);
        else if (strcmp(v, "sbm") == 0)
            name[1] = "within_city",
            snprintf(value[1], sizeof value[1], "%.17g", BENCH_WITHIN_CITY);
    }
    for (int i = 0; i < 2 && name[i]; i++) {
        const bz_param *p = bz_params_find(t->params, t->n_params, name[i]);
        if (!p) {
            snprintf(r->msg, sizeof r->msg, "%s has no parameter %s", model, name[i]);
            return;
        }
        if (bz_param_parse(p, value[i], params, &err) != BZ_OK) {
            snprintf(r->msg, sizeof r->msg, "%s", err.msg);
            return;
        }
    }
    if (t->check && t->check(params, o->n, 0, &err) != BZ_OK) {
        snprintf(r->msg, sizeof r->msg, "%s", err.msg);
        return;
    }
    bz_netgen_ctx ctx = {.n = o->n, .seed = BENCH_SEED, .params = params};
    bz_population pop;
    int have_pop = 0;
    if (strcmp(v, "sbm") == 0) {
        if (bz_population_init(&pop, o->n, o->cities, 0.0, BENCH_SEED, &err) != BZ_OK) {
            snprintf(r->msg, sizeof r->msg, "%s", err.msg);
            return;
        }
        have_pop = 1;
        ctx.pop = &pop;
    }
    uint32_t n_agents;
    bz_layer l;
    r->base_kb = rss_kb();
    double t0 = now();
    int status = t->prepare ? t->prepare(&ctx, &ctx.state, &n_agents, &err) : BZ_OK;
    if (status == BZ_OK) status = bz_layer_build(&l, t, &ctx, "bench", &err);
    r->seconds = now() - t0;
    if (t->release) t->release(ctx.state);
    if (status == BZ_OK) {
        r->peak_kb = maxrss_kb();
        r->edges = bz_layer_edges(&l);
        r->ok = 1;
        bz_layer_destroy(&l);
    } else {
        snprintf(r->msg, sizeof r->msg, "%s", err.msg);
    }
    if (have_pop) bz_population_destroy(&pop);
}

#ifdef BZ_HAVE_IGRAPH
/* sbm: the blocks of buzzsim's population (same n, C, zipf_s = 0, seed)
 * and a preference matrix with sbm.c's probabilities: within city c
 * min(1, s D / (n_c - 1)), between cities p_out = n (1 - s) D / 2 over the
 * number of between-city pairs. The population stays alive in *pop so that
 * both sides run with it resident. */
static int sbm_blocks(const options *o, bz_population *pop, igraph_vector_int_t *sizes,
                      igraph_matrix_t *pref, char *msg, size_t msg_size)
{
    bz_error err = {0};
    if (bz_population_init(pop, o->n, o->cities, 0.0, BENCH_SEED, &err) != BZ_OK) {
        snprintf(msg, msg_size, "%s", err.msg);
        return -1;
    }
    const uint32_t C = pop->n_cities;
    if (igraph_vector_int_init(sizes, C) != IGRAPH_SUCCESS) {
        bz_population_destroy(pop);
        snprintf(msg, msg_size, "igraph: out of memory");
        return -1;
    }
    if (igraph_matrix_init(pref, C, C) != IGRAPH_SUCCESS) {
        igraph_vector_int_destroy(sizes);
        bz_population_destroy(pop);
        snprintf(msg, msg_size, "igraph: out of memory");
        return -1;
    }
    const double s = C > 1 ? BENCH_WITHIN_CITY : 1.0, n = (double)o->n;
    double sum_sq = 0;
    for (uint32_t c = 0; c < C; c++) {
        uint64_t nc = pop->city_offsets[c + 1] - pop->city_offsets[c];
        VECTOR(*sizes)[c] = (igraph_integer_t)nc;
        sum_sq += (double)nc * (double)nc;
    }
    double between = (n * n - sum_sq) / 2.0;
    double want = n * (1.0 - s) * o->mean_degree / 2.0;
    double p_out = between > 0 && want > 0 ? fmin(1.0, want / between) : 0.0;
    for (uint32_t a = 0; a < C; a++)
        for (uint32_t b = 0; b < C; b++) {
            double nc = (double)VECTOR(*sizes)[a];
            MATRIX(*pref, a, b) = a != b   ? p_out
                                  : nc < 2 ? 0.0
                                           : fmin(1.0, s * o->mean_degree / (nc - 1.0));
        }
    return 0;
}

static void run_igraph(const char *model, const options *o, result *r)
{
    (void)model;
    igraph_t g;
    igraph_rng_seed(igraph_rng_default(), BENCH_SEED);
    const char *v = o->only;
    bz_population pop;
    igraph_vector_int_t sizes;
    igraph_matrix_t pref;
    int sbm = strcmp(v, "sbm") == 0;
    if (sbm && sbm_blocks(o, &pop, &sizes, &pref, r->msg, sizeof r->msg) != 0) return;
    r->base_kb = rss_kb();
    double t0 = now();
    igraph_error_t e;
    if (strcmp(v, "ba") == 0)
        e = igraph_barabasi_game(&g, o->n, 1.0, o->m, NULL, 1, 1.0, 0, IGRAPH_BARABASI_PSUMTREE,
                                 NULL);
    else if (strcmp(v, "gnm") == 0)
        e = igraph_erdos_renyi_game_gnm(&g, o->n, (igraph_integer_t)half_nd(o), 0, 0);
    else if (strcmp(v, "chung_lu") == 0)
        e = igraph_static_power_law_game(&g, o->n, (igraph_integer_t)half_nd(o), BENCH_EXPONENT,
                                         -1.0, 0, 0, 1);
    else if (sbm)
        e = igraph_sbm_game(&g, o->n, &pref, &sizes, 0, 0);
    else
        e = igraph_erdos_renyi_game_gnp(&g, o->n, o->mean_degree / (o->n - 1.0), 0, 0);
    r->seconds = now() - t0;
    if (e == IGRAPH_SUCCESS) {
        r->peak_kb = maxrss_kb();
        r->edges = (uint64_t)igraph_ecount(&g);
        r->ok = 1;
        igraph_destroy(&g);
    } else {
        snprintf(r->msg, sizeof r->msg, "igraph error %d", (int)e);
    }
    if (sbm) {
        igraph_matrix_destroy(&pref);
        igraph_vector_int_destroy(&sizes);
        bz_population_destroy(&pop);
    }
}
#endif

/* Fork, run one case in the child, read its result through a pipe. */
static result in_child(const char *impl, const char *model, const options *o, int threads)
{
    result r;
    memset(&r, 0, sizeof r);
    int fd[2];
    if (pipe(fd) != 0) {
        snprintf(r.msg, sizeof r.msg, "pipe failed");
        return r;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        if (strcmp(impl, "buzzsim") == 0) run_buzzsim(model, o, threads, &r);
#ifdef BZ_HAVE_IGRAPH
        else
            run_igraph(model, o, &r);
#endif
        ssize_t w = write(fd[1], &r, sizeof r);
        _exit(w == (ssize_t)sizeof r ? 0 : 1);
    }
    close(fd[1]);
    if (pid < 0 || read(fd[0], &r, sizeof r) != (ssize_t)sizeof r) {
        memset(&r, 0, sizeof r);
        snprintf(r.msg, sizeof r.msg, "child failed");
    }
    close(fd[0]);
    if (pid > 0) waitpid(pid, NULL, 0);
    return r;
}

static void print_row(const char *label, const char *impl, int threads, const options *o,
                      const result *r, double ref_seconds)
{
    if (!r->ok) {
        printf("%-16s %-8s %2d  failed: %s\n", label, impl, threads, r->msg);
        return;
    }
    double mb = (r->peak_kb - r->base_kb) / 1024.0;
    double bytes = (r->peak_kb - r->base_kb) * 1024.0;
    double budget = 10.0 * r->edges + 64.0 * o->n; /* issue #3: buzzsim at most 1.0 */
    printf("%-16s %-8s %2d %10llu %8.3f %9.2f %9.1f %8.2f %7.2f", label, impl, threads,
           (unsigned long long)r->edges, r->seconds, r->edges / r->seconds / 1e6, mb,
           bytes / r->edges, bytes / budget);
    if (ref_seconds > 0) printf(" %8.1fx", ref_seconds / r->seconds);
    printf("\n");
}

/* Best time of o->repeat runs (each in its own child): on a shared machine
 * the minimum is the least disturbed measurement. */
static result best_of(const char *impl, const char *model, const options *o, int threads)
{
    result best = in_child(impl, model, o, threads);
    for (int i = 1; i < o->repeat && best.ok; i++) {
        result r = in_child(impl, model, o, threads);
        if (r.ok && r.seconds < best.seconds) best = r;
    }
    return best;
}

/* igraph_ok: igraph has an equivalent generator (holme_kim: it has not,
 * and its row shows "-"). */
static void bench(const char *label, const char *model, options *o, const char *variant,
                  int igraph_ok)
{
    o->only = variant;
    double ref = 0;
#ifdef BZ_HAVE_IGRAPH
    if (o->igraph && igraph_ok) {
        result ig = best_of("igraph", model, o, 1);
        print_row(label, "igraph", 1, o, &ig, 0);
        if (ig.ok) ref = ig.seconds;
    } else if (o->igraph) {
        printf("%-16s %-8s %2s %10s %8s %9s %9s %8s %7s\n", label, "igraph", "-", "-", "-", "-",
               "-", "-", "-");
    }
#else
    (void)igraph_ok;
#endif
    result one = best_of("buzzsim", model, o, 1);
    print_row(label, "buzzsim", 1, o, &one, ref);
    if (o->threads > 1) {
        result many = best_of("buzzsim", model, o, o->threads);
        print_row(label, "buzzsim", o->threads, o, &many, ref);
    }
}

int main(int argc, char **argv)
{
    options o = {1000000, 10, 20.0, 20, 2, 3, 1, "all"};
    const char *only = "all";
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--n") == 0 && v) {
            /* 64-bit parse (1e8 accepted); buzzsim indexes agents in 32 bits */
            char *end;
            double x = strtod(v, &end);
            if (*end || !(x >= 100 && x <= (double)UINT32_MAX) || x != (double)(uint64_t)x)
                bad = 1;
            else
                o.n = (uint32_t)(uint64_t)x;
            i++;
        } else if (strcmp(a, "--cities") == 0 && v) {
            long long c = atoll(v);
            if (c < 1 || c > (long long)UINT32_MAX)
                bad = 1;
            else
                o.cities = (uint32_t)c;
            i++;
        } else if (strcmp(a, "--no-igraph") == 0)
            o.igraph = 0;
        else if (strcmp(a, "--m") == 0 && v)
            o.m = atoi(v), i++;
        else if (strcmp(a, "--mean-degree") == 0 && v)
            o.mean_degree = atof(v), i++;
        else if (strcmp(a, "--threads") == 0 && v)
            o.threads = atoi(v), i++;
        else if (strcmp(a, "--repeat") == 0 && v)
            o.repeat = atoi(v), i++;
        else if (strcmp(a, "--only") == 0 && v)
            only = v, i++;
        else {
            fprintf(stderr,
                    "usage: %s [--n N] [--m M] [--mean-degree D] [--cities C] [--threads T] "
                    "[--repeat R] [--no-igraph] [--only ba|gnp|gnm|chung_lu|sbm|holme_kim]\n",
                    argv[0]);
            return 2;
        }
    }
    int known = 0;
    const char *variants[] = {"all", "ba", "gnp", "gnm", "chung_lu", "sbm", "holme_kim"};
    for (size_t k = 0; k < sizeof variants / sizeof *variants; k++)
        known |= strcmp(only, variants[k]) == 0;
    if (!known) {
        fprintf(stderr, "bench_build: unknown case --only %s\n", only);
        return 2;
    }
    if (bad || o.n < 100 || o.cities > o.n || o.m < 1 || o.threads < 1 || o.repeat < 1 ||
        o.mean_degree <= 0) {
        fprintf(stderr, "bench_build: bad sizes\n");
        return 2;
    }
#ifndef BZ_HAVE_IGRAPH
    printf("(built without igraph: no comparison)\n");
#endif
    if (!o.igraph) printf("(--no-igraph: igraph runs skipped)\n");
    printf("n = %u, BA m = %d, mean degree D = %g (ER, chung_lu exponent %g, sbm %u cities "
           "within %g, holme_kim m = %d p_triad %g); memory = peak RSS increase of the run; "
           "budget = 10 B/edge + 64 B/agent (issue #3)\n",
           o.n, o.m, o.mean_degree, BENCH_EXPONENT, o.cities, BENCH_WITHIN_CITY, hk_m(&o),
           BENCH_P_TRIAD);
    printf("%-16s %-8s %2s %10s %8s %9s %9s %8s %7s %9s\n", "case", "impl", "th", "edges",
           "seconds", "Medges/s", "peak MB", "B/edge", "budget", "speedup");
    if (!strcmp(only, "all") || !strcmp(only, "ba"))
        bench("barabasi_albert", "barabasi_albert", &o, "ba", 1);
    if (!strcmp(only, "all") || !strcmp(only, "gnp"))
        bench("erdos_renyi gnp", "erdos_renyi", &o, "gnp", 1);
    if (!strcmp(only, "all") || !strcmp(only, "gnm"))
        bench("erdos_renyi gnm", "erdos_renyi", &o, "gnm", 1);
    if (!strcmp(only, "all") || !strcmp(only, "chung_lu"))
        bench("chung_lu", "chung_lu", &o, "chung_lu", 1);
    if (!strcmp(only, "all") || !strcmp(only, "sbm")) bench("sbm", "sbm", &o, "sbm", 1);
    if (!strcmp(only, "all") || !strcmp(only, "holme_kim"))
        bench("holme_kim", "holme_kim", &o, "holme_kim", 0);
    return 0;
}
