/* Festival: offline fan events (Xiaomi's annual fan festival, its meetups
 * in 100+ cities) in the chosen `cities`: one at `at`, or `times` of them
 * every `every` days (recurring meetups; each is a new event with its own
 * fans, attendance and guests).
 *
 * Who comes. Fans are the agents of the chosen cities whose state is not 0
 * at the time of the festival. State 0 is every model's initial,
 * unaware state, so a fan is anyone who has heard of the product (aware,
 * interested, adopted, active, ...). Each fan attends with probability
 * `attendance` (a one-off probability, not a rate). Each attendee brings up
 * to `bring` distinct friends, chosen uniformly among its neighbours on the
 * strong-tie `layer` (default: the last layer, where experiments put the
 * friend network); with `local_guests` (default) only friends who live in one
 * of the chosen cities can come, since an offline event draws local friends.
 * An attendee with fewer eligible friends brings all of them. Guests need
 * not be fans: bringing new people is the point.
 *
 * What it does: group contagion (seat_and_engage). A city's attendees and
 * guests sit at tables of `table` people in arrival order (a fan with the
 * friends it brings); at a table with k adopters a person who has not
 * bought becomes interested (the `engage` lever, channel festival) with
 * probability 1 - (1 - engage)(1 - group)^k, else it is exposed (a
 * campaign exposure: awareness). Everyone seated shares `share_boost`
 * times more for `boost_for` after the event (the `boost` lever; models
 * that do not share ignore it). A person reached twice at one event (the
 * guest of two attendees) is seated and counted once.
 * The boost lever is used only when share_boost != 1 and boost_for != 0.
 * Only models that honour these levers (engine/levers.h: buzz_funnel)
 * take a festival.
 *
 * Layer. When bring > 0, a directed layer is refused (its out-neighbours
 * are followers, not friends one brings along), and so is a well_mixed
 * layer (it has no ties to choose friends from). With bring 0 the layer is
 * not used.
 *
 * Determinism. Attendance and the guest list of fan v at event i come
 * from campaign stream (2 i, v), its engagement from (2 i + 1, v); fans are
 * taken city by city in agent order, and a guest invited twice is seated by
 * the first inviter.
 *
 * Cost, per event: cost_per_city x (chosen cities that exist) +
 * cost_per_attendee x (distinct people seated: attendees + guests); the
 * people count equals the festival channel's exposures.
 * Complexity: O(agents of the chosen cities + strong-tie degree of the
 * attendees + bring^2 per attendee), once; n bytes of marks from start() to
 * the festival, and 8 n bytes of boost arrays when share_boost > 1.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/campaign.h"
#include "engine/sim.h"
#include "util.h"

enum { FEST_MAX_BRING = 100 };

typedef struct fest_params {
    double at, every;
    int64_t times;
    bz_cityset cities;
    double attendance;
    int64_t bring;
    char layer[BZ_NAME_MAX];
    int local_guests;
    double engage, group;
    int64_t table;
    double share_boost, boost_for, cost_per_city, cost_per_attendee;
} fest_params;

static const bz_param fest_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "14d", "days",
     "when the festival takes place (two weeks after launch, as in DESIGN.md's example: only "
     "agents who have heard of the product by then are fans)",
     offsetof(fest_params, at), NULL},
    {"every", BZ_PT_DURATION, 0, 1e7, "7d", "days",
     "time between meetups when times > 1 (Xiaomi's fan clubs met weekly to monthly)",
     offsetof(fest_params, every), NULL},
    {"times", BZ_PT_INT, 1, 10000, "1", "events",
     "how many events: at, at + every, ... (those at or after the horizon never happen); 1: one "
     "festival",
     offsetof(fest_params, times), NULL},
    {"cities", BZ_PT_CITIES, 0, 0, "10", "cities",
     "where festivals are held: all, {top: N} (the N largest cities) or a list of city indices; "
     "default the 10 largest, where fan clubs are",
     offsetof(fest_params, cities), NULL},
    {"attendance", BZ_PT_PROB, 0, 1, "0.05", "probability",
     "chance that a local fan attends (one-off; a few percent of a fan base come to a meetup)",
     offsetof(fest_params, attendance), NULL},
    {"bring", BZ_PT_INT, 0, FEST_MAX_BRING, "2", "friends",
     "most friends an attendee brings, chosen among its strong-tie neighbours (2: a couple of "
     "friends, as in DESIGN.md's example)",
     offsetof(fest_params, bring), NULL},
    {"layer", BZ_PT_STRING, 0, 0, "", "",
     "undirected strong-tie layer guests are chosen on (empty: the last layer, by convention the "
     "friend network)",
     offsetof(fest_params, layer), NULL},
    {"local_guests", BZ_PT_BOOL, 0, 0, "true", "",
     "only friends living in one of the chosen cities come (an offline event draws local "
     "friends); false: any friend",
     offsetof(fest_params, local_guests), NULL},
    {"engage", BZ_PT_PROB, 0, 1, "0.3", "probability",
     "chance that a person at the event who has not bought becomes interested with no adopter at "
     "its table (the event itself: demos, talks); else it is only exposed",
     offsetof(fest_params, engage), NULL},
    {"group", BZ_PT_PROB, 0, 1, "0.15", "probability",
     "group contagion: chance that each adopter at the same table interests a person who has "
     "not bought (so interest rises with the number of owners met)",
     offsetof(fest_params, group), NULL},
    {"table", BZ_PT_INT, 0, 1e6, "10", "people",
     "people who meet one another at an event (a table, a meetup group), seated in arrival order "
     "(fans with the friends they bring); 0: everyone at a city's event meets everyone",
     offsetof(fest_params, table), NULL},
    {"share_boost", BZ_PT_REAL, 1, 1000, "3", "factor",
     "multiplies the sharing of attendees and guests after the event (face-to-face experience "
     "gives a story to tell; 3 is an assumption to calibrate, 1 disables the boost)",
     offsetof(fest_params, share_boost), NULL},
    {"boost_for", BZ_PT_DURATION, 0, 1e7, "7d", "days",
     "how long after `at` the sharing boost lasts (the buzz of an event fades in about a week)",
     offsetof(fest_params, boost_for), NULL},
    {"cost_per_city", BZ_PT_REAL, 0, 1e15, "5000", "currency per city",
     "venue and staff of one city's event (5 KOL fees at kol_seeding's default fee of 1000)",
     offsetof(fest_params, cost_per_city), NULL},
    {"cost_per_attendee", BZ_PT_REAL, 0, 1e15, "20", "currency per person",
     "gift and refreshments for each person engaged (attendees and guests)",
     offsetof(fest_params, cost_per_attendee), NULL},
};

typedef struct fest_state {
    int layer;
    int boost;         /* share_boost applies (> 1 for a positive time) */
    uint32_t n_chosen; /* chosen cities that exist */
    uint8_t *in_city;  /* [n_cities] 1 = festival city */
    uint8_t *mark;     /* [n] 1 = at the current event; freed after the last */
    uint8_t *fan;      /* [n] 1 = a fan when the current event starts; freed after the last */
    uint32_t *people;  /* [n] the current city's event in arrival order */
    int64_t left;      /* events still to come */
} fest_state;

static int fest_layer(const bz_experiment *x, const fest_params *p, bz_error *err)
{
    int li = bz_campaign_layer_last(x, p->layer, "layer", err);
    if (li < 0) return -1;
    if (x->layers[li].directed && p->bring > 0) {
        bz_error_set_param(err, BZ_EINVAL, "layer",
                           "'%s' is directed; festival guests are friends on an undirected "
                           "strong-tie layer (a directed layer's neighbours are followers)",
                           x->layers[li].name);
        return -1;
    }
    return li;
}

static int fest_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const fest_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set_param(err, BZ_EINVAL, "at",
                                  "%g days is not before the horizon (%g days)", p->at, x->horizon);
    /* City indices are checked by the config layer (and again at start). */
    return fest_layer(x, p, err) < 0 ? BZ_EINVAL : BZ_OK;
}

static int fest_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const fest_params *p = run->params;
    fest_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_oom(err, run->type->name, sizeof *st, "the campaign's state");
    run->state = st;
    st->layer = fest_layer(sim->x, p, err);
    if (st->layer < 0) return BZ_EINVAL;
    const bz_layer *l = &sim->net->layers[st->layer];
    if (l->complete && p->bring > 0)
        return bz_error_set_param(err, BZ_EINVAL, "layer",
                                  "'%s' is well_mixed, it has no friendship ties to choose "
                                  "guests from (use a network layer, or bring: 0)",
                                  l->name);
    st->in_city = calloc(sim->pop->n_cities, 1);
    st->mark = calloc(sim->n ? sim->n : 1, 1);
    st->fan = calloc(sim->n ? sim->n : 1, 1);
    st->people = malloc((sim->n ? sim->n : 1) * sizeof *st->people);
    if (!st->in_city || !st->mark || !st->fan || !st->people)
        return bz_error_oom(err, NULL,
                            sim->pop->n_cities +
                                (size_t)(sim->n ? sim->n : 1) * (2 + sizeof *st->people),
                            "the festival of %u agents", sim->n);
    int status = bz_cityset_mark(&p->cities, sim->pop->n_cities, st->in_city, err);
    if (status != BZ_OK) return status;
    st->n_chosen = bz_cityset_count(st->in_city, sim->pop->n_cities);
    st->boost = p->share_boost > 1 && p->boost_for > 0;
    for (int64_t i = 0; i < p->times; i++) {
        const double t = p->at + (double)i * p->every;
        if (!(t < sim->horizon) || (i > 0 && !(p->every > 0))) break;
        bz_sim_schedule_campaign(sim, run, t, (uint32_t)i);
        st->left++;
    }
    return st->boost ? bz_sim_boost_enable(sim, err) : BZ_OK;
}

/* Up to k distinct neighbours of u on l, uniformly among the eligible ones
 * (all, or those living in a marked city when in_city is not NULL), into
 * out[k]; returns how many. Floyd's algorithm draws k distinct ranks among
 * the d eligible, so the cost is O(degree + k^2) with no scratch memory. */
static uint32_t choose_guests(const bz_layer *l, const uint32_t *city, const uint8_t *in_city,
                              uint32_t u, uint32_t k, bz_stream *s, uint32_t *out)
{
    const uint32_t *nb = l->targets + l->offsets[u];
    const uint64_t deg = l->offsets[u + 1] - l->offsets[u];
    uint64_t d = deg;
    if (in_city) {
        d = 0;
        for (uint64_t j = 0; j < deg; j++)
            d += in_city[city[nb[j]]] != 0;
    }
    uint64_t rank[FEST_MAX_BRING];
    uint32_t m = 0;
    if (d <= k) {
        for (uint64_t j = 0; j < d; j++)
            rank[m++] = j;
    } else {
        for (uint64_t j = d - k; j < d; j++) {
            uint64_t x = bz_stream_below(s, j + 1);
            int seen = 0;
            for (uint32_t i = 0; i < m && !seen; i++)
                seen = rank[i] == x;
            rank[m++] = seen ? j : x;
        }
        for (uint32_t i = 1; i < m; i++) { /* ascending, for the mapping below */
            uint64_t r = rank[i];
            uint32_t j = i;
            for (; j > 0 && rank[j - 1] > r; j--)
                rank[j] = rank[j - 1];
            rank[j] = r;
        }
    }
    if (!in_city) {
        for (uint32_t i = 0; i < m; i++)
            out[i] = nb[rank[i]];
        return m;
    }
    uint32_t i = 0;
    for (uint64_t j = 0, r = 0; j < deg && i < m; j++) {
        if (!in_city[city[nb[j]]]) continue;
        if (r++ == rank[i]) out[i++] = nb[j];
    }
    return i;
}

/* Seat v at the current event once (the first inviter wins). */
static void arrive(fest_state *st, uint32_t v, uint32_t *n)
{
    if (st->mark[v]) return;
    st->mark[v] = 1;
    st->people[(*n)++] = v;
}

/* One city's event: its people in arrival order, seated at tables of
 * `table`. At a table with k adopters (the model's adopted states, counted
 * before anyone is engaged) a person who has not bought becomes
 * interested (an engaging exposure) with probability
 *     1 - (1 - engage) (1 - group)^k
 * (the event, and each owner met, persuading independently: a complete
 * graph at the table), else it is exposed (awareness). Its draw: campaign
 * stream (2 event + 1, v). Everyone seated shares more afterwards. */
static void seat_and_engage(bz_sim *sim, const bz_campaign_run *run, fest_state *st, uint32_t event,
                            uint32_t n)
{
    const fest_params *p = run->params;
    const uint32_t tab = p->table > 0 ? (uint32_t)p->table : (n ? n : 1);
    const uint32_t adopted_mask = sim->model->adopted_mask;
    for (uint32_t t0 = 0; t0 < n; t0 += tab) {
        const uint32_t t1 = n - t0 < tab ? n : t0 + tab;
        uint32_t k = 0;
        for (uint32_t i = t0; i < t1; i++)
            k += (adopted_mask >> sim->state[st->people[i]]) & 1u;
        const double pi = 1 - (1 - p->engage) * pow(1 - p->group, (double)k);
        for (uint32_t i = t0; i < t1; i++) {
            const uint32_t v = st->people[i];
            unsigned flags = BZ_EXPOSE_ENGAGE; /* an adopter meets, as it always did */
            if (!((adopted_mask >> sim->state[v]) & 1u)) {
                bz_stream s;
                bz_sim_campaign_stream(sim, run, &s, 2 * event + 1, v);
                if (!(bz_stream_uniform(&s) < pi)) flags = 0;
            }
            bz_sim_expose(sim, v, BZ_CH_FESTIVAL, flags);
            if (st->boost) bz_sim_boost(sim, v, p->share_boost, sim->t + p->boost_for);
        }
    }
}

static void fest_act(bz_sim *sim, bz_campaign_run *run, uint32_t tag)
{
    const fest_params *p = run->params;
    fest_state *st = run->state;
    if (st->left <= 0) return;
    const bz_population *pop = sim->pop;
    const bz_layer *l = &sim->net->layers[st->layer];
    const uint8_t *local = p->local_guests ? st->in_city : NULL;
    const uint32_t bring = (uint32_t)p->bring;
    int64_t people = 0;
    uint32_t guests[FEST_MAX_BRING];
    /* Fans are decided before anyone is engaged: engaging makes unaware
     * guests aware, and they must not become fans of this event. */
    uint8_t *fan = st->fan;
    memset(st->mark, 0, sim->n ? sim->n : 1);
    for (uint32_t c = 0; c < pop->n_cities; c++) {
        if (!st->in_city[c]) continue;
        for (uint64_t i = pop->city_offsets[c]; i < pop->city_offsets[c + 1]; i++) {
            const uint32_t v = pop->city_members[i];
            fan[v] = sim->state[v] != 0;
        }
    }
    for (uint32_t c = 0; c < pop->n_cities; c++) {
        if (!st->in_city[c]) continue;
        uint32_t n = 0;
        for (uint64_t i = pop->city_offsets[c]; i < pop->city_offsets[c + 1]; i++) {
            const uint32_t v = pop->city_members[i];
            if (!fan[v]) continue; /* has not heard of the product */
            bz_stream s;
            bz_sim_campaign_stream(sim, run, &s, 2 * tag, v);
            if (!(bz_stream_uniform(&s) < p->attendance)) continue;
            arrive(st, v, &n);
            uint32_t k = bring ? choose_guests(l, pop->city, local, v, bring, &s, guests) : 0;
            for (uint32_t j = 0; j < k; j++)
                arrive(st, guests[j], &n);
        }
        seat_and_engage(sim, run, st, tag, n);
        people += n;
    }
    run->cost += p->cost_per_city * (double)st->n_chosen + p->cost_per_attendee * (double)people;
    if (--st->left == 0) {
        free(st->mark);
        free(st->fan);
        free(st->people);
        st->mark = st->fan = NULL;
        st->people = NULL;
    }
}

static void fest_finish(bz_campaign_run *run)
{
    fest_state *st = run->state;
    if (!st) return;
    free(st->in_city);
    free(st->mark);
    free(st->fan);
    free(st->people);
    free(st);
    run->state = NULL;
}

/* The boost is given only when it multiplies sharing for some time. */
static const bz_lever_cond fest_lever_conds[] = {
    {BZ_LEVER_BOOST, "share_boost", 1},
    {BZ_LEVER_BOOST, "boost_for", 0},
};

const bz_campaign_type bz_campaign_festival = {
    .name = "festival",
    .summary = "an offline fan event in chosen cities: fans attend and bring strong-tie friends, "
               "who are engaged and share more for a while",
    .params = fest_param_table,
    .n_params = BZ_PARAMS_COUNT(fest_param_table),
    .params_size = sizeof(fest_params),
    .levers = BZ_LEVER_EXPOSE | BZ_LEVER_ENGAGE | BZ_LEVER_BOOST,
    .lever_conds = fest_lever_conds,
    .n_lever_conds = BZ_PARAMS_COUNT(fest_lever_conds),
    .check = fest_check,
    .start = fest_start,
    .act = fest_act,
    .finish = fest_finish,
};
