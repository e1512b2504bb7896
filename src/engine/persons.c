/* Person-by-person comparison (see engine/persons.h). */
#include "engine/persons.h"

#include <math.h>

bz_persons bz_persons_compare(const float *t_here, const float *t_base, uint32_t n, double horizon)
{
    bz_persons p = {0, 0, 0, NAN, 0, 0};
    double both = 0;
    for (uint32_t v = 0; v < n; v++) {
        const int a = !isnan(t_here[v]), b = !isnan(t_base[v]);
        if (a && b) {
            const double d = (double)t_base[v] - (double)t_here[v];
            both++;
            p.acceleration += d;
            p.accelerated += d > 0;
        } else if (a) {
            p.converted++;
            p.expansion += horizon - (double)t_here[v];
        } else if (b) {
            p.displaced++;
            p.expansion -= horizon - (double)t_base[v];
        }
    }
    if (both > 0) p.days_earlier = p.acceleration / both;
    return p;
}
