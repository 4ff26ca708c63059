import { kindOfKey, type PartyKeyKind } from '../parties/party-keys.js';
import { normalizeText, quoteWritten, writtenTextReason } from '../text/text.js';
import type { CompiledList } from './compile-env.js';
import type { IssueCollector } from './errors.js';
import type { ListDocument, WatchlistKind } from './rule-set-schema.js';

/** The party-key kind each watchlist's hashed values carry (`consigneeName` keys are `name` keys). */
export const KEY_KIND_OF_WATCHLIST: Readonly<Record<WatchlistKind, PartyKeyKind>> = {
  phone: 'phone',
  consignee: 'consignee',
  shipper: 'shipper',
  address: 'address',
  idDocument: 'idDocument',
  consigneeName: 'name',
};

/**
 * A watchlist reaches the compiler hashed (the loader hashes it with the deployment's salt), so no
 * clear personal value is ever compiled: a clear one is refused, by position only, never echoed.
 */
const checkWatchlist = (list: ListDocument, file: string, issues: IssueCollector): void => {
  if (list.holds === undefined) {
    if (list.hashed)
      issues.add({ file, path: 'hashed', reason: `list ${list.name} is hashed but holds nothing` });
    return;
  }
  if (!list.hashed) {
    issues.add({
      file,
      path: 'values',
      reason: `list ${list.name} holds ${list.holds} values: load it with the deployment's party-key salt, which hashes them`,
    });
    return;
  }
  const kind = KEY_KIND_OF_WATCHLIST[list.holds];
  list.values.forEach((value, index) => {
    if (typeof value !== 'string' || kindOfKey(value) !== kind)
      issues.add({
        file,
        path: `values[${index}]`,
        reason: `list ${list.name}: not a hashed ${list.holds} key`,
      });
  });
};

/** A text or number value as rules match it: text normalized as every text comparison does, keys exactly. */
const matchedAsOf = (value: string | number, hashedKeys: boolean): string | number =>
  typeof value === 'string' && !hashedKeys ? normalizeText(value) : value;

/**
 * A list with its repeated values (as rules match them) dropped, the first of each kept. For lists
 * read from the lists table: published before repeats were refused at load, they are read as they
 * always were, where a new list with a repeat is refused.
 */
export const withoutRepeatedValues = (list: ListDocument): ListDocument => {
  const hashedKeys = list.hashed === true && list.holds !== undefined;
  const seen = new Set<string | number>();
  const values = list.values.filter((value) => {
    if (typeof value === 'object') return true;
    const matchedAs = matchedAsOf(value, hashedKeys);
    if (seen.has(matchedAs)) return false;
    seen.add(matchedAs);
    return true;
  });
  return values.length === list.values.length ? list : { ...list, values };
};

/**
 * The values of a literal set in a rule (`in: [Ruili, RUILI]`, `containsAny: [茶叶, 茶葉]`) that repeat
 * one before them as rules match them (text normalized, `exact` text as written, numbers as numbers): a
 * repeat matches nothing more but changes the version, so it is refused as in a list file, at its index,
 * naming the first (`name[0]`, the operator's).
 */
export const literalRepeats = (
  values: readonly unknown[],
  exact: boolean,
  name: string,
): { index: number; reason: string }[] => {
  const firstAt = new Map<string | number, number>();
  return values.flatMap((value, index) => {
    if (typeof value !== 'string' && typeof value !== 'number') return [];
    const matchedAs = matchedAsOf(value, exact);
    const first = firstAt.get(matchedAs);
    if (first === undefined) {
      firstAt.set(matchedAs, index);
      return [];
    }
    const written = values[first];
    const after = written === value ? '' : ` (${quoteWritten(written)}) after normalization`;
    return [{ index, reason: `${quoteWritten(value)} repeats ${name}[${first}]${after}` }];
  });
};

/**
 * A value written twice, as rules match it (text normalized as every text comparison does, numbers as
 * numbers, hashed keys exactly), matches nothing more but changes the version: refused at its second
 * position, naming the first. A hashed key is named by position only.
 */
const checkDuplicates = (
  list: ListDocument,
  hashedKeys: boolean,
  file: string,
  issues: IssueCollector,
): void => {
  const firstAt = new Map<string | number, number>();
  list.values.forEach((value, index) => {
    if (typeof value === 'object') return;
    const matchedAs = matchedAsOf(value, hashedKeys);
    const first = firstAt.get(matchedAs);
    if (first === undefined) {
      firstAt.set(matchedAs, index);
      return;
    }
    const written = list.values[first];
    // A watchlist's values are personal indicators: named by position only, hashed or not.
    const reason =
      list.holds !== undefined
        ? `repeats values[${first}]`
        : written === value
          ? `${quoteWritten(value)} repeats values[${first}]`
          : `${quoteWritten(value)} repeats values[${first}] (${quoteWritten(written)}) after normalization`;
    issues.add({ file, path: `values[${index}]`, reason: `list ${list.name}: ${reason}` });
  });
};

/** What YAML does to text written as a plain number, and how to keep it text: said wherever a number is where text is needed. */
const YAML_READS_NUMBERS = 'YAML reads a plain 0813 as the number 813';

/** How to write as text a number YAML read where text is needed (an HS code written `- 940370`). */
export const quoteNumber = (value: number): string =>
  `quote it, "${value}" (${YAML_READS_NUMBERS}: keep its leading zeros inside the quotes)`;

/** The same for a list of numbers where text is needed (`values: [06, 07]`, read as 6 and 7). */
export const QUOTE_LIST_NUMBERS = `quote its values (${YAML_READS_NUMBERS}: keep their leading zeros inside the quotes)`;

/**
 * A list holds text or numbers: each value of the fewer kind (numbers, on a tie) is refused at its position.
 * A number among text is mostly text YAML read as a number (an HS code written `- 940370`, or `- 0813`,
 * read as 813): quote it, as table keys are. A watchlist's values are named by position only.
 */
const checkMixed = (list: ListDocument, numbersOdd: boolean, file: string, issues: IssueCollector): void => {
  const odd = numbersOdd ? 'number' : 'string';
  const watchlist = list.holds !== undefined;
  list.values.forEach((value, index) => {
    if (typeof value !== odd) return;
    const what = numbersOdd
      ? watchlist
        ? 'a number, the other values text; quote it as written'
        : `${value} is a number, the other values text; ${quoteNumber(value as number)}`
      : watchlist
        ? 'text, the other values numbers; write it as a number, unquoted'
        : `${quoteWritten(value)} is text, the other values numbers; write it as a number, unquoted`;
    issues.add({
      file,
      path: `values[${index}]`,
      reason: `list ${list.name} mixes text and numbers: ${what}`,
    });
  });
};

export const compileList = (list: ListDocument, file: string, issues: IssueCollector): CompiledList => {
  checkWatchlist(list, file, issues);
  const texts = list.values.filter((value): value is string => typeof value === 'string');
  const numbers = list.values.filter((value): value is number => typeof value === 'number');
  if (texts.length > 0 && numbers.length > 0) checkMixed(list, numbers.length <= texts.length, file, issues);
  if (list.holds === undefined && texts.length + numbers.length < list.values.length) {
    issues.add({
      file,
      path: 'values',
      reason: `list ${list.name}: only a watchlist of addresses or ID documents holds objects`,
    });
  }
  // Hashed keys are identifiers (case-sensitive base64url): folding their case would merge distinct keys.
  const keys = list.hashed && list.holds !== undefined ? KEY_KIND_OF_WATCHLIST[list.holds] : undefined;
  if (list.holds === undefined) {
    list.values.forEach((value, index) => {
      const refused = typeof value === 'string' ? writtenTextReason(value, true) : undefined;
      if (refused !== undefined)
        issues.add({
          file,
          path: `values[${index}]`,
          reason: `list ${list.name}: ${quoteWritten(value)} ${refused}`,
        });
    });
  }
  checkDuplicates(list, keys !== undefined, file, issues);
  const ordered = [...new Set(keys === undefined ? texts.map(normalizeText) : texts)];
  const compiled: CompiledList = {
    name: list.name,
    version: list.version,
    kind: numbers.length > 0 && texts.length === 0 ? 'number' : 'text',
    written: [...new Set(texts)],
    values: list.values,
    numbers: new Set(numbers),
    ordered,
    expiresMs: list.expires === undefined ? Number.POSITIVE_INFINITY : Date.parse(list.expires),
  };
  if (keys !== undefined) compiled.keys = keys;
  return compiled;
};

/**
 * Whether a list with this expiry is out of force at `nowMs`. A list without expiry never is; one with
 * an expiry is when `now` is not a time (NaN), since nothing then shows it is still in force.
 */
export const isExpired = (expiresMs: number, nowMs: number): boolean =>
  expiresMs !== Number.POSITIVE_INFINITY && !(nowMs < expiresMs);
