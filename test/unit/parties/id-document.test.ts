import { describe, expect, it } from 'vitest';
import { normalizeIdDocument } from '../../../functions/core/parties/id-document.js';

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
