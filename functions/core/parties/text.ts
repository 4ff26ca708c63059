/**
 * Text folding shared by every party normalizer: Unicode NFKC (full-width letters, digits, spaces and
 * punctuation become their ASCII forms), lower case, and runs of white space collapsed to one space.
 */
export const foldText = (raw: string): string =>
  raw.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();

/** Han ideographs (CJK unified ideographs and extension A). */
export const HAN = /\p{Script=Han}/u;

export const hasHan = (text: string): boolean => HAN.test(text);

/** Punctuation and symbols, in every script (ASCII, CJK 、。，·《》 and the like). */
export const PUNCTUATION = /[\p{P}\p{S}]/gu;
