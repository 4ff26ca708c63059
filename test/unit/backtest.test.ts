import { describe, expect, it } from 'vitest';
import {
  LANE_CHANGES_LISTED,
  type PastParcel,
  startBacktest,
} from '../../functions/core/backtest/backtest.js';
import { startSaltCheck } from '../../functions/core/backtest/party-key-salt-check.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import { baselineFacts, RULE_CASE_PARTY_KEY_SALT } from '../../functions/core/rules/cases/index.js';
import type { Evaluation } from '../../functions/core/screening/decision.js';
import type { ScreeningFacts } from '../../functions/core/screening/facts.js';
import type { Lane } from '../../functions/core/screening/lane.js';
import { formatBacktest } from '../../functions/tools/rules/backtest-report.js';

/** A candidate that decides by the parcel key the facts carry: lane and fired rules from a table. */
const candidateOf = (decisions: Record<string, [Lane, string[]]>) => ({
  id: 'candidate',
  version: 'sha256:new',
  ruleIds: ['origin', 'weight'],
  tallies: [],
  tallyMarks: () => [],
  laneFloor: () => undefined,
  evaluate: (facts: ScreeningFacts): Evaluation => {
    const [lane, ruleIds] = decisions[(facts as unknown as { key: string }).key]!;
    return {
      ruleSetId: 'candidate',
      ruleSetVersion: 'sha256:new',
      score: 0,
      lane,
      firedRules: ruleIds.map((ruleId) => ({ ruleId, title: ruleId, score: 0, reason: '', values: {} })),
    };
  },
});

const past = (key: string, lane: Lane, fired: string[], outcome?: PastParcel['outcome']): PastParcel => ({
  parcelKey: key,
  decidedAt: `2026-11-0${key.length}T00:00:00.000Z`,
  ruleSetVersion: 'sha256:old',
  lane,
  firedRuleIds: fired,
  facts: { key } as unknown as ScreeningFacts,
  ...(outcome === undefined ? {} : { outcome }),
});

describe('startBacktest', () => {
  it('compares lanes, outcomes and rule hits of the recorded decisions and the candidate', () => {
    // Prepare
    const candidate = candidateOf({
      a: ['hold', ['origin', 'weight']],
      bb: ['release', []],
      ccc: ['review', ['weight']],
      dddd: ['review', ['origin']],
      eeeee: ['release', []],
    });
    const parcels = [
      past('a', 'hold', ['origin'], 'seized'),
      past('bb', 'review', ['origin', 'old-rule'], 'seized'),
      past('ccc', 'release', []),
      past('dddd', 'review', ['origin'], 'not-found'),
      past('eeeee', 'review', ['origin'], 'cleared'),
    ];

    // Act
    const backtest = startBacktest(candidate);
    for (const parcel of parcels) backtest.add(parcel);
    const report = backtest.finish();

    // Assess
    expect(report).toMatchObject({
      parcels: 5,
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-05T00:00:00.000Z',
      recordedVersions: { 'sha256:old': 5 },
      changed: 3,
      // not-found is no inspection: nothing was looked at
      inspected: 3,
      seized: 2,
      seizedFlagged: { recorded: 2, candidate: 1 },
      clearedFlagged: { recorded: 1, candidate: 0 },
      missedSeizures: [
        {
          parcelKey: 'bb',
          decidedAt: '2026-11-02T00:00:00.000Z',
          recordedLane: 'review',
          candidateLane: 'release',
          controlSample: false,
        },
      ],
    });
    expect(report.lanes.review).toEqual({ release: 2, review: 1, hold: 0, 'do-not-load': 0 });
    expect(report.lanes.release).toEqual({ release: 0, review: 1, hold: 0, 'do-not-load': 0 });
    expect(report.rules).toEqual([
      { ruleId: 'origin', recordedHits: 4, candidateHits: 2, inspected: 1, seized: 1 },
      { ruleId: 'weight', recordedHits: 0, candidateHits: 2, inspected: 1, seized: 1 },
      { ruleId: 'old-rule', recordedHits: 1, candidateHits: 0, inspected: 0, seized: 0 },
    ]);
  });
});

describe("a backtest's rules table", () => {
  it("lists every rule of the candidate in the candidate's order, one that never fires too", () => {
    // Prepare: only `weight` fires, recorded and in the candidate
    const backtest = startBacktest(candidateOf({ a: ['review', ['weight']] }));
    backtest.add(past('a', 'review', ['weight']));

    // Act
    const report = backtest.finish();

    // Assess
    expect(report.rules).toEqual([
      { ruleId: 'origin', recordedHits: 0, candidateHits: 0, inspected: 0, seized: 0 },
      { ruleId: 'weight', recordedHits: 1, candidateHits: 1, inspected: 0, seized: 0 },
    ]);
  });
});

describe('parcels that change lane', () => {
  it('counts a parcel moved between two flagged lanes', () => {
    // Prepare: review → hold and hold → do-not-load
    const backtest = startBacktest(candidateOf({ a: ['hold', ['origin']], bb: ['do-not-load', ['origin']] }));
    backtest.add(past('a', 'review', ['origin']));
    backtest.add(past('bb', 'hold', ['origin']));

    // Act
    const report = backtest.finish();

    // Assess
    expect(report.changed).toBe(2);
  });

  it('names each, with the rules that make the difference, the earliest decided first, and prints them', () => {
    // Prepare: bb decided on the 2nd gains weight; a on the 1st loses origin
    const backtest = startBacktest(
      candidateOf({ a: ['release', []], bb: ['review', ['origin', 'weight']], ccc: ['review', ['origin']] }),
    );
    backtest.add(past('bb', 'release', ['origin']));
    backtest.add(past('ccc', 'review', ['origin']));
    backtest.add(past('a', 'review', ['origin']));

    // Act
    const report = backtest.finish();
    const lines = formatBacktest(report, { id: 'candidate', label: 'l', version: 'sha256:new' });

    // Assess
    expect(report.laneChanges).toEqual([
      {
        parcelKey: 'a',
        decidedAt: '2026-11-01T00:00:00.000Z',
        recordedLane: 'review',
        candidateLane: 'release',
        added: [],
        removed: ['origin'],
      },
      {
        parcelKey: 'bb',
        decidedAt: '2026-11-02T00:00:00.000Z',
        recordedLane: 'release',
        candidateLane: 'review',
        added: ['weight'],
        removed: [],
      },
    ]);
    expect(lines).toContain('  a (2026-11-01T00:00:00.000Z): review → release, − origin');
    expect(lines).toContain('  bb (2026-11-02T00:00:00.000Z): release → review, + weight');
  });

  it(`names the ${LANE_CHANGES_LISTED} earliest of more, and says how many more`, () => {
    // Prepare: 60 parcels released, each held by the candidate, decided a minute apart, fed newest first
    const keys = Array.from({ length: 60 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    const backtest = startBacktest(candidateOf(Object.fromEntries(keys.map((key) => [key, ['hold', []]]))));
    for (const [i, key] of [...keys.entries()].reverse())
      backtest.add({
        ...past(key, 'release', []),
        decidedAt: `2026-11-01T00:${String(i).padStart(2, '0')}:00.000Z`,
      });

    // Act
    const report = backtest.finish();
    const lines = formatBacktest(report, { id: 'candidate', label: 'l', version: 'sha256:new' });

    // Assess
    expect(report.changed).toBe(60);
    expect(report.laneChanges.map((change) => change.parcelKey)).toEqual(keys.slice(0, LANE_CHANGES_LISTED));
    expect(lines).toContain('  … and 10 more');
  });
});

describe('seizures the candidate would release', () => {
  it('lists them by decision time, whatever order the parcels come in', () => {
    // Prepare: the later decision read first
    const backtest = startBacktest(candidateOf({ a: ['release', []], bb: ['release', []] }));
    backtest.add(past('bb', 'hold', ['origin'], 'seized'));
    backtest.add(past('a', 'hold', ['origin'], 'seized'));

    // Act
    const report = backtest.finish();

    // Assess
    expect(report.missedSeizures.map((missed) => missed.parcelKey)).toEqual(['a', 'bb']);
  });

  it('names every one, control samples (released by the recorded rules too) marked, as the count says', () => {
    // Prepare: a flagged seizure and a control sample's (the rules' lane, release, is what is recorded)
    const candidate = candidateOf({ a: ['release', []], bb: ['release', []] });
    const backtest = startBacktest(candidate);
    backtest.add(past('a', 'hold', ['origin'], 'seized'));
    backtest.add(past('bb', 'release', [], 'seized'));

    // Act
    const report = backtest.finish();
    const lines = formatBacktest(report, { id: 'candidate', label: 'x', version: 'sha256:new' });

    // Assess
    expect(report.seizedFlagged).toEqual({ recorded: 1, candidate: 0 });
    expect(report.missedSeizures.map((missed) => [missed.parcelKey, missed.controlSample])).toEqual([
      ['a', false],
      ['bb', true],
    ]);
    expect(lines).toContain('  seized parcels flagged:  recorded 1/2, candidate 0/2');
    expect(lines).toContain(
      '  MISSED seizure a (2026-11-01T00:00:00.000Z): recorded hold, candidate release',
    );
    expect(lines).toContain(
      '  MISSED seizure bb (2026-11-02T00:00:00.000Z) (control sample): recorded release, candidate release',
    );
  });
});

describe("the report's name for what the recorded decisions are compared with", () => {
  it.each([
    ['a backtest', 'candidate', undefined, 'backtest of candidate x (sha256:new)'],
    [
      'a shadow',
      'shadow',
      { title: 'shadow candidate (sha256:new)', side: 'shadow' },
      'shadow candidate (sha256:new)',
    ],
  ])('is %s’s own, %s, on every line that names it', (_, side, heading, title) => {
    // Prepare: a seizure the other side releases, and a cleared parcel it flags
    const backtest = startBacktest(candidateOf({ a: ['release', []], bb: ['review', ['weight']] }));
    backtest.add(past('a', 'hold', ['origin'], 'seized'));
    backtest.add(past('bb', 'release', [], 'cleared'));

    // Act
    const lines = formatBacktest(
      backtest.finish(),
      { id: 'candidate', label: 'x', version: 'sha256:new' },
      heading,
    );

    // Assess
    expect(lines[0]!.startsWith(`${title} on 2 parcels`)).toBe(true);
    expect(lines).toContain(`lanes, recorded (rows) → ${side} (columns); 2 parcels change lane:`);
    expect(lines).toContain(`  seized parcels flagged:  recorded 1/1, ${side} 0/1`);
    expect(lines).toContain(`  cleared parcels flagged: recorded 0, ${side} 1`);
    expect(lines).toContain(`  MISSED seizure a (2026-11-01T00:00:00.000Z): recorded hold, ${side} release`);
    // The rules table's columns stay aligned
    expect(lines).toContain(
      `rules                              recorded  ${side.padStart(9)}  inspected  seized  seized/inspected`,
    );
    // And no other line names either side
    expect(lines.filter((line) => /candidate|shadow/.test(line.replace(title, '')))).toHaveLength(5);
  });
});

describe("a backtest rule's inspections and seizures", () => {
  it('count the parcels the candidate flags, as the rule statistics do, not control samples it releases', () => {
    // Prepare: a seized parcel the candidate holds, and a seized control sample it releases though `origin` fires
    const candidate = candidateOf({ a: ['hold', ['origin']], bb: ['release', ['origin']] });
    const backtest = startBacktest(candidate);
    backtest.add(past('a', 'hold', ['origin'], 'seized'));
    backtest.add(past('bb', 'release', [], 'cleared'));

    // Act
    const report = backtest.finish();

    // Assess: `origin` fired on both, but only the held parcel counts in its precision
    expect(report.rules.find((rule) => rule.ruleId === 'origin')).toEqual({
      ruleId: 'origin',
      recordedHits: 1,
      candidateHits: 2,
      inspected: 1,
      seized: 1,
    });
  });
});

describe('startSaltCheck', () => {
  /** A parcel as recorded: its party keys derived with the rule-case salt, as the baseline's are. */
  const recorded = (phone: string): PastParcel => {
    const facts = baselineFacts();
    const parcel = { ...facts.parcel, consignee: { ...facts.parcel.consignee, phone } };
    return {
      ...past('a', 'release', []),
      facts: { ...facts, parcel, parties: derivePartyKeys(parcel, RULE_CASE_PARTY_KEY_SALT) },
    };
  };
  const phones = Array.from({ length: 25 }, (_, i) => `+86 138 0000 ${String(1000 + i)}`);

  it('finds the salt the recorded parcels were keyed with right, and another wrong', () => {
    // Prepare
    const right = startSaltCheck(RULE_CASE_PARTY_KEY_SALT);
    const wrong = startSaltCheck('another-deployment-salt-0123456789');

    // Act
    for (const phone of phones) {
      right.add(recorded(phone));
      wrong.add(recorded(phone));
    }

    // Assess
    expect(right).toMatchObject({ wrongSalt: false, complete: true });
    expect(wrong).toMatchObject({ wrongSalt: true, complete: true });
  });

  it('takes one parcel keyed otherwise for the parcel, not the salt, and says nothing before a parcel is read', () => {
    // Prepare
    const check = startSaltCheck(RULE_CASE_PARTY_KEY_SALT);
    const unchecked = startSaltCheck(RULE_CASE_PARTY_KEY_SALT);
    const odd = recorded(phones[0]!);
    const keyedOtherwise = {
      ...odd,
      facts: { ...odd.facts, parties: { ...odd.facts.parties, phone: 'ph_other' } },
    };

    // Act
    check.add(keyedOtherwise);
    check.add(recorded(phones[1]!));

    // Assess
    expect(check).toMatchObject({ wrongSalt: false, complete: false });
    expect(unchecked.wrongSalt).toBe(false);
  });
});
