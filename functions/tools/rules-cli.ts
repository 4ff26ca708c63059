import { runRulesCli } from './rules/cli.js';

/** `npm run rules -- <command>`: its commands, usage and exit codes are in rules/cli.ts. */

// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await runRulesCli(process.argv.slice(2));
