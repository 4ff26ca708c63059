import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { launchChromium } from '../support/chromium.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';

const PARCEL = 'SWF7781000123';
const UI_TIMEOUT_MS = 5_000;
/** The dev issuer's ID tokens last this long here, so that a test can outlive one. */
const ID_TOKEN_SECONDS = 3;
const TOKEN_KEY = 'parcelguard.staffToken';
const REFRESH_KEY = 'parcelguard.staffRefreshToken';

interface TabStorage {
  keys: string[];
  token: string | null;
  refreshToken: string | null;
  local: number;
}

const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * The console signing in as it does in AWS, against the dev issuer playing Cognito's managed login on an
 * origin of its own: authorization code grant with PKCE, the ID token exchanged by the page itself and
 * renewed with the refresh token. The ID tokens last ID_TOKEN_SECONDS; the page renews a token when less
 * than half its lifetime is left, so a renewal may happen in any test here, as it would in a long shift.
 */
describe('the officers console signing in through the authorization server', () => {
  let stack: EmbeddedStack;
  let browser: Browser;

  const openConsole = async (): Promise<{
    page: Page;
    errors: string[];
    requests: string[];
    /** The forms the page posted to the authorization server. */
    forms: URLSearchParams[];
    /** The API's 401 answers to the page. */
    refusals: string[];
  }> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const errors: string[] = [];
    const requests: string[] = [];
    const forms: URLSearchParams[] = [];
    const refusals: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 401 && response.url().startsWith(stack.apiUrl)) refusals.push(response.url());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('request', (request) => {
      requests.push(`${request.method()} ${request.url()}`);
      if (request.method() === 'POST' && request.url().startsWith(stack.staffSignInUrl!)) {
        forms.push(new URLSearchParams(request.postData() ?? ''));
      }
    });
    const response = await page.goto(`${stack.apiUrl}/console`);
    expect(response?.status()).toBe(200);
    return { page, errors, requests, forms, refusals };
  };

  const storageOf = async (page: Page): Promise<TabStorage> =>
    (await page.evaluate(
      `({ keys: Object.keys(sessionStorage).sort(), token: sessionStorage.getItem('${TOKEN_KEY}'),
          refreshToken: sessionStorage.getItem('${REFRESH_KEY}'), local: localStorage.length })`,
    )) as TabStorage;

  /** Signs in through the authorization server as the seeded user, and waits for the offices. */
  const signIn = async (page: Page, username: string) => {
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.origin === stack.staffSignInUrl);
    await page.getByRole('link', { name: username, exact: true }).click();
    await page
      .locator('#signed-in-as')
      .filter({ hasText: `${username} · officer` })
      .waitFor();
    await expect.poll(() => page.getByLabel('Inspection office').inputValue()).toBe('wuzhou-customs');
  };

  /**
   * Signs out and waits for the page to come back from the authorization server's sign-out: it shows
   * Sign in at once, then leaves, so a read of the page before it is back may find it gone mid-read.
   */
  const signOutAndComeBack = async (page: Page) => {
    const back = page.waitForRequest(
      (request) =>
        request.isNavigationRequest() &&
        request.url() === `${stack.apiUrl}/console` &&
        request.redirectedFrom()?.url().startsWith(`${stack.staffSignInUrl}/logout`) === true,
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await back;
    await page.waitForLoadState('load');
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  };

  const listQueue = async (page: Page) => {
    await page.getByRole('button', { name: 'List queue' }).click();
    await page.locator(`tr[data-parcel-id="${PARCEL}"]`).waitFor();
  };

  /** The dev server's answer to a renewal with the refresh token, as the page would ask it. */
  const renewWith = async (refreshToken: string) => {
    const response = await fetch(`${stack.staffSignInUrl}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'parcelguard-local-staff',
        refresh_token: refreshToken,
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const refreshGrants = (forms: URLSearchParams[]) =>
    forms.filter((form) => form.get('grant_type') === 'refresh_token');

  beforeAll(async () => {
    const [launched, started] = await Promise.all([
      launchChromium(),
      startEmbeddedStack({
        visibilityTimeoutSeconds: 1,
        staffSignIn: true,
        staffIdTokenTtlSeconds: ID_TOKEN_SECONDS,
      }),
    ]);
    browser = launched;
    stack = started;
    const manifest = JSON.stringify(readSample(RUILI_MANIFEST));
    expect((await postAsPartner(stack, 'southwest-freight', manifest)).status).toBe(202);
    await stack.waitForIdle();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs in with a code and PKCE, keeps the ID and refresh tokens in the tab, and lists the queue', async () => {
    // Prepare
    const { page, errors, requests } = await openConsole();
    const signInUrl = stack.staffSignInUrl!;
    // Shown once the page has read its settings, which also hides the pasted-token form
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.getByLabel('Bearer token').isHidden()).toBe(true);

    // Act: the sign-in button, the authorization server's choice of user, and back
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.origin === signInUrl);
    const authorizeUrl = new URL(page.url());
    await page.getByRole('link', { name: 'wuzhou', exact: true }).click();
    await page.locator('#signed-in-as').filter({ hasText: 'wuzhou · officer' }).waitFor();
    await expect.poll(() => page.getByLabel('Inspection office').inputValue()).toBe('wuzhou-customs');
    await page.getByRole('button', { name: 'List queue' }).click();
    await page.locator(`tr[data-parcel-id="${PARCEL}"]`).waitFor();

    // Assess: the authorization request asked for a code with an S256 challenge, for the console
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'parcelguard-local-staff',
      redirect_uri: `${stack.apiUrl}/console`,
      scope: 'openid',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.stringMatching(/^[A-Za-z0-9_-]{22,}$/),
    });
    // the code left the address at once, and the page exchanged it at the token endpoint itself
    expect(page.url()).toBe(`${stack.apiUrl}/console`);
    expect(requests).toContain(`POST ${signInUrl}/oauth2/token`);
    // the ID token stays where a pasted token goes, the refresh token beside it: this tab's session storage
    const stored = await storageOf(page);
    expect(stored.keys).toEqual([REFRESH_KEY, TOKEN_KEY]);
    expect(stored.local).toBe(0);
    expect(claimsOf(stored.token!)).toMatchObject({ token_use: 'id', 'cognito:username': 'wuzhou' });
    expect(stored.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    expect(errors).toEqual([]);

    // Act: sign out
    await signOutAndComeBack(page);

    // Assess: through the authorization server's sign-out, back to a console without a token
    expect(requests).toContain(
      `GET ${signInUrl}/logout?${new URLSearchParams({ client_id: 'parcelguard-local-staff', logout_uri: `${stack.apiUrl}/console` })}`,
    );
    expect(page.url()).toBe(`${stack.apiUrl}/console`);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await page.locator('#queue').isHidden()).toBe(true);
  });

  it('renews the expired ID token with the refresh token, and revokes the refresh token on sign-out', async () => {
    // Prepare: signed in, with the queue listed, then outlive the ID token
    const { page, errors, requests, forms, refusals } = await openConsole();
    await signIn(page, 'wuzhou');
    await listQueue(page);
    const before = await storageOf(page);
    const renewalsBefore = refreshGrants(forms).length;
    // (Before this, a call may have met a 401 and renewed after it: whole-second `exp` cuts short lives.)
    const refusalsBefore = refusals.length;
    await page.waitForTimeout((ID_TOKEN_SECONDS + 1) * 1000);
    const expired = await fetch(`${stack.apiUrl}/v1/offices`, {
      headers: { authorization: `Bearer ${before.token}` },
    });

    // Act: list the queue again
    await page.locator('#queue-rows').evaluate((rows) => rows.replaceChildren());
    await listQueue(page);
    const after = await storageOf(page);

    // Assess: the old token is refused by now, yet the listing went through with one renewed before the
    // call (the API refused nothing)
    expect(expired.status).toBe(401);
    expect(refusals.slice(refusalsBefore)).toEqual([]);
    const renewals = refreshGrants(forms).slice(renewalsBefore);
    expect(renewals.length).toBeGreaterThanOrEqual(1);
    expect(Object.fromEntries(renewals[0]!)).toEqual({
      grant_type: 'refresh_token',
      client_id: 'parcelguard-local-staff',
      refresh_token: before.refreshToken,
    });
    expect(after.token).not.toBe(before.token);
    expect(after.refreshToken).toBe(before.refreshToken);
    const renewed = claimsOf(after.token!);
    expect(renewed).toMatchObject({ token_use: 'id', 'cognito:username': 'wuzhou' });
    expect(renewed.exp).toBeGreaterThan(Date.now() / 1000);
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    expect(errors).toEqual([]);

    // Act: sign out
    await signOutAndComeBack(page);
    const reuse = await renewWith(before.refreshToken!);

    // Assess: the refresh token was revoked before the sign-out page, and is worth nothing now
    const revocations = forms.filter((form) => form.has('token'));
    expect(revocations.map((form) => Object.fromEntries(form))).toEqual([
      { token: before.refreshToken, client_id: 'parcelguard-local-staff' },
    ]);
    expect(requests.indexOf(`POST ${stack.staffSignInUrl}/oauth2/revoke`)).toBeLessThan(
      requests.findIndex((request) => request.startsWith(`GET ${stack.staffSignInUrl}/logout`)),
    );
    expect(reuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('renews the token once after the API refuses it, and calls again with the new one', async () => {
    // Prepare: a reloaded tab whose stored ID token claims an hour left but is refused by the API
    const { page, forms, refusals } = await openConsole();
    await signIn(page, 'wuzhou');
    const signedIn = await storageOf(page);
    const [header, , signature] = signedIn.token!.split('.');
    // The browser's clock, which may differ from this process's: the page judges a stored token by it.
    const now = Math.floor(Number(await page.evaluate('Date.now()')) / 1000);
    const payload = Buffer.from(
      JSON.stringify({ ...claimsOf(signedIn.token!), iat: now, exp: now + 3600 }),
    ).toString('base64url');
    const refused = `${header}.${payload}.${signature}`;
    // Stored as the reloaded page starts, so that no renewal begun before the reload can overwrite it.
    await page.addInitScript(`sessionStorage.setItem('${TOKEN_KEY}', '${refused}')`);
    const renewalsBefore = refreshGrants(forms).length;

    // Act: the reload reads the offices with the stored token; then list the queue
    await page.reload();
    await expect.poll(() => page.getByLabel('Inspection office').inputValue()).toBe('wuzhou-customs');
    await listQueue(page);
    const after = await storageOf(page);

    // Assess: one refusal (the offices), one renewal after it, the same call made again and answered
    expect(refusals).toEqual([`${stack.apiUrl}/v1/offices`]);
    expect(refreshGrants(forms).length).toBeGreaterThan(renewalsBefore);
    expect(after.token).not.toBe(refused);
    expect(after.refreshToken).toBe(signedIn.refreshToken);
    expect(await page.getByRole('alert').isHidden()).toBe(true);
  });

  it('forgets both tokens and asks to sign in again when the refresh token is refused', async () => {
    // Prepare: signed in, the refresh token revoked behind the tab's back, the ID token outlived
    const { page } = await openConsole();
    await signIn(page, 'wuzhou');
    const signedIn = await storageOf(page);
    const revoked = await fetch(`${stack.staffSignInUrl}/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: signedIn.refreshToken!, client_id: 'parcelguard-local-staff' }),
    });
    expect(revoked.status).toBe(200);
    await page.waitForTimeout((ID_TOKEN_SECONDS + 1) * 1000);

    // Act
    await page.getByRole('button', { name: 'List queue' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();

    // Assess
    expect(await alert.locator('.detail').textContent()).toContain('sign in again');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).isVisible()).toBe(true);
    expect(await page.locator('#queue').isHidden()).toBe(true);
    // Focus where the next sign-in starts, not lost to the page with the queue
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('sign-in-button');
  });

  it.each([
    ['a code', 'code=forged-code&state=forged-state'],
    [
      'an error with a message of its own',
      'error=access_denied&error_description=Mail+your+code+to+us&state=x',
    ],
  ])(
    'refuses an answer with %s whose state matches no sign-in started in the tab, and exchanges nothing',
    async (_kind, query) => {
      // Prepare: an answer the tab never asked for (a forged or replayed callback, anyone's link)
      const { page, requests } = await openConsole();

      // Act
      await page.goto(`${stack.apiUrl}/console?${query}`);
      const alert = page.getByRole('alert');
      await alert.waitFor();

      // Assess
      expect(await alert.locator('.detail').textContent()).toBe(
        'the answer matches no sign-in started in this tab: sign in again',
      );
      expect(page.url()).toBe(`${stack.apiUrl}/console`);
      expect(requests.filter((request) => request.includes('/oauth2/token'))).toEqual([]);
      expect(await page.evaluate('sessionStorage.length')).toBe(0);
    },
  );

  it('refuses an answer whose state is not that of the sign-in under way in the tab, and exchanges nothing', async () => {
    // Prepare: a sign-in started in the tab, at the authorization server
    const { page, requests } = await openConsole();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.origin === stack.staffSignInUrl);

    // Act: the tab follows someone else's link, with their code and state, instead
    await page.goto(`${stack.apiUrl}/console?code=forged-code&state=forged-state`);
    const alert = page.getByRole('alert');
    await alert.waitFor();

    // Assess
    expect(await alert.locator('.detail').textContent()).toBe(
      'the answer matches no sign-in started in this tab: sign in again',
    );
    expect(requests.filter((request) => request.includes('/oauth2/token'))).toEqual([]);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('keeps the sign-in, for another try, when the sign-in service fails to renew the token', async () => {
    // Prepare: signed in; the token endpoint then fails with a 503 at every renewal
    const { page } = await openConsole();
    await signIn(page, 'wuzhou');
    await page.route(
      (url) => url.origin === stack.staffSignInUrl && url.pathname === '/oauth2/token',
      (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{}' }),
    );
    const signedIn = await storageOf(page);

    // Act: once the ID token has expired, list the queue
    await page.waitForTimeout((ID_TOKEN_SECONDS + 1) * 1000);
    await page.getByRole('button', { name: 'List queue' }).click();
    await page.getByRole('alert').waitFor();

    // Assess: both tokens kept, still signed in
    expect(await storageOf(page)).toMatchObject({
      token: signedIn.token,
      refreshToken: signedIn.refreshToken,
    });
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
  });

  it('serves the console under a policy that lets it call the authorization server and no other origin', async () => {
    // Act
    const response = await fetch(`${stack.apiUrl}/console`);
    const policy = response.headers.get('content-security-policy') ?? '';

    // Assess
    expect(policy).toContain(`connect-src 'self' ${stack.staffSignInUrl}; `);
    expect(policy).toContain("form-action 'none'");
  });
});
