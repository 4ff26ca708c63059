import { describe, expect, it } from 'vitest';
import { loadSucceeded, runLoad } from '../../functions/local/load-test.js';
import { runTool } from '../support/cli.js';

describe('the load run (npm run load)', () => {
  it('screens every parcel of concurrently posted manifests exactly once at a small size', async () => {
    // Act
    const report = await runLoad({
      manifests: 10,
      parcelsPerManifest: 20,
      concurrency: 8,
      timeoutSeconds: 60,
    });
    // Assess
    expect(report).toMatchObject({
      manifests: 10,
      accepted: 200,
      rejectedManifests: 0,
      screened: 200,
      lost: 0,
      duplicated: 0,
      miscounted: 0,
      timedOut: false,
    });
    expect(report.flagged).toBeGreaterThan(0);
    expect(report.flagged).toBeLessThan(200);
    expect(report.parcelsPerSecond).toBeGreaterThan(0);
    expect(loadSucceeded(report)).toBe(true);
  }, 90_000);

  it.each(['100000', 'abc'])(
    'refuses --manifests %s before starting or announcing anything',
    async (count) => {
      // Act
      const run = await runTool('functions/tools/load.ts', ['--manifests', count]);
      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^manifests must be 1\.\.2000\nusage: npm run load -- /);
    },
  );

  it('judges a run with a lost or double-counted parcel a failure', () => {
    // Prepare
    const good = {
      manifests: 1,
      accepted: 1,
      rejectedManifests: 0,
      screened: 1,
      flagged: 0,
      lost: 0,
      duplicated: 0,
      miscounted: 0,
      timedOut: false,
      seconds: 1,
      parcelsPerSecond: 1,
    };
    // Act / Assess
    expect(loadSucceeded(good)).toBe(true);
    expect(loadSucceeded({ ...good, lost: 1 })).toBe(false);
    expect(loadSucceeded({ ...good, duplicated: 1 })).toBe(false);
    expect(loadSucceeded({ ...good, timedOut: true })).toBe(false);
  });
});
