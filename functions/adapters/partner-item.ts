import { z } from 'zod';

/**
 * The partners table's item, as every adapter reads it: DynamoDbPartnerDirectory (ingest, notify,
 * partner-status) and DynamoDbPartnerSecrets (rotation), and as functions/local/dev-partners.json seeds
 * it. `secretsVersion` is the optimistic lock rotations take.
 */
export const PartnerItemSchema = z.object({
  partnerId: z.string(),
  region: z.string(),
  secrets: z.array(z.object({ secret: z.string(), notAfter: z.string().optional() })),
  callbackUrl: z.url().optional(),
  secretsVersion: z.number().int().nonnegative().optional(),
});
