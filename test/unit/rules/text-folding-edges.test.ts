import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../functions/core/text/text.js';
import { containsWholeWord, wholeWord } from '../../../functions/core/text/whole-words.js';

describe('accents dropped on a letter behind other marks or outside the BMP', () => {
  it.each<[string, string, string]>([
    // An accent on a Latin letter is dropped though another mark (an enclosing circle, no accent) is between.
    ['past a mark of another block', 'cafe\u20dd\u0301', 'cafe\u20dd'],
    ['past a mark, on a lone letter', 'a\u20dd\u0301', 'a\u20dd'],
    // A Latin letter outside the BMP (Latin Extended-G) takes accents off as any Latin letter does.
    ['on an astral Latin letter', '\u{1DF00}\u0301', '\u{1DF00}'],
    // An emoji or a Deseret letter is not Latin, Greek or Cyrillic: the accent stays.
    ['not on an emoji', '\u{1F600}\u0301', '\u{1F600}\u0301'],
    ['not on a Deseret letter', '\u{10428}\u0301', '\u{10428}\u0301'],
  ])('%s', (_name, text, normalized) => {
    // Prepare: the table row

    // Act
    const folded = normalizeText(text);

    // Assess
    expect(folded).toBe(normalized);
  });
});

describe('containsWholeWord on overlapping occurrences and astral neighbours', () => {
  it.each<[string, string, string, boolean]>([
    // The first occurrence is inside "boring"; the next starts inside it, and is whole.
    ['an occurrence that starts inside a rejected one', 'boring ring ring', 'ring ring', true],
    ['an astral Latin letter just before', '\u{1DF00}tea', 'tea', false],
    ['an astral Deseret letter just before', '\u{10428}tea', 'tea', false],
    ['an emoji just before, which is no letter', '\u{1F600}tea', 'tea', true],
  ])('%s', (_name, text, value, expected) => {
    // Prepare
    const word = wholeWord(normalizeText(value));

    // Act
    const found = containsWholeWord(normalizeText(text), word);

    // Assess
    expect(found).toBe(expected);
  });
});
