import { z } from 'zod';
import { isWebhookSecret } from '../core/webhooks/standard-webhooks.js';

/**
 * The partners table's item, as every adapter reads it: DynamoDbPartnerDirectory (ingest, notify,
 * partner-status) and DynamoDbPartnerSecrets (rotation), and as functions/local/dev-partners.json seeds
 * it. `secretsVersion` is the optimistic lock rotations take.
 */
export const PartnerItemSchema = z.object({
  partnerId: z.string(),
  region: z.string(),
  secrets: z.array(
    z.object({
      // An empty key would verify anyone's signature: only a well-formed secret is one.
      secret: z
        .string()
        .refine(isWebhookSecret, 'not a webhook secret: whsec_ and the base64 of 24 to 64 bytes'),
      // In UTC, as rotation writes it: isLiveSecret compares it as an instant.
      notAfter: z.iso.datetime().optional(),
    }),
  ),
  callbackUrl: z.url().optional(),
  secretsVersion: z.number().int().nonnegative().optional(),
});
