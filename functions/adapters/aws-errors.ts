import { AppError, ConflictError, DependencyError } from '../platform/errors.js';

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'TransactionConflictException',
  'RequestThrottled',
  'TimeoutError',
  'AbortError',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** A Node network error code, on the error or, when Node tried several addresses, on the first of them. */
const networkCodeOf = (error: unknown): string | undefined => {
  const failure = error as { code?: unknown; errors?: { code?: unknown }[] } | undefined;
  const code = failure?.code ?? failure?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Translates an AWS SDK failure into an AppError, so nothing past the adapters sees SDK types. */
export const translateAwsError = (error: unknown, what: string): AppError => {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : 'UnknownError';
  const code = networkCodeOf(error);
  if (name === 'ConditionalCheckFailedException')
    return new ConflictError(`${what}: condition failed`, { cause: error });
  const fault = (error as { $fault?: string } | undefined)?.$fault;
  // The code says why a connection failed (`scan audit log: Error` says nothing).
  const reason = code === undefined ? name : `${name} (${code})`;
  if (RETRYABLE.has(name) || fault === 'server' || (code !== undefined && NETWORK_CODES.has(code))) {
    return new DependencyError(`${what}: ${reason}`, error);
  }
  return new AppError('AWS_REQUEST_REJECTED', `${what}: ${reason}`, { cause: error });
};

/** Runs one SDK call and translates what it throws. */
export const awsCall = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(error, what);
  }
};

/** Runs a conditional write; false when its condition failed (already done, or not ours to change). */
export const conditional = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
};
