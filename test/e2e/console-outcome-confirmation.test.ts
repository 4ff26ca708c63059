import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { launchChromium } from '../support/chromium.js';
import { tokenFor } from '../support/staff.js';

const PARCEL = 'SWF7781000123';
const UI_TIMEOUT_MS = 5_000;

/** PARCEL in wuzhou's queue, claimed by wuzhou for half an hour, as `GET /v1/inspections` answers it. */
const heldEntry = () => ({
  parcelKey: `southwest-freight#${PARCEL}`,
  partnerId: 'southwest-freight',
  parcelId: PARCEL,
  manifestId: 'SWF-20261127-0099',
  inspectionOffice: 'wuzhou-customs',
  region: 'yunnan-guangxi',
  status: 'claimed',
  lease: {
    heldBy: 'wuzhou',
    claimedAt: new Date().toISOString(),
    until: new Date(Date.now() + 30 * 60_000).toISOString(),
  },
  decision: {
    score: 75,
    lane: 'hold',
    firedRules: [{ ruleId: 'origin-border-town', score: 40, reason: 'shipped from Ruili' }],
  },
  route: 'Ruili → Wuzhou',
  goodsSummary: 'carved rosewood furniture',
  partyKeys: { consignee: 'cn_wuzhou_consignee' },
});

describe("the console's outcome form", () => {
  let stack: EmbeddedStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /**
   * wuzhou holding PARCEL (a listing the test answers), its outcome form open; every outcome the page
   * sends is kept and answered as recorded, and every confirmation it asks is answered by `confirm`.
   */
  const formOpen = async (confirm: (dialog: Dialog) => Promise<void>) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(`${dialog.type()}: ${dialog.message()}`);
      void confirm(dialog);
    });
    const sent: unknown[] = [];
    await page.route(
      (url) => url.pathname === '/v1/inspections',
      (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/json',
          headers: { date: new Date().toUTCString() },
          body: JSON.stringify({ items: [heldEntry()] }),
        }),
    );
    await page.route(
      (url) => url.pathname.endsWith('/outcome'),
      (route) => {
        const finding = route.request().postDataJSON();
        sent.push(finding);
        return route.fulfill({
          status: 200,
          contentType: 'application/json',
          headers: { date: new Date().toUTCString() },
          body: JSON.stringify({
            status: 'closed',
            outcome: { ...finding, recordedBy: 'wuzhou', recordedAt: new Date().toISOString() },
          }),
        });
      },
    );
    expect((await page.goto(`${stack.apiUrl}/console`))?.status()).toBe(200);
    await page.getByLabel('Bearer token').fill(await tokenFor('officer', 'wuzhou'));
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByLabel('Inspection office').fill('wuzhou-customs');
    await page.getByRole('button', { name: 'List queue' }).click();
    await page.getByRole('button', { name: `Record outcome ${PARCEL}` }).click();
    await page.locator('#outcome-panel').waitFor();
    return { page, asked, sent };
  };

  const chosen = (page: Page) =>
    page
      .locator('#outcome-form input[name="outcome"]:checked')
      .evaluateAll((inputs) => inputs.map((input) => input.getAttribute('value')));

  beforeAll(async () => {
    [browser, stack] = await Promise.all([launchChromium(), startEmbeddedStack()]);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('comes up with no outcome chosen, and on Enter says to choose one instead of recording any', async () => {
    // Prepare
    const { page, asked, sent } = await formOpen((dialog) => dialog.accept());
    const choiceBefore = await chosen(page);

    // Act: Enter on the form's button, as a stray key press would send the form
    await page.getByRole('button', { name: 'Record outcome', exact: true }).press('Enter');
    await page.locator('#outcome-choice-problem').waitFor();

    // Assess: nothing chosen, nothing asked or sent; the problem beside the choice, focus on its first option
    expect(choiceBefore).toEqual([]);
    expect(await page.locator('#outcome-choice-problem').textContent()).toBe('Choose an outcome.');
    expect(await page.locator('#outcome-choice').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate("document.activeElement?.getAttribute('value')")).toBe('cleared');
    expect(asked).toEqual([]);
    expect(sent).toEqual([]);

    // Act: choose one
    await page.getByLabel('documents irregular').check();

    // Assess: the problem goes with the choice
    expect(await page.locator('#outcome-choice-problem').isHidden()).toBe(true);
    expect(await page.locator('#outcome-choice').getAttribute('aria-invalid')).toBeNull();
  });

  it('asks to confirm the outcome and the parcel, and records nothing when the officer declines', async () => {
    // Prepare
    const { page, asked, sent } = await formOpen((dialog) => dialog.dismiss());
    await page.getByLabel('not found').check();

    // Act
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await expect.poll(() => asked.length).toBe(1);

    // Assess: the question names what would be recorded, and where; declined, nothing was sent
    expect(asked).toEqual([
      `confirm: Record the outcome "not-found" for parcel ${PARCEL} (southwest-freight)?\n\n` +
        "Once recorded it is final: only an admin's correction changes it.",
    ]);
    expect(await page.getByRole('status').textContent()).toBe(`Nothing recorded for ${PARCEL}.`);
    expect(await page.locator('#outcome-panel').isVisible()).toBe(true);
    expect(sent).toEqual([]);
  });

  it('records the outcome once the officer confirms it, a seizure named in full', async () => {
    // Prepare
    const { page, asked, sent } = await formOpen((dialog) => dialog.accept());
    await page.getByLabel('seized').check();
    await page.getByLabel('Substance').fill('heroin');
    await page.getByLabel('Quantity').fill('1');
    await page.getByLabel('Concealment method').fill('carved table leg');

    // Act
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await page.locator(`tr[data-parcel-id="${PARCEL}"] td.case`, { hasText: 'seized' }).waitFor();

    // Assess
    expect(asked).toEqual([
      // Each part the officer wrote is isolated (U+2068 … U+2069): right-to-left text keeps its place
      `confirm: Record the outcome "seized: \u2068heroin\u2069, \u20681 kg\u2069, \u2068carved table leg\u2069" for parcel ${PARCEL} (southwest-freight)?\n\n` +
        "Once recorded it is final: only an admin's correction changes it.",
    ]);
    expect(sent).toEqual([
      {
        outcome: 'seized',
        seizure: {
          substance: 'heroin',
          quantity: { amount: 1, unit: 'kg' },
          concealment: 'carved table leg',
        },
      },
    ]);
  });
});
