/** Port: delivers one signed webhook over HTTP. */
export interface WebhookSender {
  /** Resolves with the receiver's status; rejects when no answer came within the timeout. */
  post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number }>;
}

/** Port: puts a failed message back on its queue after a delay (backoff). */
export interface RetryScheduler {
  retryAfter(receiptHandle: string, seconds: number): Promise<void>;
}
