/** Identities that span stores: one partner's ids never collide with another's. */
export const manifestKey = (partnerId: string, manifestId: string): string => `${partnerId}#${manifestId}`;
export const parcelKey = (partnerId: string, parcelId: string): string => `${partnerId}#${parcelId}`;
