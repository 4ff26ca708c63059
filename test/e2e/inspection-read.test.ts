import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { launchChromium } from '../support/chromium.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { asStaff, tokenFor } from '../support/staff.js';

const PARCEL = 'SWF7781000123';
const PARCEL_PATH = `/v1/inspections/southwest-freight/${PARCEL}`;
const UI_TIMEOUT_MS = 5_000;

describe('one flagged parcel by its house document number, on the embedded stack', () => {
  let stack: EmbeddedStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [browser, stack] = await Promise.all([
      launchChromium(),
      startEmbeddedStack({ visibilityTimeoutSeconds: 1 }),
    ]);
    const posted = await postAsPartner(
      stack,
      'southwest-freight',
      JSON.stringify(readSample(RUILI_MANIFEST)),
    );
    expect(posted.status).toBe(202);
    await stack.waitForIdle();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("answers the queue's item to its office, and another office the 404 a claim gets", async () => {
    // Prepare
    const wuzhou = await tokenFor('officer', 'wuzhou');
    const guangzhou = await tokenFor('officer', 'guangzhou');
    const listed = await asStaff(stack.apiUrl, wuzhou, 'GET', '/v1/inspections?office=wuzhou-customs');
    const entry = listed.body.items.find((item: { parcelId: string }) => item.parcelId === PARCEL);

    // Act
    const read = await asStaff(stack.apiUrl, wuzhou, 'GET', PARCEL_PATH);
    const elsewhere = await asStaff(stack.apiUrl, guangzhou, 'GET', PARCEL_PATH);
    const claimElsewhere = await asStaff(stack.apiUrl, guangzhou, 'POST', `${PARCEL_PATH}/claim`);
    const absent = await asStaff(
      stack.apiUrl,
      wuzhou,
      'GET',
      '/v1/inspections/southwest-freight/SWF0000000000',
    );

    // Assess
    expect(read.status).toBe(200);
    expect(read.cacheControl).toBe('no-store');
    expect(read.body).toEqual(entry);
    expect(read.body.partyKeys).not.toHaveProperty('consigneeName');
    expect([elsewhere.status, claimElsewhere.status, absent.status]).toEqual([404, 404, 404]);
    expect(elsewhere.body.detail).toBe(claimElsewhere.body.detail);
    expect(elsewhere.body).toMatchObject({ code: 'NOT_FOUND', type: '/problems/not-found' });
  });

  it("opens the parcel from the console's find box, with its actions, and says so when it is not found", async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    expect((await page.goto(`${stack.apiUrl}/console`))?.status()).toBe(200);
    await page.getByLabel('Bearer token').fill(await tokenFor('officer', 'wuzhou'));
    await page.getByRole('button', { name: 'Use token' }).click();

    // Act: a number no parcel has, then the parcel's
    await page.getByLabel('Partner').fill('southwest-freight');
    await page.getByLabel('House document number', { exact: true }).fill('SWF0000000000');
    await page.getByRole('button', { name: 'Find parcel' }).click();
    await page.locator('#problem').waitFor();
    const notFound = await page.locator('#problem h2').textContent();
    await page.getByLabel('House document number', { exact: true }).fill(PARCEL);
    await page.getByRole('button', { name: 'Find parcel' }).click();
    const row = page.locator(`tr[data-parcel-id="${PARCEL}"]`);
    await row.waitFor();

    // Assess: the 404 shown; then the parcel alone, with a claim to take
    expect(notFound).toBe('Finding the parcel failed: Not found (404)');
    expect(await page.locator('#queue-rows tr').count()).toBe(1);
    expect(await page.locator('#queue-caption').textContent()).toBe(
      `${PARCEL} of southwest-freight, found by its house document number (wuzhou-customs)`,
    );
    expect(await page.getByRole('status').textContent()).toBe(
      `Found ${PARCEL} of southwest-freight: open, in the queue of wuzhou-customs.`,
    );
    await page.getByRole('button', { name: `Claim ${PARCEL}` }).click();
    await row.locator('td.case', { hasText: 'claimed by wuzhou' }).waitFor();
    expect(errors).toEqual([]);
  });
});
