import {
  BUCKETS,
  type BucketName,
  FUNCTIONS,
  type FunctionDefinition,
  type FunctionName,
  QUEUES,
  type QueueDefinition,
  type QueueName,
  TABLES,
  type TableDefinition,
  type TableName,
  TOOLS,
  type ToolDefinition,
  type ToolName,
} from './definitions.js';

/**
 * What each function's role, and each operator tool's policy, may do, worked out once from the
 * definitions. The service stack writes the functions' into their roles' policies, the data stack the
 * tools' into managed policies; the embedded stack refuses any call a function makes outside its grants,
 * as AWS would (functions/local/granted-calls.ts), and the tests run the tools under theirs, so a missing
 * grant fails a local run or a test, not a deployment.
 *
 * A grant reads `<action> <resource>`, the resource named as the definitions name it:
 * `dynamodb:Query decisions/index/byDecidedMonth`, `sqs:SendMessage screening`,
 * `s3:PutObject auditAnchors/anchors/*`.
 */

const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];

/** What a reader of a table may do (on the table and on each index it queries). */
const tableReadActions = (scan: boolean): string[] =>
  scan ? [...TABLE_READ_ACTIONS, 'dynamodb:Scan'] : TABLE_READ_ACTIONS;

/**
 * What a writer of a table may do: put items; update them in place unless the table is written whole
 * items only (`putOnly`) or append-only; delete them only where its definition says it deletes.
 */
const tableWriteActions = (table: TableName, remove: boolean): string[] => {
  const definition: TableDefinition = TABLES[table];
  if (definition.appendOnly === true) {
    if (remove) throw new Error(`table ${table} is append-only: nobody deletes`);
    return ['dynamodb:PutItem'];
  }
  return [
    'dynamodb:PutItem',
    ...(definition.putOnly === true ? [] : ['dynamodb:UpdateItem']),
    ...(remove ? ['dynamodb:DeleteItem'] : []),
  ];
};

/** What one function or tool may do on one table: `reads` on the table and `indexes`, `writes` on the table. */
export interface TableGrant {
  table: TableName;
  reads: readonly string[];
  indexes: readonly string[];
  writes: readonly string[];
}

/** A function's or tool's table grants, read grants first; refuses a definition that scans, deletes or queries beyond them. */
export const tableGrantsOf = (definition: Pick<FunctionDefinition, 'entry' | 'tables'>): TableGrant[] => {
  const { read, write, scan = [], delete: remove = [], query = {} } = definition.tables;
  for (const name of [...scan, ...remove]) {
    if (!read.includes(name) && !write.includes(name)) {
      throw new Error(
        `${String(definition.entry)}: it scans or deletes from ${name}, which it neither reads nor writes`,
      );
    }
  }
  const queries: Partial<Record<TableName, readonly string[]>> = query;
  for (const table of Object.keys(queries) as TableName[]) {
    if (!read.includes(table)) {
      throw new Error(`${String(definition.entry)}: it queries ${table}, which it does not read`);
    }
  }
  return [
    ...read.map((table) => ({
      table,
      reads: tableReadActions(scan.includes(table)),
      indexes: queries[table] ?? [],
      writes: [],
    })),
    ...write.map((table) => ({
      table,
      reads: [],
      indexes: [],
      writes: tableWriteActions(table, remove.includes(table)),
    })),
  ];
};

/** What CDK's `grantSendMessages` allows a producer. SendMessageBatch is authorized as SendMessage. */
const SEND_ACTIONS = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];

/** What an SQS event source grants its function on the queue it consumes (the function changes visibility to back off). */
const CONSUME_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueUrl',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
];

/** On objects under a bucket's prefix: PutObject only with If-None-Match (new objects), GetObject to read one back. */
const BUCKET_ACTIONS = ['s3:PutObject', 's3:GetObject'];

/** The queues whose event source invokes the function. */
export const consumedBy = (name: FunctionName): QueueName[] =>
  (Object.entries(QUEUES) as [QueueName, QueueDefinition][])
    .filter(([, definition]) => definition.consumer?.functionName === name)
    .map(([queue]) => queue);

/** The objects a writer of a bucket may touch: `auditAnchors/anchors/*`. */
export const bucketObjects = (bucket: BucketName): string => `${bucket}/${BUCKETS[bucket].prefix}*`;

type AddGrants = (actions: readonly string[], resources: readonly string[]) => void;

/** A set of grants, and how to add `actions` on `resources` to it. */
const grantSet = (): [Set<string>, AddGrants] => {
  const grants = new Set<string>();
  const add: AddGrants = (actions, resources) => {
    for (const action of actions) for (const resource of resources) grants.add(`${action} ${resource}`);
  };
  return [grants, add];
};

/** Grants on its tables, on the items `itemsOf` names in each (the whole table by default) and its indexes. */
const addTableGrants = (
  add: AddGrants,
  definition: Pick<FunctionDefinition, 'entry' | 'tables'>,
  itemsOf: (table: TableName) => string[] = (table) => [table],
): void => {
  for (const { table, reads, indexes, writes } of tableGrantsOf(definition)) {
    add(reads, [...itemsOf(table), ...indexes.map((index) => `${table}/index/${index}`)]);
    add(writes, itemsOf(table));
  }
};

/** Every `<action> <resource>` the function's role is granted on DynamoDB, SQS and S3. */
export const grantsOf = (name: FunctionName): Set<string> => {
  const definition: FunctionDefinition = FUNCTIONS[name];
  const [grants, add] = grantSet();
  addTableGrants(add, definition);
  for (const queue of definition.sendsTo) add(SEND_ACTIONS, [queue]);
  for (const queue of consumedBy(name)) add(CONSUME_ACTIONS, [queue]);
  for (const bucket of definition.putsInto ?? []) add(BUCKET_ACTIONS, [bucketObjects(bucket)]);
  return grants;
};

/** On the queue whose dead letters a redrive moves: its redrive policy, and sending the letters back. */
export const REDRIVE_QUEUE_ACTIONS = ['sqs:GetQueueAttributes', 'sqs:SendMessage'];
/** On that queue's dead-letter queue (`<queue>-dlq`), found by name from the redrive policy. */
export const REDRIVE_DLQ_ACTIONS = [
  'sqs:GetQueueUrl',
  // Counting what waits on it, before and after a run (ApproximateNumberOfMessages…).
  'sqs:GetQueueAttributes',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  // Giving back the leases of messages a run did not move.
  'sqs:ChangeMessageVisibility',
];
/** On an anchor bucket itself: listing its objects and their versions. */
export const ANCHOR_BUCKET_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions'];
/** On its anchors: reading each, every version, and adding new ones (If-None-Match, as the functions). */
export const ANCHOR_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'];

/** A table's items under one partition key, as a resource (dynamodb:LeadingKeys): `auditLog[chain=rules]`. */
export const itemsUnder = (table: TableName, key: string): string =>
  `${table}[${TABLES[table].partitionKey.name}=${key}]`;

/**
 * Every `<action> <resource>` a tool's policy grants on DynamoDB, SQS and S3. On a table it may touch
 * only some partition keys of (`onlyKeys`), its grants are on the items under each (itemsUnder).
 */
export const toolGrantsOf = (name: ToolName): Set<string> => {
  const definition: ToolDefinition = TOOLS[name];
  const [grants, add] = grantSet();
  const onlyKeys: Partial<Record<TableName, readonly string[]>> = definition.onlyKeys ?? {};
  addTableGrants(
    add,
    definition,
    (table) => onlyKeys[table]?.map((key) => itemsUnder(table, key)) ?? [table],
  );
  for (const queue of definition.redrives ?? []) {
    add(REDRIVE_QUEUE_ACTIONS, [queue]);
    add(REDRIVE_DLQ_ACTIONS, [`${queue}-dlq`]);
  }
  for (const bucket of definition.anchors ?? []) {
    add(ANCHOR_BUCKET_ACTIONS, [bucket]);
    add(ANCHOR_OBJECT_ACTIONS, [bucketObjects(bucket)]);
  }
  return grants;
};
