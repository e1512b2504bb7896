/* configuration: the erased configuration model (Bender & Canfield 1978;
 * Molloy & Reed 1995) for a given degree sequence.
 *
 * Degrees come from a file (`path`: one non-negative integer per line, in
 * agent order; blank lines and lines starting with '#' are skipped; the
 * number of degrees must equal n) or are drawn per agent from `degrees`:
 *   poisson   Poisson(mean_degree);
 *   powerlaw  floor(x) with x Pareto, P(x > t) = (x_min / t)^(exponent - 1),
 *             x_min = (mean_degree + 1/2)(exponent - 2)/(exponent - 1) so
 *             that the mean is about mean_degree (capped at n - 1, which
 *             lowers it a little for heavy tails);
 *   fixed     floor(mean_degree), plus one with probability equal to the
 *             fractional part.
 * Draws use fixed blocks of 4096 agents, each with its own stream.
 *
 * Agent u gets k_u stubs; the stubs are put in a uniformly random order by a
 * sequential Fisher-Yates shuffle (streams keyed by chunks of 2^22
 * positions, so the order is a pure function of the seed) and consecutive
 * stubs are paired. If the stub count is odd the last stub of the shuffled
 * order (a random agent's) is dropped. Self-loops and repeated edges are
 * dropped by the builder and counted in the layer ("erased"), so an agent's
 * final degree can fall below k_u; for sequences with a finite second moment
 * the loss is O(<k^2>^2 / <k>^2) edges in total, a vanishing share (about
 * 0.05% for Poisson(10) at n = 10^5, tested).
 *
 * Cost: O(n + m) but the shuffle is sequential (random accesses over the
 * stub array: about 10^7 stubs per second). Memory: the pairing, 4 bytes
 * per stub (8 per edge), made on the first generate() call of a build and
 * kept in prepare()'s state until release(), plus 12 bytes per agent while
 * it is made; a file's degrees take 4 bytes per agent from prepare() on.
 * Undirected only.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "graph/generator.h"
#include "rng/rng.h"

typedef struct cfg_params {
    int degrees;
    double mean_degree;
    double exponent;
    char path[BZ_NAME_MAX];
} cfg_params;

enum { CFG_POISSON, CFG_POWERLAW, CFG_FIXED };
static const char *const cfg_laws[] = {"poisson", "powerlaw", "fixed", NULL};

static const bz_param cfg_param_table[] = {
    {"degrees", BZ_PT_ENUM, 0, 0, "poisson", "",
     "law of the degree sequence: poisson, powerlaw or fixed (ignored with path)",
     offsetof(cfg_params, degrees), cfg_laws},
    {"mean_degree", BZ_PT_REAL, 0, 1e9, "10", "ties per agent", "mean of the degree law",
     offsetof(cfg_params, mean_degree), NULL},
    {"exponent", BZ_PT_REAL, 0, 1000, "2.5", "",
     "powerlaw only: exponent g of P(k) ~ k^-g; must be > 2", offsetof(cfg_params, exponent), NULL},
    {"path", BZ_PT_STRING, 0, 0, "", "",
     "file of degrees, one integer per line in agent order ('#' comments); relative to the "
     "experiment file; overrides degrees",
     offsetof(cfg_params, path), NULL},
};

enum { CFG_BLOCK = 4096, CFG_SHUFFLE_CHUNK_BITS = 22 };
#define CFG_SHUFFLE_STREAM 0x80000000u

typedef struct cfg_state {
    char *file;         /* resolved path, for messages */
    uint32_t *file_deg; /* [n_file] degrees from the file, or NULL */
    uint32_t n_file;
    uint32_t max_deg; /* largest file degree and its line */
    uint64_t max_line;
    uint32_t *stubs; /* the pairing: stubs[2i], stubs[2i + 1] */
    uint64_t n_pairs;
    bz_netgen_ctx key; /* the build the pairing belongs to */
} cfg_state;

static void cfg_release(void *state)
{
    cfg_state *st = state;
    if (!st) return;
    free(st->file);
    free(st->file_deg);
    free(st->stubs);
    free(st);
}

/* Read the degree file into st. */
static int cfg_read(cfg_state *st, bz_error *err)
{
    int status = BZ_OK;
    char *line = NULL;
    size_t cap = 0, n_alloc = 0;
    FILE *f = fopen(st->file, "r");
    if (!f)
        return bz_error_set_param(err, errno == ENOENT ? BZ_ENOENT : BZ_EIO, "path",
                                  "cannot open '%s': %s", st->file, strerror(errno));
    uint64_t lineno = 0;
    while (getline(&line, &cap, f) != -1) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0') continue;
        char *end = p;
        errno = 0;
        unsigned long long k = *p >= '0' && *p <= '9' ? strtoull(p, &end, 10) : 0;
        char *q = end;
        while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
            q++;
        if (end == p || *q != '\0' || errno || k >= UINT32_MAX) {
            p[strcspn(p, "\r\n")] = '\0';
            BZ_FAIL(err, BZ_EINVAL, "%s:%llu: expected a non-negative integer degree, got '%.40s'",
                    st->file, (unsigned long long)lineno, p);
        }
        if (st->n_file == UINT32_MAX)
            BZ_FAIL(err, BZ_EINVAL, "%s:%llu: more than 2^32 - 1 degrees", st->file,
                    (unsigned long long)lineno);
        if (st->n_file == n_alloc) {
            size_t c = n_alloc ? 2 * n_alloc : 1024;
            uint32_t *d = realloc(st->file_deg, c * sizeof *d);
            if (!d) BZ_FAIL_OOM(err, "configuration", c * sizeof *d, "reading '%s'", st->file);
            st->file_deg = d;
            n_alloc = c;
        }
        if (k > st->max_deg || st->n_file == 0) {
            st->max_deg = (uint32_t)k;
            st->max_line = lineno;
        }
        st->file_deg[st->n_file++] = (uint32_t)k;
    }
    if (ferror(f)) BZ_FAIL(err, BZ_EIO, "path: error reading '%s'", st->file);
    if (st->n_file == 0) BZ_FAIL(err, BZ_EINVAL, "%s: no degrees in the file", st->file);
cleanup:
    free(line);
    fclose(f);
    return status;
}

static int cfg_prepare(const bz_netgen_ctx *ctx, void **state, uint32_t *n_agents, bz_error *err)
{
    const cfg_params *pr = ctx->params;
    int status = BZ_OK;
    *state = NULL;
    *n_agents = 0;
    cfg_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_oom(err, "configuration", sizeof *st, "the generator's state");
    if (pr->path[0]) {
        const char *base =
            ctx->base_dir && ctx->base_dir[0] && pr->path[0] != '/' ? ctx->base_dir : NULL;
        size_t len = strlen(pr->path) + (base ? strlen(base) + 1 : 0) + 1;
        st->file = malloc(len);
        if (!st->file) BZ_FAIL_OOM(err, "configuration", len, "the path '%s'", pr->path);
        if (base)
            snprintf(st->file, len, "%s/%s", base, pr->path);
        else
            snprintf(st->file, len, "%s", pr->path);
        BZ_CHECK(cfg_read(st, err));
        *n_agents = st->n_file;
    }
    *state = st;
    st = NULL;
cleanup:
    cfg_release(st);
    return status;
}

/* Degrees of agents [lo, hi) from block b's stream. */
static void cfg_draw(const bz_netgen_ctx *ctx, gsl_rng *r, uint64_t b, uint32_t *deg)
{
    const cfg_params *pr = ctx->params;
    const uint64_t lo = b * CFG_BLOCK, hi = lo + CFG_BLOCK < ctx->n ? lo + CFG_BLOCK : ctx->n;
    const double cap = (double)ctx->n - 1.0;
    bz_stream s;
    bz_stream_init(&s, ctx->seed, ctx->replicate, ctx->layer_index, (uint32_t)b, BZ_RNG_NETWORK);
    if (r) bz_gsl_rng_attach(r, &s);
    const double g = pr->exponent, xmin = (pr->mean_degree + 0.5) * (g - 2.0) / (g - 1.0);
    const double whole = floor(pr->mean_degree), frac = pr->mean_degree - whole;
    for (uint64_t u = lo; u < hi; u++) {
        double k;
        if (pr->degrees == CFG_POISSON)
            k = gsl_ran_poisson(r, pr->mean_degree);
        else if (pr->degrees == CFG_POWERLAW)
            k = floor(xmin * pow(bz_stream_uniform_pos(&s), -1.0 / (g - 1.0)));
        else
            k = whole + (bz_stream_uniform(&s) < frac ? 1.0 : 0.0);
        deg[u] = (uint32_t)(k < cap ? k : cap);
    }
}

/* Degrees -> shuffled stubs in st. */
static int cfg_pair(const bz_netgen_ctx *ctx, cfg_state *st, bz_error *err)
{
    const cfg_params *pr = ctx->params;
    const uint32_t n = ctx->n;
    int status = BZ_OK;
    uint32_t *deg = st->file_deg;
    uint64_t *off = malloc(((size_t)n + 1) * sizeof *off);
    if (!off)
        BZ_FAIL_OOM(err, "configuration", ((size_t)n + 1) * sizeof *off,
                    "the stub offsets of %u agents", n);
    if (!deg) {
        deg = malloc((size_t)n * sizeof *deg);
        if (!deg)
            BZ_FAIL_OOM(err, "configuration", (size_t)n * sizeof *deg, "the degrees of %u agents",
                        n);
        const int64_t nb = ((int64_t)n + CFG_BLOCK - 1) / CFG_BLOCK;
        int failed = 0;
#pragma omp parallel
        {
            gsl_rng *r = pr->degrees == CFG_POISSON ? bz_gsl_rng_alloc() : NULL;
            if (pr->degrees == CFG_POISSON && !r) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp for schedule(dynamic, 1)
            for (int64_t b = 0; b < nb; b++)
                if (r || pr->degrees != CFG_POISSON) cfg_draw(ctx, r, (uint64_t)b, deg);
            if (r) gsl_rng_free(r);
        }
        if (failed)
            BZ_FAIL_OOM(err, "configuration", sizeof(gsl_rng) + bz_gsl_rng_philox->size,
                        "a random number generator");
    }
    off[0] = 0;
    for (uint32_t u = 0; u < n; u++)
        off[u + 1] = off[u] + deg[u];
    const uint64_t S = off[n];
    free(st->stubs);
    st->stubs = malloc((size_t)(S ? S : 1) * sizeof *st->stubs);
    if (!st->stubs || S > SIZE_MAX / sizeof *st->stubs)
        BZ_FAIL_OOM(err, "configuration", bz_error_bytes((size_t)(S ? S : 1), sizeof *st->stubs),
                    "%llu stubs", (unsigned long long)S);
    uint32_t *stubs = st->stubs;
#pragma omp parallel for schedule(dynamic, 4096)
    for (int64_t u = 0; u < (int64_t)n; u++)
        for (uint64_t i = off[u]; i < off[u + 1]; i++)
            stubs[i] = (uint32_t)u;
    uint64_t chunk = S > 1 ? (S - 1) >> CFG_SHUFFLE_CHUNK_BITS : 0;
    bz_stream s;
    bz_stream_init(&s, ctx->seed, ctx->replicate, ctx->layer_index,
                   CFG_SHUFFLE_STREAM + (uint32_t)chunk, BZ_RNG_NETWORK);
    for (uint64_t i = S; i-- > 1;) { /* Fisher-Yates */
        if (i >> CFG_SHUFFLE_CHUNK_BITS != chunk) {
            chunk = i >> CFG_SHUFFLE_CHUNK_BITS;
            bz_stream_init(&s, ctx->seed, ctx->replicate, ctx->layer_index,
                           CFG_SHUFFLE_STREAM + (uint32_t)chunk, BZ_RNG_NETWORK);
        }
        uint64_t j = bz_stream_below(&s, i + 1);
        uint32_t t = stubs[i];
        stubs[i] = stubs[j];
        stubs[j] = t;
    }
    st->n_pairs = S / 2; /* an odd last stub is dropped */
    st->key = *ctx;
cleanup:
    if (status != BZ_OK) {
        free(st->stubs);
        st->stubs = NULL;
    }
    if (deg != st->file_deg) free(deg);
    free(off);
    return status;
}

static int cfg_generate(const bz_netgen_ctx *ctx, bz_edge_sink *sink, bz_error *err)
{
    const cfg_params *pr = ctx->params;
    cfg_state *st = ctx->state;
    if (!st) return bz_error_set(err, BZ_EINTERNAL, "configuration: generate without prepare");
    if (st->file_deg) {
        if (st->n_file != ctx->n)
            return bz_error_set(err, BZ_EINVAL,
                                "%s: %u degrees for n = %u agents (one line per agent)", st->file,
                                st->n_file, ctx->n);
        if (st->max_deg >= ctx->n)
            return bz_error_set(err, BZ_EINVAL, "%s:%llu: degree %u exceeds n - 1 = %u", st->file,
                                (unsigned long long)st->max_line, st->max_deg, ctx->n - 1u);
    } else if (pr->path[0]) {
        return bz_error_set(err, BZ_EINTERNAL, "configuration: '%s' was not loaded", pr->path);
    }
    if (!st->stubs || st->key.n != ctx->n || st->key.seed != ctx->seed ||
        st->key.replicate != ctx->replicate || st->key.layer_index != ctx->layer_index ||
        st->key.params != ctx->params) {
        int status = cfg_pair(ctx, st, err);
        if (status != BZ_OK) return status;
    }
    const uint32_t *stubs = st->stubs;
    const int64_t m = (int64_t)st->n_pairs;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < m; i++)
        bz_sink_add(sink, stubs[2 * i], stubs[2 * i + 1]);
    return BZ_OK;
}

static int cfg_check(const void *params, uint32_t n, int directed, bz_error *err)
{
    const cfg_params *pr = params;
    (void)directed;
    if (n < 2)
        return bz_error_set(err, BZ_EINVAL, "configuration needs at least 2 agents, got n = %u", n);
    if (pr->path[0]) return BZ_OK; /* the file is checked when read */
    if (!(pr->mean_degree > 0) || !(pr->mean_degree < (double)n - 1.0))
        return bz_error_set(err, BZ_EINVAL,
                            "mean_degree = %g must be in (0, n - 1) = (0, %u) for n = %u agents",
                            pr->mean_degree, n - 1u, n);
    if (pr->degrees == CFG_POWERLAW && (!(pr->exponent > 2.0) || !isfinite(pr->exponent)))
        return bz_error_set(err, BZ_EINVAL,
                            "exponent = %g must be > 2 (a power law with exponent <= 2 has no "
                            "finite mean degree)",
                            pr->exponent);
    return BZ_OK;
}

static uint64_t cfg_estimate(const void *params, uint32_t n, int directed)
{
    const cfg_params *pr = params;
    (void)directed;
    return (uint64_t)(pr->mean_degree * (double)n + 0.5);
}

const bz_netgen_type bz_netgen_configuration = {
    .name = "configuration",
    .summary = "erased configuration model: a given degree sequence (law or file), random pairing",
    .params = cfg_param_table,
    .n_params = BZ_PARAMS_COUNT(cfg_param_table),
    .params_size = sizeof(cfg_params),
    .directed_ok = 0,
    .implicit_complete = 0,
    .check = cfg_check,
    .estimate_arcs = cfg_estimate,
    .prepare = cfg_prepare,
    .release = cfg_release,
    .generate = cfg_generate,
};
