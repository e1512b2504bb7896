/* KOL selection of the kol_seeding campaign, exposed for tests and tools.
 * Internal to models/campaigns (and its tests). */
#ifndef BZ_KOL_SEEDING_H
#define BZ_KOL_SEEDING_H

#include <stdint.h>

#include "engine/experiment.h"
#include "base/error.h"
#include "base/population.h"
#include "base/channels.h"
#include "graph/graph.h"
#include "graph/influence.h"

/* Choose the KOLs of a kol_seeding campaign whose parsed parameters are
 * `params` (a bz_campaign_spec's params for type bz_campaign_kol_seeding), in
 * experiment x on the world (net, pop) of replicate `replicate`, as campaign
 * `index` of its arm: exactly what the campaign's start() does with a
 * simulation seeded `seed`. out receives the params' `count` agents, best
 * first. Errors: those of the strategy (layer missing, count > agents,
 * BZ_ENOMEM, metric and influence errors). Cost: see kol_seeding.c. */
int bz_kol_select(const bz_experiment *x, const bz_network *net, const bz_population *pop,
                  const void *params, uint64_t seed, uint32_t replicate, uint32_t index,
                  uint32_t *out, bz_error *err);

/* The IC arc probability the greedy strategy uses on layer li of x for the
 * given params: ic_prob when > 0, else 1 - exp(-share * ic_days). */
double bz_kol_ic_prob(const bz_experiment *x, int li, const void *params);

/* The cascade the greedy strategy maximises (docs/campaigns.md), over every
 * layer of the network: an influence model (graph/influence.h) without its
 * layers. */
typedef struct bz_kol_cascade {
    int kind;                /* bz_influence_kind */
    double p[BZ_MAX_LAYERS]; /* per layer */
    double relay;            /* IC: chance a reached agent passes it on */
    int seed_layer;          /* IC: layer of the KOLs' posts, -1 none */
    double seed_p;           /* IC: chance a post adopts a follower */
} bz_kol_cascade;

/* Which rule bz_kol_cascade_of used. */
enum {
    BZ_KOL_CASCADE_OVERRIDE, /* ic_prob > 0: IC with it on every layer */
    BZ_KOL_CASCADE_IC,       /* independent_cascade: IC with its p on every layer */
    BZ_KOL_CASCADE_LT,       /* linear_threshold: LT, weights 1 / in-degree over all layers */
    BZ_KOL_CASCADE_SIR,      /* sir: IC with T = beta / (beta + gamma) */
    BZ_KOL_CASCADE_FUNNEL,   /* buzz_funnel: its equivalent probabilities (kol_seeding.c) */
    BZ_KOL_CASCADE_SHARE     /* others (bass): IC with 1 - exp(-share_l ic_days) per layer */
};

/* Fill c for the params of a kol_seeding campaign in experiment x; returns
 * the BZ_KOL_CASCADE_* rule used. Cannot fail. */
int bz_kol_cascade_of(const bz_experiment *x, const void *params, bz_kol_cascade *c);

/* The greedy strategy's KOLs (out[count]) on net: IMM on the cascade of
 * bz_kol_cascade_of with the params' eps, ell and rr_sets, streams keyed by
 * seed only. res (may be NULL) says how many RR sets were drawn and whether
 * the memory cap bound them. Deterministic for any thread count. Errors:
 * count > agents, those of bz_influence_imm. */
int bz_kol_greedy(const bz_experiment *x, const bz_network *net, const void *params, uint64_t seed,
                  uint32_t *out, bz_influence_result *res, bz_error *err);

#endif
