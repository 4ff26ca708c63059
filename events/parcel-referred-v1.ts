import { z } from 'zod';

/**
 * Referral queue message and, as `data`, the body of the outbound webhook: what a partner is told about
 * a parcel it must hold or not load (GLOSSARY: referral). Never a score, a rule or a reason.
 */
export const ParcelReferredSchema = z.strictObject({
  type: z.literal('ParcelReferred'),
  version: z.literal(1),
  partnerId: z.string().min(1),
  manifestId: z.string().min(1),
  parcelId: z.string().min(1),
  lane: z.enum(['hold', 'do-not-load']),
  referralId: z.string().min(1),
  referredAt: z.iso.datetime({ offset: true }),
});
export type ParcelReferred = z.infer<typeof ParcelReferredSchema>;
