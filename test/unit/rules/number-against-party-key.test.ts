import { describe, expect, it } from 'vitest';
import { compile, issuesOf, RULE_SET_FILE, rule } from './rule-set-factory.js';

// A number compared with text gets the hint to quote it (YAML read it as a number), but not when the
// text is a hashed party key: quoting a number makes no key of it, so the hint would mislead.
describe('a number compared with a hashed party key', () => {
  it.each<[string, unknown, string, string]>([
    [
      'eq',
      { fact: 'parties.phone', eq: 5 },
      'rules[0].when.eq',
      'eq compares parties.phone (a hashed phone key) with 5',
    ],
    [
      'in',
      { fact: 'parties.phone', in: [5] },
      'rules[0].when.in',
      'in compares parties.phone (a hashed phone key) with 5',
    ],
  ])('%s is refused without the hint to quote it', (_name, when, path, reason) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ rules: [rule('r', when)] }));

    // Assess
    expect(issues).toEqual([{ file: RULE_SET_FILE, ruleId: 'r', path, reason }]);
  });

  it('a number compared with plain text keeps the hint', () => {
    // Prepare / Act
    const issues = issuesOf(() =>
      compile({ rules: [rule('r', { fact: 'parcel.route.origin.city', eq: 5 })] }),
    );

    // Assess
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        ruleId: 'r',
        path: 'rules[0].when.eq',
        reason: expect.stringMatching(
          /^eq compares parcel\.route\.origin\.city \(text\) with 5: quote it, "5"/,
        ),
      },
    ]);
  });
});
