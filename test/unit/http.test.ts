import { describe, expect, it } from 'vitest';
import {
  AppError,
  DeliveryInProgressError,
  DependencyError,
  MalformedInputError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../functions/platform/errors.js';
import { jsonResponse, readBody, requireJsonContent } from '../../functions/platform/http.js';
import type { Logger } from '../../functions/platform/logger.js';
import {
  MAX_ERRORS_LISTED,
  problemDetails,
  problemResponse,
  toProblem,
} from '../../functions/platform/middleware/problem-details.js';
import { DELIVERY_DEFERRED } from '../../infra/definitions.js';
import { aContext, anHttpEvent } from '../support/lambda.js';

/** A body as API Gateway hands over bytes it does not take for text: base64. */
const withBytes = (bytes: Buffer) => anHttpEvent({ body: bytes.toString('base64'), isBase64Encoded: true });

describe('readBody', () => {
  it('decodes a UTF-8 body, every character as sent', () => {
    // Prepare
    const text = '{"goods":"红木雕花茶几 🎁"}';
    // Act / Assess
    expect(readBody(withBytes(Buffer.from(text, 'utf8')), 1_000)).toBe(text);
  });

  it.each([
    ['a Latin-1 byte', Buffer.from([0x7b, 0x22, 0x63, 0x61, 0x66, 0xe9, 0x22, 0x7d])],
    ['a truncated multi-byte sequence', Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xe7, 0xba])])],
    [
      'an encoded surrogate',
      Buffer.concat([Buffer.from('"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"')]),
    ],
    ['an overlong encoding', Buffer.from([0x22, 0xc0, 0xaf, 0x22])],
  ])('refuses a body with %s as malformed, instead of replacing it', (_name, bytes) => {
    // Act / Assess
    expect(() => readBody(withBytes(bytes), 1_000)).toThrow(
      expect.objectContaining({
        constructor: MalformedInputError,
        message: 'the request body is not valid UTF-8',
      }),
    );
  });

  it('takes a body of exactly the limit, and refuses one byte more', () => {
    expect(readBody(withBytes(Buffer.from('{"a":1}')), 7)).toBe('{"a":1}');
    expect(() => readBody(withBytes(Buffer.from('{"a":12}')), 7)).toThrow(/8 bytes; the limit is 7/);
  });

  it('keeps a byte order mark, which the partner signed with the rest of the body', () => {
    // Prepare
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]);
    // Act / Assess
    expect(readBody(withBytes(bytes), 1_000)).toBe('\uFEFF{}');
  });
});

describe('requireJsonContent', () => {
  const withType = (type: string) => anHttpEvent({ headers: { 'content-type': type } });

  it.each([
    ['application/json'],
    ['application/json; charset=utf-8'],
    ['Application/JSON;charset=UTF-8'],
    ['application/json; charset="utf-8"'],
    ['application/json; charset=utf8'],
  ])('accepts %s', (type) => {
    // Act / Assess
    expect(() => requireJsonContent(withType(type))).not.toThrow();
  });

  it.each([['identity'], ['IDENTITY'], ['']])('accepts content-encoding %s', (encoding) => {
    // Prepare
    const event = anHttpEvent({
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    });

    // Act / Assess
    expect(() => requireJsonContent(event)).not.toThrow();
  });

  it.each([['application/jsonp'], ['application/json-seq']])('refuses %s', (type) => {
    // Act / Assess
    expect(() => requireJsonContent(withType(type))).toThrow(UnsupportedMediaTypeError);
  });

  it.each([
    ['application/json; charset=iso-8859-1', 'iso-8859-1'],
    ['application/json; charset="latin1"', 'latin1'],
    ['application/json;charset=UTF-16', 'UTF-16'],
    ['application/json; charset=gb2312', 'gb2312'],
    ['application/json; Charset=iso-8859-1', 'iso-8859-1'], // the parameter name in any case
  ])('refuses %s as an unsupported media type naming the charset', (type, charset) => {
    // Act / Assess
    expect(() => requireJsonContent(withType(type))).toThrow(
      expect.objectContaining({
        constructor: UnsupportedMediaTypeError,
        message: `content-type charset must be utf-8, got ${charset}`,
      }),
    );
  });
});

describe('a refused header value in the answer', () => {
  it.each([
    ['a right-to-left override', 'text/plain\u202e', 'text/plain\\u202e'],
    ['a control character', 'text/\u0007plain', 'text/\\u0007plain'],
    ['more than 100 characters', `text/${'x'.repeat(200)}`, `text/${'x'.repeat(95)}…`],
  ])('escapes or cuts %s, so it cannot garble where it is shown', (_name, type, shown) => {
    // Act / Assess
    expect(() => requireJsonContent(anHttpEvent({ headers: { 'content-type': type } }))).toThrow(
      expect.objectContaining({ message: `content-type must be application/json, got ${shown}` }),
    );
  });
});

describe('responses', () => {
  it.each([
    ['a JSON answer', jsonResponse(202, { ok: true })],
    ['a JSON answer with headers of its own', jsonResponse(200, {}, { 'cache-control': 'max-age=600' })],
    ['a 4xx problem', problemResponse(toProblem(new UnsupportedMediaTypeError('no'), 'req-1'))],
    ['a 500 problem', problemResponse(toProblem(undefined, 'req-1'))],
  ])('tell browsers not to sniff nor keep %s', (_name, response) => {
    // Assess
    expect(response.headers?.['x-content-type-options']).toBe('nosniff');
    expect(response.headers?.['cache-control']).toBe('no-store');
  });

  it.each([
    [
      'a dependency that is down',
      new DependencyError('DynamoDB does not answer'),
      '5',
      'a service parcelguard depends on is unavailable; retry after the time given',
    ],
    [
      'a refused manifest whose tombstone is quiet in 27 s',
      new DeliveryInProgressError('another delivery of manifest M-1 is being handled', undefined, 27),
      '27',
      // About the partner's own manifest, not an outage: said as it is.
      'another delivery of manifest M-1 is being handled',
    ],
  ])('tell when to come back after %s, in retry-after and in the 503', (_name, error, seconds, detail) => {
    // Act
    const response = problemResponse(toProblem(error, 'req-1'));
    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe(seconds);
    expect(JSON.parse(response.body!)).toMatchObject({
      retryAfterSeconds: Number(seconds),
      detail,
      code: 'DEPENDENCY_UNAVAILABLE',
    });
  });
});

describe('problem details', () => {
  /** What the HTTP edge logs and answers for a request that failed with `error`. */
  const failWith = async (error: Error) => {
    const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
    const at =
      (level: string) =>
      (message: string, fields?: Record<string, unknown>): void => {
        lines.push({ level, message, ...(fields ? { fields } : {}) });
      };
    const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as Logger;
    const request = { event: anHttpEvent({}), context: aContext('ingest'), error, response: undefined };
    await problemDetails(logger).onError!(request as never);
    return {
      lines,
      response: request.response as unknown as {
        statusCode: number;
        body: string;
        headers?: Record<string, string>;
      },
    };
  };

  it('names the request in the instance, for a report to quote', () => {
    // Act
    const problem = toProblem(undefined, 'req-42');

    // Assess
    expect(problem.instance).toBe('urn:request:req-42');
  });

  it(`lists exactly ${MAX_ERRORS_LISTED} errors in full, saying nothing of a count`, () => {
    // Prepare
    const issues = Array.from({ length: MAX_ERRORS_LISTED }, (_, index) => ({
      path: `parcels[${index}].hsCode`,
      message: 'must be 6 to 10 digits',
    }));

    // Act
    const problem = toProblem(new ValidationError('the manifest breaks the contract', issues), 'req-1');

    // Assess
    expect(problem.detail).toBe('the manifest breaks the contract');
    expect(problem.errors).toHaveLength(MAX_ERRORS_LISTED);
    expect(problem).not.toHaveProperty('errorCount');
  });

  it('says nothing of an internal error, not even the details it carries', () => {
    // Prepare: an error of a code the API does not answer with, carrying details of its own
    const error = new AppError(
      'CALLBACK_NOT_DELIVERABLE',
      'callback to https://partner.example/hook failed',
      {
        details: { callbackUrl: 'https://partner.example/hook' },
      },
    );

    // Act
    const problem = toProblem(error, 'req-1');

    // Assess
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(JSON.stringify(problem)).not.toContain('partner.example');
  });

  it('logs an internal error as an error, with the error itself, once', async () => {
    // Act
    const { lines, response } = await failWith(new TypeError('cannot read properties of undefined'));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      message: 'request failed',
      fields: { code: 'INTERNAL', error: { message: 'cannot read properties of undefined' } },
    });
  });

  it('logs a refused token with the reason the answer does not give', async () => {
    // Act
    const { lines, response } = await failWith(
      new UnauthorizedError('the signature does not match', {
        logReason: 'unknown-partner',
        challenge: 'StandardWebhooks realm="parcelguard"',
      }),
    );

    // Assess: a 401 names its challenge (RFC 9110 §11.6.1)
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['www-authenticate']).toBe('StandardWebhooks realm="parcelguard"');
    expect(lines).toEqual([
      {
        level: 'info',
        message: 'request refused',
        fields: expect.objectContaining({ code: 'UNAUTHORIZED', status: 401, reason: 'unknown-partner' }),
      },
    ]);
    expect(response.body).not.toContain('unknown-partner');
  });

  it.each([
    [
      'a dependency that is down, as a failure',
      new DependencyError('DynamoDB does not answer'),
      { level: 'error', message: 'request failed' },
    ],
    [
      'a delivery deferred while another is handled, as info the 503 alarm leaves out',
      new DeliveryInProgressError('another delivery of manifest M-1 is being handled', undefined, 27),
      { level: 'info', message: DELIVERY_DEFERRED },
    ],
  ])('logs the 503 of %s', async (_name, error, line) => {
    // Act
    const { lines, response } = await failWith(error);

    // Assess
    expect(response.statusCode).toBe(503);
    expect(lines).toEqual([{ ...line, fields: expect.objectContaining({ code: 'DEPENDENCY_UNAVAILABLE' }) }]);
  });
});
