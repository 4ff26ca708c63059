import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { launchChromium } from '../support/chromium.js';
import { useConsoleTabs } from '../support/console-tabs.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { asStaff, tokenFor } from '../support/staff.js';

/** The parcel an officer seizes in the console, with notes. */
const NOTED_PARCEL = 'SWF7781000600';
/** A parcel seized with notes, then corrected twice by an admin. */
const CORRECTED_PARCEL = 'SWF7781000610';
/** A parcel left open, whose fired rules' values the console shows. */
const OPEN_PARCEL = 'SWF7781000620';
const PATH = `/v1/inspections/southwest-freight/${CORRECTED_PARCEL}`;
/** Staff text that would load an image, and run its handler, if the console wrote it as HTML. */
const MARKUP = '<img src=x onerror="window.__injected = 1">';
const NOTES = `panel unscrewed ${MARKUP}\nwhite powder in two bags`;
const FIRST_REASON = 'lab found no controlled substance';
const SECOND_REASON = `invoice found forged ${MARKUP}`;
const SECOND_NOTES = 'invoice dated after departure';

interface Finding {
  outcome: string;
  notes?: string;
}
interface Correction {
  from: Finding;
  fromRecordedBy?: string;
  fromRecordedAt?: string;
  to: Finding;
  reason: string;
  correctedBy: string;
  correctedAt: string;
}
interface Entry {
  parcelId: string;
  outcome: Finding & { recordedBy: string; recordedAt: string };
  goodsSummary: string;
  corrections?: number;
  correctionHistory?: Correction[];
  decision: { firedRules: { ruleId: string; reason: string; values: Record<string, unknown> }[] };
}

/** The browser's locale and zone: an officer's desk in Wuzhou (UTC+8, no daylight saving). */
const BROWSER = { locale: 'en-US', timezoneId: 'Asia/Shanghai' } as const;

/**
 * What the console shows for an instant of the suite's pinned day (an afternoon in Wuzhou): the local
 * time, written out in full, to the minute, with its zone named. A fixed form, not the console's own
 * formatting computed again.
 */
const wuzhouTime = (at: string): string => {
  const [, hour, minute] = /^2026-11-29T(0[4-9]|1[0-5]):(\d\d)/.exec(at) ?? [];
  if (hour === undefined) throw new Error(`${at} is no afternoon of 2026-11-29 in Wuzhou`);
  return `Nov 29, 2026, ${Number(hour) + 8 - 12}:${minute} PM GMT+8`;
};

describe("the officers console's corrections, notes and fired rules' values", () => {
  let stack: EmbeddedStack;
  let browser: Browser;

  /** A fresh tab with the console open, in Wuzhou's locale and zone; page errors are kept. */
  const openConsole = useConsoleTabs(() => ({ browser, stack }), BROWSER);

  const listQueue = async (page: Page, status: 'open' | 'closed'): Promise<void> => {
    await page.getByLabel('Inspection office').fill('wuzhou-customs');
    await page.getByLabel('Status').selectOption(status);
    await page.getByRole('button', { name: 'List queue' }).click();
  };

  const signIn = async (page: Page, token: string): Promise<void> => {
    await page.getByLabel('Bearer token').fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
  };

  const rowOf = (page: Page, parcelId: string) => page.locator(`tr[data-parcel-id="${parcelId}"]`);

  /** The API's listing entry of a parcel, as the officer reads it. */
  const entryOf = async (parcelId: string, status: 'open' | 'closed'): Promise<Entry> => {
    const listed = await asStaff(
      stack.apiUrl,
      await tokenFor('officer', 'wuzhou'),
      'GET',
      `/v1/inspections?office=wuzhou-customs&status=${status}`,
    );
    expect(listed.status).toBe(200);
    return (listed.body.items as Entry[]).find((item) => item.parcelId === parcelId)!;
  };

  beforeAll(async () => {
    const [launched, started] = await Promise.all([launchChromium(), startEmbeddedStack()]);
    browser = launched;
    stack = started;
    const manifest = readSample(RUILI_MANIFEST);
    const furniture = manifest.parcels[0]!;
    const parcels = {
      ...manifest,
      manifestId: 'SWF-20261127-0061',
      parcels: [
        { ...furniture, parcelId: NOTED_PARCEL },
        { ...furniture, parcelId: CORRECTED_PARCEL },
        { ...furniture, parcelId: OPEN_PARCEL },
      ],
    };
    expect((await postAsPartner(stack, 'southwest-freight', JSON.stringify(parcels))).status).toBe(202);
    await stack.waitForIdle();
  });

  it("shows the officer's notes as text, markup and all, once the outcome is recorded", async () => {
    // Prepare
    const { page, errors } = await openConsole();
    await signIn(page, await tokenFor('officer', 'wuzhou'));
    await listQueue(page, 'open');
    const row = rowOf(page, NOTED_PARCEL);
    await row.waitFor();

    // Act: claim, then record a seizure with notes that hold markup and a line break
    await page.getByRole('button', { name: `Claim ${NOTED_PARCEL}` }).click();
    await row.locator('td.case', { hasText: 'claimed by wuzhou' }).waitFor();
    await page.getByRole('button', { name: `Record outcome ${NOTED_PARCEL}` }).click();
    await page.getByLabel('seized').check();
    await page.getByLabel('Substance').fill('methamphetamine');
    await page.getByLabel('Quantity').fill('4.2');
    await page.getByLabel('Concealment method').fill('hollowed furniture panel');
    await page.getByLabel('Notes (optional)').fill(NOTES);
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await row.locator('td.case', { hasText: 'seized' }).waitFor();

    // Assess: the notes as the API recorded them, as text (no image made of them), line break kept
    expect((await entryOf(NOTED_PARCEL, 'closed')).outcome.notes).toBe(NOTES);
    await row.locator('td.case .outcome-notes').waitFor();
    expect(await page.locator('#queue-rows img').count()).toBe(0);
    expect(await page.evaluate('window.__injected')).toBeUndefined();
    expect(await row.locator('td.case .outcome-notes').textContent()).toBe(`Notes: ${NOTES}`);
    // Rendered on two lines, as written: the text as laid out, not the DOM's
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered line break is what is tested
    expect(await row.locator('td.case .outcome-notes').innerText()).toContain('\nwhite powder');
    expect(errors).toEqual([]);
  });

  it('lists every admin correction under the outcome, oldest first: what it replaced, why, by whom, when', async () => {
    // Prepare: a seizure recorded with notes, corrected twice by an admin
    const officer = await tokenFor('officer', 'wuzhou');
    expect((await asStaff(stack.apiUrl, officer, 'POST', `${PATH}/claim`)).status).toBe(200);
    const seized = await asStaff(stack.apiUrl, officer, 'POST', `${PATH}/outcome`, {
      outcome: 'seized',
      seizure: {
        substance: 'methamphetamine',
        quantity: { amount: 4.2, unit: 'kg' },
        concealment: 'hollowed furniture panel',
      },
      notes: NOTES,
    });
    expect(seized.status).toBe(200);
    const admin = await tokenFor('admin');
    const first = await asStaff(stack.apiUrl, admin, 'POST', `${PATH}/correction`, {
      finding: { outcome: 'cleared' },
      reason: FIRST_REASON,
      corrections: 0,
    });
    const second = await asStaff(stack.apiUrl, admin, 'POST', `${PATH}/correction`, {
      finding: { outcome: 'documents-irregular', notes: SECOND_NOTES },
      reason: SECOND_REASON,
      corrections: 1,
    });
    expect([first.status, second.status]).toEqual([200, 200]);
    const entry = await entryOf(CORRECTED_PARCEL, 'closed');
    expect(entry.correctionHistory).toHaveLength(2);
    const [earlier, later] = entry.correctionHistory!;
    const { page, errors } = await openConsole();

    // Act
    await signIn(page, await tokenFor('officer', 'wuzhou'));
    await listQueue(page, 'closed');
    const row = rowOf(page, CORRECTED_PARCEL);
    await row.waitFor();

    // Assess: the outcome as it reads now, with its notes, then each correction in a labelled list
    const cell = row.locator('td.case');
    expect(await cell.locator('strong').textContent()).toBe('documents-irregular');
    expect(await cell.locator('.small').textContent()).toBe(
      `by admin, ${wuzhouTime(entry.outcome.recordedAt)} (corrected 2 times)`,
    );
    expect(await cell.locator('.outcome-notes').textContent()).toBe(`Notes: ${SECOND_NOTES}`);
    const list = cell.getByRole('list', { name: 'Corrections, oldest first:' });
    expect(await list.getByRole('listitem').allTextContents()).toEqual([
      'Replaced seized: methamphetamine, 4.2 kg, hollowed furniture panel' +
        ` (recorded by wuzhou, ${wuzhouTime(earlier!.fromRecordedAt!)}) with cleared` +
        `Notes replaced: ${NOTES}` +
        `Reason: ${FIRST_REASON}` +
        `by admin, ${wuzhouTime(earlier!.correctedAt)}`,
      `Replaced cleared (recorded by admin, ${wuzhouTime(later!.fromRecordedAt!)}) with documents-irregular` +
        `Reason: ${SECOND_REASON}` +
        `by admin, ${wuzhouTime(later!.correctedAt)}`,
    ]);
    expect(await page.locator('#queue-rows img').count()).toBe(0);
    expect(await page.evaluate('window.__injected')).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it("shows under each fired rule's reason the values that made it fire", async () => {
    // Prepare
    const entry = await entryOf(OPEN_PARCEL, 'open');
    const { page, errors } = await openConsole();

    // Act
    await signIn(page, await tokenFor('officer', 'wuzhou'));
    await listQueue(page, 'open');
    const row = rowOf(page, OPEN_PARCEL);
    await row.waitFor();

    // Assess: the goods isolated as partners' text, then per rule its reason, then each value by its fact path, text as written, others as JSON
    expect(await row.locator('bdi.goods').textContent()).toBe(entry.goodsSummary);
    // The score and the lane each on one line: broken mid-token, 120 reads as 12 over 0
    const linesOf = (selector: string) =>
      row.locator(selector).evaluate((node) => {
        const range = node.ownerDocument.createRange();
        range.selectNodeContents(node);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      });
    expect(await linesOf('td.score')).toBe(1);
    expect(await linesOf('.lane')).toBe(1);
    const rules = row.locator('ul.rules > li');
    expect(await rules.count()).toBe(entry.decision.firedRules.length);
    for (const [index, rule] of entry.decision.firedRules.entries()) {
      const shown = rules.nth(index);
      expect(await shown.locator('.rule-id').textContent()).toBe(rule.ruleId);
      expect(await shown.locator('.reason').textContent()).toBe(rule.reason);
      // Isolated from the text around it, as partners' other text is: a right-to-left description it quotes cannot reorder the line
      expect(await shown.locator('.reason').evaluate((node) => node.tagName)).toBe('BDI');
      const pairs = await shown
        .locator('dl.values')
        .evaluate((list) =>
          [...list.querySelectorAll('dt')].map((term) => [
            term.textContent,
            term.nextElementSibling?.textContent,
          ]),
        );
      expect(pairs).toEqual(
        Object.entries(rule.values).map(([path, value]) => [
          path,
          value === null ? 'missing' : typeof value === 'string' ? value : JSON.stringify(value),
        ]),
      );
    }
    expect(entry.decision.firedRules.some((rule) => Object.keys(rule.values).length > 0)).toBe(true);
    expect(errors).toEqual([]);
  });
});
