import { resolve } from 'node:path';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../events/manifest-v1.js';
import type { ParcelReferred } from '../../events/parcel-referred-v1.js';
import type { ScreeningRequested } from '../../events/screening-requested-v1.js';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbDecisionStore } from '../../functions/adapters/dynamodb-decision-store.js';
import { DynamoDbManifestParts } from '../../functions/adapters/dynamodb-manifest-parts.js';
import { DynamoDbManifestStore } from '../../functions/adapters/dynamodb-manifest-store.js';
import { DynamoDbParcelStore } from '../../functions/adapters/dynamodb-parcel-store.js';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { loadRuleSetFromDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { InMemoryManifestParts } from '../../functions/adapters/in-memory-manifest-parts.js';
import { InMemoryPartyHistory } from '../../functions/adapters/in-memory-party-history.js';
import { parcelKey, referralIdOf } from '../../functions/core/keys.js';
import type { ScreeningFacts } from '../../functions/core/screening/facts.js';
import { signWebhook } from '../../functions/core/webhooks/standard-webhooks.js';
import { type AcceptManifestDeps, makeAcceptManifest } from '../../functions/ingest/accept-manifest.js';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { ConflictError } from '../../functions/platform/errors.js';
import type { DecisionRecord } from '../../functions/ports/decision-store.js';
import type { ManifestRecord } from '../../functions/ports/manifest-store.js';
import type { PartnerDirectory } from '../../functions/ports/partner-directory.js';
import type { ReviewItem } from '../../functions/ports/review-queue.js';
import type { RuleStatistics } from '../../functions/ports/rule-statistics.js';
import { makeClaimParcel } from '../../functions/review/case-actions.js';
import { makeScreenParcels } from '../../functions/screen/screen-parcels.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { aFlaggedItem, aManifestOf, aParcel, RUILI_MANIFEST } from '../support/factories.js';
import { partyKeys } from '../support/party-history-contract.js';
import { aScreeningMessage, OFFICES, TEST_SALT } from '../support/screening-messages.js';
import { claimAndReleaseDeps, wuzhouOfficer } from '../support/staff.js';

/**
 * Manifests, parcels, decisions, review items and party-history claims expire 400 days after they were
 * written (`expiresAt`), and DynamoDB's TTL deletes them some time after, in no order across tables (it
 * does not run on dynalite at all). Every conditional write and every read it relies on counts a record
 * expired at the writer's own time as absent, so the outcome is the same before and after TTL runs; a
 * record stored before `expiresAt` existed never expires.
 */

const NOW = '2026-11-29T08:00:00.000Z';
const DAY_MS = 86_400_000;
/** `days` days (and `seconds` seconds) before NOW. */
const ago = (days: number, seconds = 0) =>
  new Date(Date.parse(NOW) - days * DAY_MS - seconds * 1000).toISOString();
/** `seconds` seconds after NOW. */
const later = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();

const PARTNER = 'pearl-express';
const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

/** A new id for each case, so cases share no item. */
let ids = 0;
const uniqueId = (prefix: string) => `${prefix}-${++ids}`;

let dynamo: LocalDynamoDb;
let manifests: DynamoDbManifestStore;
let parcels: DynamoDbParcelStore;
let decisions: DynamoDbDecisionStore;
let reviewQueue: DynamoDbReviewQueue;
let history: DynamoDbPartyHistory;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  for (const name of [
    'manifests',
    'parcels',
    'decisions',
    'reviewQueue',
    'partyHistory',
    'auditLog',
  ] as const)
    await dynamo.createTable(name, TABLES[name]);
  manifests = new DynamoDbManifestStore(dynamo.doc, 'manifests');
  parcels = new DynamoDbParcelStore(dynamo.doc, 'parcels');
  decisions = new DynamoDbDecisionStore(dynamo.doc, 'decisions');
  reviewQueue = new DynamoDbReviewQueue(dynamo.doc, 'reviewQueue');
  history = new DynamoDbPartyHistory(dynamo.doc, 'partyHistory');
});

afterAll(async () => {
  await dynamo?.stop();
});

/** An item as a deployment from before `expiresAt` wrote it: without one. */
const putWithoutExpiry = (table: string, item: Record<string, unknown>) =>
  dynamo.doc.send(new PutCommand({ TableName: table, Item: item }));

const aManifestRecord = (manifestId: string, receivedAt: string, parcelIds: string[]): ManifestRecord => ({
  partnerId: PARTNER,
  manifestId,
  region: 'guangxi',
  bodyHash: `hash-of-${manifestId}-${receivedAt}`,
  webhookId: `msg_${manifestId}`,
  receivedAt,
  parcelIds,
  status: 'queued',
});

/** A manifest and its parcels as ingest stored them at `receivedAt` (without `expiresAt` when `legacy`). */
const storeDelivered = async (record: ManifestRecord, legacy = false) => {
  if (legacy) {
    await putWithoutExpiry('manifests', { pk: `${PARTNER}#${record.manifestId}`, ...record });
    for (const parcelId of record.parcelIds) {
      await putWithoutExpiry('parcels', {
        pk: parcelKey(PARTNER, parcelId),
        parcelId,
        partnerId: PARTNER,
        manifestId: record.manifestId,
        region: 'yunnan-guangxi',
        receivedAt: record.receivedAt,
        parcel: aParcel({ parcelId }),
      });
    }
    return;
  }
  expect((await manifests.createOrGet(record)).created).toBe(true);
  await parcels.putAll(
    record.parcelIds.map((parcelId) => ({
      partnerId: PARTNER,
      manifestId: record.manifestId,
      region: 'yunnan-guangxi',
      receivedAt: record.receivedAt,
      parcel: aParcel({ parcelId }),
    })),
  );
};

const aDecision = (
  parcelId: string,
  manifestId: string,
  decidedAt: string,
  lane: DecisionRecord['lane'] = 'hold',
): DecisionRecord => ({
  ruleSetId: 'default',
  ruleSetVersion: 'sha256:1',
  score: lane === 'release' ? 0 : 60,
  lane,
  firedRules: [],
  parcelKey: parcelKey(PARTNER, parcelId),
  partnerId: PARTNER,
  manifestId,
  parcelId,
  region: 'yunnan-guangxi',
  inspectionOffice: 'wuzhou-customs',
  referralId: `ref_${manifestId}`,
  decidedAt,
  facts: { now: decidedAt, parcel: aParcel({ parcelId }) } as ScreeningFacts,
});

/** The screen use case on the real decisions and review queue, its clock at `now`. */
const screenAt = (now: string, referrals: ParcelReferred[] = []) =>
  makeScreenParcels({
    policy: loadRuleSetFromDirectory(resolve(REPO_ROOT, 'rules/default')),
    decisions,
    history: new InMemoryPartyHistory(),
    manifestParts: new InMemoryManifestParts(),
    reviewQueue,
    inspectionQueue: { send: async () => {} },
    referralQueue: { send: async (messages) => void referrals.push(...messages) },
    ruleStatistics: { recordHits: async () => {} } as unknown as RuleStatistics,
    clock: { now: () => new Date(now) },
    offices: OFFICES,
    controlSampler: { pick: () => false },
  });

describe('decisions: one per delivered parcel, and a reused id is screened afresh', () => {
  it('gives a parcel id reused after 400 days, its old parcel deleted by TTL, a decision of its own (the reviewer’s repro)', async () => {
    // Prepare: P-1 delivered in M-OLD on 2025-10-01 and decided; TTL then deleted the parcel, not the decision
    const old = aManifestRecord('M-OLD', '2025-10-01T00:00:00.000Z', ['P-1']);
    await storeDelivered(old);
    await decisions.createOrGet(aDecision('P-1', 'M-OLD', '2025-10-01T00:00:05.000Z'), old.receivedAt);
    await dynamo.doc.send(
      new DeleteCommand({ TableName: 'parcels', Key: { pk: parcelKey(PARTNER, 'P-1') } }),
    );
    // P-1 in M-NEW, received now: accepted
    await storeDelivered(aManifestRecord('M-NEW', NOW, ['P-1']));

    // Act
    const fresh = aDecision('P-1', 'M-NEW', later(2), 'release');
    const stored = await decisions.createOrGet(fresh, NOW);

    // Assess
    expect(stored).toEqual(fresh);
    expect((await decisions.getMany([fresh.parcelKey])).get(fresh.parcelKey)).toEqual(fresh);
  });

  it.each([
    {
      what: 'decided for an earlier delivery, expired at this decision’s time',
      stored: { receivedAt: ago(400, 10), decidedAt: ago(400, 5) },
      kept: false,
    },
    {
      // The parcel's record expired at NOW (the id was free), its decision only 5 s later.
      what: 'decided for an earlier delivery, received 400 days ago, not yet expired itself',
      stored: { receivedAt: ago(400), decidedAt: ago(400, -5) },
      kept: false,
    },
    {
      what: 'stored without its delivery’s receipt (before it was recorded), expired',
      stored: { receivedAt: undefined, decidedAt: ago(400, 5) },
      kept: false,
    },
    {
      what: 'decided for this very delivery (a redelivered message)',
      stored: { receivedAt: 'this', decidedAt: ago(0, 3) },
      kept: true,
    },
    {
      // Decided 2 days after its receipt, 400 days and 1 hour ago: its parcel's record had expired.
      what: 'stored without its delivery’s receipt (before it was recorded), not expired, for another manifest',
      stored: { receivedAt: undefined, decidedAt: ago(400, -5) },
      kept: false,
    },
    {
      what: 'stored without its delivery’s receipt (before it was recorded), for this manifest (a redelivery)',
      stored: { receivedAt: undefined, decidedAt: ago(0, 3), manifestId: 'M-NOW' },
      kept: true,
    },
    {
      what: 'stored without its delivery’s receipt, for this manifest id, decided before this delivery (the id reused)',
      stored: { receivedAt: undefined, decidedAt: ago(400, -5), manifestId: 'M-NOW' },
      kept: false,
    },
    {
      what: 'stored before records expired (no expiresAt), for this manifest (a redelivery)',
      stored: { receivedAt: undefined, decidedAt: ago(0, 3), legacy: true, manifestId: 'M-NOW' },
      kept: true,
    },
  ])('$what: kept is $kept', async ({ stored, kept }) => {
    // Prepare
    const parcelId = uniqueId('D');
    const receivedAt = ago(0, 10);
    const earlier = aDecision(
      parcelId,
      ('manifestId' in stored && stored.manifestId) || 'M-EARLIER',
      stored.decidedAt,
    );
    if ('legacy' in stored) {
      await putWithoutExpiry('decisions', { pk: earlier.parcelKey, ...earlier });
    } else {
      await decisions.createOrGet(earlier, stored.receivedAt === 'this' ? receivedAt : stored.receivedAt);
    }
    const attempt = aDecision(parcelId, 'M-NOW', NOW, 'release');
    const screening = { manifestId: 'M-NOW', receivedAt, at: NOW };

    // Act
    const counted = await decisions.getMany([attempt.parcelKey], screening);
    const decided = await decisions.createOrGet(attempt, receivedAt);

    // Assess
    const expected = kept ? earlier : attempt;
    expect(decided).toEqual(expected);
    expect(counted.get(attempt.parcelKey)).toEqual(kept ? earlier : undefined);
    expect((await decisions.getMany([attempt.parcelKey], screening)).get(attempt.parcelKey)).toEqual(
      expected,
    );
  });

  it('marks effects done only on a stored decision, writing no item for one that is not there', async () => {
    const key = parcelKey(PARTNER, uniqueId('X'));

    await expect(decisions.markEffectsDone(key, NOW)).rejects.toBeInstanceOf(ConflictError);

    expect((await decisions.getMany([key])).size).toBe(0);
  });

  it('screens a parcel id reused after 400 days afresh, with its own lane, review item and referral', async () => {
    // Prepare: the id's earlier parcel, delivered and released on 2025-10-01, every effect done
    const message = aScreeningMessage(RUILI_MANIFEST, { receivedAt: ago(0, 30) });
    const item = message.items[0]!;
    const key = parcelKey(message.partnerId, item.parcel.parcelId);
    const oldAt = '2025-10-01T00:00:05.000Z';
    await decisions.createOrGet(
      {
        ...aDecision(item.parcel.parcelId, 'M-OLD', oldAt, 'release'),
        parcelKey: key,
        partnerId: message.partnerId,
      },
      '2025-10-01T00:00:00.000Z',
    );
    await decisions.markEffectsDone(key, oldAt);
    const referrals: ParcelReferred[] = [];
    const screen = screenAt(NOW, referrals);

    // Act
    const [decision] = await screen(message);

    // Assess: this manifest's parcel, decided now, its effects done; held, so in the review queue
    expect(decision).toMatchObject({ manifestId: message.manifestId, decidedAt: NOW });
    expect(decision!.lane).not.toBe('release');
    expect((await decisions.getMany([key])).get(key)).toMatchObject({
      manifestId: message.manifestId,
      decidedAt: NOW,
      effectsDoneAt: NOW,
    });
    expect(await reviewQueue.get(key)).toMatchObject({ manifestId: message.manifestId, flaggedAt: NOW });
    expect(referrals.map((referral) => referral.manifestId)).toEqual([message.manifestId]);
    // Its own referral id: a reader that keys on referral ids must not take it for the old parcel's.
    expect(referrals[0]!.referralId).toBe(referralIdOf(key, message.receivedAt));
    expect(referrals[0]!.referralId).not.toBe(referralIdOf(key, '2025-10-01T00:00:00.000Z'));
  });
});

describe('ingest: an id whose record expired is free again', () => {
  const partners = {
    find: async (partnerId: string) => ({ partnerId, region: 'guangxi', secrets: [SECRET] }),
  } as unknown as PartnerDirectory;
  const sent: ScreeningRequested[] = [];
  let webhookIds = 0;
  /** A delivery of the manifest, signed at NOW, to ingest on the real stores: 202, or the refusal's status. */
  const post = async (manifest: Manifest): Promise<number> => {
    const accept = makeAcceptManifest({
      partners,
      manifests,
      parcels,
      screeningQueue: { send: async (messages: ScreeningRequested[]) => void sent.push(...messages) },
      deliveries: { remember: async () => 'first' },
      rateLimiter: { consume: async () => ({ allowed: true, limit: 100, retryAfterSeconds: 0 }) },
      clock: { now: () => new Date(NOW) },
      offices: OFFICES,
      partyKeySalt: TEST_SALT,
      signatureToleranceSeconds: 300,
      limits: { maxParcelsPerManifest: 500, maxJsonDepth: 12 },
    } as unknown as AcceptManifestDeps);
    const body = JSON.stringify(manifest);
    const id = `msg_${++webhookIds}`;
    const timestamp = Math.floor(Date.parse(NOW) / 1000);
    try {
      await accept({
        headers: { id, timestamp: String(timestamp), signature: signWebhook(SECRET, id, timestamp, body) },
        body,
      });
      return 202;
    } catch (error) {
      if ((error as { code?: string }).code === 'CONFLICT') return 409;
      throw error;
    }
  };
  const sentFor = (manifestId: string) =>
    sent.filter((message) => message.manifestId === manifestId).flatMap((message) => message.items);

  it.each([
    { what: 'exactly 400 days ago (expired at this receipt)', receivedAt: ago(400), answer: 202 },
    { what: '1 s short of 400 days ago', receivedAt: ago(400, -1), answer: 409 },
    { what: 'before records expired (no expiresAt)', receivedAt: '2024-06-01T00:00:00.000Z', answer: 409 },
  ])('a parcel id last delivered $what: $answer', async ({ receivedAt, answer }) => {
    // Prepare: the id's parcel and manifest, as stored then (not deleted by TTL)
    const tag = uniqueId('T');
    const old = aManifestRecord(`OLD-${tag}`, receivedAt, [`REUSED-${tag}`]);
    await storeDelivered(old, receivedAt.startsWith('2024'));
    const manifest = aManifestOf(1, `NEW-${tag}`);
    manifest.parcels[0]!.parcelId = `REUSED-${tag}`;

    // Act
    const status = await post(manifest);

    // Assess
    expect(status).toBe(answer);
    const owner = answer === 202 ? manifest.manifestId : old.manifestId;
    expect(await parcels.manifestsOf(PARTNER, [`REUSED-${tag}`], NOW)).toEqual(
      new Map([[`REUSED-${tag}`, owner]]),
    );
    expect(sentFor(manifest.manifestId).map((item) => item.parcel.parcelId)).toEqual(
      answer === 202 ? [`REUSED-${tag}`] : [],
    );
  });

  it('accepts a parcel id the moment its parcel expires and screens it afresh, though its earlier decision expires 5 s later', async () => {
    // Prepare
    const id = uniqueId('REUSED');
    const old = aManifestRecord(uniqueId('OLD'), ago(400), [id]);
    await storeDelivered(old);
    const earlier = aDecision(id, old.manifestId, ago(400, -5));
    await decisions.createOrGet(earlier, old.receivedAt);
    const manifest = aManifestOf(1, uniqueId('NEW'));
    manifest.parcels[0]!.parcelId = id;

    // Act
    const status = await post(manifest);
    const screened = await Promise.all(
      sent.filter((message) => message.manifestId === manifest.manifestId).map(screenAt(later(1))),
    );

    // Assess
    expect(status).toBe(202);
    expect(screened.flat()).toMatchObject([
      { parcelId: id, manifestId: manifest.manifestId, decidedAt: later(1) },
    ]);
    expect((await decisions.getMany([earlier.parcelKey])).get(earlier.parcelKey)).toMatchObject({
      manifestId: manifest.manifestId,
      effectsDoneAt: later(1),
    });
  });

  it('accepts a manifest id reused after 400 days, with other content, as a new manifest', async () => {
    // Prepare
    const old = aManifestRecord('REUSED-MANIFEST', ago(400), ['REUSED-MANIFEST-P0']);
    await storeDelivered(old);
    const manifest = aManifestOf(1, 'REUSED-MANIFEST');

    // Act
    const status = await post(manifest);

    // Assess: a new record, received now
    expect(status).toBe(202);
    expect(await manifests.get(PARTNER, old.manifestId, NOW)).toMatchObject({
      receivedAt: NOW,
      status: 'queued',
    });
    expect(sentFor('REUSED-MANIFEST').map((item) => item.parcel.parcelId)).toEqual(['REUSED-MANIFEST-P0']);
  });
});

describe('manifest records: an id is taken until its record expires', () => {
  it.each([
    { what: 'received exactly 400 days before (expired)', receivedAt: ago(400), created: true },
    { what: 'received 1 s short of 400 days before', receivedAt: ago(400, -1), created: false },
    {
      what: 'stored before records expired (no expiresAt)',
      receivedAt: '2024-06-01T00:00:00.000Z',
      created: false,
    },
  ])('$what: created is $created', async ({ receivedAt, created }) => {
    // Prepare
    const manifestId = uniqueId('MR');
    const old = aManifestRecord(manifestId, receivedAt, [`${manifestId}-X`]);
    await storeDelivered(old, receivedAt.startsWith('2024'));
    const record = { ...aManifestRecord(manifestId, NOW, [`${manifestId}-Y`]), status: 'received' as const };

    // Act
    const read = await manifests.get(PARTNER, manifestId, NOW);
    const result = await manifests.createOrGet(record);

    // Assess
    expect(result).toEqual(created ? { created: true } : { created: false, existing: old });
    expect(read).toEqual(created ? undefined : old);
    expect(await manifests.get(PARTNER, manifestId)).toEqual(created ? record : old);
  });
});

describe('the review queue: a parcel is queued once for each decision', () => {
  const flaggedAt = '2026-11-29T08:00:01.000Z';
  it.each([
    { what: 'flagged 2025-10-01 (expired)', stored: '2025-10-01T00:00:05.000Z', replaced: true },
    // The earlier decision of a reused id, replaced before it expired (see the decisions above).
    { what: 'flagged for an earlier decision, not yet expired', stored: ago(400, -5), replaced: true },
    { what: 'flagged for this decision (a redelivery), then closed', stored: flaggedAt, replaced: false },
    {
      what: 'flagged for this decision before records expired (no expiresAt)',
      stored: flaggedAt,
      legacy: true,
      replaced: false,
    },
  ])('over an item $what: replaced is $replaced', async ({ stored, legacy, replaced }) => {
    // Prepare: the stored item, worked by an officer since
    const parcelId = uniqueId('RQ');
    const earlier: ReviewItem = {
      ...aFlaggedItem(parcelId, partyKeys({ consignee: parcelId })),
      manifestId: 'M-EARLIER',
      flaggedAt: stored,
    };
    if (legacy) {
      await putWithoutExpiry('reviewQueue', {
        ...earlier,
        pk: earlier.parcelKey,
        officeStatus: 'wuzhou-customs#closed',
        priority: `0999908#${stored}#${earlier.parcelKey}`,
        status: 'closed',
        version: 1,
      });
    } else {
      await reviewQueue.enqueue(earlier);
      await reviewQueue.save({ ...earlier, status: 'closed' }, 0);
    }
    const flagged: ReviewItem = { ...earlier, manifestId: 'M-NOW', flaggedAt };

    // Act
    await reviewQueue.enqueue(flagged);

    // Assess
    const item = await reviewQueue.get(earlier.parcelKey);
    expect(item).toMatchObject(
      replaced
        ? { manifestId: 'M-NOW', flaggedAt, status: 'open' }
        : { manifestId: 'M-EARLIER', flaggedAt: stored, status: 'closed' },
    );
  });

  it('refuses an officer’s action read from the item of the earlier parcel once the new one is queued', async () => {
    // Prepare: an officer reads the earlier parcel's item; the new parcel under the id is queued meanwhile
    const parcelId = uniqueId('RQ');
    const earlier: ReviewItem = {
      ...aFlaggedItem(parcelId, partyKeys({ consignee: parcelId })),
      manifestId: 'M-EARLIER',
      flaggedAt: ago(400, -5),
    };
    await reviewQueue.enqueue(earlier);
    const read = (await reviewQueue.get(earlier.parcelKey))!;
    await reviewQueue.enqueue({ ...earlier, manifestId: 'M-NOW', flaggedAt });

    // Act
    const saving = reviewQueue.save({ ...read, status: 'closed' }, 0);

    // Assess: refused as any action on an item changed since it was read; the new parcel's item stands
    await expect(saving).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await reviewQueue.get(earlier.parcelKey)).toMatchObject({
      manifestId: 'M-NOW',
      flaggedAt,
      status: 'open',
    });
  });
});

describe('officers’ queue: an expired review item is neither listed nor acted on', () => {
  const OFFICE = 'wuzhou-customs';
  const lease = { holder: 'sub-wuzhou', holderName: 'wuzhou', claimedAt: ago(0, 60), until: later(600) };
  /** Items flagged 400 days and 1 s ago (expired), 1 s short of 400 days ago, and before expiresAt existed. */
  const storeThree = async (status: 'open' | 'claimed') => {
    const item = (flaggedAt: string): ReviewItem => {
      const parcelId = uniqueId('RQL');
      return { ...aFlaggedItem(parcelId, partyKeys({ consignee: parcelId })), flaggedAt };
    };
    const expired = item(ago(400, 1));
    const live = item(ago(400, -1));
    const legacy = item(ago(500));
    for (const stored of [expired, live]) {
      await reviewQueue.enqueue(stored);
      if (status === 'claimed') await reviewQueue.save({ ...stored, lease }, 0);
    }
    await putWithoutExpiry('reviewQueue', {
      ...legacy,
      pk: legacy.parcelKey,
      officeStatus: `${OFFICE}#open`,
      priority: `0990800#${legacy.flaggedAt}#${legacy.parcelKey}`,
      ...(status === 'claimed' ? { lease, leaseUntil: lease.until } : {}),
    });
    return { expired, live, legacy };
  };
  const listedIds = async (status: 'open' | 'claimed') => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await reviewQueue.list(OFFICE, status, {
        now: NOW,
        limit: 5,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.items.map((listed) => listed.parcelId));
      cursor = page.cursor;
    } while (cursor !== undefined);
    return ids;
  };

  it.each(['open', 'claimed'] as const)(
    'lists %s items up to their expiry, and those stored without one',
    async (status) => {
      // Prepare
      const { expired, live, legacy } = await storeThree(status);

      // Act
      const listed = await listedIds(status);

      // Assess
      expect(listed).toEqual(expect.arrayContaining([live.parcelId, legacy.parcelId]));
      expect(listed).not.toContain(expired.parcelId);
    },
  );

  it('reads an expired item as absent when asked at a time, and still reads it for the effects it owes', async () => {
    // Prepare
    const { expired, live } = await storeThree('open');

    // Act
    const [expiredNow, liveNow, expiredAny] = await Promise.all([
      reviewQueue.get(expired.parcelKey, NOW),
      reviewQueue.get(live.parcelKey, NOW),
      reviewQueue.get(expired.parcelKey),
    ]);

    // Assess
    expect(expiredNow).toBeUndefined();
    expect(liveNow).toMatchObject({ parcelId: live.parcelId });
    expect(expiredAny).toMatchObject({ parcelId: expired.parcelId });
  });

  it('answers an officer’s claim of an expired item as of a parcel not in the queue', async () => {
    // Prepare
    const { expired, live } = await storeThree('open');
    const deps = claimAndReleaseDeps(
      reviewQueue,
      new DynamoDbAuditLog(dynamo.doc, 'auditLog'),
      () => new Date(NOW),
    );
    const claim = (item: ReviewItem) =>
      makeClaimParcel(deps)({
        ...wuzhouOfficer('wuzhou'),
        parcelKey: item.parcelKey,
        requestId: uniqueId('claim'),
      });

    // Act
    const refused = await claim(expired).catch((error: unknown) => error);
    const claimed = await claim(live);

    // Assess
    expect(refused).toMatchObject({ code: 'NOT_FOUND' });
    expect(claimed).toMatchObject({ parcelId: live.parcelId, lease: { heldBy: 'wuzhou' } });
  });
});

describe('manifest parts: a delivery of a reused manifest id counts its own parts', () => {
  const region = 'yunnan-guangxi';
  const delivery = (manifestId: string, receivedAt: string) => ({
    region,
    partnerId: PARTNER,
    manifestId,
    receivedAt,
  });
  /** Marks `indexes` of `of` parts screened, as of `at`; what each mark answered. */
  const mark = async (manifest: ReturnType<typeof delivery>, indexes: number[], of: number, at = NOW) => {
    const parts = new DynamoDbManifestParts(dynamo.doc, 'partyHistory', () => new Date(at));
    const answers: boolean[] = [];
    for (const index of indexes) answers.push(await parts.markScreened(manifest, index, of));
    return answers;
  };

  it('starts the parts of a later delivery afresh over the earlier one’s, however many it had', async () => {
    // Prepare: the earlier delivery, 401 days ago, screened in full (its item never deleted: no TTL here)
    const manifestId = uniqueId('PARTS');
    await mark(delivery(manifestId, ago(401)), [0, 1, 2], 3, ago(401));

    // Act
    const answers = await mark(delivery(manifestId, ago(0, 60)), [0, 1], 2);

    // Assess: complete only with its own second part
    expect(answers).toEqual([false, true]);
  });

  it('keeps a later delivery’s parts when a part of the earlier one comes late', async () => {
    // Prepare
    const manifestId = uniqueId('PARTS');
    await mark(delivery(manifestId, ago(0, 60)), [0], 2);

    // Act: a part of the earlier delivery, redelivered (long after SQS would have kept it)
    const late = await mark(delivery(manifestId, ago(401)), [1], 2);
    const own = await mark(delivery(manifestId, ago(0, 60)), [1], 2);

    // Assess
    expect(late).toEqual([false]);
    expect(own).toEqual([true]);
  });

  it('counts both parts of a later delivery when one starts its set while the other is about to', async () => {
    // Prepare: the earlier delivery's set; part 0 of the later one starts the later set just before part 1 does
    const manifestId = uniqueId('PARTS');
    await mark(delivery(manifestId, ago(401)), [0, 1], 2, ago(401));
    const later = delivery(manifestId, ago(0, 60));
    let sibling: Promise<boolean[]> | undefined;
    const racing = {
      send: async (command: unknown) => {
        if (command instanceof PutCommand && sibling === undefined) {
          sibling = mark(later, [0], 2);
          await sibling;
        }
        return dynamo.doc.send(command as never);
      },
    };

    // Act
    const last = await new DynamoDbManifestParts(
      racing as never,
      'partyHistory',
      () => new Date(NOW),
    ).markScreened(later, 1, 2);

    // Assess: complete with both its parts
    expect(await sibling).toEqual([false]);
    expect(last).toBe(true);
  });

  it('keeps a delivery’s set as long as its records, so a part redriven weeks later still completes it where TTL runs', async () => {
    // Prepare: part 0 of 2 screened on the day the manifest came; part 1 dead-lettered, redriven 45
    // days later (a new message); AWS's TTL has by then deleted every item expired (emulated here)
    const manifestId = uniqueId('PARTS');
    const manifest = delivery(manifestId, ago(45, 60));
    await mark(manifest, [0], 2, ago(45));
    const key = { pk: `P#${region}#${PARTNER}#${manifestId}`, sk: 'PARTS' };
    const { Item: item } = await dynamo.doc.send(new GetCommand({ TableName: 'partyHistory', Key: key }));
    if ((item?.expiresAt as number) <= Math.floor(Date.parse(NOW) / 1000))
      await dynamo.doc.send(new DeleteCommand({ TableName: 'partyHistory', Key: key }));

    // Act
    const answers = await mark(manifest, [1], 2);

    // Assess: complete; the set expires with the delivery's records, 400 days after it came
    expect(answers).toEqual([true]);
    expect(item?.expiresAt).toBe(Math.floor(Date.parse(ago(45, 60)) / 1000) + 400 * 86_400);
  });

  it.each([
    {
      what: 'in force: counts as this delivery’s (parts in flight across the deploy)',
      expiresIn: 86_400,
      complete: true,
    },
    { what: 'expired: starts afresh', expiresIn: 0, complete: false },
  ])('takes an item stored before receivedAt was, $what', async ({ expiresIn, complete }) => {
    // Prepare: part 0 of 2 marked by a deployment that stored no receivedAt
    const manifestId = uniqueId('PARTS');
    await putWithoutExpiry('partyHistory', {
      pk: `P#${region}#${PARTNER}#${manifestId}`,
      sk: 'PARTS',
      parts: new Set([0]),
      expiresAt: Math.floor(Date.parse(NOW) / 1000) + expiresIn,
    });

    // Act
    const answers = await mark(delivery(manifestId, ago(0, 60)), [1], 2);

    // Assess
    expect(answers).toEqual([complete]);
  });
});

describe('party history: a parcel is counted once, at its first recording, while its claim lasts', () => {
  const region = 'yunnan-guangxi';
  it.each([
    {
      what: 'claimed on 2025-10-01 (expired)',
      claimed: '2025-10-01T08:00:00.000Z',
      countedAt: NOW,
      parcels7d: 1,
    },
    {
      // The claim lasts about as long as the parcel's record: once that expires, ingest takes the id again.
      what: 'claimed 400 days before (expired with its parcel record)',
      claimed: ago(400),
      countedAt: NOW,
      parcels7d: 1,
    },
    {
      what: 'claimed 399 days before (still in force)',
      claimed: ago(399),
      countedAt: ago(399),
      parcels7d: 0,
    },
    {
      what: 'claimed on 2026-11-20',
      claimed: '2026-11-20T08:00:00.000Z',
      countedAt: '2026-11-20T08:00:00.000Z',
      parcels7d: 0,
    },
    {
      what: 'claimed before claims expired (no expiresAt)',
      claimed: '2024-06-01T08:00:00.000Z',
      legacy: true,
      countedAt: '2024-06-01T08:00:00.000Z',
      parcels7d: 0,
    },
  ])(
    'recorded again over a claim $what: counted at $countedAt',
    async ({ claimed, legacy, countedAt, parcels7d }) => {
      // Prepare
      const id = uniqueId('CL');
      const keys = partyKeys({ consignee: id });
      const observation = {
        parcelKey: parcelKey('southwest-freight', id),
        region,
        keys,
        originCity: 'Ruili',
        flagged: false,
      };
      if (legacy) {
        await putWithoutExpiry('partyHistory', {
          pk: `C#${region}#${observation.parcelKey}`,
          sk: 'CLAIM',
          observedAt: claimed,
        });
      } else {
        await history.record([{ ...observation, observedAt: claimed }]);
      }

      // Act
      await history.record([{ ...observation, observedAt: NOW }]);

      // Assess
      const claim = await dynamo.doc.send(
        new GetCommand({
          TableName: 'partyHistory',
          Key: { pk: `C#${region}#${observation.parcelKey}`, sk: 'CLAIM' },
        }),
      );
      expect(claim.Item?.observedAt).toBe(countedAt);
      const [summary] = await history.summarize([keys], region, NOW);
      expect(summary!.consignee).toMatchObject({ parcels7d, lastSeen: countedAt });
    },
  );
});
