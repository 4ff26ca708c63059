/**
 * A partner's signing secret still verifies until its `notAfter` (an ISO 8601 instant in UTC), if it
 * has one: the one rule the directory and rotation share. Compared as instants, so `…T08:00:00Z` ends
 * when `…T08:00:00.000Z` does.
 */
export const isLiveSecret = (secret: { notAfter?: string | undefined }, nowIso: string): boolean =>
  !secret.notAfter || Date.parse(secret.notAfter) > Date.parse(nowIso);
