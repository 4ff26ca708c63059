import { relative } from 'node:path';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { TOOLS, type ToolDefinition, type ToolName } from '../../infra/definitions.js';

/**
 * Loaded into every operator tool the tests start (cli.ts): the tool's AWS calls are checked against the
 * grants of its managed policy (tool-grant-check.ts), as the embedded stack checks the functions' against
 * their roles. A call outside them fails with AccessDenied, as in AWS; one on a resource of the stack then
 * makes the tool exit 70 naming it, even if the tool caught the refusal.
 */
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
  const { checkToolCalls, REFUSED_CALL_EXIT } = await import('./tool-grant-check.js');
  const check = checkToolCalls(tool);
  process.on('exit', () => {
    const refused = check.refusedOnStack();
    if (refused === undefined) return;
    process.stderr.write(`${refused.message}\n`);
    process.exitCode = REFUSED_CALL_EXIT;
  });
}
