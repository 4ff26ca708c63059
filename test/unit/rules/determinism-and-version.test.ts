import { describe, expect, it } from 'vitest';
import { canonicalJson, compileRuleSet } from '../../../functions/core/rules/index.js';
import { compile, facts, list, rule, ruleSetInput } from './rule-set-factory.js';

const PARTS = {
  lists: [list('origins', ['Shenzhen', 'Ruili'])],
  derived: {
    ratio: {
      description: 'm/d',
      value: { div: [{ fact: 'parcel.measuredWeightKg' }, { fact: 'parcel.declaredGrossWeightKg' }] },
    },
  },
  rules: [
    rule(
      'origin',
      { fact: 'parcel.route.origin.city', in: { list: 'origins' } },
      { reason: 'from {parcel.route.origin.city} on {list}' },
    ),
    rule('ratio', { fact: 'derived.ratio', gt: 1 }, { reason: 'ratio {derived.ratio}' }),
    rule('phone', {
      some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.description', contains: 'phone' } },
    }),
  ],
};

/** Reverses key order at every level: same content, different text. */
const reorder = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reorder);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reorder(item)]),
    );
  }
  return value;
};

describe('determinism', () => {
  it('returns byte-identical output for the same rule set and facts, across evaluations and compilations', () => {
    // Prepare
    const first = compile(PARTS);
    const second = compile(PARTS);
    const input = facts();

    // Act
    const outputs = [
      JSON.stringify(first.evaluate(input, { trace: true })),
      JSON.stringify(first.evaluate(facts(), { trace: true })),
      JSON.stringify(second.evaluate(input, { trace: true })),
    ];
    first.evaluate(facts({ parcel: { route: { origin: { city: 'Ruili' } } } }));
    outputs.push(JSON.stringify(first.evaluate(input, { trace: true })));

    // Assess
    expect(new Set(outputs).size).toBe(1);
    expect(JSON.parse(outputs[0]!).firedRules.map((r: { ruleId: string }) => r.ruleId)).toEqual([
      'origin',
      'ratio',
      'phone',
    ]);
  });

  it('builds a trace only when asked for one', () => {
    // Prepare
    const policy = compile({ rules: [rule('any-pieces', { fact: 'parcel.pieceCount', gte: 1 })] });

    // Act / Assess
    expect(policy.evaluate(facts())).not.toHaveProperty('trace');
    expect(policy.evaluate(facts(), { trace: false })).not.toHaveProperty('trace');
    expect(policy.evaluate(facts(), { trace: true })).toHaveProperty('trace');
  });

  it('does not modify frozen facts', () => {
    // Prepare
    const policy = compile(PARTS);
    const input = facts();
    const before = JSON.stringify(input);
    const frozen = JSON.parse(before, (_key, value) =>
      value !== null && typeof value === 'object' ? Object.freeze(value) : value,
    );

    // Act
    const evaluation = policy.evaluate(frozen, { trace: true });

    // Assess
    expect(evaluation.firedRules.length).toBe(3);
    expect(JSON.stringify(frozen)).toBe(before);
  });
});

describe('rule set version', () => {
  const version = (input: ReturnType<typeof ruleSetInput>) => compileRuleSet(input).version;

  it('is a sha256 of the canonical content', () => {
    // Prepare / Act
    const result = version(ruleSetInput(PARTS));

    // Assess
    expect(result).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('does not change with key order, file names or list file order', () => {
    // Prepare
    const input = ruleSetInput({ ...PARTS, lists: [...PARTS.lists, list('words', ['teak'])] });
    const reordered = {
      ruleSet: { file: 'elsewhere/rule-set.json', document: reorder(input.ruleSet.document) },
      lists: [...input.lists]
        .reverse()
        .map((item) => ({ file: `x/${item.file}`, document: reorder(item.document) })),
    };

    // Act / Assess
    expect(version(reordered)).toBe(version(input));
  });

  it.each<[string, (document: Record<string, unknown>) => void]>([
    ['tallies: {}', (document) => Object.assign(document, { tallies: {} })],
    ['tables: {}', (document) => Object.assign(document, { tables: {} })],
  ])('does not change when a default is written out: %s', (_name, writeOut) => {
    // Prepare
    const input = ruleSetInput(PARTS);
    const written = ruleSetInput(PARTS);
    writeOut(written.ruleSet.document as Record<string, unknown>);

    // Act / Assess
    expect(version(written)).toBe(version(input));
  });

  it.each([
    [
      'a rule score',
      { ...PARTS, rules: [rule('origin', PARTS.rules[0]!.when, { score: 11 }), ...PARTS.rules.slice(1)] },
    ],
    ['a list value', { ...PARTS, lists: [list('origins', ['Shenzhen', 'Baise'])] }],
    ['a list version', { ...PARTS, lists: [list('origins', ['Shenzhen', 'Ruili'], { version: 2 })] }],
    [
      'a reason',
      {
        ...PARTS,
        rules: [rule('origin', PARTS.rules[0]!.when, { reason: 'other' }), ...PARTS.rules.slice(1)],
      },
    ],
    [
      'a lane band',
      {
        ...PARTS,
        lanes: {
          bands: [
            { from: 0, lane: 'release' },
            { from: 40, lane: 'review' },
          ],
        },
      },
    ],
  ])('changes when %s changes', (_name, changed) => {
    // Prepare / Act / Assess
    expect(version(ruleSetInput(changed))).not.toBe(version(ruleSetInput(PARTS)));
  });

  it('is recorded on every evaluation', () => {
    // Prepare
    const policy = compile(PARTS);

    // Act
    const evaluation = policy.evaluate(facts());

    // Assess
    expect(evaluation).toMatchObject({ ruleSetId: 'test', ruleSetVersion: policy.version });
  });

  it('hashes canonical JSON with sorted keys', () => {
    // Prepare / Act / Assess
    expect(canonicalJson({ b: [1, { d: 1, c: undefined, a: 'x' }], a: null })).toBe(
      '{"a":null,"b":[1,{"a":"x","d":1}]}',
    );
  });
});
