import { describe, expect, it, vi } from 'vitest';
import type { ParcelReferred } from '../../events/parcel-referred-v1.js';
import { makeDeliverReferral } from '../../functions/notify/deliver-referral.js';
import type { PartnerDirectory } from '../../functions/ports/partner-directory.js';
import { readMessageSample } from '../support/factories.js';

const REFERRAL = readMessageSample('parcel-referred-v1') as ParcelReferred;

/** A delivery through a directory that finds `partner`, with the sender's post it calls. */
const deliveryTo = (partner: unknown) => {
  const post = vi.fn();
  const deliver = makeDeliverReferral({
    partners: { find: async () => partner } as unknown as PartnerDirectory,
    sender: { post },
    clock: { now: () => new Date('2026-11-28T09:00:01.000Z') },
    localReceivers: false,
  });
  return { post, deliver };
};

describe('delivering a referral', () => {
  it.each([
    ['a partner that no longer exists', undefined, 'unknown-partner'],
    [
      'a partner without a callback URL',
      { partnerId: 'southwest-freight', region: 'yunnan-guangxi', secrets: [] },
      'no-callback',
    ],
  ])('posts nothing for %s, and says which', async (_name, partner, reason) => {
    // Prepare
    const { post, deliver } = deliveryTo(partner);

    // Act
    const result = await deliver(REFERRAL);

    // Assess
    expect(result).toEqual({ delivered: false, reason });
    expect(post).not.toHaveBeenCalled();
  });

  it('posts nothing unsigned for a partner that holds no secret, and fails retryably', async () => {
    // Prepare
    const { post, deliver } = deliveryTo({
      partnerId: 'southwest-freight',
      region: 'yunnan-guangxi',
      secrets: [],
      callbackUrl: 'https://partner.example/referrals',
    });

    // Act
    const delivering = deliver(REFERRAL);

    // Assess
    await expect(delivering).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
    expect(post).not.toHaveBeenCalled();
  });
});
