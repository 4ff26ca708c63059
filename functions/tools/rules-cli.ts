import { runRulesCli } from './rules/cli.js';
import { endQuietlyWhenOutputCloses } from './tool-process.js';

/** `npm run rules -- <command>`: its commands, usage and exit codes are in rules/cli.ts. */

endQuietlyWhenOutputCloses();
process.exitCode = await runRulesCli(process.argv.slice(2));
