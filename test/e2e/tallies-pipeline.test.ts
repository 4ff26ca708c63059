import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Parcel } from '../../events/manifest-v1.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { asStaff, tokenFor } from '../support/staff.js';
import { aRuiliParcel, ruleSetWithTallies } from '../support/tallies.js';

/** A sum tally and the rule that reads it, laid over ruleSetWithTallies: declared value to one address. */
const DECLARED_VALUE_TALLY = `tallies:
  declared-value-cny:
    description: declared value in CNY
    days: 30
    sum: { fact: derived.goodsValueCny }
`;
const DECLARED_VALUE_RULE = `rules:
  - id: declared-value-to-one-address
    title: Over 20,000 CNY declared to one address in 30 days
    owner: risk-analytics
    severity: high
    tags: [history]
    score: 60
    reason: "{history.address.tallies.declared-value-cny} CNY declared to this address in 30 days before this one, {derived.goodsValueCny} CNY in this one"
    when:
      value: { add: [{ fact: history.address.tallies.declared-value-cny }, { fact: derived.goodsValueCny }] }
      gt: 20000

`;

/** ruleSetWithTallies with the sum tally declared-value-cny and its rule, in a folder of its own under `root`. */
const ruleSetWithSumTally = (root: string): string => {
  const directory = ruleSetWithTallies(root);
  const file = join(directory, 'rule-set.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace(/^tallies:\n/m, DECLARED_VALUE_TALLY)
      .replace(/^rules:\n/m, DECLARED_VALUE_RULE),
  );
  return directory;
};

/**
 * Tallies end to end, as a partner and an officer meet them: the embedded stack screens with a rule set
 * declaring tallies (test/support/tallies.ts: parcels from Ruili to one address in 30 days, read by
 * `ruili-again`; and, above, the declared value in CNY to one address in 30 days, a sum, read by
 * `declared-value-to-one-address`), so a later manifest's parcel to the address reads the earlier ones'
 * marks, and the officer's queue names them in the rule's reason.
 */
describe('a tally through the whole pipeline', () => {
  let stack: EmbeddedStack;
  let root: string;

  const decisionOf = async (parcelId: string) => {
    const decision = (await scanAll(stack.db, stack.tables.decisions)).find(
      (item) => item.parcelKey === `southwest-freight#${parcelId}`,
    );
    if (decision === undefined) throw new Error(`no decision for ${parcelId}`);
    return decision;
  };

  const postParcels = async (manifestId: string, parcels: Parcel[]) => {
    const manifest = { ...readSample(RUILI_MANIFEST), manifestId, parcels };
    const answer = await postAsPartner(stack, 'southwest-freight', JSON.stringify(manifest));
    expect(answer.status).toBe(202);
    await stack.waitForIdle(60_000);
  };
  const post = (manifestId: string, parcelIds: string[]) =>
    postParcels(
      manifestId,
      parcelIds.map((parcelId) => aRuiliParcel(parcelId)),
    );

  /** The address's day buckets of party history (`D#…`), the address a decision's parcel key. */
  const bucketsOf = async (address: string) =>
    (await scanAll(stack.db, stack.tables.partyHistory)).filter(
      (item) => typeof item.pk === 'string' && item.pk.endsWith(`#${address}`) && item.sk.startsWith('D#'),
    );

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tallies-e2e-'));
    stack = await startEmbeddedStack({ logLevel: 'warn', rulesDir: ruleSetWithSumTally(root) });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it("counts a first manifest's parcels in their address's tally, which a later manifest's parcel reads", async () => {
    // Act: two parcels from Ruili to the sample's address, then one more in another manifest
    await post('TALLY-FIRST', ['TALLY-1', 'TALLY-2']);
    await post('TALLY-SECOND', ['TALLY-3']);

    // Assess: the first manifest's parcels read no mark (their own manifest is not their history)
    for (const parcelId of ['TALLY-1', 'TALLY-2']) {
      const first = await decisionOf(parcelId);
      expect(first.facts.history.address.tallies).toEqual({
        'declared-value-cny': 0,
        'from-ruili': 0,
        'phones-at-address': 0,
      });
      expect(first.firedRules.map((rule: { ruleId: string }) => rule.ruleId)).not.toContain('ruili-again');
      expect(first.tallyMarks).toHaveLength(3);
    }
    // The later parcel reads them all (the sample declares 3,600 CNY a parcel), and the rule says so in its reason
    const later = await decisionOf('TALLY-3');
    expect(later.facts.history.address.tallies).toEqual({
      'declared-value-cny': 7_200,
      'from-ruili': 2,
      'phones-at-address': 1,
    });
    const fired = later.firedRules.find((rule: { ruleId: string }) => rule.ruleId === 'ruili-again');
    expect(fired?.reason).toBe('2 earlier parcels from Ruili to the address');
  });

  it("shows the tally's reason in the officer's queue and keeps the marks in the address's day bucket", async () => {
    // Act
    const officer = await tokenFor('officer', 'wuzhou');
    const queue = await asStaff(stack.apiUrl, officer, 'GET', '/v1/inspections?office=wuzhou-customs');

    // Assess: the held parcel's queue entry carries the reason
    expect(queue.status).toBe(200);
    const entry = queue.body.items.find((item: { parcelId: string }) => item.parcelId === 'TALLY-3');
    expect(entry.decision.firedRules).toContainEqual(
      expect.objectContaining({
        ruleId: 'ruili-again',
        reason: '2 earlier parcels from Ruili to the address',
      }),
    );
    // Three parcels marked the address's day bucket once each: a count, a sum and one phone
    const buckets = await bucketsOf((await decisionOf('TALLY-3')).facts.parties.address as string);
    expect(buckets).toHaveLength(1);
    const counts = Object.entries(buckets[0]!).filter(([name]) => name.startsWith('t_'));
    const phones = Object.entries(buckets[0]!).filter(([name]) => name.startsWith('v_'));
    expect(counts.map(([, count]) => count).sort((a, b) => a - b)).toEqual([3, 10_800]);
    expect(phones.map(([, keys]) => (keys as Set<string>).size)).toEqual([1]);
  });

  describe('a sum tally', () => {
    /**
     * A parcel of phone cases (which no default rule fires on) from Shenzhen to the sample's consignee at
     * another address of Wuzhou, declared at `amount` `currency`.
     */
    const declared = (parcelId: string, amount: number, currency = 'CNY'): Parcel => {
      const parcel = aRuiliParcel(parcelId);
      const shenzhen = { country: 'CN', region: 'Guangdong', city: 'Shenzhen' };
      return {
        ...parcel,
        shipper: { ...parcel.shipper, address: { ...parcel.shipper.address, ...shenzhen } },
        consignee: {
          ...parcel.consignee,
          address: { ...parcel.consignee.address, line: '万秀区西江二路65号 1单元101室' },
        },
        route: { ...parcel.route, origin: shenzhen, via: [] },
        goods: [
          {
            description: 'Silicone phone case',
            hsCode: '392690',
            quantity: 10,
            declaredValue: { amount, currency },
          },
        ],
        pieceCount: 1,
        declaredGrossWeightKg: 1.2,
        measuredWeightKg: 1.25,
        paymentMethod: 'prepaid',
      };
    };
    const SUM_REASON =
      '15260.75 CNY declared to this address in 30 days before this one, 4739.26 CNY in this one';

    it('adds up the declared value of earlier manifests to one address until a later parcel takes it over 20,000 CNY, and holds that one', async () => {
      // Act: 11,000.75 CNY in a first manifest, 600 USD (4,260 CNY) in a second, 4,739.26 CNY in a third
      await postParcels('SUM-FIRST', [declared('SUM-1', 6_000.5), declared('SUM-2', 5_000.25)]);
      await postParcels('SUM-SECOND', [declared('SUM-3', 600, 'USD')]);
      await postParcels('SUM-THIRD', [declared('SUM-4', 4_739.26)]);

      // Assess: each manifest's parcels read the sum of the earlier manifests', their own left out (and
      // mark neither tally from Ruili)
      const decisions = await Promise.all(['SUM-1', 'SUM-2', 'SUM-3', 'SUM-4'].map(decisionOf));
      expect(decisions.map((decision) => decision.facts.history.address.tallies)).toEqual([
        { 'declared-value-cny': 0, 'from-ruili': 0, 'phones-at-address': 0 },
        { 'declared-value-cny': 0, 'from-ruili': 0, 'phones-at-address': 0 },
        { 'declared-value-cny': 11_000.75, 'from-ruili': 0, 'phones-at-address': 0 },
        { 'declared-value-cny': 15_260.75, 'from-ruili': 0, 'phones-at-address': 0 },
      ]);
      // The earlier parcels are released; the one over 20,000 CNY is held, by the sum alone
      expect(decisions.map((decision) => decision.lane)).toEqual(['release', 'release', 'release', 'hold']);
      for (const decision of decisions.slice(0, 3))
        expect(decision.firedRules.map((rule: { ruleId: string }) => rule.ruleId)).not.toContain(
          'declared-value-to-one-address',
        );
      expect(decisions[3]!.firedRules).toEqual([
        expect.objectContaining({ ruleId: 'declared-value-to-one-address', reason: SUM_REASON }),
      ]);
    });

    it("shows the sum in the officer's queue, fixes each parcel's amount on its decision and keeps the exact sum in the address's day bucket", async () => {
      // Act
      const officer = await tokenFor('officer', 'wuzhou');
      const queue = await asStaff(stack.apiUrl, officer, 'GET', '/v1/inspections?office=wuzhou-customs');

      // Assess: the held parcel's queue entry carries the sum in its reason
      expect(queue.status).toBe(200);
      const entry = queue.body.items.find((item: { parcelId: string }) => item.parcelId === 'SUM-4');
      expect(entry.decision.firedRules).toContainEqual(
        expect.objectContaining({ ruleId: 'declared-value-to-one-address', reason: SUM_REASON }),
      );
      // Each parcel's amount, its value in CNY, rides with its mark on its decision
      const amounts = await Promise.all(
        ['SUM-1', 'SUM-2', 'SUM-3', 'SUM-4'].map(async (parcelId) => {
          const marks: { counter: string; amount?: number }[] = (await decisionOf(parcelId)).tallyMarks;
          return marks.filter((mark) => mark.amount !== undefined);
        }),
      );
      const counter = amounts[0]![0]!.counter;
      expect(amounts).toEqual([6_000.5, 5_000.25, 4_260, 4_739.26].map((amount) => [{ counter, amount }]));
      // The address's day bucket holds the sum of the four, exactly
      const held = await decisionOf('SUM-4');
      const buckets = await bucketsOf(held.facts.parties.address as string);
      expect(buckets.map((bucket) => bucket[`t_${counter}`])).toEqual([20_000.01]);
    });
  });
});
