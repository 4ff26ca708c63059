/**
 * One base error for everything parcelguard raises on purpose. `code` is stable and
 * machine-readable, `retryable` tells an SQS edge whether to retry or dead-letter,
 * `cause` is always forwarded. Errors never log themselves: the edge logs once.
 */
export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}
