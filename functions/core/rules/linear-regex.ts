import { RE2JS } from 're2js';
import { escapeInvisible, invisibleReason } from './text.js';

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
  try {
    const compiled = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    return { test: (text) => compiled.test(text) };
  } catch (error) {
    return {
      error: `invalid regular expression ${pattern} (RE2 syntax: no backreferences, no lookaround): ${(error as Error).message}`,
    };
  }
};
