import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { chunk, forEachLimited } from '../../platform/concurrency.js';
import { DependencyError } from '../../platform/errors.js';
import { awsCall } from '../aws-errors.js';
import { type Item, idOf, type Key } from './item-keys.js';

/** Requests in flight at once, per call of the adapter. */
export const CONCURRENCY = 16;
/** Parcels (or outcomes) of one party written in one conditional update. */
export const COALESCE_LIMIT = 20;

const READ_CHUNK = 100;
const ATTEMPTS = 6;

/** A string set attribute as strings (none when missing). */
export const strings = (value: unknown): string[] =>
  value instanceof Set ? [...(value as Set<string>)] : [];
/** A string attribute (undefined when missing). */
export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt * 10, 500)));

/** The party history table's generic item calls: UpdateItem, BatchGetItem with retries, consistent GetItems. */
export class PartyHistoryTable {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Item | undefined> {
    const result = await awsCall('DynamoDB UpdateItem party history', () =>
      this.db.send(new UpdateCommand({ TableName: this.tableName, ...input })),
    );
    return result.Attributes;
  }

  /** GetItem with ConsistentRead, one key at a time: for the few month items of one correction. */
  async getConsistently(keys: Key[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    await forEachLimited(keys, CONCURRENCY, async (Key) => {
      const result = await awsCall('DynamoDB GetItem party outcomes', () =>
        this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })),
      );
      if (result.Item) found.set(idOf(Key), result.Item);
    });
    return found;
  }

  /**
   * BatchGetItem in chunks of 100, retrying UnprocessedKeys with backoff; items by idOf(key). `names`
   * are the projection's ExpressionAttributeNames.
   */
  async batchGet(
    keys: Key[],
    projection?: string,
    names?: Record<string, string>,
  ): Promise<Map<string, Item>> {
    const unique = [...new Map(keys.map((key) => [idOf(key), key])).values()];
    const found = new Map<string, Item>();
    await forEachLimited(chunk(unique, READ_CHUNK), 4, async (part) => {
      let pending: Item[] = part.map((key) => ({ ...key }));
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        const request = pending;
        const result = await awsCall('DynamoDB BatchGetItem party history', () =>
          this.db.send(
            new BatchGetCommand({
              RequestItems: {
                [this.tableName]: {
                  Keys: request,
                  ...(projection ? { ProjectionExpression: projection } : {}),
                  ...(names && Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
                },
              },
            }),
          ),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          found.set(idOf({ pk: String(item.pk), sk: String(item.sk) }), item);
        }
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
        if (pending.length > 0) {
          if (attempt >= ATTEMPTS) {
            throw new DependencyError(
              `party history: ${pending.length} key(s) unprocessed after ${ATTEMPTS} attempts`,
            );
          }
          await backoff(attempt);
        }
      }
    });
    return found;
  }
}
