/** Port: puts a failed message back on its queue after a delay (backoff). */
export interface RetryScheduler {
  retryAfter(receiptHandle: string, seconds: number): Promise<void>;
}
