/**
 * A partner's signing secret still verifies until its `notAfter` (ISO 8601 in UTC, as rotation writes
 * it, so text order is time order), if it has one: the one rule the directory and rotation share.
 */
export const isLiveSecret = (secret: { notAfter?: string | undefined }, nowIso: string): boolean =>
  !secret.notAfter || secret.notAfter > nowIso;
