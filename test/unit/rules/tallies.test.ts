import { describe, expect, it } from 'vitest';
import { baselineFacts, mergeFacts, runCases } from '../../../functions/core/rules/cases/index.js';
import { tallyFactEntries } from '../../../functions/core/rules/fact-catalogue.js';
import { compileRuleSet, RuleSetDocumentSchema } from '../../../functions/core/rules/index.js';
import type { ScreeningFacts } from '../../../functions/core/screening/facts.js';
import {
  compile,
  editorRuleSet,
  editorTakes,
  facts,
  firedIds,
  issuesOf,
  RULE_SET_FILE,
  type RuleSetParts,
  rule,
  ruleSetInput,
} from './rule-set-factory.js';

const FROM_RUILI = { fact: 'parcel.route.origin.city', in: ['Ruili', '瑞丽'] };
const SMALL = { fact: 'parcel.declaredGrossWeightKg', lt: 1 };

/** The README's tally: parcels under 1 kg from Ruili, over 30 days. */
const smallFromRuili = (extra: Record<string, unknown> = {}) => ({
  description: 'parcels under 1 kg declared from Ruili',
  days: 30,
  when: { all: [FROM_RUILI, SMALL] },
  ...extra,
});

const READS_TALLY = { fact: 'history.address.tallies.small-parcels-from-ruili', gte: 2 };

/** A rule set with `tallies` and a rule `third` reading the first one (or `when`). */
const withTallies = (
  tallies: Record<string, unknown>,
  when: unknown = READS_TALLY,
  parts: Partial<RuleSetParts> = {},
): RuleSetParts => ({
  ...parts,
  rules: [rule('first', { fact: 'parcel.pieceCount', gte: 1 }), rule('third', when)],
  extra: { tallies },
});

const FROM_RUILI_PATCH = { parcel: { route: { origin: { city: 'Ruili', region: 'Yunnan' } } } };

describe('tallies: load-time errors name the file, the rule or tally, and the JSON path', () => {
  it.each<[string, RuleSetParts, { ruleId?: string; path: string; reason: RegExp }]>([
    [
      'a rule reading a tally the rule set does not declare, with the one meant',
      withTallies(
        { 'small-parcels-from-ruili': smallFromRuili() },
        { fact: 'history.address.tallies.small-parcel-from-ruili', gte: 2 },
      ),
      {
        ruleId: 'third',
        path: 'rules[1].when.fact',
        reason:
          /^unknown tally small-parcel-from-ruili in history\.address\.tallies\.small-parcel-from-ruili; the rule set's tallies: small-parcels-from-ruili; did you mean history\.address\.tallies\.small-parcels-from-ruili\?$/,
      },
    ],
    [
      'a rule reading a tally when the rule set declares none',
      withTallies({}),
      {
        ruleId: 'third',
        path: 'rules[1].when.fact',
        reason:
          /^unknown tally small-parcels-from-ruili .*tallies: none \(a rule set declares them under tallies\)$/,
      },
    ],
    [
      'a tally whose when reads history',
      withTallies({
        'small-parcels-from-ruili': smallFromRuili({
          when: { all: [FROM_RUILI, { fact: 'history.address.parcels30d', gte: 1 }] },
        }),
      }),
      {
        path: 'tallies.small-parcels-from-ruili.when',
        reason: /cannot read history .*: it reads history\.address\.parcels30d$/,
      },
    ],
    [
      'a tally whose when reads history as a whole',
      withTallies({
        'small-parcels-from-ruili': smallFromRuili({ when: { fact: 'history', exists: true } }),
      }),
      {
        path: 'tallies.small-parcels-from-ruili.when',
        reason: /cannot read history .*: it reads history$/,
      },
    ],
    [
      'a tally whose when reads another tally',
      withTallies({
        'small-parcels-from-ruili': smallFromRuili(),
        again: smallFromRuili({ when: READS_TALLY }),
      }),
      {
        path: 'tallies.again.when',
        reason: /cannot read history .*: it reads history\.address\.tallies\.small-parcels-from-ruili$/,
      },
    ],
    [
      'a tally whose when reads history through a derived fact, itself through another',
      withTallies(
        {
          'small-parcels-from-ruili': smallFromRuili({
            when: { fact: 'derived.busyConsignee', gte: 1 },
          }),
        },
        READS_TALLY,
        {
          derived: {
            recent: { description: 'recent parcels', value: { fact: 'history.consignee.parcels7d' } },
            busyConsignee: { description: 'busy', value: { add: [{ fact: 'derived.recent' }, 1] } },
          },
        },
      ),
      {
        path: 'tallies.small-parcels-from-ruili.when',
        reason: /: it reads history\.consignee\.parcels7d through derived\.busyConsignee$/,
      },
    ],
    [
      'a tally whose when reads an unknown fact',
      withTallies({
        'small-parcels-from-ruili': smallFromRuili({
          when: { fact: 'parcel.route.origin.town', eq: 'Ruili' },
        }),
      }),
      {
        path: 'tallies.small-parcels-from-ruili.when.fact',
        reason: /^unknown fact parcel\.route\.origin\.town/,
      },
    ],
    [
      'a distinct that is no party key',
      withTallies({ 'small-parcels-from-ruili': smallFromRuili({ distinct: 'parcel.consignee.phone' }) }),
      {
        path: 'tallies.small-parcels-from-ruili.distinct',
        reason:
          /^expected one of parties\.consignee, parties\.shipper, parties\.phone, parties\.address, parties\.idDocument, parties\.consigneeName, not "parcel\.consignee\.phone"$/,
      },
    ],
    [
      'a window of 0 days',
      withTallies({ 'small-parcels-from-ruili': smallFromRuili({ days: 0 }) }),
      {
        path: 'tallies.small-parcels-from-ruili.days',
        reason: /^a whole number of days from 1 to 90 .*, not 0$/,
      },
    ],
    [
      'a window longer than the history keeps',
      withTallies({ 'small-parcels-from-ruili': smallFromRuili({ days: 91 }) }),
      {
        path: 'tallies.small-parcels-from-ruili.days',
        reason: /^a whole number of days from 1 to 90 .*, not 91$/,
      },
    ],
    [
      'a window of part of a day',
      withTallies({ 'small-parcels-from-ruili': smallFromRuili({ days: 1.5 }) }),
      { path: 'tallies.small-parcels-from-ruili.days', reason: /from 1 to 90 .*, not 1\.5$/ },
    ],
    [
      'a window left out',
      withTallies({ 'small-parcels-from-ruili': smallFromRuili({ days: undefined }) }),
      {
        path: 'tallies.small-parcels-from-ruili.days',
        reason: /^missing: a required field, a whole number of days from 1 to 90/,
      },
    ],
    [
      'a tally id that is not kebab-case',
      withTallies({ smallFromRuili: smallFromRuili() }),
      { path: 'tallies.smallFromRuili', reason: /kebab-case id/ },
    ],
    [
      'a hyphen in a fact path outside a tally id',
      withTallies(
        { 'small-parcels-from-ruili': smallFromRuili() },
        { fact: 'parcel.route.origin-city', eq: 'x' },
      ),
      { ruleId: 'third', path: 'rules[1].when.fact', reason: /"origin-city" has "-"/ },
    ],
  ])('refuses %s', (_name, parts, expected) => {
    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: RULE_SET_FILE, path: expected.path });
    expect(issues[0]!.ruleId).toBe(expected.ruleId);
    expect(issues[0]!.reason).toMatch(expected.reason);
  });
});

describe('tallies: rules read them as numbers that are never missing', () => {
  const policy = compile(withTallies({ 'small-parcels-from-ruili': smallFromRuili() }));

  it.each<[string, number | undefined, boolean]>([
    ['two before this one', 2, true],
    ['one before this one', 1, false],
    ['none written: 0', undefined, false],
  ])('fires on %s', (_name, count, fired) => {
    // Prepare
    const patch =
      count === undefined
        ? FROM_RUILI_PATCH
        : { ...FROM_RUILI_PATCH, history: { address: { tallies: { 'small-parcels-from-ruili': count } } } };

    // Act / Assess
    expect(firedIds(policy, patch).includes('third')).toBe(fired);
  });

  it('reads 0, not missing, on facts built without the tally', () => {
    // Prepare: the baseline's tallies are empty, as on a decision recorded before the tally
    const zero = compile(
      withTallies(
        { 'small-parcels-from-ruili': smallFromRuili() },
        {
          fact: 'history.shipper.tallies.small-parcels-from-ruili',
          eq: 0,
        },
      ),
    );

    // Act / Assess
    expect(firedIds(zero)).toContain('third');
  });

  it("reads 0 for a tally named constructor, not every object's constructor", () => {
    // Prepare
    const named = compile(
      withTallies({ constructor: smallFromRuili() }, { fact: 'history.shipper.tallies.constructor', eq: 0 }),
    );

    // Act / Assess
    expect(firedIds(named)).toContain('third');
  });

  it('shows the tally in a reason', () => {
    // Prepare
    const shown = compile({
      rules: [
        rule('third', READS_TALLY, { reason: '{history.address.tallies.small-parcels-from-ruili} before' }),
      ],
      extra: { tallies: { 'small-parcels-from-ruili': smallFromRuili() } },
    });

    // Act
    const evaluation = shown.evaluate(
      facts({ history: { address: { tallies: { 'small-parcels-from-ruili': 3 } } } }),
    );

    // Assess
    expect(evaluation.firedRules[0]?.reason).toBe('3 before');
  });

  it('refuses a tally compared with text, as any number', () => {
    // Act
    const issues = issuesOf(() =>
      compile(
        withTallies(
          { 'small-parcels-from-ruili': smallFromRuili() },
          { fact: 'history.address.tallies.small-parcels-from-ruili', startsWith: 'x' },
        ),
      ),
    );

    // Assess
    expect(issues[0]).toMatchObject({ ruleId: 'third', path: 'rules[1].when.startsWith' });
  });
});

describe('tallies: what a parcel marks', () => {
  const policy = compile(
    withTallies({
      'small-parcels-from-ruili': smallFromRuili(),
      'consignee-phones': {
        description: 'distinct consignee phones',
        days: 14,
        when: { fact: 'parcel.pieceCount', gte: 1 },
        distinct: 'parties.phone',
      },
      'addresses-of-heavy': {
        description: 'distinct addresses of heavy parcels',
        days: 7,
        when: { fact: 'parcel.measuredWeightKg', gt: 20 },
        distinct: 'parties.address',
      },
    }),
  );
  const [small, phones, addresses] = policy.tallies;
  const heavy = { parcel: { measuredWeightKg: 25, declaredGrossWeightKg: 25 } };

  it.each<[string, () => ScreeningFacts, (facts: ScreeningFacts) => unknown[]]>([
    [
      'a small parcel from Ruili: the parcel tally, and its phone for the distinct one',
      () => facts(FROM_RUILI_PATCH),
      (f) => [{ counter: small!.counter }, { counter: phones!.counter, value: f.parties.phone }],
    ],
    [
      'a parcel from Shenzhen: the condition is false, no parcel mark',
      () => facts(),
      (f) => [{ counter: phones!.counter, value: f.parties.phone }],
    ],
    [
      'a heavy parcel: its address key for the distinct tally of addresses',
      () => facts(heavy),
      (f) => [
        { counter: phones!.counter, value: f.parties.phone },
        { counter: addresses!.counter, value: f.parties.address },
      ],
    ],
    [
      'a heavy parcel without an address key: nothing for that tally',
      () => {
        const f = facts(heavy);
        const { address: _none, ...parties } = f.parties;
        return { ...f, parties };
      },
      (f) => [{ counter: phones!.counter, value: f.parties.phone }],
    ],
    [
      'a parcel whose measured weight is missing: the condition is missing, no mark',
      () => facts({ parcel: { measuredWeightKg: null } }),
      (f) => [{ counter: phones!.counter, value: f.parties.phone }],
    ],
  ])('marks %s', (_name, build, expected) => {
    // Prepare
    const parcel = build();

    // Act
    const marks = policy.tallyMarks(parcel);

    // Assess
    expect(marks).toEqual(expected(parcel));
  });

  it('declares each tally with its counter, window and kind, and leaves evaluate as it is', () => {
    // Act / Assess
    expect(policy.tallies).toEqual([
      {
        id: 'small-parcels-from-ruili',
        counter: expect.stringMatching(/^[0-9a-f]{16}$/),
        days: 30,
        distinct: false,
        sum: false,
        parties: ['address'],
      },
      {
        id: 'consignee-phones',
        counter: expect.stringMatching(/^[0-9a-f]{16}$/),
        days: 14,
        distinct: true,
        sum: false,
        parties: [],
      },
      {
        id: 'addresses-of-heavy',
        counter: expect.stringMatching(/^[0-9a-f]{16}$/),
        days: 7,
        distinct: true,
        sum: false,
        parties: [],
      },
    ]);
    expect(policy.evaluate(facts(FROM_RUILI_PATCH)).firedRules.map((fired) => fired.ruleId)).toEqual([
      'first',
    ]);
  });

  it('marks a counter once when two tallies count the same thing over other windows', () => {
    // Prepare
    const twice = compile(
      withTallies({
        'small-parcels-from-ruili': smallFromRuili(),
        'small-ruili-7d': smallFromRuili({ days: 7 }),
      }),
    );

    // Act
    const marks = twice.tallyMarks(facts(FROM_RUILI_PATCH));

    // Assess
    expect(twice.tallies[0]!.counter).toBe(twice.tallies[1]!.counter);
    expect(marks).toEqual([{ counter: twice.tallies[0]!.counter }]);
  });

  it('marks nothing for a rule set without tallies', () => {
    // Act / Assess
    expect(compile({ rules: [rule('first', SMALL)] }).tallyMarks(facts())).toEqual([]);
    expect(compile({ rules: [rule('first', SMALL)] }).tallies).toEqual([]);
  });
});

describe('tallies: counter and version', () => {
  const derived = {
    kg: { description: 'weight', unit: 'kg', value: { fact: 'parcel.declaredGrossWeightKg' } },
    grams: { description: 'weight in grams', value: { mul: [{ fact: 'derived.kg' }, 1000] } },
  };
  const tables = {
    risk: { description: 'origin risk', match: 'exact', entries: { Ruili: 3 } },
  };
  const base = smallFromRuili({
    when: {
      all: [
        FROM_RUILI,
        { fact: 'derived.grams', lt: 1000 },
        { value: { lookup: { table: 'risk', key: 'parcel.route.origin.city' } }, gte: 1 },
      ],
    },
  });
  const load = (
    tally: Record<string, unknown>,
    parts: Partial<RuleSetParts> = {},
    id = 'small-parcels-from-ruili',
  ) => {
    const policy = compile(
      withTallies(
        { [id]: tally },
        { fact: `history.address.tallies.${id}`, gte: 2 },
        {
          derived,
          tables,
          ...parts,
        },
      ),
    );
    return { version: policy.version, counter: policy.tallies[0]!.counter };
  };
  const before = load(base);

  it.each<[string, () => { version: string; counter: string }, boolean]>([
    ['its days', () => load({ ...base, days: 14 }), false],
    ['its description', () => load({ ...base, description: 'small ones' }), false],
    ['its id', () => load(base, {}, 'small-ruili'), false],
    ['its when', () => load({ ...base, when: FROM_RUILI }), true],
    ['its distinct', () => load({ ...base, distinct: 'parties.consignee' }), true],
    [
      'a derived fact its when reads through another',
      () =>
        load(base, {
          derived: { ...derived, kg: { ...derived.kg, value: { fact: 'parcel.measuredWeightKg' } } },
        }),
      true,
    ],
    [
      "a derived fact's description",
      () => load(base, { derived: { ...derived, kg: { ...derived.kg, description: 'kg' } } }),
      false,
    ],
    [
      'a table its when reads',
      () => load(base, { tables: { risk: { ...tables.risk, entries: { Ruili: 4 } } } }),
      true,
    ],
  ])('changing %s changes the version, and the counter: %s', (_name, changed, counterChanges) => {
    // Act
    const after = changed();

    // Assess
    expect(after.version).not.toBe(before.version);
    expect(after.counter !== before.counter).toBe(counterChanges);
  });

  it('counts the same thing under the same counter in two rule sets', () => {
    // Prepare
    const other = compileRuleSet({
      ...ruleSetInput(
        withTallies({ mine: base }, { fact: 'history.phone.tallies.mine', gte: 1 }, { derived, tables }),
      ),
    });

    // Act / Assess
    expect(other.tallies[0]!.counter).toBe(before.counter);
    expect(other.version).not.toBe(before.version);
  });

  it('keeps the version of a rule set that declares none', () => {
    // Prepare
    const document = ruleSetInput({ rules: [rule('first', SMALL)] });

    // Act
    const parsed = RuleSetDocumentSchema.parse(document.ruleSet.document);

    // Assess: no `tallies: {}` filled in, which would move every rule set's version
    expect(Object.hasOwn(parsed, 'tallies')).toBe(false);
  });
});

describe('tallies in rule cases', () => {
  const policy = compile(withTallies({ 'small-parcels-from-ruili': smallFromRuili() }));
  const caseFile = (history: unknown, fired: string[]) => ({
    file: 'rules/test/cases/tallies.yaml',
    document: {
      cases: [
        {
          name: 'tallied',
          facts: { ...FROM_RUILI_PATCH, history },
          expect: { lane: 'release', fired: ['first', ...fired] },
        },
      ],
    },
  });

  it('sets a declared tally, and reads 0 for one left out', () => {
    // Act
    const set = runCases(policy, [
      caseFile({ address: { tallies: { 'small-parcels-from-ruili': 2 } } }, ['third']),
    ]);
    const left = runCases(policy, [caseFile({ address: { known: true } }, [])]);

    // Assess
    expect(set.results[0]?.failures).toEqual([]);
    expect(left.results[0]?.failures).toEqual([]);
  });

  it('refuses a tally the rule set does not declare, with the one meant', () => {
    // Act
    const report = runCases(policy, [
      caseFile({ address: { tallies: { 'small-parcel-from-ruili': 2 } } }, []),
    ]);

    // Assess
    expect(report.results[0]?.failures).toEqual([
      "cases[0].facts.history.address.tallies.small-parcel-from-ruili: unknown tally; the rule set's tallies: small-parcels-from-ruili; did you mean history.address.tallies.small-parcels-from-ruili?",
    ]);
  });

  it.each<[string, number, boolean]>([
    ['0, as screening gives it', 0, true],
    ['1, which screening never gives it', 1, false],
  ])('takes a tally of a party the parcel has no key for (no ID document) at %s', (_name, count, takes) => {
    // Act
    const report = runCases(policy, [
      caseFile({ idDocument: { tallies: { 'small-parcels-from-ruili': count } } }, []),
    ]);

    // Assess
    const failures = report.results[0]?.failures ?? [];
    expect(failures.length === 0).toBe(takes);
    if (!takes) expect(failures[0]).toMatch(/^cases\[0\]\.facts\.history\.idDocument\.tallies: /);
  });

  it('refuses a tally that is not a count', () => {
    // Act
    const report = runCases(policy, [
      caseFile({ address: { tallies: { 'small-parcels-from-ruili': -1 } } }, []),
    ]);

    // Assess
    expect(report.results[0]?.failures[0]).toMatch(
      /^cases\[0\]\.facts\.history\.address\.tallies\.small-parcels-from-ruili: /,
    );
  });
});

describe('tallies in the fact catalogue and the editors schema', () => {
  it('lists each tally under each history party, a number always there, with its description', () => {
    // Act
    const entries = tallyFactEntries({
      tallies: {
        'small-parcels-from-ruili': RuleSetDocumentSchema.shape.tallies
          .unwrap()
          .valueType.parse(smallFromRuili()),
      },
    });

    // Assess
    expect(entries.map((entry) => entry.path)).toEqual([
      'history.consignee.tallies.small-parcels-from-ruili',
      'history.shipper.tallies.small-parcels-from-ruili',
      'history.phone.tallies.small-parcels-from-ruili',
      'history.address.tallies.small-parcels-from-ruili',
      'history.idDocument.tallies.small-parcels-from-ruili',
    ]);
    expect(entries[3]).toMatchObject({ type: 'number', unit: 'parcels', mayBeMissing: false });
    expect(entries[3]!.meaning).toMatch(
      /^parcels under 1 kg declared from Ruili: parcels to this address .* 30 UTC calendar days/,
    );
  });

  it.each<[string, unknown, boolean]>([
    ['a tally', smallFromRuili(), true],
    ['a distinct tally', smallFromRuili({ distinct: 'parties.phone' }), true],
    ['a window of 91 days', smallFromRuili({ days: 91 }), false],
    ['a distinct on no party key', smallFromRuili({ distinct: 'parcel.parcelId' }), false],
    ['an unknown field', smallFromRuili({ window: 3 }), false],
  ])('the editors schema takes %s: %s', (_name, tally, takes) => {
    // Prepare
    const document = {
      ...editorRuleSet('third', READS_TALLY),
      tallies: { 'small-parcels-from-ruili': tally },
    };

    // Act / Assess
    expect(editorTakes(document)).toBe(takes);
  });

  it('the merged baseline facts carry no tallies until a rule set names them', () => {
    // Act / Assess
    expect(mergeFacts(baselineFacts(), {}).history.address.tallies).toEqual({});
  });
});
