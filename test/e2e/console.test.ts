import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FindingSchema } from '../../functions/core/review/outcome.js';
import { findDevUser, mintDevToken } from '../../functions/local/dev-issuer.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { launchChromium } from '../support/chromium.js';
import { useConsoleTabs } from '../support/console-tabs.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { asStaff, tokenFor } from '../support/staff.js';

const PARCEL = 'SWF7781000123';
/** A second flagged parcel at the same office, for the refused claim: the tests share no case. */
const CONTESTED_PARCEL = 'SWF7781000200';
/** A parcel whose goods description is one unbroken token of 512 characters, as the contract allows. */
const UNBROKEN_PARCEL = 'SWF7781000300';
/** A flagged parcel whose outcome is refused because another officer holds it by then. */
const TAKEN_OVER_PARCEL = 'SWF7781000400';
/** Listed open by one officer, then claimed and cleared by another. */
const CLOSED_SINCE_PARCEL = 'SWF7781000500';
/** Claimed in the console, then released elsewhere: its outcome is refused, nobody holding a claim. */
const RELEASED_ELSEWHERE_PARCEL = 'SWF7781000800';

/** What the console shows for an instant: the browser's local time, with its zone named. */
const localTime = (page: Page, at: string) =>
  page.evaluate(
    (instant) =>
      new Date(instant).toLocaleString([], {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
      }),
    at,
  );

/** Half an hour from now: a lease that is live while a test runs. */
const inHalfAnHour = () => new Date(Date.now() + 30 * 60_000).toISOString();

/** A queue entry as `GET /v1/inspections` answers it, for listings the test answers itself. */
const queueEntry = (parcelId: string, heldBy: string, until = inHalfAnHour()) => ({
  parcelKey: `southwest-freight#${parcelId}`,
  partnerId: 'southwest-freight',
  parcelId,
  manifestId: 'SWF-20261127-0099',
  inspectionOffice: 'wuzhou-customs',
  region: 'yunnan-guangxi',
  status: 'claimed',
  lease: { heldBy, claimedAt: '2026-11-27T08:00:00Z', until },
  decision: {
    score: 75,
    lane: 'hold',
    firedRules: [{ ruleId: 'origin-border-town', score: 40, reason: 'shipped from Ruili' }],
  },
  route: 'Ruili → Wuzhou',
  goodsSummary: 'carved rosewood furniture',
  partyKeys: { consignee: 'cn_wuzhou_consignee' },
  consigneeHistory: { known: true, parcels90d: 7, flags: 2 },
});

/** Answers every queue listing of the page with `listing`, as the API would answer 200 (dated by its clock). */
const answerListings = (page: Page, listing: object) =>
  page.route(
    (url) => url.pathname === '/v1/inspections',
    (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { date: new Date().toUTCString() },
        body: JSON.stringify(listing),
      }),
  );

/** Holds every request to `pathname` until the returned function is called, then answers each with `answer`. */
const holdRequests = async (
  page: Page,
  pathname: string,
  answer: (route: Route) => Promise<void>,
): Promise<() => void> => {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    (url) => url.pathname === pathname,
    async (route) => {
      await held;
      await answer(route);
    },
  );
  return release;
};

describe('the officers console in headless Chromium', () => {
  let stack: EmbeddedStack;
  let browser: Browser;
  const screenshots = mkdtempSync(join(tmpdir(), 'parcelguard-console-'));

  /** A fresh tab (its own sessionStorage) with the console open; page errors and CSP refusals are kept. */
  const openConsole = useConsoleTabs(() => ({ browser, stack }));

  const signIn = async (page: Page, token: string, office: string): Promise<void> => {
    await page.getByLabel('Bearer token').fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByLabel('Inspection office').fill(office);
    await page.getByRole('button', { name: 'List queue' }).click();
  };

  const rowOf = (page: Page, parcelId: string) => page.locator(`tr[data-parcel-id="${parcelId}"]`);

  /**
   * wuzhou-2 signs in, claims the parcel in the console and opens its outcome form, then releases it
   * from elsewhere (as another tab or curl would): the console still shows the claim.
   */
  const claimOpenAndReleaseElsewhere = async (parcelId: string) => {
    const opened = await openConsole();
    const token = await tokenFor('officer', 'wuzhou-2');
    await signIn(opened.page, token, 'wuzhou-customs');
    const row = rowOf(opened.page, parcelId);
    await opened.page.getByRole('button', { name: `Claim ${parcelId}` }).click();
    await row.locator('td.case', { hasText: 'claimed by wuzhou-2' }).waitFor();
    await opened.page.getByRole('button', { name: `Record outcome ${parcelId}` }).click();
    const path = `/v1/inspections/southwest-freight/${parcelId}`;
    expect((await asStaff(stack.apiUrl, token, 'POST', `${path}/release`)).status).toBe(200);
    return { ...opened, row, path };
  };

  beforeAll(async () => {
    const [launched, started] = await Promise.all([
      launchChromium(),
      startEmbeddedStack({ visibilityTimeoutSeconds: 1 }),
    ]);
    browser = launched;
    stack = started;
    const manifest = readSample(RUILI_MANIFEST);
    const contested = {
      ...manifest,
      manifestId: 'SWF-20261127-0042',
      parcels: [{ ...manifest.parcels[0]!, parcelId: CONTESTED_PARCEL }],
    };
    const furniture = manifest.parcels[0]!;
    const unbroken = {
      ...manifest,
      manifestId: 'SWF-20261127-0043',
      parcels: [
        {
          ...furniture,
          parcelId: UNBROKEN_PARCEL,
          goods: [{ ...furniture.goods[0]!, description: `CARVEDROSEWOODFURNITURE-${'X'.repeat(488)}` }],
        },
      ],
    };
    const takenOver = {
      ...manifest,
      manifestId: 'SWF-20261127-0044',
      parcels: [{ ...furniture, parcelId: TAKEN_OVER_PARCEL }],
    };
    const closedSince = {
      ...manifest,
      manifestId: 'SWF-20261127-0045',
      parcels: [{ ...furniture, parcelId: CLOSED_SINCE_PARCEL }],
    };
    const releasedElsewhere = {
      ...manifest,
      manifestId: 'SWF-20261127-0046',
      parcels: [{ ...furniture, parcelId: RELEASED_ELSEWHERE_PARCEL }],
    };
    for (const body of [manifest, contested, unbroken, takenOver, closedSince, releasedElsewhere]) {
      expect((await postAsPartner(stack, 'southwest-freight', JSON.stringify(body))).status).toBe(202);
    }
    await stack.waitForIdle();
  });

  it('lists the flagged Ruili furniture parcel with its reasons, claims it and records a seizure', async () => {
    // Prepare
    const token = await tokenFor('officer', 'wuzhou');
    const listed = await asStaff(stack.apiUrl, token, 'GET', '/v1/inspections?office=wuzhou-customs');
    const entry = listed.body.items.find((item: { parcelId: string }) => item.parcelId === PARCEL);
    const { page, errors } = await openConsole();

    // Act: sign in and list the queue
    await signIn(page, token, 'wuzhou-customs');
    const row = rowOf(page, PARCEL);
    await row.waitFor();

    // Assess: the parcel with its score, lane, route, goods and every fired rule's reason
    expect(await page.locator('#signed-in-as').textContent()).toMatch(
      /wuzhou · officer · offices wuzhou-customs/,
    );
    expect(await page.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 1]);
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.locator('#queue-caption').textContent()).toBe(
      'wuzhou-customs: open parcels, highest priority first',
    );
    const cells = await row.locator('th, td').allTextContents();
    expect(cells[1]).toBe(String(entry.decision.score));
    expect(cells[2]).toBe('hold');
    expect(cells[3]).toBe(entry.route);
    expect(cells[3]).toMatch(/^Ruili/);
    expect(cells[4]).toMatch(/furniture/i);
    const reasons = await row.locator('ul.rules li').allTextContents();
    expect(reasons).toHaveLength(entry.decision.firedRules.length);
    for (const rule of entry.decision.firedRules) {
      expect(reasons.some((text) => text.startsWith(rule.ruleId) && text.includes(rule.reason))).toBe(true);
    }
    expect(reasons.join('\n')).toMatch(/origin-border-town.*Ruili/);
    const scores = (await page.locator('#queue-rows td.score').allTextContents()).map(Number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // Act: claim, then record the seizure
    await page.getByRole('button', { name: `Claim ${PARCEL}` }).click();
    await row.locator('td.case', { hasText: 'claimed by wuzhou' }).waitFor();
    // The answer redrew the row, its buttons off while the claim ran: focus is back on the one pressed
    await expect
      .poll(() => page.evaluate("document.activeElement?.getAttribute('aria-label')"))
      .toBe(`Claim ${PARCEL}`);
    await page.getByRole('button', { name: `Record outcome ${PARCEL}` }).click();
    await page.getByLabel('seized').check();
    await page.getByLabel('Substance').fill('methamphetamine');
    await page.getByLabel('Quantity').fill('4.2');
    await page.getByLabel('Unit').selectOption('kg');
    await page.getByLabel('Concealment method').fill('hollowed furniture panel');
    // A substance the API refuses as showing nothing is refused beside the field, before sending
    await page.getByLabel('Substance').fill('\u200b');
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await page.locator('#substance-problem').waitFor();
    expect(await page.locator('#substance-problem').textContent()).toBe(
      'This shows nothing (only invisible characters): type the text itself.',
    );
    expect(await page.evaluate('document.activeElement?.id')).toBe('substance');
    await page.getByLabel('Substance').fill('methamphetamine');
    await page.screenshot({ path: join(screenshots, 'outcome-form.png'), fullPage: true });
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await row.locator('td.case', { hasText: 'seized' }).waitFor();
    await page.screenshot({ path: join(screenshots, 'seized.png'), fullPage: true });
    // The form closed with focus in it: focus is back in the parcel's row, not at the top of the page
    await expect
      .poll(() => page.evaluate("document.activeElement?.closest('tr')?.dataset.parcelId"))
      .toBe(PARCEL);

    // Assess: the page shows the result, and the API recorded it
    expect(await row.locator('td.case strong').textContent()).toBe(
      'seized: methamphetamine, 4.2 kg, hollowed furniture panel',
    );
    // Each part an officer wrote in a <bdi> of its own: a substance in Hebrew keeps the quantity by its unit
    expect(await row.locator('td.case strong bdi').allTextContents()).toEqual([
      'methamphetamine',
      '4.2 kg',
      'hollowed furniture panel',
    ]);
    expect(await page.getByRole('status').textContent()).toBe(`Outcome recorded for ${PARCEL}: seized.`);
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    expect(await page.locator('#outcome-panel').isHidden()).toBe(true);
    const closed = await asStaff(
      stack.apiUrl,
      token,
      'GET',
      '/v1/inspections?office=wuzhou-customs&status=closed',
    );
    expect(closed.body.items).toEqual([
      expect.objectContaining({
        parcelId: PARCEL,
        outcome: expect.objectContaining({
          outcome: 'seized',
          recordedBy: 'wuzhou',
          seizure: {
            substance: 'methamphetamine',
            quantity: { amount: 4.2, unit: 'kg' },
            concealment: 'hollowed furniture panel',
          },
        }),
      }),
    ]);

    // Act: the consignee's neighbourhood, now with the seizure
    const links = await asStaff(stack.apiUrl, token, 'GET', `/v1/parties/${entry.partyKeys.consignee}/links`);
    await page.getByRole('button', { name: `Consignee links ${PARCEL}` }).click();
    await page.locator('#links-graph svg g.graph-node').first().waitFor();
    await page.locator('#links-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'links.png'), fullPage: true });

    // Assess: one drawn node and one table row per party the API links, the consignee root marked seized
    expect(links.status).toBe(200);
    const keys = links.body.nodes.map((node: { key: string }) => node.key).sort();
    expect(keys.length).toBeGreaterThanOrEqual(4);
    const drawn = await page
      .locator('#links-graph g.graph-node')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-key')));
    expect(drawn.sort()).toEqual(keys);
    expect(await page.locator('#links-graph line.graph-edge').count()).toBe(links.body.edges.length);
    const root = page.locator(`#links-graph g.graph-node[data-key="${entry.partyKeys.consignee}"]`);
    expect(await root.getAttribute('class')).toBe('graph-node seized root');
    expect(await root.locator('title').textContent()).toMatch(/^consignee cn_.*1 seizure$/);
    expect(await page.locator('#links-rows tr').count()).toBe(keys.length);
    expect(errors).toEqual([]);
  });

  it('keeps the table and its actions on screen when goods are one long unbroken token', async () => {
    // Prepare
    const { page, errors } = await openConsole();

    // Act
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    const row = rowOf(page, UNBROKEN_PARCEL);
    await row.waitFor();

    // Assess: nothing scrolls sideways, and the row's last column ends inside the viewport
    const widths = (await page.evaluate(
      "({ page: document.documentElement.scrollWidth, table: document.getElementById('queue-table').getBoundingClientRect().right, viewport: window.innerWidth })",
    )) as { page: number; table: number; viewport: number };
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    expect(widths.table).toBeLessThanOrEqual(widths.viewport);
    const actions = await row.locator('td.actions').boundingBox();
    expect(actions!.x + actions!.width).toBeLessThanOrEqual(widths.viewport);
    expect(await row.locator('td').nth(3).textContent()).toMatch(/^CARVEDROSEWOODFURNITURE-X+…$/);
    expect(errors).toEqual([]);
  });

  it('offers the first office in an empty box, but never writes into the box while someone is in it', async () => {
    // Prepare: the offices answer is held until the officer has put the cursor in the box
    const { page, errors } = await openConsole();
    const answerOffices = await holdRequests(page, '/v1/offices', (route) => route.continue());
    await page.getByLabel('Bearer token').fill(await tokenFor('officer', 'wuzhou'));
    await page.getByRole('button', { name: 'Use token' }).click();
    const box = page.getByLabel('Inspection office');
    await box.focus();

    // Act: the answer comes while the box has the focus
    answerOffices();
    await page.locator('#office-choices option').first().waitFor({ state: 'attached' });

    // Assess: the choices are offered, the box is left as the officer has it
    expect(await box.inputValue()).toBe('');
    expect(await page.locator('#office-choices option').first().getAttribute('value')).toBe('wuzhou-customs');
    expect(errors).toEqual([]);
  });

  it('says a page found nothing yet, not that the queue is empty, while a cursor for more exists', async () => {
    // Prepare: a claimed page that ran out of queries before it found a claimed parcel
    const { page, errors } = await openConsole();
    await answerListings(page, { office: 'wuzhou-customs', status: 'claimed', items: [], cursor: 'more' });

    // Act
    await page.getByLabel('Bearer token').fill(await tokenFor('officer', 'wuzhou'));
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByLabel('Inspection office').fill('wuzhou-customs');
    await page.getByLabel('Status').selectOption('claimed');
    await page.getByRole('button', { name: 'List queue' }).click();
    await page.locator('#queue-empty').waitFor();

    // Assess
    expect(await page.locator('#queue-empty').textContent()).toBe(
      'No parcels found yet; Next page searches the rest of this queue.',
    );
    expect(await page.getByRole('button', { name: 'Next page' }).isVisible()).toBe(true);
    expect(await page.getByRole('status').textContent()).toBe(
      '0 parcels in the claimed queue of wuzhou-customs so far; Next page searches the rest.',
    );
    expect(errors).toEqual([]);
  });

  it('suggests the inspection offices under a city grant, so the first listing of wuzhou-city succeeds', async () => {
    // Prepare: granted at the city `wuzhou`, which is no inspection office itself
    const { page, errors } = await openConsole();
    const office = page.getByLabel('Inspection office');

    // Act: sign in and list at once, with the office the console chose
    await page.getByLabel('Bearer token').fill(await tokenFor('officer', 'wuzhou-city'));
    await page.getByRole('button', { name: 'Use token' }).click();
    await expect.poll(() => office.inputValue()).not.toBe('');
    await page.getByRole('button', { name: 'List queue' }).click();
    await rowOf(page, UNBROKEN_PARCEL).waitFor();

    // Assess: the inspection offices of Wuzhou are offered, not the grant, and the listing succeeded
    expect(await office.inputValue()).toBe('wuzhou-customs');
    expect(
      await page
        .locator('#office-choices option')
        .evaluateAll((options) => options.map((option) => option.getAttribute('value'))),
    ).toEqual(['wuzhou-customs', 'wuzhou-port-checkpoint']);
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    expect(await page.locator('#queue-caption').textContent()).toBe(
      'wuzhou-customs: open parcels, highest priority first',
    );
    expect(errors).toEqual([]);
  });

  it("shows the API's 409 problem, and who holds the parcel, when another officer claimed it since the listing", async () => {
    // Prepare: wuzhou-2 lists the parcel unclaimed, then wuzhou claims it
    const { page, errors } = await openConsole();
    await signIn(page, await tokenFor('officer', 'wuzhou-2'), 'wuzhou-customs');
    const row = rowOf(page, CONTESTED_PARCEL);
    await row.locator('td.case', { hasText: 'open' }).waitFor();
    const claimed = await asStaff(
      stack.apiUrl,
      await tokenFor('officer', 'wuzhou'),
      'POST',
      `/v1/inspections/southwest-freight/${CONTESTED_PARCEL}/claim`,
    );
    expect(claimed.status).toBe(200);

    // Act
    await page.getByRole('button', { name: `Claim ${CONTESTED_PARCEL}` }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await page.screenshot({ path: join(screenshots, 'conflict.png'), fullPage: true });

    // Assess: the problem's title, detail and extension members, as the API sent them
    expect(await alert.locator('h2').textContent()).toBe(
      `Claiming ${CONTESTED_PARCEL} failed: Conflict (409)`,
    );
    // The detail names the end of the lease in local time, as the row does; the member below keeps the instant
    expect(await alert.locator('.detail').textContent()).toBe(
      `the parcel is claimed by wuzhou until ${await localTime(page, claimed.body.lease.until)}`,
    );
    expect(await alert.locator('dd').nth(1).textContent()).toBe(
      `${await localTime(page, claimed.body.lease.until)} (${claimed.body.lease.until})`,
    );
    expect(await alert.locator('dt').allTextContents()).toEqual(['held by', 'lease until']);
    expect(await alert.locator('dd').first().textContent()).toBe('wuzhou');
    expect(await alert.locator('.instance').textContent()).toMatch(/^CONFLICT · urn:request:/);
    // Assess: the row shows the lease the API answered, without another listing
    expect(await row.locator('td.case').textContent()).toMatch(/^claimed by wuzhou/);
    expect(await row.locator('td.case .small').textContent()).toBe(
      `until ${await localTime(page, claimed.body.lease.until)}`,
    );
    expect(await page.getByRole('button', { name: `Release ${CONTESTED_PARCEL}` }).isDisabled()).toBe(true);
    // The browser logs the refused request itself; nothing else may have gone wrong.
    expect(errors.filter((error) => !/status of 409/.test(error))).toEqual([]);
    console.info(`console screenshots: ${screenshots}`);
  });

  it('shows who holds the parcel, and turns the form off, when an outcome is refused for another officer’s lease', async () => {
    // Prepare: wuzhou-2 claims the parcel and opens its outcome form; its lease then goes (released
    // from elsewhere) and wuzhou claims the parcel
    const { page, errors, row, path } = await claimOpenAndReleaseElsewhere(TAKEN_OVER_PARCEL);
    const officer = await tokenFor('officer', 'wuzhou');
    expect((await asStaff(stack.apiUrl, officer, 'POST', `${path}/claim`)).status).toBe(200);

    // Act
    await page.getByLabel('cleared').check();
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await page.locator('#problem').waitFor();

    // Assess: the 409, the lease it names in the row, and a form that will not send again, saying why
    // in an alert of its own
    expect(await page.locator('#problem h2').textContent()).toBe(
      `Recording the outcome of ${TAKEN_OVER_PARCEL} failed: Conflict (409)`,
    );
    expect(await row.locator('td.case').textContent()).toMatch(/^claimed by wuzhou(?!-)/);
    expect(await page.getByRole('button', { name: 'Record outcome', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('alert').filter({ hasText: 'Your claim on' }).textContent()).toBe(
      `Your claim on ${TAKEN_OVER_PARCEL} has ended: claim it again to record its outcome.`,
    );
    expect(errors.filter((error) => !/status of 409/.test(error))).toEqual([]);
  });

  it('shows the parcel unclaimed, and turns the form off, when an outcome is refused for a claim released elsewhere', async () => {
    // Prepare: wuzhou-2 claims the parcel and opens its outcome form, then releases it from elsewhere
    const { page, errors, row } = await claimOpenAndReleaseElsewhere(RELEASED_ELSEWHERE_PARCEL);

    // Act
    await page.getByLabel('cleared').check();
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await page.locator('#problem').waitFor();

    // Assess: the 409, the row without the claim it no longer has, and a form that will not send again
    expect(await page.locator('#problem .detail').textContent()).toBe(
      "claim the parcel first: only the holder of a live claim may record the parcel's outcome",
    );
    expect(await row.locator('td.case').textContent()).toBe('open');
    expect(await page.getByRole('button', { name: `Claim ${RELEASED_ELSEWHERE_PARCEL}` }).isEnabled()).toBe(
      true,
    );
    expect(await page.getByRole('button', { name: 'Record outcome', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('alert').filter({ hasText: 'Your claim on' }).textContent()).toBe(
      `Your claim on ${RELEASED_ELSEWHERE_PARCEL} has ended: claim it again to record its outcome.`,
    );
    expect(errors.filter((error) => !/status of 409/.test(error))).toEqual([]);
  });

  it('shows the outcome, and offers no action, when a claim is refused for an outcome recorded since the listing', async () => {
    // Prepare: wuzhou-2 lists the parcel open; wuzhou then claims it and records it cleared
    const { page, errors } = await openConsole();
    await signIn(page, await tokenFor('officer', 'wuzhou-2'), 'wuzhou-customs');
    const row = rowOf(page, CLOSED_SINCE_PARCEL);
    await row.locator('td.case', { hasText: 'open' }).waitFor();
    const officer = await tokenFor('officer', 'wuzhou');
    const path = `/v1/inspections/southwest-freight/${CLOSED_SINCE_PARCEL}`;
    expect((await asStaff(stack.apiUrl, officer, 'POST', `${path}/claim`)).status).toBe(200);
    const recorded = await asStaff(stack.apiUrl, officer, 'POST', `${path}/outcome`, { outcome: 'cleared' });
    expect(recorded.status).toBe(200);

    // Act
    await page.getByRole('button', { name: `Claim ${CLOSED_SINCE_PARCEL}` }).click();
    await page.getByRole('alert').waitFor();

    // Assess: the 409, and the row closed with the outcome the API named, without another listing
    expect(await page.getByRole('alert').locator('h2').textContent()).toBe(
      `Claiming ${CLOSED_SINCE_PARCEL} failed: Conflict (409)`,
    );
    expect(await row.locator('td.case strong').textContent()).toBe('cleared');
    expect(await row.locator('td.case .small').textContent()).toBe(
      await localTime(page, recorded.body.outcome.recordedAt),
    );
    expect(await row.getByText('done').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: `Claim ${CLOSED_SINCE_PARCEL}` }).count()).toBe(0);
    expect(errors.filter((error) => !/status of 409/.test(error))).toEqual([]);
  });

  it('shows the stops of a route in their order, right-to-left names among them', async () => {
    // Prepare
    const { page, errors } = await openConsole();
    const stops = ['Ruili', 'אילת', 'חיפה', 'Nanning'];
    await answerListings(page, { items: [{ ...queueEntry(PARCEL, 'wuzhou'), route: stops.join(' → ') }] });

    // Act
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    const route = rowOf(page, PARCEL).locator('td.route');
    await route.waitFor();

    // Assess: line by line, left to right, as the route runs (a narrow column wraps it)
    const shown = await route.locator(':scope > *').evaluateAll((cities) =>
      cities
        .map((city) => ({ name: city.textContent, box: city.getBoundingClientRect() }))
        .sort((a, b) => Math.round(a.box.top) - Math.round(b.box.top) || a.box.left - b.box.left)
        .map(({ name }) => name),
    );
    expect(shown).toEqual(stops);
    expect(await route.textContent()).toBe(stops.join(' → '));
    expect(errors).toEqual([]);
  });

  it("sums up the consignee's history with its inspections and seizures beside its parcels and flags", async () => {
    // Prepare: the consignee's history as the API lists it (the decision's fact snapshot)
    const { page, errors } = await openConsole();
    const consigneeHistory = { known: true, parcels90d: 3, flags: 1, inspections: 1, seizures: 2 };
    await answerListings(page, { items: [{ ...queueEntry(PARCEL, 'wuzhou'), consigneeHistory }] });

    // Act
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    const header = rowOf(page, PARCEL).locator('th');
    await header.waitFor();

    // Assess
    expect(await header.locator('div.small').last().textContent()).toBe(
      'consignee: 3 parcels in 90 days, 1 flag, 1 inspection, 2 seizures',
    );
    expect(errors).toEqual([]);
  });

  it('calls a consignee never seen before its first parcel', async () => {
    // Prepare: a consignee the history did not know when the parcel was screened
    const { page, errors } = await openConsole();
    const consigneeHistory = { known: false, parcels90d: 0, flags: 0, inspections: 0, seizures: 0 };
    await answerListings(page, { items: [{ ...queueEntry(PARCEL, 'wuzhou'), consigneeHistory }] });

    // Act
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    const header = rowOf(page, PARCEL).locator('th');
    await header.waitFor();

    // Assess: a parcel, as the glossary names it, never a shipment
    expect(await header.locator('div.small').last().textContent()).toBe('consignee: first parcel');
    expect(errors).toEqual([]);
  });

  it("takes the previous officer's queue and panels off the page when another officer's token is pasted", async () => {
    // Prepare: wuzhou lists a parcel it holds, with its outcome form and consignee links open
    const { page, errors } = await openConsole();
    await answerListings(page, { items: [queueEntry(PARCEL, 'wuzhou')] });
    await page.route(
      (url) => url.pathname.endsWith('/links'),
      (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({
            region: 'yunnan-guangxi',
            asOf: '2026-11-27T08:00:00Z',
            truncated: false,
            nodes: [
              {
                key: 'cn_wuzhou_consignee',
                kind: 'consignee',
                hop: 0,
                parcels90d: 7,
                flags: 2,
                inspections: 0,
                seizures: 0,
              },
            ],
            edges: [],
          }),
        }),
    );
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    await page.getByRole('button', { name: `Record outcome ${PARCEL}` }).click();
    await page.getByRole('button', { name: `Consignee links ${PARCEL}` }).click();
    await page.locator('#links-rows tr').first().waitFor();

    // Act: nanning's token replaces wuzhou's
    await page.getByLabel('Bearer token').fill(await tokenFor('officer', 'nanning'));
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.locator('#signed-in-as').filter({ hasText: 'nanning · officer' }).waitFor();

    // Assess: no row, action or panel of wuzhou's is left, and the office box offers nanning's office
    expect(await rowOf(page, PARCEL).count()).toBe(0);
    expect(await page.getByRole('button', { name: `Claim ${PARCEL}` }).count()).toBe(0);
    expect(await page.locator('#queue-table').isHidden()).toBe(true);
    expect(await page.locator('#queue-empty').isHidden()).toBe(true);
    expect(await page.locator('#more').isHidden()).toBe(true);
    expect(await page.locator('#outcome-panel').isHidden()).toBe(true);
    expect(await page.locator('#links-panel').isHidden()).toBe(true);
    expect(await page.locator('#links-rows tr').count()).toBe(0);
    await expect.poll(() => page.getByLabel('Inspection office').inputValue()).toBe('nanning-customs');
    expect(errors).toEqual([]);
  });

  it('keeps the queue and an outcome half written when a fresh token of the same officer is pasted', async () => {
    // Prepare: wuzhou lists a parcel it holds and writes part of its outcome
    const { page, errors } = await openConsole();
    await answerListings(page, { items: [queueEntry(PARCEL, 'wuzhou')] });
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    await page.getByRole('button', { name: `Record outcome ${PARCEL}` }).click();
    await page.getByLabel('seized').check();
    await page.getByLabel('Substance').fill('heroin');
    await page.getByLabel('Notes (optional)').fill('Long notes typed at the dock.');
    const fresh = await mintDevToken(findDevUser('officer', 'wuzhou'), { expiresInSeconds: 7200 });

    // Act: a fresh token of wuzhou's, as after the last one expired
    await page.getByLabel('Bearer token').fill(fresh);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByRole('status').filter({ hasText: 'Signed in as wuzhou.' }).waitFor();

    // Assess: the same officer's queue and form stay as they were
    expect(await rowOf(page, PARCEL).count()).toBe(1);
    expect(await page.locator('#outcome-panel').isVisible()).toBe(true);
    expect(await page.getByLabel('Substance').inputValue()).toBe('heroin');
    expect(await page.getByLabel('Notes (optional)').inputValue()).toBe('Long notes typed at the dock.');
    expect(errors).toEqual([]);
  });

  it("drops the answer to the previous officer's listing when it arrives after another officer's token", async () => {
    // Prepare: wuzhou's listing is answered only once nanning's token is in use
    const { page, errors } = await openConsole();
    const answerListing = await holdRequests(page, '/v1/inspections', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ items: [queueEntry(PARCEL, 'wuzhou')], cursor: 'CURSOR-OF-WUZHOU' }),
      }),
    );
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    await expect.poll(() => page.locator('#queue').getAttribute('aria-busy')).toBe('true');
    await page.getByLabel('Bearer token').fill(await tokenFor('officer', 'nanning'));
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.locator('#signed-in-as').filter({ hasText: 'nanning · officer' }).waitFor();

    // Act
    answerListing();
    await expect.poll(() => page.locator('#queue').getAttribute('aria-busy')).toBe('false');

    // Assess: nothing of wuzhou's queue is shown, nor announced
    expect(await rowOf(page, PARCEL).count()).toBe(0);
    expect(await page.locator('#queue-table').isHidden()).toBe(true);
    expect(await page.locator('#more').isHidden()).toBe(true);
    expect(await page.getByRole('status').textContent()).toBe('Signed in as nanning.');
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  it("keeps the listed office's page and cursor when the listing of another office is refused", async () => {
    // Prepare: wuzhou-customs is listed with a cursor; the API refuses nanning-customs
    const { page, errors } = await openConsole();
    const listings: string[] = [];
    await page.route(
      (url) => url.pathname === '/v1/inspections',
      (route) => {
        const query = new URL(route.request().url()).searchParams;
        listings.push(query.toString());
        if (query.get('office') === 'nanning-customs') {
          return route.fulfill({
            status: 403,
            contentType: 'application/problem+json',
            body: JSON.stringify({
              title: 'Forbidden',
              status: 403,
              detail: 'the office nanning-customs is outside your grants',
            }),
          });
        }
        return route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({
            items: [queueEntry(query.has('cursor') ? CONTESTED_PARCEL : PARCEL, 'wuzhou')],
            ...(query.has('cursor') ? {} : { cursor: 'CURSOR-OF-WUZHOU' }),
          }),
        });
      },
    );
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    await rowOf(page, PARCEL).waitFor();

    // Act: list nanning-customs (refused), then ask for the next page of what is shown
    await page.getByLabel('Inspection office').fill('nanning-customs');
    await page.getByRole('button', { name: 'List queue' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const refused = await alert.locator('h2').textContent();
    const caption = await page.locator('#queue-caption').textContent();
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => listings).toHaveLength(3);
    await expect.poll(() => page.locator('#queue').getAttribute('aria-busy')).toBe('false');

    // Assess: the refusal is shown, the page kept its own office, and the next page is that office's
    expect(refused).toBe('Listing the queue failed: Forbidden (403)');
    expect(caption).toBe('wuzhou-customs: open parcels, highest priority first');
    expect(listings).toEqual([
      'office=wuzhou-customs&status=open',
      'office=nanning-customs&status=open',
      'office=wuzhou-customs&status=open&cursor=CURSOR-OF-WUZHOU',
    ]);
    expect(await page.locator('#queue-rows tr').count()).toBe(2);
    expect(await page.getByRole('status').textContent()).toBe(
      '2 parcels in the open queue of wuzhou-customs.',
    );
    // The browser logs the refused request itself; nothing else may have gone wrong.
    expect(errors.filter((error) => !/status of 403/.test(error))).toEqual([]);
  });

  it('refuses in the form, beside the quantity, exactly the seized amounts the API refuses', async () => {
    // Prepare: wuzhou holds the parcel, with the outcome form open at a seizure; any outcome sent is kept
    const { page, errors } = await openConsole();
    await answerListings(page, { items: [queueEntry(PARCEL, 'wuzhou')] });
    const sent: { seizure: { quantity: object } }[] = [];
    await page.route(
      (url) => url.pathname.endsWith('/outcome'),
      (route) => {
        sent.push(route.request().postDataJSON());
        return route.fulfill({
          status: 422,
          contentType: 'application/problem+json',
          body: JSON.stringify({ title: 'Unprocessable Content', status: 422, detail: 'kept by the test' }),
        });
      },
    );
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    await page.getByRole('button', { name: `Record outcome ${PARCEL}` }).click();
    await page.getByLabel('seized').check();
    await page.getByLabel('Substance').fill('methamphetamine');
    await page.getByLabel('Concealment method').fill('hollowed furniture panel');
    const quantity = page.getByLabel('Quantity');
    const problem = page.locator('#amount-problem');
    // [amount typed, unit, whether the API takes it]; the last is one taken, so a stray send shows in `sent`
    const amounts: [string, string, boolean][] = [
      ['0', 'kg', false],
      ['', 'kg', false],
      ['-1', 'kg', false],
      ['0.0000009', 'g', false],
      ['0.000001', 'g', true],
      ['1000000000.5', 'kg', false],
      ['1000000000', 'kg', true],
      ['2.5', 'pieces', false],
      ['3', 'pieces', true],
    ];
    const shown: [string, string, string | null][] = [];

    // Act: send each amount as the officer would
    for (const [amount, unit, taken] of amounts) {
      const before = sent.length;
      await quantity.fill(amount);
      await page.getByLabel('Unit').selectOption(unit);
      await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
      if (taken) await expect.poll(() => sent.length).toBe(before + 1);
      shown.push([
        amount,
        (await problem.isVisible()) ? ((await problem.textContent()) ?? '') : '',
        await quantity.getAttribute('aria-invalid'),
      ]);
    }

    // Assess: the table is the API's own rule (FindingSchema), and the console refused just what it refuses
    for (const [amount, unit, taken] of amounts) {
      const finding = {
        outcome: 'seized',
        seizure: {
          substance: 'methamphetamine',
          quantity: { amount: amount === '' ? undefined : Number(amount), unit },
          concealment: 'hollowed furniture panel',
        },
      };
      expect([amount, unit, FindingSchema.safeParse(finding).success]).toEqual([amount, unit, taken]);
    }
    expect(sent.map((finding) => finding.seizure.quantity)).toEqual(
      amounts.filter(([, , taken]) => taken).map(([amount, unit]) => ({ amount: Number(amount), unit })),
    );
    expect(shown).toEqual([
      ['0', 'The quantity must be more than 0.', 'true'],
      ['', 'Enter the quantity seized.', 'true'],
      ['-1', 'The quantity must be more than 0.', 'true'],
      ['0.0000009', 'The quantity must be at least 0.000001.', 'true'],
      ['0.000001', '', null],
      ['1000000000.5', 'The quantity must be at most 1000000000.', 'true'],
      ['1000000000', '', null],
      ['2.5', 'Pieces are counted: the quantity must be a whole number.', 'true'],
      ['3', '', null],
    ]);
    expect((await quantity.getAttribute('aria-describedby'))?.split(' ')).toContain('amount-problem');
    // The browser logs the refusals the test answered itself; nothing else may have gone wrong.
    expect(errors.filter((error) => !/status of 422/.test(error))).toEqual([]);
  });

  /** Answers every outcome the page records with `status` and `body`; returns the bodies it was sent. */
  const answerOutcomes = async (page: Page, status: number, body: object): Promise<string[]> => {
    const posted: string[] = [];
    await page.route(
      (url) => url.pathname.endsWith('/outcome'),
      (route) => {
        posted.push(route.request().postData() ?? '');
        return route.fulfill({
          status,
          contentType: status < 300 ? 'application/json' : 'application/problem+json',
          headers: { date: new Date().toUTCString() },
          body: JSON.stringify(body),
        });
      },
    );
    return posted;
  };

  /** wuzhou, holding PARCEL in a listing the test answers, with its outcome form open. */
  const holdingWithFormOpen = async (page: Page): Promise<void> => {
    await answerListings(page, { items: [queueEntry(PARCEL, 'wuzhou')] });
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    await page.getByRole('button', { name: `Record outcome ${PARCEL}` }).click();
  };

  /** A seizure the API takes, typed into the open outcome form. */
  const fillSeizure = async (page: Page): Promise<void> => {
    await page.getByLabel('seized').check();
    await page.getByLabel('Substance').fill('heroin');
    await page.getByLabel('Quantity').fill('1');
    await page.getByLabel('Concealment method').fill('carved table leg');
  };

  /**
   * A seizure typed into the open outcome form, the API's answer to it (a 422 on the substance) held until
   * the test calls `answer`.
   */
  const seizureRefusedOnItsWay = async () => {
    const { page } = await openConsole();
    const answer = await holdRequests(page, `/v1/inspections/southwest-freight/${PARCEL}/outcome`, (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 422,
          title: 'Validation failed',
          errors: [{ path: 'seizure.substance', message: 'refused by the API for this test' }],
        }),
      }),
    );
    await holdingWithFormOpen(page);
    await fillSeizure(page);
    return { page, answer };
  };

  /** The name of the focused element: its aria-label, else its text (a heading). */
  const focusedName = (page: Page) =>
    page.evaluate(
      "document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent",
    );

  it.each([
    // Focus on Release, turned off: it stays in the row, on the control still enabled
    ['Release', (page: Page) => page.getByRole('button', { name: `Release ${PARCEL}` }), `Claim ${PARCEL}`],
    // Focus on the form's button, turned off: the panel's heading, above the alert saying why
    [
      "the form's Record outcome",
      (page: Page) => page.getByRole('button', { name: 'Record outcome', exact: true }),
      `Record the outcome of ${PARCEL}`,
    ],
  ])(
    "turns off Release and Record outcome once the officer's lease has ended, without another listing, focus on %s",
    async (_name, focusedBefore, focusedAfter) => {
      // Prepare: wuzhou holds the parcel for 20 more minutes, the outcome form open. The page's clock, which
      // the test moves, runs two hours ahead of the API's: a lease ends by the API's clock.
      const { page, errors } = await openConsole();
      await page.clock.install({ time: new Date(Date.now() + 2 * 60 * 60_000) });
      const until = new Date(Date.now() + 20 * 60_000).toISOString();
      await answerListings(page, { items: [queueEntry(PARCEL, 'wuzhou', until)] });
      await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
      const release = page.getByRole('button', { name: `Release ${PARCEL}` });
      const openForm = page.getByRole('button', { name: `Record outcome ${PARCEL}` });
      const submit = page.getByRole('button', { name: 'Record outcome', exact: true });
      await openForm.click();
      await page.locator('#outcome-panel').waitFor();
      const enabledWhileHeld = [await release.isEnabled(), await submit.isEnabled()];
      await focusedBefore(page).focus();

      // Act: the lease's end passes, and nothing is listed again
      await page.clock.fastForward('21:00');

      // Assess: the actions only the holder of a live lease may take are off, and the row says why
      expect(enabledWhileHeld).toEqual([true, true]);
      expect(await release.isDisabled()).toBe(true);
      expect(await openForm.isDisabled()).toBe(true);
      expect(await submit.isDisabled()).toBe(true);
      expect(await rowOf(page, PARCEL).locator('td.case strong').textContent()).toBe('lease ended');
      expect(await page.locator('#outcome-lease').textContent()).toBe(
        `Your claim on ${PARCEL} has ended: claim it again to record its outcome.`,
      );
      expect(await page.getByRole('button', { name: `Claim ${PARCEL}` }).isEnabled()).toBe(true);
      expect(await focusedName(page)).toBe(focusedAfter);
      expect(errors).toEqual([]);
    },
  );

  it("checks a seizure's fields beside each before sending, focusing the first, and puts focus back in the row after", async () => {
    // Prepare: wuzhou holds the parcel, the outcome form open, seized chosen with only a quantity
    const { page, errors } = await openConsole();
    const posted = await answerOutcomes(page, 503, {});
    await holdingWithFormOpen(page);
    await page.getByLabel('seized').check();
    await page.getByLabel('Quantity').fill('4.2');

    // Act: send it, then write the substance
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    const refused = {
      substance: await page.getByLabel('Substance').getAttribute('aria-invalid'),
      concealment: await page.getByLabel('Concealment method').getAttribute('aria-invalid'),
      focused: await page.evaluate('document.activeElement?.id'),
      said: await page.locator('#substance-problem').textContent(),
      read: await page.getByLabel('Substance').evaluate((input) => input.getAttribute('aria-describedby')),
    };
    await page.getByLabel('Substance').fill('heroin');
    // Act: Escape, as Cancel, with focus in the panel
    await page.getByLabel('Substance').press('Escape');

    // Assess: both blank lines refused beside their fields, nothing sent; the substance's problem went
    // as it was written; focus back on the row's button that opened the form
    expect(refused).toEqual({
      substance: 'true',
      concealment: 'true',
      focused: 'substance',
      said: 'Enter the substance seized.',
      read: 'substance-problem',
    });
    expect(await page.locator('#concealment-problem').textContent()).toBe(
      'Enter how it was concealed, e.g. hollowed furniture panel.',
    );
    expect(await page.locator('#substance-problem').isHidden()).toBe(true);
    expect(posted).toEqual([]);
    expect(await page.locator('#outcome-panel').isHidden()).toBe(true);
    expect(await focusedName(page)).toBe(`Record outcome ${PARCEL}`);
    expect(errors).toEqual([]);
  });

  it("keeps focus where the officer works: List queue with the form open, Cancel, Enter in the form's last field", async () => {
    // Prepare: wuzhou holds the parcel, the outcome form open; the API records what is sent
    const { page, errors } = await openConsole();
    await answerOutcomes(page, 200, {
      status: 'closed',
      outcome: { outcome: 'cleared', recordedBy: 'wuzhou', recordedAt: new Date().toISOString() },
    });
    await holdingWithFormOpen(page);

    // Act: list again by keyboard, the form open
    await page.getByRole('button', { name: 'List queue' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#outcome-panel').waitFor({ state: 'hidden' });
    await expect.poll(() => focusedName(page)).toBe('List queue');
    // Act: open the form and Cancel it: focus back on the row's button that opened it
    await page.getByRole('button', { name: `Record outcome ${PARCEL}` }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await focusedName(page)).toBe(`Record outcome ${PARCEL}`);
    // Act: open the form again and send it with Enter in a text field
    await page.getByRole('button', { name: `Record outcome ${PARCEL}` }).click();
    await fillSeizure(page);
    await page.getByLabel('Concealment method').press('Enter');
    await rowOf(page, PARCEL).locator('td.case', { hasText: 'cleared' }).waitFor();

    // Assess: focus back in the parcel's row, not on the page
    await expect
      .poll(() => page.evaluate("document.activeElement?.closest('tr')?.dataset.parcelId"))
      .toBe(PARCEL);
    expect(errors).toEqual([]);
  });

  it.each([
    [
      'a substance over 200 characters',
      'Substance',
      'x'.repeat(201),
      'substance',
      'At most 200 characters: this has 201.',
    ],
    [
      'a substance of 200 emoji, which the API takes (it counts characters, not UTF-16 units)',
      'Substance',
      '😀'.repeat(200),
      'substance',
      undefined,
    ],
    [
      'notes with a bidirectional override',
      'Notes (optional)',
      'see \u202ereversed',
      'notes',
      'A control character (other than a tab or a line break) or a bidirectional formatting mark cannot be recorded: type the text again.',
    ],
  ])('checks %s as the API would, before sending', async (_name, label, text, id, problem) => {
    // Prepare: wuzhou holds the parcel; the form filled as a seizure but for the field under test
    const { page } = await openConsole();
    const posted = await answerOutcomes(page, 503, {});
    await holdingWithFormOpen(page);
    await fillSeizure(page);

    // Act
    await page.getByLabel(label).fill(text);
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await (problem === undefined ? page.locator('#problem') : page.locator(`#${id}-problem`)).waitFor();

    // Assess: refused beside the field and not sent, or sent as typed
    if (problem === undefined) {
      expect(JSON.parse(posted[0]!).seizure.substance).toBe(text);
    } else {
      expect(await page.locator(`#${id}-problem`).textContent()).toBe(problem);
      expect(posted).toEqual([]);
    }
  });

  it('keeps the form as sent while the outcome is on its way, so that a 422 marks the value it was about', async () => {
    // Prepare
    const { page, answer } = await seizureRefusedOnItsWay();

    // Act: send, and try to change the substance before the answer
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    const changed = await page
      .getByLabel('Substance')
      .fill('heroin base', { timeout: 500 })
      .then(
        () => true,
        () => false,
      );
    answer();
    await page.locator('#substance-problem').waitFor();

    // Assess: nothing changed while it was sent; the problem is beside the value sent, which has focus
    expect(changed).toBe(false);
    expect(await page.getByLabel('Substance').inputValue()).toBe('heroin');
    expect(await page.evaluate('document.activeElement?.id')).toBe('substance');
  });

  it('shows a 422 on a seizure field beside that field, focused, until that field is typed in', async () => {
    // Prepare: wuzhou holds the parcel, the outcome form filled; the API refuses the concealment
    const { page } = await openConsole();
    await answerOutcomes(page, 422, {
      type: '/problems/validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'the finding breaks the contract',
      errors: [{ path: 'seizure.concealment', message: 'refused by the API for this test' }],
    });
    await holdingWithFormOpen(page);
    await fillSeizure(page);

    // Act
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await page.locator('#concealment-problem').waitFor();
    const focused = await page.evaluate('document.activeElement?.id');
    await page.getByLabel('Substance').fill('heroin base');
    const afterOtherField = await page.locator('#concealment-problem').isVisible();
    await page.getByLabel('Concealment method').fill('carved table leg, hollowed');

    // Assess: beside the field and focused; typing elsewhere keeps it, typing in it takes it away
    expect(focused).toBe('concealment');
    expect(afterOtherField).toBe(true);
    expect(await page.locator('#concealment-problem').isHidden()).toBe(true);
    expect(await page.getByLabel('Concealment method').getAttribute('aria-invalid')).toBeNull();
  });

  it('marks a token it cannot read, and focuses the token box, and focuses it again once a token is forgotten', async () => {
    // Prepare
    const { page } = await openConsole();
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');

    // Act: paste something that is no token
    await page.getByLabel('Bearer token').fill('not a token');
    await page.getByRole('button', { name: 'Use token' }).click();
    const token = page.getByLabel('Bearer token');
    const refused = [await token.getAttribute('aria-invalid'), await token.getAttribute('aria-describedby')];
    const focusedOnRefusal = await page.evaluate('document.activeElement?.id');
    // Act: forget the token in use
    await page.getByRole('button', { name: 'Forget token' }).click();

    // Assess
    expect(refused).toEqual(['true', 'problem token-hint']);
    expect(focusedOnRefusal).toBe('token');
    expect(await page.evaluate('document.activeElement?.id')).toBe('token');
  });
  it('takes a token pasted with its Bearer prefix, as copied from a request, and calls the API with it', async () => {
    // Prepare
    const { page } = await openConsole();

    // Act
    await page.getByLabel('Bearer token').fill(`Bearer ${await tokenFor('officer', 'wuzhou')}`);
    await page.getByRole('button', { name: 'Use token' }).click();

    // Assess: the API took it (it answered the offices the token covers)
    await expect.poll(() => page.getByLabel('Inspection office').inputValue()).toBe('wuzhou-customs');
    expect(await page.locator('#problem').isHidden()).toBe(true);
  });

  /** PARCEL's row in wuzhou's queue (a listing the test answers), once a user of `role` has signed in. */
  const rowSignedInAs = async (role: 'analyst' | 'admin') => {
    const { page } = await openConsole();
    await answerListings(page, { items: [queueEntry(PARCEL, 'wuzhou')] });
    await signIn(page, await tokenFor(role, role), 'wuzhou-customs');
    const row = rowOf(page, PARCEL);
    await row.waitFor();
    return row;
  };

  it('shows an analyst the queue read-only: no claim, release or outcome, but the consignee links', async () => {
    // Act
    const row = await rowSignedInAs('analyst');

    // Assess
    expect(await row.locator('td.actions').getByText('read-only').isVisible()).toBe(true);
    expect(await row.getByRole('button').allTextContents()).toEqual(['Consignee links']);
  });

  it.each([
    [undefined, 'by wuzhou, '],
    [1, 'by admin, ', ' (corrected once)'],
    [3, 'by admin, ', ' (corrected 3 times)'],
  ])("says how often a closed parcel's outcome was corrected: %s", async (corrections, by, said = '') => {
    // Prepare: the closed listing as the API answers it, after `corrections` corrections by an admin
    const { page } = await openConsole();
    const recordedAt = '2026-11-27T09:30:00Z';
    const { lease: _lease, ...entry } = queueEntry(PARCEL, 'wuzhou');
    await answerListings(page, {
      items: [
        {
          ...entry,
          status: 'closed',
          outcome: { outcome: 'seized', recordedBy: corrections ? 'admin' : 'wuzhou', recordedAt },
          ...(corrections ? { corrections } : {}),
        },
      ],
    });

    // Act
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    const row = rowOf(page, PARCEL);
    await row.waitFor();

    // Assess
    const time = await localTime(page, recordedAt);
    expect(time).toMatch(/ (UTC|GMT[+-][\d:]+)$/);
    expect(await row.locator('td.case .small').textContent()).toBe(`${by}${time}${said}`);
  });

  it('offers an admin no consignee links, which the API keeps to officers and analysts', async () => {
    // Act
    const row = await rowSignedInAs('admin');

    // Assess
    expect(await row.getByRole('button').count()).toBe(0);
  });

  it('keeps the form open on Escape while the outcome is on its way, for the answer to mark', async () => {
    // Prepare
    const { page, answer } = await seizureRefusedOnItsWay();

    // Act: send, then press Escape in the panel before the answer
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await page.locator('#outcome-heading').focus();
    await page.keyboard.press('Escape');
    answer();
    await page.locator('#substance-problem').waitFor();

    // Assess
    expect(await page.locator('#outcome-panel').isVisible()).toBe(true);
    expect(await page.locator('#substance-problem').textContent()).toBe('refused by the API for this test');
  });

  it('says the problem aloud when Enter is pressed in the field it is about, which has focus already', async () => {
    // Prepare: a seizure without its substance, the substance field focused
    const { page } = await openConsole();
    await holdingWithFormOpen(page);
    await fillSeizure(page);
    await page.getByLabel('Substance').fill('');

    // Act
    await page.getByLabel('Substance').press('Enter');
    await page.locator('#substance-problem').waitFor();

    // Assess
    expect(await page.locator('#notice').textContent()).toBe('Enter the substance seized.');
    expect(await page.evaluate('document.activeElement?.id')).toBe('substance');
  });

  it('closes the form and shows the outcome when an outcome is refused for one recorded meanwhile', async () => {
    // Prepare: wuzhou holds the parcel, the form open; another outcome was recorded since
    const { page } = await openConsole();
    const recordedAt = new Date().toISOString();
    const posted = await answerOutcomes(page, 409, {
      type: '/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: 'the outcome of this parcel is recorded already',
      code: 'CONFLICT',
      outcome: 'not-found',
      recordedAt,
    });
    await holdingWithFormOpen(page);

    // Act
    await page.getByLabel('cleared').check();
    await page.getByRole('button', { name: 'Record outcome', exact: true }).click();
    await page.locator('#problem').waitFor();

    // Assess: the form closed, the row shows the outcome the API named; nothing but `outcome` was sent
    expect(posted.map((body) => JSON.parse(body))).toEqual([{ outcome: 'cleared' }]);
    await page.locator('#outcome-panel').waitFor({ state: 'hidden' });
    expect(await rowOf(page, PARCEL).locator('td.case strong').textContent()).toBe('not-found');
  });
  it('asks the API for the next page with the cursor of the page before', async () => {
    // Prepare: a first page with a cursor, and the page after it
    const { page } = await openConsole();
    const cursors: (string | null)[] = [];
    await page.route(
      (url) => url.pathname === '/v1/inspections',
      (route) => {
        const cursor = new URL(route.request().url()).searchParams.get('cursor');
        cursors.push(cursor);
        const listing =
          cursor === null
            ? { items: [queueEntry(PARCEL, 'wuzhou')], cursor: 'page-2' }
            : { items: [queueEntry(CONTESTED_PARCEL, 'wuzhou')] };
        return route.fulfill({
          status: 200,
          contentType: 'application/json',
          headers: { date: new Date().toUTCString() },
          body: JSON.stringify(listing),
        });
      },
    );
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    await rowOf(page, PARCEL).waitFor();

    // Act
    await page.getByRole('button', { name: 'Next page' }).click();
    await rowOf(page, CONTESTED_PARCEL).waitFor();

    // Assess
    expect(cursors).toEqual([null, 'page-2']);
  });

  it("lists only the officer's own claims, a page of the size chosen, under a Claim / outcome column", async () => {
    // Prepare: two flagged parcels of their own, one claimed by wuzhou, the other by wuzhou-2
    const [mine, others] = ['SWF7781000600', 'SWF7781000700'];
    const manifest = readSample(RUILI_MANIFEST);
    for (const [index, parcelId] of [mine, others].entries()) {
      const body = {
        ...manifest,
        manifestId: `SWF-20261127-005${index}`,
        parcels: [{ ...manifest.parcels[0]!, parcelId }],
      };
      expect((await postAsPartner(stack, 'southwest-freight', JSON.stringify(body))).status).toBe(202);
    }
    await stack.waitForIdle();
    for (const [officer, parcelId] of [
      ['wuzhou', mine],
      ['wuzhou-2', others],
    ] as const) {
      const claimed = await asStaff(
        stack.apiUrl,
        await tokenFor('officer', officer),
        'POST',
        `/v1/inspections/southwest-freight/${parcelId}/claim`,
      );
      expect(claimed.status).toBe(200);
    }
    const { page, errors } = await openConsole();
    await signIn(page, await tokenFor('officer', 'wuzhou'), 'wuzhou-customs');
    await rowOf(page, others).waitFor();

    // Act
    await page.getByLabel('Page size').selectOption('10');
    await page.getByLabel('Only my claims').check();
    const [request] = await Promise.all([
      page.waitForRequest((sent) => new URL(sent.url()).pathname === '/v1/inspections'),
      page.getByRole('button', { name: 'List queue' }).click(),
    ]);
    await rowOf(page, others).waitFor({ state: 'detached' });

    // Assess: the query the API filtered, and only parcels wuzhou holds listed
    const query = new URL(request.url()).searchParams;
    expect([query.get('claimedBy'), query.get('limit'), query.get('status')]).toEqual(['me', '10', 'open']);
    expect(await rowOf(page, mine).locator('td.case strong').textContent()).toBe('claimed by wuzhou');
    expect(new Set(await page.locator('#queue-rows td.case strong').allTextContents())).toEqual(
      new Set(['claimed by wuzhou']),
    );
    expect(await page.locator('#queue-caption').textContent()).toBe(
      'wuzhou-customs: open parcels claimed by you, highest priority first',
    );
    expect(await page.getByRole('columnheader', { name: 'Claim / outcome' }).isVisible()).toBe(true);
    // A closed parcel is claimed by nobody: the choice goes off with the closed queue.
    await page.getByLabel('Status').selectOption('closed');
    expect(await page.getByLabel('Only my claims').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });
});
