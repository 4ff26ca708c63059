import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DevAuthorizationServer,
  makeLocalJwtAuthorizer,
  startDevAuthorizationServer,
} from '../../functions/local/dev-issuer.js';

/** The console's address, registered as the client's one redirect URI. */
const CONSOLE = 'http://127.0.0.1:3000/console';

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

describe('the dev issuer as authorization server (authorization code with PKCE)', () => {
  let server: DevAuthorizationServer;

  /** GET /oauth2/authorize; the redirect it answers, unfollowed. */
  const authorize = (parameters: Record<string, string>) =>
    fetch(`${server.url}/oauth2/authorize?${new URLSearchParams(parameters)}`, { redirect: 'manual' });

  const authorizeRequest = (challenge: string, overrides: Record<string, string> = {}) => ({
    response_type: 'code',
    client_id: server.clientId,
    redirect_uri: CONSOLE,
    scope: 'openid',
    state: 'state-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  });

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
