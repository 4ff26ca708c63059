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

/** Translates an AWS SDK failure into an AppError, so nothing past the adapters sees SDK types. */
export const translateAwsError = (error: unknown, what: string): AppError => {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : 'UnknownError';
  const code = (error as { code?: string } | undefined)?.code;
  if (name === 'ConditionalCheckFailedException')
    return new ConflictError(`${what}: condition failed`, { cause: error });
  const fault = (error as { $fault?: string } | undefined)?.$fault;
  if (RETRYABLE.has(name) || fault === 'server' || (code !== undefined && NETWORK_CODES.has(code))) {
    return new DependencyError(`${what}: ${name}`, error);
  }
  return new AppError('AWS_REQUEST_REJECTED', `${what}: ${name}`, { cause: error });
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
