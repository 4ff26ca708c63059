import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, ScheduledEvent } from 'aws-lambda';
import dynalite from 'dynalite';
import { buildApp as buildFauxqs } from 'fauxqs';
import {
  BUCKETS,
  type BucketName,
  consumerOf,
  FUNCTIONS,
  type FunctionName,
  QUEUES,
  type QueueDefinition,
  type QueueName,
  ROUTES,
  SECRETS,
  scheduledFunctions,
  TABLES,
  type TableName,
} from '../../infra/definitions.js';
import { SDK_REQUEST_HANDLER } from '../platform/clients.js';
import type { PartnerItem } from '../ports/partner-registry.js';
import {
  type DevAuthorizationServer,
  makeLocalJwtAuthorizer,
  startDevAuthorizationServer,
} from './dev-issuer.js';
import { type FaultPlan, type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { type AwsCall, GrantCheck, inRoleOf, loadInRoleOf, refusedCallsError } from './granted-calls.js';
import { LOCAL_RESOURCES_VARIABLE, type LocalResources } from './grants-needed.js';
import { DEFAULT_ROUTE, startHttpServer } from './http-server.js';
import { makeLambdaContext } from './lambda-context.js';
import { invokeWithinDeadline } from './lambda-deadline.js';
import { REPO_ROOT } from './repo-root.js';
import { scheduledEvent } from './scheduled-event.js';
import { type SqsHandler, SqsPoller } from './sqs-poller.js';
import { createTableInput } from './table-from-definition.js';

export { REPO_ROOT };

const LOCAL_REGION = 'us-east-1';
const LOCAL_PARTY_KEY_SALT = 'local-development-salt-not-for-production';

/** A partner the embedded stack seeds, as the partners table holds it. */
export type DevPartner = PartnerItem;

export const loadDevPartners = (): DevPartner[] =>
  (
    JSON.parse(readFileSync(resolve(REPO_ROOT, 'functions/local/dev-partners.json'), 'utf8')) as {
      partners: DevPartner[];
    }
  ).partners;

export interface EmbeddedStackOptions {
  /** HTTP port for the API; 0 picks a free one. */
  port?: number;
  /** Shorter than production so that retries and dead-lettering happen within a test's patience. */
  visibilityTimeoutSeconds?: number;
  /**
   * Receives before a message moves to its queue's DLQ, for every queue; by default each queue's
   * `maxReceiveCount` in infra/definitions.ts. Lower, a message that always fails dead-letters sooner.
   */
  maxReceiveCount?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Rule set directory; defaults to the repository's active rule set. */
  rulesDir?: string;
  /** Extra environment for the functions, e.g. a lower limit under test. */
  env?: Record<string, string>;
  /**
   * Puts a fault-injecting proxy (fault-proxy.ts) between every SDK client and dynalite / fauxqs;
   * the rules injected into this plan decide which requests fail, drop or stall.
   */
  faults?: FaultPlan;
  /**
   * Play EventBridge: run every function with `everyMinutes` on its timer. Off by default, so that a
   * test decides when a scheduled function runs (`runScheduled`).
   */
  schedules?: boolean;
  /**
   * Play Cognito's managed login too: the dev issuer's authorization server on a port of its own, and the
   * console configured to sign staff in there (authorization code with PKCE) instead of taking a pasted
   * token. Off by default: `npm start`, the demo and docs/officers.md use pasted `npm run token` tokens.
   */
  staffSignIn?: boolean;
  /**
   * With `staffSignIn`: seconds the ID tokens of the sign-in stay valid (one hour by default, as in AWS),
   * so that a test can watch the console renew its token with the refresh token.
   */
  staffIdTokenTtlSeconds?: number;
  /**
   * Shorter function timeouts than infra/definitions.ts gives, so a test can watch an invocation run out
   * of time (the local runner fails it at its deadline, as Lambda does).
   */
  functionTimeoutSeconds?: Partial<Record<FunctionName, number>>;
  /**
   * Invocations each SQS event source runs at once, at most its consumer's `maxConcurrency` (screen's 50,
   * notify's 5). By default `LOCAL_MAX_CONCURRENCY`, so that batches of one queue race locally too; but
   * one at a time, whatever is asked, where `visibilityTimeoutSeconds` is shorter than the consumer's
   * timeout (see eventSourceConcurrency).
   */
  maxConcurrency?: number;
}

/** The local cap on the invocations an SQS event source runs at once: races, without 50 loops a queue. */
export const LOCAL_MAX_CONCURRENCY = 4;

/**
 * Invocations at once for a queue's event source. AWS refuses an event source mapping whose queue's
 * visibility timeout is shorter than its function's timeout; the embedded stack runs one (tests shorten
 * the visibility to 1 s for quick retries), but one invocation at a time, as a second invocation would
 * receive a batch again while the first still runs, a duplicate AWS never delivers.
 */
export const eventSourceConcurrency = (
  consumer: { maxConcurrency: number },
  visibilityTimeoutSeconds: number,
  functionTimeoutSeconds: number,
  wanted: number | undefined,
): number => {
  if (visibilityTimeoutSeconds < functionTimeoutSeconds) return 1;
  return Math.max(1, Math.min(consumer.maxConcurrency, wanted ?? LOCAL_MAX_CONCURRENCY));
};

export interface QueueHandle {
  url: string;
  arn: string;
  dlqUrl: string;
}

export interface EmbeddedStack {
  apiUrl: string;
  /** The authorization server's origin, with `staffSignIn`. */
  staffSignInUrl?: string;
  tables: Record<TableName, string>;
  queues: Record<QueueName, QueueHandle>;
  buckets: Record<BucketName, string>;
  db: DynamoDBDocumentClient;
  sqs: SQSClient;
  s3: S3Client;
  partners: DevPartner[];
  /** The salt the functions hash party keys with, so checks can derive the keys ingest derived. */
  partyKeySalt: string;
  /**
   * What the operator tools (`npm run audit | lists | redrive | partner`) need to work on this stack from
   * another process: region, dummy credentials, endpoints, table names, queue URLs and the salt.
   */
  toolEnv: Record<string, string>;
  /** Resolves when every consumed queue is empty and no handler is running. */
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Invokes a scheduled function now with the event its EventBridge schedule sends; its result or error. */
  runScheduled(name: FunctionName): Promise<unknown>;
  /**
   * The AWS calls the functions made, by function and grant; a call outside the function's grants was
   * refused with AccessDenied, as its role would be in AWS (granted-calls.ts).
   */
  awsCalls(): AwsCall[];
  /** Stops everything; then fails if a function made a call outside its grants, though the code caught the refusal. */
  stop(): Promise<void>;
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });

/**
 * fauxqs (SQS and S3) on the loopback interface, as dynalite and the local API are: its own startFauxqs
 * listens on every interface, where anyone on the network could read the queues, put a screening message
 * no partner signed, or overwrite the local audit anchors.
 */
const startLocalSqsAndS3 = async (): Promise<{ port: number; stop: () => Promise<void> }> => {
  const app = buildFauxqs({ logger: false, defaultRegion: LOCAL_REGION });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as AddressInfo).port, stop: () => app.close() };
};

/**
 * The whole of parcelguard in one process: dynalite for DynamoDB, fauxqs for SQS, the real SDK clients
 * pointed at them through AWS_ENDPOINT_URL_*, tables and queues built from infra/definitions.ts, and
 * the same handlers Lambda runs behind a local API Gateway and local SQS event sources.
 * One stack per process: the handlers read their configuration once, at import.
 */
export const startEmbeddedStack = async (options: EmbeddedStackOptions = {}): Promise<EmbeddedStack> => {
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await listen(dynamo);
  const fauxqs = await startLocalSqsAndS3();
  const proxies: FaultProxy[] = options.faults
    ? await Promise.all([
        startFaultProxy(`http://127.0.0.1:${dynamoPort}`, options.faults),
        startFaultProxy(`http://127.0.0.1:${fauxqs.port}`, options.faults),
      ])
    : [];

  const prefix = 'parcelguard-local';
  const tables = Object.fromEntries(Object.keys(TABLES).map((name) => [name, `${prefix}-${name}`])) as Record<
    TableName,
    string
  >;

  const buckets = Object.fromEntries(
    Object.keys(BUCKETS).map((name) => [name, `${prefix}-${name.toLowerCase()}`]),
  ) as Record<BucketName, string>;

  const toolEnv: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: proxies[0]?.url ?? `http://127.0.0.1:${dynamoPort}`,
    AWS_ENDPOINT_URL_SQS: proxies[1]?.url ?? `http://127.0.0.1:${fauxqs.port}`,
    // fauxqs serves S3 too (no object lock there: anchors can be overwritten locally, never in AWS).
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${fauxqs.port}`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [SECRETS.partyKeySalt.env]: LOCAL_PARTY_KEY_SALT,
    ...Object.fromEntries(
      Object.entries(TABLES).map(([name, table]) => [table.env, tables[name as TableName]]),
    ),
    ...Object.fromEntries(
      Object.entries(BUCKETS).map(([name, bucket]) => [bucket.env, buckets[name as BucketName]]),
    ),
  };
  Object.assign(process.env, toolEnv, {
    LOG_LEVEL: options.logLevel ?? 'warn',
    RULES_DIR: options.rulesDir ?? resolve(REPO_ROOT, 'rules/default'),
    OFFICES_FILE: resolve(REPO_ROOT, 'rules/reference/offices.yaml'),
    // Partners' callbacks on the embedded stack are loopback receivers (`npm run partner` accepts them
    // there because its endpoint is this machine, not from this flag, which stays out of the env file).
    REFERRAL_ALLOW_HTTP: 'true',
    SHARING_AGREEMENTS_FILE: resolve(REPO_ROOT, 'rules/sharing/agreements.yaml'),
    CONSOLE_ASSETS_DIR: resolve(REPO_ROOT, 'functions/console/assets'),
  });

  // The console's configuration is read at import, before the API's port is known: the authorization
  // server learns the console's address (its redirect URI) once the API listens.
  let consoleUrl: string | undefined;
  const authorizationServer: DevAuthorizationServer | undefined =
    options.staffSignIn === true
      ? await startDevAuthorizationServer({
          idTokenTtlSeconds: options.staffIdTokenTtlSeconds,
          redirectUri: () => {
            if (consoleUrl === undefined) throw new Error('the API is not listening yet');
            return consoleUrl;
          },
        })
      : undefined;
  if (authorizationServer !== undefined) {
    Object.assign(process.env, {
      STAFF_SIGN_IN_URL: authorizationServer.url,
      STAFF_CLIENT_ID: authorizationServer.clientId,
    });
  } else {
    // Not an earlier stack's (stopped) authorization server, in a process that started one before.
    delete process.env.STAFF_SIGN_IN_URL;
    delete process.env.STAFF_CLIENT_ID;
  }

  const rawDynamo = new DynamoDBClient({});
  const db = DynamoDBDocumentClient.from(rawDynamo, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const s3 = new S3Client({ forcePathStyle: true });
  for (const bucket of Object.values(buckets)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));

  await Promise.all(
    (Object.keys(TABLES) as TableName[]).map((name) =>
      rawDynamo.send(new CreateTableCommand(createTableInput(tables[name], TABLES[name]))),
    ),
  );

  const queues = {} as Record<QueueName, QueueHandle>;
  for (const [name, queue] of Object.entries(QUEUES) as [QueueName, (typeof QUEUES)[QueueName]][]) {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${name}-dlq` }));
    const dlqArn = await queueArn(sqs, dlq.QueueUrl!);
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-${name}`,
        Attributes: {
          VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? queue.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: options.maxReceiveCount ?? queue.maxReceiveCount,
          }),
        },
      }),
    );
    queues[name] = {
      url: created.QueueUrl!,
      arn: await queueArn(sqs, created.QueueUrl!),
      dlqUrl: dlq.QueueUrl!,
    };
    toolEnv[queue.env] = created.QueueUrl!;
    process.env[queue.env] = created.QueueUrl!;
  }
  Object.assign(process.env, options.env ?? {});
  // For the check the tests run the operator tools under (test/support/tool-role-check.ts): the stack's
  // own names, not the tool's settings, which a test may point elsewhere.
  const resources: LocalResources = { tables, queues, buckets };
  process.env[LOCAL_RESOURCES_VARIABLE] = JSON.stringify(resources);

  const partners = loadDevPartners();
  await Promise.all(
    partners.map((partner) => db.send(new PutCommand({ TableName: tables.partners, Item: partner }))),
  );

  // The functions' own clients (functions/platform/clients.ts) refuse what their roles are not granted.
  const grantCheck = new GrantCheck(resources);
  grantCheck.attachToPlatformClients(SDK_REQUEST_HANDLER, toolEnv.AWS_ENDPOINT_URL_S3);
  const handlers = new Map<FunctionName, unknown>();
  for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
    const module = (await loadInRoleOf(
      name,
      () => import(pathToFileURL(resolve(REPO_ROOT, FUNCTIONS[name].entry)).href),
    )) as {
      handler: (...args: unknown[]) => unknown;
    };
    handlers.set(name, inRoleOf(name, module.handler));
  }
  const timeoutOf = (name: FunctionName): number =>
    options.functionTimeoutSeconds?.[name] ?? FUNCTIONS[name].timeoutSeconds;
  const contextFor = (name: FunctionName) => () => makeLambdaContext(name, timeoutOf(name));

  const jwtAuthorizer = await makeLocalJwtAuthorizer();
  const { server, url: apiUrl } = await startHttpServer(
    [
      ...ROUTES.map((route) => ({
        method: route.method,
        path: route.path,
        handler: handlers.get(route.functionName) as never,
        context: contextFor(route.functionName),
        ...(route.auth === 'staff' ? { authorize: jwtAuthorizer } : {}),
      })),
      {
        method: 'ANY',
        path: DEFAULT_ROUTE,
        handler: handlers.get('noRoute') as never,
        context: contextFor('noRoute'),
      },
    ],
    options.port ?? 0,
  );
  consoleUrl = `${apiUrl}/console`;

  const pollers: SqsPoller[] = [];
  for (const name of Object.keys(QUEUES) as QueueName[]) {
    const consumer = consumerOf(name);
    const settings = (QUEUES[name] as QueueDefinition).consumer;
    if (!consumer || !settings) continue;
    const visibilityTimeoutSeconds =
      options.visibilityTimeoutSeconds ?? QUEUES[name].visibilityTimeoutSeconds;
    const poller = new SqsPoller({
      sqs,
      queueUrl: queues[name].url,
      queueArn: queues[name].arn,
      handler: handlers.get(consumer) as SqsHandler,
      context: contextFor(consumer),
      batchSize: settings.batchSize,
      visibilityTimeoutSeconds,
      concurrency: eventSourceConcurrency(
        settings,
        visibilityTimeoutSeconds,
        timeoutOf(consumer),
        options.maxConcurrency,
      ),
      // What Lambda logs of a failed invocation ("Task timed out", a thrown error) and what the event
      // source mapping meets: in AWS it also counts in the function's Errors, which its alarm watches.
      onError: (error) =>
        console.error(
          `${consumer} on the ${name} queue failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
    poller.start();
    pollers.push(poller);
  }
  const consumed = (Object.keys(QUEUES) as QueueName[]).filter((name) => consumerOf(name) !== undefined);

  const runScheduled = async (name: FunctionName): Promise<unknown> => {
    if (!scheduledFunctions().some((scheduled) => scheduled.name === name))
      throw new Error(`function ${name} has no schedule`);
    const handler = handlers.get(name) as (event: ScheduledEvent, context: Context) => Promise<unknown>;
    const context = contextFor(name)();
    return invokeWithinDeadline(context, () =>
      handler(scheduledEvent(`${name}-schedule`, LOCAL_REGION), context),
    );
  };
  const timers = (options.schedules === true ? scheduledFunctions() : []).map(({ name, everyMinutes }) =>
    setInterval(
      // As in Lambda, a failed run is reported and the next tick is the retry.
      () =>
        void runScheduled(name).catch((error: unknown) =>
          console.error(
            `scheduled ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
        ),
      everyMinutes * 60_000,
    ).unref(),
  );

  const waitForIdle = async (timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    let quietRounds = 0;
    while (quietRounds < 2) {
      if (Date.now() > deadline) throw new Error(`embedded stack still busy after ${timeoutMs} ms`);
      const counts = await Promise.all(
        consumed.map(async (name) => {
          return messagesOn(sqs, queues[name].url, [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
          ]);
        }),
      );
      const idle = counts.every((count) => count === 0) && pollers.every((poller) => !poller.busy);
      quietRounds = idle ? quietRounds + 1 : 0;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  };

  const stop = async (): Promise<void> => {
    for (const timer of timers) clearInterval(timer);
    await Promise.all(pollers.map((poller) => poller.stop()));
    await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    await authorizationServer?.stop();
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await fauxqs.stop();
    await new Promise<void>((resolveClose) => dynamo.close(() => resolveClose()));
    rawDynamo.destroy();
    sqs.destroy();
    s3.destroy();
    grantCheck.release();
    // A refusal the code caught and logged (a list refresh, a shadow load) fails the run all the same.
    const refused = refusedCallsError(grantCheck.calls());
    if (refused !== undefined) throw refused;
  };

  return {
    apiUrl,
    ...(authorizationServer === undefined ? {} : { staffSignInUrl: authorizationServer.url }),
    tables,
    queues,
    buckets,
    db,
    sqs,
    s3,
    partners,
    partyKeySalt: LOCAL_PARTY_KEY_SALT,
    toolEnv,
    waitForIdle,
    runScheduled,
    awsCalls: () => grantCheck.calls(),
    stop,
  };
};

/** The counts SQS keeps of a queue's messages: visible, in flight (received, not deleted), delayed. */
type MessageCount =
  | 'ApproximateNumberOfMessages'
  | 'ApproximateNumberOfMessagesNotVisible'
  | 'ApproximateNumberOfMessagesDelayed';

/** The messages on a queue in the counts asked for, summed, as SQS counts them: nothing is received. */
export const messagesOn = async (
  sqs: SQSClient,
  queueUrl: string,
  counts: readonly MessageCount[],
): Promise<number> => {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...counts] }),
  );
  return counts.reduce((sum, count) => sum + Number(attributes[count] ?? 0), 0);
};

const queueArn = async (sqs: SQSClient, queueUrl: string): Promise<string> => {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return attributes.Attributes!.QueueArn!;
};
