import { DependencyError } from '../platform/errors.js';
import type { WebhookSender } from '../ports/webhook-sender.js';

/** Outbound webhooks with fetch: no redirects followed (a callback URL is exact), a hard timeout. */
export class FetchWebhookSender implements WebhookSender {
  constructor(private readonly timeoutMs: number) {}

  async post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel();
      return { status: response.status };
    } catch (error) {
      throw new DependencyError(`callback did not answer: ${(error as Error).name}`, error);
    }
  }
}
