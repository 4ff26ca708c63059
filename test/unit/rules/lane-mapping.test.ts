import { describe, expect, it } from 'vitest';
import { compile, facts, issuesOf, RULE_SET_FILE, rule } from './rule-set-factory.js';

const ALWAYS = { fact: 'parcel.pieceCount', gte: 1 };
const NEVER = { fact: 'parcel.pieceCount', lt: 1 };
const LANES = {
  bands: [
    { from: 0, lane: 'release' },
    { from: 30, lane: 'review' },
    { from: 60, lane: 'hold' },
    { from: 200, lane: 'do-not-load' },
  ],
};

const laneFor = (rules: unknown[], hardHits: unknown[] = []) => {
  const policy = compile({ rules, lanes: { ...LANES, hardHits } });
  const { lane, score, firedRules } = policy.evaluate(facts());
  return { lane, score, forced: firedRules.map((fired) => fired.lane ?? null) };
};

describe('lane mapping by score bands', () => {
  it.each([
    [0, 'release'],
    [29.5, 'release'],
    [30, 'review'],
    [59, 'review'],
    [60, 'hold'],
    [199, 'hold'],
    [200, 'do-not-load'],
    [-15, 'release'],
  ])('maps score %s to %s', (score, lane) => {
    // Prepare / Act
    const result = laneFor([rule('scored', ALWAYS, { score })]);

    // Assess
    expect(result).toMatchObject({ lane, score });
  });

  it('adds the scores of every fired rule and ignores rules that do not fire', () => {
    // Prepare / Act
    const result = laneFor([
      rule('a', ALWAYS, { score: 20 }),
      rule('b', ALWAYS, { score: 15 }),
      rule('c', NEVER, { score: 100 }),
      rule('d', ALWAYS, { score: -5 }),
    ]);

    // Assess
    expect(result).toMatchObject({ lane: 'review', score: 30 });
  });

  it('lets a rule force a lane whatever the score', () => {
    // Prepare / Act
    const result = laneFor([rule('forcing', ALWAYS, { score: 0, lane: 'hold' })]);

    // Assess
    expect(result).toEqual({ lane: 'hold', score: 0, forced: ['hold'] });
  });

  it('lets a hard hit of the rule set force a lane whatever the score', () => {
    // Prepare / Act
    const result = laneFor(
      [rule('hit', ALWAYS, { score: 5 }), rule('other', ALWAYS, { score: 5 })],
      [{ rule: 'hit', lane: 'do-not-load' }],
    );

    // Assess
    expect(result).toEqual({ lane: 'do-not-load', score: 10, forced: ['do-not-load', null] });
  });

  it('keeps the score lane when it is more severe than a forced lane', () => {
    // Prepare / Act
    const result = laneFor([rule('forcing', ALWAYS, { score: 250, lane: 'review' })]);

    // Assess
    expect(result.lane).toBe('do-not-load');
  });

  it('gives a score below every band the first band’s lane', () => {
    // Prepare
    const bands = [
      { from: 10, lane: 'review' },
      { from: 60, lane: 'hold' },
    ];
    const policy = compile({ rules: [rule('scored', ALWAYS, { score: 1 })], lanes: { bands, hardHits: [] } });

    // Act / Assess
    expect(policy.evaluate(facts()).lane).toBe('review');
  });

  it('lets two bands give the same lane, whose floor is the lower one', () => {
    // Prepare: screening reads laneFloor('hold') as the score from which a parcel is held
    const bands = [
      { from: 0, lane: 'release' },
      { from: 30, lane: 'hold' },
      { from: 60, lane: 'hold' },
    ];
    const policy = compile({
      rules: [rule('scored', ALWAYS, { score: 45 })],
      lanes: { bands, hardHits: [] },
    });

    // Act / Assess
    expect(policy.evaluate(facts()).lane).toBe('hold');
    expect(policy.laneFloor('hold')).toBe(30);
  });

  it.each([
    ['hold', 'review'],
    ['review', 'hold'],
  ])('keeps the most severe forced lane, whatever the rule order (%s, then %s)', (first, second) => {
    // Prepare / Act
    const result = laneFor([
      rule('first', ALWAYS, { score: 0, lane: first }),
      rule('second', ALWAYS, { score: 0, lane: second }),
    ]);

    // Assess
    expect(result.lane).toBe('hold');
  });

  it('does not force a lane when the hard-hit rule does not fire', () => {
    // Prepare / Act
    const result = laneFor([rule('hit', NEVER)], [{ rule: 'hit', lane: 'hold' }]);

    // Assess
    expect(result).toEqual({ lane: 'release', score: 0, forced: [] });
  });
});

describe('forced lanes', () => {
  const mildest =
    /^a forced lane can only make a decision stricter; release is the mildest, so it forces nothing$/;

  // A forced lane only ever raises the lane (the most severe wins): `release` would be accepted, do nothing,
  // and be shown as "forces release".
  it.each<[string, unknown[], unknown, { ruleId?: string; path: string; reason: RegExp }]>([
    [
      "a rule's own lane of release",
      [rule('trusted', ALWAYS, { score: 0, lane: 'release' })],
      LANES,
      { ruleId: 'trusted', path: 'rules[0].lane', reason: mildest },
    ],
    [
      'a hard hit of release',
      [rule('trusted', ALWAYS, { score: 0 })],
      { ...LANES, hardHits: [{ rule: 'trusted', lane: 'release' }] },
      { path: 'lanes.hardHits[0].lane', reason: mildest },
    ],
    [
      'a lane no stricter than the first band',
      [rule('soft', ALWAYS, { score: 0, lane: 'review' })],
      {
        bands: [
          { from: 0, lane: 'review' },
          { from: 50, lane: 'hold' },
        ],
      },
      {
        ruleId: 'soft',
        path: 'rules[0].lane',
        reason: /every score already gets at least review, so review forces nothing$/,
      },
    ],
  ])('rejects %s at load time', (_name, rules, lanes, expected) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ rules, lanes }));

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ...expected,
      reason: expect.stringMatching(expected.reason),
    });
  });
});
