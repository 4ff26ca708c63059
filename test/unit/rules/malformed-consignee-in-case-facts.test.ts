import { describe, expect, it } from 'vitest';
import { checkFactsInput, factsFromInput } from '../../../functions/core/rules/cases/index.js';

// Whether the consignee's ID document and address get a party key (and so a history) is asked only of
// ones of the contract's shape: one of another shape is the shape check's to name, never a crash.
describe('case facts with a consignee ID document or address of the wrong shape', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'an ID document number that is a number',
      { idDocument: { type: 'passport', number: 12345 } },
      /^parcel\.consignee\.idDocument\.number: expected text, not/,
    ],
    [
      'an ID document without its number',
      { idDocument: { type: 'passport' } },
      /^parcel\.consignee\.idDocument\.number: missing, but screening always has this fact/,
    ],
    [
      'an ID document written as text',
      { idDocument: 'E1234567' },
      /^parcel\.consignee\.idDocument: expected an object, not "E1234567"/,
    ],
    [
      'an address line that is a number',
      { address: { country: 'CN', region: 'Yunnan', city: 'Ruili', line: 12 } },
      /^parcel\.consignee\.address\.line: expected text, not/,
    ],
    [
      'an address whose line is removed with null',
      { address: { line: null } },
      /^parcel\.consignee\.address\.line: null, but screening always has this fact/,
    ],
  ])('%s is named by the shape check', (_name, consignee, problem) => {
    // Prepare
    const input = { parcel: { consignee } };

    // Act
    const { problems } = checkFactsInput(input, factsFromInput(input));

    // Assess
    expect(problems).toEqual([expect.stringMatching(problem)]);
  });
});
