import { runRulesCli } from './rules/cli.js';
import { runAsTool } from './tool-process.js';

/** `npm run rules -- <command>`: its commands, usage and exit codes are in rules/cli.ts. */

await runAsTool(runRulesCli);
