import { z } from 'zod';

/**
 * The 202 answer to POST /v1/manifests: the manifest was stored and its parcels handed to screening. A
 * replay of the same delivery gets this same answer.
 */
export const ManifestReceiptSchema = z.strictObject({
  manifestId: z.string(),
  partnerId: z.string(),
  parcelCount: z.number().int().positive(),
  receivedAt: z.iso.datetime({ offset: true }),
  status: z.literal('accepted'),
});
export type ManifestReceipt = z.infer<typeof ManifestReceiptSchema>;
