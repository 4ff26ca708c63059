import { describe, expect, it } from 'vitest';
import { compile, issuesOf, RULE_SET_FILE, rule } from './rule-set-factory.js';

const someLine = (where: unknown) => ({ some: { of: 'parcel.goods', as: 'line', where } });

// A value that can never match a fact of a known format is refused with the fix: the value without the
// characters the format has no place for. A character text matching folds into one the format takes
// (a full-width digit, an accented letter) is one it has a place for: the fix keeps it.
describe('the fix for a value that can never match, with characters matching folds', () => {
  it.each<[string, unknown, string, string]>([
    [
      'full-width digits and a dot in an HS code',
      someLine({ fact: 'line.hsCode', eq: '９４０３.６０' }),
      'rules[0].when.some.where.eq',
      '"９４０３.６０" can never match line.hsCode (HS code of 6 to 10 digits, no dots): write ９４０３６０',
    ],
    [
      'an accented letter and a dot in a country code',
      { fact: 'parcel.route.origin.country', eq: 'Ç.N' },
      'rules[0].when.eq',
      '"Ç.N" can never match parcel.route.origin.country (ISO 3166-1 alpha-2 country code, e.g. CN): write ÇN',
    ],
  ])('%s', (_name, when, path, reason) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ rules: [rule('r', when)] }));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path, reason }]);
  });
});
