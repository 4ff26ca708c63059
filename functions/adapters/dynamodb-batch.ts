import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { chunk } from '../platform/concurrency.js';
import { DependencyError } from '../platform/errors.js';
import { awsCall } from './aws-errors.js';

const READ_CHUNK = 100;
const ATTEMPTS = 5;

const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 10));

/** Reads every key with BatchGetItem (100 a call, strongly consistent), retrying unprocessed keys. */
export const batchGetAll = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: Record<string, unknown>[],
  /** Only these attributes of each item (names, so no reserved word can collide). */
  attributes?: readonly string[],
): Promise<Record<string, unknown>[]> => {
  const projection =
    attributes === undefined
      ? {}
      : {
          ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
        };
  const found: Record<string, unknown>[] = [];
  for (const part of chunk(keys, READ_CHUNK)) {
    let pending = part;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const current = pending;
      const result = await awsCall('DynamoDB BatchGetItem', () =>
        db.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: current, ConsistentRead: true, ...projection } },
          }),
        ),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length > 0) {
        if (attempt >= ATTEMPTS)
          throw new DependencyError(`${pending.length} key(s) unprocessed after ${ATTEMPTS} attempts`);
        await backoff(attempt);
      }
    }
  }
  return found;
};

interface Page {
  Items?: Record<string, unknown>[];
  LastEvaluatedKey?: Record<string, unknown>;
}

/** Items page by page, each page read when the previous one has been used. */
async function* pages(
  what: string,
  read: (ExclusiveStartKey: Record<string, unknown> | undefined) => Promise<Page>,
): AsyncGenerator<Record<string, unknown>[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall(what, () => read(ExclusiveStartKey));
    yield page?.Items ?? [];
    ExclusiveStartKey = page?.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** A scan's items page by page. */
export const scanPages = (
  db: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey'>,
  what: string,
): AsyncGenerator<Record<string, unknown>[]> =>
  pages(what, (ExclusiveStartKey) => db.send(new ScanCommand({ ...input, ExclusiveStartKey })));

/** A query's items page by page. */
export const queryPages = (
  db: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  what: string,
): AsyncGenerator<Record<string, unknown>[]> =>
  pages(what, (ExclusiveStartKey) => db.send(new QueryCommand({ ...input, ExclusiveStartKey })));

/** Every item a scan returns, page after page. */
export const scanAll = async (
  db: DynamoDBDocumentClient,
  input: Omit<ScanCommandInput, 'ExclusiveStartKey'>,
  what: string,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for await (const page of scanPages(db, input, what)) items.push(...page);
  return items;
};
