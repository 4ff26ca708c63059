import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../functions/core/rules/index.js';

describe('normalizeText', () => {
  it.each([
    ['ASCII upper case', 'Carved ROSEWOOD', 'carved rosewood'],
    ['full-width Latin', 'ＲＯＳＥＷＯＯＤ', 'rosewood'],
    ['full-width digits', '９４０３６０', '940360'],
    ['ideographic space', '红木\u3000家具', '红木 家具'],
    ['Chinese unchanged', '红木雕花茶几', '红木雕花茶几'],
    ['half-width katakana to full-width', 'ﾃｰﾌﾞﾙ', 'テーブル'],
    ['mixed', 'Ｔｅａｋ 柚木 Table', 'teak 柚木 table'],
  ])('normalizes %s', (_name, input, expected) => {
    // Prepare / Act
    const normalized = normalizeText(input);

    // Assess
    expect(normalized).toBe(expected);
  });
});
