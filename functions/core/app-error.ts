/**
 * One base error for everything parcelguard raises on purpose. `code` is stable and
 * machine-readable, `retryable` says whether trying again can help (the SQS edge logs a retryable
 * failure as a warning, any other as an error; both go back to the queue until its DLQ: see the
 * README's departures from the house style), `cause` is always forwarded. Errors never log themselves: the edge logs once.
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
