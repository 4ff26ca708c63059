import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CryptoKey, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { StaffRole } from '../core/access/roles.js';
import { REPO_ROOT } from './repo-root.js';

/**
 * The embedded stack's stand-in for the Cognito user pool: it signs dev tokens for the seeded users of
 * functions/local/dev-users.json with the committed DEVELOPMENT-ONLY key of dev-issuer-key.json, shaped
 * like Cognito ID tokens (`cognito:groups` holds the role, `custom:offices` the office grants). The
 * local HTTP server verifies them as API Gateway's JWT authorizer verifies Cognito's.
 */

export interface DevUser {
  username: string;
  role: StaffRole;
  offices: string[];
  sub: string;
}

interface IssuerFile {
  issuer: string;
  audience: string;
  key: JWK & { kid: string };
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(resolve(REPO_ROOT, file), 'utf8')) as T;

export const loadDevUsers = (): DevUser[] =>
  readJson<{ users: DevUser[] }>('functions/local/dev-users.json').users;

const issuerFile = (): IssuerFile => readJson<IssuerFile>('functions/local/dev-issuer-key.json');

/** The seeded user of that role whose username is `name` (or, without a name, the role's first user). */
export const findDevUser = (role: string, name?: string): DevUser => {
  const users = loadDevUsers();
  const found = users.find((user) => user.role === role && (name === undefined || user.username === name));
  if (!found) {
    const known = users.map((user) => `${user.role} ${user.username}`).join(', ');
    throw new Error(`no seeded user "${role}${name ? ` ${name}` : ''}"; seeded users: ${known}`);
  }
  return found;
};

export interface TokenOptions {
  /** Seconds the token stays valid; Cognito's default for ID tokens is one hour. */
  expiresInSeconds?: number;
  now?: Date;
  /** Extra or overriding claims, e.g. to build a token the authorizer must refuse. */
  claims?: JWTPayload;
}

/** A signed dev token for the user, as Cognito would issue their ID token. */
export const mintDevToken = async (user: DevUser, options: TokenOptions = {}): Promise<string> => {
  const { issuer, audience, key } = issuerFile();
  const privateKey = (await importJWK(key, 'ES256')) as CryptoKey;
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    sub: user.sub,
    iss: issuer,
    aud: audience,
    token_use: 'id',
    'cognito:username': user.username,
    'cognito:groups': [user.role],
    'custom:offices': user.offices.join(','),
    auth_time: issuedAt,
    iat: issuedAt,
    exp: issuedAt + (options.expiresInSeconds ?? 8 * 3600),
    ...options.claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .sign(privateKey);
};

export type GatewayClaims = Record<string, string>;

/**
 * Claims as API Gateway HTTP APIs hand them to the function (payload 2.0): every value a string, an
 * array rendered as `[a b]`.
 */
const asGatewayClaims = (payload: JWTPayload): GatewayClaims =>
  Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value),
    ]),
  );

/**
 * The JWT authorizer of the local API: verifies signature, issuer, audience and expiry of the bearer
 * token and returns the claims, or undefined when the request must be refused with 401.
 */
export const makeLocalJwtAuthorizer = async (): Promise<
  (authorization: string | undefined) => Promise<GatewayClaims | undefined>
> => {
  const { issuer, audience, key } = issuerFile();
  const { d: _private, ...publicJwk } = key;
  const publicKey = await importJWK(publicJwk, 'ES256');
  return async (authorization) => {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, publicKey, { issuer, audience, algorithms: ['ES256'] });
      return asGatewayClaims(payload);
    } catch {
      return undefined;
    }
  };
};
