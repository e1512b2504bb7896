/* Channels: where an exposure came from, for exposure counts and last-touch
 * attribution. Fixed channels first, then one word-of-mouth channel per
 * network layer (BZ_CH_LAYER0 + layer index), named after the layer. */
#ifndef BZ_CHANNELS_H
#define BZ_CHANNELS_H

enum bz_channel {
    BZ_CH_EXTERNAL = 0, /* spontaneous / innovation (Bass p) */
    BZ_CH_SEED,         /* initial seeds of the diffusion model */
    BZ_CH_ADVERTISING,
    BZ_CH_KOL,
    BZ_CH_FESTIVAL,
    BZ_CH_PARTNERSHIP,
    BZ_CH_REFERRAL,
    BZ_CH_NEWS,
    BZ_CH_LAYER0,  /* first network layer's word of mouth */
    BZ_CH_MAX = 31 /* channel masks are uint32_t; bit 31 is BZ_MASK_TOUCHED */
};

/* Inbox mask bit set by every delivery, so that deliveries that carry no
 * channel (negative word of mouth) still put the agent on the touched list
 * exactly once. Never a channel: bz_sim_pick_channel ignores it. */
#define BZ_MASK_TOUCHED ((uint32_t)1 << 31)
#define BZ_MASK_CHANNELS (~BZ_MASK_TOUCHED)

#define BZ_MAX_LAYERS (BZ_CH_MAX - BZ_CH_LAYER0)

/* Name of a fixed channel ("external", "advertising", ...); NULL for layers. */
const char *bz_channel_fixed_name(int ch);

#endif
