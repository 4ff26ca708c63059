import type { ParcelReferred } from '../../events/parcel-referred-v1.js';

/** Port: referrals waiting to be delivered to their partner's callback URL. */
export interface ReferralQueue {
  send(messages: ParcelReferred[]): Promise<void>;
}
