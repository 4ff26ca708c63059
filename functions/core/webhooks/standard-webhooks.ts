import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (standardwebhooks.com) signatures: HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}`, keyed with the base64 secret after `whsec_`,
 * sent as space-separated `v1,<base64>` entries so keys can rotate with an overlap.
 */

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export type WebhookVerdict =
  | { ok: true; webhookId: string; timestamp: number }
  | { ok: false; reason: 'missing-headers' | 'bad-timestamp' | 'stale' | 'future' | 'no-matching-signature' };

const SECRET_PREFIX = 'whsec_';

const secretBytes = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

export const signWebhook = (secret: string, webhookId: string, timestamp: number, body: string): string => {
  const mac = createHmac('sha256', secretBytes(secret))
    .update(`${webhookId}.${timestamp}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
};

export const verifyWebhook = (
  secrets: readonly string[],
  headers: WebhookHeaders,
  body: string,
  nowSeconds: number,
  toleranceSeconds: number,
): WebhookVerdict => {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  const sentAt = Number(timestamp);
  if (nowSeconds - sentAt > toleranceSeconds) return { ok: false, reason: 'stale' };
  if (sentAt - nowSeconds > toleranceSeconds) return { ok: false, reason: 'future' };

  const offered = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = Buffer.from(signWebhook(secret, id, sentAt, body).slice(3), 'base64');
    // Compare against every offered signature so timing does not reveal which one matched.
    let matched = false;
    for (const candidate of offered) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
    if (matched) return { ok: true, webhookId: id, timestamp: sentAt };
  }
  return { ok: false, reason: 'no-matching-signature' };
};
