import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isContractId } from '../../events/manifest-v1.js';
import { TABLES } from '../../infra/definitions.js';
import { epochSecondsOf, expiredAt, recordExpiresAt } from '../core/retention.js';
import { DECIMAL_PLACES } from '../core/rules/numeric.js';
import { upgradeFiredRules } from '../core/screening/recorded-facts.js';
import { ConflictError, ValidationError } from '../platform/errors.js';
import type {
  PendingEffects,
  PendingPage,
  ReviewItem,
  ReviewPage,
  ReviewQueue,
  ReviewStatus,
} from '../ports/review-queue.js';
import { awsCall, conditional } from './aws-errors.js';

const [BY_OFFICE_STATUS, BY_PENDING_SINCE] = TABLES.reviewQueue.indexes;
const INDEX = BY_OFFICE_STATUS.indexName;
/** The one partition of the sparse pending index: few items are pending at any time. */
const PENDING_QUEUE = 'pending';
/**
 * A score's place in the priority key: its whole millionths (a score is a sum of rule scores in
 * millionths, DECIMAL_PLACES), inverted around 2^53 so that text order is highest score first, in a
 * fixed width: any score a decision can hold, negative ones included, sorts by its exact value.
 */
const SCORE_KEY_OFFSET = 2n ** 53n;
const SCORE_KEY_DIGITS = String(2n * SCORE_KEY_OFFSET).length;

/** `claimed` is stored as `open` (see ReviewStatus): a lease ends by time, not by a write. */
export const officeStatusKey = (office: string, status: ReviewStatus): string =>
  `${office}#${status === 'claimed' ? 'open' : status}`;

/** Sorts ascending as highest score first, then earliest flagged, then parcel. */
export const priorityKey = (score: number, flaggedAt: string, parcelKey: string): string => {
  const millionths = Math.round(score * 10 ** DECIMAL_PLACES);
  const bounded = Math.min(Number.MAX_SAFE_INTEGER, Math.max(-Number.MAX_SAFE_INTEGER, millionths));
  const inverted = SCORE_KEY_OFFSET - BigInt(bounded);
  return `${inverted.toString().padStart(SCORE_KEY_DIGITS, '0')}#${flaggedAt}#${parcelKey}`;
};

/** Queries one list request makes at most: a sparse `claimed` page ends short, with a cursor. */
const MAX_READS_PER_LIST = 10;

/** The key of a stored item in the office-status index, as DynamoDB's LastEvaluatedKey names it. */
const indexKeyOf = (stored: Record<string, unknown>): Record<string, unknown> => ({
  pk: stored.pk,
  officeStatus: stored.officeStatus,
  priority: stored.priority,
});

const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

/**
 * A priority key as priorityKey writes it, up to the parcel key it ends with; or as it wrote it before
 * keys held millionths (7 digits, hundredths), so paging never stops at an item stored then (each such
 * item gets the wide key with its next action).
 */
const PRIORITY_HEAD = new RegExp(`^(?:\\d{${SCORE_KEY_DIGITS}}|\\d{7})#\\d{4}-\\d{2}-\\d{2}T[0-9:.]{1,20}Z#`);

/**
 * Whether `pk` and `priority` are a stored item's keys: a parcel key of two contract ids, and the priority
 * key priorityKey writes for it. Anything else (an empty or oversized key) DynamoDB would refuse as a
 * request error, a 500 where the client sent a bad cursor.
 */
const isIssuedKey = (pk: unknown, priority: unknown): boolean => {
  if (typeof pk !== 'string' || typeof priority !== 'string') return false;
  const [partnerId, parcelId, ...more] = pk.split('#');
  const head = PRIORITY_HEAD.exec(priority);
  return (
    more.length === 0 &&
    isContractId(partnerId) &&
    isContractId(parcelId) &&
    head !== null &&
    priority.slice(head[0].length) === pk
  );
};

const decodeCursor = (
  cursor: string,
  office: string,
  status: ReviewStatus,
  claimedBy: string | undefined,
): Record<string, unknown> => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    // Exactly the key this queue issues: a hand-made one of other shape or types is refused by DynamoDB.
    // `open` and `claimed` share a partition: the status (and claimant) it was issued for tell them apart.
    const { pk, officeStatus, priority, status: issuedFor, claimedBy: issuedTo, ...rest } = key;
    if (
      officeStatus !== officeStatusKey(office, status) ||
      issuedFor !== status ||
      issuedTo !== claimedBy ||
      !isIssuedKey(pk, priority) ||
      Object.keys(rest).length > 0
    )
      throw new Error('foreign');
    return { pk, officeStatus, priority };
  } catch (error) {
    const issuedFor =
      claimedBy === undefined ? 'this office and status' : 'this office, status and claimedBy';
    throw new ValidationError(
      'the cursor is not one this queue issued',
      [{ path: 'cursor', message: `not a cursor this queue issued for ${issuedFor}` }],
      error,
    );
  }
};

export class DynamoDbReviewQueue implements ReviewQueue {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Adds the flagged parcel once: an item already stored under its key is kept, unless it no longer
   * counts. Expired at this item's `flaggedAt` (whether or not TTL has deleted it yet), or flagged
   * earlier, for an earlier decision under the same parcel id (a decision is one per delivered parcel,
   * and every enqueue of it carries its `decidedAt`: see DecisionStore): the id was delivered again once
   * its parcel's record expired. Both are false on an item without the attribute, which stays.
   */
  async enqueue(item: ReviewItem): Promise<void> {
    try {
      await awsCall('enqueue for review', () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              pk: item.parcelKey,
              officeStatus: officeStatusKey(item.inspectionOffice, item.status),
              priority: priorityKey(item.queueScore ?? item.score, item.flaggedAt, item.parcelKey),
              ...item,
              expiresAt: recordExpiresAt(item.flaggedAt),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now OR flaggedAt < :flaggedAt',
            ExpressionAttributeValues: {
              ':now': epochSecondsOf(item.flaggedAt),
              ':flaggedAt': item.flaggedAt,
            },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  /**
   * DynamoDB applies `Limit` before the filters (a live lease for `claimed`, not expired for all), so one
   * query can hold none of a page's parcels: keep reading until the page is full or the partition ends, at most
   * MAX_READS_PER_LIST queries, and hand back the cursor where reading stopped. `claimedBy` is one more
   * filter of the same query: an officer's claims are few, and live only in their office's open partition.
   */
  async list(
    office: string,
    status: ReviewStatus,
    options: { now: string; limit?: number; cursor?: string; claimedBy?: string },
  ): Promise<ReviewPage> {
    const { claimedBy } = options;
    const limit = options.limit ?? 50;
    const items: ReviewItem[] = [];
    let startKey = options.cursor ? decodeCursor(options.cursor, office, status, claimedBy) : undefined;
    for (let reads = 0; reads < MAX_READS_PER_LIST; reads += 1) {
      const page = await this.queryPage(office, status, limit, startKey, options.now, claimedBy);
      const found = page.Items ?? [];
      const room = limit - items.length;
      if (found.length > room) {
        // The page fills mid-query: the next one starts after the last item taken.
        items.push(...found.slice(0, room).map(toItem));
        startKey = indexKeyOf(found[room - 1]!);
        break;
      }
      items.push(...found.map(toItem));
      startKey = page.LastEvaluatedKey;
      if (!startKey || items.length === limit) break;
    }
    const cursor = encodeCursor(startKey && { ...startKey, status, ...(claimedBy ? { claimedBy } : {}) });
    return cursor ? { items, cursor } : { items };
  }

  private queryPage(
    office: string,
    status: ReviewStatus,
    limit: number,
    startKey: Record<string, unknown> | undefined,
    now: string,
    claimedBy: string | undefined,
  ) {
    // An item without expiresAt (stored before it existed) never expires, as in every write's condition.
    const live = '(attribute_not_exists(expiresAt) OR expiresAt > :nowSeconds)';
    // leaseUntil is stored for a live lease only (never a released one): see save.
    const claimedOnly = status === 'claimed' || claimedBy !== undefined;
    const claim =
      claimedBy === undefined ? 'leaseUntil > :now' : 'leaseUntil > :now AND #lease.#holder = :holder';
    return awsCall('list review queue', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEX,
          KeyConditionExpression: 'officeStatus = :k',
          FilterExpression: claimedOnly ? `${claim} AND ${live}` : live,
          ...(claimedBy === undefined
            ? {}
            : { ExpressionAttributeNames: { '#lease': 'lease', '#holder': 'holder' } }),
          ExpressionAttributeValues: {
            ':k': officeStatusKey(office, status),
            ':nowSeconds': epochSecondsOf(now),
            ...(claimedOnly ? { ':now': now } : {}),
            ...(claimedBy === undefined ? {} : { ':holder': claimedBy }),
          },
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
  }

  async get(parcelKey: string, liveAt?: string): Promise<ReviewItem | undefined> {
    const result = await awsCall('read review item', () =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: parcelKey }, ConsistentRead: true }),
      ),
    );
    if (result.Item === undefined) return undefined;
    if (liveAt !== undefined && expiredAt(result.Item.expiresAt, liveAt)) return undefined;
    return toItem(result.Item);
  }

  async save(item: ReviewItem, expectedVersion: number): Promise<ReviewItem> {
    const stored: ReviewItem = { ...item, version: expectedVersion + 1 };
    // A new action's effects are stored unclaimed: a claim lives in its own attributes.
    if (stored.pending) stored.pending = withoutClaim(stored.pending);
    await awsCall('update review item', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...stored,
            pk: item.parcelKey,
            officeStatus: officeStatusKey(item.inspectionOffice, item.status),
            priority: priorityKey(item.queueScore ?? item.score, item.flaggedAt, item.parcelKey),
            expiresAt: recordExpiresAt(item.flaggedAt),
            // Lifted out of a live lease so the claimed filter can compare it; a released lease has
            // none, so no clock a little behind the releasing one lists it as claimed.
            ...(item.lease && item.lease.releasedAt === undefined ? { leaseUntil: item.lease.until } : {}),
            // Keys of the sparse pending index, removed with the pending effects.
            ...(item.pending ? { pendingQueue: PENDING_QUEUE, pendingSince: item.pending.audit.at } : {}),
          },
          // Of the item's life it was read in: an item flagged again under the parcel key since (a parcel
          // delivered under the id once the first one's records expired) starts at version 0 too.
          ConditionExpression:
            expectedVersion === 0
              ? 'attribute_exists(pk) AND attribute_not_exists(#v) AND attribute_not_exists(#p) AND flaggedAt = :f'
              : '#v = :v AND attribute_not_exists(#p) AND flaggedAt = :f',
          ExpressionAttributeNames: { '#v': 'version', '#p': 'pending' },
          ExpressionAttributeValues: {
            ':f': item.flaggedAt,
            ...(expectedVersion === 0 ? {} : { ':v': expectedVersion }),
          },
        }),
      ),
    );
    return stored;
  }

  async claimPending(
    parcelKey: string,
    actionId: string,
    claim: { finisher: string; now: string; until: string },
  ): Promise<boolean> {
    return this.updatePending(
      'claim pending review effects',
      parcelKey,
      'SET pendingFinisher = :f, pendingFinishUntil = :u',
      '#p.actionId = :a AND (attribute_not_exists(pendingFinisher) OR pendingFinishUntil < :now)',
      { ':a': actionId, ':f': claim.finisher, ':u': claim.until, ':now': claim.now },
    );
  }

  async releasePending(parcelKey: string, actionId: string, finisher: string): Promise<void> {
    // Not ours (any more): nothing to give back.
    await this.updatePending(
      'release pending review effects',
      parcelKey,
      'REMOVE pendingFinisher, pendingFinishUntil',
      '#p.actionId = :a AND pendingFinisher = :f',
      { ':a': actionId, ':f': finisher },
    );
  }

  async clearPending(parcelKey: string, actionId: string, finisher: string): Promise<void> {
    // Another finisher's claim, another action's pending effects, or none left: nothing to clear.
    await this.updatePending(
      'clear pending review effects',
      parcelKey,
      'REMOVE #p, pendingQueue, pendingSince, pendingFinisher, pendingFinishUntil',
      '#p.actionId = :a AND pendingFinisher = :f',
      { ':a': actionId, ':f': finisher },
    );
  }

  /**
   * A conditional update of an item's pending effects; false when its condition failed. The claim
   * lives in top-level attributes, beside `pending` rather than in it: an update never names a path
   * inside a map that may be gone, which DynamoDB would refuse as invalid instead of as a failed condition.
   */
  private updatePending(
    what: string,
    parcelKey: string,
    update: string,
    condition: string,
    values: Record<string, string>,
  ): Promise<boolean> {
    return conditional(() =>
      awsCall(what, () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: parcelKey },
            UpdateExpression: update,
            ConditionExpression: condition,
            ExpressionAttributeNames: { '#p': 'pending' },
            ExpressionAttributeValues: values,
          }),
        ),
      ),
    );
  }

  async listPending(before: string, options: { limit?: number; cursor?: string } = {}): Promise<PendingPage> {
    const page = await awsCall('list pending review effects', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_PENDING_SINCE.indexName,
          KeyConditionExpression: 'pendingQueue = :q AND pendingSince < :before',
          ExpressionAttributeValues: { ':q': PENDING_QUEUE, ':before': before },
          Limit: options.limit ?? 100,
          // Issued by the page before, within this process.
          ExclusiveStartKey: options.cursor
            ? (JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8')) as Record<
                string,
                unknown
              >)
            : undefined,
        }),
      ),
    );
    const parcelKeys = (page.Items ?? []).map((key) => key.pk as string);
    const cursor = encodeCursor(page.LastEvaluatedKey);
    return cursor ? { parcelKeys, cursor } : { parcelKeys };
  }
}

const withoutClaim = ({ finisher: _f, finishUntil: _u, ...pending }: PendingEffects): PendingEffects =>
  pending;

const toItem = (stored: Record<string, unknown>): ReviewItem => {
  const {
    pk: _pk,
    officeStatus: _o,
    priority: _p,
    leaseUntil: _l,
    pendingQueue: _q,
    pendingSince: _s,
    pendingFinisher,
    pendingFinishUntil,
    expiresAt: _expires,
    ...rest
  } = stored;
  const item = rest as unknown as ReviewItem;
  // Fired rules' values recorded under fact names since renamed read as they are now.
  if (item.firedRules !== undefined) item.firedRules = upgradeFiredRules(item.firedRules);
  if (item.pending) {
    // Only the top-level attributes are the claim the conditions check.
    const pending = withoutClaim(item.pending);
    item.pending =
      typeof pendingFinisher === 'string'
        ? { ...pending, finisher: pendingFinisher, finishUntil: String(pendingFinishUntil) }
        : pending;
  }
  return item;
};
