/* The market: availability, prices, willingness to pay, stock, purchases
 * and the buyers who wait, in continuous time.
 *
 * Models that buy (bz_model_type.buys) do not adopt directly: an agent that
 * decides to buy at time t asks bz_market_request(), which answers at once:
 *   served    the product is on sale at t, the agent's willingness to pay is
 *             at least its price at t, and a unit is left: the unit is booked
 *             (revenue, discount) and the model's adopt() runs;
 *   closed    not on sale at t (availability flash_only outside every window,
 *             or before `from`): the agent waits for the next opening;
 *   price     on sale, but above what the agent would pay: it waits for a
 *             window whose price it would pay;
 *   sold out  no unit left: the agent is waitlisted (the model's refused()),
 *             waits for the next units and gives up at rate `patience` per
 *             day (a lost sale; the model's lost()).
 * A waiting agent leaves the queue when its model withdraws it
 * (bz_market_withdraw: it forgot, lost interest).
 *
 * Prices. Agent v in city c pays the city's list price (market.price or a
 * market.local override) outside flash-sale windows, and that price times
 * (1 - discount) inside a window: exactly inside [start, end), never for
 * the rest of a step. Willingness to pay: w_v = value_c x willingness_v,
 * value_c the city's median value (market.value or local) and willingness_v
 * the population attribute (lognormal around 1 by default), so the share
 * that would buy at price P is 1 - F(P / value). value 0: price does not
 * matter (everyone pays what is asked).
 *
 * Windows. bz_market_add_window registers [start, end) with its units and
 * discount; events open and close it at those times. At the opening the
 * window's units join the stock (unlimited stock becomes finite: the
 * windows' units are all there is), and every waiting agent that would pay
 * the window's price arrives at a time uniform in the window, from its own
 * stream (agent, window): people who waited for an announced sale come when
 * they can during it, so a backlog of D buyers for S < D units sells out at
 * about S / D of the window. Availability `from` opens at `from`; waiting
 * agents then arrive within BZ_MARKET_RUSH_DAYS. Buyers are served in
 * arrival order; the sell-out time is the arrival of the last unit, in
 * seconds since its window opened (or since sale start).
 *
 * Access windows (an exclusive launch: a partner's audience buys first).
 * bz_market_add_access registers [start, end) with a mask of the agents
 * allowed to buy; events open and close it at those times. While it is
 * open, an agent outside the mask is refused as if the product were not on
 * sale (BZ_BUY_CLOSED) and waits for general availability (BZ_WAIT_ACCESS);
 * at the window's end every such agent arrives within BZ_MARKET_RUSH_DAYS,
 * from its own stream, as waiting agents do at `from`. Agents inside the
 * mask buy under the ordinary rules (stock, price, windows), and with
 * availability `from` they may buy from the access window's start even if
 * `from` comes later (early access: those already waiting for `from`
 * arrive within BZ_MARKET_RUSH_DAYS of its start). With several access
 * windows open at once an agent must be in every one's mask. With
 * flash_only, sale windows still decide when anyone can buy.
 *
 * Local launch. A market.local entry may also give its cities their own
 * unit cost and a launch date `from`: before it nothing is on sale there
 * (flash-sale windows included), its residents who want one wait as for a
 * closed market, and at `from` those waiting arrive within
 * BZ_MARKET_RUSH_DAYS (stream (agent, BZ_MARKET_CITY_INDEX + city)), if
 * the product is on sale then (availability and windows still apply).
 *
 * Cities. The market keeps per-city tallies (units bought, revenue,
 * adoptions and gifts) for the per-city results (engine/results.h); they
 * add up to the totals exactly.
 *
 * Cost: O(1) per request, O(waiting) per opening; 2 bytes per agent,
 * 64 bytes per city.
 */
#ifndef BZ_MARKET_H
#define BZ_MARKET_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct bz_sim;

#define BZ_MARKET_RUSH_DAYS 1.0 /* waiting buyers arrive within a day of an opening `from` */
#define BZ_MARKET_CITY_INDEX 0x1000000u /* stream index of city c's opening: this + c */

typedef enum bz_buy_result {
    BZ_BUY_SERVED,
    BZ_BUY_CLOSED,
    BZ_BUY_PRICE,
    BZ_BUY_SOLDOUT
} bz_buy_result;

/* What a waiting agent waits for (bz_market.wait[v]). */
typedef enum bz_wait_kind {
    BZ_WAIT_NONE,
    BZ_WAIT_CLOSED,  /* the next opening */
    BZ_WAIT_PRICE,   /* a price it would pay */
    BZ_WAIT_SOLDOUT, /* units: waitlisted, gives up at rate patience */
    BZ_WAIT_LOST,    /* gave up: never buys */
    BZ_WAIT_ACCESS   /* general availability: refused by an access window */
} bz_wait_kind;

/* Market events (aux of BZ_EV_MARKET). */
typedef enum bz_market_action {
    BZ_MARKET_OPEN,         /* agent = window */
    BZ_MARKET_CLOSE,        /* agent = window */
    BZ_MARKET_FROM,         /* availability from opens (agent 0) */
    BZ_MARKET_GIVE_UP,      /* agent = waitlisted buyer */
    BZ_MARKET_ACCESS_OPEN,  /* agent = access window */
    BZ_MARKET_ACCESS_CLOSE, /* agent = access window */
    BZ_MARKET_CITY_FROM     /* agent = city: its local launch (market.local from) */
} bz_market_action;

/* A flash-sale window [start, end) in days. */
typedef struct bz_market_window {
    double start, end;
    int64_t stock;          /* units it adds when it opens */
    double discount;        /* fraction off the list price inside it */
    int opened;             /* its stock was added */
    int closed;             /* its end passed */
    int sold_out;           /* the stock ran out while it was open */
    int64_t sold;           /* units bought while it was open */
    double sellout_seconds; /* seconds from its opening to its sell-out, NaN if none */
    double discount_given;  /* currency: list price - price paid, summed over its sales in
                             * the order they happened (the sales it priced) */
    uint32_t owner;         /* slot of the campaign that registered it (< sim->n_campaigns):
                             * told of the sell-out (tag | BZ_MARKET_SOLDOUT_TAG), and its
                             * discounts are that campaign's (bz_market_campaign_discount) */
    uint32_t tag;
} bz_market_window;

#define BZ_MARKET_SOLDOUT_TAG 0x800000u

/* An access window [start, end): only agents with allowed[v] != 0 buy. */
typedef struct bz_market_access {
    double start, end;
    const uint8_t *allowed; /* [n], borrowed from the campaign (alive for the run) */
    int active;             /* opened, not yet closed */
} bz_market_access;

/* What happened in one city so far (the market's per-city tallies). */
typedef struct bz_city_tally {
    int64_t adoptions; /* adoptions that are not gifts (bz_sim_adopted, bz_sim_seed) */
    int64_t gifted;    /* gifts (bz_sim_seed) */
    int64_t purchases; /* units bought through the market */
    double revenue;    /* prices paid there */
} bz_city_tally;

typedef struct bz_market {
    int enabled;      /* the model buys through the market */
    int availability; /* bz_availability */
    int open_from;    /* availability from: `from` has passed */
    double from;      /* days, for BZ_AVAIL_FROM */
    double unit_cost;
    double patience;          /* per day */
    const double *price_city; /* [n_cities] list price of each city */
    const double *value_city; /* [n_cities] median value of each city (0: price does not matter) */
    const double *cost_city;  /* [n_cities] unit cost of each city */
    const double *from_city;  /* [n_cities] local launch of each city (days, 0: none) */
    double *owned;            /* storage of the four tables above */
    uint8_t *city_open;       /* [n_cities] its local launch has passed */
    int local_costs;          /* some city's unit cost differs from market.unit_cost */
    bz_city_tally *city;      /* [n_cities] per-city tallies */
    int64_t stock;            /* units left, -1 unlimited */

    size_t n_windows, cap_windows;
    bz_market_window *windows; /* owned, in registration order */
    uint32_t *open;            /* [cap_windows] indices of the windows open now */
    size_t n_open;

    uint8_t *wait;      /* [n] bz_wait_kind */
    uint32_t *waitlist; /* agents that started waiting (some may have stopped) */
    size_t n_wait, cap_wait;
    size_t n_access, cap_access;
    bz_market_access *access; /* owned array, in registration order */
    size_t n_access_open;     /* access windows open now */

    int64_t refused;        /* requests refused for want of stock */
    int64_t unmet;          /* agents refused for want of stock, still waiting */
    int64_t lost;           /* waitlisted buyers who gave up */
    double sellout_seconds; /* first sell-out, NaN if none */
} bz_market;

/* Set up the market of a sim (reads sim->x->market, sim->model, sim->n,
 * sim->pop; sets the stock). Schedules the opening of availability `from`.
 * BZ_ENOMEM; BZ_EINVAL if the model buys without adopt(). Destroy either
 * way. */
int bz_market_init(struct bz_sim *sim, bz_error *err);
void bz_market_destroy(bz_market *m);

/* Register a window [start, end) that adds `stock` units at `discount` off
 * the list price; `owner`/`tag` name the campaign action told when it sells
 * out: owner is the registering campaign's slot (run->slot), and the
 * window's discounts count as that campaign's spend. Schedules its opening
 * and closing. *index gets its index. BZ_EINVAL if end <= start or owner is
 * not a campaign of the sim (owner >= sim->n_campaigns), BZ_ENOMEM. */
int bz_market_add_window(struct bz_sim *sim, double start, double end, int64_t stock,
                         double discount, uint32_t owner, uint32_t tag, size_t *index,
                         bz_error *err);

/* Register an access window [start, end) in which only agents with
 * allowed[v] != 0 may buy (see the header comment); `allowed` ([n]) must
 * stay valid for the run. Schedules its opening and closing. No effect on a
 * market that is not enabled. BZ_EINVAL if end <= start, BZ_ENOMEM. */
int bz_market_add_access(struct bz_sim *sim, double start, double end, const uint8_t *allowed,
                         bz_error *err);

/* List price of agent v (its city's). */
double bz_market_list_price(const struct bz_sim *sim, uint32_t v);

/* Price agent v pays now (sim->t): the list price, or the lowest price of
 * the windows open now. O(windows open now). */
double bz_market_price(const struct bz_sim *sim, uint32_t v);

/* Agent v's willingness to pay (+inf when price does not matter). */
double bz_market_willingness(const struct bz_sim *sim, uint32_t v);

/* Agent v wants to buy now (sim->t): see the header comment. On SERVED the
 * model's adopt() has run. */
bz_buy_result bz_market_request(struct bz_sim *sim, uint32_t v);

/* Agent v no longer wants to buy: it leaves the queue (no effect if it was
 * not waiting, or was lost). */
void bz_market_withdraw(struct bz_sim *sim, uint32_t v);

/* A BZ_EV_MARKET event (agent, action) and a BZ_EV_ARRIVE event. */
void bz_market_event(struct bz_sim *sim, uint32_t agent, uint32_t action);
void bz_market_arrive(struct bz_sim *sim, uint32_t v, uint32_t window);

/* Agents waiting at the end for `kind` (unmet demand: BZ_WAIT_SOLDOUT). O(n). */
int64_t bz_market_waiting(const struct bz_sim *sim, bz_wait_kind kind);

/* The same per city: out[c] += the agents of city c waiting for `kind`. O(n). */
void bz_market_waiting_by_city(const struct bz_sim *sim, bz_wait_kind kind, int64_t *out);

/* The discounts of the campaign in slot `slot`: the discount_given of the
 * windows it owns, summed in registration order (0 if it owns none). A sale
 * outside every window is at the list price (no discount), and every window
 * has an owner, so the sum of this over the slots 0 .. n_campaigns - 1, in
 * slot order, is all the discount of the run (the `discount` outcome is
 * exactly that sum, engine/run.c). O(windows). */
double bz_market_campaign_discount(const struct bz_sim *sim, uint32_t slot);

/* Unit cost of the units delivered: market.unit_cost x (purchases +
 * gifted), or, when some city has its own unit cost, the sum over cities
 * of its cost x (its purchases + gifts). */
double bz_market_unit_costs(const struct bz_sim *sim, double purchases, double gifted);

#endif
