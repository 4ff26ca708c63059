/** English month abbreviations, January first: as HTTP dates (RFC 9110) and officers' texts write them. */
export const MONTH_ABBREVIATIONS: readonly string[] = Object.freeze(
  'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' '),
);
