import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type AppError, isAppError, UnauthorizedError, ValidationError } from '../errors.js';
import { RESPONSE_HEADERS } from '../http.js';
import type { Logger } from '../logger.js';

/** The HTTP status each error code maps to; anything else is a 500 whose details stay in the log. */
const STATUS_BY_CODE: Record<string, number> = {
  MALFORMED_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  RATE_LIMITED: 429,
  DEPENDENCY_UNAVAILABLE: 503,
};

const TITLES: Record<number, string> = {
  400: 'Malformed request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** An RFC 9457 problem document. `type` resolves against the API's base to the README's problem list. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export const toProblem = (error: AppError | undefined, requestId: string): ProblemDetails => {
  const status = error ? (STATUS_BY_CODE[error.code] ?? 500) : 500;
  const code = status === 500 ? 'INTERNAL' : error!.code;
  const problem: ProblemDetails = {
    type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail:
      status === 503
        ? 'a service parcelguard depends on is unavailable; retry after the time given'
        : status >= 500
          ? 'an internal error occurred; quote the instance id when reporting it'
          : error!.message,
    instance: `urn:request:${requestId}`,
    code,
  };
  if (error instanceof ValidationError) problem.errors = error.issues;
  else if (status < 500 && error && Object.keys(error.details).length > 0)
    Object.assign(problem, error.details);
  return problem;
};

const retryAfterOf = (problem: ProblemDetails): string | undefined => {
  if (problem.status === 503) return '5';
  if (problem.status === 429 && typeof problem.retryAfterSeconds === 'number')
    return String(problem.retryAfterSeconds);
  return undefined;
};

export const problemResponse = (problem: ProblemDetails): APIGatewayProxyStructuredResultV2 => {
  const retryAfter = retryAfterOf(problem);
  const allow = problem.status === 405 && Array.isArray(problem.allow) ? problem.allow.join(', ') : undefined;
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      ...RESPONSE_HEADERS,
      ...(retryAfter ? { 'retry-after': retryAfter } : {}),
      ...(allow ? { allow } : {}),
    },
    body: JSON.stringify(problem),
  };
};

/** The HTTP edge: every error becomes problem+json; 4xx say what and where, 5xx say nothing. Logs once. */
export const problemDetails = (
  logger: Logger,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> => ({
  onError: async (request) => {
    const error = request.error;
    const appError = isAppError(error) ? error : undefined;
    const problem = toProblem(appError, request.context.awsRequestId);
    if (problem.status >= 500) {
      logger.error('request failed', {
        code: problem.code,
        error,
        cause: appError?.cause,
        instance: problem.instance,
      });
    } else {
      logger.info('request refused', {
        code: problem.code,
        status: problem.status,
        detail: problem.detail,
        ...(error instanceof UnauthorizedError && error.logReason ? { reason: error.logReason } : {}),
      });
    }
    request.response = problemResponse(problem);
  },
});
