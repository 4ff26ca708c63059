import { COMBINING_MARK, codePointKinds } from './code-point-kinds.js';
import { LATIN_LOOKALIKES } from './latin-lookalikes.js';
import { SIMPLIFIED_HAN_PAIRS } from './simplified-han.js';

/**
 * The last step of text matching's normalization (normalizeText in text.ts): look-alikes folded, on
 * normalized, lower-cased text. Its tables are built once, when the first text that is not ASCII is
 * folded (about 10 ms; a process that folds none, as ASCII text never is, never builds them).
 */

/**
 * Whether a character is a Latin, Greek or Cyrillic one, whose accents text matching drops; so are the
 * accents of a letter folded to Latin (the Armenian look-alikes, see TAKES_ACCENTS_FOLDED), which would
 * otherwise sit on a Latin letter once folded, and be dropped only when normalized again.
 */
const TAKES_ACCENTS = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]$/u;
/**
 * The accents dropped: every nonspacing mark (General_Category Mn), of any block (Combining Diacritical
 * Marks and its Supplement and Extended, half marks, marks for symbols, and other scripts' marks such as
 * the Cyrillic titlo or the Devanagari nukta), where it sits on a letter that takes accents.
 */
const ACCENT = /^\p{Mn}$/u;
const isAccent = (char: string): boolean => ACCENT.test(char);

/**
 * Each character text matching folds, by code point, with what it becomes:
 * - a Latin, Greek or Cyrillic letter with accents (nonspacing marks, see ACCENT) in its canonical
 *   decomposition, without them: `é`, `ü`, `ǖ`, `ά`, `ё`, `й` become `e`, `u`, `u`, `α`, `е`, `и` (then
 *   folded further, as below: `ё` is `e`). Marks on other scripts' letters (the kana voicing marks
 *   U+3099–U+309A on kana, Indic vowel signs on their letters) stay, and so does every character of
 *   other scripts. Text is in NFKC, so an accent stands alone only where no precomposed letter exists
 *   (`q\u0301`, `k\u1dc4`): see foldLookalikes. The precomposed letters all lie in the blocks scanned
 *   below (Latin-1 Supplement to Cyrillic, Latin Extended Additional, Greek Extended):
 *   lookalike-folding.test.ts checks every code point against the decomposition itself.
 * - a Cyrillic, Greek or Armenian letter that looks Latin, the Latin letter (latin-lookalikes.ts, from
 *   Unicode's confusables), and so the Latin dotless `ı` and small capitals (`ᴋ` as `k`);
 * - a traditional Chinese character, its simplified form (simplified-han.ts, from OpenCC).
 * Every value is left alone by every step of normalizeText, so normalizing twice changes nothing more.
 */
const buildFolded = (): Map<number, string> => {
  const folded = new Map<number, string>();
  for (const [letter, latin] of Object.entries(LATIN_LOOKALIKES)) folded.set(letter.codePointAt(0)!, latin);
  for (const pair of SIMPLIFIED_HAN_PAIRS.split(/\s+/)) {
    const [traditional, simplified] = [...pair];
    if (traditional !== undefined && simplified !== undefined)
      folded.set(traditional.codePointAt(0)!, simplified);
  }
  const foldLetters = (text: string): string =>
    Array.from(text, (char) => folded.get(char.codePointAt(0)!) ?? char).join('');
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
        .filter((part) => !isAccent(part))
        .join('');
      if (bare.length < decomposed.length) folded.set(code, foldLetters(bare.normalize('NFC')));
    }
  }
  return folded;
};

/**
 * What each BMP code unit needs: 0 nothing, FOLD a look-up in FOLDED (for a high surrogate, of the astral
 * character it starts, which may also be an astral accent), LOOK_AT_BASE (an accent) a look at its base.
 * BMP_UNIT holds the one code unit a BMP character folds to, where it folds to one (0 where it folds to
 * more, or not at all): most look-ups need no Map.
 */
const FOLD = 1;
const LOOK_AT_BASE = 2;

interface Tables {
  FOLDED: Map<number, string>;
  BMP_FOLDING: Uint8Array;
  BMP_UNIT: Uint16Array;
  TAKES_ACCENTS_FOLDED: ReadonlySet<string>;
}

const buildTables = (): Tables => {
  const FOLDED = buildFolded();
  const BMP_FOLDING = new Uint8Array(0x10000);
  const BMP_UNIT = new Uint16Array(0x10000);
  for (const [code, folded] of FOLDED) {
    BMP_FOLDING[code < 0x10000 ? code : 0xd800 + ((code - 0x10000) >> 10)] = FOLD;
    if (code < 0x10000 && folded.length === 1) BMP_UNIT[code] = folded.charCodeAt(0);
  }
  // Nonspacing marks lie in planes 0 and 1, and 14 (variation selectors, which normalizeText drops before).
  // About 10 ms.
  for (let code = 0x300; code <= 0x1ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    if (!isAccent(String.fromCodePoint(code))) continue;
    if (code < 0x10000) BMP_FOLDING[code] = LOOK_AT_BASE;
    else BMP_FOLDING[0xd800 + ((code - 0x10000) >> 10)] ||= FOLD;
  }
  const TAKES_ACCENTS_FOLDED = new Set(
    Object.keys(LATIN_LOOKALIKES).filter((letter) => !TAKES_ACCENTS.test(letter)),
  );
  return { FOLDED, BMP_FOLDING, BMP_UNIT, TAKES_ACCENTS_FOLDED };
};

let tables: Tables | undefined;
/** The tables above, built on first use. */
const foldingTables = (): Tables => (tables ??= buildTables());

/**
 * What a code point is to the accents after it: a MARK leaves their base as it was (they sit on the
 * character before it), a BASE_TAKING_ACCENTS (a Latin, Greek or Cyrillic one) has them dropped, any other
 * BASE keeps them. An ASTRAL_ACCENT is a MARK that is itself dropped on such a base (BMP accents are
 * found by BMP_FOLDING alone).
 */
const MARK = 1;
const BASE_TAKING_ACCENTS = 2;
const BASE = 3;
const ASTRAL_ACCENT = 4;
const { kindOf } = codePointKinds((char) =>
  COMBINING_MARK.test(char)
    ? char.length > 1 && isAccent(char)
      ? ASTRAL_ACCENT
      : MARK
    : TAKES_ACCENTS.test(char) || foldingTables().TAKES_ACCENTS_FOLDED.has(char)
      ? BASE_TAKING_ACCENTS
      : BASE,
);

/**
 * What text matching reads as the same text (normalized, lower-cased text in, see normalizeText): each
 * character in FOLDED replaced, and each accent (nonspacing mark) on a Latin, Greek or Cyrillic letter
 * dropped. A scan of char codes that allocates nothing when nothing folds. Only for matching: a Russian or
 * Greek word comes out as a mix of Latin and its own letters (`нож` as `hож`), which both sides of a
 * comparison share.
 */
export const foldLookalikes = (text: string): string => {
  const folding = foldingTables();
  const { BMP_FOLDING } = folding;
  for (let i = 0; i < text.length; i++)
    if (BMP_FOLDING[text.charCodeAt(i)] !== 0) return foldAll(text, folding);
  return text;
};

/**
 * Text folded, into char codes (cheaper than concatenation). One pass, remembering whether the base the
 * marks at `i` sit on (the last character that is not a combining mark, none at the start) takes accents
 * off: no accent is looked back from, so a letter under thousands of stacked accents costs no more than
 * as many letters.
 */
const foldAll = (text: string, folding: Tables): string => {
  const { FOLDED, BMP_FOLDING, BMP_UNIT } = folding;
  const codes: number[] = [];
  let takesAccents = false;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const need = BMP_FOLDING[unit]!;
    if (need === LOOK_AT_BASE) {
      if (!takesAccents) codes.push(unit);
      continue;
    }
    const code = text.codePointAt(i)!;
    const kind = kindOf(code);
    if (kind === ASTRAL_ACCENT) {
      if (!takesAccents) codes.push(unit, text.charCodeAt(i + 1));
      i++;
      continue;
    }
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
