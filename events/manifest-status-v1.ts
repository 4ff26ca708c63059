import { z } from 'zod';

/**
 * Per parcel, only what a partner may know: `pending` before screening, else the lane it acts on
 * (`review` is internal and reads `release`) and, when it must act, the referral id.
 */
export const ParcelStatusSchema = z.discriminatedUnion('status', [
  z.strictObject({ parcelId: z.string(), status: z.literal('pending') }),
  z.strictObject({ parcelId: z.string(), status: z.literal('release') }),
  z.strictObject({
    parcelId: z.string(),
    status: z.enum(['hold', 'do-not-load']),
    referralId: z.string(),
  }),
]);
export type ParcelStatus = z.infer<typeof ParcelStatusSchema>;

/** The answer to GET /v1/manifests/{manifestId}, signed by the partner that sent the manifest. */
export const ManifestStatusSchema = z.strictObject({
  manifestId: z.string(),
  partnerId: z.string(),
  receivedAt: z.iso.datetime({ offset: true }),
  parcels: z.array(ParcelStatusSchema),
});
export type ManifestStatus = z.infer<typeof ManifestStatusSchema>;
