/** What a receiver answered: its status, and its `Retry-After` header as it was written, if any. */
export interface WebhookAnswer {
  status: number;
  retryAfter?: string;
}

/** Port: delivers one signed webhook over HTTP. */
export interface WebhookSender {
  /**
   * Resolves with the receiver's status; rejects when no answer came within the timeout, and, not
   * retryable, when the host resolves to an address referrals may not go to.
   */
  post(url: string, headers: Record<string, string>, body: string): Promise<WebhookAnswer>;
}
