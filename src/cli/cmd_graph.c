/* buzzsim graph EXPERIMENT.yaml [--set key.path=value]... [--dry-run] [--stats]
 *               [--save-edges FILE [--layer NAME]] [--threads T]
 *
 * Builds the experiment's population and network (the shared one, as `run`
 * uses) and describes every layer. --dry-run only prints the memory
 * estimate; --save-edges writes a layer as an edge list that the edge_list
 * generator reads back to the identical layer. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/file.h"
#include "cli/args.h"
#include "cli/cli.h"
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

int bz_cmd_graph(int argc, char **argv)
{
    const char *path = NULL, *save = NULL, *layer_name = NULL, *out = NULL, *v;
    char outbuf[4200];
    bz_results res;
    memset(&res, 0, sizeof res);
    const char **sets = calloc((size_t)argc, sizeof *sets);
    size_t n_sets = 0;
    int dry = 0, stats = 0, force = 0, rc = 0, loaded = 0, built = 0;
    uint64_t threads = 0;
    bz_experiment x;
    bz_world w;
    bz_error err;
    bz_error_clear(&err);
    if (!sets) return 1;
    for (int i = 1; i < argc; i++) {
        int r;
        if ((r = bz_arg_value(argc, argv, &i, "--set", NULL, &v))) {
            if (r < 0) goto missing;
            sets[n_sets++] = v;
        } else if ((r = bz_arg_value(argc, argv, &i, "--save-edges", NULL, &v))) {
            if (r < 0) goto missing;
            save = v;
        } else if ((r = bz_arg_value(argc, argv, &i, "--layer", NULL, &v))) {
            if (r < 0) goto missing;
            layer_name = v;
        } else if ((r = bz_arg_value(argc, argv, &i, "--threads", "-t", &v))) {
            if (r < 0) goto missing;
            if (bz_arg_u64(v, 1, 4096, &threads)) {
                rc = bz_cli_usage("graph", "--threads: expected an integer in [1, 4096], got '%s'",
                                  v);
                goto cleanup;
            }
        } else if ((r = bz_arg_value(argc, argv, &i, "--output", "-o", &v))) {
            if (r < 0) goto missing;
            out = v;
        } else if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f")) {
            force = 1;
        } else if (!strcmp(argv[i], "--dry-run")) {
            dry = 1;
        } else if (!strcmp(argv[i], "--stats") || !strcmp(argv[i], "--stats=full")) {
            stats = 2;
        } else if (!strcmp(argv[i], "--stats=basic")) {
            stats = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = bz_cli_usage("graph", "unknown option '%s'", argv[i]);
            goto cleanup;
        } else if (path) {
            rc = bz_cli_usage("graph", "one experiment file expected, got '%s' too", argv[i]);
            goto cleanup;
        } else {
            path = argv[i];
        }
        continue;
    missing:
        rc = bz_cli_usage("graph", "%s needs a value", argv[i]);
        goto cleanup;
    }
    if (!path) {
        rc = bz_cli_usage("graph", "missing EXPERIMENT.yaml");
        goto cleanup;
    }
    if (out && !stats) {
        rc = bz_cli_usage("graph", "-o goes with --stats");
        goto cleanup;
    }
    if (layer_name && !save) {
        rc = bz_cli_usage("graph", "--layer goes with --save-edges");
        goto cleanup;
    }
    if (bz_experiment_load(&x, path, sets, n_sets, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    loaded = 1;
    int save_layer = 0;
    if (save) {
        if (!layer_name && x.n_layers > 1) {
            rc = bz_cli_usage("graph",
                              "--save-edges: the experiment has %zu layers: name one "
                              "with --layer",
                              x.n_layers);
            goto cleanup;
        }
        save_layer = -1;
        for (size_t i = 0; i < x.n_layers; i++)
            if (!layer_name || !strcmp(x.layers[i].name, layer_name)) save_layer = (int)i;
        if (save_layer < 0) {
            rc = bz_cli_usage("graph", "--layer: no layer named '%s'", layer_name);
            goto cleanup;
        }
        if (x.layers[save_layer].gen->implicit_complete) {
            rc = bz_cli_usage("graph", "--save-edges: layer '%s' is an implicit complete graph",
                              x.layers[save_layer].name);
            goto cleanup;
        }
        if (check_save_path(save, &err) != BZ_OK) {
            rc = bz_cli_fail(&err);
            goto cleanup;
        }
    }
    if (stats && !dry) {
        if (!out) {
            snprintf(outbuf, sizeof outbuf, "results/%s-network.h5", x.name);
            out = outbuf;
        }
        if (bz_h5_check_output(out, force, &err) != BZ_OK) {
            rc = bz_cli_fail(&err);
            goto cleanup;
        }
    }
    if (threads) omp_set_num_threads((int)threads);
    bz_mem_estimate est;
    if (bz_mem_estimate_compute(&x, omp_get_max_threads(), &est, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    if (dry) {
        print_estimate(&x, &est);
        if (bz_mem_estimate_check(&est, &err) != BZ_OK) rc = bz_cli_fail(&err);
        goto cleanup;
    }
    if (!getenv("BUZZSIM_NO_MEMORY_CHECK") && bz_mem_estimate_check(&est, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    double t0 = bz_clock_seconds();
    if (bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    built = 1;
    double secs = bz_clock_seconds() - t0;
    printf("%s: %u agents in %u cities, %zu layers, built in %.3f s with %d threads\n", x.name,
           w.pop.n, w.pop.n_cities, w.net.n_layers, secs, omp_get_max_threads());
    if (stats && bz_results_init_network(&res, w.net.n_layers, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    for (size_t i = 0; i < w.net.n_layers; i++) {
        describe_layer(&w.net.layers[i], &x.layers[i], w.net.layers[i].build_seconds);
        if (!stats) continue;
        bz_layer_info *li = &res.layers[i];
        double t1 = bz_clock_seconds();
        if (bz_netstats_layer_info(&w.net.layers[i], x.layers[i].gen->name, li, &err) != BZ_OK ||
            bz_netstats_compute(&w.net.layers[i], x.seed, stats == 2, &li->stats, &err) != BZ_OK) {
            rc = bz_cli_fail(&err);
            goto cleanup;
        }
        print_stats(&li->stats, &w.net.layers[i], stats == 2);
        printf("  statistics in %.3f s\n", bz_clock_seconds() - t1);
    }
    if (stats) {
        res.seed = x.seed;
        res.experiment_yaml = strdup(x.resolved_yaml);
        res.command_line = strdup(bz_cli_command_line());
        if (!res.experiment_yaml || !res.command_line) {
            bz_error_set(&err, BZ_ENOMEM, "out of memory");
            rc = bz_cli_fail(&err);
            goto cleanup;
        }
        if (bz_h5_write(out, &res, force, &err) != BZ_OK) {
            rc = bz_cli_fail(&err);
            goto cleanup;
        }
        printf("wrote %s\n", out);
    }
    if (save) {
        if (bz_edgelist_write(&w.net.layers[save_layer], save, &err) != BZ_OK) {
            rc = bz_cli_fail(&err);
            goto cleanup;
        }
        printf("wrote %s\n", save);
    }
cleanup:
    bz_results_destroy(&res);
    if (built) bz_world_destroy(&w);
    if (loaded) bz_experiment_destroy(&x);
    free(sets);
    return rc;
}
