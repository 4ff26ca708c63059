import { describe, expect, it } from 'vitest';
import { type LoadReport, loadSucceeded, runLoad } from '../../functions/local/load-test.js';
import { runTool } from '../support/cli.js';
import { NOTHING_WRONG } from '../support/load-report.js';

/** A run where every manifest was accepted and every parcel screened once. */
const GOOD: LoadReport = {
  manifests: 1,
  accepted: 1,
  screened: 1,
  flagged: 0,
  seconds: 1,
  parcelsPerSecond: 1,
  ...NOTHING_WRONG,
};

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
    expect(report).toMatchObject({ manifests: 10, accepted: 200, screened: 200, ...NOTHING_WRONG });
    expect(report.flagged).toBeGreaterThan(0);
    expect(report.flagged).toBeLessThan(200);
    expect(report.parcelsPerSecond).toBeGreaterThan(0);
    expect(loadSucceeded(report)).toBe(true);
  }, 90_000);

  it.each([
    ['100000', /^manifests must be 1\.\.2000\nusage: npm run load -- /],
    ['abc', /^--manifests must be a whole number written in digits, from 1\nusage: npm run load -- /],
  ])('refuses --manifests %s before starting or announcing anything', async (count, told) => {
    // Act
    const run = await runTool('functions/tools/load.ts', ['--manifests', count]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(told);
  });

  it('judges a run with a lost or double-counted parcel a failure', () => {
    // Act / Assess
    expect(loadSucceeded(GOOD)).toBe(true);
    expect(loadSucceeded({ ...GOOD, lost: 1 })).toBe(false);
    expect(loadSucceeded({ ...GOOD, duplicated: 1 })).toBe(false);
    expect(loadSucceeded({ ...GOOD, miscounted: 1 })).toBe(false);
    expect(loadSucceeded({ ...GOOD, timedOut: true })).toBe(false);
  });

  it.each([
    [
      'a dead-lettered message',
      { deadLettered: 1, deadLetterQueues: { screening: 1 }, deadLetteredParcels: 1 },
    ],
    ['an unanswered manifest', { unansweredManifests: 1 }],
    ['a manifest refused with a 4xx', { refusedManifests: 1 }],
    ['parcels stored but never handed over', { notHandedOver: 1 }],
    ['parcels still queued', { queued: 1 }],
    ['effects never finished', { pendingEffects: 1 }],
  ])('judges a run with %s a failure, though nothing is lost', (_, failure) => {
    // Act / Assess
    expect(loadSucceeded(GOOD)).toBe(true);
    expect(loadSucceeded({ ...GOOD, ...failure })).toBe(false);
  });
});
