import { describe, expect, it } from 'vitest';
import { manifestKey, parcelKey, referralIdOf } from '../../functions/core/keys.js';

describe('stored keys', () => {
  it('keep the form records already stored under them have: partner, then id', () => {
    expect([manifestKey('southwest-freight', 'M-1'), parcelKey('southwest-freight', 'P-1')]).toEqual([
      'southwest-freight#M-1',
      'southwest-freight#P-1',
    ]);
  });
});

const KEY = parcelKey('southwest-freight', 'SWF7781000123');

describe('referral id', () => {
  it('is the same for every screening of one delivered parcel, however its receipt time is written', () => {
    expect(referralIdOf(KEY, '2026-11-27T00:30:01.000Z')).toBe(
      referralIdOf(KEY, '2026-11-27T08:30:01+08:00'),
    );
    expect(referralIdOf(KEY, '2026-11-27T00:30:01.000Z')).toMatch(/^ref_[0-9a-f]{20}$/);
  });

  it('differs for a parcel delivered under the same id once the first one expired, so a reader keying on it keeps both', () => {
    expect(referralIdOf(KEY, '2027-12-31T09:00:00.000Z')).not.toBe(
      referralIdOf(KEY, '2026-11-27T00:30:01.000Z'),
    );
  });

  it('differs between partners using the same house document number', () => {
    const at = '2026-11-27T00:30:01.000Z';
    expect(referralIdOf(parcelKey('pearl-express', 'SWF7781000123'), at)).not.toBe(referralIdOf(KEY, at));
  });
});
