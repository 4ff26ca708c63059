import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { SQSServiceException } from '@aws-sdk/client-sqs';
import {
  BUCKETS,
  type BucketName,
  type FunctionName,
  type QueueName,
  type TableName,
} from '../../infra/definitions.js';
import { bucketObjects, grantsOf } from '../../infra/grants.js';

/**
 * The embedded stack plays each function's IAM role: every AWS call a function makes while the local
 * runner invokes it is checked against the grants its definition gives it (infra/grants.ts, the same the
 * service stack writes into its policies), and one outside them fails with AccessDenied, as in AWS.
 * dynalite, fauxqs and the SDK know nothing of IAM, so without this a function missing a grant would pass
 * every local run and fail its first deployed one.
 */

export type AwsService = 'dynamodb' | 'sqs' | 's3';

/** The stack's resources by definition name, as the functions know them (local table names, queue URLs). */
export interface LocalResources {
  tables: Record<TableName, string>;
  queues: Record<QueueName, { url: string; dlqUrl: string }>;
  buckets: Record<BucketName, string>;
}

/** Calls that IAM authorizes under another action. */
const AUTHORIZED_AS: Record<string, string> = {
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
  's3:HeadObject': 's3:GetObject',
};

const nameOf = <K extends string>(names: Record<K, string>, local: unknown): string => {
  const found = (Object.entries(names) as [K, string][]).find(([, value]) => value === local);
  // Never a grant: names an unknown resource as it was asked for.
  return found?.[0] ?? `unknown:${String(local)}`;
};

const queueOf = (queues: LocalResources['queues'], url: unknown): string => {
  for (const [name, { url: queueUrl, dlqUrl }] of Object.entries(queues)) {
    if (url === queueUrl) return name;
    if (url === dlqUrl) return `${name}-dlq`;
  }
  return `unknown:${String(url)}`;
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
    case 'dynamodb': {
      const items = input.RequestItems as Record<string, unknown> | undefined;
      const tables = (items === undefined ? [input.TableName] : Object.keys(items)).map((table) =>
        nameOf(resources.tables, table),
      );
      const index = typeof input.IndexName === 'string' ? `/index/${input.IndexName}` : '';
      return tables.map((table) => `${action} ${table}${index}`);
    }
    case 'sqs':
      return [`${action} ${queueOf(resources.queues, input.QueueUrl)}`];
    case 's3': {
      const bucket = nameOf(resources.buckets, input.Bucket);
      const key = String(input.Key ?? '');
      const known = Object.hasOwn(BUCKETS, bucket) ? (bucket as BucketName) : undefined;
      const resource =
        known !== undefined && key.startsWith(BUCKETS[known].prefix)
          ? bucketObjects(known)
          : `${bucket}/${key}`;
      // The role's PutObject carries a condition: new objects only.
      const put =
        action === 's3:PutObject' && input.IfNoneMatch !== '*'
          ? 's3:PutObject without If-None-Match'
          : action;
      return [`${put} ${resource}`];
    }
  }
};

const accessDenied = (service: AwsService, fn: FunctionName, grant: string): Error => {
  const [action, resource] = grant.split(' ');
  const options = {
    name: service === 'dynamodb' ? 'AccessDeniedException' : 'AccessDenied',
    $fault: 'client' as const,
    $metadata: { httpStatusCode: service === 'dynamodb' ? 400 : 403 },
    message:
      `User: arn:aws:sts::000000000000:assumed-role/${fn}/local is not authorized to perform: ${action} ` +
      `on resource: ${resource} because no identity-based policy allows the ${action} action`,
  };
  if (service === 'dynamodb') return new DynamoDBServiceException(options);
  return service === 'sqs' ? new SQSServiceException(options) : new S3ServiceException(options);
};

const invoking = new AsyncLocalStorage<FunctionName>();

/** `handler` run as function `name`: the AWS calls it makes are checked against that function's grants. */
export const inRoleOf =
  <A extends unknown[], R>(name: FunctionName, handler: (...args: A) => R) =>
  (...args: A): R =>
    invoking.run(name, () => handler(...args));

/** One function's use of one grant, as the stack saw it. */
export interface AwsCall {
  function: FunctionName;
  grant: string;
  count: number;
  granted: boolean;
}

interface MiddlewareClient {
  middlewareStack: {
    add: (middleware: never, options: { step: 'initialize'; name: string; override: true }) => void;
  };
}

type Next = (args: { input: Record<string, unknown> }) => Promise<unknown>;

/** Checks the calls of the clients it is attached to, and counts them by function and grant. */
export class GrantCheck {
  private readonly grants = new Map<FunctionName, Set<string>>();
  private readonly seen = new Map<string, AwsCall>();

  constructor(private readonly resources: LocalResources) {}

  /**
   * Checks every call `client` makes inside an invocation (`inRoleOf`); calls made outside one (the
   * runner's own, a test's) are not a function's and pass. Replaces the check a previous stack attached.
   */
  attach(client: MiddlewareClient, service: AwsService): void {
    const middleware =
      (next: Next, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
        const fn = invoking.getStore();
        if (fn !== undefined) this.check(fn, service, context.commandName ?? '', args.input);
        return next(args);
      };
    client.middlewareStack.add(middleware as never, {
      step: 'initialize',
      name: 'parcelguardGrantCheck',
      override: true,
    });
  }

  /** Every function's calls so far, by grant. */
  calls(): AwsCall[] {
    return [...this.seen.values()].map((call) => ({ ...call }));
  }

  private check(fn: FunctionName, service: AwsService, commandName: string, input: Record<string, unknown>) {
    let granted = this.grants.get(fn);
    if (granted === undefined) {
      granted = grantsOf(fn);
      this.grants.set(fn, granted);
    }
    for (const grant of grantsNeeded(service, commandName, input, this.resources)) {
      const key = `${fn} ${grant}`;
      const call = this.seen.get(key) ?? { function: fn, grant, count: 0, granted: granted.has(grant) };
      call.count++;
      this.seen.set(key, call);
      if (!call.granted) {
        console.error(`${fn} is not granted ${grant} (infra/definitions.ts): refused, as AWS would`);
        throw accessDenied(service, fn, grant);
      }
    }
  }
}
