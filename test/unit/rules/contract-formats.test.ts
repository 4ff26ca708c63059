import { describe, expect, it } from 'vitest';
import { type FactType, SCREENING_FACTS_TYPE } from '../../../functions/core/rules/fact-types.js';
import { compile, issuesOf, RULE_SET_FILE, rule } from './rule-set-factory.js';

/** The fact type at a catalogue path (`parcel.goods[].hsCode`), walked through objects and lists. */
const typeAt = (path: string): FactType | undefined => {
  let type: FactType | undefined = SCREENING_FACTS_TYPE;
  for (const key of path.replaceAll('[]', '.[]').split('.')) {
    if (type === undefined) return undefined;
    if (key === '[]') type = type.kind === 'list' ? type.element : undefined;
    else type = type.kind === 'object' ? type.fields[key] : undefined;
  }
  return type;
};

/**
 * fact-types.ts reads each text field's format from zod's internals (the check's `_zod.def.pattern` and
 * its message): a zod upgrade that moves them would turn the "can never match" load check off without a
 * word. These fail then.
 */
describe('the formats the manifest contract gives text facts, as the loader reads them from zod', () => {
  it.each<[string, string, number, number]>([
    ['parcel.goods[].hsCode', 'HS code of 6 to 10 digits, no dots', 6, 10],
    ['parcel.route.origin.country', 'ISO 3166-1 alpha-2 country code, e.g. CN', 2, 2],
    ['parcel.consignee.address.country', 'ISO 3166-1 alpha-2 country code, e.g. CN', 2, 2],
    ['parcel.goods[].declaredValue.currency', 'ISO 4217 currency code, e.g. CNY', 3, 3],
  ])('finds the format of %s: %s', (path, says, min, max) => {
    // Act
    const type = typeAt(path);

    // Assess
    expect(type?.kind).toBe('text');
    const format = type?.kind === 'text' ? type.format : undefined;
    expect(format).toMatchObject({ says, min, max });
  });

  it.each<[string, unknown, string]>([
    [
      'a currency name',
      {
        some: {
          of: 'parcel.goods',
          as: 'line',
          where: { fact: 'line.declaredValue.currency', eq: 'yuan' },
        },
      },
      '"yuan" can never match line.declaredValue.currency (ISO 4217 currency code, e.g. CNY)',
    ],
    [
      'an HS code with a dot',
      { some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.hsCode', eq: '9403.60' } } },
      '"9403.60" can never match line.hsCode (HS code of 6 to 10 digits, no dots): write 940360',
    ],
  ])('refuses %s a rule compares with it', (_name, when, reason) => {
    // Prepare / Act
    const issues = issuesOf(() => compile({ rules: [rule('r', when)] }));

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ruleId: 'r',
      path: expect.stringMatching(/^rules\[0\]\.when\.some\.where\.eq$/),
      reason,
    });
  });
});
