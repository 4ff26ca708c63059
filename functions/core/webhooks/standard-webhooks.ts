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

export type WebhookRejection =
  | 'missing-headers'
  | 'bad-id'
  | 'bad-timestamp'
  | 'stale'
  | 'future'
  | 'no-matching-signature';

export type WebhookVerdict =
  | { ok: true; webhookId: string; timestamp: number }
  | { ok: false; reason: WebhookRejection };

const SECRET_PREFIX = 'whsec_';

/** A Standard Webhooks secret: `whsec_` and the canonical base64 of 24 to 64 bytes. */
export const isWebhookSecret = (secret: string): boolean => {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const base64 = secret.slice(SECRET_PREFIX.length);
  const key = Buffer.from(base64, 'base64');
  return key.length >= 24 && key.length <= 64 && key.toString('base64') === base64;
};

/** A secret no partner holds: signed with, never compared, to pad a refusal's work (HMACS_PER_REFUSAL). */
const NO_PARTNER_SECRET = `${SECRET_PREFIX}${Buffer.alloc(32).toString('base64')}`;

/**
 * The HMACs over the body every refused signature costs, at least: as many as a partner mid-rotation has
 * live secrets through the overlap. A refusal pads to it, so its time does not tell a partner id nobody
 * holds from a partner's, with one secret or rotating (only one rotated again within an overlap, with
 * three, costs more): with one HMAC for no partner, a rotating partner's two told that it exists.
 */
const HMACS_PER_REFUSAL = 2;

/**
 * A webhook id is 1 to 256 printable ASCII characters, no spaces: it becomes part of a stored key
 * (DynamoDB allows 2,048 bytes) and of log lines.
 */
export const WEBHOOK_ID_PATTERN = /^[\x21-\x7e]{1,256}$/;

/**
 * A `v1` entry: the canonical base64 of a 32-byte HMAC-SHA256, padded, its last character carrying no
 * stray bits. Buffer.from(…, 'base64') would skip bad characters and ignore trailing ones instead.
 */
const V1_SIGNATURE = /^v1,([A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=)$/;

const secretBytes = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

export const signWebhook = (secret: string, webhookId: string, timestamp: number, body: string): string => {
  const mac = createHmac('sha256', secretBytes(secret))
    .update(`${webhookId}.${timestamp}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
};

/** The signature headers a request lacks (absent or empty, as verifyWebhook's `missing-headers`), by name. */
export const missingWebhookHeaders = (headers: WebhookHeaders): string[] =>
  (
    [
      ['webhook-id', headers.id],
      ['webhook-timestamp', headers.timestamp],
      ['webhook-signature', headers.signature],
    ] as const
  ).flatMap(([name, value]) => (value ? [] : [name]));

export const verifyWebhook = (
  secrets: readonly string[],
  headers: WebhookHeaders,
  body: string,
  nowSeconds: number,
  toleranceSeconds: number,
): WebhookVerdict => {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing-headers' };
  if (!WEBHOOK_ID_PATTERN.test(id)) return { ok: false, reason: 'bad-id' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  const sentAt = Number(timestamp);
  if (nowSeconds - sentAt > toleranceSeconds) return { ok: false, reason: 'stale' };
  if (sentAt - nowSeconds > toleranceSeconds) return { ok: false, reason: 'future' };

  // Entries of other versions are ignored, as the specification asks; a malformed v1 entry matches nothing.
  const offered = signature.split(' ').flatMap((entry) => {
    const base64 = V1_SIGNATURE.exec(entry)?.[1];
    return base64 === undefined ? [] : [Buffer.from(base64, 'base64')];
  });
  for (const secret of secrets) {
    const expected = Buffer.from(signWebhook(secret, id, sentAt, body).slice(3), 'base64');
    // Compare against every offered signature so timing does not reveal which one matched.
    let matched = false;
    for (const candidate of offered) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
    if (matched) return { ok: true, webhookId: id, timestamp: sentAt };
  }
  for (let spent = secrets.length; spent < HMACS_PER_REFUSAL; spent += 1)
    signWebhook(NO_PARTNER_SECRET, id, sentAt, body);
  return { ok: false, reason: 'no-matching-signature' };
};
