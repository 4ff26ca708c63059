import { relative } from 'node:path';
import {
  LOCAL_RESOURCES_VARIABLE,
  type LocalResources,
  onStackResource,
} from '../../functions/local/grants-needed.js';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { TOOLS, type ToolDefinition, type ToolName } from '../../infra/definitions.js';

/**
 * Loaded into every operator tool the tests start (cli.ts): the tool's AWS calls are checked against the
 * grants of its managed policy (TOOLS in infra/definitions.ts, infra/grants.ts), as the embedded stack
 * checks the functions' against their roles. A call outside them fails with AccessDenied, as in AWS; one
 * on a resource of the stack then makes the tool exit 70 naming it, even if the tool caught the refusal.
 */

/** Exit code of a tool that made a call its policy does not grant (EX_SOFTWARE). */
export const REFUSED_CALL_EXIT = 70;

const script = relative(REPO_ROOT, process.argv[1] ?? '')
  .split('\\')
  .join('/');
const tool = (Object.keys(TOOLS) as ToolName[]).find((name) => TOOLS[name].entry === script);

/** The tools' scripts that reach no AWS service: the load generator posts to the API, the schema export writes files. */
const WITHOUT_AWS = ['functions/tools/load.ts', 'functions/tools/export-contract-schema.ts'];
if (tool === undefined && script.startsWith('functions/tools/') && !WITHOUT_AWS.includes(script)) {
  throw new Error(`${script} is not in TOOLS (infra/definitions.ts): say what its users' policy grants`);
}

const awsCommands: readonly string[] | undefined =
  tool === undefined ? undefined : (TOOLS[tool] as ToolDefinition).awsCommands;
/** Whether the command reaches AWS, wherever options put it (`rules -- --since 2026-11-01 backtest`). */
const reachesAws =
  awsCommands === undefined || process.argv.slice(2).some((arg) => awsCommands.includes(arg));

// A command that works on files only (rules -- validate) does not load the SDK for nothing.
if (tool !== undefined && reachesAws) {
  // Without the stack's names (no stack, say, for --help), every call is to an unknown resource: refused.
  const resources = process.env[LOCAL_RESOURCES_VARIABLE] ?? '{ "tables": {}, "queues": {}, "buckets": {} }';
  const { GrantCheck, refusedCallsError } = await import('../../functions/local/granted-calls.js');
  const { TOOL_REQUEST_HANDLER } = await import('../../functions/platform/clients.js');
  const { toolGrantsOf } = await import('../../infra/grants.js');
  const check = new GrantCheck(JSON.parse(resources) as LocalResources, (role) =>
    toolGrantsOf(role as ToolName),
  );
  check.attachToPlatformClients(TOOL_REQUEST_HANDLER, process.env.AWS_ENDPOINT_URL_S3, tool);
  process.on('exit', () => {
    // A call to something not of the stack (a mistyped queue URL) is refused in AWS too, by the same
    // policy: how the tool answers that is under test. A refused call on the stack's own is a grant missing.
    const refused = refusedCallsError(check.calls().filter((call) => onStackResource(call.grant)));
    if (refused === undefined) return;
    process.stderr.write(`${refused.message}\n`);
    process.exitCode = REFUSED_CALL_EXIT;
  });
}
