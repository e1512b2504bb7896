/* Counter-based random streams (Philox4x32-10, Random123).
 *
 * A stream is a pure function of (seed, replicate, step, agent, purpose): the
 * 64-bit seed is the Philox key, and the counter words are
 *   c0 = agent (or sender, block, ...)   c1 = step
 *   c2 = replicate                        c3 = purpose << 24 | block index
 * so every (replicate, step, agent, purpose) owns 2^24 blocks of four 32-bit
 * words (64 Mi draws). Nothing is shared between streams, which is why results
 * are identical for any thread or rank count: whoever evaluates agent i at
 * step t draws exactly the same numbers. Arms of one replicate use the same
 * streams (common random numbers).
 *
 * Cost: one Philox call (about 10 ns) per four 32-bit draws; the bulk draws
 * below compute eight calls at once.
 */
#ifndef BZ_RNG_H
#define BZ_RNG_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <Random123/philox.h>

/* Purposes: one per independent use of randomness. Keep values stable: they
 * are part of the reproducibility contract (changing one changes results). */
enum bz_rng_purpose {
    BZ_RNG_NETWORK = 1,    /* graph generators: agent = block, step = layer */
    BZ_RNG_POPULATION = 2, /* cities and heterogeneity draws */
    BZ_RNG_INIT = 3,       /* initial states / seeds of a diffusion model */
    BZ_RNG_DECIDE = 4,     /* an agent's own transition in a step */
    BZ_RNG_MARKET = 5,     /* a buyer's arrival time within a step (market) */
    BZ_RNG_DESIGN = 6,     /* sweep designs (LHS strata): step = dimension */
    BZ_RNG_PATIENCE = 7,   /* when a waitlisted buyer gives up (market) */
    BZ_RNG_CAMPAIGN = 8,   /* + campaign index within its arm (up to 32) */
    BZ_RNG_SPREAD = 64,    /* + layer index (up to 64 layers) */
    BZ_RNG_MODEL = 128,    /* + model-specific sub-purposes (up to 64) */
    BZ_RNG_TEST = 250
};

/* Stream replicate value used for the shared network of all replicates. */
#define BZ_RNG_SHARED_REPLICATE 0xFFFFFFFFu

typedef struct bz_stream {
    philox4x32_key_t key;
    philox4x32_ctr_t ctr;
    philox4x32_ctr_t out;
    unsigned idx; /* next unused word of out; 4 = exhausted */
} bz_stream;

static inline void bz_stream_init(bz_stream *s, uint64_t seed, uint32_t replicate, uint32_t step,
                                  uint32_t agent, uint32_t purpose)
{
    s->key.v[0] = (uint32_t)seed;
    s->key.v[1] = (uint32_t)(seed >> 32);
    s->ctr.v[0] = agent;
    s->ctr.v[1] = step;
    s->ctr.v[2] = replicate;
    s->ctr.v[3] = (purpose & 0xFFu) << 24;
    s->idx = 4;
}

/* Next 32 random bits. The block counter wraps after 2^24 blocks into the
 * purpose byte's neighbour: callers never need that many from one stream. */
static inline uint32_t bz_stream_u32(bz_stream *s)
{
    if (s->idx == 4) {
        s->out = philox4x32_R(10, s->ctr, s->key);
        s->ctr.v[3]++;
        s->idx = 0;
    }
    return s->out.v[s->idx++];
}

static inline uint64_t bz_stream_u64(bz_stream *s)
{
    uint64_t hi = bz_stream_u32(s);
    return (hi << 32) | bz_stream_u32(s);
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double bz_stream_uniform(bz_stream *s)
{
    return (double)(bz_stream_u64(s) >> 11) * 0x1.0p-53;
}

/* Uniform in (0, 1]: safe for log(). */
static inline double bz_stream_uniform_pos(bz_stream *s)
{
    return ((double)(bz_stream_u64(s) >> 11) + 1.0) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n >= 1, without modulo bias (Lemire). */
static inline uint64_t bz_stream_below(bz_stream *s, uint64_t n)
{
    if (n <= 1) return 0; /* also guards n = 0, outside the contract */
    if (n <= UINT32_MAX) {
        uint64_t m = (uint64_t)bz_stream_u32(s) * n;
        uint32_t l = (uint32_t)m;
        if (l < n) {
            uint32_t t = (uint32_t)(-(uint32_t)n) % (uint32_t)n;
            while (l < t) {
                m = (uint64_t)bz_stream_u32(s) * n;
                l = (uint32_t)m;
            }
        }
        return m >> 32;
    }
    /* 64-bit range: rejection on the smallest power-of-two mask. */
    uint64_t mask = n - 1;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    uint64_t r;
    do
        r = bz_stream_u64(s) & mask;
    while (r >= n);
    return r;
}

/* True with probability p. */
static inline int bz_stream_bernoulli(bz_stream *s, double p)
{
    return bz_stream_uniform(s) < p;
}

/* ln u for u in (0, 1], table driven (rng/lntab.c): u = 2^e m with m in
 * [1, 2); interval k = [1 + k/256, 1 + (k+1)/256) holds the reciprocal and
 * the logarithm of its midpoint c_k, and ln m = ln c_k + ln(1 + r) with
 * r = m / c_k - 1, |r| < 2^-9, by the series to r^4. Absolute error below
 * 1.2e-14 (tests/unit/test_rng.c checks it against logl), never above 0
 * (ln 1 would come out +5.6e-15: clamped), the same bits on every machine
 * (IEEE operations in a fixed order; C11 mode does not contract into fused
 * multiply-adds). A few nanoseconds where libm's log takes 15 to 20: the
 * simulations draw one per event (waiting times, skips). */
enum { BZ_LOGTAB_BITS = 8, BZ_LOGTAB_SIZE = 1 << BZ_LOGTAB_BITS };
typedef struct bz_logtab {
    double inv[BZ_LOGTAB_SIZE]; /* 1 / c_k, c_k the midpoint of interval k of [1, 2) */
    double ln[BZ_LOGTAB_SIZE];  /* ln c_k */
} bz_logtab;
extern const bz_logtab bz_lntab;

static inline double bz_ln01(double u)
{
    uint64_t bits;
    memcpy(&bits, &u, sizeof bits);
    const int e = (int)(bits >> 52) - 1023;
    const unsigned k = (unsigned)(bits >> (52 - BZ_LOGTAB_BITS)) & (BZ_LOGTAB_SIZE - 1);
    const uint64_t mbits = (bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
    double m;
    memcpy(&m, &mbits, sizeof m);
    const double r = m * bz_lntab.inv[k] - 1.0;
    const double l1p = r * (1.0 + r * (-0.5 + r * (1.0 / 3.0 - r * 0.25)));
    const double l = (double)e * 0.69314718055994530942 + (bz_lntab.ln[k] + l1p);
    return l < 0.0 ? l : 0.0;
}

/* Number of failures before the first success of a Bernoulli(p) sequence,
 * 0 < p < 1, given 1 / log1p(-p) precomputed as `inv_log_q` (negative; a
 * multiply per skip instead of a divide). Used for geometric skipping. Saturates at UINT64_MAX/2
 * for tiny p. Per draw the law is geometric to within a total variation of about 2e-14 / p (the
 * table logarithm's error, bz_ln01). */
static inline uint64_t bz_stream_geometric_skip(bz_stream *s, double inv_log_q)
{
    double g = floor(bz_ln01(bz_stream_uniform_pos(s)) * inv_log_q);
    return g < 9.2e18 ? (uint64_t)g : (uint64_t)1 << 62;
}

/* An Exp(1) draw: -ln U. */
static inline double bz_stream_exp1(bz_stream *s)
{
    return -bz_ln01(bz_stream_uniform_pos(s));
}

/* Bulk draws for hot loops (graph generators): exactly the values, in the
 * same order and leaving the stream in the same state, as n calls of
 * bz_stream_u32 (resp. bz_stream_uniform_pos). Whole Philox blocks are
 * computed eight at a time with AVX2 where the CPU has it (chosen at run
 * time; integer arithmetic, so the bits never depend on the path): about
 * 1 ns per 32-bit word instead of 4. n may be anything; the block counter
 * must not wrap (2^24 blocks per stream, as for single draws). */
void bz_stream_fill_u32(bz_stream *s, uint32_t *out, size_t n);
void bz_stream_fill_uniform_pos(bz_stream *s, double *out, size_t n);

/* Geometric skips in bulk (skips.c): g[i] = floor(bz_ln01(U_i) * inv_log_q)
 * for the stream's next n uniform_pos draws U_i, with inv_log_q =
 * 1 / ln(1 - p), i.e. the failures before each success of a Bernoulli(p)
 * sequence; the same bits on every machine and about 2 ns per skip with
 * AVX2. */
void bz_skips_fill(bz_stream *s, double inv_log_q, double *g, size_t n);

/* Per-step probability of an event with the given rate (per day) over dt days:
 * 1 - exp(-rate * dt). */
static inline double bz_rate_to_prob(double rate_per_day, double dt_days)
{
    return -expm1(-rate_per_day * dt_days);
}

/* ---- GSL adapter ---------------------------------------------------------
 * A gsl_rng_type whose state is a bz_stream, so GSL's distributions draw from
 * our streams:
 *     gsl_rng *r = bz_gsl_rng_alloc();           // once per thread/workspace
 *     bz_gsl_rng_attach(r, &stream);             // copy a stream in
 *     double x = gsl_ran_beta(r, a, b);
 * gsl_rng_set() (integer seed) keys the stream by (seed, 0, 0, 0, BZ_RNG_TEST)
 * for GSL's own test helpers. Returns NULL when out of memory. */
#include <gsl/gsl_rng.h>
extern const gsl_rng_type *const bz_gsl_rng_philox;
gsl_rng *bz_gsl_rng_alloc(void);
void bz_gsl_rng_attach(gsl_rng *r, const bz_stream *s);

#endif
