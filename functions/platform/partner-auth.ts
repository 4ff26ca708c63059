import { isContractId } from '../../events/manifest-v1.js';
import {
  missingWebhookHeaders,
  verifyWebhook,
  type WebhookHeaders,
  type WebhookRejection,
} from '../core/webhooks/standard-webhooks.js';
import type { Partner, PartnerDirectory } from '../ports/partner-directory.js';
import { UnauthorizedError } from './errors.js';

/**
 * What a partner is told when its signature is rejected: the reason, and what the header at fault must
 * be. Nothing here depends on the partner: an unknown partner and a wrong signature read the same.
 */
export const rejectionDetail = (
  reason: WebhookRejection,
  headers: WebhookHeaders,
  toleranceSeconds: number,
  /** What the request signs, as the partner is told to write it: `<body>` for a manifest. */
  payload: string,
): string => {
  const why = {
    'missing-headers': `${missingWebhookHeaders(headers).join(', ')} missing or empty: webhook-id, webhook-timestamp and webhook-signature sign every request`,
    'bad-id': 'webhook-id must be 1 to 256 printable ASCII characters, no spaces',
    'bad-timestamp': `webhook-timestamp must be whole seconds since the Unix epoch (at most 12 digits), ${
      /^[0-9]+$/.test(headers.timestamp ?? '') ? 'not milliseconds' : 'written in digits only'
    }`,
    stale: `webhook-timestamp is more than ${toleranceSeconds} s before the server's time: sign each request as it is sent, and check your clock`,
    future: `webhook-timestamp is more than ${toleranceSeconds} s after the server's time: check your clock`,
    'no-matching-signature': `no v1 signature in webhook-signature matches: HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.${payload}" with the partner's secret, sent as "v1,<base64>"`,
  }[reason];
  return `webhook signature rejected: ${reason} (${why})`;
};

/** The challenge of a partner's 401: no HTTP scheme names a Standard Webhooks signature, so its own token. */
export const PARTNER_CHALLENGE = 'StandardWebhooks realm="parcelguard"';

/**
 * A partner's signed request (a manifest, a status read): the partner its contract id names, whose
 * secrets verify the Standard Webhooks signature over `signed` within the tolerance. An id that is not
 * a contract id never reaches the directory. An unknown partner is verified as a partner with no
 * secrets: the same header checks, and the same 401 as a bad signature, so no answer tells whether a
 * partner id exists (the log line keeps `unknown-partner`).
 */
export const authenticatePartner = async (
  partners: PartnerDirectory,
  request: {
    partnerId: unknown;
    headers: WebhookHeaders;
    /**
     * What the signature must cover; several when the request may be signed in more than one form (a
     * status read's manifest id as written or percent-encoded), and a signature over any one is good.
     */
    signed: string | readonly [string, ...string[]];
    /** What `signed` is, as a refusal names it (`<body>`, `GET /v1/manifests/<manifestId>`). */
    payload: string;
    /**
     * Why the request names no partner though it gives a partner id, as its refusal says (a body that
     * gives `partnerId` twice): then no partner's secret is tried.
     */
    unnamed?: string;
  },
  nowSeconds: number,
  toleranceSeconds: number,
): Promise<{ partner: Partner; webhookId: string }> => {
  const { partnerId, headers, signed, payload, unnamed } = request;
  const named = unnamed === undefined && isContractId(partnerId);
  const partner = named ? await partners.find(partnerId) : undefined;
  const [first, ...others] = typeof signed === 'string' ? ([signed] as const) : signed;
  const verify = (form: string) =>
    verifyWebhook(partner?.secrets ?? [], headers, form, nowSeconds, toleranceSeconds);
  let verdict = verify(first);
  // The headers' checks do not depend on the form: only a signature that matched nothing tries the next.
  for (const form of others) {
    if (verdict.ok || verdict.reason !== 'no-matching-signature') break;
    verdict = verify(form);
  }
  if (verdict.ok && partner) return { partner, webhookId: verdict.webhookId };
  const reason = verdict.ok ? 'no-matching-signature' : verdict.reason;
  // Naming no partner tells nothing about which partners exist: say so first, it is the partner's mistake
  // and the cause (no secret to verify with).
  const said = rejectionDetail(reason, headers, toleranceSeconds, payload);
  const detail = named
    ? said
    : `the request names no partner id (${unnamed ?? "a manifest's partnerId, a status read's partner-id header: 1 to 64 letters, digits and . _ : -"}), so no partner's secret can verify it; ${said}`;
  throw new UnauthorizedError(detail, {
    logReason: partner || reason !== 'no-matching-signature' ? reason : 'unknown-partner',
    challenge: PARTNER_CHALLENGE,
  });
};
