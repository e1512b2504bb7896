/* Person-by-person comparison of two runs of one replicate: an arm and the
 * baseline. Common random numbers make every agent the same person in both
 * runs (the same network position, attributes and streams), so "adopts
 * here but not in the baseline" is a count of people a campaign converted,
 * not a difference of totals (engine/results.h defines the outcomes and
 * their identities). */
#ifndef BZ_PERSONS_H
#define BZ_PERSONS_H

#include <stdint.h>

typedef struct bz_persons {
    double converted, displaced, accelerated;
    double days_earlier; /* NaN when no agent adopts in both */
    double acceleration, expansion;
} bz_persons;

/* Compare adoption times (days; NaN = never) of n agents: t_here of the arm,
 * t_base of the baseline, both runs ending at `horizon`. Exact identities:
 *   converted - displaced = adopters here - adopters in the baseline
 *   acceleration + expansion = integral over [0, horizon] of A(t) - B(t)
 * (A, B the adopter counts), up to floating-point rounding. O(n). */
bz_persons bz_persons_compare(const float *t_here, const float *t_base, uint32_t n, double horizon);

#endif
