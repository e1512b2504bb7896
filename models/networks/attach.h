/* Shared by the preferential-attachment generators (barabasi_albert.c,
 * holme_kim.c): agents 0..m0-1 form a clique, each later agent attaches m
 * edges to earlier ones, and an agent is drawn in proportion to its degree
 * by a uniform slot of the endpoint list of the edges so far (Batagelj &
 * Brandes 2005): slot 2e is edge e's first endpoint, 2e + 1 its second. */
#ifndef BZ_NETWORKS_ATTACH_H
#define BZ_NETWORKS_ATTACH_H

#include <math.h>
#include <stdint.h>

/* The agent at slot s of clique edge e = s / 2, edges numbered
 * e = b(b-1)/2 + a for agents a < b: b at the first slot, a at the second.
 * O(1). */
static inline uint32_t bz_attach_clique_slot(uint64_t s)
{
    uint64_t e = s >> 1;
    uint64_t b = (uint64_t)((1.0 + sqrt(1.0 + 8.0 * (double)e)) / 2.0);
    while (b > 1 && b * (b - 1) / 2 > e)
        b--;
    while ((b + 1) * b / 2 <= e)
        b++;
    return (uint32_t)((s & 1) ? e - b * (b - 1) / 2 : b);
}

/* Arcs of such a graph of n agents (each undirected edge twice); 0 when
 * m < 1 or the clique does not fit. */
static inline uint64_t bz_attach_arcs(uint64_t m0, int64_t m, uint32_t n, int directed)
{
    if (m < 1 || m0 > n) return 0;
    uint64_t edges = m0 * (m0 - 1) / 2 + ((uint64_t)n - m0) * (uint64_t)m;
    return directed ? edges : 2 * edges;
}

#endif
