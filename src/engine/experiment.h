/* A validated experiment as plain data: what the engine runs. The types
 * say everything the engine needs and nothing it must re-check; the
 * configuration layer (config/experiment.h) builds one from a YAML file,
 * --set overrides and defaults, and tests may build one from text. The
 * engine depends on this header only, never on how an experiment is read.
 *
 * Units: times in days (double), rates per day; see base/params.h.
 */
#ifndef BZ_ENGINE_EXPERIMENT_H
#define BZ_ENGINE_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/params.h"
#include "base/population.h"

struct bz_netgen_type;
struct bz_model_type;
struct bz_campaign_type;

typedef struct bz_layer_spec {
    char name[BZ_NAME_MAX];
    int directed;
    double share;      /* sharing rate per tie, per day */
    double persuasion; /* chance that one contact makes an aware agent interested */
    double conversion; /* chance that one contact makes an interested agent want to buy now */
    double attention;  /* posts a reader reads per day (0: unlimited) */
    double feed;       /* posts per day each followee makes about anything (competition) */
    const struct bz_netgen_type *gen;
    void *gen_params; /* gen->params_size bytes, owned */
} bz_layer_spec;

typedef struct bz_campaign_spec {
    const struct bz_campaign_type *type;
    void *params; /* type->params_size bytes, owned */
    int enabled;  /* `enabled:` (default 1); 0: the campaign keeps its place (its position
                   * keys its streams and its results row) but does nothing and costs
                   * nothing: what a plan's on/off variable switches */
} bz_campaign_spec;

/* How an arm's effect is split among its campaigns (attribution:). */
typedef enum bz_attribution {
    BZ_ATTRIB_NONE,
    BZ_ATTRIB_SHAPLEY,       /* every subset of the campaigns (at most BZ_SHAPLEY_MAX) */
    BZ_ATTRIB_LEAVE_ONE_OUT, /* the arm without each campaign in turn */
    BZ_ATTRIB__COUNT
} bz_attribution;

#define BZ_SHAPLEY_MAX 6         /* 2^6 - 2 = 62 sub-arms per replicate */
#define BZ_ATTRIB_MAX_PLAYERS 24 /* leave_one_out */

typedef struct bz_arm_spec {
    char name[BZ_NAME_MAX];
    size_t n_campaigns;
    bz_campaign_spec *campaigns; /* owned */
    char *campaigns_yaml;        /* resolved campaigns as YAML flow text, owned */
    int attribution;             /* bz_attribution */
} bz_arm_spec;

typedef enum bz_availability {
    BZ_AVAIL_ALWAYS,
    BZ_AVAIL_FLASH_ONLY,
    BZ_AVAIL_FROM
} bz_availability;

/* A local launch: the product's list price, value, unit cost and launch
 * date in some cities. */
typedef struct bz_market_local {
    bz_cityset cities;
    double price;     /* list price there (> 0) */
    double value;     /* median willingness to pay there (0: price does not matter) */
    double unit_cost; /* cost of goods per unit delivered there; < 0: market.unit_cost */
    double from;      /* days: nothing is on sale there before (0: from the start) */
} bz_market_local;

typedef struct bz_market_spec {
    double price;      /* list price, 0 = not priced (no money outcomes) */
    int availability;  /* bz_availability */
    double from;       /* days, for BZ_AVAIL_FROM */
    int64_t stock;     /* 0 = unlimited */
    double unit_cost;  /* cost of goods per unit delivered (bought or gifted) */
    double fixed_cost; /* fixed costs of the launch, the same in every arm */
    double value;      /* median willingness to pay; 0 = price does not matter */
    double patience;   /* per day: rate at which waitlisted buyers give up; 0 = never */
    size_t n_local;
    bz_market_local *local; /* owned, later entries win for a city in two */
} bz_market_spec;

typedef struct bz_experiment {
    char name[BZ_NAME_MAX];
    char *path;     /* the YAML file it came from, owned */
    char *base_dir; /* directory of path, for relative files, owned */
    uint64_t seed;
    double step;      /* days */
    double horizon;   /* days */
    uint32_t n_steps; /* ceil(horizon / step) */
    uint32_t replicates;

    uint32_t agents; /* 0 in the file means: from the edge_list layer */
    uint32_t cities;
    double city_zipf;
    double *city_shares;               /* [cities] from a city table (sum 1), else NULL; owned */
    char (*city_names)[BZ_NAME_MAX];   /* [cities] from a city table, else NULL; owned */
    bz_dist attributes[BZ_ATTR_COUNT]; /* population.attributes, BZ_ATTR_* order */

    size_t n_layers;
    bz_layer_spec *layers; /* owned */
    int resample;          /* network.resample: new network per replicate */

    const struct bz_model_type *model;
    void *model_params; /* owned */

    bz_market_spec market;

    size_t n_arms;
    bz_arm_spec *arms; /* owned; arms[0] is the baseline of comparisons */

    char output[4096];   /* output.file, "" if not given */
    char *resolved_yaml; /* the whole experiment with defaults, owned */
} bz_experiment;

/* The players of arm a's attribution: the positions i at which its campaign
 * list differs from the baseline's (x->arms[0]): a campaign in only one of
 * them, or different type or parameters. Position i absent from a coalition
 * means the baseline's campaign i (if any) runs there, so the empty
 * coalition is the baseline and the full one the arm, campaign for
 * campaign. Writes at most `max` positions into pos; returns how many
 * there are. */
size_t bz_experiment_players(const bz_experiment *x, size_t arm, uint32_t *pos, size_t max);

/* Names of the attribution methods ("none", "shapley", "leave_one_out"). */
extern const char *const bz_attribution_names[];

/* The population part of x as a build spec for bz_population_build(): city
 * count, Zipf exponent or table (shares, names) and attribute distributions.
 * The spec points into x (valid while x is). */
void bz_experiment_population_spec(const bz_experiment *x, bz_population_spec *spec);

/* Free what an arm owns (its campaigns' parameters, its YAML) and zero it. */
void bz_arm_spec_destroy(bz_arm_spec *arm);

void bz_experiment_destroy(bz_experiment *x);

#endif
