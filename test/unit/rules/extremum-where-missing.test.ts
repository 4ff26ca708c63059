import { describe, expect, it } from 'vitest';
import { compile, facts, goodsLine, rule } from './rule-set-factory.js';

// maxOf / minOf over the elements a `where` keeps: an element whose `where` is missing (here: a lookup
// the table has no entry for) might have been kept, and might have been the largest or smallest, so the
// result is missing, as it is for an element whose value is missing. Skipping it would show a maximum
// that is not one.
const TABLES = {
  chapterValue: {
    description: 'typical CNY per kg by HS chapter, no default',
    match: 'prefix',
    entries: { '94': 150, '39': 40 },
  },
};
const amount = { fact: 'line.declaredValue.amount' };
const typicalOver100 = { value: { lookup: { table: 'chapterValue', key: 'line.hsCode' } }, gt: 100 };
const line = (value: number, hsCode: string) =>
  goodsLine({ declaredValue: { amount: value, currency: 'CNY' }, hsCode });

const derive = (value: unknown, goods: ReturnType<typeof goodsLine>[]) => {
  const policy = compile({
    tables: TABLES,
    derived: { x: { description: 'under test', value } },
    rules: [rule('reads-x', { fact: 'derived.x', gte: 0 })],
  });
  return policy.evaluate(facts({ parcel: { goods } }), { trace: true }).trace!.derived.x;
};

describe('maxOf and minOf when an element’s where is missing', () => {
  it.each<[string, unknown, ReturnType<typeof goodsLine>[], number | null]>([
    [
      'maxOf, the undecided line after a kept one',
      { maxOf: { of: 'parcel.goods', as: 'line', value: amount, where: typicalOver100 } },
      [line(500, '940360'), line(900, '010121')],
      null,
    ],
    [
      'minOf, the undecided line before a kept one',
      { minOf: { of: 'parcel.goods', as: 'line', value: amount, where: typicalOver100 } },
      [line(5, '010121'), line(500, '940360')],
      null,
    ],
    [
      'maxOf, every line decided (one kept, one not)',
      { maxOf: { of: 'parcel.goods', as: 'line', value: amount, where: typicalOver100 } },
      [line(500, '940360'), line(900, '392690')],
      500,
    ],
  ])('%s', (_name, value, goods, expected) => {
    // Prepare / Act
    const result = derive(value, goods);

    // Assess
    expect(result).toBe(expected);
  });
});
