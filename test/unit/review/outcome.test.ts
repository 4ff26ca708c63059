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
