import { describe, expect, it } from 'vitest';
import { parseInput } from '../../../events/input-issues.js';
import { FindingSchema } from '../../../functions/core/review/outcome.js';
import { ValidationError } from '../../../functions/platform/errors.js';

const seizureOf = (amount: number, unit: string) => ({
  outcome: 'seized',
  seizure: { substance: 'heroin', quantity: { amount, unit }, concealment: 'carved table legs' },
});

describe('a seizure quantity', () => {
  it.each([
    [4.2, 'kg'],
    [0.5, 'l'],
    [12, 'pieces'],
    [1, 'pieces'],
  ])('accepts %d %s', (amount, unit) => {
    // Act
    const finding = parseInput(FindingSchema, seizureOf(amount, unit), 'the outcome');

    // Assess
    expect(finding).toMatchObject({ seizure: { quantity: { amount, unit } } });
  });

  it.each([
    [4.2, 'pieces'],
    [0.5, 'pieces'],
    [1e9 - 0.5, 'pieces'],
  ])('refuses %d %s, naming the amount and why', (amount, unit) => {
    // Act
    const parse = () => parseInput(FindingSchema, seizureOf(amount, unit), 'the outcome');

    // Assess
    expect(parse).toThrow(ValidationError);
    expect(parse).toThrow('the outcome is not valid');
    expect(parse).toThrow(
      expect.objectContaining({
        issues: [
          {
            path: 'seizure.quantity.amount',
            message: 'pieces are counted: the amount must be a whole number',
          },
        ],
      }),
    );
  });
});

describe('staff text in a finding', () => {
  const seized = (seizure: Record<string, string>, notes?: string) => ({
    outcome: 'seized',
    seizure: { ...seizureOf(4.2, 'kg').seizure, ...seizure },
    ...(notes === undefined ? {} : { notes }),
  });

  it.each([
    [
      'a right-to-left override in the substance',
      seized({ substance: 'heroin \u202e gk 24' }),
      'seizure.substance',
    ],
    [
      'a terminal escape in the concealment',
      seized({ concealment: 'panel \u001b[31m' }),
      'seizure.concealment',
    ],
    ['a line break in the substance', seized({ substance: 'heroin\n46 kg' }), 'seizure.substance'],
    ['an isolate in the notes', { outcome: 'cleared', notes: 'ok \u2066x\u2069' }, 'notes'],
    ['a C1 control in the notes', { outcome: 'cleared', notes: 'ok \u0085' }, 'notes'],
    ['a vertical tab in the notes', { outcome: 'cleared', notes: 'line one\u000bline two' }, 'notes'],
    ['a form feed in the notes', { outcome: 'cleared', notes: 'page one\u000cpage two' }, 'notes'],
    [
      'a right-to-left mark in the substance',
      seized({ substance: 'heroin \u200F24 kg' }),
      'seizure.substance',
    ],
    ['an Arabic letter mark in the notes', { outcome: 'cleared', notes: 'ok \u061C' }, 'notes'],
    ['a lone surrogate in the notes', { outcome: 'cleared', notes: 'ok \ud800' }, 'notes'],
    ['a lone surrogate in the substance', seized({ substance: 'heroin \udfff' }), 'seizure.substance'],
    [
      'a line separator in the concealment',
      seized({ concealment: 'panel\u2028legs' }),
      'seizure.concealment',
    ],
  ])('refuses %s, naming the field', (_name, body, path) => {
    // Act
    const parse = () => parseInput(FindingSchema, body, 'the outcome');

    // Assess
    expect(parse).toThrow(
      expect.objectContaining({
        issues: [
          {
            path,
            message: expect.stringContaining(
              'no control characters, bidirectional formatting characters or lone surrogates',
            ),
          },
        ],
      }),
    );
  });

  it.each([
    ['a zero-width space for the substance', seized({ substance: '\u200b' }), 'seizure.substance'],
    [
      'zero-width joiners for the concealment',
      seized({ concealment: '\u200b\u200d' }),
      'seizure.concealment',
    ],
    [
      'a word joiner between spaces for the substance',
      seized({ substance: ' \u2060 ' }),
      'seizure.substance',
    ],
    ['a soft hyphen for the concealment', seized({ concealment: '\u00ad' }), 'seizure.concealment'],
    [
      'a word joiner and a byte order mark for the substance',
      seized({ substance: '\u2060\ufeff' }),
      'seizure.substance',
    ],
  ])('refuses %s, which would record a seizure that reads blank', (_name, body, path) => {
    // Act
    const parse = () => parseInput(FindingSchema, body, 'the outcome');

    // Assess
    expect(parse).toThrow(
      expect.objectContaining({
        issues: [{ path, message: expect.stringContaining('only invisible characters') }],
      }),
    );
  });

  it('refuses a substance of a byte order mark as empty, since trimming drops it', () => {
    // Act
    const parse = () => parseInput(FindingSchema, seized({ substance: '\ufeff' }), 'the outcome');

    // Assess
    expect(parse).toThrow(
      expect.objectContaining({
        issues: [{ path: 'seizure.substance', message: expect.stringMatching(/>=1 characters/) }],
      }),
    );
  });

  it('accepts staff text with an invisible character among visible ones, as written', () => {
    // Act
    const finding = parseInput(
      FindingSchema,
      seized({ substance: 'a\u200bb', concealment: '木\u200b雕' }),
      'the outcome',
    );

    // Assess
    expect(finding).toMatchObject({ seizure: { substance: 'a\u200bb', concealment: '木\u200b雕' } });
  });

  it('accepts notes over several lines, with tabs, and Chinese text', () => {
    // Act
    const finding = parseInput(
      FindingSchema,
      seized({ substance: '海洛因', concealment: '雕花木桌腿' }, 'line one\r\n\tline two'),
      'the outcome',
    );

    // Assess
    expect(finding).toMatchObject({ notes: 'line one\r\n\tline two', seizure: { substance: '海洛因' } });
  });
});
