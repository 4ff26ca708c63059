import { resolve } from 'node:path';
import {
  BUCKETS,
  type BucketName,
  QUEUES,
  type QueueName,
  SECRETS,
  TABLES,
  type TableName,
} from '../../infra/definitions.js';
import type { EmulatorEndpoints } from './emulators.js';
import { REPO_ROOT } from './repo-root.js';
import type { QueueHandle } from './stack-resources.js';

/*
 * The variables the embedded stack gives the functions and the operator tools, as values: embedded-stack.ts
 * is the one place that writes them into the process's environment (test/unit/architecture.test.ts).
 */

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_PARTY_KEY_SALT = 'local-development-salt-not-for-production';

/**
 * What the operator tools need to work on the stack from another process (region, dummy credentials,
 * endpoints, the salt, table and bucket names), and what the functions need of the same. Queue URLs come
 * later, once the queues exist (queueUrlEnvironment).
 */
export const toolEnvironment = (
  endpoints: EmulatorEndpoints,
  tables: Record<TableName, string>,
  buckets: Record<BucketName, string>,
): Record<string, string> => ({
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_SQS: endpoints.sqs,
  AWS_ENDPOINT_URL_S3: endpoints.s3,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  [SECRETS.partyKeySalt.env]: LOCAL_PARTY_KEY_SALT,
  ...Object.fromEntries(
    Object.entries(TABLES).map(([name, table]) => [table.env, tables[name as TableName]]),
  ),
  ...Object.fromEntries(
    Object.entries(BUCKETS).map(([name, bucket]) => [bucket.env, buckets[name as BucketName]]),
  ),
});

/** The functions' own settings: log level, rule set, reference files and the console's assets. */
export const functionSettings = (options: {
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  rulesDir?: string;
}): Record<string, string> => ({
  LOG_LEVEL: options.logLevel ?? 'warn',
  RULES_DIR: options.rulesDir ?? resolve(REPO_ROOT, 'rules/default'),
  OFFICES_FILE: resolve(REPO_ROOT, 'rules/reference/offices.yaml'),
  // Partners' callbacks on the embedded stack are loopback receivers (`npm run partner` accepts them
  // there because its endpoint is this machine, not from this flag, which stays out of the env file).
  REFERRAL_ALLOW_HTTP: 'true',
  SHARING_AGREEMENTS_FILE: resolve(REPO_ROOT, 'rules/sharing/agreements.yaml'),
  CONSOLE_ASSETS_DIR: resolve(REPO_ROOT, 'functions/console/assets'),
});

/** Each queue's URL under its variable, in the order of infra/definitions.ts. */
export const queueUrlEnvironment = (queues: Record<QueueName, QueueHandle>): Record<string, string> =>
  Object.fromEntries(
    (Object.entries(QUEUES) as [QueueName, (typeof QUEUES)[QueueName]][]).map(([name, queue]) => [
      queue.env,
      queues[name].url,
    ]),
  );
