import { describe, expect, it } from 'vitest';
import { daysBetweenMs, parseInstant, ruleSetJsonSchemas } from '../../../functions/core/rules/index.js';
import { compile, facts, fires, issuesOf, rule } from './rule-set-factory.js';

/** The baseline's `now` is 2026-06-01T08:00:00Z; 90 days before it is 2026-03-03T08:00:00Z. */
const NINETY_DAYS_AGO = '2026-03-03T08:00:00Z';
const SINCE_SEIZURE = { daysSince: 'history.consignee.lastSeizureAt' };
const seizedAt = (lastSeizureAt: unknown) => ({ history: { consignee: { seizures: 1, lastSeizureAt } } });

describe('parseInstant: ISO 8601 instants, read the same on every machine', () => {
  it.each<[string, unknown, number | undefined]>([
    ['a UTC date-time', '2026-06-01T08:00:00Z', Date.UTC(2026, 5, 1, 8)],
    ['milliseconds', '2026-06-01T08:00:00.123Z', Date.UTC(2026, 5, 1, 8, 0, 0, 123)],
    [
      'digits past the millisecond, dropped',
      '2026-06-01T08:00:00.123999Z',
      Date.UTC(2026, 5, 1, 8, 0, 0, 123),
    ],
    ['any number of fraction digits', '2026-06-01T08:00:00.9999999999Z', Date.UTC(2026, 5, 1, 8, 0, 0, 999)],
    ['a positive offset', '2026-06-01T16:00:00+08:00', Date.UTC(2026, 5, 1, 8)],
    ['a negative offset without colon', '2026-06-01T04:30:00-0330', Date.UTC(2026, 5, 1, 8)],
    ['an offset crossing midnight', '2026-06-01T02:00:00+10:00', Date.UTC(2026, 4, 31, 16)],
    ['no seconds', '2026-06-01T08:00Z', Date.UTC(2026, 5, 1, 8)],
    ['a calendar date (midnight UTC)', '2026-06-01', Date.UTC(2026, 5, 1)],
    ['29 February of a leap year', '2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    ['29 February of a year divisible by 400', '2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['one fraction digit, tenths of a second', '2026-06-01T08:00:00.5Z', Date.UTC(2026, 5, 1, 8, 0, 0, 500)],
    ['a year below 100 (no Date quirk)', '0050-01-01', -60_589_296_000_000],
    ['a time without offset (zone unknown)', '2026-06-01T08:00:00', undefined],
    ['30 February', '2026-02-30', undefined],
    ['29 February of a common year', '2026-02-29T00:00:00Z', undefined],
    ['29 February of a century not divisible by 400', '2100-02-29T00:00:00Z', undefined],
    ['hour 24', '2026-06-01T24:00:00Z', undefined],
    ['a leap second', '2026-06-30T23:59:60Z', undefined],
    ['an offset of 24 hours', '2026-06-01T08:00:00+24:00', undefined],
    ['a space for T', '2026-06-01 08:00:00Z', undefined],
    ['free text', 'yesterday', undefined],
    ['a JavaScript date string', 'Mon Jun 01 2026 08:00:00 GMT+0000', undefined],
    ['a number', 1_780_300_800_000, undefined],
    ['null', null, undefined],
  ])('reads %s', (_name, text, expected) => {
    // Act
    const ms = parseInstant(text);

    // Assess
    expect(ms).toBe(expected);
  });
});

describe('daysBetweenMs: exact quotient, rounded to 6 decimals half away from zero', () => {
  const DAY = 86_400_000;
  it.each<[string, number, number]>([
    ['exactly 90 days', 90 * DAY, 90],
    ['90 days less 87 ms', 90 * DAY - 87, 89.999999],
    ['90 days less 1 ms (within 43.2 ms of the boundary: rounds onto it)', 90 * DAY - 1, 90],
    ['90 days more 1 ms', 90 * DAY + 1, 90],
    ['216 ms, exactly 0.0000025 days: the half rounds away from zero', 216, 0.000003],
    ['−216 ms', -216, -0.000003],
    ['215 ms', 215, 0.000002],
    ['1 ms back (rounds to 0, not −0)', -1, 0],
    ['none', 0, 0],
    ['half a day', DAY / 2, 0.5],
  ])('%s', (_name, delta, expected) => {
    // Act
    const days = daysBetweenMs(1_780_300_800_000, 1_780_300_800_000 + delta);

    // Assess
    expect(Object.is(days, expected)).toBe(true);
  });
});

describe('daysSince and daysBetween in conditions', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['exactly 90 days is within lte 90', { value: SINCE_SEIZURE, lte: 90 }, seizedAt(NINETY_DAYS_AGO), true],
    ['exactly 90 days is not lt 90', { value: SINCE_SEIZURE, lt: 90 }, seizedAt(NINETY_DAYS_AGO), false],
    ['exactly 90 days eq 90', { value: SINCE_SEIZURE, eq: 90 }, seizedAt(NINETY_DAYS_AGO), true],
    ['89.999999 days is lt 90', { value: SINCE_SEIZURE, lt: 90 }, seizedAt('2026-03-03T08:00:00.087Z'), true],
    [
      '89.999999 days eq 89.999999',
      { value: SINCE_SEIZURE, eq: 89.999999 },
      seizedAt('2026-03-03T08:00:00.087Z'),
      true,
    ],
    [
      '90 days less 1 ms rounds to 90, so not lt 90',
      { value: SINCE_SEIZURE, lt: 90 },
      seizedAt('2026-03-03T08:00:00.001Z'),
      false,
    ],
    [
      '90 days and a second is not lte 90',
      { value: SINCE_SEIZURE, lte: 90 },
      seizedAt('2026-03-03T07:59:59Z'),
      false,
    ],
    [
      'the same instant at +08:00 is exactly 90 days',
      { value: SINCE_SEIZURE, eq: 90 },
      seizedAt('2026-03-03T16:00:00+08:00'),
      true,
    ],
    [
      'the same wall time at +08:00 is 8 hours earlier: more than 90 days',
      { value: SINCE_SEIZURE, gt: 90 },
      seizedAt('2026-03-03T08:00:00+08:00'),
      true,
    ],
    [
      'a calendar date is midnight UTC',
      { value: SINCE_SEIZURE, eq: 90.333333 },
      seizedAt('2026-03-03'),
      true,
    ],
    ['a missing lastSeizureAt never fires lte', { value: SINCE_SEIZURE, lte: 90 }, seizedAt(null), false],
    ['a missing lastSeizureAt never fires gt', { value: SINCE_SEIZURE, gt: 90 }, seizedAt(null), false],
    [
      'a missing lastSeizureAt is not "not within 90 days" either',
      { not: { value: SINCE_SEIZURE, lte: 90 } },
      seizedAt(null),
      false,
    ],
    ['an unparseable instant never fires', { value: SINCE_SEIZURE, gte: 0 }, seizedAt('2026-13-01'), false],
    [
      'a future instant is negative days',
      { value: SINCE_SEIZURE, eq: -1 },
      seizedAt('2026-06-02T08:00:00Z'),
      true,
    ],
    ['daysSince now is 0', { value: { daysSince: 'now' }, eq: 0 }, {}, true],
    ['an unparseable now never fires', { value: { daysSince: 'now' }, eq: 0 }, { now: 'soon' }, false],
    [
      'daysBetween is second minus first',
      { value: { daysBetween: ['history.consignee.firstSeen', 'history.consignee.lastSeen'] }, eq: 7.5 },
      { history: { consignee: { firstSeen: '2026-05-01T00:00:00Z', lastSeen: '2026-05-08T12:00:00Z' } } },
      true,
    ],
    [
      'consignee first seen within the last 7 days',
      { value: { daysBetween: ['history.consignee.firstSeen', 'now'] }, lt: 7 },
      { history: { consignee: { firstSeen: '2026-05-28T09:30:00+01:30' } } },
      true,
    ],
    [
      'a day operator inside arithmetic and coalesce',
      { value: { coalesce: [{ add: [SINCE_SEIZURE, 0.5] }, 9999] }, eq: 9999 },
      seizedAt(null),
      true,
    ],
    [
      'eq on an instant still compares the text as written',
      { fact: 'history.consignee.lastSeizureAt', eq: NINETY_DAYS_AGO },
      seizedAt(NINETY_DAYS_AGO),
      true,
    ],
    [
      'the same instant written with another offset is other text',
      { fact: 'history.consignee.lastSeizureAt', eq: NINETY_DAYS_AGO },
      seizedAt('2026-03-03T16:00:00+08:00'),
      false,
    ],
    ['exists on an instant', { fact: 'history.consignee.lastSeizureAt', exists: true }, seizedAt('x'), true],
    [
      'missing on an instant',
      { fact: 'history.consignee.lastSeizureAt', missing: true },
      seizedAt(null),
      true,
    ],
    ['startsWith on an instant still reads its text', { fact: 'now', startsWith: '2026-06' }, {}, true],
  ])('%s', (_name, when, patch, expected) => {
    // Act
    const fired = fires(when, patch);

    // Assess
    expect(fired).toBe(expected);
  });

  it('gives the same result on every evaluation and across changing nows', () => {
    // Prepare
    const policy = compile({ rules: [rule('recent', { value: SINCE_SEIZURE, lte: 90 })] });
    const days = (now: string) =>
      policy.evaluate(facts({ ...seizedAt(NINETY_DAYS_AGO), now }), { trace: true }).trace?.rules[0]
        ?.condition?.actual;

    // Act
    const results = ['2026-06-01T08:00:00Z', '2026-06-02T08:00:00Z', '2026-06-01T08:00:00Z'].map(days);

    // Assess
    expect(results).toEqual([90, 91, 90]);
  });
});

describe('recency in reasons, values and explain', () => {
  const recency = () =>
    compile({
      derived: {
        daysSinceConsigneeSeizure: { description: 'days since the last seizure', value: SINCE_SEIZURE },
      },
      rules: [
        rule(
          'recent-seizure',
          { value: SINCE_SEIZURE, lte: 90 },
          {
            reason:
              'last seizure {derived.daysSinceConsigneeSeizure} days ago, on {history.consignee.lastSeizureAt}',
          },
        ),
        rule('recent-seizure-derived', { fact: 'derived.daysSinceConsigneeSeizure', lte: 90 }),
      ],
    });

  it('interpolates the days into the reason and records the result and the instants read', () => {
    // Act
    const [fired] = recency().evaluate(facts(seizedAt('2026-04-17T20:00:00Z'))).firedRules;

    // Assess
    expect(fired?.reason).toBe('last seizure 44.5 days ago, on 2026-04-17T20:00:00Z');
    expect(fired?.values).toEqual({
      'daysSince(history.consignee.lastSeizureAt)': 44.5,
      'history.consignee.lastSeizureAt': '2026-04-17T20:00:00Z',
      now: '2026-06-01T08:00:00Z',
      'derived.daysSinceConsigneeSeizure': 44.5,
    });
  });

  it.each<[string, unknown, string, string]>([
    [
      'a missing instant',
      null,
      'daysSince(history.consignee.lastSeizureAt) is missing: history.consignee.lastSeizureAt is missing',
      'derived.daysSinceConsigneeSeizure is missing: history.consignee.lastSeizureAt is missing',
    ],
    [
      'an unparseable instant',
      '03/03/2026',
      'daysSince(history.consignee.lastSeizureAt) is missing: an ISO 8601 instant in history.consignee.lastSeizureAt is missing',
      'derived.daysSinceConsigneeSeizure is missing: an ISO 8601 instant in history.consignee.lastSeizureAt is missing',
    ],
  ])(
    'names %s in the note of a value and of a derived fact',
    (_name, lastSeizureAt, valueNote, derivedNote) => {
      // Act
      const trace = recency().evaluate(facts(seizedAt(lastSeizureAt)), { trace: true }).trace;

      // Assess
      expect(trace?.rules[0]?.condition).toEqual({
        op: 'lte',
        result: 'missing',
        fact: 'daysSince(history.consignee.lastSeizureAt)',
        actual: null,
        expected: 90,
        note: valueNote,
      });
      expect(trace?.rules[1]?.condition).toMatchObject({ result: 'missing', note: derivedNote });
      expect(trace?.derived).toEqual({ daysSinceConsigneeSeizure: null });
    },
  );

  it('names an unparseable now', () => {
    // Prepare
    const policy = compile({ rules: [rule('r', { value: { daysBetween: ['now', 'now'] }, eq: 0 })] });

    // Act
    const trace = policy.evaluate(facts({ now: 'tomorrow' }), { trace: true }).trace;

    // Assess
    expect(trace?.rules[0]?.condition?.note).toBe(
      'daysBetween(now, now) is missing: an ISO 8601 instant in now is missing',
    );
  });
});

describe('day operators are type-checked when the rule set loads', () => {
  const OK = { fact: 'parcel.pieceCount', gte: 1 };
  it.each<[string, unknown, string, RegExp]>([
    [
      'gt on now',
      { fact: 'now', gt: 5 },
      'rules[1].when.gt',
      /^gt needs a number, but now is an instant \(ISO 8601 text\): compare days instead, \{ value: \{ daysBetween: \[<instant>, now\] \}, gt: … \}/,
    ],
    [
      'between on an instant',
      { fact: 'history.consignee.firstSeen', between: [1, 7] },
      'rules[1].when.between',
      /between needs a number, but history\.consignee\.firstSeen is an instant .*daysSince: history\.consignee\.firstSeen/,
    ],
    [
      'an instant on the right of lte',
      { fact: 'parcel.pieceCount', lte: { fact: 'history.consignee.lastSeen' } },
      'rules[1].when.lte.fact',
      /history\.consignee\.lastSeen is not a number: compare days instead/,
    ],
    [
      'an instant in arithmetic',
      { value: { sub: [{ fact: 'now' }, 1] }, gt: 1 },
      'rules[1].when.value.sub[0].fact',
      /^now is an instant \(ISO 8601 text\), not a number: use \{ daysSince: now \} or \{ daysBetween/,
    ],
    [
      'daysSince on a number',
      { value: { daysSince: 'parcel.pieceCount' }, gt: 1 },
      'rules[1].when.value.daysSince',
      /^daysSince needs an instant such as now or history\.consignee\.lastSeizureAt, but parcel\.pieceCount is number$/,
    ],
    [
      'daysBetween on text',
      { value: { daysBetween: ['history.consignee.firstSeen', 'parcel.route.origin.city'] }, gt: 1 },
      'rules[1].when.value.daysBetween[1]',
      /^daysBetween needs an instant .* but parcel\.route\.origin\.city is text$/,
    ],
    [
      'daysSince on an unknown fact',
      { value: { daysSince: 'history.consignee.lastSeizure' }, gt: 1 },
      'rules[1].when.value.daysSince',
      /^unknown fact history\.consignee\.lastSeizure;/,
    ],
    [
      'daysBetween with one instant',
      { value: { daysBetween: ['now'] }, gt: 1 },
      'rules[1].when.value.daysBetween',
      /./,
    ],
    [
      'daysSince with a literal date',
      { value: { daysSince: '2026-01-01' }, gt: 1 },
      'rules[1].when.value.daysSince',
      /dotted fact path/,
    ],
  ])('rejects %s, naming the file, rule and path', (_name, when, path, reason) => {
    // Act
    const issues = issuesOf(() => compile({ rules: [rule('first', OK), rule('broken', when)] }));

    // Assess
    expect(issues).toEqual([
      { file: 'rules/test/rule-set.yaml', ruleId: 'broken', path, reason: expect.stringMatching(reason) },
    ]);
  });

  it('rejects a day operator on a number in a derived fact, naming its path', () => {
    // Act
    const issues = issuesOf(() =>
      compile({
        derived: { age: { description: 'bad', value: { daysSince: 'history.consignee.seizures' } } },
        rules: [rule('first', OK)],
      }),
    );

    // Assess
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'derived.age.value.daysSince',
        reason: expect.stringMatching(/is number$/),
      }),
    ]);
  });
});

describe('the JSON Schema for editors', () => {
  it('offers daysSince (a fact path) and daysBetween (two fact paths) in expressions', () => {
    // Act
    const text = JSON.stringify(ruleSetJsonSchemas()['rule-set']);

    // Assess
    expect(text).toMatch(/"daysSince":\{"type":"string","pattern":"[^"]+"\}/);
    expect(text).toMatch(/"daysBetween":\{"type":"array","prefixItems":\[\{"type":"string"/);
  });
});
