import type { MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { isContractId } from '../../../events/manifest-v1.js';
import { DELIVERY_DEFERRED, rolesOfRoute } from '../../../infra/definitions.js';
import { isPartyKey } from '../../core/parties/party-keys.js';
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

/** The answer to a problem; `challenge`, a 401's `www-authenticate` (UnauthorizedError's). */
export const problemResponse = (
  problem: ProblemDetails,
  challenge?: string,
): APIGatewayProxyStructuredResultV2 => {
  const retryAfter = retryAfterOf(problem);
  const allow = problem.status === 405 && Array.isArray(problem.allow) ? problem.allow.join(', ') : undefined;
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      ...RESPONSE_HEADERS,
      ...(retryAfter ? { 'retry-after': retryAfter } : {}),
      ...(allow ? { allow } : {}),
      ...(problem.status === 401 && challenge !== undefined ? { 'www-authenticate': challenge } : {}),
    },
    body: JSON.stringify(problem),
  };
};

/** A path parameter as a log line may carry it: an id or a party key, never other text someone typed there. */
const loggedParameter = (name: string, value: string | undefined): string =>
  value !== undefined && (name === 'key' ? isPartyKey(value) : isContractId(value)) ? value : `{${name}}`;

/**
 * The token's subject as a log line may carry it: an id (Cognito's is a UUID), else `{sub}`. The gateway
 * verified the token, not what its issuer put in `sub`: an email address, a line break, a terminal escape.
 */
const loggedSubject = (subject: string): string => (isContractId(subject) ? subject : '{sub}');

/**
 * Who asked what, on a staff route (ROUTES in infra/definitions.ts): the staff user's id (the token's
 * `sub`, as the audit log records the actor, `{sub}` when it is no id; absent when the request carried
 * no verified token), the method, the route, and the path it was sent to, each parameter in it (parcel,
 * party key) kept when it is an id and shown as `{name}` otherwise (a phone typed where a party key goes
 * is personal data), and the office a queue was asked for, when `isOffice` knows it (any other text
 * there may be anything: a phone typed in the office box). Never the raw path or the query string.
 * Nothing for other routes: a partner's delivery is logged by its own handler, an anonymous request by
 * the gateway.
 */
export const staffRequestFields = (
  event: APIGatewayProxyEventV2,
  isOffice: (office: string) => boolean = () => false,
): Record<string, unknown> => {
  if (rolesOfRoute(event.routeKey).length === 0) return {};
  const subject = (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext?.authorizer?.jwt?.claims
    ?.sub;
  const [method, template = ''] = event.routeKey.split(' ');
  const parameters = event.pathParameters ?? {};
  const office = event.queryStringParameters?.office;
  return {
    ...(typeof subject === 'string' && subject.length > 0 ? { actor: loggedSubject(subject) } : {}),
    method,
    route: event.routeKey,
    path: template.replace(/\{(\w+)\}/g, (_whole, name: string) => loggedParameter(name, parameters[name])),
    ...(office !== undefined && isOffice(office) ? { office } : {}),
  };
};

/**
 * The HTTP edge: every error becomes problem+json; 4xx say what and where, 5xx say nothing. Logs once: a
 * failure as an error, a refusal, or a delivery deferred while another is handled (a 503 by design), as info.
 */
export const problemDetails = (
  logger: Logger,
  options: {
    /** Whether a queue's `office` parameter names an office, and may be logged (see staffRequestFields). */
    isOffice?: (office: string) => boolean;
  } = {},
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
        ...staffRequestFields(request.event, options.isOffice),
        code: problem.code,
        error,
        cause: appError?.cause,
        instance: problem.instance,
      });
    } else {
      // Not the detail: it may repeat what the caller sent (a path, a query, an id typed as a phone) or
      // name who holds a parcel, and no log line carries personal data. The answer has it; the instance
      // ties the two together. On a staff route, who was refused what (a probe of another office's
      // parcel is a 404 like any absent one): the staff id is no clear personal data, as in the audit log.
      logger.info('request refused', {
        ...staffRequestFields(request.event, options.isOffice),
        code: problem.code,
        status: problem.status,
        instance: problem.instance,
        ...(error instanceof UnauthorizedError && error.logReason ? { reason: error.logReason } : {}),
      });
    }
    request.response = problemResponse(
      problem,
      error instanceof UnauthorizedError ? error.challenge : undefined,
    );
  },
});
