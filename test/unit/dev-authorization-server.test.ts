import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DevAuthorizationServer,
  findDevUser,
  makeLocalJwtAuthorizer,
  mintDevToken,
  startDevAuthorizationServer,
} from '../../functions/local/dev-issuer.js';

/** The console's address, registered as the client's one redirect URI. */
const CONSOLE = 'http://127.0.0.1:3000/console';

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** The console's authorization request, as it sends it (PKCE S256, state). */
const authorizeQuery = (clientId: string, challenge: string, overrides: Record<string, string> = {}) => ({
  response_type: 'code',
  client_id: clientId,
  redirect_uri: CONSOLE,
  scope: 'openid',
  state: 'state-1',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  ...overrides,
});

describe('the dev issuer as authorization server (authorization code with PKCE)', () => {
  let server: DevAuthorizationServer;

  /** GET /oauth2/authorize; the redirect it answers, unfollowed. */
  const authorize = (parameters: Record<string, string>) =>
    fetch(`${server.url}/oauth2/authorize?${new URLSearchParams(parameters)}`, { redirect: 'manual' });

  const authorizeRequest = (challenge: string, overrides: Record<string, string> = {}) =>
    authorizeQuery(server.clientId, challenge, overrides);

  /** A code for the seeded user, with the verifier that redeems it. */
  const codeFor = async (username: string) => {
    const { verifier, challenge } = pkce();
    const response = await authorize(authorizeRequest(challenge, { username }));
    const location = new URL(response.headers.get('location') ?? '');
    return { code: location.searchParams.get('code') ?? '', verifier };
  };

  const exchange = (form: Record<string, string>) =>
    fetch(`${server.url}/oauth2/token`, { method: 'POST', body: new URLSearchParams(form) });

  const tokenRequest = (code: string, verifier: string, overrides: Record<string, string> = {}) => ({
    grant_type: 'authorization_code',
    client_id: server.clientId,
    code,
    redirect_uri: CONSOLE,
    code_verifier: verifier,
    ...overrides,
  });

  beforeAll(async () => {
    server = await startDevAuthorizationServer({ redirectUri: () => CONSOLE });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('sends the browser back with a code and the state, and redeems the code for an ID token of the user', async () => {
    // Prepare
    const { verifier, challenge } = pkce();
    const authorizer = await makeLocalJwtAuthorizer();

    // Act
    const redirect = await authorize(authorizeRequest(challenge, { username: 'wuzhou-city' }));
    const location = new URL(redirect.headers.get('location') ?? '');
    const response = await exchange(tokenRequest(location.searchParams.get('code') ?? '', verifier));
    const body = (await response.json()) as Record<string, unknown>;

    // Assess
    expect(redirect.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(CONSOLE);
    expect(location.searchParams.get('state')).toBe('state-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = await authorizer(`Bearer ${String(body.id_token)}`);
    expect(claims).toMatchObject({
      token_use: 'id',
      'cognito:username': 'wuzhou-city',
      'cognito:groups': '[officer]',
      'custom:offices': 'wuzhou',
    });
  });

  it('shows the seeded users to choose from when no user is named', async () => {
    // Act
    const response = await authorize(authorizeRequest(pkce().challenge));
    const page = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(page).toContain('>wuzhou-city</a>');
    expect(page).toContain('username=wuzhou-city');
  });

  it('refuses a code verifier whose digest is not the challenge', async () => {
    // Prepare
    const { code } = await codeFor('wuzhou');

    // Act
    const response = await exchange(tokenRequest(code, pkce().verifier));

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a code presented a second time', async () => {
    // Prepare
    const { code, verifier } = await codeFor('wuzhou');
    const first = await exchange(tokenRequest(code, verifier));

    // Act
    const second = await exchange(tokenRequest(code, verifier));

    // Assess
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a redirect URI other than the one the code was issued for', async () => {
    // Prepare
    const { code, verifier } = await codeFor('wuzhou');

    // Act
    const response = await exchange(
      tokenRequest(code, verifier, { redirect_uri: 'http://127.0.0.1:3000/console/elsewhere' }),
    );

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses another client, and spends the code it presented', async () => {
    // Prepare
    const { code, verifier } = await codeFor('wuzhou');

    // Act
    const other = await exchange(tokenRequest(code, verifier, { client_id: 'another-client' }));
    const wrongVerifier = await codeFor('wuzhou');
    await exchange(tokenRequest(wrongVerifier.code, pkce().verifier));
    const retried = await exchange(tokenRequest(wrongVerifier.code, wrongVerifier.verifier));

    // Assess
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: 'invalid_client' });
    expect(retried.status).toBe(400);
  });

  it.each([
    ['an unregistered redirect URI', { redirect_uri: 'http://127.0.0.1:3000/elsewhere' }],
    ['an unknown client', { client_id: 'another-client' }],
  ])('answers %s with an error page, sending the browser nowhere', async (_case, overrides) => {
    // Act
    const response = await authorize(
      authorizeRequest(pkce().challenge, { username: 'wuzhou', ...overrides }),
    );

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it.each([
    ['without PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['without the openid scope', { scope: 'email' }, 'invalid_scope'],
    ['for the implicit grant', { response_type: 'token' }, 'unsupported_response_type'],
  ])('sends a request %s back with an error and no code', async (_case, overrides, error) => {
    // Act
    const response = await authorize(
      authorizeRequest(pkce().challenge, { username: 'wuzhou', ...overrides }),
    );
    const location = new URL(response.headers.get('location') ?? '');

    // Assess
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('code')).toBeNull();
    expect(location.searchParams.get('state')).toBe('state-1');
  });

  /** A refresh token for the seeded user, from a code exchange. */
  const refreshTokenFor = async (username: string) => {
    const { code, verifier } = await codeFor(username);
    const body = (await (await exchange(tokenRequest(code, verifier))).json()) as Record<string, unknown>;
    return String(body.refresh_token);
  };

  const refresh = (refreshToken: string, overrides: Record<string, string> = {}) =>
    exchange({
      grant_type: 'refresh_token',
      client_id: server.clientId,
      refresh_token: refreshToken,
      ...overrides,
    });

  const revoke = (form: Record<string, string>) =>
    fetch(`${server.url}/oauth2/revoke`, { method: 'POST', body: new URLSearchParams(form) });

  it('answers a fresh ID token of the user for the refresh token issued with the code', async () => {
    // Prepare
    const authorizer = await makeLocalJwtAuthorizer();
    const refreshToken = await refreshTokenFor('wuzhou-city');

    // Act
    const response = await refresh(refreshToken);
    const body = (await response.json()) as Record<string, unknown>;

    // Assess
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    // Cognito does not rotate refresh tokens unless told to: the console keeps the one it has.
    expect(body.refresh_token).toBeUndefined();
    expect(await authorizer(`Bearer ${String(body.id_token)}`)).toMatchObject({
      token_use: 'id',
      'cognito:username': 'wuzhou-city',
      'cognito:groups': '[officer]',
    });
  });

  it.each([
    ['an unknown refresh token', async () => refresh('forged-refresh-token'), 'invalid_grant'],
    [
      'another client',
      async () => refresh(await refreshTokenFor('wuzhou'), { client_id: 'another-client' }),
      'invalid_client',
    ],
    [
      'a revoked refresh token',
      async () => {
        const refreshToken = await refreshTokenFor('wuzhou');
        await revoke({ token: refreshToken, client_id: server.clientId });
        return refresh(refreshToken);
      },
      'invalid_grant',
    ],
  ])('refuses to renew with %s', async (_case, renew, error) => {
    // Act
    const response = await renew();

    // Assess
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error });
    expect(body.id_token).toBeUndefined();
  });

  it('revokes a refresh token of its client, and keeps it against a revocation by another client', async () => {
    // Prepare
    const refreshToken = await refreshTokenFor('wuzhou');

    // Act
    const foreign = await revoke({ token: refreshToken, client_id: 'another-client' });
    const stillGood = await refresh(refreshToken);
    const revoked = await revoke({ token: refreshToken, client_id: server.clientId });
    const again = await revoke({ token: refreshToken, client_id: server.clientId });
    const refused = await refresh(refreshToken);

    // Assess
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({ error: 'invalid_client' });
    expect(stillGood.status).toBe(200);
    expect(revoked.status).toBe(200);
    expect(revoked.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    // RFC 7009: a token no longer known is revoked all the same
    expect(again.status).toBe(200);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('sends the browser back to the console on sign-out, and nowhere else', async () => {
    // Act
    const registered = await fetch(
      `${server.url}/logout?${new URLSearchParams({ client_id: server.clientId, logout_uri: CONSOLE })}`,
      { redirect: 'manual' },
    );
    const elsewhere = await fetch(
      `${server.url}/logout?${new URLSearchParams({ client_id: server.clientId, logout_uri: 'https://evil.example/' })}`,
      { redirect: 'manual' },
    );

    // Assess
    expect(registered.status).toBe(302);
    expect(registered.headers.get('location')).toBe(CONSOLE);
    expect(elsewhere.status).toBe(400);
  });
});

describe('the dev authorization server with token lifetimes of its own', () => {
  let server: DevAuthorizationServer;
  let clock = new Date('2025-03-01T08:00:00Z');

  /** Signs the seeded user in (authorize, then the code exchange) and answers the token endpoint's body. */
  const signIn = async (username: string) => {
    const { verifier, challenge } = pkce();
    const query = new URLSearchParams(authorizeQuery(server.clientId, challenge, { username }));
    const redirect = await fetch(`${server.url}/oauth2/authorize?${query}`, { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const response = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: server.clientId,
        code,
        redirect_uri: CONSOLE,
        code_verifier: verifier,
      }),
    });
    return (await response.json()) as Record<string, string | number>;
  };

  const refresh = (refreshToken: string) =>
    fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: server.clientId,
        refresh_token: refreshToken,
      }),
    });

  const claimsOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      number
    >;

  beforeAll(async () => {
    server = await startDevAuthorizationServer({
      redirectUri: () => CONSOLE,
      idTokenTtlSeconds: 3,
      refreshTokenTtlSeconds: 60,
      now: () => clock,
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('issues ID tokens for the seconds it is told, with the code and with the refresh token', async () => {
    // Prepare
    const signedIn = await signIn('wuzhou');

    // Act
    const renewed = (await (await refresh(String(signedIn.refresh_token))).json()) as Record<string, string>;

    // Assess
    expect(signedIn.expires_in).toBe(3);
    for (const token of [String(signedIn.id_token), renewed.id_token ?? '']) {
      const { iat, exp } = claimsOf(token);
      expect(exp! - iat!).toBe(3);
    }
  });

  it('refuses a refresh token past its lifetime', async () => {
    // Prepare
    const signedIn = await signIn('wuzhou');
    clock = new Date(clock.getTime() + 61_000);

    // Act
    const response = await refresh(String(signedIn.refresh_token));

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('the local JWT authorizer, as API Gateway checks a Cognito token', () => {
  const HOUR_MS = 3_600_000;
  it.each([
    { what: 'a token in force', options: {}, accepted: true },
    { what: 'an expired token', options: { now: new Date(Date.now() - 9 * HOUR_MS) }, accepted: false },
    { what: 'a token without exp', options: { claims: { exp: undefined } }, accepted: false },
    { what: 'a token without iat', options: { claims: { iat: undefined } }, accepted: false },
    {
      what: 'a token issued in the future',
      options: { now: new Date(Date.now() + HOUR_MS) },
      accepted: false,
    },
  ])('takes $what: $accepted', async ({ options, accepted }) => {
    // Prepare
    const authorize = await makeLocalJwtAuthorizer();
    const token = await mintDevToken(findDevUser('officer', 'wuzhou'), options);

    // Act
    const claims = await authorize(`Bearer ${token}`);

    // Assess
    if (accepted) expect(claims).toMatchObject({ 'cognito:username': 'wuzhou', token_use: 'id' });
    else expect(claims).toBeUndefined();
  });
});
