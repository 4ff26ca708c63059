import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { manifestKey } from '../core/keys.js';
import { canonicalInstant, epochSecondsOf, recordExpiresAt } from '../core/retention.js';
import type { ManifestInRegion, ManifestParts } from '../ports/manifest-parts.js';
import { awsCall, conditional } from './aws-errors.js';

/**
 * The screened parts of a manifest's delivery, one item in the party history table (the history they
 * gate): `pk` `P#<region>#<partner>#<manifest>`, `sk` `PARTS`, `parts` the set of screened part indexes,
 * `receivedAt` the delivery they belong to. A manifest id is free again once its records expire, so a
 * later delivery under it starts a set of its own over the earlier one's, whether or not TTL has deleted
 * that yet (it never does on dynalite). An item from before `receivedAt` was stored counts as this
 * delivery's while it lasts: only parts in flight across the deploy can meet one.
 *
 * The set expires with the delivery's own records (`recordExpiresAt` of its `receivedAt`), not sooner:
 * a part may come back at any time before them (`npm run redrive` sends a dead letter again as a new
 * message, whose retention starts afresh), and a part that found its set deleted by TTL would start one
 * of its own, never complete, and leave the manifest's party history unrecorded without a word.
 */
export class DynamoDbManifestParts implements ManifestParts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async markScreened(manifest: ManifestInRegion, index: number, of: number): Promise<boolean> {
    const key = {
      pk: `P#${manifest.region}#${manifestKey(manifest.partnerId, manifest.manifestId)}`,
      sk: 'PARTS',
    };
    const receivedAt = canonicalInstant(manifest.receivedAt);
    const nowSeconds = epochSecondsOf(this.now().toISOString());
    const expiresAt = recordExpiresAt(receivedAt);
    // Twice at most: a sibling part of this delivery may start the set between the two writes.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const parts = await this.addToSet(key, index, receivedAt, expiresAt, nowSeconds);
      if (parts !== undefined) return parts.size >= of;
      // The set is an earlier delivery's (or expired): start this delivery's over it, unless a later
      // delivery's stands there, which a part of an earlier one (long dead-lettered) must not undo.
      const started = await conditional(() =>
        awsCall('DynamoDB PutItem manifest parts', () =>
          this.db.send(
            new PutCommand({
              TableName: this.tableName,
              Item: { ...key, parts: new Set([index]), receivedAt, expiresAt },
              ConditionExpression: 'attribute_not_exists(receivedAt) OR receivedAt < :r',
              ExpressionAttributeValues: { ':r': receivedAt },
            }),
          ),
        ),
      );
      if (started) return of <= 1;
    }
    return false;
  }

  /** Adds the part to this delivery's set; undefined when the stored set is another delivery's. */
  private async addToSet(
    key: Record<string, string>,
    index: number,
    receivedAt: string,
    expiresAt: number,
    nowSeconds: number,
  ): Promise<Set<number> | undefined> {
    let parts: Set<number> | undefined;
    const added = await conditional(async () => {
      const result = await awsCall('DynamoDB UpdateItem manifest parts', () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression:
              'ADD parts :part SET receivedAt = if_not_exists(receivedAt, :r), expiresAt = :e',
            ConditionExpression:
              'attribute_not_exists(pk) OR receivedAt = :r OR (attribute_not_exists(receivedAt) AND expiresAt > :now)',
            ExpressionAttributeValues: {
              ':part': new Set([index]),
              ':r': receivedAt,
              ':e': expiresAt,
              ':now': nowSeconds,
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      parts = (result.Attributes?.parts as Set<number> | undefined) ?? new Set();
    });
    return added ? parts : undefined;
  }
}
