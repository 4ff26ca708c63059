import { describe, expect, it } from 'vitest';
import { windowsOfKey } from '../../../functions/core/parties/history-model.js';
import { hashIndicator } from '../../../functions/core/parties/party-keys.js';
import type { TallyWindow } from '../../../functions/core/screening/tallies.js';

const SALT = 'windows-of-key-test-salt';
const SMALL: TallyWindow = {
  counter: 'a1a1a1a1a1a1a1a1',
  days: 7,
  distinct: false,
  parties: ['address', 'phone'],
};
const PHONES: TallyWindow = { counter: 'b2b2b2b2b2b2b2b2', days: 30, distinct: true, parties: ['address'] };
const SHIPPED: TallyWindow = { counter: 'c3c3c3c3c3c3c3c3', days: 90, distinct: false, parties: ['shipper'] };

describe('windowsOfKey', () => {
  it.each([
    ['consignee', []],
    ['shipper', [SHIPPED]],
    ['phone', [SMALL]],
    ['address', [SMALL, PHONES]],
    ['idDocument', []],
    ['name', []],
  ] as const)('gives a %s key the windows that name its party, in the order asked', (kind, expected) => {
    // Prepare
    const key = hashIndicator(kind, 'value', SALT);

    // Act
    const windows = windowsOfKey([SMALL, PHONES, SHIPPED], key);

    // Assess
    expect(windows).toEqual(expected);
  });

  it('gives a string that is no party key no windows', () => {
    expect(windowsOfKey([SMALL, PHONES, SHIPPED], 'ad_short')).toEqual([]);
  });
});
