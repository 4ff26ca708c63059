import { isContractId } from '../../events/manifest-v1.js';
import {
  verifyWebhook,
  type WebhookHeaders,
  type WebhookRejection,
} from '../core/webhooks/standard-webhooks.js';
import type { Partner, PartnerDirectory } from '../ports/partner-directory.js';
import { UnauthorizedError } from './errors.js';

/** What a partner is told when its signature is rejected: the reason, and the header when it is at fault. */
const rejectionDetail = (reason: WebhookRejection): string =>
  reason === 'bad-id'
    ? 'webhook signature rejected: bad-id (webhook-id must be 1 to 256 printable ASCII characters, no spaces)'
    : `webhook signature rejected: ${reason}`;

/**
 * A partner's signed request (a manifest, a status read): the partner its contract id names, whose
 * secrets verify the Standard Webhooks signature over `signed` within the tolerance. An id that is not
 * a contract id never reaches the directory. An unknown partner is verified as a partner with no
 * secrets: the same header checks, and the same 401 as a bad signature, so no answer tells whether a
 * partner id exists (the log line keeps `unknown-partner`).
 */
export const authenticatePartner = async (
  partners: PartnerDirectory,
  request: { partnerId: unknown; headers: WebhookHeaders; signed: string },
  nowSeconds: number,
  toleranceSeconds: number,
): Promise<{ partner: Partner; webhookId: string }> => {
  const { partnerId, headers, signed } = request;
  const partner = isContractId(partnerId) ? await partners.find(partnerId) : undefined;
  const verdict = verifyWebhook(partner?.secrets ?? [], headers, signed, nowSeconds, toleranceSeconds);
  if (verdict.ok && partner) return { partner, webhookId: verdict.webhookId };
  const reason = verdict.ok ? 'no-matching-signature' : verdict.reason;
  // Naming no partner tells nothing about which partners exist: say so, it is the partner's mistake.
  const detail = isContractId(partnerId)
    ? rejectionDetail(reason)
    : `${rejectionDetail(reason)}; the request names no partner id (a manifest's partnerId, a status read's partner-id header: 1 to 64 letters, digits and . _ : -)`;
  throw new UnauthorizedError(detail, {
    logReason: partner || reason !== 'no-matching-signature' ? reason : 'unknown-partner',
  });
};
