import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, Parcel } from '../../events/manifest-v1.js';
import type { ParcelFlagged } from '../../events/parcel-flagged-v1.js';
import type { ParcelReferred } from '../../events/parcel-referred-v1.js';
import type { ScreeningRequested } from '../../events/screening-requested-v1.js';
import { DynamoDbDecisionStore } from '../../functions/adapters/dynamodb-decision-store.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { DynamoDbRuleStatistics } from '../../functions/adapters/dynamodb-rule-statistics.js';
import { loadRuleSetFromDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { loadSharingAgreements } from '../../functions/adapters/file-sharing-agreements.js';
import { InMemoryManifestParts } from '../../functions/adapters/in-memory-manifest-parts.js';
import { InMemoryPartyHistory } from '../../functions/adapters/in-memory-party-history.js';
import { parcelKey } from '../../functions/core/keys.js';
import type { PartyKeys } from '../../functions/core/parties/party-keys.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import { computeManifestFacts } from '../../functions/core/screening/manifest-facts.js';
import { buildScreeningMessages } from '../../functions/ingest/screening-messages.js';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { makeScreenParcels } from '../../functions/screen/screen-parcels.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { aManifest, aParcel } from '../support/factories.js';
import { OFFICES, TEST_SALT } from '../support/screening-messages.js';

/**
 * 1,000 parcels to 50 consignees (20 each, under 3 spellings), 25 addresses and 7 shippers, screened
 * through the screen use case: 100 messages of 10 parcels, all at once, every fifth message delivered
 * twice at the same moment (as SQS may), so duplicates race through decide, record and mark. Decisions,
 * the review queue and rule statistics are the DynamoDB adapters on dynalite; party history is the
 * in-memory store, which runs the same contract suite as DynamoDbPartyHistory (whose own 1,000-parcel
 * concurrent recording on dynalite is in that suite): history on dynalite too would take this file
 * past 30 s on CI's two cores.
 */

const PARCELS = 1000;
const CONSIGNEES = 50;
const ADDRESSES = 25;
const SHIPPERS = 7;
const PER_MESSAGE = 10;
const REGION = 'yunnan-guangxi';
const NOW = new Date('2026-11-28T10:00:00.000Z');
const SPELLINGS = (index: number) => [`张伟${index}`, `Zhang Wei${index}`, `Mr WEI${index} ZHANG`];

const parcelAt = (index: number): Parcel => {
  const consignee = index % CONSIGNEES;
  const address = index % ADDRESSES;
  const shipper = index % SHIPPERS;
  const base = aParcel({ parcelId: `LOAD${String(index).padStart(5, '0')}` });
  const ruili = index % 4 === 0;
  return {
    ...base,
    shipper: { ...base.shipper, phone: `+86 755 2000 ${String(1000 + shipper)}` },
    consignee: {
      ...base.consignee,
      name: SPELLINGS(consignee)[index % 3]!,
      phone: `+86 138 0000 ${String(1000 + consignee)}`,
      address: { ...base.consignee.address, line: `${100 + address} Minzu Avenue` },
    },
    route: ruili ? { ...base.route, origin: { country: 'CN', region: 'Yunnan', city: 'Ruili' } } : base.route,
    paymentMethod: ruili ? 'cash' : 'prepaid',
    declaredGrossWeightKg: 1 + (index % 7) * 0.05,
    measuredWeightKg: 1 + (index % 7) * 0.05,
  };
};

const messagesOf = (parcels: Parcel[]): { messages: ScreeningRequested[]; keys: PartyKeys[] } => {
  const keys = parcels.map((parcel) => derivePartyKeys(parcel, TEST_SALT));
  const messages = Array.from({ length: parcels.length / PER_MESSAGE }, (_, index) => {
    const group = parcels.slice(index * PER_MESSAGE, (index + 1) * PER_MESSAGE);
    const groupKeys = keys.slice(index * PER_MESSAGE, (index + 1) * PER_MESSAGE);
    const manifest: Manifest = { ...aManifest({ manifestId: `LOAD-${index}` }), parcels: group };
    const facts = computeManifestFacts(manifest, groupKeys);
    return buildScreeningMessages(
      manifest,
      REGION,
      '2026-11-28T09:00:00.000Z',
      group.map((parcel, item) => ({ parcel, partyKeys: groupKeys[item]!, manifestFacts: facts[item]! })),
    );
  }).flat();
  return { messages, keys };
};

describe('screening 1,000 parcels to 50 consignees concurrently', () => {
  let dynamo: LocalDynamoDb;
  const flaggedMessages: ParcelFlagged[] = [];
  const referrals: ParcelReferred[] = [];
  let history: InMemoryPartyHistory;
  let decisions: DynamoDbDecisionStore;
  let statistics: DynamoDbRuleStatistics;
  let screenParcels: ReturnType<typeof makeScreenParcels>;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    const names = ['decisions', 'reviewQueue', 'ruleStatistics'] as const;
    await Promise.all(names.map((name) => dynamo.createTable(`concurrent-${name}`, TABLES[name])));
    history = new InMemoryPartyHistory(
      loadSharingAgreements(resolve(REPO_ROOT, 'rules/sharing/agreements.yaml')),
    );
    decisions = new DynamoDbDecisionStore(dynamo.doc, 'concurrent-decisions');
    statistics = new DynamoDbRuleStatistics(dynamo.doc, 'concurrent-ruleStatistics');
    screenParcels = makeScreenParcels({
      policy: loadRuleSetFromDirectory(resolve(REPO_ROOT, 'rules/default')),
      decisions,
      history,
      manifestParts: new InMemoryManifestParts(),
      reviewQueue: new DynamoDbReviewQueue(dynamo.doc, 'concurrent-reviewQueue'),
      inspectionQueue: { send: async (messages) => void flaggedMessages.push(...messages) },
      referralQueue: { send: async (messages) => void referrals.push(...messages) },
      ruleStatistics: statistics,
      clock: { now: () => NOW },
      offices: OFFICES,
      controlSampler: { pick: () => false },
    });
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('counts every parcel once for every party, whatever the interleaving and the duplicate deliveries', async () => {
    // Prepare
    const parcels = Array.from({ length: PARCELS }, (_, index) => parcelAt(index));
    const { messages, keys } = messagesOf(parcels);
    const deliveries = messages.flatMap((message, index) =>
      index % 5 === 0 ? [message, message] : [message],
    );

    // Act
    await Promise.all(deliveries.map((message) => screenParcels(message)));

    // Assess
    expect(messages).toHaveLength(PARCELS / PER_MESSAGE);
    const recorded = await decisions.getMany(
      parcels.map((parcel) => parcelKey('pearl-express', parcel.parcelId)),
    );
    expect(recorded.size).toBe(PARCELS);
    expect([...recorded.values()].filter((decision) => decision.effectsDoneAt === undefined)).toEqual([]);
    const flagged = parcels.map(
      (parcel) => recorded.get(parcelKey('pearl-express', parcel.parcelId))!.lane !== 'release',
    );
    expect(flagged).toEqual(parcels.map((_, index) => index % 4 === 0));

    const indices = (where: (index: number) => boolean) =>
      Array.from({ length: PARCELS }, (_, index) => index).filter(where);
    const expectedOf = (mine: number[], counterpart: (index: number) => string | undefined) => ({
      parcels90d: mine.length,
      flags: mine.filter((index) => flagged[index]).length,
      distinctCounterparts: new Set(mine.map(counterpart)).size,
    });
    const facts = await history.summarize(keys.slice(0, CONSIGNEES), REGION, NOW.toISOString());
    facts.forEach((party, consignee) => {
      const mine = indices((index) => index % CONSIGNEES === consignee);
      expect(party.consignee).toMatchObject(expectedOf(mine, (index) => keys[index]!.shipper));
      expect(party.phone).toMatchObject(expectedOf(mine, (index) => keys[index]!.consigneeName));
      // `Zhang Wei7` and `Mr WEI7 ZHANG` are one name: three spellings, two names per phone.
      expect(party.phone.distinctCounterparts).toBe(2);
      const atAddress = indices((index) => index % ADDRESSES === consignee % ADDRESSES);
      expect(party.address).toMatchObject(expectedOf(atAddress, (index) => keys[index]!.consignee));
      expect(party.address.distinctCounterparts).toBe(2);
      const fromShipper = indices((index) => index % SHIPPERS === consignee % SHIPPERS);
      expect(party.shipper).toMatchObject(expectedOf(fromShipper, (index) => keys[index]!.consignee));
    });
    expect(facts.reduce((total, party) => total + party.consignee.parcels90d, 0)).toBe(PARCELS);

    const hits = new Map<string, number>();
    for (const decision of recorded.values())
      for (const rule of decision.firedRules) hits.set(rule.ruleId, (hits.get(rule.ruleId) ?? 0) + 1);
    const counted = await statistics.read(REGION);
    expect(await statistics.read('guangdong')).toEqual([]);
    for (const [ruleId, count] of hits)
      expect(counted.filter((row) => row.ruleId === ruleId).reduce((sum, row) => sum + row.hits, 0)).toBe(
        count,
      );
    expect(new Set(flaggedMessages.map((message) => message.parcelId)).size).toBe(PARCELS / 4);
  }, 60_000);
});
