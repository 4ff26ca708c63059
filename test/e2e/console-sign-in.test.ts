import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { launchChromium } from '../support/chromium.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';

const PARCEL = 'SWF7781000123';
const UI_TIMEOUT_MS = 5_000;

/**
 * The console signing in as it does in AWS, against the dev issuer playing Cognito's managed login on an
 * origin of its own: authorization code grant with PKCE, the ID token exchanged by the page itself.
 */
describe('the officers console signing in through the authorization server', () => {
  let stack: EmbeddedStack;
  let browser: Browser;

  const openConsole = async (): Promise<{ page: Page; errors: string[]; requests: string[] }> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
    const response = await page.goto(`${stack.apiUrl}/console`);
    expect(response?.status()).toBe(200);
    return { page, errors, requests };
  };

  beforeAll(async () => {
    const [launched, started] = await Promise.all([
      launchChromium(),
      startEmbeddedStack({ visibilityTimeoutSeconds: 1, staffSignIn: true }),
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

  it('signs in with a code and PKCE, keeps only the ID token, and lists the queue', async () => {
    // Prepare
    const { page, errors, requests } = await openConsole();
    const signInUrl = stack.staffSignInUrl!;
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
    // only the ID token stays, in this tab's session storage, where a pasted token goes
    const stored = (await page.evaluate(
      "({ keys: Object.keys(sessionStorage), token: sessionStorage.getItem('parcelguard.staffToken'), local: localStorage.length })",
    )) as { keys: string[]; token: string; local: number };
    expect(stored.keys).toEqual(['parcelguard.staffToken']);
    expect(stored.local).toBe(0);
    const claims = JSON.parse(Buffer.from(stored.token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ token_use: 'id', 'cognito:username': 'wuzhou' });
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    expect(errors).toEqual([]);

    // Act: sign out
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();

    // Assess: through the authorization server's sign-out, back to a console without a token
    expect(requests).toContain(
      `GET ${signInUrl}/logout?${new URLSearchParams({ client_id: 'parcelguard-local-staff', logout_uri: `${stack.apiUrl}/console` })}`,
    );
    expect(page.url()).toBe(`${stack.apiUrl}/console`);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await page.locator('#queue').isHidden()).toBe(true);
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

  it('serves the console under a policy that lets it call the authorization server and no other origin', async () => {
    // Act
    const response = await fetch(`${stack.apiUrl}/console`);
    const policy = response.headers.get('content-security-policy') ?? '';

    // Assess
    expect(policy).toContain(`connect-src 'self' ${stack.staffSignInUrl}; `);
    expect(policy).toContain("form-action 'none'");
  });
});
