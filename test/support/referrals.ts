import type { ParcelReferred } from '../../events/parcel-referred-v1.js';

/** A ParcelReferred message as the notify function receives it from the referral queue. */
export const REFERRAL = {
  type: 'ParcelReferred',
  version: 1,
  partnerId: 'southwest-freight',
  manifestId: 'SWF-20261127-0041',
  parcelId: 'SWF7781000123',
  lane: 'hold',
  referralId: 'ref_0123456789abcdef0123',
  referredAt: '2026-11-28T09:00:00.000Z',
} as const satisfies ParcelReferred;
