import { describe, expect, it } from 'vitest';
import { keyedIdDocument, normalizeIdDocument } from '../../../functions/core/parties/id-document.js';

describe('normalizeIdDocument', () => {
  it.each([
    { what: 'spaces and a lower-case check letter', number: '5331 0219 9001 0112 3x' },
    { what: 'full-width digits and letter', number: '５３３１０２１９９００１０１１２３Ｘ' },
    { what: 'invisible characters between the digits', number: '5331\u200b0219\u20609001011 23X' },
  ])('reads a number written with $what as its letters and digits', ({ number }) => {
    // Prepare: the table row

    // Act
    const normalized = normalizeIdDocument({ type: 'national-id', number });

    // Assess
    expect(normalized).toBe('national-id:53310219900101123X');
  });

  it('keeps a passport and a national ID with the same number apart', () => {
    // Prepare
    const number = 'E12345678';

    // Act
    const [passport, national] = [
      normalizeIdDocument({ type: 'passport', number }),
      normalizeIdDocument({ type: 'national-id', number }),
    ];

    // Assess
    expect(passport).not.toBe(national);
  });
});

describe('keyedIdDocument', () => {
  it.each([
    { what: '"none" in Chinese', number: '无' },
    { what: '"unknown" in Chinese', number: '不详' },
    { what: 'a dash', number: '-' },
    { what: 'full-width dashes and spaces', number: '－ －' },
    { what: 'a slash and a dot', number: '/.' },
  ])('gives no key to a number that is $what, with no letter or digit', ({ number }) => {
    // Prepare: the table row

    // Act
    const keyed = keyedIdDocument({ type: 'national-id', number });

    // Assess
    expect(keyed).toBeUndefined();
  });

  it.each([
    { type: 'national-id', number: '5331 0219 9001 0112 3x', normalized: 'national-id:53310219900101123X' },
    { type: 'passport', number: 'E12345678', normalized: 'passport:E12345678' },
    { type: 'national-id', number: '无 12', normalized: 'national-id:12' },
  ] as const)(
    'keys a number with a letter or digit on its normalized form, $normalized',
    ({ type, number, normalized }) => {
      // Prepare: the table row
      const document = { type, number };

      // Act
      const keyed = keyedIdDocument(document);

      // Assess
      expect(keyed).toBe(normalized);
      expect(keyed).toBe(normalizeIdDocument(document));
    },
  );
});
