import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { REFUSED_TEXT_BEYOND_C0 } from '../../events/manifest-v1.js';
import { MalformedInputError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.js';

/** API Gateway HTTP APIs lower-case header names; local callers may not. */
export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
};

/**
 * Headers on every answer the API functions give: no browser may guess another type than the one
 * declared, and none, nor any proxy, may keep an answer (they are per caller, and many carry personal
 * data: a parcel's consignee, phone and address).
 */
export const RESPONSE_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

/** The labels of UTF-8 a `charset` parameter may use (the encoding standard's own and its usual alias). */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8']);

/** Characters that would reorder or hide text where a header value is shown: the contract's refused set. */
const UNPRINTABLE = new RegExp(`[\\u0000-\\u001f${REFUSED_TEXT_BEYOND_C0}]`, 'gu');
const SHOWN_CHARS = 100;

/** A header value as an answer or a log line may quote it: unprintable characters escaped, cut short. */
const shown = (value: string): string => {
  const cut = value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}…` : value;
  return cut.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
};

/**
 * JSON, in UTF-8, sent as it is: any other media type, a `charset` naming another encoding, or a
 * `content-encoding` (gzip, say: the bytes would read as broken UTF-8) is 415.
 */
export const requireJsonContent = (event: APIGatewayProxyEventV2): void => {
  const encoding = header(event, 'content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new UnsupportedMediaTypeError(
      `content-encoding ${shown(encoding)} is not supported: send the JSON uncompressed`,
    );
  }
  const [mediaType, ...parameters] = header(event, 'content-type')?.split(';') ?? [];
  const type = mediaType?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new UnsupportedMediaTypeError(
      `content-type must be application/json, got ${type === undefined ? 'none' : shown(type)}`,
    );
  }
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=', 2).map((part) => part.trim());
    const charset = value.replace(/^"(.*)"$/, '$1');
    if (name.toLowerCase() === 'charset' && !UTF8_CHARSETS.has(charset.toLowerCase())) {
      throw new UnsupportedMediaTypeError(
        `content-type charset must be utf-8, got ${charset ? shown(charset) : 'none'}`,
      );
    }
  }
};

/** Refuses bytes that are not UTF-8 instead of replacing them; keeps a BOM, which the signature covers. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The raw request body as text, refused before any parsing when it is larger than the limit, and with
 * 400 when it is not valid UTF-8 (a replacement character would change what the partner signed).
 */
export const readBody = (event: APIGatewayProxyEventV2, maxBytes: number): string => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(`request body is ${bytes.length} bytes; the limit is ${maxBytes}`, {
      limit: 'body-bytes',
      max: maxBytes,
      actual: bytes.length,
    });
  }
  try {
    return UTF8.decode(bytes);
  } catch (error) {
    throw new MalformedInputError('the request body is not valid UTF-8', error);
  }
};

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers, ...RESPONSE_HEADERS },
  body: JSON.stringify(body),
});
