import { createHash } from 'node:crypto';
import { canonicalInstant } from './retention.js';

/** Identities that span stores: one partner's ids never collide with another's. */
export const manifestKey = (partnerId: string, manifestId: string): string => `${partnerId}#${manifestId}`;
export const parcelKey = (partnerId: string, parcelId: string): string => `${partnerId}#${parcelId}`;

/**
 * The id a partner is told for a held parcel: stable per delivered parcel (its key and the `receivedAt` of
 * the manifest that delivered it), so a replayed screening tells the same, and a parcel delivered under a
 * reused id once the first one's records expired (400 days on) gets its own, which a downstream reader
 * that keys on referral ids does not drop as a repeat.
 */
export const referralIdOf = (parcelKey: string, receivedAt: string): string =>
  `ref_${createHash('sha256')
    .update(`${parcelKey}#${canonicalInstant(receivedAt)}`)
    .digest('hex')
    .slice(0, 20)}`;

/** Which of `shards` buckets a key falls in: stable, spread evenly, so busy writes share the load. */
export const shardOf = (key: string, shards: number): number =>
  Number.parseInt(createHash('sha256').update(key).digest('hex').slice(0, 8), 16) % shards;
