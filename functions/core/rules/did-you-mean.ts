import { RENAMED_HISTORY_FACTS } from '../screening/recorded-facts.js';

/**
 * "Did you mean" for an unknown name in a rule set (a list, a fact's field, a derived fact, a table): the
 * one known name close to it, appended to the load error's reason. Pure: no I/O, no state.
 */

/** A name with case, `-` and `_` dropped: `valuePerKg`, `value-per-kg` and `VALUE_PER_KG` are one. */
const folded = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');

/**
 * The Damerau–Levenshtein distance (optimal string alignment: an insertion, a deletion, a substitution
 * or a swap of two neighbours each count 1), by code point.
 */
export const editDistance = (a: string, b: string): number => {
  const x = [...a];
  const y = [...b];
  // Three rows: the one before the previous (for swaps), the previous, the current.
  let before: number[] = [];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= y.length; j += 1) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        best = Math.min(best, before[j - 2]! + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[y.length]!;
};

/**
 * The most edits a name of this many characters may be from a known one: 1 up to 4 characters, else 2;
 * and fewer than the name has, so `x` suggests no other one-letter name (every one is an edit away).
 */
const maxEditsFor = (name: string): number => {
  const length = [...name].length;
  return Math.min(length <= 4 ? 1 : 2, length - 1);
};

/**
 * The one known name `name` is close to, or undefined: one that differs only in case or in writing
 * (kebab-case, camelCase, snake_case), else the nearest within a couple of edits (maxEditsFor). Two
 * names as close leave the choice open: none is suggested.
 */
export const closestName = (name: string, known: Iterable<string>): string | undefined => {
  const candidates = [...new Set(known)].filter((candidate) => candidate !== name);
  const sameFolded = candidates.filter((candidate) => folded(candidate) === folded(name));
  if (sameFolded.length > 0) return sameFolded.length === 1 ? sameFolded[0] : undefined;
  const maxEdits = maxEditsFor(name);
  let best: string[] = [];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(folded(name), folded(candidate));
    if (distance > maxEdits) continue;
    if (distance < bestDistance) {
      best = [candidate];
      bestDistance = distance;
    } else if (distance === bestDistance) best.push(candidate);
  }
  return best.length === 1 ? best[0] : undefined;
};

/**
 * `; did you mean <name>?` for the one known name close to `name` (see closestName), else nothing; for a
 * fact renamed since (RENAMED_HISTORY_FACTS: `shipments30d`), the name it has now, saying so.
 */
export const didYouMean = (
  name: string,
  known: Iterable<string>,
  shownAs = (found: string) => found,
): string => {
  const names = [...known];
  const renamed = Object.hasOwn(RENAMED_HISTORY_FACTS, name) ? RENAMED_HISTORY_FACTS[name] : undefined;
  if (renamed !== undefined && names.includes(renamed))
    return `; ${name} was renamed ${renamed}: did you mean ${shownAs(renamed)}?`;
  const found = closestName(name, names);
  return found === undefined ? '' : `; did you mean ${shownAs(found)}?`;
};
