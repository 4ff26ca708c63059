import { LATIN_LOOKALIKES } from './latin-lookalikes.js';
import { SIMPLIFIED_HAN_PAIRS } from './simplified-han.js';

/**
 * Text normalization used by every text comparison: invisible characters dropped (see IGNORABLE), Unicode
 * NFKC (full-width Latin and digits become half-width, compatibility ideographs fold), lower case, then
 * look-alikes folded (see foldLookalikes): accents on Latin, Greek and Cyrillic letters dropped, Cyrillic
 * and Greek letters that look Latin made Latin, traditional Chinese characters made simplified. Text that
 * provably needs none of it skips it (ASCII all but lower case, see isAscii; ASCII and common ideographs
 * invisible characters and NFKC, see isNfkcStable). Party keys do not use it (parties/text.ts folds
 * its own way, and its keys must not change).
 */

/**
 * Unicode's Default_Ignorable_Code_Point characters: zero-width space, joiners, word joiner, BOM, soft
 * hyphen, variation selectors, tags and the like. Fonts draw nothing for them, so one inserted into a
 * word (`木\u200b雕`, `rose\u00adwood`) would hide it from every list and literal without anyone seeing
 * it: text matching drops them. They go before NFKC, which keeps a combining grapheme joiner (U+034F)
 * between a letter and its accent from composing (`e\u034f\u0301` must become `é`, as `e\u0301` does), and
 * NFKC makes none of them out of other characters (test/unit/rules/text-normalization.test.ts proves it).
 * With them the interlinear annotation marks U+FFF9–U+FFFB: format characters Unicode does not class as
 * ignorable, but browsers draw them with no width, so `冰\ufffa毒` shows as `冰毒`.
 */
const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\ufff9-\ufffb]/gu;

/** Text without its invisible characters (see IGNORABLE); party folding drops them too. */
export const dropInvisible = (text: string): string => text.replace(IGNORABLE, '');

/**
 * ASCII and CJK unified ideographs (U+4E00–U+9FFF) are NFKC-stable, alone and next to each other, and
 * none of them is an invisible character, so text made only of them skips the (slower) stripping and
 * NFKC. A char-code loop rather than a regex: it is on the hot path of every uncached text comparison.
 * Surrogates (astral characters) fall outside both ranges.
 */
export const isNfkcStable = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80 && (code < 0x4e00 || code > 0x9fff)) return false;
  }
  return true;
};

/**
 * Parcel text is trimmed by the manifest contract, but an invisible character at an end keeps the spaces
 * next to it (`\u200b Ruili`): text that lost one is trimmed again, as it would have been without it.
 */
export const normalizeText = (text: string): string => {
  if (isAscii(text)) return text.toLowerCase();
  if (isNfkcStable(text)) return foldLookalikes(text.toLowerCase());
  const visible = dropInvisible(text);
  return foldLookalikes(
    (visible.length === text.length ? visible : visible.trim()).normalize('NFKC').toLowerCase(),
  );
};

/** Text of ASCII only, which no step but lower case changes: the fast path, a char-code loop as above. */
const isAscii = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
};

/** Whether a character is a Latin, Greek or Cyrillic one, whose accents text matching drops. */
const TAKES_ACCENTS = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]$/u;
const COMBINING_MARK = /^\p{M}$/u;
/** The accents dropped: the Combining Diacritical Marks block. */
const isAccent = (code: number): boolean => code >= 0x300 && code <= 0x36f;

/**
 * Each character text matching folds, by code point, with what it becomes:
 * - a Latin, Greek or Cyrillic letter with accents (U+0300–U+036F, the Combining Diacritical Marks) in
 *   its canonical decomposition, without them: `é`, `ü`, `ǖ`, `ά`, `ё`, `й` become `e`, `u`, `u`, `α`,
 *   `е`, `и` (then folded further, as below: `ё` is `e`). Marks of other blocks (the kana voicing marks
 *   U+3099–U+309A, Indic vowel signs) stay, and so does every character of other scripts. Text is in
 *   NFKC, so an accent stands alone only where no precomposed letter exists (`q\u0301`): see
 *   foldLookalikes. The precomposed letters all lie in the blocks scanned below (Latin-1 Supplement to
 *   Cyrillic, Latin Extended Additional, Greek Extended): lookalike-folding.test.ts checks every code
 *   point against the decomposition itself.
 * - a Cyrillic or Greek letter that looks Latin, the Latin letter (latin-lookalikes.ts, from Unicode's
 *   confusables);
 * - a traditional Chinese character, its simplified form (simplified-han.ts, from OpenCC).
 * Every value is left alone by every step of normalizeText, so normalizing twice changes nothing more.
 */
const FOLDED = new Map<number, string>();
for (const [letter, latin] of Object.entries(LATIN_LOOKALIKES)) FOLDED.set(letter.codePointAt(0)!, latin);
for (const pair of SIMPLIFIED_HAN_PAIRS.split(/\s+/)) {
  const [traditional, simplified] = [...pair];
  if (traditional !== undefined && simplified !== undefined)
    FOLDED.set(traditional.codePointAt(0)!, simplified);
}
const foldLetters = (text: string): string =>
  Array.from(text, (char) => FOLDED.get(char.codePointAt(0)!) ?? char).join('');
for (const [from, to] of [
  [0xc0, 0x24f],
  [0x370, 0x52f],
  [0x1e00, 0x1fff],
]) {
  for (let code = from!; code <= to!; code++) {
    const char = String.fromCharCode(code);
    if (!TAKES_ACCENTS.test(char)) continue;
    const decomposed = char.normalize('NFD');
    const bare = Array.from(decomposed)
      .filter((part) => !isAccent(part.charCodeAt(0)))
      .join('');
    if (bare.length < decomposed.length) FOLDED.set(code, foldLetters(bare.normalize('NFC')));
  }
}

/**
 * What each BMP code unit needs: 0 nothing, FOLD a look-up in FOLDED (for a high surrogate, of the astral
 * character it starts), ACCENT a look at its base. BMP_UNIT holds the one code unit a BMP character
 * folds to, where it folds to one (0 where it folds to more, or not at all): most look-ups need no Map.
 */
const FOLD = 1;
const ACCENT = 2;
const BMP_FOLDING = new Uint8Array(0x10000);
const BMP_UNIT = new Uint16Array(0x10000);
for (const [code, folded] of FOLDED) {
  BMP_FOLDING[code < 0x10000 ? code : 0xd800 + ((code - 0x10000) >> 10)] = FOLD;
  if (code < 0x10000 && folded.length === 1) BMP_UNIT[code] = folded.charCodeAt(0);
}
for (let code = 0x300; code <= 0x36f; code++) BMP_FOLDING[code] = ACCENT;

/**
 * What a code point is to the accents after it: a MARK leaves their base as it was (they sit on the
 * character before it), a BASE_TAKING_ACCENTS (a Latin, Greek or Cyrillic one) has them dropped, any other
 * BASE keeps them.
 */
const MARK = 1;
const BASE_TAKING_ACCENTS = 2;
const BASE = 3;
/** The kind of each BMP code point, 0 while not yet known (filled as text meets them, as BMP_WORD below). */
const BMP_KIND = new Uint8Array(0x10000);
/** Astral code points seen, as ASTRAL_WORD below (a bounded cache: past it they are classified each time). */
const ASTRAL_KIND = new Map<number, number>();

const kindOf = (code: number): number => {
  const known = code < 0x10000 ? BMP_KIND[code]! : (ASTRAL_KIND.get(code) ?? 0);
  if (known !== 0) return known;
  const char = String.fromCodePoint(code);
  const kind = COMBINING_MARK.test(char) ? MARK : TAKES_ACCENTS.test(char) ? BASE_TAKING_ACCENTS : BASE;
  if (code < 0x10000) BMP_KIND[code] = kind;
  else if (ASTRAL_KIND.size < ASTRAL_LIMIT) ASTRAL_KIND.set(code, kind);
  return kind;
};

/**
 * What text matching reads as the same text (normalized, lower-cased text in, see normalizeText): each
 * character in FOLDED replaced, and each accent on a Latin, Greek or Cyrillic letter dropped. A scan of
 * char codes that allocates nothing when nothing folds. Only for matching: a Russian or Greek word comes
 * out as a mix of Latin and its own letters (`нож` as `hож`), which both sides of a comparison share.
 */
const foldLookalikes = (text: string): string => {
  for (let i = 0; i < text.length; i++) if (BMP_FOLDING[text.charCodeAt(i)] !== 0) return foldAll(text);
  return text;
};

/**
 * Text folded, into char codes (cheaper than concatenation). One pass, remembering whether the base the
 * marks at `i` sit on (the last character that is not a combining mark, none at the start) takes accents
 * off: no accent is looked back from, so a letter under thousands of stacked accents costs no more than
 * as many letters.
 */
const foldAll = (text: string): string => {
  const codes: number[] = [];
  let takesAccents = false;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const need = BMP_FOLDING[unit]!;
    if (need === ACCENT) {
      if (!takesAccents) codes.push(unit);
      continue;
    }
    const code = text.codePointAt(i)!;
    const kind = kindOf(code);
    if (kind !== MARK) takesAccents = kind === BASE_TAKING_ACCENTS;
    if (need === 0) {
      codes.push(unit);
      if (code > 0xffff) codes.push(text.charCodeAt(++i));
    } else if (BMP_UNIT[unit] !== 0) codes.push(BMP_UNIT[unit]!);
    else {
      const folded = FOLDED.get(code) ?? String.fromCodePoint(code);
      for (let k = 0; k < folded.length; k++) codes.push(folded.charCodeAt(k));
      if (code > 0xffff) i++;
    }
  }
  return fromCharCodes(codes);
};

/** A string of char codes, in chunks that stay below any engine's limit on arguments. */
const fromCharCodes = (codes: number[]): string => {
  if (codes.length <= 4096) return String.fromCharCode(...codes);
  let text = '';
  for (let at = 0; at < codes.length; at += 4096) text += String.fromCharCode(...codes.slice(at, at + 4096));
  return text;
};

/**
 * Why a value written in a rule set (a list value, a literal, a table key) could not match as written:
 * parcel text is trimmed by the manifest contract (every Unicode space, U+3000 included), so a value with
 * leading or trailing spaces never equals it and misses it at its start or end. Undefined when trimmed.
 * Refused rather than trimmed: the file then shows exactly what matches, and the version hash (of the
 * content as written) changes only with what matches.
 */
export const untrimmedReason = (value: string, searched = false): string | undefined => {
  if (value === value.trim()) return undefined;
  const reason =
    'has leading or trailing spaces, which parcel text never has (the manifest contract trims it): remove them';
  return searched ? `${reason} (to find a whole word, use containsAnyWord)` : reason;
};

/**
 * Why a value written in a rule set (a list value, a literal) has to be written again: it holds
 * invisible characters, which text matching drops. Refused rather than dropped, as spaces are: nobody
 * reading the file can see them, and they would change the version hash and nothing that matches.
 */
export const invisibleReason = (value: string): string | undefined => {
  const found = value.match(IGNORABLE);
  if (found === null) return undefined;
  const codes = [...new Set(found)].map(
    (char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
  return `has invisible characters (${codes.join(', ')}), which text matching ignores and no reader of the file can see: remove them`;
};

/** Why a value written in a rule set is refused: untrimmed (that first) or holding invisible characters. */
export const writtenTextReason = (value: string, searched = false): string | undefined =>
  untrimmedReason(value, searched) ?? invisibleReason(value);

/** Text with its invisible characters escaped (`\u200b`, `\u{e0100}`), so an issue shows where they are. */
export const escapeInvisible = (text: string): string =>
  text.replace(IGNORABLE, (char) => {
    const hex = char.codePointAt(0)!.toString(16);
    return hex.length <= 4 ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
  });

/** A value written in a rule set as an issue shows it: JSON, its invisible characters escaped. */
export const quoteWritten = (value: unknown): string => escapeInvisible(JSON.stringify(value));

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

const MEMO_LIMIT = 8192;
/** Calls that skip the memo after it filled up mostly with misses (then it is tried again). */
const BYPASS_CALLS = 65536;

/**
 * A pure predicate on text (a list membership, a substring search) memoized by the raw text, so repeated
 * cities and descriptions are normalized and searched once. Bounded: the memo is emptied when full, and
 * when it filled up with mostly misses (texts that never repeat, such as party keys) it is skipped for
 * a while, since storing them costs more than it saves. A class rather than a closure so every call site
 * of `test` stays monomorphic and can be inlined.
 */
export class TextMemo {
  private readonly memo = new Map<string, boolean>();
  private hits = 0;
  private bypass = 0;
  constructor(private readonly predicate: (text: string) => boolean) {}

  test(text: string): boolean {
    if (this.bypass > 0) {
      this.bypass--;
      return this.predicate(text);
    }
    const known = this.memo.get(text);
    if (known !== undefined) {
      this.hits++;
      return known;
    }
    const result = this.predicate(text);
    if (this.memo.size >= MEMO_LIMIT) {
      if (this.hits < this.memo.size) this.bypass = BYPASS_CALLS;
      this.memo.clear();
      this.hits = 0;
    }
    this.memo.set(text, result);
    return result;
  }
}
