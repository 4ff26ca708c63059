import { describe, expect, it } from 'vitest';
import { baselineFacts, runCases } from '../../../functions/core/rules/cases/index.js';
import { compileRuleSet } from '../../../functions/core/rules/index.js';
import {
  compile,
  editorRuleSet,
  editorTakes,
  goodsLine,
  issuesOf,
  RULE_SET_FILE,
  rule,
  ruleSetInput,
} from './rule-set-factory.js';

/**
 * Cases and tallies: `expect.tallies` tests a tally's `when` (the tallies the case's parcel marks), every
 * tally must be marked by a case that states it, and a case's tally counts are ones screening can give.
 */

/** "Tea" written as a word set that also catches 茶几 (a coffee table): the filter a case must catch. */
const TEA = { some: { of: 'parcel.goods', where: { fact: 'item.description', containsAny: ['茶'] } } };

const tally = (extra: Record<string, unknown> = {}) => ({
  description: 'parcels of tea',
  days: 30,
  when: TEA,
  ...extra,
});

/** A rule set with these tallies (no rule need read them) and a rule `first` every parcel fires. */
const policyWith = (tallies: Record<string, unknown>) =>
  compile({ rules: [rule('first', { fact: 'parcel.pieceCount', gte: 1 })], extra: { tallies } });

const TEA_PATCH = { parcel: { goods: [goodsLine({ description: '普洱茶饼' })] } };
const ROSEWOOD_PATCH = { parcel: { goods: [goodsLine({ description: '红木雕花茶几' })] } };

const caseFile = (
  cases: { facts?: unknown; tallies?: string[]; fired?: string[] }[],
  file = 'rules/test/cases/tallies.yaml',
) => ({
  file,
  document: {
    cases: cases.map((one, index) => ({
      name: `case ${index}`,
      facts: one.facts ?? {},
      expect: {
        lane: 'release',
        fired: one.fired ?? ['first'],
        ...(one.tallies === undefined ? {} : { tallies: one.tallies }),
      },
    })),
  },
});

describe('expect.tallies: the tallies a case parcel marks', () => {
  const policy = policyWith({ tea: tally() });

  it('passes when the parcel marks exactly the tallies listed', () => {
    // Act
    const report = runCases(policy, [
      caseFile([
        { facts: TEA_PATCH, tallies: ['tea'] },
        { facts: {}, tallies: [] },
      ]),
    ]);

    // Assess
    expect(report.results.map((result) => result.failures)).toEqual([[], []]);
    expect(report.results.map((result) => result.tallies)).toEqual([['tea'], []]);
    expect(report.passed).toBe(true);
  });

  it('fails a tally that wrongly counts a rosewood coffee table as tea', () => {
    // Act
    const report = runCases(policy, [
      caseFile([
        { facts: TEA_PATCH, tallies: ['tea'] },
        { facts: ROSEWOOD_PATCH, tallies: [] },
      ]),
    ]);

    // Assess
    expect(report.results[1]?.failures).toEqual([
      'cases[1].expect.tallies: marked tallies differ: unexpected [tea]',
    ]);
  });

  it('fails a case listing another tally than the one its parcel marks, as many', () => {
    // Prepare
    const two = policyWith({ tea: tally(), every: { description: 'every parcel', days: 30 } });

    // Act: a scarf marks every, not tea
    const report = runCases(two, [caseFile([{ facts: {}, tallies: ['tea'] }])]);

    // Assess
    expect(report.results[0]?.failures).toEqual([
      'cases[0].expect.tallies: marked tallies differ: unexpected [every], not marked [tea] (tea: its when is not true on this parcel)',
    ]);
  });

  it('says why a tally expected is not marked', () => {
    // Act
    const report = runCases(policy, [caseFile([{ facts: {}, tallies: ['tea'] }])]);

    // Assess
    expect(report.results[0]?.failures).toEqual([
      'cases[0].expect.tallies: marked tallies differ: not marked [tea] (tea: its when is not true on this parcel)',
    ]);
  });

  it('says so when a distinct tally is not marked because the parcel lacks its key', () => {
    // Prepare: the baseline parcel carries no ID document
    const distinct = policyWith({ tea: tally(), documents: tally({ distinct: 'parties.idDocument' }) });

    // Act
    const report = runCases(distinct, [caseFile([{ facts: TEA_PATCH, tallies: ['tea', 'documents'] }])]);

    // Assess
    expect(report.results[0]?.failures).toEqual([
      'cases[0].expect.tallies: marked tallies differ: not marked [documents] (documents: its when is true, but the parcel has no parties.idDocument, whose distinct values it counts)',
    ]);
  });

  it('marks every id of a counter several tallies share', () => {
    // Prepare: the same thing counted over two windows
    const shared = policyWith({ tea: tally(), 'tea-week': tally({ days: 7 }) });

    // Act
    const report = runCases(shared, [caseFile([{ facts: TEA_PATCH, tallies: ['tea-week', 'tea'] }])]);

    // Assess
    expect(report.results[0]?.failures).toEqual([]);
    expect(report.results[0]?.tallies).toEqual(['tea', 'tea-week']);
  });

  it('refuses an id that names no tally, and one listed twice', () => {
    // Act
    const report = runCases(policy, [
      caseFile([
        { facts: TEA_PATCH, tallies: ['tee'] },
        { facts: TEA_PATCH, tallies: ['tea', 'tea'] },
      ]),
    ]);

    // Assess
    expect(report.results.map((result) => result.failures)).toEqual([
      ["cases[0].expect.tallies[0]: unknown tally tee; the rule set's tallies: tea; did you mean tea?"],
      ['cases[1].expect.tallies[1]: tally tea is listed twice, first at expect.tallies[0]'],
    ]);
  });
});

describe('every tally marked by a case that states expect.tallies', () => {
  const policy = policyWith({ tea: tally() });
  const UNMARKED =
    'tallies no case marks: tea (a case that states expect.tallies must list each tally its parcel marks: give each tally one whose parcel meets its when, and one beside it whose parcel does not)';

  it('fails a rule set whose tally no case marks, though every case passes', () => {
    // Act
    const report = runCases(policy, [caseFile([{ facts: {}, tallies: [] }])]);

    // Assess
    expect(report.results[0]?.failures).toEqual([]);
    expect(report.unmarkedTallies).toEqual(['tea']);
    expect(report.problems).toEqual([UNMARKED]);
    expect(report.passed).toBe(false);
  });

  it('counts only the marks of cases that state expect.tallies', () => {
    // Act: the parcel marks tea, but the case does not say so, so the filter is not tested
    const report = runCases(policy, [caseFile([{ facts: TEA_PATCH }])]);

    // Assess
    expect(report.results[0]?.tallies).toEqual(['tea']);
    expect(report.problems).toEqual([UNMARKED]);
  });

  it('says only that a rule set without cases has none, not that no case marks its tallies', () => {
    // Act
    const report = runCases(policy, []);

    // Assess
    expect(report.unmarkedTallies).toEqual(['tea']);
    expect(report.problems).toEqual([`rule set ${policy.id} has no cases`]);
    expect(report.passed).toBe(false);
  });

  it('asks nothing of a rule set without tallies', () => {
    // Act
    const report = runCases(policyWith({}), [caseFile([{ facts: {} }])]);

    // Assess
    expect(report.unmarkedTallies).toEqual([]);
    expect(report.passed).toBe(true);
  });
});

describe("a case's tallies are counts screening can give", () => {
  const policy = policyWith({
    tea: tally(),
    'tea-week': tally({ days: 7, when: { all: [TEA] } }),
    'tea-phones': tally({ days: 14, distinct: 'parties.phone' }),
    'tea-season': tally({ days: 60, when: { any: [TEA] } }),
  });
  const failuresOf = (history: unknown) =>
    runCases(policy, [caseFile([{ facts: { history } }])]).results[0]?.failures;

  it.each<[string, unknown, string[]]>([
    [
      'a party not known with a tally',
      { address: { known: false, tallies: { tea: 3 } } },
      [
        "cases[0].facts.history.address.tallies.tea: 3, but parcels30d is 0: a tally counts the address's parcels that met its when, and a party not known has none (known: false gives no parcels; write parcels30d if the parcels were recorded after now)",
      ],
    ],
    [
      'a 30-day tally above the 30-day parcels',
      { address: { tallies: { tea: 5 }, parcels30d: 1 } },
      [
        "cases[0].facts.history.address.tallies.tea: 5, but parcels30d is 1: a tally counts the address's parcels that met its when, and the 30 days of parcels30d hold its 30, so at most parcels30d",
      ],
    ],
    [
      'a 7-day tally above the 7-day parcels',
      { consignee: { tallies: { 'tea-week': 2 }, parcels7d: 1 } },
      [
        "cases[0].facts.history.consignee.tallies.tea-week: 2, but parcels7d is 1: a tally counts the consignee's parcels that met its when, and the 7 days of parcels7d hold its 7, so at most parcels7d",
      ],
    ],
    [
      'a 14-day distinct tally above the 30-day parcels',
      { address: { tallies: { 'tea-phones': 3 }, parcels30d: 2 } },
      [
        "cases[0].facts.history.address.tallies.tea-phones: 3, but parcels30d is 2: a distinct tally counts keys that came with the address's parcels, each with one at least, and the 30 days of parcels30d hold its 14, so at most parcels30d",
      ],
    ],
    [
      'a 60-day tally above the 90-day parcels',
      { phone: { tallies: { 'tea-season': 4 }, parcels90d: 3, parcels30d: 1, parcels7d: 0 } },
      [
        "cases[0].facts.history.phone.tallies.tea-season: 4, but parcels90d is 3: a tally counts the phone's parcels that met its when, and the 90 days of parcels90d hold its 60, so at most parcels90d",
      ],
    ],
  ])('refuses %s, naming the tally', (_name, history, failures) => {
    // Act / Assess
    expect(failuresOf(history)).toEqual(failures);
  });

  it.each<[string, unknown]>([
    ['a tally within the parcels', { address: { tallies: { tea: 2 }, parcels30d: 2 } }],
    // The baseline's known address has 2 parcels in 30 days: those left out follow the tally.
    ['parcels left out, which follow the tally', { address: { tallies: { tea: 5, 'tea-season': 7 } } }],
    // Screening can read a party whose parcels are recorded after now on now's day: not known, with parcels.
    [
      'a party not known whose parcels are written',
      { address: { known: false, parcels30d: 3, tallies: { tea: 3 } } },
    ],
    ['a party not known with every tally 0', { address: { known: false, tallies: { tea: 0 } } }],
  ])('takes %s', (_name, history) => {
    // Act / Assess
    expect(failuresOf(history)).toEqual([]);
  });

  it('names only the tallies above 0 of a party the parcel has no key for', () => {
    // Act: the baseline parcel carries no ID document
    const failures = failuresOf({ idDocument: { tallies: { tea: 0, 'tea-week': 0, 'tea-phones': 2 } } });

    // Assess
    expect(failures).toEqual([
      'cases[0].facts.history.idDocument.tallies: {"tea-phones":2}, but the parcel carries no consignee ID document: screening gives an empty idDocument history without one (write parcel.consignee.idDocument)',
    ]);
  });
});

describe('a tally without when counts every parcel', () => {
  const everyParcel = { description: 'every parcel', days: 30 };

  it('is marked by every parcel, and by a case that says so', () => {
    // Prepare
    const policy = policyWith({ tea: tally(), all: everyParcel });

    // Act
    const marks = policy.tallyMarks(baselineFacts());
    const report = runCases(policy, [caseFile([{ facts: {}, tallies: ['all'] }])]);

    // Assess
    expect(marks).toEqual([{ counter: policy.tallies[1]!.counter }]);
    expect(report.results[0]?.failures).toEqual([]);
  });

  it('has a counter of its own, the same on every load, that no written when shares', () => {
    // Prepare
    const counterOf = (when: unknown) =>
      policyWith({ all: { ...everyParcel, ...(when === undefined ? {} : { when }) } }).tallies[0]!.counter;

    // Act / Assess
    expect(counterOf(undefined)).toBe(counterOf(undefined));
    expect(counterOf(undefined)).not.toBe(counterOf({ fact: 'parcel.pieceCount', gte: 1 }));
    expect(counterOf(undefined)).not.toBe(counterOf({ all: [{ fact: 'parcel.pieceCount', exists: true }] }));
  });

  it("is taken by the editors' schema", () => {
    // Act / Assess
    expect(
      editorTakes({
        ...editorRuleSet('first', { fact: 'parcel.pieceCount', gte: 1 }),
        tallies: { all: everyParcel },
      }),
    ).toBe(true);
  });

  it('says that all: [] is no condition, and how to count every parcel', () => {
    // Act
    const issues = issuesOf(() =>
      compileRuleSet(
        ruleSetInput({
          rules: [rule('first', { fact: 'parcel.pieceCount', gte: 1 })],
          extra: { tallies: { all: { ...everyParcel, when: { all: [] } } } },
        }),
      ),
    );

    // Assess
    expect(issues).toEqual([
      expect.objectContaining({
        file: RULE_SET_FILE,
        path: 'tallies.all.when.all',
        reason:
          'all takes at least one condition, not none (a tally that counts every parcel leaves out its when)',
      }),
    ]);
  });
});

describe('an unknown field in a tally', () => {
  it('names the fields a tally takes, with the one meant', () => {
    // Act
    const issues = issuesOf(() =>
      compileRuleSet(
        ruleSetInput({
          rules: [rule('first', { fact: 'parcel.pieceCount', gte: 1 })],
          extra: { tallies: { tea: tally({ total: 'parcel.pieceCount' }), week: tally({ day: 7 }) } },
        }),
      ),
    );

    // Assess
    expect(issues.map((issue) => `${issue.path}: ${issue.reason}`)).toEqual([
      'tallies.tea: unknown field total; a tally takes description, days, when, distinct, sum (when, distinct and sum optional)',
      'tallies.week: unknown field day; a tally takes description, days, when, distinct, sum (when, distinct and sum optional); did you mean days?',
    ]);
  });
});
