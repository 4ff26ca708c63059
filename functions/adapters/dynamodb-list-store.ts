import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ListDocument, ListDocumentSchema } from '../core/rules/index.js';
import {
  type ListRollback,
  type PublishedList,
  UnreadableListError,
  type VersionedListStore,
} from '../ports/list-store.js';
import { awsCall, conditional } from './aws-errors.js';

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
  rollback?: ListRollback;
}

const publishedOf = (item: Record<string, unknown>): PublishedList => {
  const stored = item as unknown as ListItem;
  const list = ListDocumentSchema.safeParse(stored.document);
  if (!list.success) {
    const [issue] = list.error.issues;
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new UnreadableListError(
      stored.name,
      stored.version,
      `${where}${issue?.message ?? 'invalid'}`,
      list.error,
    );
  }
  return {
    list: list.data,
    contentVersion: stored.contentVersion,
    publishedAt: stored.publishedAt,
    publishedBy: stored.publishedBy,
    ...(stored.rollback === undefined ? {} : { rollback: stored.rollback }),
  };
};

export class DynamoDbListStore implements VersionedListStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async newestOf(name: string): Promise<PublishedList | undefined> {
    return this.newestWhere(name);
  }

  async newestBefore(name: string, version: number): Promise<PublishedList | undefined> {
    return this.newestWhere(name, version);
  }

  async versionOf(name: string, version: number): Promise<PublishedList | undefined> {
    const found = await awsCall('get list version', () =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: { name, version }, ConsistentRead: true }),
      ),
    );
    return found?.Item === undefined ? undefined : publishedOf(found.Item);
  }

  /** The newest version of a list, or the newest below `below`. */
  private async newestWhere(name: string, below?: number): Promise<PublishedList | undefined> {
    const page = await awsCall('query list', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: below === undefined ? '#n = :name' : '#n = :name AND #v < :below',
          ExpressionAttributeNames:
            below === undefined ? { '#n': 'name' } : { '#n': 'name', '#v': 'version' },
          ExpressionAttributeValues:
            below === undefined ? { ':name': name } : { ':name': name, ':below': below },
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
      ...(published.rollback === undefined ? {} : { rollback: published.rollback }),
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
