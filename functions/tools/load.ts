import { parseArgs } from 'node:util';
import {
  DEFAULT_LOAD,
  type LoadOptions,
  LoadOptionsError,
  loadSucceeded,
  runLoad,
} from '../local/load-test.js';

/**
 * `npm run load -- [--manifests 200] [--parcels 100] [--concurrency 32] [--timeout-seconds 1200]`:
 * posts signed manifests concurrently to an embedded stack started for the run (loopback only) and
 * prints accepted, screened, flagged, lost, duplicated and throughput as JSON.
 * Exit codes: 0 nothing lost or counted twice, 1 otherwise (or timed out), 2 wrong usage.
 */

const USAGE = 'usage: npm run load -- [--manifests N] [--parcels N] [--concurrency N] [--timeout-seconds N]';

const main = async (): Promise<number> => {
  let options: LoadOptions;
  try {
    const { values } = parseArgs({
      options: {
        manifests: { type: 'string', default: String(DEFAULT_LOAD.manifests) },
        parcels: { type: 'string', default: String(DEFAULT_LOAD.parcelsPerManifest) },
        concurrency: { type: 'string', default: String(DEFAULT_LOAD.concurrency) },
        'timeout-seconds': { type: 'string', default: String(DEFAULT_LOAD.timeoutSeconds) },
      },
      strict: true,
    });
    options = {
      manifests: Number(values.manifests),
      parcelsPerManifest: Number(values.parcels),
      concurrency: Number(values.concurrency),
      timeoutSeconds: Number(values['timeout-seconds']),
      log: (line) => process.stderr.write(`${line}\n`),
    };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const report = await runLoad(options);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return loadSucceeded(report) ? 0 : 1;
  } catch (error) {
    if (error instanceof LoadOptionsError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
};

process.exitCode = await main();
