#include "graph/netstats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/metrics.h"

int bz_netstats_layer_info(const bz_layer *l, const char *generator, bz_layer_info *info,
                           bz_error *err)
{
    snprintf(info->name, sizeof info->name, "%s", l->name);
    snprintf(info->generator, sizeof info->generator, "%s", generator);
    info->directed = l->directed;
    info->agents = l->n;
    info->edges = bz_layer_edges(l);
    free(info->degree_histogram);
    info->degree_histogram = NULL;
    return bz_metrics_degree_histogram(l, 0, &info->degree_histogram, &info->hist_len, err);
}

int bz_netstats_compute(const bz_layer *l, uint64_t seed, int full, bz_layer_stats *out,
                        bz_error *err)
{
    int status = BZ_OK;
    uint32_t *core = NULL;
    double *rank = NULL;
    bz_clustering cl;
    memset(out, 0, sizeof *out);
    BZ_CHECK(bz_metrics_components(l, NULL, &out->components, &out->giant, err));
    if (l->directed)
        BZ_CHECK(
            bz_metrics_degree_histogram(l, 1, &out->in_degree_histogram, &out->in_hist_len, err));
    out->clustering_avg = out->clustering_global = out->clustering_stderr = NAN;
    out->assortativity = NAN;
    out->computed = 1;
    if (!full) goto cleanup;
    uint64_t samples = l->m > BZ_NETSTATS_EXACT_ARCS ? BZ_NETSTATS_CLUSTERING_SAMPLES : 0;
    BZ_CHECK(bz_metrics_clustering(l, samples, seed, &cl, err));
    out->clustering_avg = cl.avg_local;
    out->clustering_global = cl.global;
    out->clustering_stderr = cl.stderr_local;
    out->clustering_samples = cl.samples_used;
    bz_error ignored;
    if (bz_metrics_assortativity(l, &out->assortativity, &ignored) != BZ_OK)
        out->assortativity = NAN; /* undefined (no variance, complete layer) */
    core = malloc((size_t)l->n * sizeof *core + 1);
    rank = malloc((size_t)l->n * sizeof *rank + 1);
    if (!core || !rank)
        BZ_FAIL_OOM(err, NULL, (size_t)l->n * (sizeof *core + sizeof *rank) + 2,
                    "statistics of %u agents", l->n);
    BZ_CHECK(bz_metrics_kcore(l, core, &out->max_core, err));
    out->core_hist_len = (size_t)out->max_core + 1;
    out->core_histogram = calloc(out->core_hist_len, sizeof *out->core_histogram);
    if (!out->core_histogram)
        BZ_FAIL_OOM(err, NULL, out->core_hist_len * sizeof *out->core_histogram,
                    "a core histogram of %zu bins", out->core_hist_len);
    for (uint32_t u = 0; u < l->n; u++)
        out->core_histogram[core[u]]++;
    if (l->n > 0) {
        BZ_CHECK(bz_metrics_pagerank(l, 0.85, 1e-10, 200, rank, NULL, err));
        /* Top agents: selection of the BZ_STATS_TOP largest (ties: lower id). */
        for (uint32_t u = 0; u < l->n; u++) {
            int k = out->n_top;
            if (k == BZ_STATS_TOP && !(rank[u] > out->top_pagerank[k - 1])) continue;
            if (k < BZ_STATS_TOP)
                out->n_top++;
            else
                k--;
            while (k > 0 && rank[u] > out->top_pagerank[k - 1]) {
                out->top_pagerank[k] = out->top_pagerank[k - 1];
                out->top_agents[k] = out->top_agents[k - 1];
                k--;
            }
            out->top_pagerank[k] = rank[u];
            out->top_agents[k] = u;
        }
    }
    out->computed = 2;
cleanup:
    free(core);
    free(rank);
    if (status != BZ_OK) {
        free(out->in_degree_histogram);
        free(out->core_histogram);
        memset(out, 0, sizeof *out);
    }
    return status;
}
