/**
 * Text normalization used by every text comparison: Unicode NFKC (full-width Latin and digits become
 * half-width, compatibility ideographs fold) then lower case. Text that NFKC provably leaves unchanged
 * skips it (see isNfkcStable).
 */

/**
 * ASCII and CJK unified ideographs (U+4E00–U+9FFF) are NFKC-stable, alone and next to each other, so
 * text made only of them skips the (slower) NFKC step. A char-code loop rather than a regex: it is on the
 * hot path of every uncached text comparison. Surrogates (astral characters) fall outside both ranges.
 */
export const isNfkcStable = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80 && (code < 0x4e00 || code > 0x9fff)) return false;
  }
  return true;
};

export const normalizeText = (text: string): string =>
  (isNfkcStable(text) ? text : text.normalize('NFKC')).toLowerCase();

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
  return searched ? `${reason} (to find a whole word, use matches with \\b)` : reason;
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
