/* The market: availability, price, stock and the resolution of purchases.
 *
 * Models that opt in (bz_model_type.buys) do not adopt directly: in phase 2
 * an agent that decides to adopt calls bz_sim_want(), which records its
 * attribution channel and appends it to the step's request list. After the
 * model's step the engine resolves the requests (bz_market_resolve):
 *   - if no part of the step is open for sale, nobody is served; they stay
 *     potential adopters and may want again in a later step by the model's
 *     own hazard (pent-up demand);
 *   - if the stock covers every request (or is unlimited), everyone is
 *     served and no random number is drawn;
 *   - otherwise each requester gets an arrival time from its own stream
 *     (seed, replicate, step, agent, BZ_RNG_MARKET); requests are served in
 *     (arrival, agent id) order until the stock runs out, and the arrival of
 *     the last unit is the sell-out time. The order is a pure function of the
 *     requesters, so results do not depend on the thread count.
 *
 * Arrival times. A fresh request (an agent that decided to buy in this step)
 * arrives uniformly in the open part of the step: demand that flows in over
 * time. A waiting request (the agent asked before, while the market was
 * closed or sold out: pent-up demand) arrives uniformly over the rest of the
 * flash-sale windows open in the step, [max(t0, start), end): people who
 * waited for an announced sale come when they can during it, not all in its
 * first step. So the sell-out time of a backlog does not depend on the step
 * length (a 10-minute window sells a backlog of D >= S units at about
 * S / D x 10 minutes with 1-minute or 10-minute steps). Waiting requests are
 * resolved in the step they are made, so their sales are booked in that step
 * even when their arrival time lies later in the window. Waiting is tracked
 * per agent (1 byte) and cleared when the agent is served.
 *
 * Open part of a step [t0, t0 + dt): the whole step for availability
 * `always`, the part after `from` for `from`, and the union of the flash-sale
 * windows intersected with the step for `flash_only`.
 *
 * Stock: sim->stock, -1 = unlimited. It starts at market.stock (0 means
 * unlimited). A flash-sale window adds its units at the start of the step
 * that contains its opening; unlimited stock then becomes finite (the
 * window's units), so `market.stock: 0` with flash sales means "only what the
 * windows bring". Units left over carry to later windows.
 */
#ifndef BZ_MARKET_H
#define BZ_MARKET_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/idlist.h"

struct bz_sim;

/* A flash-sale window [start, end) in days. */
typedef struct bz_market_window {
    double start, end;
    int64_t stock;          /* units it adds when it opens */
    double price;           /* price during the window (recorded, no effect on demand) */
    int opened;             /* its stock was added */
    int sold_out;           /* the stock ran out inside this window */
    int64_t sold;           /* units bought while it was open */
    double sellout_seconds; /* seconds from its opening to its sell-out, NaN if none */
} bz_market_window;

/* A request with its arrival time (days), for ordering. */
typedef struct bz_market_order {
    double t;
    uint32_t v;
} bz_market_order;

#define BZ_MARKET_MAX_OPEN 64 /* open intervals kept per step (windows merged) */

typedef struct bz_market {
    int enabled;      /* the model buys through the market */
    int availability; /* bz_availability */
    double from;      /* days, for BZ_AVAIL_FROM */
    double price;

    size_t n_windows, cap_windows;
    bz_market_window *windows; /* owned, in registration order */

    uint8_t *want_channel;  /* [n] attribution of each request of this step */
    uint8_t *waiting;       /* [n] 1: asked while closed or sold out, not yet served */
    bz_idlist requests;     /* requesters of this step, with holes */
    bz_market_order *order; /* scratch [n], allocated on the first sell-out race */

    /* open part of the current step: disjoint sorted intervals */
    int n_open;
    double open_lo[BZ_MARKET_MAX_OPEN], open_hi[BZ_MARKET_MAX_OPEN];
    double open_days; /* total length */
    /* where waiting requests arrive: the open windows' rest, [max(t0, start), end) */
    int n_backlog;
    double backlog_lo[BZ_MARKET_MAX_OPEN], backlog_hi[BZ_MARKET_MAX_OPEN];
    double backlog_days;

    int64_t requested;      /* requests in the last resolved step */
    int64_t served;         /* purchases served in the last resolved step */
    int64_t refused;        /* requests of the last resolved step not served although part of
                             * the step was open (the stock ran out): failed buyers */
    double sellout_seconds; /* first sell-out: seconds since its window opened, NaN if none */
} bz_market;

/* Set up the market of a sim (reads sim->x->market, sim->model->buys,
 * sim->n, sim->n_threads; sets sim->stock). Allocates O(5 n) bytes if the
 * model buys. BZ_ENOMEM on allocation failure, BZ_EINVAL if the model buys
 * without an adopt callback; bz_market_destroy either way. */
int bz_market_init(struct bz_sim *sim, bz_error *err);

/* Free what bz_market_init and bz_market_add_window allocated. */
void bz_market_destroy(bz_market *m);

/* Register a flash-sale window [start, end) (days) that adds `stock` units
 * when it opens and sells at `price`; its index into m->windows goes to
 * *index. Called from a campaign's start(). BZ_EINVAL if end <= start,
 * BZ_ENOMEM if the list cannot grow. */
int bz_market_add_window(struct bz_sim *sim, double start, double end, int64_t stock, double price,
                         size_t *index, bz_error *err);

/* Start of step sim->step: open the windows that begin in it (adding their
 * stock), compute the open part of the step, empty the request list. Serial,
 * O(windows + threads). */
void bz_market_begin_step(struct bz_sim *sim);

/* Price of a unit bought in the current step: the lowest price of the
 * flash-sale windows that overlap the step, else the market price. O(windows). */
double bz_market_price_now(const struct bz_sim *sim);

/* Serve the requests of the step (see above), calling model->adopt for each
 * buyer; updates sim->stock, purchases, revenue (units x bz_market_price_now),
 * units sold per window and the sell-out times. Units served without an
 * arrival order (stock covers every request) count for the first window
 * open in the step. Serial, O(k log k) for k
 * requests when stock is short, O(k) otherwise. BZ_ENOMEM if the ordering
 * scratch cannot be allocated. */
int bz_market_resolve(struct bz_sim *sim, bz_error *err);

#endif
