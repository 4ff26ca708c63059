import {
  DEFAULT_LOAD,
  type LoadOptions,
  LoadOptionsError,
  loadSucceeded,
  runLoad,
} from '../local/load-test.js';
import { parseToolArgs, positiveWholeNumber } from './arguments.js';
import { asksForHelp, runAsTool } from './tool-process.js';

/**
 * `npm run load -- [--manifests 50] [--parcels 100] [--concurrency 8] [--timeout-seconds 1200]`:
 * posts signed manifests concurrently to an embedded stack started for the run (loopback only), as
 * partners do, and prints the report (LoadReport: accepted, screened, flagged, dead-lettered, lost,
 * duplicated, miscounted, throughput...) as JSON on stdout, and only that: progress, the stack's log
 * lines and what a failed run's numbers mean go to stderr.
 * Exit codes: 0 every manifest accepted and every parcel screened once, nothing lost, counted twice or
 * dead-lettered; 1 otherwise (or timed out); 2 wrong usage.
 */

const USAGE = 'usage: npm run load -- [--manifests N] [--parcels N] [--concurrency N] [--timeout-seconds N]';

// stdout carries the report alone. runLoad sends what the stack writes there to stderr while it runs
// (for the benchmark too); this covers the whole process, so a line logged by a handler still running
// as the stack stops, after runLoad has returned, cannot land in the report either.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const main = async (argv: string[]): Promise<number> => {
  if (asksForHelp(argv)) {
    writeStdout(`${USAGE}\n`);
    return 0;
  }
  let options: LoadOptions;
  try {
    const { values } = parseToolArgs({
      args: argv,
      options: {
        manifests: { type: 'string', default: String(DEFAULT_LOAD.manifests) },
        parcels: { type: 'string', default: String(DEFAULT_LOAD.parcelsPerManifest) },
        concurrency: { type: 'string', default: String(DEFAULT_LOAD.concurrency) },
        'timeout-seconds': { type: 'string', default: String(DEFAULT_LOAD.timeoutSeconds) },
      },
      strict: true,
    });
    const whole = (name: keyof typeof values): number => {
      const value = positiveWholeNumber(values[name]!);
      if (value === undefined) throw new Error(`--${name} must be a whole number written in digits, from 1`);
      return value;
    };
    options = {
      manifests: whole('manifests'),
      parcelsPerManifest: whole('parcels'),
      concurrency: whole('concurrency'),
      timeoutSeconds: whole('timeout-seconds'),
      log: (line) => process.stderr.write(`${line}\n`),
    };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const report = await runLoad(options);
    writeStdout(`${JSON.stringify(report, null, 2)}\n`);
    return loadSucceeded(report) ? 0 : 1;
  } catch (error) {
    if (error instanceof LoadOptionsError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
};

await runAsTool(main);
