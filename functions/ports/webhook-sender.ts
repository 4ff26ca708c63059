/** Port: delivers one signed webhook over HTTP. */
export interface WebhookSender {
  /**
   * Resolves with the receiver's status; rejects when no answer came within the timeout, and, not
   * retryable, when the host resolves to an address referrals may not go to.
   */
  post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number }>;
}
