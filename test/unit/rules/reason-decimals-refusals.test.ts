import { describe, expect, it } from 'vitest';
import { compile, issuesOf, RULE_SET_FILE, rule } from './rule-set-factory.js';

const someLine = { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.quantity', gt: 0 } } };

describe('decimals in a reason placeholder, refused', () => {
  it.each<[string, string, string]>([
    [
      'on a quantifier variable’s text field',
      '{line.description:0}',
      '{line.description:0}: line.description is text; decimals are for numbers',
    ],
    [
      'on a quantifier variable’s HS code, which is text',
      '{line.hsCode:2}',
      '{line.hsCode:2}: line.hsCode is text; decimals are for numbers',
    ],
    [
      'that are no number, with no path before them: the example names a path',
      '{:x}',
      "{:x}: a number's decimals are a whole number from 0 to 6 after the colon, as in {derived.name:0}",
    ],
    [
      'that are no number, after a path: the example is that path',
      '{line.quantity:x}',
      "{line.quantity:x}: a number's decimals are a whole number from 0 to 6 after the colon, as in {line.quantity:0}",
    ],
  ])('%s', (_name, reason, problem) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ rules: [rule('r', someLine, { reason })] }));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path: 'rules[0].reason', reason: problem }]);
  });
});
