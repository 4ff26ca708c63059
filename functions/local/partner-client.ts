import { randomUUID } from 'node:crypto';
import { signWebhook } from '../core/webhooks/standard-webhooks.js';

export interface PostResult {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  /** The answer's JSON, or its text when it is not JSON. */
  body: unknown;
}

const jsonOrText = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
};

/** Posts a manifest as a partner does: JSON body, Standard Webhooks headers signed with the partner's secret. */
export const postSignedManifest = async (
  apiUrl: string,
  secret: string,
  body: string,
  options: { webhookId?: string; timestamp?: number; signal?: AbortSignal } = {},
): Promise<PostResult> => {
  const webhookId = options.webhookId ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${apiUrl}/v1/manifests`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secret, webhookId, timestamp, body),
    },
    body,
    signal: options.signal,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    body: jsonOrText(await response.text()),
  };
};
