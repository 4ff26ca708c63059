import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DELIVERY_DEFERRED } from '../../../infra/definitions.js';
import {
  type AppError,
  DeliveryInProgressError,
  isAppError,
  UnauthorizedError,
  ValidationError,
} from '../errors.js';
import { RESPONSE_HEADERS } from '../http.js';
import type { Logger } from '../logger.js';
import { problemTypeOf, problemTypePath } from '../problem-types.js';

/** An RFC 9457 problem document. `type` resolves against the API's address to a description (problem-types.ts). */
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

const INTERNAL = problemTypeOf('INTERNAL')!;

/** A 503's wait when nothing tells a longer one: a throttled or slow dependency is usually back by then. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Errors a 422 lists, in the contract's order. A small signed manifest of empty objects breaks the contract
 * in over 100,000 places: listed in full, the answer outgrew Lambda's 6 MB response limit, and API
 * Gateway answered a bare 500 instead.
 */
export const MAX_ERRORS_LISTED = 100;

/** The problem an error is answered with: its code's type, or INTERNAL, whose details stay in the log. */
export const toProblem = (error: AppError | undefined, requestId: string): ProblemDetails => {
  const { code, status, title } = (error && problemTypeOf(error.code)) ?? INTERNAL;
  const problem: ProblemDetails = {
    type: problemTypePath(code),
    title,
    status,
    detail:
      status === 503
        ? error instanceof DeliveryInProgressError
          ? error.message
          : 'a service parcelguard depends on is unavailable; retry after the time given'
        : status >= 500
          ? 'an internal error occurred; quote the instance id when reporting it'
          : error!.message,
    instance: `urn:request:${requestId}`,
    code,
  };
  if (error instanceof ValidationError) {
    const { issues } = error;
    problem.errors = issues.slice(0, MAX_ERRORS_LISTED);
    if (issues.length > MAX_ERRORS_LISTED) {
      problem.detail = `${error.message}: ${issues.length} errors, the first ${MAX_ERRORS_LISTED} listed`;
      problem.errorCount = issues.length;
    }
  } else if (status < 500 && error && Object.keys(error.details).length > 0)
    Object.assign(problem, error.details);
  else if (status === 503) {
    const known = error?.details.retryAfterSeconds;
    problem.retryAfterSeconds = typeof known === 'number' ? known : DEFAULT_RETRY_AFTER_SECONDS;
  }
  return problem;
};

const retryAfterOf = (problem: ProblemDetails): string | undefined => {
  if ((problem.status === 503 || problem.status === 429) && typeof problem.retryAfterSeconds === 'number')
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

/**
 * The HTTP edge: every error becomes problem+json; 4xx say what and where, 5xx say nothing. Logs once: a
 * failure as an error, a refusal, or a delivery deferred while another is handled (a 503 by design), as info.
 */
export const problemDetails = (
  logger: Logger,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> => ({
  onError: async (request) => {
    const error = request.error;
    const appError = isAppError(error) ? error : undefined;
    const problem = toProblem(appError, request.context.awsRequestId);
    if (error instanceof DeliveryInProgressError) {
      logger.info(DELIVERY_DEFERRED, {
        code: problem.code,
        detail: problem.detail,
        instance: problem.instance,
      });
    } else if (problem.status >= 500) {
      logger.error('request failed', {
        code: problem.code,
        error,
        cause: appError?.cause,
        instance: problem.instance,
      });
    } else {
      // Not the detail: it may repeat what the caller sent (a path, a query, an id typed as a phone) or
      // name who holds a parcel, and no log line carries personal data. The answer has it; the instance
      // ties the two together.
      logger.info('request refused', {
        code: problem.code,
        status: problem.status,
        instance: problem.instance,
        ...(error instanceof UnauthorizedError && error.logReason ? { reason: error.logReason } : {}),
      });
    }
    request.response = problemResponse(problem);
  },
});
