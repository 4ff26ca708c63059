/**
 * What every command-line entry (the operator tools, `npm run demo`, `npm start`, `npm run token`) does
 * as a process, the same way.
 */

/** How a shell reports a process that a closed pipe stopped (128 + SIGPIPE). */
export const OUTPUT_CLOSED_EXIT = 141;

/**
 * Output piped into a reader that stops early (`npm run demo | head`) stops the process at its next
 * write, as `| head` expects, quietly instead of with an unhandled EPIPE and its stack trace: with the
 * exit code the run had already set, or 141 as the shell reports a process a closed pipe stopped, not
 * 0, since the run did not finish (a demo stopped so never checked its AWS calls against their grants).
 */
export const endQuietlyWhenOutputCloses = (): void => {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? OUTPUT_CLOSED_EXIT);
    throw error;
  });
};

/**
 * Runs a tool's command on the arguments the process was started with, as its entry does: the exit
 * code the command returns, and output closed early handled as above.
 */
export const runAsTool = async (command: (argv: string[]) => Promise<number>): Promise<void> => {
  endQuietlyWhenOutputCloses();
  process.exitCode = await command(process.argv.slice(2));
};

/** `--help` or `-h` before any `--`: the tool prints its usage on stdout and exits 0. */
export const asksForHelp = (argv: readonly string[]): boolean => {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
};
