import { AppError } from '../core/app-error.js';

export { AppError };

/** One failing location in an input, as a JSON path ("parcels[0].goods[1].hsCode"). */
export interface InputIssue {
  path: string;
  message: string;
}

export class ValidationError extends AppError {
  readonly issues: InputIssue[];
  constructor(message: string, issues: InputIssue[], cause?: unknown) {
    super('VALIDATION_FAILED', message, { cause, details: { issues } });
    this.issues = issues;
  }
}

export class MalformedInputError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('MALFORMED_INPUT', message, { cause });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super('UNSUPPORTED_MEDIA_TYPE', message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, details: { limit: string; max: number; actual: number }) {
    super('PAYLOAD_TOO_LARGE', message, { details });
  }
}

export class UnauthorizedError extends AppError {
  /** Why, for the log line only: more than the answer may say (e.g. that the partner does not exist). */
  readonly logReason: string | undefined;
  /** The `www-authenticate` challenge the 401 carries (RFC 9110 §11.6.1: every 401 names one). */
  readonly challenge: string;
  constructor(message: string, options: { challenge: string; cause?: unknown; logReason?: string }) {
    super('UNAUTHORIZED', message, { cause: options.cause });
    this.logReason = options.logReason;
    this.challenge = options.challenge;
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** The path exists, but not for this method; `allow` lists the methods it has. */
export class MethodNotAllowedError extends AppError {
  constructor(message: string, allow: readonly string[]) {
    super('METHOD_NOT_ALLOWED', message, { details: { allow: [...allow] } });
  }
}

/** A write lost a race or contradicts what is stored (SDK ConditionalCheckFailed ends up here). */
export class ConflictError extends AppError {
  constructor(message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('CONFLICT', message, options);
  }
}

/**
 * A dependency was slow, throttled or down: try again later. `retryAfterSeconds`, when the wait is known
 * (a refused manifest's tombstone turning quiet), is what the 503's `retry-after` says instead of the default.
 */
export class DependencyError extends AppError {
  constructor(message: string, cause?: unknown, retryAfterSeconds?: number) {
    super('DEPENDENCY_UNAVAILABLE', message, {
      retryable: true,
      cause,
      details: retryAfterSeconds === undefined ? {} : { retryAfterSeconds },
    });
  }
}

/**
 * A 503 about the caller's own request rather than a dependency: another delivery of the same manifest
 * is under way, or an earlier version of it is being taken back. Its message names only the caller's
 * manifest and is the problem's detail, so a partner does not read it as an outage.
 */
export class DeliveryInProgressError extends DependencyError {}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** A partner went over a limit of requests per window; `retryAfterSeconds` says when to come back. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, details: { limit: string; max: number; retryAfterSeconds: number }) {
    super('RATE_LIMITED', message, { details });
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}
