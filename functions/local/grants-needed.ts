import { BUCKETS, type BucketName, type QueueName, type TableName } from '../../infra/definitions.js';
import { bucketObjects } from '../../infra/grants.js';

/**
 * The grants one AWS SDK call needs, as IAM authorizes it, in the terms of infra/grants.ts (`<action>
 * <resource>`, the resource by its definition's name): what granted-calls.ts checks each call against.
 */

export type AwsService = 'dynamodb' | 'sqs' | 's3';

/** The stack's resources by definition name, as the functions know them (local table names, queue URLs). */
export interface LocalResources {
  tables: Record<TableName, string>;
  queues: Record<QueueName, { url: string; dlqUrl: string }>;
  buckets: Record<BucketName, string>;
}

/** Where the embedded stack leaves its LocalResources (JSON) for a process it starts to check its calls by. */
export const LOCAL_RESOURCES_VARIABLE = 'PARCELGUARD_LOCAL_RESOURCES';

/** Calls that IAM authorizes under another action. */
const AUTHORIZED_AS: Record<string, string> = {
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
  's3:HeadObject': 's3:GetObject',
  's3:ListObjectsV2': 's3:ListBucket',
  's3:ListObjects': 's3:ListBucket',
  's3:ListObjectVersions': 's3:ListBucketVersions',
};

/** How a grant names a resource that is not one of the stack's: never granted. */
const UNKNOWN = 'unknown:';

/** Whether a grant names one of the stack's own resources, not something else a call reached for. */
export const onStackResource = (grant: string): boolean => !grant.includes(` ${UNKNOWN}`);

/** A put that may replace an object: the action the functions' conditional PutObject does not grant. */
export const WITHOUT_IF_NONE_MATCH = 's3:PutObject without If-None-Match';

const nameOf = <K extends string>(names: Record<K, string>, local: unknown): string => {
  const found = (Object.entries(names) as [K, string][]).find(([, value]) => value === local);
  // Never a grant: names an unknown resource as it was asked for.
  return found?.[0] ?? `${UNKNOWN}${String(local)}`;
};

/** A queue by its URL, or by its name (GetQueueUrl). */
const queueOf = (queues: LocalResources['queues'], input: Record<string, unknown>): string => {
  const asked = input.QueueUrl ?? input.QueueName;
  for (const [name, { url, dlqUrl }] of Object.entries(queues)) {
    if (asked === url || asked === url.split('/').pop()) return name;
    if (asked === dlqUrl || asked === dlqUrl.split('/').pop()) return `${name}-dlq`;
  }
  return `${UNKNOWN}${String(asked)}`;
};

/** What each part of a transaction is authorized as, on its own table. */
const TRANSACT_ACTIONS = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
} as const;

const dynamoDbGrants = (
  action: string,
  input: Record<string, unknown>,
  resources: LocalResources,
): string[] => {
  const table = (name: unknown) => nameOf(resources.tables, name);
  const parts = input.TransactItems as Record<string, { TableName?: unknown }>[] | undefined;
  if (parts !== undefined) {
    return parts.flatMap((part) =>
      (Object.keys(TRANSACT_ACTIONS) as (keyof typeof TRANSACT_ACTIONS)[])
        .filter((kind) => part[kind] !== undefined)
        .map((kind) => `${TRANSACT_ACTIONS[kind]} ${table(part[kind]!.TableName)}`),
    );
  }
  const items = input.RequestItems as Record<string, unknown> | undefined;
  const index = typeof input.IndexName === 'string' ? `/index/${input.IndexName}` : '';
  return (items === undefined ? [input.TableName] : Object.keys(items)).map(
    (name) => `${action} ${table(name)}${index}`,
  );
};

/** What an object call's options add to its action (a version, a lock, an ACL, tags), each its own action. */
const objectOptionActions = (action: string, input: Record<string, unknown>): string[] => {
  if (action === 's3:GetObject') return [input.VersionId === undefined ? action : 's3:GetObjectVersion'];
  if (action !== 's3:PutObject') return [action];
  // The role's PutObject carries a condition: new objects only.
  const actions = [input.IfNoneMatch === '*' ? action : WITHOUT_IF_NONE_MATCH];
  if (input.ObjectLockMode !== undefined || input.ObjectLockRetainUntilDate !== undefined)
    actions.push('s3:PutObjectRetention');
  if (input.ObjectLockLegalHoldStatus !== undefined) actions.push('s3:PutObjectLegalHold');
  if (Object.keys(input).some((key) => key === 'ACL' || key.startsWith('Grant')))
    actions.push('s3:PutObjectAcl');
  if (input.Tagging !== undefined) actions.push('s3:PutObjectTagging');
  return actions;
};

const s3Grants = (action: string, input: Record<string, unknown>, resources: LocalResources): string[] => {
  const bucket = nameOf(resources.buckets, input.Bucket);
  if (input.Key === undefined) return [`${action} ${bucket}`];
  const key = String(input.Key);
  const known = Object.hasOwn(BUCKETS, bucket) ? (bucket as BucketName) : undefined;
  const resource =
    known !== undefined && key.startsWith(BUCKETS[known].prefix) ? bucketObjects(known) : `${bucket}/${key}`;
  return objectOptionActions(action, input).map((needed) => `${needed} ${resource}`);
};

/**
 * The partition keys a call on one table's items reaches (IAM's dynamodb:LeadingKeys), where it names
 * them: an item put, got, updated or deleted, or a query of the table itself; undefined otherwise.
 */
export const leadingKeysOf = (
  commandName: string,
  input: Record<string, unknown>,
  partitionKey: string,
): string[] | undefined => {
  const api = commandName.replace(/Command$/, '');
  const keyOf = (item: unknown) => {
    const value = (item as Record<string, unknown> | undefined)?.[partitionKey];
    return typeof value === 'string' ? [value] : undefined;
  };
  if (api === 'PutItem') return keyOf(input.Item);
  if (api === 'GetItem' || api === 'UpdateItem' || api === 'DeleteItem') return keyOf(input.Key);
  if (api !== 'Query' || input.IndexName !== undefined) return undefined;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  for (const [, name, placeholder] of String(input.KeyConditionExpression ?? '').matchAll(
    /([#\w]+)\s*=\s*(:\w+)/g,
  )) {
    const value = values[placeholder!];
    if ((names[name!] ?? name) === partitionKey && typeof value === 'string') return [value];
  }
  return undefined;
};

/** The grants (`<action> <resource>`, as infra/grants.ts writes them) one SDK call needs. */
export const grantsNeeded = (
  service: AwsService,
  commandName: string,
  input: Record<string, unknown>,
  resources: LocalResources,
): string[] => {
  const api = commandName.replace(/Command$/, '');
  const action = AUTHORIZED_AS[`${service}:${api}`] ?? `${service}:${api}`;
  switch (service) {
    case 'dynamodb':
      return dynamoDbGrants(action, input, resources);
    case 'sqs':
      return [`${action} ${queueOf(resources.queues, input)}`];
    case 's3':
      return s3Grants(action, input, resources);
  }
};
