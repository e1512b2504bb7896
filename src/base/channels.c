#include "base/channels.h"

#include <stddef.h>

static const char *const fixed_names[BZ_CH_LAYER0] = {
    "external", "seed", "advertising", "kol", "festival", "partnership", "referral", "news"};

const char *bz_channel_fixed_name(int ch)
{
    return (ch >= 0 && ch < BZ_CH_LAYER0) ? fixed_names[ch] : NULL;
}
