/* Wall-clock seconds for progress lines and timings (never for results:
 * nothing simulated depends on time). */
#ifndef BZ_CLOCK_H
#define BZ_CLOCK_H

#include <time.h>

/* Seconds on the monotonic clock, from an arbitrary origin. */
static inline double bz_clock_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
