import { z } from 'zod';
import { ParcelReferredSchema } from './parcel-referred-v1.js';

/**
 * The body notify posts to a partner's callback URL: Standard Webhooks' envelope (`type`, `timestamp`,
 * `data`) with the referral as data. The delivery's `webhook-id` is the referral id, the same on every
 * retry, so a partner drops repeats by it.
 */
export const ReferralWebhookSchema = z.strictObject({
  type: z.literal('parcel.referred'),
  timestamp: z.iso.datetime({ offset: true }),
  data: ParcelReferredSchema.pick({
    partnerId: true,
    manifestId: true,
    parcelId: true,
    lane: true,
    referralId: true,
  }),
});
export type ReferralWebhook = z.infer<typeof ReferralWebhookSchema>;
