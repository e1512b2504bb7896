#include "contagion.h"

#include <math.h>

#include <stdlib.h>
#include <string.h>

int bz_contagion_seed_random(bz_sim *sim, uint32_t count, uint8_t active, bz_error *err)
{
    if (count == 0) return BZ_OK;
    if (count > sim->n)
        return bz_error_set(err, BZ_EINVAL, "diffusion.seeds: %u seeds but only %u agents", count,
                            sim->n);
    uint32_t *ids = malloc((size_t)count * sizeof *ids);
    if (!ids) return bz_error_set(err, BZ_ENOMEM, "out of memory for %u seeds", count);
    bz_stream s;
    bz_stream_init(&s, sim->seed, sim->replicate, 0, 0, BZ_RNG_INIT);
    int status = bz_sim_random_agents(sim->n, count, &s, ids, err);
    if (status == BZ_OK)
        for (uint32_t i = 0; i < count; i++) {
            sim->state[ids[i]] = active;
            sim->tally[0].adopt[BZ_CH_SEED]++;
        }
    free(ids);
    return status;
}

int bz_active_init(bz_active *a, const bz_sim *sim, uint8_t active, bz_error *err)
{
    memset(a, 0, sizeof *a);
    size_t cap = (size_t)sim->n + (size_t)sim->n_threads * BZ_IDLIST_BLOCK;
    a->list = malloc(cap * sizeof *a->list);
    a->next.ids = malloc(cap * sizeof *a->next.ids);
    a->cursor = calloc((size_t)sim->n_threads, sizeof *a->cursor);
    a->n_cursors = sim->n_threads;
    if (!a->list || !a->next.ids || !a->cursor) {
        bz_active_destroy(a);
        return bz_error_set(err, BZ_ENOMEM, "out of memory for the active list (%u agents)",
                            sim->n);
    }
    for (uint32_t v = 0; v < sim->n; v++)
        if (sim->state[v] == active) a->list[a->n++] = v;
    return BZ_OK;
}

void bz_active_destroy(bz_active *a)
{
    free(a->list);
    free(a->next.ids);
    free(a->cursor);
    memset(a, 0, sizeof *a);
}

/* Sort k agent ids ascending: insertion sort when short, otherwise three
 * passes of an 11-bit LSD radix sort through `scratch`. */
static void sort_ids(uint32_t *ids, uint32_t *scratch, uint64_t k)
{
    if (k < 64) {
        for (uint64_t i = 1; i < k; i++) {
            uint32_t v = ids[i];
            uint64_t j = i;
            for (; j > 0 && ids[j - 1] > v; j--)
                ids[j] = ids[j - 1];
            ids[j] = v;
        }
        return;
    }
    uint32_t *src = ids, *dst = scratch;
    for (int shift = 0; shift < 33; shift += 11) {
        uint64_t count[2048] = {0};
        for (uint64_t i = 0; i < k; i++)
            count[(src[i] >> shift) & 2047]++;
        uint64_t sum = 0;
        for (int d = 0; d < 2048; d++) {
            uint64_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (uint64_t i = 0; i < k; i++)
            dst[count[(src[i] >> shift) & 2047]++] = src[i];
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    /* Three passes: the sorted data ended in `scratch`. */
    memcpy(ids, src, k * sizeof *ids);
}

void bz_active_swap(bz_active *a)
{
    uint32_t *t = a->list;
    a->list = a->next.ids;
    a->next.ids = t;
    uint64_t k = a->next.reserved;
    sort_ids(a->list, a->next.ids, k);
    while (k > 0 && a->list[k - 1] == BZ_IDLIST_HOLE)
        k--; /* holes sorted last */
    a->n = k;
    bz_idlist_reset(&a->next, a->cursor, a->n_cursors);
}

int bz_contagion_init(bz_sim *sim, uint32_t seeds, bz_error *err)
{
    bz_active *a = calloc(1, sizeof *a);
    if (!a) return bz_error_set(err, BZ_ENOMEM, "out of memory");
    sim->model_state = a;
    int status = bz_contagion_seed_random(sim, seeds, BZ_CONTAGION_ACTIVE, err);
    if (status == BZ_OK) status = bz_active_init(a, sim, BZ_CONTAGION_ACTIVE, err);
    return status;
}

void bz_contagion_destroy(bz_sim *sim)
{
    bz_active *a = sim->model_state;
    if (!a) return;
    bz_active_destroy(a);
    free(a);
    sim->model_state = NULL;
}

int bz_contagion_seed(bz_sim *sim, uint32_t agent, int channel)
{
    (void)channel;
    bz_active *a = sim->model_state;
    if (sim->state[agent] != BZ_CONTAGION_SUSCEPTIBLE) return 0;
    sim->state[agent] = BZ_CONTAGION_ACTIVE;
    a->list[a->n++] = agent;
    sim->counts[BZ_CONTAGION_SUSCEPTIBLE]--;
    sim->counts[BZ_CONTAGION_ACTIVE]++;
    return 1;
}

int bz_contagion_take_up(bz_sim *sim, bz_tally *t, uint32_t v, double log_keep)
{
    const uint32_t layer_bits = ~(((uint32_t)1 << BZ_CH_LAYER0) - 1);
    if (v == BZ_IDLIST_HOLE || sim->state[v] != BZ_CONTAGION_SUSCEPTIBLE) return 0;
    const bz_inbox in = sim->inbox[v];
    bz_stream s;
    bz_sim_agent_stream(sim, &s, v, BZ_RNG_DECIDE);
    int ch;
    if (in.wom) {
        ch = bz_sim_pick_channel(in.mask & layer_bits, &s, BZ_CH_LAYER0);
    } else {
        if (!(bz_stream_uniform(&s) < -expm1((double)in.ext * log_keep))) return 0;
        ch = bz_sim_pick_channel(in.mask & ~layer_bits, &s, BZ_CH_ADVERTISING);
    }
    sim->state[v] = BZ_CONTAGION_ACTIVE;
    bz_active_push_next(sim->model_state, sim, t, v);
    bz_tally_adopt(t, ch);
    return 1;
}
