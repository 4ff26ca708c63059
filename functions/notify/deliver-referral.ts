import type { ParcelReferred } from '../../events/parcel-referred-v1.js';
import type { ReferralWebhook } from '../../events/referral-webhook-v1.js';
import { undeliverableReason } from '../core/webhooks/callback-url.js';
import { retryAfterSeconds } from '../core/webhooks/retry-after.js';
import { signWebhook } from '../core/webhooks/standard-webhooks.js';
import { AppError, DependencyError } from '../platform/errors.js';
import type { Clock } from '../ports/clock.js';
import type { PartnerDirectory } from '../ports/partner-directory.js';
import type { WebhookSender } from '../ports/webhook-sender.js';

export interface DeliverReferralDeps {
  partners: PartnerDirectory;
  sender: WebhookSender;
  clock: Clock;
  /** The embedded stack's loopback test receivers: plain http and loopback hosts allowed (never in AWS). */
  localReceivers: boolean;
}

export type DeliveryResult =
  | { delivered: true; status: number }
  | { delivered: false; reason: 'no-callback' | 'unknown-partner' };

export class CallbackRejectedError extends AppError {
  /** `retryAfterSeconds`: the receiver's `Retry-After`, which the retry waits at least (up to its ceiling). */
  constructor(status: number, retryAfterSeconds?: number) {
    super('CALLBACK_REJECTED', `the partner's callback answered ${status}`, {
      retryable: true,
      details: { status, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
    });
  }
}

/** The webhook body (contract: events/referral-webhook-v1.ts). */
export const referralPayload = (referral: ParcelReferred): ReferralWebhook => ({
  type: 'parcel.referred',
  timestamp: referral.referredAt,
  data: {
    partnerId: referral.partnerId,
    manifestId: referral.manifestId,
    parcelId: referral.parcelId,
    lane: referral.lane,
    referralId: referral.referralId,
  },
});

/**
 * Delivers one referral to its partner's callback URL, signed with every secret the partner holds
 * (one `v1,` signature each): during a rotation the partner verifies with whichever secret it has
 * switched to, as Standard Webhooks intends. The
 * webhook id is the referral id, the same on every retry, so the partner can drop repeats. A partner
 * without a callback URL reads referrals from GET /v1/manifests/{id} instead: nothing to deliver.
 *
 * A callback URL the rule refuses as written fails with `CALLBACK_NOT_DELIVERABLE` before anything is
 * sent; one whose host resolves to a refused address fails with the same code from the sender, at send
 * time. Neither is retryable: the record goes the way of any failure, back to the queue with backoff
 * until its DLQ, logged as an error.
 */
export const makeDeliverReferral =
  (deps: DeliverReferralDeps) =>
  async (referral: ParcelReferred): Promise<DeliveryResult> => {
    const partner = await deps.partners.find(referral.partnerId);
    // Removed since the parcel was screened (by hand: the tools never delete one): nobody to post to.
    if (partner === undefined) return { delivered: false, reason: 'unknown-partner' };
    if (!partner.callbackUrl) return { delivered: false, reason: 'no-callback' };
    const url = new URL(partner.callbackUrl);
    const problem = undeliverableReason(url, deps.localReceivers);
    if (problem !== undefined) {
      throw new AppError(
        'CALLBACK_NOT_DELIVERABLE',
        `partner ${partner.partnerId} has a callback URL that ${problem}`,
      );
    }
    if (partner.secrets.length === 0)
      throw new DependencyError(`partner ${partner.partnerId} has no current secret to sign with`);
    const body = JSON.stringify(referralPayload(referral));
    const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
    const { status, retryAfter } = await deps.sender.post(
      url.toString(),
      {
        'webhook-id': referral.referralId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': partner.secrets
          .map((secret) => signWebhook(secret, referral.referralId, timestamp, body))
          .join(' '),
      },
      body,
    );
    if (status < 200 || status >= 300) {
      throw new CallbackRejectedError(status, retryAfterSeconds(retryAfter, deps.clock.now()));
    }
    return { delivered: true, status };
  };
