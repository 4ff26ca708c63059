import { describe, expect, it } from 'vitest';
import { toSqsBody } from '../../events/sqs-body.js';

/** What SQS accepts in a message body (fauxqs enforces the same, minus #x10000-#x10FFFF). */
const SQS_BODY = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/;

describe('toSqsBody', () => {
  it.each([
    ['CJK Extension B in a name', { name: '𠀀志强' }],
    ['an emoji in a description', { description: 'gift 🎁' }],
    ['noncharacters', { line: 'a\uFFFEb\uFFFF' }],
    ['control characters', { line: 'tab\tbell\u0007' }],
    ['plain Chinese text', { description: '红木雕花茶几' }],
  ])('writes %s so that SQS accepts the body and JSON.parse returns the same value', (_case, value) => {
    // Act
    const body = toSqsBody(value);
    // Assess
    expect(body).toMatch(SQS_BODY);
    expect(JSON.parse(body)).toEqual(value);
  });

  it('leaves text SQS accepts as JSON.stringify writes it', () => {
    // Prepare
    const value = { description: 'Carved rosewood furniture, 红木雕花茶几', amount: 3600 };
    // Act / Assess
    expect(toSqsBody(value)).toBe(JSON.stringify(value));
  });
});
