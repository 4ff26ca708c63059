import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ListDocument, ListDocumentSchema } from '../core/rules/index.js';
import { AppError } from '../platform/errors.js';
import type { ListStore, PublishedList } from '../ports/list-store.js';
import { awsCall, conditional } from './aws-errors.js';
import { scanAll } from './dynamodb-batch.js';

/**
 * Lists in the `lists` table: partition `name`, sort `version`, one item per published version (kept,
 * so a decision's rule set version can be traced to the lists it used). The item carries the list
 * document as published: a watchlist's values are party keys, never clear values.
 */

interface ListItem {
  name: string;
  version: number;
  document: ListDocument;
  contentVersion: string;
  publishedAt: string;
  publishedBy: string;
}

const publishedOf = (item: Record<string, unknown>): PublishedList => {
  const stored = item as unknown as ListItem;
  const list = ListDocumentSchema.safeParse(stored.document);
  if (!list.success)
    throw new AppError(
      'LIST_ITEM_INVALID',
      `stored list ${stored.name} v${stored.version} is not a valid list`,
      {
        cause: list.error,
      },
    );
  return {
    list: list.data,
    contentVersion: stored.contentVersion,
    publishedAt: stored.publishedAt,
    publishedBy: stored.publishedBy,
  };
};

export class DynamoDbListStore implements ListStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async newestOfEach(): Promise<PublishedList[]> {
    const newest = new Map<string, Record<string, unknown>>();
    const items = await scanAll(this.db, { TableName: this.tableName, ConsistentRead: true }, 'scan lists');
    for (const item of items) {
      const name = item.name as string;
      const held = newest.get(name);
      if (held === undefined || (held.version as number) < (item.version as number)) newest.set(name, item);
    }
    return [...newest.values()].map(publishedOf).sort((a, b) => (a.list.name < b.list.name ? -1 : 1));
  }

  async newestOf(name: string): Promise<PublishedList | undefined> {
    const page = await awsCall('query list', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#n = :name',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':name': name },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = page?.Items?.[0];
    return item === undefined ? undefined : publishedOf(item);
  }

  async putIfAbsent(published: PublishedList): Promise<boolean> {
    const item: ListItem = {
      name: published.list.name,
      version: published.list.version,
      // Plain JSON: no undefined optional fields in the stored map.
      document: JSON.parse(JSON.stringify(published.list)) as ListDocument,
      contentVersion: published.contentVersion,
      publishedAt: published.publishedAt,
      publishedBy: published.publishedBy,
    };
    return conditional(() =>
      awsCall('put list', () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(#n)',
            ExpressionAttributeNames: { '#n': 'name' },
          }),
        ),
      ),
    );
  }
}
