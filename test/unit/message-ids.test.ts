import { describe, expect, it } from 'vitest';
import { messageIdsIn } from '../../events/message-ids.js';

const PHONE = '+8613977412080';
const NAME = '李明';

describe('messageIdsIn', () => {
  it.each([
    ['not JSON', 'SWF7781000123 call me', {}],
    ['JSON that is no object', '"SWF7781000123"', {}],
    ['null', 'null', {}],
    [
      'a referral',
      JSON.stringify({
        partnerId: 'southwest-freight',
        manifestId: 'SWF-20261127-0041',
        parcelId: 'SWF7781000123',
        referralId: 'ref_0123456789abcdef0123',
        lane: 'hold',
      }),
      {
        partnerId: 'southwest-freight',
        manifestId: 'SWF-20261127-0041',
        parcelId: 'SWF7781000123',
        referralId: 'ref_0123456789abcdef0123',
      },
    ],
    [
      'identifier fields holding what no contract id may be',
      JSON.stringify({
        partnerId: `${NAME} ${PHONE}`,
        manifestId: 42,
        items: [{ parcel: { parcelId: '' } }],
      }),
      {},
    ],
    [
      'items that hold no parcel',
      JSON.stringify({ partnerId: 'southwest-freight', items: [null, 7, { phone: PHONE }] }),
      { partnerId: 'southwest-freight' },
    ],
  ])('reads %s', (_name, body, expected) => {
    // Act
    const ids = messageIdsIn(body);
    // Assess
    expect(ids).toEqual(expected);
  });
});
