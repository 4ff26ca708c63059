import { describe, expect, it } from 'vitest';
import { compile, issuesOf, rule } from './rule-set-factory.js';

/**
 * A value an enum fact cannot hold says what was probably meant: a province written by name where
 * places.* compares ISO 3166-2 codes, or the one value it differs from in case or by an edit.
 */

const reasonOf = (when: unknown): string => {
  const issues = issuesOf(() => compile({ rules: [rule('r', when)] }));
  expect(issues).toHaveLength(1);
  return issues[0]?.reason ?? '';
};

describe('hints for a value an enum fact cannot hold', () => {
  it.each<[string, unknown, string]>([
    [
      'a province by its English name',
      { fact: 'places.origin.province', eq: 'Yunnan' },
      '; "Yunnan" names the province CN-YN: write CN-YN',
    ],
    [
      'a province by its Chinese name',
      { fact: 'places.destination.province', ne: '广西壮族自治区' },
      '; "广西壮族自治区" names the province CN-GX: write CN-GX',
    ],
    [
      'a province in a literal set',
      { fact: 'places.origin.province', in: ['CN-YN', '云南'] },
      '; "云南" names the province CN-YN: write CN-YN',
    ],
    [
      'a transport mode in another case',
      { fact: 'manifest.transport.mode', eq: 'Road' },
      '; did you mean road?',
    ],
    [
      'a payment method one edit away',
      { fact: 'parcel.paymentMethod', in: ['cash-on-delivry'] },
      '; did you mean cash-on-delivery?',
    ],
  ])('%s', (_name, when, hint) => {
    // Act
    const reason = reasonOf(when);

    // Assess
    expect(reason.endsWith(hint)).toBe(true);
  });

  it('suggests nothing for a value near no province and no value', () => {
    // Act
    const reason = reasonOf({ fact: 'places.origin.province', eq: 'Atlantis' });

    // Assess
    expect(reason).toMatch(/^"Atlantis" is not one of CN-AH, .*CN-MO$/);
  });
});
