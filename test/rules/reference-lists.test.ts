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
