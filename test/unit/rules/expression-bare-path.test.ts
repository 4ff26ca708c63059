import { describe, expect, it } from 'vitest';
import { compile, issuesOf, RULE_SET_FILE, type RuleSetParts, rule } from './rule-set-factory.js';

/**
 * A bare fact path where an expression or a number to compare with is taken (`sum: derived.goodsValueCny`)
 * is the mistake rules/README.md tells under "A bare fact path or { fact: … }?": the load error says how
 * the fact is written there, with the path as written, at every such place.
 */

const EXPRESSION = (path: string) =>
  `expected a number or an expression; a fact is written { fact: ${path} }`;
const COMPARED = (path: string) => `expected a number or { fact: path }; a fact is written { fact: ${path} }`;

/** A rule set whose rule `r` has this `when`, with `parts` beside it. */
const withRule = (when: unknown, parts: Partial<RuleSetParts> = {}): RuleSetParts => ({
  ...parts,
  rules: [rule('r', when)],
});
const DERIVED_BARE = {
  derived: { value: { description: 'declared value', unit: 'CNY', value: 'parcel.declaredGrossWeightKg' } },
};
const TALLY_BARE = {
  extra: { tallies: { t: { description: 'weight', days: 30, sum: 'derived.goodsValueCny' } } },
};
const PIECES = { fact: 'parcel.pieceCount', gte: 1 };

describe('a bare fact path where an expression is taken', () => {
  it.each<[string, RuleSetParts, string, string]>([
    [
      "a derived fact's value",
      withRule(PIECES, DERIVED_BARE),
      'derived.value.value',
      EXPRESSION('parcel.declaredGrossWeightKg'),
    ],
    ["a tally's sum", withRule(PIECES, TALLY_BARE), 'tallies.t.sum', EXPRESSION('derived.goodsValueCny')],
    [
      'an operand of add',
      withRule({ value: { add: ['parcel.pieceCount', 1] }, gt: 1 }),
      'rules[0].when.value.add[0]',
      EXPRESSION('parcel.pieceCount'),
    ],
    [
      'an operand of div, deep in another',
      withRule({
        value: { max: [1, { div: [{ fact: 'parcel.pieceCount' }, 'parcel.declaredGrossWeightKg'] }] },
        gt: 1,
      }),
      'rules[0].when.value.max[1].div[1]',
      EXPRESSION('parcel.declaredGrossWeightKg'),
    ],
    [
      "a condition's value",
      withRule({ value: 'parcel.pieceCount', gt: 1 }),
      'rules[0].when.value',
      EXPRESSION('parcel.pieceCount'),
    ],
    [
      "a sum's value over a list",
      withRule({ value: { sum: { of: 'parcel.goods', as: 'line', value: 'line.quantity' } }, gt: 1 }),
      'rules[0].when.value.sum.value',
      EXPRESSION('line.quantity'),
    ],
    [
      "a count's distinct",
      withRule({ value: { count: { of: 'parcel.goods', distinct: 'item.hsCode' } }, gt: 1 }),
      'rules[0].when.value.count.distinct',
      EXPRESSION('item.hsCode'),
    ],
    [
      'a tally read in an operand, its id kebab-case',
      withRule({ value: { add: ['history.address.tallies.small-from-ruili', 1] }, gt: 1 }),
      'rules[0].when.value.add[0]',
      EXPRESSION('history.address.tallies.small-from-ruili'),
    ],
    [
      "a comparison's right-hand side",
      withRule({ fact: 'parcel.measuredWeightKg', gt: 'parcel.declaredGrossWeightKg' }),
      'rules[0].when.gt',
      COMPARED('parcel.declaredGrossWeightKg'),
    ],
    [
      "a comparison's right-hand side, lte",
      withRule({ fact: 'parcel.measuredWeightKg', lte: 'derived.typicalKg' }),
      'rules[0].when.lte',
      COMPARED('derived.typicalKg'),
    ],
  ])('says how to write a fact in %s', (_name, parts, path, reason) => {
    // Act
    const issues = issuesOf(() => compile(parts));

    // Assess
    expect(issues).toEqual([expect.objectContaining({ file: RULE_SET_FILE, path, reason })]);
  });

  it.each<[string, unknown, string, string]>([
    [
      'text that is no fact path',
      { value: 'pieces count', gt: 1 },
      'rules[0].when.value',
      'expected a number or an expression, not "pieces count"',
    ],
    [
      'a number written as text',
      { value: { add: ['12', 1] }, gt: 1 },
      'rules[0].when.value.add[0]',
      'expected a number or an expression, not "12"',
    ],
    [
      'a list',
      { value: [1, 2], gt: 1 },
      'rules[0].when.value',
      'expected a number or an expression, not [1,2]',
    ],
    ['null', { value: null, gt: 1 }, 'rules[0].when.value', 'expected a number or an expression, not null'],
    [
      'true',
      { value: { add: [true, 1] }, gt: 1 },
      'rules[0].when.value.add[0]',
      'expected a number or an expression, not true',
    ],
    [
      'a number written as text to compare with',
      { fact: 'parcel.pieceCount', gt: '12' },
      'rules[0].when.gt',
      'expected a number or { fact: path }, not "12"',
    ],
  ])('says what it takes, and what is written, for %s', (_name, when, path, reason) => {
    // Act
    const issues = issuesOf(() => compile(withRule(when)));

    // Assess
    expect(issues).toEqual([expect.objectContaining({ path, reason })]);
  });

  it('leaves an expression object with a wrong field to say its own fault', () => {
    // Act
    const issues = issuesOf(() =>
      compile(withRule({ value: { fact: 'parcel.pieceCount', add: 'x' }, gt: 1 })),
    );

    // Assess: the object is an expression: its field is at fault, not the whole
    expect(issues.map((issue) => issue.path)).toEqual(['rules[0].when.value.add']);
  });
});
