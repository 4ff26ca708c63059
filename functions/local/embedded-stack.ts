import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BucketName, FunctionName, QueueName, TableName } from '../../infra/definitions.js';
import { SDK_REQUEST_HANDLER } from '../platform/clients.js';
import { type DevAuthorizationServer, startDevAuthorizationServer } from './dev-issuer.js';
import { type DevPartner, seedDevPartners } from './dev-partners.js';
import { startEmulators } from './emulators.js';
import { startEventSources, waitForEventSourcesIdle } from './event-sources.js';
import type { FaultPlan } from './fault-proxy.js';
import { type AwsCall, GrantCheck, refusedCallsError } from './granted-calls.js';
import { LOCAL_RESOURCES_VARIABLE, type LocalResources } from './grants-needed.js';
import { startLocalApi } from './local-api.js';
import { loadFunctions } from './local-functions.js';
import { REPO_ROOT } from './repo-root.js';
import { makeScheduledRunner, startScheduleTimers } from './scheduled-runs.js';
import { makeStackClients } from './stack-clients.js';
import {
  functionSettings,
  LOCAL_PARTY_KEY_SALT,
  queueUrlEnvironment,
  toolEnvironment,
} from './stack-environment.js';
import { createResources, localResourceNames, type QueueHandle } from './stack-resources.js';
import { startInParts } from './started-parts.js';

export { type DevPartner, loadDevPartners } from './dev-partners.js';
export { eventSourceConcurrency, LOCAL_MAX_CONCURRENCY } from './event-sources.js';
export { messagesOn, type QueueHandle } from './stack-resources.js';
export { REPO_ROOT };

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

/**
 * Plays Cognito's managed login when asked (`staffSignIn`), and tells the console where to sign staff in.
 * `consoleUrl` is the authorization server's redirect URI, known only once the API listens.
 */
const startStaffSignIn = async (
  options: EmbeddedStackOptions,
  consoleUrl: () => string | undefined,
): Promise<DevAuthorizationServer | undefined> => {
  if (options.staffSignIn !== true) {
    // Not an earlier stack's (stopped) authorization server, in a process that started one before.
    delete process.env.STAFF_SIGN_IN_URL;
    delete process.env.STAFF_CLIENT_ID;
    return undefined;
  }
  const authorizationServer = await startDevAuthorizationServer({
    idTokenTtlSeconds: options.staffIdTokenTtlSeconds,
    redirectUri: () => {
      const url = consoleUrl();
      if (url === undefined) throw new Error('the API is not listening yet');
      return url;
    },
  });
  Object.assign(process.env, {
    STAFF_SIGN_IN_URL: authorizationServer.url,
    STAFF_CLIENT_ID: authorizationServer.clientId,
  });
  return authorizationServer;
};

/**
 * The whole of parcelguard in one process: dynalite for DynamoDB, fauxqs for SQS, the real SDK clients
 * pointed at them through AWS_ENDPOINT_URL_*, tables and queues built from infra/definitions.ts, and
 * the same handlers Lambda runs behind a local API Gateway and local SQS event sources.
 * One stack per process: the handlers read their configuration once, at import, so every variable is
 * set (here, the one place in functions/ that writes the environment) before loadFunctions.
 */
export const startEmbeddedStack = (options: EmbeddedStackOptions = {}): Promise<EmbeddedStack> =>
  startInParts(async (parts) => {
    const emulators = await startEmulators(options.faults);
    parts.add(() => emulators.stop());
    const { tables, buckets } = localResourceNames();
    const toolEnv = toolEnvironment(emulators.endpoints, tables, buckets);
    Object.assign(process.env, toolEnv, functionSettings(options));

    // The console's configuration is read at import, before the API's port is known: the authorization
    // server learns the console's address (its redirect URI) once the API listens.
    let consoleUrl: string | undefined;
    const authorizationServer = await startStaffSignIn(options, () => consoleUrl);
    if (authorizationServer !== undefined) parts.add(() => authorizationServer.stop());

    const clients = makeStackClients();
    parts.add(() => clients.destroy());
    const queues = await createResources(clients, { tables, buckets }, options);
    const queueUrls = queueUrlEnvironment(queues);
    Object.assign(toolEnv, queueUrls);
    Object.assign(process.env, queueUrls, options.env ?? {});
    // For the check the tests run the operator tools under (test/support/tool-role-check.ts): the stack's
    // own names, not the tool's settings, which a test may point elsewhere.
    const resources: LocalResources = { tables, queues, buckets };
    process.env[LOCAL_RESOURCES_VARIABLE] = JSON.stringify(resources);

    const partners = await seedDevPartners(clients.db, tables.partners);

    // The functions' own clients (functions/platform/clients.ts) refuse what their roles are not granted.
    const grantCheck = new GrantCheck(resources);
    grantCheck.attachToPlatformClients(SDK_REQUEST_HANDLER, toolEnv.AWS_ENDPOINT_URL_S3);
    parts.add(() => grantCheck.release());
    const functions = await loadFunctions(options.functionTimeoutSeconds);

    const api = await startLocalApi(functions, options.port ?? 0);
    parts.add(() => api.stop());
    consoleUrl = `${api.url}/console`;
    const pollers = startEventSources(clients.sqs, queues, functions, options);
    parts.add(() => Promise.all(pollers.map((poller) => poller.stop())));
    const runScheduled = makeScheduledRunner(functions);
    const timers = options.schedules === true ? startScheduleTimers(runScheduled) : [];
    parts.add(() => {
      for (const timer of timers) clearInterval(timer);
    });

    // One stop, however often asked (a SIGINT then a SIGTERM): each caller waits for all of it.
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= parts.stopAll().then(() => {
        // A refusal the code caught and logged (a list refresh, a shadow load) fails the run all the same.
        const refused = refusedCallsError(grantCheck.calls());
        if (refused !== undefined) throw refused;
      }));

    return {
      apiUrl: api.url,
      ...(authorizationServer === undefined ? {} : { staffSignInUrl: authorizationServer.url }),
      tables,
      queues,
      buckets,
      db: clients.db,
      sqs: clients.sqs,
      s3: clients.s3,
      partners,
      partyKeySalt: LOCAL_PARTY_KEY_SALT,
      toolEnv,
      waitForIdle: (timeoutMs) => waitForEventSourcesIdle(clients.sqs, queues, pollers, timeoutMs),
      runScheduled,
      awsCalls: () => grantCheck.calls(),
      stop,
    };
  });
