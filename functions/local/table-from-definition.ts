import type { CreateTableCommandInput, Projection } from '@aws-sdk/client-dynamodb';
import type { IndexDefinition, KeyDefinition, TableDefinition } from '../../infra/definitions.js';

const projectionOf = (index: IndexDefinition): Projection => {
  if (index.projection === 'keys') return { ProjectionType: 'KEYS_ONLY' };
  if (typeof index.projection === 'object')
    return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.include] };
  return { ProjectionType: 'ALL' };
};

/** The CreateTable request for a table definition: the embedded stack's twin of the CDK data stack. */
export const createTableInput = (tableName: string, table: TableDefinition): CreateTableCommandInput => {
  const keys: KeyDefinition[] = [table.partitionKey];
  if (table.sortKey) keys.push(table.sortKey);
  for (const index of table.indexes) {
    keys.push(index.partitionKey);
    if (index.sortKey) keys.push(index.sortKey);
  }
  const attributes = new Map(keys.map((key) => [key.name, key.type]));
  const keySchema = (partitionKey: KeyDefinition, sortKey?: KeyDefinition) => [
    { AttributeName: partitionKey.name, KeyType: 'HASH' as const },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.indexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: projectionOf(index),
          })),
        }
      : {}),
  };
};
