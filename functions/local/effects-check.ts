import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Parcel } from '../../events/manifest-v1.js';
import { DynamoDbPartyHistory } from '../adapters/dynamodb-party-history.js';
import { DynamoDbRuleStatistics } from '../adapters/dynamodb-rule-statistics.js';
import { manifestKey } from '../core/keys.js';
import { historyKeysOf } from '../core/parties/history-model.js';
import { derivePartyKeys } from '../core/parties/party-keys.js';
import { type ControlSampled, countersOf, isFlaggedByRules } from '../core/screening/control-sample.js';
import { isFlagged, type Lane } from '../core/screening/lane.js';
import { aggregateRuleStatistics } from '../core/statistics/rule-statistics.js';
import type { EmbeddedStack } from './embedded-stack.js';

/**
 * Checks the embedded stack's stores against "nothing lost, nothing counted twice": every stored parcel
 * (stored by ingest in the parcels table) has exactly one decision whose effects are done, every
 * party-history counter equals the number of stored parcels carrying that party (and of those
 * flagged), no party-history day bucket counts a region or key no stored parcel implies, every rule's
 * hit counter equals the decisions that fired it (and none counts in a region that screened nothing),
 * and every flagged parcel is in the review queue once. It also tells the accepted parcels (of manifests
 * handed over to screening, as their manifest records say) from those stored by deliveries that never
 * handed their manifest over. Used by the fault, redrive and load tests and by `npm run load`.
 *
 * It does not see the outgoing messages (ParcelFlagged on the inspection queue, ParcelReferred on the
 * referral queue): SQS has no way to read a queue without receiving from it, which hides the messages
 * from the next reader and counts towards their maxReceiveCount, and some callers drain the inspection
 * queue themselves before checking (test/e2e/control-samples.test.ts). A decision's `effectsDoneAt`
 * says its messages were sent, not that they are still there.
 */

export interface CounterMismatch {
  key: string;
  counter: string;
  expected: number;
  actual: number;
  /**
   * Of `expected`, what decisions whose effects never finished (`unfinished`) add, and for history what
   * screened parcels add whose manifest (in that region) still has an unscreened parcel, since the part
   * that completes it records the history of all: they may not have counted yet, so a counter short by at
   * most this much waits for those effects. Absent when none does.
   */
  unfinished?: number;
}

export interface EffectsReport {
  /** Keys of the parcels stored by ingest, whether or not their manifest was handed over to screening. */
  stored: ReadonlySet<string>;
  /**
   * Stored parcels of manifests handed over to screening: the manifest record (this version of it) is
   * `queued`, as ingest leaves it before it answers 202, and as a replay of the same bytes is answered
   * 202 from. A parcel that no manifest record claims (stored by a test directly, not by ingest) counts too.
   */
  accepted: number;
  /**
   * Stored parcels of manifests never handed over: their record is `received` (a delivery stored them
   * and stopped before its hand-over), `sending` (one started the hand-over and never finished it) or
   * `refused`, or is another version's. No delivery of them got a 202, so the partner must send the
   * manifest again: not accepted, and not lost. `screened` and `flagged` count those of them among
   * `screened` and `flagged` (an unfinished hand-over may have sent some to screening).
   */
  notHandedOver: { parcels: string[]; screened: number; flagged: number };
  /** Stored parcels (accepted or not) with a decision whose effects are all done. */
  screened: number;
  /** Screened parcels whose lane is not `release`. */
  flagged: number;
  /** Stored parcels (accepted or not) with no decision. */
  undecided: string[];
  /** Decisions whose effects (history, review queue, statistics, messages) were never finished. */
  unfinished: string[];
  /** Decisions for parcels that are not stored (ingest never accepted them, or took them back). */
  orphanDecisions: string[];
  /**
   * Party-history counters above (counted twice) or below (lost) what the stored parcels imply; and,
   * as `shipments` / `flags` expected 0, the day buckets (all days kept) of a region or key that none implies.
   */
  history: CounterMismatch[];
  /** Rule hit counters above or below the decisions that fired each rule. */
  ruleHits: CounterMismatch[];
  /**
   * Parcels with a flagged decision (finished or not) missing from the review queue, and review items
   * with no flagged decision.
   */
  reviewQueue: { missing: string[]; unexpected: string[] };
}

type Item = Record<string, unknown>;

/** Every item of a table, with only the named attributes. */
const scanAll = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  attributes: string[],
): Promise<Item[]> => {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        ExclusiveStartKey,
        ProjectionExpression: attributes.map((_, index) => `#a${index}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(attributes.map((name, index) => [`#a${index}`, name])),
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

const increment = (counts: Map<string, number>, key: string, by = 1) =>
  counts.set(key, (counts.get(key) ?? 0) + by);

export const checkEffects = async (stack: EmbeddedStack): Promise<EffectsReport> => {
  const { db, tables } = stack;
  const [parcels, decisions, reviewItems, manifests] = await Promise.all([
    scanAll(db, tables.parcels, ['pk', 'region', 'parcel', 'partnerId', 'manifestId', 'receivedAt']),
    scanAll(db, tables.decisions, ['pk', 'lane', 'controlSample', 'firedRules', 'effectsDoneAt']),
    scanAll(db, tables.reviewQueue, ['pk']),
    scanAll(db, tables.manifests, ['pk', 'status', 'receivedAt']),
  ]);
  const decisionByKey = new Map(decisions.map((decision) => [String(decision.pk), decision]));
  const storedKeys = new Set(parcels.map((parcel) => String(parcel.pk)));
  const manifestByKey = new Map(manifests.map((manifest) => [String(manifest.pk), manifest]));
  /** Whether ingest handed the parcel's manifest (the version that stored it) over to screening. */
  const handedOver = (parcel: Item): boolean => {
    const manifest = manifestByKey.get(manifestKey(String(parcel.partnerId), String(parcel.manifestId)));
    if (manifest === undefined) return true;
    return manifest.status === 'queued' && manifest.receivedAt === parcel.receivedAt;
  };

  const undecided: string[] = [];
  const unfinished: string[] = [];
  const notHandedOver = { parcels: [] as string[], screened: 0, flagged: 0 };
  /** Parcels with a flagged decision, finished or not: each must be in the review queue. */
  const flaggedKeys = new Set<string>();
  let flaggedScreened = 0;
  const expectedParcels = new Map<string, number>();
  const expectedFlags = new Map<string, number>();
  const expectedHits = new Map<string, number>();
  // What of the expected counts decisions whose effects never finished add.
  const pendingParcels = new Map<string, number>();
  const pendingFlags = new Map<string, number>();
  const pendingHits = new Map<string, number>();
  const regions = new Map<string, Set<string>>();
  let screened = 0;

  /** `<region>#<partyKey>` of every key a stored parcel carries, decided or not. */
  const implied = new Set<string>();

  // Party history of a manifest's parcels in a region is recorded by the part that completes the set
  // (screen/decision-effects.ts): while any parcel of that delivery and region is unscreened (its part
  // dead-lettered, say), the history of its screened siblings waits with it.
  const deliveryOf = (item: Item) =>
    `${String(item.region)}#${String(item.partnerId)}#${String(item.manifestId)}#${String(item.receivedAt)}`;
  const waiting = new Set(
    parcels
      .filter((item) => !decisionByKey.get(String(item.pk))?.effectsDoneAt)
      .map((item) => deliveryOf(item)),
  );

  for (const item of parcels) {
    const key = String(item.pk);
    const region = String(item.region);
    const accepted = handedOver(item);
    if (!accepted) notHandedOver.parcels.push(key);
    const partyKeys = historyKeysOf(derivePartyKeys(item.parcel as Parcel, stack.partyKeySalt));
    for (const partyKey of partyKeys) implied.add(`${region}#${partyKey}`);
    const decision = decisionByKey.get(key);
    if (!decision) {
      undecided.push(key);
      continue;
    }
    const done = Boolean(decision.effectsDoneAt);
    const laneFlagged = isFlagged(decision.lane as Lane);
    if (laneFlagged) flaggedKeys.add(key);
    if (!done) unfinished.push(key);
    else {
      screened += 1;
      if (laneFlagged) flaggedScreened += 1;
      if (!accepted) {
        notHandedOver.screened += 1;
        if (laneFlagged) notHandedOver.flagged += 1;
      }
    }
    const sampled = decision as unknown as ControlSampled & { firedRules?: { ruleId: string }[] };
    // Party history counts the rules' flags; a control sample is in the review queue, not a flag.
    const flagged = isFlaggedByRules(sampled);
    for (const counter of countersOf({ ...sampled, firedRules: sampled.firedRules ?? [] })) {
      increment(expectedHits, `${region}#${counter}`);
      if (!done) increment(pendingHits, `${region}#${counter}`);
    }

    const regionKeys = regions.get(region) ?? new Set<string>();
    regions.set(region, regionKeys);
    for (const partyKey of partyKeys) {
      const id = `${region}#${partyKey}`;
      regionKeys.add(partyKey);
      increment(expectedParcels, id);
      increment(expectedFlags, id, flagged ? 1 : 0);
      if (!done || waiting.has(deliveryOf(item))) {
        increment(pendingParcels, id);
        increment(pendingFlags, id, flagged ? 1 : 0);
      }
    }
  }
  const mismatch = (
    key: string,
    counter: string,
    expected: number,
    actual: number,
    pending: number,
  ): CounterMismatch => ({ key, counter, expected, actual, ...(pending > 0 ? { unfinished: pending } : {}) });

  const history: CounterMismatch[] = [];
  const partyHistory = new DynamoDbPartyHistory(db, tables.partyHistory);
  const now = new Date().toISOString();
  for (const [region, keys] of regions) {
    const nodes = await partyHistory.nodes([...keys], region, now);
    for (const node of nodes) {
      const id = `${region}#${node.key}`;
      const counters: [string, number, number, number][] = [
        ['parcels90d', expectedParcels.get(id) ?? 0, node.parcels90d, pendingParcels.get(id) ?? 0],
        ['flags', expectedFlags.get(id) ?? 0, node.flags, pendingFlags.get(id) ?? 0],
      ];
      for (const [counter, expected, actual, pending] of counters) {
        if (expected !== actual) history.push(mismatch(id, counter, expected, actual, pending));
      }
    }
  }

  // And no day bucket counts parcels under a key or in a region that no stored parcel implies (another
  // region's, a key nobody shipped with): reading the implied keys above would never see them.
  const outside = new Map<string, { shipments: number; flags: number }>();
  for (const bucket of await scanAll(db, tables.partyHistory, ['pk', 'sk', 'shipments', 'flags'])) {
    const pk = String(bucket.pk);
    if (!pk.startsWith('H#') || !String(bucket.sk).startsWith('D#')) continue;
    // `H#<region>#<partyKey>`; a party key has no `#`.
    const id = pk.slice(2);
    if (implied.has(id)) continue;
    const counts = outside.get(id) ?? { shipments: 0, flags: 0 };
    counts.shipments += Number(bucket.shipments ?? 0);
    counts.flags += Number(bucket.flags ?? 0);
    outside.set(id, counts);
  }
  for (const [id, counts] of outside) {
    if (counts.shipments > 0)
      history.push({ key: id, counter: 'shipments', expected: 0, actual: counts.shipments });
    if (counts.flags > 0) history.push({ key: id, counter: 'flags', expected: 0, actual: counts.flags });
  }

  // Per region: each region's statistics count its own parcels' hits, and nothing else; and no counter
  // lies outside the regions that screened parcels (another region's prefix, or none).
  const ruleHits: CounterMismatch[] = [];
  for (const counter of await scanAll(db, tables.ruleStatistics, ['ruleId', 'counter', 'hits'])) {
    const region = String(counter.counter).split('#')[0]!;
    if (!regions.has(region) && Number(counter.hits ?? 0) > 0) {
      const key = `${String(counter.counter)} of ${String(counter.ruleId)}`;
      ruleHits.push({ key, counter: 'hits', expected: 0, actual: Number(counter.hits) });
    }
  }
  const ruleStatistics = new DynamoDbRuleStatistics(db, tables.ruleStatistics);
  for (const region of regions.keys()) {
    const statistics = aggregateRuleStatistics(await ruleStatistics.read(region));
    const ruleIds = new Set([
      ...[...expectedHits.keys()]
        .filter((key) => key.startsWith(`${region}#`))
        .map((key) => key.slice(region.length + 1)),
      ...statistics.map((rule) => rule.ruleId),
    ]);
    for (const ruleId of ruleIds) {
      const key = `${region}#${ruleId}`;
      const expected = expectedHits.get(key) ?? 0;
      const actual = statistics.find((rule) => rule.ruleId === ruleId)?.hits ?? 0;
      if (expected !== actual)
        ruleHits.push(mismatch(key, 'hits', expected, actual, pendingHits.get(key) ?? 0));
    }
  }

  const reviewKeys = new Set(reviewItems.map((item) => String(item.pk)));
  return {
    stored: storedKeys,
    accepted: parcels.length - notHandedOver.parcels.length,
    notHandedOver,
    screened,
    flagged: flaggedScreened,
    undecided,
    unfinished,
    orphanDecisions: [...decisionByKey.keys()].filter((key) => !storedKeys.has(key)),
    history,
    ruleHits,
    reviewQueue: {
      missing: [...flaggedKeys].filter((key) => !reviewKeys.has(key)),
      unexpected: [...reviewKeys].filter((key) => !flaggedKeys.has(key)),
    },
  };
};
