/* buzzsim graph EXPERIMENT.yaml [options]: see bz_graph_command below.
 *
 * Builds the experiment's population and network (the shared one, as `run`
 * uses) and describes every layer. --dry-run only prints the memory
 * estimate; --save-edges writes a layer as an edge list that the edge_list
 * generator reads back to the identical layer. */
#include <math.h>
#include <omp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/file.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/report.h"
#include "config/experiment.h"
#include "graph/netstats.h"
#include "engine/run.h"
#include "graph/edgelist.h"
#include "graph/generator.h"
#include "base/clock.h"
#include "io/h5.h"
#include "rng/rng.h"

/* Bytes as "512.0 KiB", "12.3 MiB", "4.10 GiB". */
static const char *bytes(uint64_t b, char *buf, size_t size)
{
    const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)b;
    int k = 0;
    while (v >= 1024 && k < 4) {
        v /= 1024;
        k++;
    }
    snprintf(buf, size, k >= 3 ? "%.2f %s" : "%.1f %s", v, unit[k]);
    return buf;
}

/* --save-edges FILE must be writable before the network is built: a new or
 * regular file's directory must take new files; an existing device or FIFO
 * (/dev/stdout) is written directly; a directory is refused. */
static int check_save_path(const char *save, bz_error *err)
{
    struct stat st;
    if (stat(save, &st) == 0 && S_ISDIR(st.st_mode))
        return bz_error_set(err, BZ_EINVAL, "--save-edges: '%s' is a directory", save);
    if (stat(save, &st) == 0 && !S_ISREG(st.st_mode)) return BZ_OK;
    char dir[4096];
    const char *slash = strrchr(save, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == save ? 1 : (int)(slash - save), save);
    int status = bz_file_check_output_dir(dir, err);
    if (status != BZ_OK) bz_error_prefix(err, "--save-edges %s: ", save);
    return status;
}

static void print_estimate(const bz_experiment *x, const bz_mem_estimate *e)
{
    char b[32], c[32];
    printf("%s: memory estimate\n", x->name);
    if (!e->agents) {
        printf("  agents come from a file: sizes are known only after loading it\n");
        return;
    }
    printf("  agents        %u\n", e->agents);
    printf("  population    %s\n", bytes(e->population, b, sizeof b));
    printf("  network       %s%s\n", bytes(e->network, b, sizeof b),
           e->complete ? "" : " (some layers unknown before loading)");
    printf("  build peak    %s (extra, while the largest layer is built)\n",
           bytes(e->build_peak, b, sizeof b));
    printf("  simulation    %s\n", bytes(e->simulation, b, sizeof b));
    printf("  results       %s\n", bytes(e->results, b, sizeof b));
    char lim[160];
    printf("  total (peak)  %s of %s %s\n", bytes(e->total, b, sizeof b),
           bytes(e->available, c, sizeof c),
           bz_mem_limit_describe(e->limit, e->limit_name, e->threads, lim, sizeof lim));
}

static void describe_layer(const bz_layer *l, const bz_layer_spec *ls, double secs)
{
    char a[64], b[64];
    uint64_t maxd = 0, maxin = 0;
    for (uint32_t u = 0; u < l->n; u++) {
        uint64_t d = bz_layer_degree(l, u), in = bz_layer_in_degree(l, u);
        if (d > maxd) maxd = d;
        if (in > maxin) maxin = in;
    }
    uint64_t edges = bz_layer_edges(l);
    printf("layer %s: %s, %s\n", l->name, ls->gen->name, l->directed ? "directed" : "undirected");
    printf("  agents %s, edges %s, mean %sdegree %.3f\n", bz_report_number(l->n, a, sizeof a),
           bz_report_number((double)edges, b, sizeof b), l->directed ? "out-" : "",
           l->n ? (double)(l->complete ? (double)l->n - 1 : (double)l->m / l->n) : 0.0);
    if (l->directed)
        printf("  max out-degree (followers) %llu, max in-degree (following) %llu\n",
               (unsigned long long)maxd, (unsigned long long)maxin);
    else
        printf("  max degree %llu\n", (unsigned long long)maxd);
    if (l->dropped_self_loops || l->dropped_duplicates)
        printf("  dropped: %llu self-loops, %llu duplicate edges\n",
               (unsigned long long)l->dropped_self_loops,
               (unsigned long long)l->dropped_duplicates);
    printf("  built in %.3f s (%.1f M edges/s)\n", secs, secs > 0 ? edges / secs / 1e6 : 0.0);
}

static void print_stats(const bz_layer_stats *s, const bz_layer *l, int full)
{
    char a[64];
    printf("  components %s, largest %s agents (%.2f%%)\n",
           bz_report_number((double)s->components, a, sizeof a),
           bz_report_number((double)s->giant, a + 32, 32),
           l->n ? 100.0 * (double)s->giant / l->n : 0.0);
    if (!full) return;
    if (s->clustering_samples)
        printf("  clustering: average local %.4f +- %.4f, global %.4f (sampled, %llu draws)\n",
               s->clustering_avg, s->clustering_stderr, s->clustering_global,
               (unsigned long long)s->clustering_samples);
    else
        printf("  clustering: average local %.4f, global (transitivity) %.4f (exact)\n",
               s->clustering_avg, s->clustering_global);
    printf("  degree assortativity %.4f, max k-core %u\n", s->assortativity, s->max_core);
    printf("  top PageRank:");
    for (int i = 0; i < s->n_top && i < 5; i++)
        printf(" %u (%.2e)", s->top_agents[i], s->top_pagerank[i]);
    printf("\n");
}

typedef struct graph_opts {
    const char *path, *save, *layer, *out;
    bz_opt_list sets;
    uint64_t threads;
    int dry, stats, force; /* stats: 0 none, 1 basic, 2 full */
} graph_opts;

static const char *const stats_levels[] = {"basic", "full", NULL};

static const bz_positional graph_positionals[] = {
    {"EXPERIMENT.yaml", "the experiment file (docs/config.md)", offsetof(graph_opts, path),
     .missing = "missing EXPERIMENT.yaml", .complete = "*.yaml"},
    {0},
};

static const bz_option graph_options[] = {
    BZ_OPTION_SET(graph_opts, sets),
    {"--dry-run", 0, BZ_OPT_FLAG, NULL, "only print the memory estimate; build nothing",
     .offset = offsetof(graph_opts, dry)},
    {"--stats", 0, BZ_OPT_OPTIONAL, NULL,
     "statistics of every layer, written to an HDF5 file: components (basic), and clustering, "
     "assortativity, k-cores and PageRank (full, the default)",
     offsetof(graph_opts, stats), .choices = stats_levels, .def = 1},
    {"--output", 'o', BZ_OPT_STRING, "out.h5",
     "the file of the statistics (default: results/NAME-network.h5)", offsetof(graph_opts, out),
     .once = "one output file", .needs = "--stats", .complete = "*.h5"},
    {"--save-edges", 0, BZ_OPT_STRING, "FILE",
     "write a layer as an edge list (the edge_list generator reads it back to the same layer)",
     offsetof(graph_opts, save), .complete = "*"},
    {"--layer", 0, BZ_OPT_STRING, "NAME", "the layer --save-edges writes (needed with several)",
     offsetof(graph_opts, layer), .needs = "--save-edges"},
    BZ_OPTION_THREADS(graph_opts, threads),
    BZ_OPTION_FORCE(graph_opts, force),
    {0},
};

const bz_opts_command bz_graph_command = {
    .summary = "build the experiment's network and describe it; memory estimate; statistics; "
               "edge lists",
    .options = graph_options,
    .positionals = graph_positionals,
    .extra = "one experiment file expected, got '%s' too",
    .size = sizeof(graph_opts),
};

/* The layer --save-edges writes into *layer (-1 without --save-edges), its
 * file checked writable. Returns BZ_OPTS_CONTINUE or the exit status
 * (reported). */
static int pick_save_layer(const graph_opts *o, const bz_experiment *x, int *layer)
{
    bz_error err;
    bz_error_clear(&err);
    *layer = -1;
    if (!o->save) return BZ_OPTS_CONTINUE;
    if (!o->layer && x->n_layers > 1)
        return bz_cli_usage("graph",
                            "--save-edges: the experiment has %zu layers: name one "
                            "with --layer",
                            x->n_layers);
    for (size_t i = 0; i < x->n_layers; i++)
        if (!o->layer || !strcmp(x->layers[i].name, o->layer)) *layer = (int)i;
    if (*layer < 0) return bz_cli_usage("graph", "--layer: no layer named '%s'", o->layer);
    if (x->layers[*layer].gen->implicit_complete)
        return bz_cli_usage("graph", "--save-edges: layer '%s' is an implicit complete graph",
                            x->layers[*layer].name);
    if (check_save_path(o->save, &err) != BZ_OK) return bz_cli_fail(&err);
    return BZ_OPTS_CONTINUE;
}

/* Describe every layer of the built world w; with --stats compute their
 * statistics into res (allocated here). */
static int describe_network(const graph_opts *o, const bz_experiment *x, const bz_world *w,
                            bz_results *res, bz_error *err)
{
    int status = BZ_OK;
    if (o->stats) BZ_CHECK(bz_results_init_network(res, w->net.n_layers, err));
    for (size_t i = 0; i < w->net.n_layers; i++) {
        const bz_layer *l = &w->net.layers[i];
        describe_layer(l, &x->layers[i], l->build_seconds);
        if (!o->stats) continue;
        bz_layer_info *li = &res->layers[i];
        double t1 = bz_clock_seconds();
        BZ_CHECK(bz_netstats_layer_info(l, x->layers[i].gen->name, li, err));
        BZ_CHECK(bz_netstats_compute(l, x->seed, o->stats == 2, &li->stats, err));
        print_stats(&li->stats, l, o->stats == 2);
        printf("  statistics in %.3f s\n", bz_clock_seconds() - t1);
    }
cleanup:
    return status;
}

/* The statistics file `out` (with provenance) from res. */
static int write_stats(const bz_experiment *x, bz_results *res, const char *out, int force,
                       bz_error *err)
{
    const char *line = bz_cli_command_line();
    res->seed = x->seed;
    if (!(res->experiment_yaml = strdup(x->resolved_yaml)))
        return bz_error_set(err, BZ_ENOMEM, "out of memory for the experiment text (%zu bytes)",
                            strlen(x->resolved_yaml) + 1);
    if (!(res->command_line = strdup(line)))
        return bz_error_set(err, BZ_ENOMEM, "out of memory for the command line (%zu bytes)",
                            strlen(line) + 1);
    int status = bz_h5_write(out, res, force, err);
    if (status == BZ_OK) printf("wrote %s\n", out);
    return status;
}

/* Build the network and describe it, then write what was asked for. */
static int build(const graph_opts *o, const bz_experiment *x, const char *out, int save_layer,
                 bz_error *err)
{
    bz_results res;
    bz_world w;
    memset(&res, 0, sizeof res);
    int status = BZ_OK, built = 0;
    double t0 = bz_clock_seconds();
    BZ_CHECK(bz_world_build(&w, x, BZ_RNG_SHARED_REPLICATE, err));
    built = 1;
    printf("%s: %u agents in %u cities, %zu layers, built in %.3f s with %d threads\n", x->name,
           w.pop.n, w.pop.n_cities, w.net.n_layers, bz_clock_seconds() - t0, omp_get_max_threads());
    BZ_CHECK(describe_network(o, x, &w, &res, err));
    if (o->stats) BZ_CHECK(write_stats(x, &res, out, o->force, err));
    if (save_layer >= 0) {
        BZ_CHECK(bz_edgelist_write(&w.net.layers[save_layer], o->save, err));
        printf("wrote %s\n", o->save);
    }
cleanup:
    bz_results_destroy(&res);
    if (built) bz_world_destroy(&w);
    return status;
}

int bz_cmd_graph(int argc, char **argv)
{
    graph_opts o;
    int rc = bz_opts_parse(&bz_graph_command, argc, argv, &o), status = BZ_OK, loaded = 0;
    if (rc != BZ_OPTS_CONTINUE) return rc;
    char outbuf[4200];
    const char *out = o.out;
    int save_layer;
    bz_experiment x;
    bz_mem_estimate est;
    bz_error err;
    bz_error_clear(&err);
    BZ_CHECK(bz_experiment_load(&x, o.path, (const char *const *)o.sets.items, o.sets.n, &err));
    loaded = 1;
    if ((rc = pick_save_layer(&o, &x, &save_layer)) != BZ_OPTS_CONTINUE) goto cleanup;
    if (o.stats && !o.dry) {
        if (!out) {
            snprintf(outbuf, sizeof outbuf, "results/%s-network.h5", x.name);
            out = outbuf;
        }
        BZ_CHECK(bz_h5_check_output(out, o.force, &err));
    }
    if (o.threads) omp_set_num_threads((int)o.threads);
    BZ_CHECK(bz_mem_estimate_compute(&x, omp_get_max_threads(), &est, &err));
    if (o.dry) print_estimate(&x, &est);
    if (o.dry || !getenv("BUZZSIM_NO_MEMORY_CHECK")) BZ_CHECK(bz_mem_estimate_check(&est, &err));
    if (!o.dry) BZ_CHECK(build(&o, &x, out, save_layer, &err));
cleanup:
    if (rc == BZ_OPTS_CONTINUE) rc = status == BZ_OK ? 0 : bz_cli_fail(&err);
    if (loaded) bz_experiment_destroy(&x);
    bz_opts_free(&bz_graph_command, &o);
    return rc;
}
