/* watts_strogatz: small-world ring (Watts & Strogatz 1998).
 *
 * Agents sit on a ring; agent u links to its k/2 successors u+1..u+k/2
 * (mod n), which gives every agent degree k. Each of these edges keeps its
 * first end u and, with probability beta, has its far end moved to a random
 * agent. Agent u's draws come from its own stream (seed, replicate, layer,
 * agent u), so agents are independent and the graph is the same for every
 * thread count. Cost O(n k).
 *
 * Simple graph without any global check: the new end of an edge of u is
 * u + d (mod n) with d uniform on the "forward half ring" k/2 < d < n/2.
 * Such a pair is never a lattice pair (ring distance > k/2), and no other
 * agent can make the same pair (that would need a forward distance n - d >
 * n/2), so the only possible repeats are between the edges of u itself,
 * which u avoids by drawing again. Hence the layer has exactly n k / 2 edges
 * and mean degree exactly k for every beta. Seen without orientation the new
 * end is uniform among agents farther than k/2 on the ring, as in the
 * original model (which also excludes existing neighbours), so degrees are
 * k/2 + Binomial-like and clustering follows C(beta) ~ C(0) (1 - beta)^3,
 * C(0) = 3(k - 2) / (4(k - 1)) (Barrat & Weigt 2000). Needs n >= 2k + 1 so
 * that u has k/2 distinct far ends to choose from. Undirected only.
 */
#include <stddef.h>
#include <stdlib.h>

#include "graph/generator.h"
#include "rng/rng.h"

typedef struct ws_params {
    int64_t k;
    double beta;
} ws_params;

static const bz_param ws_param_table[] = {
    {"k", BZ_PT_INT, 2, 1000, "10", "ties per agent",
     "degree of the ring lattice (even): k/2 neighbours on each side; kept as the mean degree",
     offsetof(ws_params, k), NULL},
    {"beta", BZ_PT_PROB, 0, 1, "0.1", "",
     "probability that an edge is rewired to a random far agent (0 = ring, 1 = random graph)",
     offsetof(ws_params, beta), NULL},
};

enum { WS_MAX_TRIES = 64 };

static int ws_generate(const bz_netgen_ctx *ctx, bz_edge_sink *sink, bz_error *err)
{
    const ws_params *pr = ctx->params;
    const uint32_t n = ctx->n;
    const uint64_t h = (uint64_t)pr->k / 2;
    const double beta = pr->beta;
    if (pr->k < 2 || pr->k % 2 || (uint64_t)n < 2 * (uint64_t)pr->k + 1)
        return bz_error_set(err, BZ_EINVAL, "watts_strogatz: k = %lld invalid for n = %u",
                            (long long)pr->k, n);
    const uint64_t far_lo = h + 1, far_n = (n - 1u) / 2 - h; /* d in [far_lo, far_lo + far_n) */

    int failed = 0;
#pragma omp parallel
    {
        uint64_t *far = malloc(h * sizeof *far); /* distances rewired so far, this agent */
        if (!far) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static, 4096)
        for (int64_t ui = 0; ui < (int64_t)n; ui++) {
            if (!far) continue;
            const uint64_t u = (uint64_t)ui;
            bz_stream s;
            bz_stream_init(&s, ctx->seed, ctx->replicate, ctx->layer_index, (uint32_t)u,
                           BZ_RNG_NETWORK);
            uint64_t nfar = 0;
            for (uint64_t j = 1; j <= h; j++) {
                uint64_t d = j;
                if (beta > 0 && bz_stream_bernoulli(&s, beta)) {
                    /* A node rewires at most k/2 edges, so the expected scan is
                     * short; a linear check keeps the common case cache-local. */
                    int tries = 0, fresh;
                    do {
                        d = far_lo + bz_stream_below(&s, far_n);
                        fresh = 1;
                        for (uint64_t i = 0; i < nfar && fresh; i++)
                            fresh = far[i] != d;
                    } while (!fresh && ++tries < WS_MAX_TRIES);
                    if (!fresh) { /* many repeats (n close to 2k + 1): smallest free one */
                        for (d = far_lo;; d++) {
                            fresh = 1;
                            for (uint64_t i = 0; i < nfar && fresh; i++)
                                fresh = far[i] != d;
                            if (fresh) break;
                        }
                    }
                    far[nfar++] = d;
                }
                bz_sink_add(sink, (uint32_t)u, (uint32_t)((u + d) % n));
            }
        }
        free(far);
    }
    if (failed)
        return bz_error_oom(err, "watts_strogatz", h * sizeof(uint64_t),
                            "a thread's %llu rewired distances", (unsigned long long)h);
    return BZ_OK;
}

static int ws_check(const void *params, uint32_t n, int directed, bz_error *err)
{
    const ws_params *pr = params;
    (void)directed;
    if (pr->k < 2 || pr->k % 2 != 0)
        return bz_error_set(err, BZ_EINVAL,
                            "k = %lld must be an even number >= 2 (k/2 neighbours on each side)",
                            (long long)pr->k);
    if (!(pr->beta >= 0 && pr->beta <= 1))
        return bz_error_set(err, BZ_EINVAL, "beta = %g must be a probability in [0, 1]", pr->beta);
    if ((uint64_t)n < 2 * (uint64_t)pr->k + 1)
        return bz_error_set(err, BZ_EINVAL,
                            "k = %lld needs at least 2k + 1 = %lld agents, got n = %u",
                            (long long)pr->k, 2 * (long long)pr->k + 1, n);
    return BZ_OK;
}

static uint64_t ws_estimate(const void *params, uint32_t n, int directed)
{
    const ws_params *pr = params;
    (void)directed;
    return (uint64_t)n * (uint64_t)(pr->k > 0 ? pr->k : 0);
}

const bz_netgen_type bz_netgen_watts_strogatz = {
    .name = "watts_strogatz",
    .summary = "small-world ring lattice of degree k with a share beta of edges rewired",
    .params = ws_param_table,
    .n_params = BZ_PARAMS_COUNT(ws_param_table),
    .params_size = sizeof(ws_params),
    .directed_ok = 0,
    .implicit_complete = 0,
    .single_pass = 1,
    .check = ws_check,
    .estimate_arcs = ws_estimate,
    .prepare = NULL,
    .release = NULL,
    .generate = ws_generate,
};
