/**
 * Whole words in normalized text, for containsAnyWord: where a value may start and end in a text of
 * scripts written with or without spaces between words.
 */

/**
 * Letters, digits and combining marks of scripts that write spaces between words (Latin, Cyrillic,
 * Greek, Arabic, Devanagari, …): the characters a whole word may not have beside it. Not those of the
 * scripts written without spaces between words, where any character may start or end a word: Han,
 * Hiragana, Katakana, Bopomofo and Hangul by their script extensions (so `ー` and `々` count with them;
 * Korean joins particles to its nouns, `차를`, so it is searched as Chinese is), and Thai, Lao, Khmer,
 * Myanmar, Tibetan, Yi, the Tai scripts, Javanese and Balinese by their script (Tai Le's extensions hold
 * the combining accents Latin uses).
 */
const WORD_CHARACTER =
  /^(?![\p{scx=Hani}\p{scx=Hira}\p{scx=Kana}\p{scx=Bopo}\p{scx=Hang}\p{sc=Thai}\p{sc=Laoo}\p{sc=Khmr}\p{sc=Mymr}\p{sc=Tibt}\p{sc=Yiii}\p{sc=Lana}\p{sc=Talu}\p{sc=Tale}\p{sc=Tavt}\p{sc=Java}\p{sc=Bali}])[\p{L}\p{N}\p{M}]$/u;

/** Whether each BMP code point is a word character: 0 not yet known, 1 yes, 2 no (filled as text meets them). */
const BMP_WORD = new Uint8Array(0x10000);
/** Astral code points seen (a bounded cache: past it they are classified each time). */
const ASTRAL_WORD = new Map<number, boolean>();
const ASTRAL_LIMIT = 4096;

/**
 * Whether a code point is a letter, digit or combining mark of a script written with spaces between
 * words (see WORD_CHARACTER). ASCII by range; other code points classified once and remembered, so the
 * search allocates nothing once a text's characters have been met.
 */
export const isWordCodePoint = (code: number): boolean => {
  if (code < 0x80)
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
  if (code < 0x10000) {
    const known = BMP_WORD[code]!;
    if (known !== 0) return known === 1;
    const word = WORD_CHARACTER.test(String.fromCharCode(code));
    BMP_WORD[code] = word ? 1 : 2;
    return word;
  }
  const known = ASTRAL_WORD.get(code);
  if (known !== undefined) return known;
  const word = WORD_CHARACTER.test(String.fromCodePoint(code));
  if (ASTRAL_WORD.size < ASTRAL_LIMIT) ASTRAL_WORD.set(code, word);
  return word;
};

/** Whether the code point ending just before `index` (a surrogate pair read whole) is a word character. */
const wordCharacterBefore = (text: string, index: number): boolean => {
  if (index <= 0) return false;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff)
      return isWordCodePoint((high - 0xd800) * 0x400 + low - 0xdc00 + 0x10000);
  }
  return isWordCodePoint(low);
};

/** Whether the code point starting at `index` is a word character (none past the end). */
const wordCharacterAt = (text: string, index: number): boolean =>
  index < text.length && isWordCodePoint(text.codePointAt(index)!);

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
