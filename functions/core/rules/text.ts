/**
 * Text normalization used by every text comparison: Unicode NFKC (full-width Latin and digits become
 * half-width, compatibility ideographs fold) then lower case. ASCII text skips NFKC, which is the identity on it.
 */

/** ASCII and CJK unified ideographs are NFKC-stable: text made only of them skips the (slower) NFKC step. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at U+0000 on purpose
const NFKC_STABLE = /^[\u0000-\u007f\u4e00-\u9fff]*$/u;

export const normalizeText = (text: string): string =>
  (NFKC_STABLE.test(text) ? text : text.normalize('NFKC')).toLowerCase();

const MEMO_LIMIT = 8192;

/**
 * Memoizes a pure predicate on text (a list membership, a substring search) by the raw text, so repeated
 * cities and descriptions are normalized and searched once. Bounded: the memo is emptied when full.
 */
export const memoizeText = (predicate: (text: string) => boolean): ((text: string) => boolean) => {
  const memo = new Map<string, boolean>();
  return (text) => {
    const known = memo.get(text);
    if (known !== undefined) return known;
    const result = predicate(text);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, result);
    return result;
  };
};
