/* Registry of network generators.
 *
 * Adding a generator: write models/networks/<name>.c defining
 *     const bz_netgen_type bz_netgen_<name> = { .name = "<name>", ... };
 * then add one `extern` line and one entry below. Nothing else names it.
 */
#include <string.h>

#include "graph/generator.h"

extern const bz_netgen_type bz_netgen_erdos_renyi;
extern const bz_netgen_type bz_netgen_barabasi_albert;
extern const bz_netgen_type bz_netgen_watts_strogatz;
extern const bz_netgen_type bz_netgen_well_mixed;
extern const bz_netgen_type bz_netgen_edge_list;
extern const bz_netgen_type bz_netgen_chung_lu;
extern const bz_netgen_type bz_netgen_holme_kim;
extern const bz_netgen_type bz_netgen_sbm;
extern const bz_netgen_type bz_netgen_configuration;

/* One entry per line, so that adding a generator is a one-line diff. */
/* clang-format off */
const bz_netgen_type *const bz_netgen_registry[] = {
    &bz_netgen_erdos_renyi,
    &bz_netgen_barabasi_albert,
    &bz_netgen_watts_strogatz,
    &bz_netgen_well_mixed,
    &bz_netgen_edge_list,
    &bz_netgen_chung_lu,
    &bz_netgen_holme_kim,
    &bz_netgen_sbm,
    &bz_netgen_configuration,
    NULL,
};
/* clang-format on */

const bz_netgen_type *bz_netgen_find(const char *name)
{
    for (size_t i = 0; bz_netgen_registry[i]; i++)
        if (strcmp(bz_netgen_registry[i]->name, name) == 0) return bz_netgen_registry[i];
    return NULL;
}
