/* Multiplex network storage: layer and network lifecycles (see graph.h). */
#include "graph/graph.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

uint64_t bz_layer_edges(const bz_layer *l)
{
    if (l->complete) {
        uint64_t pairs = (uint64_t)l->n * (l->n ? l->n - 1u : 0u);
        return l->directed ? pairs : pairs / 2;
    }
    return l->directed ? l->m : l->m / 2;
}

void bz_layer_destroy(bz_layer *l)
{
    if (!l) return;
    free(l->offsets);
    if (l->targets_mapped)
        munmap(l->targets, l->targets_mapped);
    else
        free(l->targets);
    free(l->in_degree);
    memset(l, 0, sizeof *l);
}

int bz_network_init(bz_network *net, uint32_t n, size_t n_layers, bz_error *err)
{
    memset(net, 0, sizeof *net);
    if (n_layers > 0) {
        net->layers = calloc(n_layers, sizeof *net->layers);
        if (!net->layers)
            return bz_error_oom(err, NULL, n_layers * sizeof *net->layers, "%zu layers", n_layers);
    }
    net->n = n;
    net->n_layers = n_layers;
    return BZ_OK;
}

void bz_network_destroy(bz_network *net)
{
    if (!net) return;
    for (size_t i = 0; i < net->n_layers && net->layers; i++)
        bz_layer_destroy(&net->layers[i]);
    free(net->layers);
    memset(net, 0, sizeof *net);
}

int bz_network_find_layer(const bz_network *net, const char *name)
{
    if (!net || !name) return -1;
    for (size_t i = 0; i < net->n_layers; i++)
        if (strcmp(net->layers[i].name, name) == 0) return (int)i;
    return -1;
}
