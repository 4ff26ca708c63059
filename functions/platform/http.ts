import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.js';

/** API Gateway HTTP APIs lower-case header names; local callers may not. */
export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
};

export const requireJsonContent = (event: APIGatewayProxyEventV2): void => {
  const type = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new UnsupportedMediaTypeError(`content-type must be application/json, got ${type ?? 'none'}`);
  }
};

/** The raw request body as text, refused before any parsing when it is larger than the limit. */
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
  return bytes.toString('utf8');
};

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
