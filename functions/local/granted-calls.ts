import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { SQSServiceException } from '@aws-sdk/client-sqs';
import { type FunctionName, TABLES, type TableName, type ToolName } from '../../infra/definitions.js';
import { grantsOf, itemsUnder } from '../../infra/grants.js';
import {
  getDocumentClient,
  getS3Client,
  getSqsClient,
  type RequestHandlerOptions,
} from '../platform/clients.js';
import {
  type AwsService,
  grantsNeeded,
  type LocalResources,
  leadingKeysOf,
  WITHOUT_IF_NONE_MATCH,
} from './grants-needed.js';

/**
 * The embedded stack plays each function's IAM role: every AWS call a function makes while the local
 * runner loads its module or invokes it is checked against the grants its definition gives it
 * (infra/grants.ts, the same the service stack writes into its policies), and one outside them fails with
 * AccessDenied, as in AWS.
 * dynalite, fauxqs and the SDK know nothing of IAM, so without this a function missing a grant would pass
 * every local run and fail its first deployed one.
 */

/** Whose grants a call is checked against: a function's role, or an operator tool's policy. */
export type Role = FunctionName | ToolName;

const accessDenied = (service: AwsService, role: Role, grant: string): Error => {
  // AWS names the action a condition refused as the action itself.
  const [action, resource] = grant.replace(WITHOUT_IF_NONE_MATCH, 's3:PutObject').split(' ');
  const options = {
    name: service === 'dynamodb' ? 'AccessDeniedException' : 'AccessDenied',
    $fault: 'client' as const,
    $metadata: { httpStatusCode: service === 'dynamodb' ? 400 : 403 },
    message:
      `User: arn:aws:sts::000000000000:assumed-role/${role}/local is not authorized to perform: ${action} ` +
      `on resource: ${resource} because no identity-based policy allows the ${action} action`,
  };
  if (service === 'dynamodb') return new DynamoDBServiceException(options);
  return service === 'sqs' ? new SQSServiceException(options) : new S3ServiceException(options);
};

const invoking = new AsyncLocalStorage<Role>();

/** `handler` run as function `name`: the AWS calls it makes are checked against that function's grants. */
export const inRoleOf =
  <A extends unknown[], R>(name: FunctionName, handler: (...args: A) => R) =>
  (...args: A): R =>
    invoking.run(name, () => handler(...args));

/** Loads function `name`'s module in its role: Lambda runs a function's init code under its role too. */
export const loadInRoleOf = <T>(name: FunctionName, load: () => Promise<T>): Promise<T> =>
  invoking.run(name, load);

/** One role's use of one grant, as the check saw it. */
export interface AwsCall {
  role: Role;
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

/** The check each client carries, until its stack stops: the functions' clients are one per process. */
const checks = new WeakMap<MiddlewareClient, GrantCheck>();

/** Checks the calls of the clients it is attached to, and counts them by function and grant. */
export class GrantCheck {
  private readonly grants = new Map<Role, Set<string>>();
  private readonly seen = new Map<string, AwsCall>();
  private readonly clients: MiddlewareClient[] = [];

  /** `grantsFor`: a role's grants; a function's by default (infra/grants.ts has the tools' too). */
  constructor(
    private readonly resources: LocalResources,
    private readonly grantsFor: (role: Role) => Set<string> = (role) => grantsOf(role as FunctionName),
  ) {}

  /**
   * Checks every call `client` makes inside an invocation or a module load (`inRoleOf`, `loadInRoleOf`);
   * calls made outside one (the runner's own, a test's) are not a function's and pass. A client still
   * checked for another stack is refused: its calls would be counted and named by that stack's resources.
   * With `role`, every call the client makes is that role's: a tool's process.
   */
  attach(client: MiddlewareClient, service: AwsService, role?: Role): void {
    const current = checks.get(client);
    if (current !== undefined && current !== this)
      throw new Error('another embedded stack is running in this process: one stack per process');
    checks.set(client, this);
    this.clients.push(client);
    const middleware =
      (next: Next, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
        const caller = invoking.getStore() ?? role;
        if (caller !== undefined && checks.get(client) === this)
          this.check(caller, service, context.commandName ?? '', args.input);
        return next(args);
      };
    client.middlewareStack.add(middleware as never, {
      step: 'initialize',
      name: 'parcelguardGrantCheck',
      override: true,
    });
  }

  /**
   * Checks the process's shared clients (functions/platform/clients.ts) made with `requestHandler`, the
   * ones the functions (or, with `role`, a tool) call AWS through: DynamoDB, SQS, and S3 at `s3Endpoint`.
   */
  attachToPlatformClients(
    requestHandler: RequestHandlerOptions,
    s3Endpoint: string | undefined,
    role?: Role,
  ): void {
    this.attach(getDocumentClient(requestHandler), 'dynamodb', role);
    this.attach(getSqsClient(requestHandler), 'sqs', role);
    this.attach(getS3Client(requestHandler, s3Endpoint), 's3', role);
  }

  /** Stops checking: the clients are free for the next stack of the process. */
  release(): void {
    for (const client of this.clients) if (checks.get(client) === this) checks.delete(client);
  }

  /** Every role's calls so far, by grant. */
  calls(): AwsCall[] {
    return [...this.seen.values()].map((call) => ({ ...call }));
  }

  /**
   * A grant on a table's items not held whole, as held for the partition key the call names
   * (`dynamodb:PutItem auditLog[chain=rules]`), where that is how the role holds it; else as needed.
   */
  private withinKeys(
    service: AwsService,
    needed: string,
    commandName: string,
    input: Record<string, unknown>,
    granted: Set<string>,
  ): string {
    const [action, table] = needed.split(' ') as [string, TableName];
    if (service !== 'dynamodb' || !Object.hasOwn(TABLES, table)) return needed;
    const keys = leadingKeysOf(commandName, input, TABLES[table].partitionKey.name);
    // Named by key only where the role holds the action on some keys of the table: it then says which key.
    const heldByKey = [...granted].some((grant) => grant.startsWith(`${needed}[`));
    if (keys?.length !== 1 || !heldByKey) return needed;
    return `${action} ${itemsUnder(table, keys[0]!)}`;
  }

  private check(role: Role, service: AwsService, commandName: string, input: Record<string, unknown>) {
    let granted = this.grants.get(role);
    if (granted === undefined) {
      granted = this.grantsFor(role);
      this.grants.set(role, granted);
    }
    for (const needed of grantsNeeded(service, commandName, input, this.resources)) {
      const grant = granted.has(needed)
        ? needed
        : this.withinKeys(service, needed, commandName, input, granted);
      const key = `${role} ${grant}`;
      const call = this.seen.get(key) ?? { role, grant, count: 0, granted: granted.has(grant) };
      call.count++;
      this.seen.set(key, call);
      if (!call.granted) {
        console.error(`${role} is not granted ${grant} (infra/definitions.ts): refused, as AWS would`);
        throw accessDenied(service, role, grant);
      }
    }
  }
}

/** Why a stack (or a tool) that made calls outside its grants fails as it stops: a refusal caught is still a defect. */
export const refusedCallsError = (calls: readonly AwsCall[]): Error | undefined => {
  const refused = calls.filter((call) => !call.granted);
  if (refused.length === 0) return undefined;
  const list = refused.map((call) => `${call.role} ${call.grant} ×${call.count}`).join('; ');
  return new Error(`AWS calls were made outside their IAM grants (infra/grants.ts), refused: ${list}`);
};
