import { createHash } from 'node:crypto';

/**
 * What a counter's marker set holds for a parcel: 72 bits of its key's sha256, a third of the key's size.
 * A false "already counted" needs two parcels of one set to collide: about 1e-12 at 100,000 parcels.
 */
export const parcelDigest = (parcelKey: string): string =>
  createHash('sha256').update(parcelKey).digest('base64url').slice(0, 12);
