import { afterEach, describe, expect, it, vi } from 'vitest';
import { dynamoDbError, FaultPlan, type ProxiedRequest } from '../../functions/local/fault-proxy.js';
import { loadSucceeded, runLoad } from '../../functions/local/load-test.js';
import { keyAttribute } from '../support/faulty-stack.js';

/** The embedded stack's table names are fixed (one stack per process). */
const TABLE = (name: string) => `parcelguard-local-${name}`;

/** A screening's first read, of its parcels' decisions, for a parcel of manifest `LOAD-<run>-<index>`. */
const readsDecisionsOfManifest =
  (index: string) =>
  (request: ProxiedRequest): boolean =>
    JSON.stringify(request.body.RequestItems ?? {}).includes(`-${index}-`);

/** A review item (a decision's first effect) of a parcel of manifest `LOAD-<run>-<index>`. */
const enqueuesReviewOf =
  (index: string) =>
  (request: ProxiedRequest): boolean =>
    (keyAttribute(request, 'pk') ?? '').includes(`-${index}-`);

/** The start of manifest `LOAD-<run>-<index>`'s hand-over to screening. */
const startsHandOverOf =
  (index: string) =>
  (request: ProxiedRequest): boolean =>
    (keyAttribute(request, 'pk') ?? '').endsWith(`-${index}`) &&
    JSON.stringify(request.body.ExpressionAttributeValues ?? {}).includes('"sending"');

describe('the load run, when screenings keep failing and a manifest is never handed over', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('counts dead-lettered and unanswered apart from lost, fails the run, says why on stderr, and keeps stdout for the report', async () => {
    // Prepare: the first manifest's screenings always fail before deciding; the second manifest's
    // parcels are decided, but their effects always fail at the review queue (flagged decisions left
    // unfinished, counters short); the messages of both dead-letter after two receives. The third
    // manifest's deliveries store its parcels and always fail to start the hand-over.
    const faults = new FaultPlan();
    const failedEffects = faults.inject({
      operation: 'PutItem',
      resource: TABLE('reviewQueue'),
      when: enqueuesReviewOf('00001'),
      times: Number.POSITIVE_INFINITY,
      fault: dynamoDbError('ValidationException'),
    });
    const failedScreenings = faults.inject({
      operation: 'BatchGetItem',
      resource: TABLE('decisions'),
      when: readsDecisionsOfManifest('00000'),
      times: Number.POSITIVE_INFINITY,
      fault: dynamoDbError('ValidationException'),
    });
    const failedHandOvers = faults.inject({
      operation: 'UpdateItem',
      resource: TABLE('manifests'),
      when: startsHandOverOf('00002'),
      times: Number.POSITIVE_INFINITY,
      fault: dynamoDbError('ValidationException'),
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const progress: string[] = [];
    // Act
    const report = await runLoad({
      manifests: 3,
      parcelsPerManifest: 4,
      concurrency: 3,
      timeoutSeconds: 20,
      log: (line) => progress.push(line),
      stack: { faults, visibilityTimeoutSeconds: 1, maxReceiveCount: 2 },
    });
    vi.restoreAllMocks();
    // Assess: the first two manifests' parcels are accepted and dead-lettered (none screened, so none
    // counted flagged, though the second's flagged decisions are stored), the third's stored and not
    // handed over (its partner never got a 202); none lost, and the counters the unfinished decisions
    // have not reached yet are pending, not miscounted
    expect(report).toMatchObject({
      manifests: 3,
      refusedManifests: 0,
      unansweredManifests: 1,
      accepted: 8,
      notHandedOver: 4,
      screened: 0,
      flagged: 0,
      deadLetteredParcels: 8,
      queued: 0,
      lost: 0,
      duplicated: 0,
      miscounted: 0,
      timedOut: false,
    });
    expect(report.pendingEffects).toBeGreaterThan(0);
    expect(report.deadLettered).toBeGreaterThanOrEqual(2);
    expect(report.deadLetterQueues).toEqual({ screening: report.deadLettered });
    expect(loadSucceeded(report)).toBe(false);
    // One line each on what the dead letters and the unanswered manifest mean and where to look
    expect(progress.filter((line) => line.startsWith('dead-lettered: '))).toEqual([
      expect.stringMatching(
        /^dead-lettered: \d+ message\(s\) \(screening: \d+\), with 8 accepted parcel\(s\), .* not a loss, .* why is in the stack's lines above \("record failed" of fn screen, "screen on the screening queue failed"\);/,
      ),
    ]);
    expect(progress.filter((line) => line.startsWith('unanswered: 1 manifest(s)'))).toHaveLength(1);
    // The stack's log lines (the failed screenings and deliveries, at error level) went to stderr
    const errorLines = (lines: string[]) => lines.filter((line) => line.includes('"level":"error"'));
    expect(errorLines(stderr).length).toBeGreaterThan(0);
    expect(errorLines(stdout)).toEqual([]);
    // Each failure happened more than once
    expect(failedEffects.injected).toBeGreaterThanOrEqual(2);
    expect(failedScreenings.injected).toBeGreaterThanOrEqual(2);
    expect(failedHandOvers.injected).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
