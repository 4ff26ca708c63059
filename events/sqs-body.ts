/**
 * Characters an SQS message body may not carry raw, as UTF-16 code units: SQS allows #x9, #xA, #xD,
 * #x20-#xD7FF, #xE000-#xFFFD and #x10000-#x10FFFF (fauxqs, the embedded stack's SQS, refuses that last range too).
 */
const OUTSIDE_SQS_BODY = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g;

/**
 * JSON for an SQS body: JSON.stringify, then every code unit SQS may refuse (U+FFFE, U+FFFF, and the
 * surrogate halves of characters beyond the BMP, e.g. CJK Extension B in a consignee's name) written
 * as a \uXXXX escape. JSON.parse reads back the same value; SQS never refuses the message.
 */
export const toSqsBody = (message: unknown): string =>
  JSON.stringify(message).replace(
    OUTSIDE_SQS_BODY,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
