import { describe, expect, it } from 'vitest';
import { FaultPlan } from '../../functions/local/fault-proxy.js';
import { loadSucceeded, runLoad } from '../../functions/local/load-test.js';
import { keyAttribute } from '../support/faulty-stack.js';
import { NOTHING_WRONG } from '../support/load-report.js';

/** The embedded stack's manifests table (its names are fixed: one stack per process). */
const MANIFESTS_TABLE = 'parcelguard-local-manifests';

/** The load run names its manifests `LOAD-<run>-<index, 5 digits>`: the second one. */
const SECOND = /^LOAD-[0-9A-Z]+-00001$/;

describe('the load run, when ingest runs out of time', () => {
  it('keeps delivering a manifest whose attempts time out, even after it was handed over, and counts it accepted once', async () => {
    // Prepare: ingest has one second. The second manifest's first delivery hands it over, then runs out
    // of time marking it queued (API Gateway answers 500; the marking finishes in the background); its
    // next three deliveries run out of time storing the manifest's record (1.2 s: over the second, under
    // an SDK attempt's 1.5 s). The fifth is answered 202, as the partner's retries of the same bytes go on.
    const faults = new FaultPlan();
    const lateQueued = faults.inject({
      operation: 'UpdateItem',
      resource: MANIFESTS_TABLE,
      when: (request) =>
        SECOND.test((keyAttribute(request, 'pk') ?? '').split('#')[1] ?? '') &&
        JSON.stringify(request.body.ExpressionAttributeValues ?? {}).includes('"queued"'),
      times: 1,
      fault: { kind: 'delay', ms: 1_200 },
    });
    const slowRecord = faults.inject({
      operation: 'PutItem',
      resource: MANIFESTS_TABLE,
      when: (request) => SECOND.test(keyAttribute(request, 'manifestId') ?? ''),
      skip: 1,
      times: 3,
      fault: { kind: 'delay', ms: 1_200 },
    });
    // Act
    const report = await runLoad({
      manifests: 3,
      parcelsPerManifest: 5,
      concurrency: 3,
      timeoutSeconds: 45,
      stack: { faults, functionTimeoutSeconds: { ingest: 1 } },
    });
    // Assess: each parcel accepted and screened once, after five deliveries of it (the first handed it over)
    expect(report).toMatchObject({ manifests: 3, accepted: 15, screened: 15, ...NOTHING_WRONG });
    expect(report.flagged).toBeLessThanOrEqual(report.screened);
    expect(loadSucceeded(report)).toBe(true);
    expect([lateQueued.injected, slowRecord.injected]).toEqual([1, 3]);
    expect(slowRecord.matched).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
