import { describe, expect, it } from 'vitest';
import { runCases } from '../../../functions/core/rules/cases/index.js';
import { MAX_TALLY_AMOUNT } from '../../../functions/core/screening/tallies.js';
import {
  CNY_PER_UNIT,
  compile,
  editorRuleSet,
  editorTakes,
  facts,
  GOODS_VALUE_CNY,
  goodsLine,
  goodsOfValues,
  issuesOf,
  RULE_SET_FILE,
  type RuleSetParts,
  rule,
} from './rule-set-factory.js';

/**
 * `marks.<tally id>`: what this parcel adds to a tally, exactly as screening records it (tallyMarks), so
 * a rule for "this parcel included" adds it to the tally's history instead of writing the tally's `when`
 * a second time.
 */

const TABLES = {
  'cny-per-unit': CNY_PER_UNIT,
};
const LIGHT = { fact: 'parcel.measuredWeightKg', lt: 1 };

/** The tallies every test reads: a count of light parcels, their value in CNY, every parcel's weight, phones. */
const TALLIES = {
  light: { description: 'light parcels', days: 30, when: LIGHT },
  'value-of-light': {
    description: 'declared value in CNY of light parcels',
    days: 30,
    when: LIGHT,
    sum: { fact: 'derived.goodsValueCny' },
  },
  weight: { description: 'measured weight', days: 30, sum: { fact: 'parcel.measuredWeightKg' } },
  phones: { description: 'distinct consignee phones', days: 14, distinct: 'parties.phone' },
};

/**
 * A rule set whose one rule `shows` reads `marks.<id>` and fires on every value a mark can take (within
 * MAX_TALLY_AMOUNT either sign), recording it.
 */
const showing = (id: string, parts: Partial<RuleSetParts> = {}): RuleSetParts => ({
  tables: TABLES,
  derived: { goodsValueCny: GOODS_VALUE_CNY },
  ...parts,
  rules: [rule('shows', { fact: `marks.${id}`, gte: -MAX_TALLY_AMOUNT })],
  extra: { tallies: TALLIES, ...parts.extra },
});

/** The mark `shows` reads, as its firing records it (undefined: it did not fire). */
const shown = (policy: ReturnType<typeof compile>, patch: unknown): unknown =>
  policy.evaluate(facts(patch)).firedRules.find((fired) => fired.ruleId === 'shows')?.values;

const HEAVY = { parcel: { measuredWeightKg: 5 } };
const UNWEIGHED = { parcel: { measuredWeightKg: null } };
const IN_EUR = goodsOfValues([10, 'EUR']);

describe('marks.<tally id>: what this parcel adds to a tally', () => {
  it.each<[string, string, unknown, number]>([
    ['a count tally the parcel marks: 1', 'light', {}, 1],
    ['a count tally whose when is false: 0', 'light', HEAVY, 0],
    ['a count tally whose when is missing: 0, as history will hold', 'light', UNWEIGHED, 0],
    ['a sum tally: its amount (the baseline: 200 CNY)', 'value-of-light', {}, 200],
    ['a sum tally through the table: 10 USD is 71 CNY', 'value-of-light', goodsOfValues([10, 'USD']), 71],
    ['a sum tally whose when is false: 0', 'value-of-light', HEAVY, 0],
    ['a sum tally whose when is missing: 0', 'value-of-light', UNWEIGHED, 0],
    ['a sum tally whose sum is missing: 0, as history will hold', 'value-of-light', IN_EUR, 0],
    ['a sum tally without when', 'weight', {}, 0.82],
    [
      'a sum tally rounded as a mark is, to 6 places',
      'weight',
      { parcel: { measuredWeightKg: 0.1234567 } },
      0.123457,
    ],
    ['a sum tally without when whose sum is missing: 0', 'weight', UNWEIGHED, 0],
  ])('reads %s', (_name, id, patch, expected) => {
    // Prepare
    const policy = compile(showing(id));

    // Act
    const values = shown(policy, patch);

    // Assess
    expect(values).toEqual({ [`marks.${id}`]: expected });
  });

  it('reads a sum bounded as a mark is, either sign', () => {
    // Prepare: 10 lines of 1,000,000 pieces at 1,000,000,000 CNY: 1e16, beyond what one parcel adds
    const lineValue = { mul: [{ fact: 'line.quantity' }, { fact: 'line.declaredValue.amount' }] };
    const value = { sum: { of: 'parcel.goods', as: 'line', value: lineValue } };
    const tallies = {
      huge: { description: 'value', days: 30, sum: value },
      owed: { description: 'value owed', days: 30, sum: { sub: [0, value] } },
    };
    const rules = [
      rule('huge', { fact: 'marks.huge', eq: MAX_TALLY_AMOUNT }),
      rule('owed', { fact: 'marks.owed', eq: -MAX_TALLY_AMOUNT }),
    ];
    const policy = compile({ rules, extra: { tallies } });
    const line = goodsLine({
      quantity: 1_000_000,
      declaredValue: { amount: 1_000_000_000, currency: 'CNY' },
    });

    // Act
    const fired = policy.evaluate(facts({ parcel: { goods: Array.from({ length: 10 }, () => line) } }));

    // Assess
    expect(fired.firedRules.map((one) => one.ruleId)).toEqual(['huge', 'owed']);
  });

  it.each<[string, unknown]>([
    ['the baseline parcel', {}],
    ['a heavy parcel', HEAVY],
    ['an unweighed parcel', UNWEIGHED],
    ['a value in USD', goodsOfValues([10, 'USD'])],
    ['a value in a currency the table lacks', IN_EUR],
    ['a weight of many decimals', { parcel: { measuredWeightKg: 0.1234567 } }],
  ])('reads, on %s, what tallyMarks records for the tally (1 or the amount), else 0', (_name, patch) => {
    // Prepare
    const ids = ['light', 'value-of-light', 'weight'];
    const policies = ids.map((id) => compile(showing(id)));
    const parcel = facts(patch);

    // Act
    const read = policies.map((policy) => shown(policy, patch));
    const marks = policies[0]!.tallyMarks(parcel);

    // Assess
    const recorded = ids.map((id) => {
      const tally = policies[0]!.tallies.find((one) => one.id === id)!;
      const mark = marks.find((one) => one.counter === tally.counter);
      return { [`marks.${id}`]: mark === undefined ? 0 : (mark.amount ?? 1) };
    });
    expect(read).toEqual(recorded);
  });

  it('adds this parcel to the history a rule reads: "over 20,000 CNY, this one included"', () => {
    // Prepare
    const over = {
      value: { add: [{ fact: 'history.address.tallies.value-of-light' }, { fact: 'marks.value-of-light' }] },
      gt: 20_000,
    };
    const policy = compile({ ...showing('light'), rules: [rule('over', over)] });
    const history = (sum: number) => ({ history: { address: { tallies: { 'value-of-light': sum } } } });

    // Act
    const fired = [
      { ...history(19_900) },
      { ...history(19_800) },
      { ...history(19_900), ...HEAVY },
      { ...history(20_001), ...IN_EUR },
    ].map((patch) => policy.evaluate(facts(patch)).firedRules.map((one) => one.ruleId));

    // Assess: 19,900 + 200; 19,800 + 200 is not over; a heavy parcel adds nothing; nor one without a value
    expect(fired).toEqual([['over'], [], [], ['over']]);
  });

  it('reads each parcel anew, whatever was read before, and the same parcel the same', () => {
    // Prepare
    const policy = compile(showing('value-of-light'));
    const order = [{}, HEAVY, goodsOfValues([10, 'USD']), {}, IN_EUR, {}];

    // Act
    const read = order.map((patch) => shown(policy, patch));
    const again = order.map((patch) => shown(policy, patch));

    // Assess
    expect(read.map((values) => (values as Record<string, number>)['marks.value-of-light'])).toEqual([
      200, 0, 71, 200, 0, 200,
    ]);
    expect(again).toEqual(read);
  });

  it("reads a mark inside a rule's quantifier, its tally's own quantifier leaving the rule's element alone", () => {
    // Prepare: the tally's when binds a goods line too; the rule reads the mark for each of its lines
    const tallies = {
      'with-tea': {
        description: 'parcels with tea',
        days: 30,
        when: {
          some: { of: 'parcel.goods', as: 'item', where: { fact: 'item.description', contains: 'tea' } },
        },
      },
    };
    const when = {
      some: {
        of: 'parcel.goods',
        as: 'line',
        where: {
          all: [
            { fact: 'marks.with-tea', eq: 1 },
            { fact: 'line.hsCode', eq: '090230' },
          ],
        },
      },
    };
    const policy = compile({
      rules: [rule('tea-line', when, { reason: '{line.description}' })],
      extra: { tallies },
    });
    const parcel = {
      parcel: {
        goods: [
          goodsLine({ description: 'black tea', hsCode: '090230' }),
          goodsLine({ description: 'phone case' }),
        ],
      },
    };

    // Act
    const fired = policy.evaluate(facts(parcel)).firedRules;

    // Assess
    expect(fired).toEqual([expect.objectContaining({ ruleId: 'tea-line', reason: 'black tea' })]);
  });

  it("evaluates a tally's when for its mark only in a rule set that reads the mark, once a parcel", () => {
    // Prepare: the tally alone reads manifest.transport; a getter counts the reads
    const tallies = {
      'by-air': { description: 'by air', days: 30, when: { fact: 'manifest.transport.mode', eq: 'air' } },
    };
    const reading = compile({
      rules: [rule('a', { fact: 'marks.by-air', eq: 0 }), rule('b', { fact: 'marks.by-air', lt: 1 })],
      extra: { tallies },
    });
    const notReading = compile({
      rules: [rule('a', { fact: 'parcel.pieceCount', gte: 1 })],
      extra: { tallies },
    });
    const counted = () => {
      const parcel = facts();
      const reads = { count: 0 };
      const { transport, ...manifest } = parcel.manifest;
      Object.defineProperty(manifest, 'transport', {
        enumerable: true,
        get: () => {
          reads.count += 1;
          return transport;
        },
      });
      return { parcel: { ...parcel, manifest: manifest as typeof parcel.manifest }, reads };
    };
    const read = counted();
    const notRead = counted();

    // Act
    const fired = reading.evaluate(read.parcel).firedRules.map((one) => one.ruleId);
    notReading.evaluate(notRead.parcel);

    // Assess
    expect(fired).toEqual(['a', 'b']);
    expect([read.reads.count, notRead.reads.count]).toEqual([1, 0]);
  });

  it('is read through a derived fact, as any fact', () => {
    // Prepare
    const derived = {
      goodsValueCny: GOODS_VALUE_CNY,
      lightValue: { description: 'this parcel in the light tally', value: { fact: 'marks.value-of-light' } },
    };
    const policy = compile({
      ...showing('light', { derived }),
      rules: [rule('via', { fact: 'derived.lightValue', eq: 71 })],
    });

    // Act
    const fired = [goodsOfValues([10, 'USD']), { ...goodsOfValues([10, 'USD']), ...HEAVY }].map(
      (patch) => policy.evaluate(facts(patch)).firedRules.length,
    );

    // Assess
    expect(fired).toEqual([1, 0]);
  });
});

describe('marks.<tally id>: refused at load', () => {
  it.each<[string, Partial<RuleSetParts>, { path: string; reason: RegExp }]>([
    [
      'a distinct tally: whether its key adds to the count depends on history',
      { rules: [rule('r', { fact: 'marks.phones', gte: 1 })] },
      {
        path: 'rules[0].when.fact',
        reason: /^marks\.phones: a distinct tally has no mark to read: .*history/,
      },
    ],
    [
      'an unknown tally, with the one meant',
      { rules: [rule('r', { fact: 'marks.ligth', gte: 1 })] },
      {
        path: 'rules[0].when.fact',
        reason:
          /^unknown tally ligth in marks\.ligth; the rule set's tallies: light, value-of-light, weight, phones; did you mean marks\.light\?$/,
      },
    ],
    [
      'a field of a mark, which is a number',
      { rules: [rule('r', { fact: 'marks.light.count', gte: 1 })] },
      { path: 'rules[0].when.fact', reason: /^marks\.light is a number, it has no field count$/ },
    ],
    [
      'marks alone, without a tally',
      { rules: [rule('r', { fact: 'marks', gte: 1 })] },
      { path: 'rules[0].when.fact', reason: /^marks needs a tally id: marks\.<tally id>/ },
    ],
  ])('%s', (_name, parts, issue) => {
    // Act
    const issues = issuesOf(() => compile({ ...showing('light'), ...parts }));

    // Assess
    expect(issues).toEqual([
      expect.objectContaining({
        file: RULE_SET_FILE,
        path: issue.path,
        reason: expect.stringMatching(issue.reason),
      }),
    ]);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string, RegExp]>([
    [
      "a tally's when reading a mark",
      { looped: { description: 'x', days: 30, when: { fact: 'marks.light', eq: 1 } } },
      {},
      'tallies.looped.when',
      /cannot read marks.*: it reads marks\.light$/,
    ],
    [
      "a tally's sum reading a mark",
      { looped: { description: 'x', days: 30, sum: { fact: 'marks.weight' } } },
      {},
      'tallies.looped.sum',
      /cannot read marks.*: it reads marks\.weight$/,
    ],
    [
      "a tally's when reading its own mark",
      { looped: { description: 'x', days: 30, when: { fact: 'marks.looped', eq: 0 } } },
      {},
      'tallies.looped.when',
      /cannot read marks.*: it reads marks\.looped$/,
    ],
    [
      "a tally's when reading a mark through a derived fact",
      { looped: { description: 'x', days: 30, when: { fact: 'derived.lightMark', eq: 1 } } },
      { lightMark: { description: 'mark', value: { fact: 'marks.light' } } },
      'tallies.looped.when',
      /cannot read marks.*: it reads marks\.light through derived\.lightMark$/,
    ],
  ])('refuses %s, a cycle', (_name, tallies, derived, path, reason) => {
    // Act
    const issues = issuesOf(() =>
      compile({
        ...showing('light'),
        derived: { goodsValueCny: GOODS_VALUE_CNY, ...derived },
        extra: { tallies: { ...TALLIES, ...tallies } },
      }),
    );

    // Assess
    expect(issues).toEqual([expect.objectContaining({ path, reason: expect.stringMatching(reason) })]);
  });

  it('is no name for a quantifier variable', () => {
    // Act
    const issues = issuesOf(() =>
      compile({
        ...showing('light'),
        rules: [
          rule('r', { some: { of: 'parcel.goods', as: 'marks', where: { fact: 'marks.quantity', gt: 1 } } }),
        ],
      }),
    );

    // Assess
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'rules[0].when.some.as',
        reason: 'marks is a reserved name, choose another variable',
      }),
    ]);
  });
});

describe('marks.<tally id> in editors', () => {
  it("is a fact path the editors' schema takes with a kebab-case tally id, and no field under it", () => {
    // Act
    const taken = ['marks.value-of-light', 'marks.value-of-light.count'].map((path) =>
      editorTakes(editorRuleSet('r', { fact: path, gte: 1 })),
    );

    // Assess
    expect(taken).toEqual([true, false]);
  });
});

describe('marks.<tally id> in cases', () => {
  it('cannot be written by a case: it is computed from the parcel, like a derived fact', () => {
    // Prepare
    const policy = compile(showing('light'));
    const file = {
      file: 'rules/test/cases/marks.yaml',
      document: {
        cases: [
          {
            name: 'writes a mark',
            facts: { marks: { light: 0 } },
            expect: { lane: 'release', fired: ['shows'] },
          },
          {
            name: 'writes a derived fact',
            facts: { derived: { goodsValueCny: 0 } },
            expect: { lane: 'release', fired: ['shows'] },
          },
        ],
      },
    };

    // Act
    const report = runCases(policy, [file]);

    // Assess: refused as a derived fact is
    const [mark, derived] = report.results.map((result) => result.failures[0]);
    expect(mark).toMatch(/^cases\[0\]\.facts\.marks: /);
    expect(derived).toMatch(/^cases\[1\]\.facts\.derived: /);
    expect(mark!.replace(/^cases\[0\]\.facts\.marks/, '')).toBe(
      derived!.replace(/^cases\[1\]\.facts\.derived/, ''),
    );
    expect(report.passed).toBe(false);
  });
});
