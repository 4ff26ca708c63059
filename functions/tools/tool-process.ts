/**
 * What every command-line entry (the operator tools, `npm run demo`, `npm start`, `npm run token`) does
 * as a process, the same way.
 */

/**
 * Output piped into a reader that stops early (`npm run demo | head`) is not an error: a write to the
 * closed pipe ends the process quietly, with the exit code it had set, instead of an unhandled EPIPE
 * and its stack trace.
 */
export const endQuietlyWhenOutputCloses = (): void => {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
};

/** `--help` or `-h` before any `--`: the tool prints its usage on stdout and exits 0. */
export const asksForHelp = (argv: readonly string[]): boolean => {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
};
