import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../functions/core/access/roles.js';
import {
  type CaseState,
  claimCase,
  correctCaseOutcome,
  holdsCorrection,
  holdsOutcome,
  holdsRelease,
  MAX_CORRECTIONS,
  recordCaseOutcome,
  releaseCase,
  viewStatus,
} from '../../../functions/core/review/case-transitions.js';
import type { Finding } from '../../../functions/core/review/outcome.js';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const LATER = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const ALICE: Actor = { subject: 'sub-alice', username: 'alice', role: 'officer' };
const BOB: Actor = { subject: 'sub-bob', username: 'bob', role: 'officer' };
const ADMIN: Actor = { subject: 'sub-admin', username: 'admin', role: 'admin' };
const OTHER_ADMIN: Actor = { subject: 'sub-admin-2', username: 'admin2', role: 'admin' };
const CLEARED: Finding = { outcome: 'cleared' };
const SEIZED: Finding = {
  outcome: 'seized',
  seizure: {
    substance: 'heroin',
    quantity: { amount: 1.2, unit: 'kg' },
    concealment: 'hollowed furniture panel',
  },
};

const open: CaseState = { status: 'open' };
const claimedByAlice = (): CaseState => {
  const result = claimCase(open, ALICE, NOW, 30);
  if (!result.ok) throw new Error('setup');
  return result.state;
};

describe('case transitions', () => {
  it('gives a lease of the configured length to the first claimant', () => {
    // Act
    const result = claimCase(open, ALICE, NOW, 30);
    // Assess
    expect(result).toEqual({
      ok: true,
      state: {
        status: 'open',
        lease: {
          holder: 'sub-alice',
          holderName: 'alice',
          claimedAt: NOW.toISOString(),
          until: LATER(30).toISOString(),
        },
      },
    });
  });

  it.each([
    ['refuses a second officer while the lease is live', 29, false],
    ['lets a second officer claim once the lease has ended', 30, true],
  ])('%s', (_name, minutes, ok) => {
    // Act
    const result = claimCase(claimedByAlice(), BOB, LATER(minutes), 30);
    // Assess
    expect(result.ok).toBe(ok);
    if (!result.ok)
      expect(result.refusal).toEqual({
        reason: 'leased-by-other',
        heldBy: 'alice',
        leaseUntil: LATER(30).toISOString(),
      });
  });

  it('extends the lease when its holder claims again, keeping when it was first claimed', () => {
    const result = claimCase(claimedByAlice(), ALICE, LATER(20), 30);
    expect(result).toMatchObject({
      ok: true,
      state: { lease: { claimedAt: NOW.toISOString(), until: LATER(50).toISOString() } },
    });
  });

  it.each([
    ['the holder', ALICE, 5, true],
    ['another officer', BOB, 5, false],
    ['the holder after the lease ended', ALICE, 31, false],
  ])('lets %s release: %s', (_name, actor, minutes, ok) => {
    expect(releaseCase(claimedByAlice(), actor, LATER(minutes)).ok).toBe(ok);
  });

  it('closes the parcel with the holder’s outcome and drops the lease', () => {
    // Act
    const result = recordCaseOutcome(claimedByAlice(), ALICE, LATER(10), SEIZED);
    // Assess
    expect(result).toEqual({
      ok: true,
      state: {
        status: 'closed',
        outcome: {
          finding: SEIZED,
          recordedBy: 'sub-alice',
          recordedByName: 'alice',
          recordedAt: LATER(10).toISOString(),
        },
      },
    });
  });

  it.each([
    ['an unclaimed parcel', () => open, ALICE, { reason: 'not-lease-holder' }],
    ['someone else’s lease', claimedByAlice, BOB, { reason: 'not-lease-holder', heldBy: 'alice' }],
  ])('refuses an outcome on %s', (_name, state, actor, refusal) => {
    const result = recordCaseOutcome(state(), actor, LATER(1), CLEARED);
    expect(result).toMatchObject({ ok: false, refusal });
  });

  it.each([
    ['her own lease, run out', ALICE, { reason: 'lease-expired', leaseUntil: LATER(30).toISOString() }],
    ['someone else’s lease, run out', BOB, { reason: 'not-lease-holder' }],
  ])('refuses an outcome and a release on %s, saying so', (_name, actor, refusal) => {
    // Act: 31 minutes into a 30-minute lease
    const outcome = recordCaseOutcome(claimedByAlice(), actor, LATER(31), CLEARED);
    const release = releaseCase(claimedByAlice(), actor, LATER(31));
    // Assess
    expect(outcome).toEqual({ ok: false, refusal });
    expect(release).toEqual({ ok: false, refusal });
  });

  it('refuses a second outcome, and any claim, on a closed parcel', () => {
    // Prepare
    const closed = recordCaseOutcome(claimedByAlice(), ALICE, LATER(1), SEIZED);
    if (!closed.ok) throw new Error('setup');
    // Act
    const second = recordCaseOutcome(closed.state, ALICE, LATER(2), CLEARED);
    const claim = claimCase(closed.state, BOB, LATER(2), 30);
    // Assess
    expect(second).toMatchObject({ ok: false, refusal: { reason: 'closed', outcome: 'seized' } });
    expect(claim).toMatchObject({ ok: false, refusal: { reason: 'closed' } });
  });

  it('corrects a recorded outcome and keeps what it replaced', () => {
    // Prepare
    const closed = recordCaseOutcome(claimedByAlice(), ALICE, LATER(1), SEIZED);
    if (!closed.ok) throw new Error('setup');
    // Act
    const result = correctCaseOutcome(
      closed.state,
      ADMIN,
      LATER(60),
      CLEARED,
      'lab found no controlled substance',
      0,
    );
    // Assess
    expect(result).toMatchObject({
      ok: true,
      state: {
        status: 'closed',
        outcome: { finding: CLEARED, recordedBy: 'sub-admin' },
        corrections: [
          {
            from: SEIZED,
            // who recorded what it replaced, and when: otherwise only the audit log would say
            fromRecordedBy: 'sub-alice',
            fromRecordedByName: 'alice',
            fromRecordedAt: LATER(1).toISOString(),
            to: CLEARED,
            reason: 'lab found no controlled substance',
            correctedBy: 'sub-admin',
          },
        ],
      },
    });
  });

  it('times a correction after the outcome it corrects, even on a host whose clock runs behind', () => {
    // Prepare: the outcome, then a first correction at 10:01
    const closed = recordCaseOutcome(claimedByAlice(), ALICE, LATER(1), SEIZED);
    if (!closed.ok) throw new Error('setup');
    const first = correctCaseOutcome(closed.state, ADMIN, LATER(1), CLEARED, 'lab found nothing', 0);
    if (!first.ok) throw new Error('setup');

    // Act: a second correction made by a host whose clock says 10:00
    const second = correctCaseOutcome(first.state, ADMIN, NOW, SEIZED, 'second lab found heroin', 1);

    // Assess
    if (!second.ok) throw new Error('refused');
    const times = second.state.corrections!.map((correction) => correction.correctedAt);
    expect(times).toEqual(['2026-11-28T10:01:00.001Z', '2026-11-28T10:01:00.002Z']);
    expect(second.state.outcome!.recordedAt).toBe('2026-11-28T10:01:00.002Z');
  });

  it('refuses to correct a parcel without an outcome', () => {
    expect(correctCaseOutcome(open, ADMIN, NOW, CLEARED, 'why', 0)).toEqual({
      ok: false,
      refusal: { reason: 'not-closed' },
    });
  });

  it.each([
    [open, 0, 'open'],
    [claimedByAlice(), 29, 'claimed'],
    [claimedByAlice(), 30, 'open'],
  ] as const)('shows %j after %i minutes as %s', (state, minutes, status) => {
    expect(viewStatus(state, LATER(minutes).toISOString())).toBe(status);
  });
});

describe('a retried outcome or correction', () => {
  const recorded = (): CaseState => {
    const result = recordCaseOutcome(claimedByAlice(), ALICE, LATER(1), SEIZED);
    if (!result.ok) throw new Error('setup');
    return result.state;
  };
  const corrected = (): CaseState => {
    const result = correctCaseOutcome(recorded(), ADMIN, LATER(2), CLEARED, 'lab found nothing', 0);
    if (!result.ok) throw new Error('setup');
    return result.state;
  };

  /** Corrected to cleared by the admin, then back to seized by another admin who saw that. */
  const correctedTwice = (): CaseState => {
    const result = correctCaseOutcome(
      corrected(),
      OTHER_ADMIN,
      LATER(3),
      SEIZED,
      'second lab found heroin',
      1,
    );
    if (!result.ok) throw new Error('setup');
    return result.state;
  };

  it.each([
    ['the same officer, the same finding', recorded, ALICE, SEIZED, true],
    ['the same finding, given again field by field', recorded, ALICE, structuredClone(SEIZED), true],
    ['another officer', recorded, BOB, SEIZED, false],
    ['another finding', recorded, ALICE, CLEARED, false],
    ['an open case', claimedByAlice, ALICE, SEIZED, false],
    ['an outcome since corrected', corrected, ADMIN, CLEARED, false],
  ] as const)('takes an outcome as already done for %s: %s', (_name, state, actor, finding, expected) => {
    // Act / Assess
    expect(holdsOutcome(state(), actor, finding)).toBe(expected);
  });

  it.each([
    ['the same correction', corrected, ADMIN, CLEARED, 'lab found nothing', 0, true],
    [
      'the same correction, corrected again since by another admin',
      correctedTwice,
      ADMIN,
      CLEARED,
      'lab found nothing',
      0,
      true,
    ],
    // The parcel reads seized again: a correction to cleared would change it
    ['a correction with another reason', correctedTwice, ADMIN, CLEARED, 'second lab', 0, false],
    ['another admin', correctedTwice, OTHER_ADMIN, CLEARED, 'lab found nothing', 0, false],
    ['a correction decided after it', correctedTwice, ADMIN, CLEARED, 'lab found nothing', 1, false],
    [
      'any correction to what the parcel already reads',
      corrected,
      OTHER_ADMIN,
      CLEARED,
      'checked again',
      1,
      true,
    ],
    ['a correction to what it read before', correctedTwice, OTHER_ADMIN, CLEARED, 'third look', 2, false],
  ] as const)(
    'takes a correction as already done for %s: %s',
    (_name, state, actor, finding, reason, seen, expected) => {
      // Act / Assess
      expect(holdsCorrection(state(), actor, finding, reason, seen)).toBe(expected);
    },
  );

  it('refuses a correction decided before a later one, and names what the parcel reads now', () => {
    // Act: the first admin's correction, sent again after the second admin's
    const resent = correctCaseOutcome(correctedTwice(), ADMIN, LATER(4), CLEARED, 'lab found nothing', 0);
    // Assess
    expect(resent).toEqual({
      ok: false,
      refusal: {
        reason: 'corrected-since',
        corrections: 2,
        outcome: 'seized',
        recordedAt: '2026-11-28T10:03:00.000Z',
      },
    });
  });

  it('refuses a correction that names more corrections than the parcel has', () => {
    // Act
    const result = correctCaseOutcome(corrected(), ADMIN, LATER(4), SEIZED, 'second lab found heroin', 2);
    // Assess
    expect(result).toEqual({ ok: false, refusal: { reason: 'corrections-unseen', corrections: 1 } });
  });

  it(`refuses a correction past the ${MAX_CORRECTIONS} a parcel keeps`, () => {
    // Prepare
    let state = recorded();
    for (let i = 0; i < MAX_CORRECTIONS; i++) {
      const result = correctCaseOutcome(
        state,
        ADMIN,
        LATER(2 + i),
        i % 2 ? SEIZED : CLEARED,
        `check ${i}`,
        i,
      );
      if (!result.ok) throw new Error('setup');
      state = result.state;
    }
    // Act
    const result = correctCaseOutcome(state, ADMIN, LATER(30), CLEARED, 'once more', MAX_CORRECTIONS);
    // Assess
    expect(result).toEqual({
      ok: false,
      refusal: { reason: 'too-many-corrections', limit: MAX_CORRECTIONS },
    });
  });
});

describe('a retried release', () => {
  const then = (result: ReturnType<typeof releaseCase>): CaseState => {
    if (!result.ok) throw new Error('setup');
    return result.state;
  };
  const releasedByAlice = (): CaseState => then(releaseCase(claimedByAlice(), ALICE, LATER(5)));
  const claimedByBobSince = (): CaseState => then(claimCase(releasedByAlice(), BOB, LATER(6), 30));
  const claimedByAliceAgain = (): CaseState => then(claimCase(releasedByAlice(), ALICE, LATER(6), 30));
  const expiredUnreleased = claimedByAlice;
  const closedSince = (): CaseState =>
    then(recordCaseOutcome(claimedByAliceAgain(), ALICE, LATER(7), CLEARED));

  it('ends the lease at the release and keeps it on record, live for nobody', () => {
    // Act
    const released = releasedByAlice();

    // Assess: not live even for a clock that reads a moment before the release
    expect(released.lease).toMatchObject({
      holder: 'sub-alice',
      until: LATER(5).toISOString(),
      releasedAt: LATER(5).toISOString(),
    });
    expect(viewStatus(released, LATER(4).toISOString())).toBe('open');
    expect(releaseCase(released, ALICE, LATER(6))).toEqual({
      ok: false,
      refusal: { reason: 'not-lease-holder' },
    });
  });

  it.each([
    ['the officer who released it', true, releasedByAlice, ALICE],
    ['another officer', false, releasedByAlice, BOB],
    ['its officer, once another officer claimed it since', false, claimedByBobSince, ALICE],
    ['its officer, once they claimed it again', false, claimedByAliceAgain, ALICE],
    ['its officer, once an outcome closed it', false, closedSince, ALICE],
    ['the holder of a lease that ran out unreleased', false, expiredUnreleased, ALICE],
    ['an officer of a parcel never claimed', false, () => open, ALICE],
  ] as const)('is already done for %s: %s', (_name, expected, state, actor) => {
    // Act / Assess
    expect(holdsRelease(state(), actor)).toBe(expected);
  });

  it('lets its officer claim again, with a fresh lease', () => {
    // Act
    const again = claimedByAliceAgain();

    // Assess
    expect(again.lease).toEqual({
      holder: 'sub-alice',
      holderName: 'alice',
      claimedAt: LATER(6).toISOString(),
      until: LATER(36).toISOString(),
    });
  });
});
