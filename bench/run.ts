import { cpus } from 'node:os';
import { loadSucceeded, runLoad } from '../functions/local/load-test.js';
import { runEngineBenchmark } from './engine.bench.js';

/** Runs every benchmark in turn (`npm run bench`); exits non-zero when one fails its correctness check. */

interface Benchmark {
  name: string;
  run: (log: (line: string) => void) => Promise<boolean>;
}

const BENCHMARKS: Benchmark[] = [
  {
    name: 'rule engine',
    run: (log) =>
      runEngineBenchmark({
        parcels: 100_000,
        seed: 20261127,
        rounds: 2,
        chunk: 5_000,
        slowSampleEvery: 10,
        ruleSetDirectory: 'rules/default',
        log,
      }),
  },
  {
    // The pipeline end to end on the embedded stack: its throughput is bounded by the emulators, so
    // this measures that nothing is lost or counted twice under concurrent load, and the cost per parcel.
    name: 'pipeline under load (embedded stack)',
    run: async (log) => {
      const report = await runLoad({
        manifests: 20,
        parcelsPerManifest: 50,
        concurrency: 8,
        timeoutSeconds: 300,
      });
      log(JSON.stringify(report));
      return loadSucceeded(report);
    },
  },
];

const log = (line: string) => process.stdout.write(`${line}\n`);

log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString()}`,
);
let failed = 0;
for (const benchmark of BENCHMARKS) {
  log(`\n== ${benchmark.name} ==`);
  const started = Date.now();
  const ok = await benchmark.run(log);
  log(`${benchmark.name}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!ok) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
