import { REFUSED_TEXT_BEYOND_C0 } from '../../events/manifest-v1.js';

/**
 * Stored text as a terminal shows it: control, bidirectional and line-breaking characters (and lone
 * surrogates) written as `\u{1b}`. Chain names, anchor keys and entries are whatever a writer of the
 * table or the bucket stored, and the audit tool exists to catch such a writer: printed raw, an escape
 * sequence could erase an ALTERED line and print a pass.
 */
const UNPRINTABLE = new RegExp(`[\\u0000-\\u001f${REFUSED_TEXT_BEYOND_C0}]`, 'gu');
export const shown = (text: string): string =>
  text.replace(UNPRINTABLE, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);

/** The characters beyond C0 that JSON.stringify leaves raw (it escapes C0 and lone surrogates itself). */
const UNPRINTABLE_IN_JSON = new RegExp(`[${REFUSED_TEXT_BEYOND_C0}]`, 'gu');

/**
 * A value as one line of JSON that a terminal shows as it is: the characters `shown` escapes are
 * written as JSON escapes (`\u202e`), so the line parses to the very value stored.
 */
export const jsonLine = (value: unknown): string =>
  JSON.stringify(value).replace(
    UNPRINTABLE_IN_JSON,
    (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
