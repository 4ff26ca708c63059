import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { rolesOfRoute } from '../../infra/definitions.js';
import { covers, type OfficeTree } from '../core/access/offices.js';
import { type Actor, isStaffRole, roleFor, type StaffPrincipal } from '../core/access/roles.js';
import { ForbiddenError, UnauthorizedError } from './errors.js';

/**
 * The claims checks every staff handler makes, the same in AWS and on the embedded stack. The gateway
 * (API Gateway's JWT authorizer in AWS, the local issuer's stand-in in functions/local/http-server.ts)
 * has verified the token's signature, issuer, audience and expiry before the handler runs; the handler
 * reads the claims where the gateway puts them and decides on role and office.
 */

/** Cognito puts the user's groups here; the groups are the roles. */
export const GROUPS_CLAIM = 'cognito:groups';
/** The offices (hierarchy nodes) a user's access is granted at: a custom user pool attribute. */
export const OFFICES_CLAIM = 'custom:offices';

type ClaimValue = string | number | boolean | string[] | undefined;

/** API Gateway renders an array claim in payload v2 as `[a b c]`: its items, or undefined for another string. */
const gatewayArray = (value: string): string[] | undefined => {
  const trimmed = value.trim();
  return trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1).split(/\s+/) : undefined;
};

const nonEmpty = (items: readonly string[]): string[] =>
  items.map((item) => item.trim()).filter((item) => item.length > 0);

/**
 * The user's groups: an array (a decoded token) or API Gateway's rendering of one (`[a b]`); a plain
 * string is one group. Never split on commas: a group name may hold one, and `analyst,admin` is no admin.
 */
export const groupsClaim = (value: ClaimValue): string[] => {
  if (value === undefined || typeof value === 'boolean' || typeof value === 'number') return [];
  return nonEmpty(Array.isArray(value) ? value : (gatewayArray(value) ?? [value]));
};

/** The user's offices: a custom attribute, which Cognito can only store as a string, comma-separated. */
export const officesClaim = (value: ClaimValue): string[] => {
  if (value === undefined || typeof value === 'boolean' || typeof value === 'number') return [];
  return nonEmpty(Array.isArray(value) ? value : value.split(','));
};

/** The challenge of a staff 401: the gateway's JWT authorizer takes the ID token as a bearer token. */
export const STAFF_CHALLENGE = 'Bearer realm="parcelguard"';

/** The principal the gateway authenticated; 401 when the request carries no verified claims. */
export const staffPrincipalOf = (event: APIGatewayProxyEventV2): StaffPrincipal => {
  const claims = (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext?.authorizer?.jwt?.claims;
  const subject = claims?.sub;
  if (!claims || typeof subject !== 'string' || subject.length === 0) {
    throw new UnauthorizedError('a verified bearer token is required', { challenge: STAFF_CHALLENGE });
  }
  // The gateway accepts the user pool client's access tokens too (it checks their client_id as the
  // audience), but the offices a user may act for are only in the ID token.
  if (claims.token_use !== 'id') {
    throw new UnauthorizedError(
      `an ID token is required; this bearer token is ${claims.token_use === undefined ? 'of no declared use' : `an ${String(claims.token_use)} token`}`,
      { challenge: STAFF_CHALLENGE },
    );
  }
  const username = claims['cognito:username'] ?? claims.username ?? subject;
  return {
    subject,
    username: String(username),
    roles: groupsClaim(claims[GROUPS_CLAIM]).filter(isStaffRole),
    offices: officesClaim(claims[OFFICES_CLAIM]),
  };
};

/** The caller as an actor in one of the route's roles (from ROUTES); 401 anonymous, 403 wrong role. */
export const authorizeStaff = (
  event: APIGatewayProxyEventV2,
): { principal: StaffPrincipal; actor: Actor } => {
  const principal = staffPrincipalOf(event);
  const allowed = rolesOfRoute(event.routeKey);
  const role = roleFor(principal, allowed);
  if (!role) {
    throw new ForbiddenError(
      `${event.routeKey} is for ${allowed.join(', ') || 'no staff role'}; you are ${principal.roles.join(', ') || 'in no staff role'}`,
    );
  }
  return { principal, actor: { subject: principal.subject, username: principal.username, role } };
};

/** 403 unless access granted at one of the principal's offices covers `office`. */
export const requireOfficeAccess = (tree: OfficeTree, principal: StaffPrincipal, office: string): void => {
  if (!covers(tree, principal.offices, office)) {
    throw new ForbiddenError(`your access does not cover inspection office ${office}`);
  }
};
