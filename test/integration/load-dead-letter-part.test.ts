import { describe, expect, it } from 'vitest';
import { dynamoDbError, FaultPlan } from '../../functions/local/fault-proxy.js';
import { loadSucceeded, runLoad } from '../../functions/local/load-test.js';

/** The embedded stack's table names are fixed (one stack per process, so one load run per file). */
const TABLE = (name: string) => `parcelguard-local-${name}`;

describe('the load run, when one part of a manifest dead-letters', () => {
  it('counts the history of a manifest whose other part dead-lettered as waiting for it, not as miscounted', async () => {
    // Prepare: one manifest of 30 parcels, screened in two parts (25 and 5); the second part's
    // screenings always fail before deciding, so it dead-letters, and the first part, which does not
    // complete the manifest, leaves the party history of its 25 parcels to the part that would
    const faults = new FaultPlan();
    faults.inject({
      operation: 'BatchGetItem',
      resource: TABLE('decisions'),
      when: (request) => JSON.stringify(request.body.RequestItems ?? {}).includes('-0029'),
      times: Number.POSITIVE_INFINITY,
      fault: dynamoDbError('ValidationException'),
    });
    // Act
    const report = await runLoad({
      manifests: 1,
      parcelsPerManifest: 30,
      concurrency: 1,
      timeoutSeconds: 30,
      stack: { faults, visibilityTimeoutSeconds: 1, maxReceiveCount: 2 },
    });
    // Assess
    expect(report).toMatchObject({
      accepted: 30,
      screened: 25,
      deadLetteredParcels: 5,
      lost: 0,
      miscounted: 0,
    });
    expect(report.pendingEffects).toBeGreaterThan(0);
    expect(loadSucceeded(report)).toBe(false);
  }, 60_000);
});
