#include "util.h"
#include "base/text.h"

#include <math.h>
#include <string.h>

int bz_campaign_layer(const bz_experiment *x, const char *name, const char *what, bz_error *err)
{
    if (!name[0]) return 0;
    for (size_t i = 0; i < x->n_layers; i++)
        if (strcmp(x->layers[i].name, name) == 0) return (int)i;
    char known[512] = "";
    for (size_t i = 0, used = 0; i < x->n_layers; i++)
        used = bz_text_add(known, sizeof known, used, ", ", "%s", x->layers[i].name);
    bz_error_set_param(err, BZ_EINVAL, what, "no layer named '%s' (layers: %s)", name, known);
    return -1;
}

int bz_campaign_layer_last(const bz_experiment *x, const char *name, const char *what,
                           bz_error *err)
{
    if (!name[0]) {
        if (x->n_layers > 0) return (int)x->n_layers - 1;
        bz_error_set_param(err, BZ_EINVAL, what, "the experiment has no layers");
        return -1;
    }
    return bz_campaign_layer(x, name, what, err);
}

/* Shared body of the two exposure helpers: rate > 0 for a Poisson process,
 * else prob once. */
static int64_t expose_blocks(bz_sim *sim, const bz_campaign_run *run, double a, double b,
                             double rate, double prob, const uint8_t *city_mask, int channel,
                             uint32_t index)
{
    const double span = b > a ? b - a : 0.0;
    const double lambda = rate > 0 ? rate * span : 0.0;
    const double p = rate > 0 ? -expm1(-lambda) : prob;
    if (!(p > 0)) return 0;
    const double inv_lq = p < 1 ? 1.0 / log1p(-p) : 0;
    const uint64_t n_blocks = ((uint64_t)sim->n + BZ_CAMPAIGN_BLOCK - 1) / BZ_CAMPAIGN_BLOCK;
    int64_t made = 0;
    for (uint64_t blk = 0; blk < n_blocks; blk++) {
        uint64_t lo = blk * BZ_CAMPAIGN_BLOCK, hi = lo + BZ_CAMPAIGN_BLOCK;
        if (hi > sim->n) hi = sim->n;
        bz_stream s;
        bz_sim_campaign_stream(sim, run, &s, index, (uint32_t)blk);
        for (uint64_t v = lo + (p < 1 ? bz_stream_geometric_skip(&s, inv_lq) : 0); v < hi;
             v += 1 + (p < 1 ? bz_stream_geometric_skip(&s, inv_lq) : 0)) {
            /* k exposures: 1, or Poisson(lambda) given k >= 1 by inversion. */
            uint32_t k = 1;
            if (rate > 0) {
                double u = bz_stream_uniform(&s) * p, term = exp(-lambda) * lambda, cum = term;
                while (u >= cum && k < 1000) {
                    term *= lambda / (double)(k + 1);
                    cum += term;
                    k++;
                }
            }
            const int in = !city_mask || city_mask[sim->pop->city[v]];
            for (uint32_t i = 0; i < k; i++) {
                const double t = a + bz_stream_uniform(&s) * span;
                if (!in || !(t < sim->horizon)) continue;
                bz_sim_expose_at(sim, (uint32_t)v, t, channel, 0);
                made++;
            }
        }
    }
    return made;
}

int64_t bz_campaign_expose_rate(bz_sim *sim, const bz_campaign_run *run, double a, double b,
                                double rate, const uint8_t *city_mask, int channel, uint32_t index)
{
    if (!(rate > 0) || !(b > a)) return 0;
    return expose_blocks(sim, run, a, b, rate, 0, city_mask, channel, index);
}

int64_t bz_campaign_expose_once(bz_sim *sim, const bz_campaign_run *run, double a, double b,
                                double prob, const uint8_t *city_mask, int channel, uint32_t index)
{
    return expose_blocks(sim, run, a, b, 0, prob, city_mask, channel, index);
}
