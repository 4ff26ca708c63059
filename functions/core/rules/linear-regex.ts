import { RE2JS } from 're2js';
import { dropInvisible, escapeInvisible, invisibleReason } from './text.js';

export type TextTest = (text: string) => boolean;

/**
 * `matches` patterns run on RE2 (re2js, pure JavaScript), whose matching time is linear in the text
 * whatever the pattern: no rule can backtrack catastrophically. JavaScript's RegExp backtracks, and
 * static checks for risky patterns miss some (`^(a|a)*$` passes a nested-repetition check and takes
 * seconds on 30 characters). RE2 syntax has no backreferences and no lookaround.
 *
 * Matching is case-insensitive, on text already normalized (invisible characters dropped, NFKC, lower
 * case), so a pattern with characters that NFKC changes (full-width letters, circled digits) or with
 * invisible characters could never match them: refused. Not dropped from the pattern: `a\u200b*b`
 * would silently become `a*b`.
 */
export const compileLinearRegex = (pattern: string): { test: TextTest } | { error: string } => {
  const invisible = invisibleReason(pattern);
  if (invisible !== undefined)
    return { error: `regular expression ${escapeInvisible(pattern)} ${invisible}` };
  const normalized = pattern.normalize('NFKC');
  if (normalized !== pattern) {
    return {
      error: `regular expression ${pattern} has full-width or compatibility characters, which never occur in the normalized text it is matched against; write ${normalized}`,
    };
  }
  const escaped = unmatchableEscape(pattern);
  if (escaped !== undefined) return { error: `regular expression ${pattern}: ${escaped}` };
  try {
    const compiled = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    return { test: (text) => compiled.test(text) };
  } catch (error) {
    return {
      error: `invalid regular expression ${pattern} (RE2 syntax: no backreferences, no lookaround): ${(error as Error).message}`,
    };
  }
};

/** RE2's escapes for one character by its code: `\x{FF32}`, `\xAA`, octal `\101`; `\Q…\E` quotes text. */
const CODE_ESCAPE = /\\(?:x\{([0-9a-fA-F]+)\}|x([0-9a-fA-F]{2})|([0-7]{1,3})|Q[\s\S]*?(?:\\E|$)|[\s\S])/gu;

/**
 * Why an escape in a pattern names a character the normalized text never holds (an invisible one, or one
 * NFKC changes: `\x{FF32}`, `\xAA`), as the same characters written out are refused. Not an escape beside
 * a `-`, which may be a range's end (`[\x{00}-\xAA]` is a range of ordinary characters too): only a
 * character matched on its own. A literal hyphen beside one lets it through as well.
 */
const unmatchableEscape = (pattern: string): string | undefined => {
  for (const match of pattern.matchAll(CODE_ESCAPE)) {
    const [written, braced, hex, octal] = match;
    const digits = braced ?? hex ?? octal;
    if (digits === undefined) continue;
    const code = Number.parseInt(digits, braced === undefined && hex === undefined ? 8 : 16);
    if (code > 0x10ffff) continue; // RE2 refuses it, with its own message
    const end = match.index + written.length;
    if (pattern[match.index - 1] === '-' || pattern[end] === '-') continue;
    const char = String.fromCodePoint(code);
    const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    if (dropInvisible(char) === '')
      return `${written} is ${name}, an invisible character, which text matching drops: remove it`;
    const normalized = char.normalize('NFKC');
    if (normalized !== char)
      return `${written} is ${name}, which never occurs in the normalized text it is matched against (NFKC makes it ${JSON.stringify(normalized)}): write ${normalized}`;
  }
  return undefined;
};
