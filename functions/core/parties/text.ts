import { dropInvisible } from '../text/text.js';

const WHITE_SPACE = /\s+/gu;

/**
 * Text folding shared by every party normalizer: invisible characters dropped (Unicode's
 * default-ignorable ones, which fonts do not draw: `张\u200b伟` reads as `张伟` and is folded to it), before
 * NFKC as rule text matching drops them; Unicode NFKC (full-width letters, digits, spaces and punctuation
 * become their ASCII forms), lower case, and runs of white space collapsed to one space.
 */
export const foldText = (raw: string): string =>
  dropInvisible(raw).normalize('NFKC').toLowerCase().replace(WHITE_SPACE, ' ').trim();

/** Han ideographs (CJK unified ideographs and extension A). */
export const HAN = /\p{Script=Han}/u;

export const hasHan = (text: string): boolean => HAN.test(text);

/** Punctuation and symbols, in every script (ASCII, CJK 、。，·《》 and the like). */
export const PUNCTUATION = /[\p{P}\p{S}]/gu;
