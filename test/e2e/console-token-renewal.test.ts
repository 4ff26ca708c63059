import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { launchChromium } from '../support/chromium.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';

const PARCEL = 'SWF7781000123';
const UI_TIMEOUT_MS = 5_000;

/**
 * When the console renews an ID token of Cognito's default hour: once less than five minutes of it are
 * left, not before, timed on the page's clock, which the test moves forward (Playwright's clock) instead
 * of waiting an hour. console-sign-in.test.ts covers renewing tokens of seconds, where half the lifetime
 * is the margin.
 */
describe('the officers console renewing an hour-long ID token', () => {
  let stack: EmbeddedStack;
  let browser: Browser;

  beforeAll(async () => {
    const [launched, started] = await Promise.all([
      launchChromium(),
      startEmbeddedStack({ visibilityTimeoutSeconds: 1, staffSignIn: true }),
    ]);
    browser = launched;
    stack = started;
    expect(
      (await postAsPartner(stack, 'southwest-freight', JSON.stringify(readSample(RUILI_MANIFEST)))).status,
    ).toBe(202);
    await stack.waitForIdle();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const listQueue = async (page: Page) => {
    await page.locator('#queue-rows').evaluate((rows) => rows.replaceChildren());
    await page.getByRole('button', { name: 'List queue' }).click();
    await page.locator(`tr[data-parcel-id="${PARCEL}"]`).waitFor();
  };

  /** A tab on a clock the test moves, signed in as `wuzhou` with the queue listed; counts its renewals. */
  const signedInTab = async (): Promise<{ context: BrowserContext; page: Page; renewals: () => number }> => {
    const context = await browser.newContext();
    await context.clock.install();
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    let renewals = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === `${stack.staffSignInUrl}/oauth2/token`) {
        if (new URLSearchParams(request.postData() ?? '').get('grant_type') === 'refresh_token') renewals++;
      }
    });
    await page.goto(`${stack.apiUrl}/console`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.origin === stack.staffSignInUrl);
    await page.getByRole('link', { name: 'wuzhou', exact: true }).click();
    await page.locator('#signed-in-as').filter({ hasText: 'wuzhou · officer' }).waitFor();
    await expect.poll(() => page.getByLabel('Inspection office').inputValue()).toBe('wuzhou-customs');
    await listQueue(page);
    return { context, page, renewals: () => renewals };
  };

  it('renews once less than five minutes of the hour are left, and not before', async () => {
    // Prepare
    const { context, page, renewals } = await signedInTab();
    const token = () => page.evaluate(`sessionStorage.getItem('parcelguard.staffToken')`);
    const first = await token();

    // Act: five and a half minutes left (the sign-in took a few seconds of the page's clock too)
    await context.clock.fastForward('54:30');
    await listQueue(page);

    // Assess: still the first token
    expect(renewals()).toBe(0);
    expect(await token()).toBe(first);

    // Act: four and a half minutes left
    await context.clock.fastForward('01:00');
    await listQueue(page);

    // Assess: renewed once, by the page's own check or before the listing, and the listing used it
    await expect.poll(renewals).toBe(1);
    expect(await token()).not.toBe(first);
    await listQueue(page);
    expect(renewals()).toBe(1);
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    await context.close();
  });
});
