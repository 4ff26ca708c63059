import { describe, expect, it } from 'vitest';
import { isNfkcStable, normalizeText } from '../../../functions/core/text/text.js';

/** Unicode's default-ignorable code points, and the interlinear annotation marks browsers draw as nothing. */
const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\ufff9-\ufffb]/u;

/** Every code point from `from` to `to`, surrogates left out. */
const codePoints = function* (from: number, to: number): Generator<string> {
  for (let code = from; code <= to; code++)
    if (code < 0xd800 || code > 0xdfff) yield String.fromCodePoint(code);
};

describe('normalizeText', () => {
  it.each([
    ['ASCII upper case', 'Carved ROSEWOOD', 'carved rosewood'],
    ['full-width Latin', 'ＲＯＳＥＷＯＯＤ', 'rosewood'],
    ['full-width digits', '９４０３６０', '940360'],
    ['ideographic space', '红木\u3000家具', '红木 家具'],
    ['Chinese unchanged', '红木雕花茶几', '红木雕花茶几'],
    ['half-width katakana to full-width', 'ﾃｰﾌﾞﾙ', 'テーブル'],
    ['mixed', 'Ｔｅａｋ 柚木 Table', 'teak 柚木 table'],
    ['accented Latin without its accents', 'Crème Brûlée', 'creme brulee'],
    ['Hangul unchanged', '목조 가구', '목조 가구'],
    ['spaces kept where nothing invisible was', 'Ｒuili ', 'ruili '],
  ])('normalizes %s', (_name, input, expected) => {
    // Prepare / Act
    const normalized = normalizeText(input);

    // Assess
    expect(normalized).toBe(expected);
  });

  // One of each kind of Default_Ignorable_Code_Point a partner might slip into a word.
  const invisible = [
    ['a zero-width space', '\u200b'],
    ['a zero-width non-joiner', '\u200c'],
    ['a zero-width joiner', '\u200d'],
    ['a word joiner', '\u2060'],
    ['a byte order mark', '\ufeff'],
    ['a soft hyphen', '\u00ad'],
    ['a combining grapheme joiner', '\u034f'],
    ['variation selector 16', '\ufe0f'],
    ['an ideographic variation selector (astral)', '\u{e0100}'],
    ['the Mongolian vowel separator', '\u180e'],
    ['a tag character (astral)', '\u{e0041}'],
    ['the Hangul filler', '\u3164'],
    ['the half-width Hangul filler', '\uffa0'],
    ['two of them together', '\u200b\u00ad'],
  ];

  it.each(invisible)('drops %s between two ideographs', (_name, char) => {
    // Prepare / Act
    const normalized = normalizeText(`木${char}雕`);

    // Assess
    expect(normalized).toBe('木雕');
  });

  it.each(invisible)('drops %s inside a Latin word', (_name, char) => {
    // Prepare / Act
    const normalized = normalizeText(`Rose${char}wood`);

    // Assess
    expect(normalized).toBe('rosewood');
  });

  it.each([
    ['before a space', '\u200b Ruili', 'ruili'],
    ['after an ideographic space', 'Ruili\u3000\u2060', 'ruili'],
  ])('trims what an invisible character %s kept from being trimmed', (_name, input, expected) => {
    // Prepare / Act
    const normalized = normalizeText(input);

    // Assess
    expect(normalized).toBe(expected);
  });

  it('drops invisible characters before NFKC, so a letter and its mark still compose', () => {
    // Prepare: U+034F between か and the combining voiced sound mark keeps NFKC from composing them (a
    // kana mark, which text matching keeps, where it drops a Latin letter's accent whatever stands between)
    const blocked = '\u304b\u034f\u3099';

    // Act
    const normalized = normalizeText(blocked);

    // Assess
    expect(normalized).toBe('\u304c');
    expect(normalized).toBe(normalizeText('\u304b\u3099'));
  });

  it('drops every invisible character, in Chinese and in Latin text', () => {
    // Prepare
    const all = [...codePoints(0, 0x10ffff)].filter((char) => IGNORABLE.test(char));

    // Act
    const kept = all.filter(
      (char) => normalizeText(`木${char}雕`) !== '木雕' || normalizeText(`rose${char}wood`) !== 'rosewood',
    );

    // Assess
    expect(all.length).toBeGreaterThan(4000);
    expect(kept).toEqual([]);
  });
});

describe('invisible characters and the steps around them', () => {
  it('finds none in ASCII or the CJK unified ideographs, so the fast path need not drop any', () => {
    // Prepare
    const fastPath = [...codePoints(0, 0x7f), ...codePoints(0x4e00, 0x9fff)];

    // Act
    const ignorable = fastPath.filter((char) => IGNORABLE.test(char));

    // Assess
    expect(fastPath.every((char) => isNfkcStable(char))).toBe(true);
    expect(ignorable).toEqual([]);
  });

  it('makes none out of a visible character by NFKC and lower case, so dropping them first is enough', () => {
    // Prepare: planes 4 to 13 have no characters and 15 and 16 only private use, which NFKC leaves alone
    const assignable = [...codePoints(0, 0x3ffff), ...codePoints(0xe0000, 0xeffff)];

    // Act
    const making = assignable.filter(
      (char) => !IGNORABLE.test(char) && IGNORABLE.test(char.normalize('NFKC').toLowerCase()),
    );

    // Assess
    expect(making).toEqual([]);
  });
});
