import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../events/manifest-v1.js';
import type { ParcelFlagged } from '../../events/parcel-flagged-v1.js';
import { DynamoDbDecisionStore } from '../../functions/adapters/dynamodb-decision-store.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { DynamoDbRuleStatistics } from '../../functions/adapters/dynamodb-rule-statistics.js';
import { loadRuleSetFromDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { loadSharingAgreements } from '../../functions/adapters/file-sharing-agreements.js';
import { InMemoryManifestParts } from '../../functions/adapters/in-memory-manifest-parts.js';
import { InMemoryPartyHistory } from '../../functions/adapters/in-memory-party-history.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import { computeManifestFacts } from '../../functions/core/screening/manifest-facts.js';
import { buildScreeningMessages } from '../../functions/ingest/screening-messages.js';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { makeScreenParcels } from '../../functions/screen/screen-parcels.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { aManifest, aParcel } from '../support/factories.js';
import { OFFICES, TEST_SALT } from '../support/screening-messages.js';

const REGION = 'yunnan-guangxi';

/**
 * The control-sample pick is drawn once per parcel: a sampler that says yes and no in turn would give a
 * parcel two answers if screen drew again for a duplicate delivery or a redelivery. One message of ten
 * released parcels is delivered twice at once, then once more.
 */
describe('control-sample draws under duplicate deliveries and redelivery', () => {
  let dynamo: LocalDynamoDb;
  let draws = 0;
  const flagged: ParcelFlagged[] = [];
  let screenParcels: ReturnType<typeof makeScreenParcels>;
  let decisions: DynamoDbDecisionStore;
  let reviewQueue: DynamoDbReviewQueue;

  /** Screening on this file's stores, its clock moving a millisecond a reading, with what a test varies. */
  const aScreen = (overrides: Partial<Parameters<typeof makeScreenParcels>[0]>) => {
    let tick = Date.parse('2026-11-28T10:00:00.000Z');
    return makeScreenParcels({
      policy: loadRuleSetFromDirectory(resolve(REPO_ROOT, 'rules/default')),
      decisions,
      history: new InMemoryPartyHistory(
        loadSharingAgreements(resolve(REPO_ROOT, 'rules/sharing/agreements.yaml')),
      ),
      manifestParts: new InMemoryManifestParts(),
      reviewQueue,
      inspectionQueue: { send: async () => undefined },
      referralQueue: { send: async () => undefined },
      ruleStatistics: new DynamoDbRuleStatistics(dynamo.doc, 'draws-ruleStatistics'),
      clock: { now: () => new Date(tick++) },
      offices: OFFICES,
      controlSampler: { pick: () => false },
      ...overrides,
    });
  };

  /** One message of ten parcels to ten consignees, so that no manifest-level rule flags them: the rules release all. */
  const messageOf = (manifestId: string) => {
    const parcels = Array.from({ length: 10 }, (_, i) => {
      const base = aParcel({ parcelId: `${manifestId}-${i}` });
      return {
        ...base,
        consignee: { ...base.consignee, name: `Draw Consignee ${i}`, phone: `+86 138 0000 ${2000 + i}` },
      };
    });
    const manifest: Manifest = { ...aManifest({ manifestId }), parcels };
    const keys = parcels.map((parcel) => derivePartyKeys(parcel, TEST_SALT));
    const facts = computeManifestFacts(manifest, keys);
    return buildScreeningMessages(
      manifest,
      REGION,
      '2026-11-28T09:00:00.000Z',
      parcels.map((parcel, i) => ({ parcel, partyKeys: keys[i]!, manifestFacts: facts[i]! })),
    )[0]!;
  };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    const names = ['decisions', 'reviewQueue', 'ruleStatistics'] as const;
    await Promise.all(names.map((name) => dynamo.createTable(`draws-${name}`, TABLES[name])));
    decisions = new DynamoDbDecisionStore(dynamo.doc, 'draws-decisions');
    reviewQueue = new DynamoDbReviewQueue(dynamo.doc, 'draws-reviewQueue');
    screenParcels = aScreen({
      inspectionQueue: { send: async (messages) => void flagged.push(...messages) },
      clock: { now: () => new Date('2026-11-28T10:00:00.000Z') },
      controlSampler: { pick: () => ++draws % 2 === 1 },
    });
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('gives each parcel one pick, which its decision, review item and inspection message all keep', async () => {
    // Prepare
    const message = messageOf('DRAWS-1');
    // Act
    await Promise.all([screenParcels(message), screenParcels(message)]);
    const drawsBeforeRedelivery = draws;
    const redelivered = await screenParcels(message);
    // Assess
    expect(drawsBeforeRedelivery).toBeGreaterThanOrEqual(10);
    expect(draws).toBe(drawsBeforeRedelivery);
    const stored = await decisions.getMany(redelivered.map((decision) => decision.parcelKey));
    const sampled = [...stored.values()].filter((decision) => decision.controlSample === true);
    expect(stored.size).toBe(10);
    expect(sampled.length).toBeGreaterThan(0);
    expect(sampled.length).toBeLessThan(10);
    for (const decision of stored.values())
      expect(decision.lane).toBe(decision.controlSample === true ? 'hold' : 'release');
    const queued = await reviewQueue.list('nanning-customs', 'open', { now: '2026-11-28T10:00:00.000Z' });
    const sampledKeys = sampled.map((decision) => decision.parcelKey).sort();
    expect(queued.items.map((item) => item.parcelKey).sort()).toEqual(sampledKeys);
    expect([...new Set(flagged.map((sent) => `${sent.partnerId}#${sent.parcelId}`))].sort()).toEqual(
      sampledKeys,
    );
    for (const sent of flagged) expect(sent.controlSample).toBe(true);
  });

  it('keeps one decision per parcel when duplicate deliveries screen it at once while the clock moves', async () => {
    // Prepare
    let picks = 0;
    const screen = aScreen({ controlSampler: { pick: () => ++picks % 2 === 1 } });
    const message = messageOf('TICKS-1');

    // Act
    const [first, second] = await Promise.all([screen(message), screen(message)]);

    // Assess: both screenings act on the one decision stored
    const stored = await decisions.getMany(first.map((decision) => decision.parcelKey));
    const seen = (decisions: { decidedAt: string; controlSample?: boolean }[]) =>
      decisions.map(({ decidedAt, controlSample }) => ({ decidedAt, controlSample }));
    expect(seen(second)).toEqual(seen(first));
    expect(seen([...stored.values()].sort((a, b) => a.parcelId.localeCompare(b.parcelId)))).toEqual(
      seen([...first].sort((a, b) => a.parcelId.localeCompare(b.parcelId))),
    );
  });

  it("queues a sample at its deciding rule set's hold floor, though another is in force when its effects are retried", async () => {
    // Prepare: every parcel sampled under rules/default (hold from 60); its review items fail to be written
    const message = messageOf('FLOOR-1');
    const decidedBy = aScreen({
      controlSampler: { pick: () => true },
      reviewQueue: {
        ...reviewQueue,
        enqueue: async () => {
          throw new Error('crash before the review item');
        },
      } as unknown as DynamoDbReviewQueue,
    });
    await expect(decidedBy(message)).rejects.toThrow('crash before the review item');
    const live = loadRuleSetFromDirectory(resolve(REPO_ROOT, 'rules/default'));
    const holdsFrom80 = Object.assign(Object.create(live) as typeof live, {
      laneFloor: (lane: string) => (lane === 'hold' ? 80 : live.laneFloor(lane as 'hold')),
    });

    // Act: the redelivery, after a rule set that holds from 80 was deployed
    const retried = await aScreen({ policy: holdsFrom80 })(message);

    // Assess
    expect(retried.every((decision) => decision.controlSample === true)).toBe(true);
    for (const decision of retried) {
      expect(decision.queueScore).toBe(60);
      expect((await reviewQueue.get(decision.parcelKey))?.queueScore).toBe(60);
    }
  });

  it('reports each parcel a shadow rule set fails on, and screens it all the same', async () => {
    // Prepare
    const failed: string[] = [];
    const live = loadRuleSetFromDirectory(resolve(REPO_ROOT, 'rules/default'));
    const broken = Object.assign(Object.create(live) as typeof live, {
      evaluate: () => {
        throw new Error('shadow broke');
      },
    });
    const screen = aScreen({
      shadow: { policy: broken, failed: (parcelKey) => void failed.push(parcelKey) },
    });
    const message = messageOf('SHADOW-FAILS');

    // Act
    const screened = await screen(message);

    // Assess
    expect(screened).toHaveLength(10);
    expect(failed.sort()).toEqual(screened.map((decision) => decision.parcelKey).sort());
  });
});
