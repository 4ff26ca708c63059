import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../functions/core/parties/phone.js';

/** Each row: as written, the country of the address, as read (E.164), and what the row shows. */
const READABLE = (
  [
    ['138 1234 5678', 'CN', '+8613812345678', 'CN mobile, country from the address'],
    ['+86 138-1234-5678', 'CN', '+8613812345678', 'CN mobile with +86'],
    ['0086 13812345678', 'CN', '+8613812345678', 'CN mobile with the 00 prefix'],
    ['86 13812345678', 'CN', '+8613812345678', 'CN mobile with 86 but no +'],
    ['86 138 1234 5678', 'MM', '+8613812345678', 'CN mobile, 86, address in MM'],
    ['86 138 1234 5678', 'US', '+8613812345678', 'CN mobile, 86, address in US'],
    ['8613812345678', 'JP', '+8613812345678', 'CN mobile, 86, JP (no plan)'],
    ['８６１３８１２３４５６７８', 'CN', '+8613812345678', 'full-width digits'],
    ['(0755) 8888-8888', 'CN', '+8675588888888', 'CN landline, trunk 0 dropped'],
    ['010-6552 1234', 'CN', '+861065521234', 'Beijing landline'],
    ['0692-4141234', 'CN', '+866924141234', 'Dehong landline, 7-digit subscriber'],
    ['+86 (0)755 8888 8888', 'CN', '+8675588888888', 'trunk 0 written after +86'],
    ['＋８６（０２０）８８８８８８８８', 'CN', '+862088888888', 'full-width + and parentheses'],
    ['+95 9 123456789', 'CN', '+959123456789', 'Myanmar number on a CN address'],
    ['09 123 456 789', 'MM', '+959123456789', 'Myanmar national format'],
    ['9123 4567', 'HK', '+85291234567', 'Hong Kong, no trunk prefix'],
    ['0912 345 678', 'VN', '+84912345678', 'Vietnam national format'],
    ['(212) 555-1234', 'US', '+12125551234', 'US without trunk 1'],
    ['1 212 555 1234', 'US', '+12125551234', 'US with trunk 1'],
    ['020 7946 0018', 'GB', '+442079460018', 'UK national format'],
    ['138\u200b1234\u20605678', 'CN', '+8613812345678', 'invisible characters between the digits'],
    ['(+95) 9 123 456 789', 'CN', '+959123456789', 'a country code in parentheses'],
    ['+39 06 1234 5678', 'CN', '+390612345678', 'a country outside the plans'],
    ['+66 12345', 'TH', '+6612345', 'the shortest E.164 number, 7 digits'],
    ['+44 1234 5678 90123', 'GB', '+441234567890123', 'the longest E.164 number, 15 digits'],
    [
      '+39 1234 5678 90123',
      'CN',
      '+391234567890123',
      'the longest E.164 number, 15 digits, outside the plans',
    ],
    ['\u200b+95 9 123456789', 'CN', '+959123456789', 'a zero-width space before the +'],
    ['852 9123 4567', 'HK', '+85291234567', 'Hong Kong, its code written without +'],
    ['65 9123 4567', 'SG', '+6591234567', 'Singapore, its code written without +'],
    ['6512 3456', 'SG', '+6565123456', 'a Singapore number that starts as its code does, read as written'],
    ['886 912 345 678', 'TW', '+886912345678', 'Taiwan mobile, its code written without +'],
    ['0912 345 678', 'TW', '+886912345678', 'Taiwan mobile, national format'],
    ['86 755 8888 8888', 'CN', '+8675588888888', 'CN landline, 86 written without +'],
    ['+852 9123 4567', 'HK', '+85291234567', 'Hong Kong with +852'],
  ] as const
).map(([raw, country, e164, what]) => ({ raw, country, e164, what }));

describe('normalizePhone', () => {
  it.each(READABLE)('reads $what ($raw) as $e164', ({ raw, country, e164 }) => {
    // Prepare: the table row

    // Act
    const normalized = normalizePhone(raw, country);

    // Assess
    expect(normalized).toBe(e164);
  });

  it.each([
    { raw: '12345', country: 'CN', what: 'too short for CN' },
    { raw: '238 1234 5678', country: 'CN', what: 'neither CN mobile nor landline' },
    { raw: '+86 138 1234 567', country: 'CN', what: 'a CN mobile one digit short' },
    { raw: '555 1234', country: 'ZZ', what: 'a national number from a country with no plan' },
    { raw: '120 1234 5678', country: 'CN', what: 'a CN number starting 12, no mobile prefix' },
    { raw: '010-652 1234', country: 'CN', what: 'a Beijing landline one digit short' },
    { raw: '86 138 1234 567', country: 'CN', what: 'a CN mobile one digit short, with 86 but no +' },
    { raw: '+66 1234', country: 'TH', what: 'a number of 6 digits with its country code' },
    { raw: '+44 1234 5678 901234', country: 'GB', what: 'a number of 16 digits with its country code' },
    { raw: '+39 1234 5678 901234', country: 'CN', what: 'a number of 16 digits outside the plans' },
    { raw: '+0 1234 5678', country: 'CN', what: 'a country code beginning with 0' },
    { raw: '9123 456', country: 'HK', what: 'a Hong Kong number one digit short' },
    { raw: '+852 9123 45678', country: 'CN', what: 'a Hong Kong number one digit long, with +852' },
  ])('returns null for $what ($raw)', ({ raw, country }) => {
    // Prepare: the table row

    // Act
    const normalized = normalizePhone(raw, country);

    // Assess
    expect(normalized).toBeNull();
  });
});
