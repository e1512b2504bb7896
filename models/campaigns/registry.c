/* Registry of campaigns.
 *
 * Adding a campaign: write models/campaigns/<name>.c defining
 *     const bz_campaign_type bz_campaign_<name> = { .name = "<name>", ... };
 * then add one `extern` line and one entry below. Nothing else names it.
 */
#include <string.h>

#include "engine/campaign.h"

extern const bz_campaign_type bz_campaign_advertising;
extern const bz_campaign_type bz_campaign_kol_seeding;
extern const bz_campaign_type bz_campaign_partnership;
extern const bz_campaign_type bz_campaign_flash_sale;
extern const bz_campaign_type bz_campaign_festival;
extern const bz_campaign_type bz_campaign_referral;
extern const bz_campaign_type bz_campaign_social_game;
extern const bz_campaign_type bz_campaign_community;
extern const bz_campaign_type bz_campaign_customer_service;
extern const bz_campaign_type bz_campaign_ambassador;

const bz_campaign_type *const bz_campaign_registry[] = {
    &bz_campaign_advertising,
    &bz_campaign_kol_seeding,
    &bz_campaign_partnership,
    &bz_campaign_flash_sale,
    &bz_campaign_festival,
    &bz_campaign_referral,
    &bz_campaign_social_game,
    &bz_campaign_community,
    &bz_campaign_customer_service,
    &bz_campaign_ambassador,
    NULL,
};

const bz_campaign_type *bz_campaign_find(const char *name)
{
    for (size_t i = 0; bz_campaign_registry[i]; i++)
        if (strcmp(bz_campaign_registry[i]->name, name) == 0) return bz_campaign_registry[i];
    return NULL;
}
