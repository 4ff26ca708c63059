import { COMBINING_MARK, codePointKinds } from './code-point-kinds.js';

/**
 * Whole words in normalized text, for containsAnyWord: where a value may start and end in a text of
 * scripts written with or without spaces between words.
 */

/**
 * Letters, digits and combining marks of scripts that write spaces between words (Latin, Cyrillic,
 * Greek, Arabic, Devanagari, …): the characters a whole word may not have beside it. A combining mark
 * counts only as what it sits on (the character before it, past other marks): on a letter it is part of
 * the word, at the start of the text or on a space or punctuation it is none, so an accent before a word
 * (`hunting \u0301knife`, `´knife`, whose NFKC is a space and U+0301) does not hide it. Not those of the
 * scripts written without spaces between words, where any character may start or end a word: Han,
 * Hiragana, Katakana, Bopomofo and Hangul by their script extensions (so `ー` and `々` count with them;
 * Korean joins particles to its nouns, `차를`, so it is searched as Chinese is), and Thai, Lao, Khmer,
 * Myanmar, Tibetan, Yi, the Tai scripts, Javanese and Balinese by their script (Tai Le's extensions hold
 * the combining accents Latin uses).
 */
const WORD_CHARACTER =
  /^(?![\p{scx=Hani}\p{scx=Hira}\p{scx=Kana}\p{scx=Bopo}\p{scx=Hang}\p{sc=Thai}\p{sc=Laoo}\p{sc=Khmr}\p{sc=Mymr}\p{sc=Tibt}\p{sc=Yiii}\p{sc=Lana}\p{sc=Talu}\p{sc=Tale}\p{sc=Tavt}\p{sc=Java}\p{sc=Bali}])[\p{L}\p{N}\p{M}]$/u;

/** What a code point is to a word: a word character, none, or a mark (what it sits on). */
const WORD = 1;
const NOT_WORD = 2;
const MARK = 3;

const { kindOf } = codePointKinds((char) =>
  !WORD_CHARACTER.test(char) ? NOT_WORD : COMBINING_MARK.test(char) ? MARK : WORD,
);

/**
 * The kind of a code point (see WORD_CHARACTER). ASCII by range; other code points classified once and
 * remembered, so the search allocates nothing once a text's characters have been met.
 */
const wordKind = (code: number): number => {
  if (code < 0x80)
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a)
      ? WORD
      : NOT_WORD;
  return kindOf(code);
};

/**
 * Whether a code point is a letter, digit or combining mark of a script written with spaces between
 * words (see WORD_CHARACTER), on its own: a mark is one here, whatever it sits on.
 */
export const isWordCodePoint = (code: number): boolean => wordKind(code) !== NOT_WORD;

/**
 * Whether the code point ending just before `index` (a surrogate pair read whole) is a word character: a
 * combining mark is what the character before it is (looked back to, past marks; none at the start).
 * Looking back costs no more than the text: an occurrence of a word that needs a boundary starts with a
 * word character that is no mark, so no two occurrences look back over the same marks.
 */
const wordCharacterBefore = (text: string, index: number): boolean => {
  let at = index;
  while (at > 0) {
    let code = text.charCodeAt(at - 1);
    at--;
    if (code >= 0xdc00 && code <= 0xdfff && at >= 1) {
      const high = text.charCodeAt(at - 1);
      if (high >= 0xd800 && high <= 0xdbff) {
        code = (high - 0xd800) * 0x400 + code - 0xdc00 + 0x10000;
        at--;
      }
    }
    const kind = wordKind(code);
    if (kind !== MARK) return kind === WORD;
  }
  return false;
};

/** Whether the code point starting at `index` is a word character (none past the end; a mark, see above). */
const wordCharacterAt = (text: string, index: number): boolean => {
  if (index >= text.length) return false;
  const kind = wordKind(text.codePointAt(index)!);
  return kind === MARK ? wordCharacterBefore(text, index) : kind === WORD;
};

/**
 * A value for containsAnyWord, normalized: whether its first and its last character are word
 * characters, which then need a boundary beside them in the text (a value of Chinese needs none).
 */
export interface WholeWord {
  text: string;
  boundedStart: boolean;
  boundedEnd: boolean;
}

export const wholeWord = (normalized: string): WholeWord => ({
  text: normalized,
  boundedStart: wordCharacterAt(normalized, 0),
  boundedEnd: wordCharacterBefore(normalized, normalized.length),
});

/**
 * Whether normalized `text` holds `word` as a whole word: somewhere with no word character just before
 * it where its first character is one, and none just after it where its last character is one (see
 * WORD_CHARACTER). Every occurrence is tried (`steam tea`), without allocating.
 */
export const containsWholeWord = (text: string, word: WholeWord): boolean => {
  const needle = word.text;
  if (needle === '') return false;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (word.boundedStart && wordCharacterBefore(text, at)) continue;
    if (word.boundedEnd && wordCharacterAt(text, at + needle.length)) continue;
    return true;
  }
  return false;
};
