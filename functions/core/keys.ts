import { createHash } from 'node:crypto';

/** Identities that span stores: one partner's ids never collide with another's. */
export const manifestKey = (partnerId: string, manifestId: string): string => `${partnerId}#${manifestId}`;
export const parcelKey = (partnerId: string, parcelId: string): string => `${partnerId}#${parcelId}`;

/** The id a partner is told for a held parcel: stable per parcel, so a replayed screening tells the same. */
export const referralIdOf = (parcelKey: string): string =>
  `ref_${createHash('sha256').update(parcelKey).digest('hex').slice(0, 20)}`;

/** Which of `shards` buckets a key falls in: stable, spread evenly, so busy writes share the load. */
export const shardOf = (key: string, shards: number): number =>
  Number.parseInt(createHash('sha256').update(key).digest('hex').slice(0, 8), 16) % shards;
