import { describe, expect, it } from 'vitest';
import type { Address } from '../../../events/manifest-v1.js';
import { canonicalAddress, keyedAddress } from '../../../functions/core/parties/address.js';

// A street is named by its letters as much as by its number: an address whose street part has letters
// and no digit (of any script) still names a street, and is keyed.
describe('keyedAddress on a street named without a number', () => {
  const address = (country: string, region: string, city: string, line: string): Address => ({
    country,
    region,
    city,
    line,
  });

  it.each([
    { address: address('CN', 'Guangxi', 'Wuzhou', 'Xijiang Road'), keyed: 'CN|wuzhou|xijiang rd' },
    { address: address('CN', '广西壮族自治区', '梧州市', '人民路'), keyed: 'CN|梧州|人民路' },
    { address: address('RU', 'Moskva', 'Moskva', 'улица Ленина'), keyed: 'RU|moskva|улица ленина' },
  ])('keys $keyed, whose street has letters and no digit', ({ address: written, keyed }) => {
    // Prepare: the table row

    // Act
    const key = keyedAddress(written);

    // Assess
    expect(key).toBe(keyed);
    expect(key).toBe(canonicalAddress(written));
  });
});
