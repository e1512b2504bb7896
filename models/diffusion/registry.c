/* Registry of diffusion models.
 *
 * Adding a model: write models/diffusion/<name>.c defining
 *     const bz_model_type bz_model_<name> = { .name = "<name>", ... };
 * then add one `extern` line and one entry below. Nothing else names it.
 */
#include <string.h>

#include "engine/model.h"

extern const bz_model_type bz_model_bass;
extern const bz_model_type bz_model_buzz_funnel;
extern const bz_model_type bz_model_independent_cascade;
extern const bz_model_type bz_model_linear_threshold;
extern const bz_model_type bz_model_sir;

const bz_model_type *const bz_model_registry[] = {
    &bz_model_bass,
    &bz_model_buzz_funnel,
    &bz_model_independent_cascade,
    &bz_model_linear_threshold,
    &bz_model_sir,
    NULL,
};

const bz_model_type *bz_model_find(const char *name)
{
    for (size_t i = 0; bz_model_registry[i]; i++)
        if (strcmp(bz_model_registry[i]->name, name) == 0) return bz_model_registry[i];
    return NULL;
}
