import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The HS list is derived from the reference rows: they must never drift apart. */
describe('wooden-goods-hs list', () => {
  it('holds exactly the 6-digit codes of rules/reference/hs/wooden-furniture-and-carvings.csv', () => {
    // Prepare
    const [header, ...rows] = readFileSync('rules/reference/hs/wooden-furniture-and-carvings.csv', 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    const code = header!.indexOf('hscode');
    const level = header!.indexOf('level');
    const expected = [...new Set(rows.filter((row) => row[level] === '6').map((row) => row[code]))].sort();

    // Act
    const list = parse(readFileSync('rules/default/lists/wooden-goods-hs.yaml', 'utf8')) as {
      values: string[];
    };

    // Assess
    expect([...list.values].sort()).toEqual(expected);
  });
});

/** The subheadings list is the reference codes of both HS editions, and they are real 6-digit codes. */
describe('hs-subheadings list', () => {
  it('holds exactly the codes of rules/reference/hs/subheadings.csv, every one of 6 digits in 2017, 2022 or both', () => {
    // Prepare
    const [header, ...rows] = readFileSync('rules/reference/hs/subheadings.csv', 'utf8').trim().split('\n');
    const codes = rows.map((row) => row.split(',')[0]!);
    const editions = rows.map((row) => row.split(',')[1]);

    // Act
    const list = parse(readFileSync('rules/default/lists/hs-subheadings.yaml', 'utf8')) as {
      values: string[];
    };

    // Assess
    expect(header).toBe('hscode,editions');
    expect(codes.every((code) => /^\d{6}$/.test(code))).toBe(true);
    expect(new Set(editions)).toEqual(new Set(['2017 2022', '2017', '2022']));
    expect(new Set(codes).size).toBe(codes.length);
    expect([...list.values].sort()).toEqual([...codes].sort());
    // The wooden codes are subheadings too (a wooden line never fires unknown-hs-code by its code alone)
    const wooden = parse(readFileSync('rules/default/lists/wooden-goods-hs.yaml', 'utf8')) as {
      values: string[];
    };
    expect(wooden.values.filter((code) => !codes.includes(code))).toEqual([]);
  });
});
