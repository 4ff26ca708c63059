import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../functions/core/parties/phone.js';

describe('normalizePhone', () => {
  it.each([
    {
      raw: '138 1234 5678',
      country: 'CN',
      e164: '+8613812345678',
      what: 'CN mobile, country from the address',
    },
    { raw: '+86 138-1234-5678', country: 'CN', e164: '+8613812345678', what: 'CN mobile with +86' },
    { raw: '0086 13812345678', country: 'CN', e164: '+8613812345678', what: 'CN mobile with the 00 prefix' },
    { raw: '86 13812345678', country: 'CN', e164: '+8613812345678', what: 'CN mobile with 86 but no +' },
    {
      raw: '86 138 1234 5678',
      country: 'MM',
      e164: '+8613812345678',
      what: 'CN mobile, 86, address in MM',
    },
    {
      raw: '86 138 1234 5678',
      country: 'US',
      e164: '+8613812345678',
      what: 'CN mobile, 86, address in US',
    },
    {
      raw: '8613812345678',
      country: 'JP',
      e164: '+8613812345678',
      what: 'CN mobile, 86, JP (no plan)',
    },
    { raw: '８６１３８１２３４５６７８', country: 'CN', e164: '+8613812345678', what: 'full-width digits' },
    { raw: '(0755) 8888-8888', country: 'CN', e164: '+8675588888888', what: 'CN landline, trunk 0 dropped' },
    { raw: '010-6552 1234', country: 'CN', e164: '+861065521234', what: 'Beijing landline' },
    {
      raw: '0692-4141234',
      country: 'CN',
      e164: '+866924141234',
      what: 'Dehong landline, 7-digit subscriber',
    },
    { raw: '+86 (0)755 8888 8888', country: 'CN', e164: '+8675588888888', what: 'trunk 0 written after +86' },
    {
      raw: '＋８６（０２０）８８８８８８８８',
      country: 'CN',
      e164: '+862088888888',
      what: 'full-width + and parentheses',
    },
    { raw: '+95 9 123456789', country: 'CN', e164: '+959123456789', what: 'Myanmar number on a CN address' },
    { raw: '09 123 456 789', country: 'MM', e164: '+959123456789', what: 'Myanmar national format' },
    { raw: '9123 4567', country: 'HK', e164: '+85291234567', what: 'Hong Kong, no trunk prefix' },
    { raw: '0912 345 678', country: 'VN', e164: '+84912345678', what: 'Vietnam national format' },
    { raw: '(212) 555-1234', country: 'US', e164: '+12125551234', what: 'US without trunk 1' },
    { raw: '1 212 555 1234', country: 'US', e164: '+12125551234', what: 'US with trunk 1' },
    { raw: '020 7946 0018', country: 'GB', e164: '+442079460018', what: 'UK national format' },
    {
      raw: '138\u200b1234\u20605678',
      country: 'CN',
      e164: '+8613812345678',
      what: 'invisible characters between the digits',
    },
    {
      raw: '(+95) 9 123 456 789',
      country: 'CN',
      e164: '+959123456789',
      what: 'a country code in parentheses',
    },
    { raw: '+39 06 1234 5678', country: 'CN', e164: '+390612345678', what: 'a country outside the plans' },
    { raw: '+66 12345', country: 'TH', e164: '+6612345', what: 'the shortest E.164 number, 7 digits' },
    {
      raw: '+44 1234 5678 90123',
      country: 'GB',
      e164: '+441234567890123',
      what: 'the longest E.164 number, 15 digits',
    },
    {
      raw: '+39 1234 5678 90123',
      country: 'CN',
      e164: '+391234567890123',
      what: 'the longest E.164 number, 15 digits, outside the plans',
    },
    {
      raw: '\u200b+95 9 123456789',
      country: 'CN',
      e164: '+959123456789',
      what: 'a zero-width space before the +',
    },
  ])('reads $what ($raw) as $e164', ({ raw, country, e164 }) => {
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
  ])('returns null for $what ($raw)', ({ raw, country }) => {
    // Prepare: the table row

    // Act
    const normalized = normalizePhone(raw, country);

    // Assess
    expect(normalized).toBeNull();
  });
});
