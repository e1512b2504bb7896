/* Registry of network generators.
 *
 * Adding a generator: write models/networks/<name>.c defining
 *     const bz_netgen_type bz_netgen_<name> = { .name = "<name>", ... };
 * then add one `extern` line and one entry below. Nothing else names it.
 */
#include <string.h>

#include "graph/generator.h"

const bz_netgen_type *const bz_netgen_registry[] = {
    NULL,
};

const bz_netgen_type *bz_netgen_find(const char *name)
{
    for (size_t i = 0; bz_netgen_registry[i]; i++)
        if (strcmp(bz_netgen_registry[i]->name, name) == 0) return bz_netgen_registry[i];
    return NULL;
}
