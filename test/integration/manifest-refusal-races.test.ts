import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../events/manifest-v1.js';
import type { ScreeningRequested } from '../../events/screening-requested-v1.js';
import { DynamoDbManifestStore } from '../../functions/adapters/dynamodb-manifest-store.js';
import { DynamoDbParcelStore } from '../../functions/adapters/dynamodb-parcel-store.js';
import { signWebhook } from '../../functions/core/webhooks/standard-webhooks.js';
import {
  type AcceptManifestDeps,
  makeAcceptManifest,
  TOMBSTONE_QUIET_SECONDS,
} from '../../functions/ingest/accept-manifest.js';
import {
  makeGetManifestStatus,
  statusSigningPayload,
} from '../../functions/partner-status/get-manifest-status.js';
import { type AppError, type ConflictError, DependencyError } from '../../functions/platform/errors.js';
import { toProblem } from '../../functions/platform/middleware/problem-details.js';
import type { ManifestRecord } from '../../functions/ports/manifest-store.js';
import type { ParcelRecord, ParcelStore } from '../../functions/ports/parcel-store.js';
import type { PartnerDirectory } from '../../functions/ports/partner-directory.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { aManifestOf } from '../support/factories.js';
import { OFFICES, TEST_SALT } from '../support/screening-messages.js';

/**
 * Deliveries of one manifest that meet a parcel id taken by another manifest, interleaved by hand
 * (dynalite, the real stores): a refusal never undoes a delivery answered 202, and a refusal whose
 * cleanup was cut short is finished by whoever meets it next, so no parcel id stays taken for nothing.
 */

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const partners = {
  find: async (partnerId: string) => ({ partnerId, region: 'guangxi', secrets: [SECRET] }),
} as unknown as PartnerDirectory;

describe('manifest refusals racing other deliveries (dynalite, the real stores)', () => {
  let dynamo: LocalDynamoDb;
  let manifests: DynamoDbManifestStore;
  let parcels: DynamoDbParcelStore;
  const sent: ScreeningRequested[] = [];
  let webhookIds = 0;
  /**
   * What is down: `queue`, the screening queue refuses every send (a hand-over that fails midway);
   * `handOver`, the manifest store cannot start a hand-over.
   */
  const down = { queue: false, handOver: false };
  /** How far ingest's clock runs ahead: a refusal's tombstone is replaced once it is quiet. */
  let skewMs = 0;
  const untilTombstonesAreQuiet = () => {
    skewMs += TOMBSTONE_QUIET_SECONDS * 1000;
  };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    await dynamo.createTable('manifests', TABLES.manifests);
    await dynamo.createTable('parcels', TABLES.parcels);
    manifests = new DynamoDbManifestStore(dynamo.doc, 'manifests');
    parcels = new DynamoDbParcelStore(dynamo.doc, 'parcels');
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  /** The manifest store, but for a hand-over that cannot start while `down.handOver`. */
  const manifestStore = () =>
    new Proxy(manifests, {
      get: (target, name, receiver) =>
        name === 'startHandOver' && down.handOver
          ? async () => {
              throw new DependencyError('DynamoDB does not answer');
            }
          : Reflect.get(target, name, receiver),
    });

  /** Ingest on the real stores; `beforeSend` runs before each send to the screening queue. */
  const acceptWith = (parcelStore: ParcelStore, beforeSend: () => Promise<void> = async () => {}) =>
    makeAcceptManifest({
      partners,
      manifests: manifestStore(),
      parcels: parcelStore,
      screeningQueue: {
        send: async (messages: ScreeningRequested[]) => {
          if (down.queue) throw new DependencyError('SQS does not answer');
          await beforeSend();
          sent.push(...messages);
        },
      },
      deliveries: { remember: async () => 'first' },
      rateLimiter: { consume: async () => ({ allowed: true, limit: 100, retryAfterSeconds: 0 }) },
      clock: { now: () => new Date(Date.now() + skewMs) },
      offices: OFFICES,
      partyKeySalt: TEST_SALT,
      signatureToleranceSeconds: 300,
      limits: { maxParcelsPerManifest: 500, maxJsonDepth: 12 },
    } as unknown as AcceptManifestDeps);

  /** A delivery of the manifest, signed now as ingest's clock tells it (never stale, however far it runs ahead). */
  const signed = (manifest: Manifest) => {
    const body = JSON.stringify(manifest);
    const id = `msg_${++webhookIds}`;
    const timestamp = Math.floor((Date.now() + skewMs) / 1000);
    return {
      headers: { id, timestamp: String(timestamp), signature: signWebhook(SECRET, id, timestamp, body) },
      body,
    };
  };

  /** The answer's status: 202, or the status of the error it was refused with. */
  const post = async (parcelStore: ParcelStore, manifest: Manifest): Promise<number> => {
    try {
      await acceptWith(parcelStore)(signed(manifest));
      return 202;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'CONFLICT') return 409;
      if (code === 'DEPENDENCY_UNAVAILABLE') return 503;
      throw error;
    }
  };

  /** The error a delivery was refused with (should it be accepted, its receipt, which no refusal matches). */
  const refusalOf = async (parcelStore: ParcelStore, manifest: Manifest) =>
    (await acceptWith(parcelStore)(signed(manifest)).catch((error: ConflictError) => error)) as ConflictError;

  /** The manifest again, with other content (a later submittedAt) under the same id. */
  const changedVersionOf = (manifest: Manifest) => {
    const changed = structuredClone(manifest);
    changed.submittedAt = '2026-11-29T09:00:00.000Z';
    return changed;
  };

  /** A delivery of the manifest while `part` is down: a 503, no 202. */
  const postWhileDown = async (part: keyof typeof down, manifest: Manifest) => {
    down[part] = true;
    try {
      expect(await post(parcels, manifest)).toBe(503);
    } finally {
      down[part] = false;
    }
  };

  /**
   * Manifest `m` of two parcels, whose delivery stored them and then could not start its hand-over
   * (`handOver` down: nothing queued) or broke off in it (`queue` down: some parcels may be screened),
   * either way a 503 and no 202, and the same parcels in a new manifest `n`.
   */
  const unacceptedAndRenamed = async (m: string, n: string, part: keyof typeof down = 'handOver') => {
    const unaccepted = aManifestOf(2, m);
    await postWhileDown(part, unaccepted);
    const renamed = structuredClone(unaccepted);
    renamed.manifestId = n;
    return { unaccepted, renamed };
  };

  /** What the partner reads of a manifest (a refused one's tombstone is not a manifest). */
  const statusOf = (manifest: Manifest) => {
    const id = `msg_${++webhookIds}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = statusSigningPayload(manifest.manifestId);
    return makeGetManifestStatus({
      partners,
      manifests,
      decisions: { lanesOf: async () => new Map() },
      rateLimiter: { consume: async () => ({ allowed: true }) },
      clock: { now: () => new Date() },
      signatureToleranceSeconds: 300,
    })({
      partnerId: manifest.partnerId,
      manifestId: manifest.manifestId,
      headers: { id, timestamp: String(timestamp), signature: signWebhook(SECRET, id, timestamp, signed) },
    });
  };

  const ownersOf = async (manifest: Manifest) =>
    Object.fromEntries(
      await parcels.manifestsOf(
        manifest.partnerId,
        manifest.parcels.map((parcel) => parcel.parcelId),
        new Date().toISOString(),
      ),
    );
  const sentFor = (manifestId: string) =>
    sent
      .filter((message) => message.manifestId === manifestId)
      .flatMap((message) => message.items.map((item) => item.parcel.parcelId));

  /** When OTHER, the manifest that takes a parcel id from the one under test, was received. */
  const OTHER_AT = '2026-11-29T07:00:00.000Z';
  /** OTHER is refused in turn and gives the parcel id back. */
  const giveBack = (manifest: Manifest, parcelId: string) =>
    parcels.removeAll({ partnerId: manifest.partnerId, manifestId: 'OTHER', receivedAt: OTHER_AT }, [
      parcelId,
    ]);
  /** OTHER gives `<id>-P1` back, and the partner posts the same bytes of the manifest again: the answer. */
  const giveBackAndPostAgain = async (manifest: Manifest) => {
    await giveBack(manifest, `${manifest.manifestId}-P1`);
    return post(parcels, manifest);
  };

  /** The real parcel store with some of its operations replaced. */
  const storeWith = (overrides: Partial<ParcelStore>): ParcelStore => ({
    manifestsOf: (partnerId, ids, at) => parcels.manifestsOf(partnerId, ids, at),
    removeAll: (version, ids) => parcels.removeAll(version, ids),
    putAll: (records) => parcels.putAll(records),
    ...overrides,
  });

  /** The real parcel store, but `first` runs once, just before its first putAll (with that call's records). */
  const beforeFirstPut = (first: (records: ParcelRecord[]) => Promise<void>): ParcelStore => {
    let raced = false;
    return storeWith({
      putAll: async (records) => {
        if (!raced) {
          raced = true;
          await first(records);
        }
        await parcels.putAll(records);
      },
    });
  };

  /** The real parcel store, but `first` runs once, just before its first removeAll. */
  const beforeFirstRemoval = (first: () => Promise<void>): Partial<ParcelStore> => {
    let raced = false;
    return {
      removeAll: async (version, ids) => {
        if (!raced) {
          raced = true;
          await first();
        }
        await parcels.removeAll(version, ids);
      },
    };
  };

  /** A parcel store whose every putAll fails, as when DynamoDB does not answer. */
  const failingPuts = storeWith({
    putAll: async () => {
      throw new DependencyError('DynamoDB does not answer');
    },
  });

  /** A parcel store whose first putAll lets `meanwhile` run after another manifest took `takenId`. */
  const racingStore = (
    takenId: string,
    meanwhile: () => Promise<void>,
    overrides: Partial<ParcelStore> = {},
  ): ParcelStore => {
    let raced = false;
    return storeWith({
      putAll: async (records) => {
        if (raced) return parcels.putAll(records);
        raced = true;
        const taken = records.find((record) => record.parcel.parcelId === takenId)!;
        await parcels.putAll([{ ...taken, manifestId: 'OTHER', receivedAt: OTHER_AT }]);
        try {
          await parcels.putAll(records);
        } finally {
          await meanwhile();
        }
      },
      ...overrides,
    });
  };

  /** A removeAll that fails the first time, as a throttled or timed-out cleanup does. */
  const failingOnce = (): Partial<ParcelStore> => {
    let failures = 1;
    return {
      removeAll: async (version, ids) => {
        if (failures-- > 0) throw new DependencyError('throttled');
        await parcels.removeAll(version, ids);
      },
    };
  };

  /**
   * Manifest `id` of two parcels, refused (`<id>-P1` taken by another manifest mid-delivery, and its
   * cleanup throttled once: a 503), and the partner's correction of it, the same id without that parcel.
   */
  const refusedThenCorrected = async (id: string) => {
    const manifest = aManifestOf(2, id);
    expect(
      await post(
        racingStore(`${id}-P1`, async () => {}, failingOnce()),
        manifest,
      ),
    ).toBe(503);
    const corrected = structuredClone(manifest);
    corrected.parcels = corrected.parcels.slice(0, 1);
    return { manifest, corrected };
  };

  /** A rival manifest still being received at `receivedAt` that has taken `parcelId` of `manifest`. */
  const rivalHolding = async (manifest: Manifest, parcelId: string, receivedAt: string) => {
    const rival = {
      partnerId: manifest.partnerId,
      manifestId: `${manifest.manifestId}-RIVAL`,
      region: 'guangxi',
      bodyHash: 'rival',
      webhookId: 'msg_rival',
      receivedAt,
      parcelIds: [parcelId],
      status: 'received' as const,
    };
    await manifests.createOrGet(rival);
    const taken = manifest.parcels.find((parcel) => parcel.parcelId === parcelId)!;
    await parcels.putAll([
      {
        partnerId: rival.partnerId,
        manifestId: rival.manifestId,
        region: 'guangxi',
        receivedAt,
        parcel: taken,
      },
    ]);
    return rival;
  };

  /** A parcel store where, between the up-front check and the writes, a rival takes `parcelId`. */
  const rivalTakes = (
    manifest: Manifest,
    parcelId: string,
    receivedAt: string,
    taken: (rival: ManifestRecord) => void,
  ) =>
    beforeFirstPut(async () => {
      taken(await rivalHolding(manifest, parcelId, receivedAt));
    });

  /**
   * A putAll before which, the first time, an accepted manifest `rivalId` takes every id of the records
   * (the ids were free when first read): a conflict met while storing.
   */
  const acceptedRivalTakesAll = (rivalId: string) => {
    let raced = false;
    const store = beforeFirstPut(async (records) => {
      raced = true;
      const [first] = records;
      await manifests.createOrGet({
        partnerId: first!.partnerId,
        manifestId: rivalId,
        region: 'guangxi',
        bodyHash: 'rival',
        webhookId: `msg_${rivalId}`,
        receivedAt: OTHER_AT,
        parcelIds: records.map((record) => record.parcel.parcelId),
        status: 'queued',
      });
      await parcels.putAll(
        records.map((record) => ({ ...record, manifestId: rivalId, receivedAt: OTHER_AT })),
      );
    });
    return { putAll: store.putAll, raced: () => raced };
  };

  /**
   * The store, counting the reads of who holds the ids once its first putAll began (the race): one to see
   * who came first and two for the answer (before and after the refusal's cleanup), where waiting for a
   * rival reads once a pause.
   */
  const countingHolderReads = (store: ParcelStore) => {
    let raced = false;
    let reads = 0;
    const counting: ParcelStore = {
      ...store,
      putAll: (records) => {
        raced = true;
        return store.putAll(records);
      },
      manifestsOf: (partnerId, ids, at) => {
        if (raced) reads += 1;
        return store.manifestsOf(partnerId, ids, at);
      },
    };
    return { store: counting, holderReadsAfterRace: () => reads };
  };

  it('lets the manifest received first take back an id a later rival took, once the rival refuses itself', async () => {
    // Prepare: two manifests sharing ids, stored at once, each took one; the rival came later, and meets
    // this one's id in turn, so it refuses itself and gives the id back while this one waits
    const manifest = aManifestOf(2, 'RACE-T');
    let rivalRefuses: Promise<void> = Promise.resolve();
    const store = rivalTakes(manifest, 'RACE-T-P1', '2099-01-01T00:00:00.000Z', (rival) => {
      rivalRefuses = new Promise<void>((resolve) =>
        setTimeout(async () => {
          await manifests.markRefused(rival, new Date().toISOString());
          await parcels.removeAll(rival, rival.parcelIds);
          resolve();
        }, 250),
      );
    });
    // Act
    const answer = await post(store, manifest);
    await rivalRefuses;
    // Assess: accepted whole, not refused with the rival
    expect(answer).toBe(202);
    expect(await ownersOf(manifest)).toEqual({ 'RACE-T-P0': 'RACE-T', 'RACE-T-P1': 'RACE-T' });
    expect(sentFor('RACE-T').sort()).toEqual(['RACE-T-P0', 'RACE-T-P1']);
  });

  it('is refused at once when a rival that took one of its ids was received first', async () => {
    // Prepare
    const manifest = aManifestOf(2, 'RACE-U');
    const { store, holderReadsAfterRace } = countingHolderReads(
      rivalTakes(manifest, 'RACE-U-P1', OTHER_AT, () => undefined),
    );
    // Act
    const answer = await post(store, manifest);
    // Assess: refused, without waiting for the rival, and nothing of it stored
    expect(answer).toBe(409);
    expect(holderReadsAfterRace()).toBeLessThanOrEqual(3);
    expect(await ownersOf(manifest)).toEqual({ 'RACE-U-P1': 'RACE-U-RIVAL' });
    expect((await manifests.get(manifest.partnerId, 'RACE-U'))?.status).toBe('refused');
  });

  it('never removes a manifest a concurrent delivery of the same bytes was answered 202 for', async () => {
    // Prepare: while the first delivery meets M-P1 taken by OTHER, OTHER is refused and gives it back,
    // and the partner's retry of M is accepted whole
    const manifest = aManifestOf(2, 'RACE-A');
    let retry = 0;
    const store = racingStore('RACE-A-P1', async () => {
      retry = await giveBackAndPostAgain(manifest);
    });
    // Act
    const first = await post(store, manifest);
    // Assess: both deliveries answer 202, and what the 202 promised is all still there
    expect([first, retry]).toEqual([202, 202]);
    expect((await manifests.get(manifest.partnerId, 'RACE-A'))?.status).toBe('queued');
    expect(await ownersOf(manifest)).toEqual({ 'RACE-A-P0': 'RACE-A', 'RACE-A-P1': 'RACE-A' });
    expect(sentFor('RACE-A').sort()).toEqual(['RACE-A-P0', 'RACE-A-P1']);
    const reusing = aManifestOf(1, 'RACE-A-REUSE');
    reusing.parcels[0]!.parcelId = 'RACE-A-P0';
    expect(await post(parcels, reusing)).toBe(409);
  });

  it('never lets a slow refusal cleanup remove what a retry was answered 202 for: the retry waits for quiet', async () => {
    // Prepare: the refusal's cleanup is slow; meanwhile OTHER gives M-P1 back and the partner retries M
    const manifest = aManifestOf(2, 'RACE-E');
    const answers: number[] = [];
    const store = racingStore(
      'RACE-E-P1',
      async () => {},
      beforeFirstRemoval(async () => {
        answers.push(await giveBackAndPostAgain(manifest));
      }),
    );
    // Act
    answers.unshift(await post(store, manifest));
    untilTombstonesAreQuiet();
    answers.push(await post(parcels, manifest));
    // Assess: refused, then "send it again" while the cleanup may still run, then accepted whole
    expect(answers).toEqual([409, 503, 202]);
    expect(await ownersOf(manifest)).toEqual({ 'RACE-E-P0': 'RACE-E', 'RACE-E-P1': 'RACE-E' });
    expect(sentFor('RACE-E').sort()).toEqual(['RACE-E-P0', 'RACE-E-P1']);
  });

  it('answers 202, not 409, when a twin of the same bytes was accepted after it read the parcel ids', async () => {
    // Prepare: this delivery reads M-P1 as OTHER's; before it acts, OTHER gives M-P1 back and a twin
    // delivery of the same bytes is accepted
    const manifest = aManifestOf(2, 'RACE-F');
    await parcels.putAll([
      {
        partnerId: manifest.partnerId,
        manifestId: 'OTHER',
        region: 'x',
        receivedAt: OTHER_AT,
        parcel: manifest.parcels[1]!,
      },
    ]);
    let twin = 0;
    const stale = storeWith({
      manifestsOf: async (partnerId, ids, at) => {
        const owners = await parcels.manifestsOf(partnerId, ids, at);
        twin = await giveBackAndPostAgain(manifest);
        return owners;
      },
    });
    // Act
    const late = await post(stale, manifest);
    // Assess
    expect([twin, late]).toEqual([202, 202]);
    expect(await ownersOf(manifest)).toEqual({ 'RACE-F-P0': 'RACE-F', 'RACE-F-P1': 'RACE-F' });
  });

  it('answers 202, not 409, when a twin of the same bytes was accepted while this one, refused while storing, read the holders', async () => {
    // Prepare: the parcel writes meet M-P1 taken by OTHER (which has no record: it keeps it); after this
    // delivery reads the holders for its 409, OTHER gives M-P1 back and a twin delivery is accepted
    const manifest = aManifestOf(2, 'RACE-J');
    let reads = 0;
    let twin = 0;
    const store = racingStore('RACE-J-P1', async () => {}, {
      manifestsOf: async (partnerId, ids, at) => {
        const owners = await parcels.manifestsOf(partnerId, ids, at);
        if (++reads === 3) twin = await giveBackAndPostAgain(manifest);
        return owners;
      },
    });

    // Act
    const late = await post(store, manifest);

    // Assess: the manifest is accepted, and both deliveries say so
    expect([twin, late]).toEqual([202, 202]);
    expect(await ownersOf(manifest)).toEqual({ 'RACE-J-P0': 'RACE-J', 'RACE-J-P1': 'RACE-J' });
  });

  it('asks to be sent again, not a 409 naming nobody, when the id it lost while storing was given back before it read the holders', async () => {
    // Prepare: the parcel writes meet M-P1 taken by OTHER; OTHER gives it back just before the holders are read
    const manifest = aManifestOf(2, 'RACE-K');
    let reads = 0;
    const store = racingStore('RACE-K-P1', async () => {}, {
      manifestsOf: async (partnerId, ids, at) => {
        if (++reads === 3) await giveBack(manifest, 'RACE-K-P1');
        return parcels.manifestsOf(partnerId, ids, at);
      },
    });

    // Act
    const refusal = await refusalOf(store, manifest);
    untilTombstonesAreQuiet();
    const again = await post(parcels, manifest);

    // Assess
    expect(refusal).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      details: { retryAfterSeconds: TOMBSTONE_QUIET_SECONDS },
    });
    expect(again).toBe(202);
  });

  it('keeps the ids of a refused manifest from a new one until its tombstone is quiet, saying how long', async () => {
    // Prepare: RACE-L refused, its cleanup cut short: it still holds RACE-L-P0
    const { manifest } = await refusedThenCorrected('RACE-L');
    expect(await ownersOf(manifest)).toMatchObject({ 'RACE-L-P0': 'RACE-L' });
    const renamed = aManifestOf(1, 'RACE-L-NEW');
    renamed.parcels[0]!.parcelId = 'RACE-L-P0';

    // Act
    const tooSoon = await refusalOf(parcels, renamed);
    untilTombstonesAreQuiet();
    const answer = await post(parcels, renamed);

    // Assess
    expect(tooSoon).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        /^1 parcel id\(s\) are held by manifest RACE-L, which was refused, so they are not delivered: post this manifest again in \d+ s/,
      ),
    });
    expect(answer).toBe(202);
  });

  it('marks queued only a manifest that is stored, never creating a record for one that is gone', async () => {
    // Prepare: a manifest id whose record is gone (forgotten, or expired and deleted by TTL)
    const manifestId = 'M-GONE';

    // Act
    const marking = manifests.markQueued('pearl-express', manifestId);

    // Assess
    await expect(marking).rejects.toThrow();
    expect(await manifests.get('pearl-express', manifestId)).toBeUndefined();
  });

  it('forgets only the refused delivery it was asked to, never a later one refused under the same id', async () => {
    // Prepare: a refused delivery, then a later delivery under its id, refused too
    const delivery = (receivedAt: string, bodyHash: string): ManifestRecord => ({
      partnerId: 'pearl-express',
      manifestId: 'M-FORGET',
      region: 'guangxi',
      bodyHash,
      webhookId: `msg_${bodyHash}`,
      receivedAt,
      parcelIds: ['P0'],
      status: 'received',
    });
    const earlier = delivery('2026-11-29T08:00:00.000Z', 'h1');
    const later = delivery('2026-11-29T09:00:00.000Z', 'h2');
    await manifests.createOrGet(later);
    await manifests.markRefused(later, '2026-11-29T09:00:01.000Z');

    // Act
    await manifests.forget(earlier);

    // Assess
    expect(await manifests.get('pearl-express', 'M-FORGET')).toMatchObject({
      bodyHash: 'h2',
      status: 'refused',
    });
  });

  it('is refused at once by a rival received at the same instant whose id sorts first', async () => {
    // Prepare: between the first read and the writes, rival RACE-M-A (received at this very instant, and
    // first by id) takes RACE-Z-P1; it keeps it
    const manifest = aManifestOf(2, 'RACE-Z');
    const { store, holderReadsAfterRace } = countingHolderReads(
      beforeFirstPut(async (records) => {
        const receivedAt = records[0]!.receivedAt;
        const rival = { ...manifest, manifestId: 'RACE-M-A' };
        const held = await rivalHolding(rival, 'RACE-Z-P1', receivedAt);
        expect(held.manifestId).toBe('RACE-M-A-RIVAL');
      }),
    );

    // Act
    const answer = await post(store, manifest);

    // Assess: refused without waiting for a rival that came first
    expect(answer).toBe(409);
    expect(holderReadsAfterRace()).toBeLessThanOrEqual(3);
  });

  it('finishes a refusal whose cleanup failed at the next delivery, so the refused parcel ids are free again', async () => {
    // Prepare: M meets M-P1 taken by OTHER (which keeps it); removing M-P0 again fails once
    const manifest = aManifestOf(2, 'RACE-B');
    const store = racingStore('RACE-B-P1', async () => {}, failingOnce());
    // Act
    const first = await post(store, manifest);
    const retry = await post(parcels, manifest);
    const withoutTheTakenId = aManifestOf(1, 'RACE-B-AGAIN');
    withoutTheTakenId.parcels[0]!.parcelId = 'RACE-B-P0';
    const again = await post(parcels, withoutTheTakenId);
    // Assess: the manifest id stays a tombstone (hidden from the partner) until a delivery replaces it
    expect([first, retry, again]).toEqual([503, 409, 202]);
    expect((await manifests.get(manifest.partnerId, 'RACE-B'))?.status).toBe('refused');
    expect(await ownersOf(manifest)).toEqual({ 'RACE-B-P0': 'RACE-B-AGAIN', 'RACE-B-P1': 'OTHER' });
    expect(sentFor('RACE-B')).toEqual([]);
  });

  it('replaces the tombstone of a refused manifest id once it is quiet, when the partner sends that id again', async () => {
    // Prepare: as above, but the partner then corrects the manifest itself (same id, without M-P1)
    const { manifest, corrected } = await refusedThenCorrected('RACE-C');
    expect((await manifests.get(manifest.partnerId, 'RACE-C'))?.status).toBe('refused');
    await expect(statusOf(manifest)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Act
    const tooSoon = await acceptWith(parcels)(signed(corrected)).then(
      () => undefined,
      (error: AppError) => toProblem(error, 'req-1'),
    );
    untilTombstonesAreQuiet();
    const answer = await post(parcels, corrected);
    // Assess: the partner is told it waits on its own manifest, not on an outage
    expect(tooSoon).toMatchObject({
      status: 503,
      detail:
        'another delivery of manifest RACE-C is being handled, or an earlier version of it taken back, at this moment; send it again after retry-after',
    });
    expect(answer).toBe(202);
    expect((await manifests.get(manifest.partnerId, 'RACE-C'))?.parcelIds).toEqual(['RACE-C-P0']);
    expect(sentFor('RACE-C')).toEqual(['RACE-C-P0']);
  });

  it('tells a delivery turned away by a refused version how long until its tombstone is quiet', async () => {
    // Prepare: RACE-W refused as above, and RACE-V, whose delivery stopped before its hand-over long ago
    const { corrected } = await refusedThenCorrected('RACE-W');
    const abandoned = aManifestOf(2, 'RACE-V');
    expect(await post(failingPuts, abandoned)).toBe(503);
    const changed = changedVersionOf(abandoned);
    const turnedAway = (version: Manifest) => refusalOf(parcels, version);

    // Act: RACE-W corrected 10 s after its refusal; RACE-V changed once no delivery of it can be running
    skewMs += 10_000;
    const tooSoon = await turnedAway(corrected);
    untilTombstonesAreQuiet();
    const refusesTheOld = await turnedAway(changed);

    // Assess: the wait left on RACE-W's tombstone, and a whole one on the tombstone RACE-V just became
    expect(tooSoon).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      details: { retryAfterSeconds: TOMBSTONE_QUIET_SECONDS - 10 },
    });
    expect(refusesTheOld).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      details: { retryAfterSeconds: TOMBSTONE_QUIET_SECONDS },
    });
  });

  it('lets a changed manifest replace a version whose delivery stopped before its hand-over, once none can be running', async () => {
    // Prepare: the first delivery stores the record, then fails storing its parcels (no 202)
    const manifest = aManifestOf(2, 'RACE-ABANDONED');
    expect(await post(failingPuts, manifest)).toBe(503);
    expect((await manifests.get(manifest.partnerId, 'RACE-ABANDONED'))?.status).toBe('received');
    const changed = changedVersionOf(manifest);

    // Act
    const tooSoon = await post(parcels, changed);
    untilTombstonesAreQuiet();
    const refusesTheOld = await post(parcels, changed);
    untilTombstonesAreQuiet();
    const replaces = await post(parcels, changed);

    // Assess
    expect([tooSoon, refusesTheOld, replaces]).toEqual([409, 503, 202]);
    expect(sentFor('RACE-ABANDONED')).toEqual(['RACE-ABANDONED-P0', 'RACE-ABANDONED-P1']);
  });

  it('frees for a new manifest the parcel ids of one that never got its 202, once none of its deliveries can be running', async () => {
    // Prepare: M's delivery stores its parcels, then cannot start its hand-over (no 202, nothing queued);
    // the partner sends the same parcels in a new manifest N
    const { unaccepted: abandoned, renamed } = await unacceptedAndRenamed('LOCK-M', 'LOCK-N');

    // Act
    const tooSoon = await post(parcels, renamed);
    untilTombstonesAreQuiet();
    const answer = await post(parcels, renamed);

    // Assess: M is refused (its status reads as never accepted), N holds and screens the parcels
    expect([tooSoon, answer]).toEqual([409, 202]);
    expect((await manifests.get(abandoned.partnerId, 'LOCK-M'))?.status).toBe('refused');
    expect(await ownersOf(abandoned)).toEqual({ 'LOCK-M-P0': 'LOCK-N', 'LOCK-M-P1': 'LOCK-N' });
    expect(sentFor('LOCK-N')).toEqual(['LOCK-M-P0', 'LOCK-M-P1']);
    expect(sentFor('LOCK-M')).toEqual([]);
  });

  it('keeps the parcel ids of a manifest whose hand-over started: some of its parcels may be screening', async () => {
    // Prepare: M's hand-over starts and its sends fail; the partner sends the parcels in a new manifest
    const { unaccepted: started, renamed } = await unacceptedAndRenamed(
      'LOCK-SENDING',
      'LOCK-SENDING-N',
      'queue',
    );
    untilTombstonesAreQuiet();

    // Act
    const answer = await post(parcels, renamed);

    // Assess
    expect(answer).toBe(409);
    expect(await ownersOf(started)).toEqual({
      'LOCK-SENDING-P0': 'LOCK-SENDING',
      'LOCK-SENDING-P1': 'LOCK-SENDING',
    });
  });

  it('asks for the same bytes again, not a new manifest, when a hand-over broke off midway', async () => {
    // Prepare: the hand-over starts and its sends fail (some messages may be out: parcels screened)
    const manifest = aManifestOf(2, 'RACE-SENDING');
    await postWhileDown('queue', manifest);
    const changed = changedVersionOf(manifest);
    untilTombstonesAreQuiet();

    // Act
    const refusal = await refusalOf(parcels, changed);
    const sameBytes = await post(parcels, manifest);

    // Assess
    expect(refusal).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        /did not finish: post those same bytes again to finish it; some of its parcels were handed over to screening, so no other version can replace it$/,
      ),
    });
    expect(sameBytes).toBe(202);
  });

  it('says when a changed version may replace one whose delivery stopped before its hand-over, and it does then', async () => {
    // Prepare: the parcels stored, the hand-over never started (a 503: nothing queued)
    const manifest = aManifestOf(2, 'RACE-RECEIVED');
    await postWhileDown('handOver', manifest);
    const changed = changedVersionOf(manifest);

    // Act: at once, then once no delivery of the earlier one can still be running, then after the 503's wait
    const early = await refusalOf(parcels, changed);
    untilTombstonesAreQuiet();
    const quiet = await post(parcels, changed);
    untilTombstonesAreQuiet();
    const after = await post(parcels, changed);

    // Assess
    expect(early).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        new RegExp(
          `or it stopped: then post those same bytes again to finish it, or post this version again in (${TOMBSTONE_QUIET_SECONDS}|${TOMBSTONE_QUIET_SECONDS - 1}) s, when no delivery of the earlier one can still be running: this one replaces it then`,
        ),
      ),
    });
    expect([quiet, after]).toEqual([503, 202]);
  });

  it('allows, in the 409 for a changed version, for the earlier delivery still running, which is then accepted', async () => {
    // Prepare: the partner posts two versions at once; the changed one meets the first while it stores its parcels
    const manifest = aManifestOf(2, 'RACE-INFLIGHT');
    const changed = changedVersionOf(manifest);
    let meanwhile: unknown;
    const slow = storeWith({
      putAll: async (records) => {
        meanwhile = await refusalOf(parcels, changed);
        await parcels.putAll(records);
      },
    });

    // Act: the first finishes; the partner then posts the changed version again, as the 409 said it may
    const first = await post(slow, manifest);
    const again = await refusalOf(parcels, changed);

    // Assess: the 409 never said the running delivery did not finish; once it is accepted, no version replaces it
    expect(first).toBe(202);
    expect(meanwhile).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        /^an earlier delivery of manifest RACE-INFLIGHT, with different content, has no 202 yet: it may still be running \(its own answer then says whether it was accepted; an accepted manifest cannot be changed\), or it stopped: /,
      ),
    });
    expect((meanwhile as Error).message).not.toMatch(/did not finish/);
    expect(again).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^manifest RACE-INFLIGHT was already accepted with different bytes/),
    });
    expect(sentFor('RACE-INFLIGHT')).toEqual(['RACE-INFLIGHT-P0', 'RACE-INFLIGHT-P1']);
  });

  it('allows for a running delivery in the 409 when its hand-over has started, and says no version replaces it', async () => {
    // Prepare: the changed version meets the first while it hands its parcels over to screening
    const manifest = aManifestOf(2, 'RACE-INFLIGHT-SENDING');
    const changed = changedVersionOf(manifest);
    let meanwhile: unknown;
    const accept = acceptWith(parcels, async () => {
      meanwhile ??= await refusalOf(parcels, changed);
    });

    // Act
    const receipt = await accept(signed(manifest));

    // Assess
    expect(receipt.status).toBe('accepted');
    expect(meanwhile).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        /has no 202 yet: it may still be running .+; its hand-over to screening has started, so no other version can replace it$/,
      ),
    });
  });

  it('removes what it stored when a concurrent delivery refused the manifest before its hand-over, and asks to be sent again', async () => {
    // Prepare: a delivery whose parcel writes land after a concurrent refusal of M cleaned up
    const manifest = aManifestOf(2, 'RACE-D');
    const late = storeWith({
      putAll: async (records) => {
        await parcels.putAll(records);
        const stored = (await manifests.get(manifest.partnerId, 'RACE-D'))!;
        expect(await manifests.markRefused(stored, new Date().toISOString())).toBe(true);
      },
    });
    // Act
    const first = await post(late, manifest);
    const afterCleanup = await ownersOf(manifest);
    untilTombstonesAreQuiet();
    const retry = await post(parcels, manifest);
    // Assess
    expect(first).toBe(503);
    expect(afterCleanup).toEqual({});
    expect(retry).toBe(202);
    expect(sentFor('RACE-D').sort()).toEqual(['RACE-D-P0', 'RACE-D-P1']);
    expect(await ownersOf(manifest)).toEqual({ 'RACE-D-P0': 'RACE-D', 'RACE-D-P1': 'RACE-D' });
  });

  it('never lets the replacement of a tombstone remove the parcels of a delivery answered 202 meanwhile', async () => {
    // Prepare: a refused, quiet tombstone; two deliveries of the corrected manifest meet it together,
    // and the first finishes (202) while the second is still removing the tombstone's parcels
    const { manifest, corrected } = await refusedThenCorrected('RACE-G');
    untilTombstonesAreQuiet();
    let first = 0;
    const second = storeWith(
      beforeFirstRemoval(async () => {
        first = await post(parcels, corrected);
      }),
    );
    // Act
    const answer = await post(second, corrected);
    // Assess: both answered 202, and the accepted parcel is still stored under the manifest
    expect([first, answer]).toEqual([202, 202]);
    expect((await manifests.get(manifest.partnerId, 'RACE-G'))?.status).toBe('queued');
    expect(await ownersOf(corrected)).toEqual({ 'RACE-G-P0': 'RACE-G' });
  });

  it('never lets a late cleanup of a refused version remove what a later version of the id stored', async () => {
    // Prepare: a delivery of the refused bytes cleans up under the tombstone slowly; meanwhile the
    // tombstone turns quiet and a corrected manifest replaces it and is accepted
    const { manifest, corrected } = await refusedThenCorrected('RACE-H');
    let replaced = 0;
    const slowCleaner = storeWith(
      beforeFirstRemoval(async () => {
        untilTombstonesAreQuiet();
        replaced = await post(parcels, corrected);
      }),
    );
    // Act: the refused bytes again (OTHER still holds RACE-H-P1)
    const late = await post(slowCleaner, manifest);
    // Assess
    expect([late, replaced]).toEqual([409, 202]);
    expect(await ownersOf(corrected)).toEqual({ 'RACE-H-P0': 'RACE-H' });
    expect((await manifests.get(manifest.partnerId, 'RACE-H'))?.status).toBe('queued');
  });

  it('answers a conflict met while storing as one met at the first read: 20 ids listed with their manifest, all counted', async () => {
    // Prepare: the ids are free when first read; before the parcels are written, an accepted manifest
    // takes all 25 of them
    const manifest = aManifestOf(25, 'RACE-MANY');
    const store = storeWith({ putAll: acceptedRivalTakesAll('RACE-MANY-RIVAL').putAll });

    // Act
    const refusal = await refusalOf(store, manifest);

    // Assess
    expect(refusal).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^25 parcel id\(s\) were already delivered in another manifest;/),
    });
    expect(refusal.details.reusedParcels).toEqual(
      manifest.parcels
        .slice(0, 20)
        .map((parcel) => ({ parcelId: parcel.parcelId, manifestId: 'RACE-MANY-RIVAL' })),
    );
    expect((await manifests.get(manifest.partnerId, 'RACE-MANY'))?.status).toBe('refused');
    expect(new Set(Object.values(await ownersOf(manifest)))).toEqual(new Set(['RACE-MANY-RIVAL']));
  });

  it('names every id a rival still storing its parcels took, not only those it held at the first read of the holders', async () => {
    // Prepare: an accepted manifest takes all 10 ids while this one stores them; until this one's
    // refusal has cleaned up, the holders read show only the 4 of them the rival had stored by then
    const manifest = aManifestOf(10, 'RACE-STORING');
    const rival = acceptedRivalTakesAll('RACE-STORING-RIVAL');
    let cleanedUp = false;
    const store = storeWith({
      putAll: rival.putAll,
      manifestsOf: async (partnerId, ids, at) => {
        const owners = await parcels.manifestsOf(partnerId, ids, at);
        if (rival.raced() && !cleanedUp) for (const id of ids.slice(4)) owners.delete(id);
        return owners;
      },
      removeAll: async (version, ids) => {
        cleanedUp = true;
        return parcels.removeAll(version, ids);
      },
    });

    // Act
    const refusal = await refusalOf(store, manifest);

    // Assess
    expect(refusal).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^10 parcel id\(s\) were already delivered in another manifest;/),
    });
    expect(refusal.details.reusedParcels).toEqual(
      manifest.parcels.map((parcel) => ({ parcelId: parcel.parcelId, manifestId: 'RACE-STORING-RIVAL' })),
    );
  });

  it('tells a manifest meeting the ids of one that never got its 202 which holds them and how to go on, not that they were delivered', async () => {
    // Prepare: M's delivery stores its parcels, then cannot start its hand-over (no 202); the partner
    // sends the same parcels in a new manifest N at once
    const { unaccepted: unfinished, renamed } = await unacceptedAndRenamed('HELD-M', 'HELD-N');

    // Act
    const refusal = await refusalOf(parcels, renamed);
    const sameBytes = await post(parcels, unfinished);
    const afterwards = await refusalOf(parcels, renamed);

    // Assess: refused, naming M as not accepted and both ways on; M's same bytes complete it, and only
    // then are its ids delivered
    const told =
      /^2 parcel id\(s\) are held by manifest HELD-M, which was not accepted \(no delivery of it got a 202\), so they are not delivered: post its same bytes again to complete it, or post this manifest again in (\d+) s to send them in this one instead/;
    expect(refusal).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(told) });
    const wait = Number(refusal.message.match(told)![1]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(TOMBSTONE_QUIET_SECONDS);
    expect(refusal.details.reusedParcels).toEqual([
      { parcelId: 'HELD-M-P0', manifestId: 'HELD-M' },
      { parcelId: 'HELD-M-P1', manifestId: 'HELD-M' },
    ]);
    expect(sameBytes).toBe(202);
    expect(sentFor('HELD-M')).toEqual(['HELD-M-P0', 'HELD-M-P1']);
    expect(afterwards).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^2 parcel id\(s\) were already delivered in another manifest;/),
    });
  });

  it('tells a manifest meeting the ids of one whose hand-over broke off that they stay with it until its same bytes complete it', async () => {
    // Prepare: M's hand-over starts and its sends fail (no 202, some parcels may be screened); the partner
    // sends the same parcels in a new manifest N
    const { unaccepted: started, renamed } = await unacceptedAndRenamed(
      'HELD-SENDING',
      'HELD-SENDING-N',
      'queue',
    );

    // Act
    const refusal = await refusalOf(parcels, renamed);
    const sameBytes = await post(parcels, started);

    // Assess: no wait offered (its ids are never given back), and its same bytes are accepted
    expect(refusal).toMatchObject({
      code: 'CONFLICT',
      message:
        '2 parcel id(s) are held by manifest HELD-SENDING, which was not accepted: its hand-over to screening started and has not finished, and some of its parcels may be screened already, so the ids stay with it: post its same bytes again to complete it',
    });
    expect(sameBytes).toBe(202);
  });

  it('names a holder received first but never accepted, met while storing, and waits for this refusal to turn quiet too', async () => {
    // Prepare: between the first read and the writes, a rival received earlier (it never got a 202)
    // takes one of the ids
    const manifest = aManifestOf(2, 'RACE-V');
    const store = rivalTakes(manifest, 'RACE-V-P1', OTHER_AT, () => undefined);

    // Act
    const refusal = await refusalOf(store, manifest);
    untilTombstonesAreQuiet();
    const again = await post(parcels, manifest);

    // Assess: not "delivered", the holder named, and the wait it gives is enough for this manifest
    expect(refusal).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        new RegExp(
          `^1 parcel id\\(s\\) are held by manifest RACE-V-RIVAL, which was not accepted .*post this manifest again in ${TOMBSTONE_QUIET_SECONDS} s`,
        ),
      ),
    });
    expect(refusal.details.reusedParcels).toEqual([{ parcelId: 'RACE-V-P1', manifestId: 'RACE-V-RIVAL' }]);
    expect(again).toBe(202);
    expect(await ownersOf(manifest)).toEqual({ 'RACE-V-P0': 'RACE-V', 'RACE-V-P1': 'RACE-V' });
  });
});
