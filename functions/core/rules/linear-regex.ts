import { RE2JS } from 're2js';
import { dropInvisible, escapeInvisible, invisibleReason, normalizeText } from '../text/text.js';

export type TextTest = (text: string) => boolean;

/**
 * `matches` patterns run on RE2 (re2js, pure JavaScript), whose matching time is linear in the text
 * whatever the pattern: no rule can backtrack catastrophically. JavaScript's RegExp backtracks, and
 * static checks for risky patterns miss some (`^(a|a)*$` passes a nested-repetition check and takes
 * seconds on 30 characters). RE2 syntax has no backreferences and no lookaround.
 *
 * Matching is case-insensitive, on text already normalized (invisible characters dropped, NFKC, lower
 * case, look-alikes folded), so a pattern with characters that NFKC changes (full-width letters, circled
 * digits), that folding changes or with invisible characters could never match them: refused. Not
 * dropped from the pattern: `a\u200b*b` would silently become `a*b`.
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
  const folded = foldedCharacter(pattern);
  if (folded !== undefined) return { error: `regular expression ${pattern}: ${folded}` };
  const escaped = unmatchableEscape(pattern) ?? droppedAccent(pattern);
  if (escaped !== undefined) return { error: `regular expression ${pattern}: ${escaped}` };
  const caseSensitive = caseSensitiveGroup(pattern);
  if (caseSensitive !== undefined) {
    return {
      error: `regular expression ${pattern}: ${caseSensitive} turns case-insensitive matching off, but text is lower-cased before it is matched, so a capital letter in the pattern could never match: remove the -i (matching is always case-insensitive)`,
    };
  }
  const boundary = asciiOnlyBoundary(pattern);
  if (boundary !== undefined) return { error: `regular expression ${pattern}: ${boundary}` };
  try {
    const compiled = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    return { test: (text) => compiled.test(text) };
  } catch (error) {
    return {
      error: `invalid regular expression ${pattern} (RE2 syntax: no backreferences, no lookaround): ${(error as Error).message}`,
    };
  }
};

/**
 * Why a character of the pattern never occurs in the text it is matched against: text matching folds
 * accented letters, Cyrillic and Greek look-alikes and traditional Chinese characters (normalizeText), so
 * `roséwood` or `紅木` in a pattern would silently never match. Capitals are fine: matching ignores case.
 * A character that ends a range of a character class gets no replacement: `[а-я]` written `[a-я]` would
 * run from U+0061 to U+044F, through most Latin letters (see foldedRange).
 */
const foldedCharacter = (pattern: string): string | undefined => {
  const ranges = classRanges(pattern);
  let at = 0;
  for (const char of pattern) {
    const index = at;
    at += char.length;
    if (char.charCodeAt(0) < 0x80) continue;
    const folded = normalizeText(char);
    if (folded === '' || folded === char.toLowerCase()) continue;
    const range = ranges.get(index);
    if (range !== undefined) return foldedRange(pattern, char, range);
    return `${JSON.stringify(char)} is folded to ${JSON.stringify(folded)} in the text it is matched against (accents, look-alike letters and traditional characters are): write ${folded}`;
  }
  return undefined;
};

/** A range of a character class: where its first and its last end start and end, and their code points. */
interface ClassRange {
  start: number;
  end: number;
  from: number | undefined;
  to: number | undefined;
}

/** The most characters a range may span for its folded letters to be listed in the issue. */
const LISTED_RANGE = 256;

/**
 * Why a range with an end that folds cannot match as written, and what to write: the range's letters as
 * text matching holds them, when it spans few enough characters that each fold to one letter or digit.
 */
const foldedRange = (pattern: string, char: string, range: ClassRange): string => {
  const written = pattern.slice(range.start, range.end);
  const reason = `${JSON.stringify(char)} ends the range ${written}, and the text it is matched against has letters such as it folded (accents, look-alike letters and traditional characters are), so a range through letters that fold cannot be matched as written: list the folded letters in place of the range`;
  const { from, to } = range;
  if (from === undefined || to === undefined || to < from || to - from >= LISTED_RANGE) return reason;
  const letters = new Set<string>();
  for (let code = from; code <= to; code++) {
    const folded = normalizeText(String.fromCodePoint(code));
    if ([...folded].length !== 1 || !/^[\p{L}\p{N}]$/u.test(folded)) return reason;
    letters.add(folded);
  }
  return `${reason}: ${[...letters].join('')}`;
};

/** A character class escape matched where it starts: `\x{…}`, `\xAA`, octal, or any other escaped character. */
const CLASS_CODE_ESCAPE = /\\(?:x\{([0-9a-fA-F]+)\}|x([0-9a-fA-F]{2})|([0-7]{1,3})|([\s\S]))/uy;

/** A part of a character class: a character written out or escaped, or a class such as `\d`, `\pL`, `[:alpha:]`. */
interface ClassItem {
  start: number;
  end: number;
  /** The one character it stands for: undefined for a class. */
  code: number | undefined;
  /** Whether it is a hyphen written out, which may make a range of the items beside it. */
  hyphen: boolean;
}

/** The items of the character class from `start` (its `[`) to `end` (past its `]`). */
const classItems = (pattern: string, start: number, end: number): ClassItem[] => {
  const items: ClassItem[] = [];
  let i = start + 1;
  if (pattern[i] === '^') i++;
  const last = pattern[end - 1] === ']' && end - 1 > i ? end - 1 : end;
  while (i < last) {
    let next: number;
    let code: number | undefined;
    if (pattern[i] === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      next = close < 0 ? i + 1 : close + 2;
    } else if (pattern[i] === '\\') {
      const unicodeClass = UNICODE_CLASS.exec(pattern.slice(i));
      CLASS_CODE_ESCAPE.lastIndex = i;
      const escaped = unicodeClass === null ? CLASS_CODE_ESCAPE.exec(pattern) : null;
      if (escaped === null) next = i + (unicodeClass?.[0].length ?? 1);
      else {
        const [written, , , , other] = escaped;
        next = i + written.length;
        if (other !== undefined) code = /^[a-zA-Z]$/.test(other) ? undefined : other.codePointAt(0);
        else {
          const parsed = escapedCode(escaped)!;
          code = parsed <= 0x10ffff ? parsed : undefined; // RE2 refuses it, with its own message
        }
      }
    } else {
      code = pattern.codePointAt(i)!;
      next = i + String.fromCodePoint(code).length;
    }
    items.push({ start: i, end: next, code, hyphen: pattern[i] === '-' });
    i = next;
  }
  return items;
};

/**
 * The ranges of the pattern's character classes (outside escapes and `\Q…\E`), by where each of their
 * ends starts: `a-z` in `[a-z0-9]`, not the hyphen first or last in `[-a]`, `[a-]`.
 */
const classRanges = (pattern: string): Map<number, ClassRange> => {
  const ranges = new Map<number, ClassRange>();
  let i = 0;
  while (i < pattern.length) {
    if (pattern[i] === '\\') {
      const end = pattern[i + 1] === 'Q' ? pattern.indexOf('\\E', i + 2) : i;
      i = end < 0 ? pattern.length : end + 2;
    } else if (pattern[i] === '[') {
      const end = classEnd(pattern, i);
      const items = classItems(pattern, i, end);
      for (let k = 0; k + 2 < items.length; k++) {
        const [first, hyphen, second] = [items[k]!, items[k + 1]!, items[k + 2]!];
        if (!hyphen.hyphen || first.hyphen) continue;
        const range = { start: first.start, end: second.end, from: first.code, to: second.code };
        ranges.set(first.start, range).set(second.start, range);
        k += 2;
      }
      i = end;
    } else i++;
  }
  return ranges;
};

/** RE2's escapes for one character by its code: `\x{FF32}`, `\xAA`, octal `\101`; `\Q…\E` quotes text. */
const CODE_ESCAPE = /\\(?:x\{([0-9a-fA-F]+)\}|x([0-9a-fA-F]{2})|([0-7]{1,3})|Q[\s\S]*?(?:\\E|$)|[\s\S])/gu;

/**
 * Why an escape in a pattern names a character the normalized text never holds (an invisible one, one
 * NFKC changes: `\x{FF32}`, `\xAA`, or one folding changes: `\x{043E}`, Cyrillic о), as the same
 * characters written out are refused. Not an escape beside a `-`, which may be a range's end
 * (`[\x{00}-\xAA]` is a range of ordinary characters too): only a character matched on its own. A
 * literal hyphen beside one lets it through as well.
 */
const unmatchableEscape = (pattern: string): string | undefined => {
  for (const match of pattern.matchAll(CODE_ESCAPE)) {
    const [written] = match;
    const code = escapedCode(match);
    if (code === undefined) continue;
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
    const folded = normalizeText(char);
    if (folded !== char.toLowerCase())
      return `${written} is ${name}, ${JSON.stringify(char)}, which is folded to ${JSON.stringify(folded)} in the text it is matched against (accents, look-alike letters and traditional characters are): write ${folded}`;
  }
  return undefined;
};

/**
 * The code an escape matched by CODE_ESCAPE, CLASS_CODE_ESCAPE or PATTERN_ITEM names (`\x{FF32}`, `\xAA`,
 * `\101`: their first three groups), else undefined.
 */
const escapedCode = ([, braced, hex, octal]: RegExpMatchArray): number | undefined => {
  const digits = braced ?? hex ?? octal;
  if (digits === undefined) return undefined;
  return Number.parseInt(digits, octal === undefined ? 16 : 8);
};

/**
 * A pattern's characters as written: a code escape (`\x{301}`, `\xE9`, `\101`, its groups as
 * CODE_ESCAPE's), another escape, or one character; quoted text (`\Q…\E`) character by character.
 */
const PATTERN_ITEM = /\\x\{([0-9a-fA-F]+)\}|\\x([0-9a-fA-F]{2})|\\([0-7]{1,3})|\\[\s\S]|[\s\S]/gu;
const ACCENT = /^\p{Mn}$/u;
const LETTER = /^\p{L}$/u;

/**
 * Why an accent (a nonspacing mark) written after a letter in the pattern, as itself or escaped, never
 * occurs in the text: text matching drops an accent on a Latin, Greek or Cyrillic letter, one NFKC could
 * not compose with it too (`q\u0301`, `kni\u1dc4fe`), so the pattern would never match, even text
 * written the same. An accent after anything but a letter (a group, a class) is not judged.
 */
const droppedAccent = (pattern: string): string | undefined => {
  let previous: string | undefined;
  for (const match of pattern.matchAll(PATTERN_ITEM)) {
    const [written] = match;
    const code = escapedCode(match);
    const char =
      code !== undefined
        ? code <= 0x10ffff
          ? String.fromCodePoint(code)
          : undefined
        : written.startsWith('\\')
          ? undefined
          : written;
    if (char !== undefined && ACCENT.test(char) && previous !== undefined && LETTER.test(previous)) {
      if (normalizeText(`${previous}${char}`) === normalizeText(previous)) {
        const name = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
        return `${written === char ? name : `${written} (${name})`}, an accent on ${JSON.stringify(previous)}, is dropped from the text it is matched against (accents on Latin, Greek and Cyrillic letters are): leave it out`;
      }
      continue; // the letter keeps its base for the next accent
    }
    previous = char;
  }
  return undefined;
};

/** An inline flag group, `(?flags)` or `(?flags:`, at the start of the text: RE2's flags are i, m, s, U. */
const FLAG_GROUP = /^\(\?([imsU]*-?[imsU]*)[:)]/;

/** Where the character class opening at `start` (`[`) ends: past its `]`, or at the end of an unclosed one. */
const classEnd = (pattern: string, start: number): number => {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++; // a `]` first is a literal
  while (i < pattern.length) {
    const char = pattern[i];
    if (char === '\\') i += 2;
    else if (char === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      i = close < 0 ? i + 1 : close + 2;
    } else if (char === ']') return i + 1;
    else i++;
  }
  return i;
};

const NON_ASCII_WORD_CHAR = /[\p{L}\p{N}](?<=[^\p{ASCII}])/u;
const UNICODE_CLASS = /^\\[pP](?:\{[^}]*\}|.)/u;

/**
 * Where each token of a pattern starts, outside character classes and `\Q…\E` (both are text): a
 * character, or an escape (`\b`, `\(`) as one token.
 */
function* tokenStarts(pattern: string): Generator<number> {
  let i = 0;
  while (i < pattern.length) {
    if (pattern[i] === '[') i = classEnd(pattern, i);
    else if (pattern[i] === '\\' && pattern[i + 1] === 'Q') {
      const end = pattern.indexOf('\\E', i + 2);
      i = end < 0 ? pattern.length : end + 2;
    } else {
      yield i;
      i += pattern[i] === '\\' ? 2 : 1;
    }
  }
}

/** The first word boundary `\b` or `\B` of a pattern, outside escapes, `\Q…\E` and character classes. */
const firstBoundary = (pattern: string): string | undefined => {
  for (const i of tokenStarts(pattern)) {
    if (pattern[i] === '\\' && (pattern[i + 1] === 'b' || pattern[i + 1] === 'B'))
      return pattern.slice(i, i + 2);
  }
  return undefined;
};

/**
 * The first part of a pattern that names a letter or digit outside ASCII: written out (also in a class
 * or `\Q…\E`), by an escape (`\x{51B0}`), or by a Unicode class (`\p{Han}`, `\pL`).
 */
const nonAsciiWordPart = (pattern: string): string | undefined => {
  const written = NON_ASCII_WORD_CHAR.exec(pattern)?.[0];
  if (written !== undefined) return written;
  for (const match of pattern.matchAll(CODE_ESCAPE)) {
    const [escaped] = match;
    if (/^\\[pP]/.test(escaped)) return UNICODE_CLASS.exec(pattern.slice(match.index))?.[0] ?? escaped;
    const code = escapedCode(match);
    if (code === undefined) continue;
    if (code <= 0x10ffff && NON_ASCII_WORD_CHAR.test(String.fromCodePoint(code))) return escaped;
  }
  return undefined;
};

/**
 * Why a `\b` or `\B` in a pattern that names letters or digits outside ASCII does not mean what it says:
 * RE2's word characters are ASCII letters, digits and `_` only, so `\b冰毒\b` (or `\b(?:冰毒|海洛因)\b`,
 * `\b\p{Han}+\b`) never matches `冰毒` alone and `\bcafé\b` misses `café table`. Where the boundary
 * stands does not matter (a group, a class or an alternation may come between): the whole pattern is
 * refused, and a boundary for ASCII words goes in a condition of its own.
 */
const asciiOnlyBoundary = (pattern: string): string | undefined => {
  const boundary = firstBoundary(pattern);
  const part = boundary === undefined ? undefined : nonAsciiWordPart(pattern);
  if (part === undefined) return undefined;
  return `${boundary} in a pattern with ${part}: RE2's word boundaries know only ASCII letters, digits and _ as word characters, so they do not mark where a word in other scripts begins or ends: write (?:^|[^\\pL\\pN]) before such a word and (?:$|[^\\pL\\pN]) after it, and match ASCII words with \\b in a condition of their own`;
};

/**
 * The first inline flag group that clears `i` (`(?-i)`, `(?s-i:…)`), outside escapes, `\Q…\E` and
 * character classes. Text is lower-cased before it is matched, so with `i` cleared a capital letter never
 * matches (`(?-i)^WANG` matches nothing): the group is refused rather than left to fail silently. The
 * other flags (`(?i)`, `(?s)`, `(?m)`, `(?U)`) change nothing about case and are taken.
 */
const caseSensitiveGroup = (pattern: string): string | undefined => {
  for (const i of tokenStarts(pattern)) {
    if (pattern[i] !== '(' || pattern[i + 1] !== '?') continue;
    const flags = FLAG_GROUP.exec(pattern.slice(i));
    if (flags !== null && flags[1]!.split('-')[1]?.includes('i')) return flags[0]!.replace(/:$/, ':…)');
  }
  return undefined;
};
