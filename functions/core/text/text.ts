import { COMBINING_MARK, codePointKinds } from './code-point-kinds.js';
import { foldLookalikes } from './lookalike-folding.js';
import { isWordCodePoint } from './whole-words.js';

/**
 * Text normalization used by every text comparison: invisible characters dropped (see IGNORABLE), Unicode
 * NFKC (full-width Latin and digits become half-width, compatibility ideographs fold), lower case, then
 * look-alikes folded (see foldLookalikes): accents on Latin, Greek and Cyrillic letters dropped, Cyrillic,
 * Greek and Armenian letters that look Latin made Latin (and so Latin small capitals and the dotless ı),
 * traditional Chinese characters made simplified. containsAnyWord first sets some symbols apart (see
 * normalizeWords). Text that provably needs none of it skips it (ASCII all but lower case, see isAscii;
 * ASCII and common ideographs invisible characters and NFKC, see isNfkcStable). Party keys do not use it
 * (parties/text.ts folds its own way, and its keys must not change).
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

/**
 * Symbols, other numbers and modifier letters (General_Category So, Sk, No, Lm) whose NFKC form holds a word
 * character other than a mark (see whole-words.ts): `™` (NFKC `TM`), `℠`, `№`, `²`, `①`, `ʰ`, `㎏`. NFKC
 * would glue their letters or digits to the word they follow (`Knife™` as `knifetm`); the text
 * containsAnyWord searches has them stand apart instead (see normalizeWords). Symbols whose NFKC form holds
 * none (`´`, a space and an accent; the half-width `ｰ`) are left alone: they are no word character either
 * way.
 */
const SET_APART = /^[\p{So}\p{Sk}\p{No}\p{Lm}]$/u;
const setsApart = (char: string): boolean => {
  if (!SET_APART.test(char)) return false;
  const compatible = char.normalize('NFKC');
  if (compatible === char) return false;
  for (const part of compatible)
    if (isWordCodePoint(part.codePointAt(0)!) && !COMBINING_MARK.test(part)) return true;
  return false;
};
/** Whether a code point stands apart: APART or STAYS (BMP_APART, 0 while not yet known). */
const APART = 1;
const STAYS = 2;
const { kindOf: apartKind, bmp: BMP_APART } = codePointKinds((char) => (setsApart(char) ? APART : STAYS));
const standsApart = (code: number): boolean => apartKind(code) === APART;

/**
 * Text as containsAnyWord searches it (its values too): normalizeText, after a space is put on each side of
 * every character that stands apart (see SET_APART; none at the start or end of the text), so `Hunting
 * Knife™` holds the whole word `knife` (`hunting knife tm`). Only there: every other text operator, and
 * party keys, see text as normalizeText makes it. ASCII, common ideographs and characters already known
 * to stay are passed over by their code unit alone; text without one is normalized as it came.
 */
export const normalizeWords = (text: string): string => {
  let apart = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80 || (unit >= 0x4e00 && unit <= 0x9fff) || BMP_APART[unit] === STAYS) continue;
    const code = text.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    if (standsApart(code)) {
      apart += text.slice(from, i);
      if (i > 0) apart += ' ';
      apart += text.slice(i, i + width);
      if (i + width < text.length) apart += ' ';
      from = i + width;
    }
    i += width - 1;
  }
  return normalizeText(from === 0 ? text : apart + text.slice(from));
};

/** Text of ASCII only, which no step but lower case changes: the fast path, a char-code loop as above. */
const isAscii = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
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
