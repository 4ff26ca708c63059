import { relative } from 'node:path';
import type { LocalResources } from '../../functions/local/granted-calls.js';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import {
  BUCKETS,
  QUEUES,
  TABLES,
  TOOLS,
  type ToolDefinition,
  type ToolName,
} from '../../infra/definitions.js';

/**
 * Loaded into every operator tool the tests start (cli.ts): the tool's AWS calls are checked against the
 * grants of its managed policy (TOOLS in infra/definitions.ts, infra/grants.ts), as the embedded stack
 * checks the functions' against their roles. A call outside them fails with AccessDenied, as in AWS, and
 * the tool then exits 70 naming it, even if it caught the refusal.
 */

/** Exit code of a tool that made a call its policy does not grant (EX_SOFTWARE). */
export const REFUSED_CALL_EXIT = 70;

const script = relative(REPO_ROOT, process.argv[1] ?? '')
  .split('\\')
  .join('/');
const tool = (Object.keys(TOOLS) as ToolName[]).find((name) => TOOLS[name].entry === script);
const awsCommands: readonly string[] | undefined =
  tool === undefined ? undefined : (TOOLS[tool] as ToolDefinition).awsCommands;

/** The stack's resources as the tool's environment names them (the embedded stack's `toolEnv`). */
const resourcesFromEnvironment = (): LocalResources => {
  const env = process.env;
  const named = <K extends string>(
    definitions: Record<K, { env: string }>,
    read: (value: string) => unknown,
  ) =>
    Object.fromEntries(
      (Object.entries(definitions) as [K, { env: string }][]).map(([name, { env: variable }]) => [
        name,
        read(env[variable] ?? `(${variable} not set)`),
      ]),
    );
  return {
    tables: named(TABLES, (table) => table),
    // The embedded stack names each queue's dead-letter queue after it (embedded-stack.ts).
    queues: named(QUEUES, (url) => ({ url, dlqUrl: `${url}-dlq` })),
    buckets: named(BUCKETS, (bucket) => bucket),
  } as LocalResources;
};

// A command that works on files only (rules -- validate) does not load the SDK for nothing.
if (tool !== undefined && (awsCommands === undefined || awsCommands.includes(process.argv[2] ?? ''))) {
  const { GrantCheck, refusedCallsError } = await import('../../functions/local/granted-calls.js');
  const { getDocumentClient, getS3Client, getSqsClient, TOOL_REQUEST_HANDLER } = await import(
    '../../functions/platform/clients.js'
  );
  const { toolGrantsOf } = await import('../../infra/grants.js');
  const check = new GrantCheck(resourcesFromEnvironment(), (role) => toolGrantsOf(role as ToolName));
  check.attach(getDocumentClient(TOOL_REQUEST_HANDLER), 'dynamodb', tool);
  check.attach(getSqsClient(TOOL_REQUEST_HANDLER), 'sqs', tool);
  check.attach(getS3Client(TOOL_REQUEST_HANDLER, process.env.AWS_ENDPOINT_URL_S3), 's3', tool);
  process.on('exit', () => {
    const refused = refusedCallsError(check.calls());
    if (refused === undefined) return;
    process.stderr.write(`${refused.message}\n`);
    process.exitCode = REFUSED_CALL_EXIT;
  });
}
