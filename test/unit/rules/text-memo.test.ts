import { describe, expect, it } from 'vitest';
import { WitnessTable } from '../../../functions/core/rules/witness-table.js';
import { TextMemo } from '../../../functions/core/text/text.js';

describe('TextMemo', () => {
  it('answers exactly like its predicate, through repeats, unique texts (memo skipped) and back', () => {
    let calls = 0;
    const predicate = (text: string) => {
      calls++;
      return text.length % 3 === 0;
    };
    const memo = new TextMemo(predicate);
    const texts: string[] = [];
    for (let i = 0; i < 200; i++) texts.push(`city-${i % 10}`); // repeats: memoized
    for (let i = 0; i < 30_000; i++) texts.push(`key-${i}`); // never repeats: the memo gets skipped
    for (let i = 0; i < 100_000; i++) texts.push(`again-${i % 7}`); // repeats again: memoized again
    for (const text of texts) expect(memo.test(text)).toBe(text.length % 3 === 0);
    expect(calls).toBeLessThan(texts.length);
  });
});

describe('WitnessTable', () => {
  it('keeps the first witness per name and forgets them all on clear', () => {
    const table = new WitnessTable();
    expect(table.get('line')).toBeUndefined();
    table.setIfAbsent('line', { value: 1, path: 'parcel.goods[0]' });
    table.setIfAbsent('line', { value: 2, path: 'parcel.goods[1]' });
    table.setIfAbsent('stop', { value: 3, path: 'parcel.route.via[2]' });
    expect(table.size).toBe(2);
    expect(table.get('line')).toEqual({ value: 1, path: 'parcel.goods[0]' });
    expect(table.has('stop')).toBe(true);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.get('line')).toBeUndefined();
    table.setIfAbsent('line', { value: 4, path: 'parcel.goods[3]' });
    expect(table.get('line')?.value).toBe(4);
  });
});
