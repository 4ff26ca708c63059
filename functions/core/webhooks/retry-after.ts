/**
 * A `Retry-After` header as seconds from `now`: delta-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2026
 * 07:28:00 GMT`, at least 0 s), or undefined when absent or unreadable (RFC 9110 §10.2.3).
 */
export const retryAfterSeconds = (value: string | undefined, now: Date): number | undefined => {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  // Dates only in the IMF-fixdate form a receiver writes: anything Date.parse half-reads is ignored.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
};
