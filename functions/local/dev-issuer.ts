import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type CryptoKey, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { StaffRole } from '../core/access/roles.js';
import { startHttpServer } from './http-server.js';
import { makeLambdaContext } from './lambda-context.js';
import { REPO_ROOT } from './repo-root.js';

/**
 * The embedded stack's stand-in for the Cognito user pool: it signs dev tokens for the seeded users of
 * functions/local/dev-users.json with the committed DEVELOPMENT-ONLY key of dev-issuer-key.json, shaped
 * like Cognito ID tokens (`cognito:groups` holds the role, `custom:offices` the office grants). The
 * local HTTP server verifies them as API Gateway's JWT authorizer verifies Cognito's. It can also play
 * Cognito's managed login for the console (`startDevAuthorizationServer`, below): the authorization code
 * grant with PKCE, ending in the same ID tokens.
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
 * The JWT authorizer of the local API: verifies signature, issuer, audience, expiry and issue time of
 * the bearer token and returns the claims, or undefined when the request must be refused with 401.
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
      // As API Gateway's JWT authorizer: `exp` after now and `iat` before it, both required.
      const { payload } = await jwtVerify(token, publicKey, {
        issuer,
        audience,
        algorithms: ['ES256'],
        requiredClaims: ['exp', 'iat'],
      });
      if (payload.iat! > Date.now() / 1000) return undefined;
      return asGatewayClaims(payload);
    } catch {
      return undefined;
    }
  };
};

// ---- the authorization server (Cognito managed login's stand-in) ---------------------------------------

export interface DevAuthorizationServerOptions {
  /** The console's app client; the dev issuer's audience, so its ID tokens pass the local authorizer. */
  clientId?: string;
  /** The one redirect (and sign-out) URI registered for the client: the console's address. */
  redirectUri: () => string;
  /** Seconds an authorization code can be exchanged; Cognito's last five minutes. */
  codeTtlSeconds?: number;
  /**
   * Seconds the ID (and access) tokens it answers stay valid: one hour by default, as the console's app
   * client (`StaffConsoleClient`); a few seconds let a test watch the console renew its token.
   */
  idTokenTtlSeconds?: number;
  /** Seconds a refresh token can be used: twelve hours by default, as the console's app client. */
  refreshTokenTtlSeconds?: number;
  now?: () => Date;
}

export interface DevAuthorizationServer {
  /** Its origin, as STAFF_SIGN_IN_URL names it. */
  url: string;
  clientId: string;
  stop(): Promise<void>;
}

interface PendingCode {
  user: DevUser;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
}

/** A refresh token's grant; the server has one client, so the client_id checked first is its client. */
interface IssuedRefreshToken {
  user: DevUser;
  expiresAt: number;
}

/** RFC 7636: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** base64url of a SHA-256 digest: 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

const html = (status: number, title: string, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; form-action 'none'; frame-ancestors 'none'",
    'cache-control': 'no-store',
  },
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`,
});

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const redirect = (location: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 302,
  headers: { location, 'cache-control': 'no-store' },
  body: '',
});

/** The form body of a request, as API Gateway hands it over (base64 when it has one). */
const formOf = (event: APIGatewayProxyEventV2): URLSearchParams =>
  new URLSearchParams(
    event.body === undefined
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body,
  );

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * The authorization code grant with PKCE as Cognito's managed login serves it to the console, played by
 * the dev issuer for the embedded stack:
 * - `GET /oauth2/authorize` (response_type=code, client_id, redirect_uri, state, scope with openid,
 *   code_challenge with code_challenge_method=S256) shows the seeded users to choose from, in place of
 *   Cognito's sign-in pages; with `username=<seeded user>` (the choice, or a test's shortcut) it sends the
 *   browser back to redirect_uri with a code and the state.
 * - `POST /oauth2/token` (form: grant_type=authorization_code, client_id, code, redirect_uri,
 *   code_verifier) answers `{ id_token, access_token, refresh_token, token_type, expires_in }`, the ID
 *   token minted as `mintDevToken` does. A code is good once, for five minutes, for the client and
 *   redirect URI it was issued to and the verifier whose S256 digest is its challenge; anything else is
 *   `invalid_grant`, and the code is spent either way, so a stolen code cannot be tried with guesses.
 * - `POST /oauth2/token` (form: grant_type=refresh_token, client_id, refresh_token) answers a fresh
 *   `{ id_token, access_token, token_type, expires_in }` (no new refresh token: Cognito does not rotate
 *   them unless told to) while the refresh token is one it issued to that client, unrevoked and within
 *   its twelve hours; otherwise `invalid_grant`, as Cognito answers.
 * - `POST /oauth2/revoke` (form: token, client_id) revokes a refresh token of the client (RFC 7009: an
 *   unknown token is answered 200 too, there being nothing left to revoke).
 * - `GET /logout` (client_id, logout_uri) sends the browser to logout_uri when it is registered.
 * Codes and refresh tokens live in memory: they end with the server.
 */
export const makeDevAuthorizationRoutes = (options: DevAuthorizationServerOptions) => {
  const clientId = options.clientId ?? issuerFile().audience;
  const codeTtlMs = (options.codeTtlSeconds ?? 300) * 1000;
  const idTokenTtlSeconds = options.idTokenTtlSeconds ?? 3600;
  const refreshTokenTtlMs = (options.refreshTokenTtlSeconds ?? 12 * 3600) * 1000;
  const now = options.now ?? (() => new Date());
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, IssuedRefreshToken>();
  const tokenHeaders = () => ({
    'content-type': 'application/json',
    'cache-control': 'no-store',
    // The console calls the token endpoint from its own origin (a CORS simple request: a form post).
    'access-control-allow-origin': new URL(options.redirectUri()).origin,
  });
  const tokenError = (
    status: number,
    error: string,
    description: string,
  ): APIGatewayProxyStructuredResultV2 => ({
    statusCode: status,
    headers: tokenHeaders(),
    body: JSON.stringify({ error, error_description: description }),
  });
  /** The ID and access tokens of the user, fresh, as both grants answer them. */
  const tokensOf = async (user: DevUser) => {
    const tokenOptions = { now: now(), expiresInSeconds: idTokenTtlSeconds };
    return {
      id_token: await mintDevToken(user, tokenOptions),
      access_token: await mintDevToken(user, { ...tokenOptions, claims: { token_use: 'access' } }),
      token_type: 'Bearer',
      expires_in: idTokenTtlSeconds,
    };
  };
  const tokenAnswer = (body: object): APIGatewayProxyStructuredResultV2 => ({
    statusCode: 200,
    headers: tokenHeaders(),
    body: JSON.stringify(body),
  });

  const authorize = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const query = new URLSearchParams(event.rawQueryString);
    const redirectUri = query.get('redirect_uri');
    // Without a known client and its registered redirect URI there is nobody safe to send an error to.
    if (query.get('client_id') !== clientId)
      return html(400, 'Unknown client', '<p>client_id is not registered.</p>');
    if (redirectUri !== options.redirectUri()) {
      return html(400, 'Unregistered redirect', '<p>redirect_uri is not registered for this client.</p>');
    }
    const state = query.get('state');
    const back = (parameters: Record<string, string>) => {
      const target = new URL(redirectUri);
      for (const [name, value] of Object.entries({ ...parameters, ...(state === null ? {} : { state }) })) {
        target.searchParams.set(name, value);
      }
      return redirect(target.href);
    };
    if (query.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    if (!(query.get('scope') ?? '').split(' ').includes('openid')) return back({ error: 'invalid_scope' });
    const codeChallenge = query.get('code_challenge') ?? '';
    if (query.get('code_challenge_method') !== 'S256' || !S256_CHALLENGE.test(codeChallenge)) {
      return back({
        error: 'invalid_request',
        error_description: 'PKCE with code_challenge_method S256 is required',
      });
    }
    const users = loadDevUsers();
    const username = query.get('username');
    if (username === null) {
      const choices = users.map((user) => {
        const choice = new URLSearchParams(query);
        choice.set('username', user.username);
        return `<li><a href="/oauth2/authorize?${escapeHtml(choice.toString())}">${escapeHtml(user.username)}</a> (${user.role}, ${escapeHtml(user.offices.join(', '))})</li>`;
      });
      return html(
        200,
        'Sign in as a seeded user',
        `<p>The embedded stack's stand-in for Cognito managed login (functions/local/dev-users.json).</p><ul>${choices.join('')}</ul>`,
      );
    }
    const user = users.find((candidate) => candidate.username === username);
    if (user === undefined)
      return back({ error: 'access_denied', error_description: `no seeded user ${username}` });
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      user,
      clientId,
      redirectUri,
      codeChallenge,
      expiresAt: now().getTime() + codeTtlMs,
    });
    return back({ code });
  };

  const refresh = async (form: URLSearchParams): Promise<APIGatewayProxyStructuredResultV2> => {
    const issued = refreshTokens.get(form.get('refresh_token') ?? '');
    if (issued === undefined)
      return tokenError(400, 'invalid_grant', 'the refresh token is unknown or revoked');
    if (now().getTime() > issued.expiresAt)
      return tokenError(400, 'invalid_grant', 'the refresh token has expired');
    return tokenAnswer(await tokensOf(issued.user));
  };

  const token = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const form = formOf(event);
    const grantType = form.get('grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return tokenError(
        400,
        'unsupported_grant_type',
        'only authorization_code and refresh_token are supported',
      );
    }
    if (form.get('client_id') !== clientId) return tokenError(400, 'invalid_client', 'unknown client_id');
    if (grantType === 'refresh_token') return refresh(form);
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    // Spent on first presentation, whatever follows.
    codes.delete(code);
    if (pending === undefined) return tokenError(400, 'invalid_grant', 'the code is unknown or already used');
    if (now().getTime() > pending.expiresAt) return tokenError(400, 'invalid_grant', 'the code has expired');
    if (form.get('redirect_uri') !== pending.redirectUri) {
      return tokenError(400, 'invalid_grant', 'redirect_uri differs from the authorization request');
    }
    const verifier = form.get('code_verifier') ?? '';
    const digest = createHash('sha256').update(verifier, 'ascii').digest('base64url');
    if (!CODE_VERIFIER.test(verifier) || !sameText(digest, pending.codeChallenge)) {
      return tokenError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const refreshToken = randomBytes(32).toString('base64url');
    refreshTokens.set(refreshToken, {
      user: pending.user,
      expiresAt: now().getTime() + refreshTokenTtlMs,
    });
    return tokenAnswer({ ...(await tokensOf(pending.user)), refresh_token: refreshToken });
  };

  const revoke = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const form = formOf(event);
    if (form.get('client_id') !== clientId) return tokenError(400, 'invalid_client', 'unknown client_id');
    const revoked = form.get('token');
    if (!revoked) return tokenError(400, 'invalid_request', 'token is required');
    refreshTokens.delete(revoked);
    return { statusCode: 200, headers: tokenHeaders(), body: '' };
  };

  const logout = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const query = new URLSearchParams(event.rawQueryString);
    if (query.get('client_id') !== clientId || query.get('logout_uri') !== options.redirectUri()) {
      return html(400, 'Unregistered sign-out', '<p>client_id or logout_uri is not registered.</p>');
    }
    return redirect(options.redirectUri());
  };

  return { clientId, authorize, token, revoke, logout };
};

/** The authorization server on a port of its own: another origin than the API, as Cognito's domain is. */
export const startDevAuthorizationServer = async (
  options: DevAuthorizationServerOptions,
): Promise<DevAuthorizationServer> => {
  const routes = makeDevAuthorizationRoutes(options);
  const context = () => makeLambdaContext('dev-authorization-server', 5);
  const { server, url } = await startHttpServer([
    { method: 'GET', path: '/oauth2/authorize', handler: routes.authorize, context },
    { method: 'POST', path: '/oauth2/token', handler: routes.token, context },
    { method: 'POST', path: '/oauth2/revoke', handler: routes.revoke, context },
    { method: 'GET', path: '/logout', handler: routes.logout, context },
  ]);
  return {
    url,
    clientId: routes.clientId,
    stop: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())),
  };
};
