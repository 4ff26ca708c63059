import { resolve } from 'node:path';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../events/manifest-v1.js';
import type { ScreeningRequested } from '../../events/screening-requested-v1.js';
import { DynamoDbDecisionStore } from '../../functions/adapters/dynamodb-decision-store.js';
import { DynamoDbManifestParts } from '../../functions/adapters/dynamodb-manifest-parts.js';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { DynamoDbRuleStatistics } from '../../functions/adapters/dynamodb-rule-statistics.js';
import { loadRuleSetFromDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { loadSharingAgreements } from '../../functions/adapters/file-sharing-agreements.js';
import { regionOf } from '../../functions/core/access/offices.js';
import { parcelKey } from '../../functions/core/keys.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import { computeManifestFacts } from '../../functions/core/screening/manifest-facts.js';
import { buildRegionalScreeningMessages } from '../../functions/ingest/screening-messages.js';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import type { DecisionRecord } from '../../functions/ports/decision-store.js';
import { makeScreenParcels } from '../../functions/screen/screen-parcels.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { aManifest, aParcel } from '../support/factories.js';
import { OFFICES, TEST_SALT } from '../support/screening-messages.js';

const REGION = 'yunnan-guangxi';
const PARCELS = 30;

/**
 * A manifest of more than 25 parcels reaches screen as several messages (parts). Each parcel's history
 * facts must hold no parcel of its own manifest (the manifest facts count those), whatever the order and
 * timing of the parts: before, a later part saw the earlier parts' parcels as history of their own.
 */
describe('party history of a manifest screened in parts', () => {
  let dynamo: LocalDynamoDb;
  let tables = 0;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  /** A manifest of 30 cash-paid parcels to one new consignee, weights 100 g apart (no split shipment). */
  const partsOf = (manifestId: string): ScreeningRequested[] => {
    const parcels = Array.from({ length: PARCELS }, (_, i) =>
      aParcel({
        parcelId: `${manifestId}-${String(i).padStart(2, '0')}`,
        declaredGrossWeightKg: Math.round((0.8 + i * 0.1) * 1000) / 1000,
        paymentMethod: 'cash',
      }),
    );
    const manifest: Manifest = { ...aManifest({ manifestId }), parcels };
    const keys = parcels.map((parcel) => derivePartyKeys(parcel, TEST_SALT));
    const facts = computeManifestFacts(manifest, keys);
    return buildRegionalScreeningMessages(
      manifest,
      '2026-11-28T09:00:00.000Z',
      parcels.map((parcel, i) => ({
        region: regionOf(OFFICES, parcel.route.inspectionOffice)!,
        item: { parcel, partyKeys: keys[i]!, manifestFacts: facts[i]! },
      })),
    );
  };

  /** `failRecords`: how many history writes fail, as if the process died there (Infinity: all). */
  const aScreen = async ({ failRecords = 0 }: { failRecords?: number } = {}) => {
    tables += 1;
    const names = ['decisions', 'partyHistory', 'reviewQueue', 'ruleStatistics'] as const;
    await Promise.all(names.map((name) => dynamo.createTable(`parts-${tables}-${name}`, TABLES[name])));
    const history = new DynamoDbPartyHistory(
      dynamo.doc,
      `parts-${tables}-partyHistory`,
      loadSharingAgreements(resolve(REPO_ROOT, 'rules/sharing/agreements.yaml')),
    );
    let tick = Date.parse('2026-11-28T10:00:00.000Z');
    let failing = failRecords;
    const statistics = new DynamoDbRuleStatistics(dynamo.doc, `parts-${tables}-ruleStatistics`);
    const decisions = new DynamoDbDecisionStore(dynamo.doc, `parts-${tables}-decisions`);
    const screen = makeScreenParcels({
      policy: loadRuleSetFromDirectory(resolve(REPO_ROOT, 'rules/default')),
      decisions,
      history: Object.assign(Object.create(history) as DynamoDbPartyHistory, {
        record: async (observations: Parameters<DynamoDbPartyHistory['record']>[0]) => {
          if (failing > 0) {
            failing -= 1;
            throw new Error('the process died while recording history');
          }
          return history.record(observations);
        },
      }),
      manifestParts: new DynamoDbManifestParts(dynamo.doc, `parts-${tables}-partyHistory`),
      reviewQueue: new DynamoDbReviewQueue(dynamo.doc, `parts-${tables}-reviewQueue`),
      inspectionQueue: { send: async () => undefined },
      referralQueue: { send: async () => undefined },
      ruleStatistics: statistics,
      clock: { now: () => new Date(tick++) },
      offices: OFFICES,
      controlSampler: { pick: () => false },
    });
    return { screen, history, statistics, decisions };
  };

  /** The manifest's consignee as the history knows it after the test's screening. */
  const consigneeNow = async (history: DynamoDbPartyHistory, parts: ScreeningRequested[]) => {
    const [facts] = await history.summarize(
      [parts[0]!.items[0]!.partyKeys],
      REGION,
      '2026-11-28T12:00:00.000Z',
    );
    return facts!.consignee;
  };

  const consigneeHistoryOf = (decisions: DecisionRecord[]) =>
    new Set(
      decisions.map(({ facts, lane }) =>
        JSON.stringify({
          known: facts.history.consignee.known,
          parcels7d: facts.history.consignee.parcels7d,
          lane,
        }),
      ),
    );

  it.each([
    ['in order', (parts: number[]) => parts],
    ['last part first', (parts: number[]) => [...parts].reverse()],
  ])(
    'gives every parcel the same history, none of its own manifest, with the parts screened %s',
    async (_, order) => {
      // Prepare
      const { screen, history } = await aScreen();
      const parts = partsOf('PARTS-1');

      // Act
      const decided: DecisionRecord[] = [];
      for (const index of order(parts.map((_, i) => i))) decided.push(...(await screen(parts[index]!)));
      const after = await consigneeNow(history, parts);

      // Assess
      expect(parts.map((part) => part.items.length)).toEqual([25, 5]);
      expect(parts.map((part) => part.part?.of)).toEqual([2, 2]);
      expect(decided).toHaveLength(PARCELS);
      expect(consigneeHistoryOf(decided)).toEqual(
        new Set([JSON.stringify({ known: false, parcels7d: 0, lane: 'review' })]),
      );
      // Once every part is screened, the history counts every parcel of the manifest, once.
      expect(after).toMatchObject({ known: true, parcels7d: PARCELS });
    },
  );

  it('gives every parcel the same history with the parts screened at once, and counts nothing twice on redelivery', async () => {
    // Prepare
    const { screen, history } = await aScreen();
    const parts = partsOf('PARTS-2');

    // Act
    const decided = (await Promise.all(parts.map((part) => screen(part)))).flat();
    for (const part of parts) await screen(part);
    const after = await consigneeNow(history, parts);

    // Assess
    expect(consigneeHistoryOf(decided)).toEqual(
      new Set([JSON.stringify({ known: false, parcels7d: 0, lane: 'review' })]),
    );
    expect(after).toMatchObject({ known: true, parcels7d: PARCELS });
  });

  it('records the whole manifest when the completing part is redelivered after failing to record it', async () => {
    // Prepare: the first history write fails, as if the process died there
    const { screen, history } = await aScreen({ failRecords: 1 });
    const parts = partsOf('PARTS-4');

    // Act
    await screen(parts[0]!);
    await expect(screen(parts[1]!)).rejects.toThrow(/died while recording/);
    await screen(parts[1]!);
    const after = await consigneeNow(history, parts);

    // Assess
    expect(after).toMatchObject({ known: true, parcels7d: PARCELS });
  });

  it('counts the rule hits while the party history keeps failing, and finishes no parcel meanwhile', async () => {
    // Prepare
    const { screen, statistics, decisions } = await aScreen({ failRecords: Number.POSITIVE_INFINITY });
    const parts = partsOf('PARTS-6');

    // Act
    await screen(parts[0]!);
    await expect(screen(parts[1]!)).rejects.toThrow(/died while recording/);
    const hits = (await statistics.read(REGION)).reduce((sum, rule) => sum + rule.hits, 0);
    const stored = await decisions.getMany(
      parts.flatMap((part) => part.items.map((item) => parcelKey(part.partnerId, item.parcel.parcelId))),
    );

    // Assess: every parcel fired rules (cash, new consignee), and all 30 were counted
    const fired = [...stored.values()].reduce((sum, decision) => sum + decision.firedRules.length, 0);
    expect(fired).toBeGreaterThanOrEqual(2 * PARCELS);
    expect(hits).toBe(fired);
    expect(
      parts[1]!.items.filter(
        (item) => stored.get(parcelKey(parts[1]!.partnerId, item.parcel.parcelId))?.effectsDoneAt,
      ),
    ).toEqual([]);
  });

  it('completes a manifest whose parts meet messages of it sent before parts existed (a resumed hand-over)', async () => {
    // Prepare: the same manifest as the old ingest sent it, without part
    const { screen, history } = await aScreen();
    const parts = partsOf('PARTS-5');
    const unparted = parts.map(({ part: _part, ...message }) => message);

    // Act: old 0, new 1, old 1 (its parcels already finished by new 1), new 0 (its parcels finished by old 0)
    for (const message of [unparted[0]!, parts[1]!, unparted[1]!, parts[0]!]) await screen(message);
    const after = await consigneeNow(history, parts);

    // Assess
    expect(after).toMatchObject({ known: true, parcels7d: PARCELS });
  });

  it('records no history of the manifest while a part is still unscreened', async () => {
    // Prepare
    const { screen, history } = await aScreen();
    const parts = partsOf('PARTS-3');

    // Act
    await screen(parts[0]!);
    const meanwhile = await consigneeNow(history, parts);

    // Assess
    expect(meanwhile).toMatchObject({ known: false, parcels7d: 0 });
  });

  it('records no history of the manifest, and is retried, while a decision of a screened part is missing', async () => {
    // Prepare: the first part screened, then one of its decisions is gone
    const { screen, history } = await aScreen();
    const parts = partsOf('PARTS-7');
    await screen(parts[0]!);
    const lost = parcelKey(parts[0]!.partnerId, parts[0]!.items[0]!.parcel.parcelId);
    await dynamo.doc.send(new DeleteCommand({ TableName: `parts-${tables}-decisions`, Key: { pk: lost } }));

    // Act / Assess: the completing part fails, to be retried, and records nothing partial
    await expect(screen(parts[1]!)).rejects.toMatchObject({ code: 'MANIFEST_PART_MISSING', retryable: true });
    expect(await consigneeNow(history, parts)).toMatchObject({ known: false, parcels7d: 0 });
  });

  /**
   * A manifest whose parcels go to offices of two regions that share phone counterparts reaches screen
   * as one message per region, screened at any time and in any order. Before, the region screened
   * second read the names the first had just shared as the phone's history: 6 parcels to one phone under
   * 6 names were released in Yunnan–Guangxi and held for review in Guangdong, or the other way round.
   */
  describe('split across regions that share counterparts', () => {
    const PHONE = '+86 138 7710 9999';
    const NAMES = ['Zhang Wei', 'Li Na', 'Wang Fang', 'Chen Jie', 'Liu Yang', 'Zhao Lei'];

    /** Messages of a manifest of parcels to PHONE under `names`, the first `inYunnan` at Nanning. */
    const byRegion = (manifestId: string, names: string[], inYunnan: number, receivedAt: string) => {
      const parcels = names.map((name, i) => {
        const parcel = aParcel({ parcelId: `${manifestId}-${i}`, declaredGrossWeightKg: 1 + i });
        return {
          ...parcel,
          consignee: { ...parcel.consignee, name, phone: PHONE },
          route: {
            ...parcel.route,
            inspectionOffice: i < inYunnan ? 'nanning-customs' : 'guangzhou-customs',
          },
        };
      });
      const manifest: Manifest = { ...aManifest({ manifestId }), parcels };
      const keys = parcels.map((parcel) => derivePartyKeys(parcel, TEST_SALT));
      const facts = computeManifestFacts(manifest, keys);
      const messages = buildRegionalScreeningMessages(
        manifest,
        receivedAt,
        parcels.map((parcel, i) => ({
          region: regionOf(OFFICES, parcel.route.inspectionOffice)!,
          item: { parcel, partyKeys: keys[i]!, manifestFacts: facts[i]! },
        })),
      );
      return (region: string) => messages.find((message) => message.region === region)!;
    };

    const namesOnPhone = (decisions: DecisionRecord[]) =>
      decisions.map((decision) => decision.facts.history.phone.sharedDistinctCounterparts);
    const fired = (decisions: DecisionRecord[]) =>
      decisions.flatMap((decision) => decision.firedRules.map((rule) => rule.ruleId));

    it.each([
      ['Yunnan–Guangxi first', ['yunnan-guangxi', 'guangdong']],
      ['Guangdong first', ['guangdong', 'yunnan-guangxi']],
    ])(
      "gives every parcel the same names on its phone, none of its own manifest's, with %s",
      async (_, order) => {
        // Prepare
        const { screen } = await aScreen();
        const messageIn = byRegion('SPLIT-1', NAMES, 4, '2026-11-28T09:00:00.000Z');

        // Act
        const decided: DecisionRecord[] = [];
        for (const region of order) decided.push(...(await screen(messageIn(region))));

        // Assess: each parcel's own name only, as when the manifest is screened in one region
        expect(namesOnPhone(decided)).toEqual([1, 1, 1, 1, 1, 1]);
        expect(fired(decided)).not.toContain('phone-many-consignees');
      },
    );

    it("counts the names another region shared from an earlier delivery, and this parcel's own", async () => {
      // Prepare: four names on the phone at Nanning, in an earlier manifest
      const { screen } = await aScreen();
      await screen(byRegion('SPLIT-2', NAMES.slice(0, 4), 4, '2026-11-28T08:00:00.000Z')('yunnan-guangxi'));

      // Act: a fifth name on the phone at Guangzhou
      const decided = await screen(
        byRegion('SPLIT-3', [NAMES[4]!], 0, '2026-11-28T09:00:00.000Z')('guangdong'),
      );

      // Assess
      expect(namesOnPhone(decided)).toEqual([5]);
      expect(fired(decided)).toContain('phone-many-consignees');
    });
  });
});
