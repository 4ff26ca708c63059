import { describe, expect, it } from 'vitest';
import { baselineFacts, checkFactsInput, factsFromInput } from '../../../functions/core/rules/cases/index.js';

// A goods line is replaced whole when case facts are merged (an array is no overlay), so a field written
// `null` in it reaches the schema as null, not as a removed field: it is still one screening always has.
describe('case facts writing null on a field of a goods line', () => {
  const NULL_ON_A_FACT = 'null, but screening always has this fact (null only removes an optional one)';
  const line = baselineFacts().parcel.goods[0]!;

  it.each<[string, Record<string, unknown>, string]>([
    ['its description', { ...line, description: null }, 'parcel.goods[0].description'],
    ['its HS code', { ...line, hsCode: null }, 'parcel.goods[0].hsCode'],
    ['its quantity', { ...line, quantity: null }, 'parcel.goods[0].quantity'],
    ['its declared value', { ...line, declaredValue: null }, 'parcel.goods[0].declaredValue'],
    [
      'the currency of its declared value',
      { ...line, declaredValue: { amount: 200, currency: null } },
      'parcel.goods[0].declaredValue.currency',
    ],
  ])('%s says null only removes an optional fact, not "expected …, not null"', (_name, goodsLine, at) => {
    // Prepare
    const input = { parcel: { goods: [goodsLine] } };

    // Act
    const { problems } = checkFactsInput(input, factsFromInput(input));

    // Assess
    expect(problems).toEqual([`${at}: ${NULL_ON_A_FACT}`]);
  });
});
