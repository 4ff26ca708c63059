import { kindOfKey } from '../parties/party-keys.js';
import { provinceOfRegion } from '../places/resolve-province.js';
import { normalizeText, normalizeWords, quoteWritten, TextMemo, writtenTextReason } from '../text/text.js';
import { containsWholeWord, wholeWord } from '../text/whole-words.js';
import { type CompiledList, type CompileEnv, report, type Scope } from './compile-env.js';
import { isExpired, literalRepeats, QUOTE_LIST_NUMBERS, quoteNumber } from './compile-list.js';
import { closestName, didYouMean } from './did-you-mean.js';
import { IssueCollector } from './errors.js';
import { type EvaluationContext, FALSE, MISSING, TRUE, type Tri } from './evaluation-context.js';
import {
  type Accessor,
  dottedFactPaths,
  PATH_ROOTS,
  type ResolvedFact,
  resolveFact,
  startsAsFactPath,
} from './fact-access.js';
import { describeType, type FactType, isInstant, neverMatchReason, PARTY_KEY_FACTS } from './fact-types.js';
import { compileLinearRegex } from './linear-regex.js';
import type { Condition } from './rule-set-schema.js';
import { listShown } from './trace.js';

export const OPERATORS = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'in',
  'notIn',
  'startsWith',
  'contains',
  'containsAny',
  'containsAnyWord',
  'matches',
  'exists',
  'missing',
] as const;
export type Operator = (typeof OPERATORS)[number];

/**
 * A compiled operator: `fuse` builds the condition's test with the fact read fused in (one closure per
 * leaf). A read of `undefined` is MISSING for every operator but exists/missing, which decide on it.
 */
export interface CompiledOperator {
  fuse: (read: Accessor) => (ctx: EvaluationContext) => Tri;
  /** What the value was compared with, for traces. */
  expected: (ctx: EvaluationContext) => unknown;
  list?: CompiledList;
  /** The right-hand `{ fact }`, when the value is compared with one. */
  other?: ResolvedFact;
  /**
   * An operator testing a value against a set of values (`in`, `startsWith`, `containsAny`,
   * `containsAnyWord`, given an array or a list; not on party keys): the value of the set, as written,
   * that the fact's value matched, or undefined when none did. Run only when a fired rule is recorded,
   * never by the test.
   */
  matched?: (value: unknown) => string | number | undefined;
}

type Compare = (a: number, b: number) => boolean;
const COMPARISONS: Record<'lt' | 'lte' | 'gt' | 'gte', Compare> = {
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
};

/** Comparisons with a literal number, one closure per operator so the comparison is inlined. */
const FUSED_COMPARISONS: Record<
  'lt' | 'lte' | 'gt' | 'gte',
  (read: Accessor, right: number) => (ctx: EvaluationContext) => Tri
> = {
  lt: (read, right) => (ctx) => {
    const v = read(ctx);
    return typeof v === 'number' ? (v < right ? TRUE : FALSE) : MISSING;
  },
  lte: (read, right) => (ctx) => {
    const v = read(ctx);
    return typeof v === 'number' ? (v <= right ? TRUE : FALSE) : MISSING;
  },
  gt: (read, right) => (ctx) => {
    const v = read(ctx);
    return typeof v === 'number' ? (v > right ? TRUE : FALSE) : MISSING;
  },
  gte: (read, right) => (ctx) => {
    const v = read(ctx);
    return typeof v === 'number' ? (v >= right ? TRUE : FALSE) : MISSING;
  },
};

const fusedEquality =
  (literal: unknown, negate: boolean) =>
  (read: Accessor) =>
  (ctx: EvaluationContext): Tri => {
    const v = read(ctx);
    if (v === undefined) return MISSING;
    return (v === literal) !== negate ? TRUE : FALSE;
  };

const tri = (condition: boolean): Tri => (condition ? TRUE : FALSE);
const constant = (value: unknown) => () => value;

/** Text that can be searched and case-folded: not a hashed party key, which is compared exactly. */
const isText = (type: FactType): type is { kind: 'text'; values?: readonly string[] } =>
  type.kind === 'text' && type.key === undefined;

/** An enum fact (payment method, content category, …): its values are compared exactly, as written. */
const isEnum = (type: FactType): boolean => type.kind === 'text' && type.values !== undefined;

const keyKind = (type: FactType) => (type.kind === 'text' ? type.key : undefined);

/**
 * Party keys meet only keys of their kind: a `parties.*` fact a watchlist of its kind (or literal keys),
 * a watchlist its `parties.*` fact. Anything else could never match, so it fails at load time rather than
 * making a rule that silently never fires.
 */
const checkKeyList = (
  type: FactType,
  label: string,
  list: CompiledList,
  env: CompileEnv,
  at: string,
): boolean => {
  const key = keyKind(type);
  if (key === list.keys) return true;
  if (key === undefined) report(env, at, onlyWithItsKeys(list));
  else {
    const holds = list.keys === undefined ? 'is not a watchlist' : `holds ${list.keys} keys`;
    report(env, at, `${label} is a hashed ${key} key, but list ${list.name} ${holds}`);
  }
  return false;
};

const onlyWithItsKeys = (list: CompiledList) =>
  `list ${list.name} holds hashed ${list.keys} keys: compare it with ${PARTY_KEY_FACTS[list.keys!]}`;

/** A literal compared with a party key must be a key of its kind. The error never echoes the literal. */
const checkKeyLiteral = (type: FactType, label: string, value: unknown, env: CompileEnv, at: string) => {
  const key = keyKind(type);
  if (key === undefined || (typeof value === 'string' && kindOfKey(value) === key)) return true;
  report(
    env,
    at,
    `${label} is a hashed ${key} key and this value is not one: write clear values in a watchlist, which hashes them`,
  );
  return false;
};

/** What spaces around a containsAnyWord value were likely for, and why they are not needed. */
const WORDS_NEED_NO_SPACES = ' (containsAnyWord finds each value only as a whole word already)';

/**
 * Literal text compared with parcel text must be written trimmed, as the contract trims the parcel's, and
 * without invisible characters, which matching drops: reports each literal that is not, at its position;
 * false when any is not. `searched` text (contains, containsAny) is pointed to containsAnyWord for a whole
 * word; containsAnyWord's (`'word'`) is told it needs no spaces.
 */
const checkWritten = (
  values: string | readonly unknown[],
  searched: boolean | 'word',
  env: CompileEnv,
  at: string,
): boolean => {
  const items = typeof values === 'string' ? [values] : values;
  let ok = true;
  items.forEach((item, i) => {
    if (typeof item !== 'string') return;
    let refused = writtenTextReason(item, searched === true);
    if (refused === undefined) return;
    if (searched === 'word' && item !== item.trim()) refused += WORDS_NEED_NO_SPACES;
    ok = false;
    report(env, typeof values === 'string' ? at : `${at}[${i}]`, `${quoteWritten(item)} ${refused}`);
  });
  return ok;
};

/** Refuses each value of a literal set that repeats one before it (see literalRepeats); false when any does. */
const checkRepeats = (values: readonly unknown[], exact: boolean, env: CompileEnv, at: string): boolean => {
  const repeats = literalRepeats(values, exact, at.slice(at.lastIndexOf('.') + 1));
  for (const { index, reason } of repeats) report(env, `${at}[${index}]`, reason);
  return repeats.length === 0;
};

/**
 * Values that can never match a text fact whose format the contract knows (an HS code: digits only; see
 * neverMatchReason), refused: each literal at its position; a list's first such value by its index in
 * the list file, with how many more there are. False when any is.
 */
const checkFormat = (
  written: string | readonly unknown[],
  list: CompiledList | undefined,
  type: FactType,
  label: string,
  prefix: boolean,
  env: CompileEnv,
  at: string,
): boolean => {
  if (type.kind !== 'text' || type.format === undefined || list?.keys !== undefined) return true;
  const items = typeof written === 'string' ? [written] : written;
  const refused = items.flatMap((item, i) => {
    const reason = typeof item === 'string' ? neverMatchReason(item, type, label, prefix) : undefined;
    return reason === undefined ? [] : [{ i, reason }];
  });
  const [first] = refused;
  if (first === undefined) return true;
  if (list !== undefined) {
    const more = refused.length > 1 ? ` (and ${refused.length - 1} more of its values)` : '';
    report(env, `${at}.list`, `list ${list.name} values[${first.i}]: ${first.reason}${more}`);
  } else
    for (const { i, reason } of refused)
      report(env, typeof written === 'string' ? at : `${at}[${i}]`, reason);
  return false;
};

/** A number written where text is needed: how to write it as text, as YAML would read it otherwise. */
const quoteHint = (value: unknown, type: FactType): string =>
  typeof value === 'number' && type.kind === 'text' && type.key === undefined
    ? `: ${quoteNumber(value)}`
    : '';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** What a weekday's name compared with a number adds to the type error: the number of that weekday. */
const weekdayHint = (value: unknown, type: FactType): string => {
  if (typeof value !== 'string' || type.kind !== 'number') return '';
  const name = value.trim().toLowerCase();
  const day = WEEKDAYS.findIndex((weekday) => name.length >= 3 && weekday.startsWith(name));
  return day === -1 ? '' : `: weekdays are numbers, 1 (Monday) to 7 (Sunday), so write ${day + 1}`;
};

/** What a number comparison on an instant adds to its type error: how to compare days instead. */
const instantHint = (type: FactType, label: string, operator: Operator): string => {
  if (!isInstant(type)) return '';
  const days = label === 'now' ? 'daysBetween: [<instant>, now]' : `daysSince: ${label}`;
  return `: compare days instead, { value: { ${days} }, ${operator}: … } (daysSince, daysBetween), or its local hour or weekday (localHour, weekday)`;
};

export const compileOperator = (
  operator: Operator,
  operand: Condition[Operator],
  type: FactType,
  label: string,
  scope: Scope,
  env: CompileEnv,
  at: string,
): CompiledOperator | undefined => {
  const mismatch = (needs: string) =>
    report(
      env,
      at,
      `${operator} needs ${needs}, but ${label} is ${describeType(type)}${instantHint(type, label, operator)}`,
    );
  /** The text operators search and fold text; an enum's values (`cash`, `CN-YN`) are compared exactly. */
  const searchable = (): boolean => {
    if (!isText(type)) mismatch('text');
    else if (isEnum(type))
      report(
        env,
        at,
        `${operator} searches text, but ${label} is ${describeType(type)}, compared exactly as written: use eq or in`,
      );
    else return true;
    return false;
  };
  switch (operator) {
    case 'exists':
      return { fuse: (read) => (ctx) => (read(ctx) !== undefined ? TRUE : FALSE), expected: constant(true) };
    case 'missing':
      return { fuse: (read) => (ctx) => (read(ctx) === undefined ? TRUE : FALSE), expected: constant(true) };
    case 'eq':
    case 'ne':
      return compileEquality(operator, operand as Condition['eq'], type, label, scope, env, at);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (type.kind !== 'number') return mismatch('a number');
      const compare = COMPARISONS[operator];
      const right = operand as number | { fact: string };
      if (typeof right === 'number') {
        const fused = FUSED_COMPARISONS[operator];
        return { fuse: (read) => fused(read, right), expected: constant(right) };
      }
      const other = resolveFact(right.fact, scope, env, `${at}.fact`);
      if (other === undefined) return undefined;
      if (other.type.kind !== 'number')
        return report(
          env,
          `${at}.fact`,
          `${right.fact} is not a number${instantHint(other.type, right.fact, operator)}`,
        );
      const readOther = other.read;
      return {
        fuse: (read) => (ctx) => {
          const a = read(ctx);
          if (a === undefined) return MISSING;
          const b = readOther(ctx);
          return typeof b === 'number' ? tri(compare(a as number, b)) : MISSING;
        },
        // By its concrete path, as the trace names the fact compared (`parcel.route.via[1].region`).
        expected: (ctx) => ({ fact: other.concrete(ctx), value: readOther(ctx) ?? null }),
        other,
      };
    }
    case 'between': {
      if (type.kind !== 'number') return mismatch('a number');
      const [low, high] = operand as [number, number];
      if (low > high)
        return report(env, at, `between needs [low, high] with low <= high, got [${low}, ${high}]`);
      return {
        fuse: (read) => (ctx) => {
          const v = read(ctx);
          if (typeof v !== 'number') return MISSING;
          return v >= low && v <= high ? TRUE : FALSE;
        },
        expected: constant([low, high]),
      };
    }
    case 'in':
    case 'notIn':
      return compileMembership(operator, operand as Condition['in'], type, label, scope, env, at);
    case 'startsWith': {
      if (!searchable()) return undefined;
      const spec = operand as NonNullable<Condition['startsWith']>;
      const source = textValues(spec, env, at);
      if (source === undefined) return undefined;
      const prefixes = source.list === undefined ? (spec as string | string[]) : source.list.values;
      if (!checkFormat(prefixes, source.list, type, label, true, env, at)) return undefined;
      const byLength = new Map<number, Set<string>>();
      for (const prefix of source.values) {
        const set = byLength.get(prefix.length) ?? new Set<string>();
        set.add(prefix);
        byLength.set(prefix.length, set);
      }
      const groups = [...byLength.entries()];
      const matches = (text: string): boolean => {
        for (const [length, set] of groups) {
          if (text.length >= length && set.has(text.slice(0, length))) return true;
        }
        return false;
      };
      // The longest prefix the text starts with, as the longest prefix of a table wins; a single prefix
      // written in the rule says itself.
      const matched = (text: string): number | undefined => {
        let found: number | undefined;
        source.values.forEach((prefix, i) => {
          if (
            text.startsWith(prefix) &&
            (found === undefined || prefix.length > source.values[found]!.length)
          )
            found = i;
        });
        return found;
      };
      return textOperator(matches, source, spec, typeof spec === 'string' ? undefined : matched);
    }
    case 'contains': {
      if (!searchable()) return undefined;
      if (!checkWritten(operand as string, true, env, at)) return undefined;
      const needle = normalizeText(operand as string);
      return textOperator((text) => text.includes(needle), { values: [needle], written: [] }, operand);
    }
    case 'containsAny': {
      if (!searchable()) return undefined;
      const spec = operand as NonNullable<Condition['containsAny']>;
      const source = textValues(spec, env, at);
      if (source === undefined) return undefined;
      const needles = source.values;
      const matched = (text: string): number | undefined => {
        for (let i = 0; i < needles.length; i++) if (text.includes(needles[i]!)) return i;
        return undefined;
      };
      return textOperator((text) => matched(text) !== undefined, source, spec, matched);
    }
    case 'containsAnyWord': {
      if (!searchable()) return undefined;
      const spec = operand as NonNullable<Condition['containsAnyWord']>;
      // Text and values as normalizeWords makes them: `Knife™` holds the whole word knife.
      const source = textValues(spec, env, at, true);
      if (source === undefined) return undefined;
      const words = source.values.map(wholeWord);
      const matched = (text: string): number | undefined => {
        for (let i = 0; i < words.length; i++) if (containsWholeWord(text, words[i]!)) return i;
        return undefined;
      };
      return textOperator((text) => matched(text) !== undefined, source, spec, matched, normalizeWords);
    }
    case 'matches': {
      if (!searchable()) return undefined;
      const pattern = operand as string;
      const regex = compileLinearRegex(pattern);
      if ('error' in regex) return report(env, at, regex.error);
      return textOperator(regex.test, { values: [], written: [] }, pattern);
    }
  }
};

interface TextSource {
  values: readonly string[];
  /** Each value as written (the first so written, of values equal after normalization). */
  written: readonly string[];
  list?: CompiledList;
}

/** Written values normalized, each once (the first of those equal after normalization), in order. */
const normalizedOnce = (
  written: readonly string[],
  normalize: (text: string) => string,
): Pick<TextSource, 'values' | 'written'> => {
  const byValue = new Map<string, string>();
  for (const value of written) {
    const normalized = normalize(value);
    if (!byValue.has(normalized)) byValue.set(normalized, value);
  }
  return { values: [...byValue.keys()], written: [...byValue.values()] };
};

/** Resolves a literal string, literal strings or a named list into normalized text values. */
const textValues = (
  spec: string | readonly (string | number)[] | { list: string },
  env: CompileEnv,
  at: string,
  /** containsAnyWord's values: normalized as normalizeWords does, and checked as whole words. */
  words = false,
): TextSource | undefined => {
  const normalize = words ? normalizeWords : normalizeText;
  if (typeof spec === 'string' || Array.isArray(spec)) {
    if (!checkWritten(spec, words ? 'word' : true, env, at)) return undefined;
  }
  if (typeof spec === 'string') return normalizedOnce([spec], normalize);
  if (Array.isArray(spec)) {
    const strings = spec.filter((item): item is string => typeof item === 'string');
    if (strings.length !== spec.length) return report(env, at, 'text operators need text values');
    if (!checkRepeats(strings, false, env, at)) return undefined;
    return normalizedOnce(strings, normalize);
  }
  const list = useList((spec as { list: string }).list, env, `${at}.list`);
  if (list === undefined) return undefined;
  if (list.kind !== 'text')
    return report(env, `${at}.list`, `list ${list.name} holds numbers, not text: ${QUOTE_LIST_NUMBERS}`);
  if (list.keys !== undefined) return report(env, `${at}.list`, onlyWithItsKeys(list));
  return { ...normalizedOnce(list.written, normalize), list };
};

const textOperator = (
  matches: (text: string) => boolean,
  source: TextSource,
  shown: unknown,
  /** The index of the value a normalized text matched (see CompiledOperator.matched). */
  matchedIndex?: (text: string) => number | undefined,
  /** How the text is normalized (as the values were). */
  normalize: (text: string) => string = normalizeText,
): CompiledOperator => {
  const { list } = source;
  const memo = new TextMemo((text) => matches(normalize(text)));
  const matched =
    matchedIndex === undefined
      ? undefined
      : matchedByText((text) => {
          const i = matchedIndex(normalize(text));
          return i === undefined ? undefined : source.written[i];
        });
  const withMatched = (compiled: CompiledOperator): CompiledOperator =>
    matched === undefined ? compiled : { ...compiled, matched };
  if (list === undefined) {
    return withMatched({
      fuse: (read) => (ctx) => {
        const v = read(ctx);
        if (typeof v !== 'string') return MISSING;
        return memo.test(v) ? TRUE : FALSE;
      },
      expected: constant(shown),
    });
  }
  const expiresMs = list.expiresMs;
  return withMatched({
    fuse: (read) => (ctx) => {
      const v = read(ctx);
      if (typeof v !== 'string' || isExpired(expiresMs, ctx.nowMs)) return MISSING;
      return memo.test(v) ? TRUE : FALSE;
    },
    expected: constant(listShown(list)),
    list,
  });
};

export const useList = (name: string, env: CompileEnv, at: string): CompiledList | undefined => {
  if (!env.declaredLists.has(name)) {
    const declared = [...env.declaredLists].join(', ') || 'none';
    return report(
      env,
      at,
      `unknown list ${name}: the rule set declares ${declared}${didYouMean(name, env.declaredLists)}`,
    );
  }
  const list = env.lists.get(name);
  if (list === undefined)
    return report(
      env,
      at,
      `unknown list ${name}: no list file defines it${didYouMean(name, env.lists.keys())}`,
    );
  env.usedLists.add(name);
  return list;
};

/** A literal that reads as a fact path (a dot in it, no spaces): worth asking whether it names a fact. */
const FACT_PATH_LIKE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9-]+)+$/;
/** A literal that may be a fact path written wrong: as FACT_PATH_LIKE, `_` allowed (`destination_region`). */
const NEAR_FACT_PATH_LIKE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)+$/;
const DERIVED_PATH = /^derived\.([A-Za-z][A-Za-z0-9]*)$/;

/**
 * Whether literal text is exactly a fact path the rule reads where it stands (a fact, a quantifier
 * variable's field, a derived fact): resolved against a throwaway copy of `env`, so nothing is reported
 * or recorded as read. Dotted text that names no fact there (`St.Louis`, `parcel.express`, `stop.region`
 * outside its quantifier) is text. A derived fact is a fact path wherever it is written, its own
 * definition included (where reading it is refused as depending on itself).
 */
const namesFact = (literal: unknown, scope: Scope, env: CompileEnv, at: string): literal is string => {
  if (typeof literal !== 'string' || !FACT_PATH_LIKE.test(literal)) return false;
  const derived = DERIVED_PATH.exec(literal)?.[1];
  if (derived !== undefined && env.derivedNames.has(derived)) return true;
  const probe: CompileEnv = {
    ...env,
    issues: new IssueCollector(),
    usedLists: new Set(),
    boundVars: new Map(),
  };
  delete probe.factsRead;
  return resolveFact(literal, scope, probe, at) !== undefined && probe.issues.issues.length === 0;
};

/**
 * The fact path literal text probably means, written wrong (`parcel.route.destinaton.region`,
 * `Parcel.Route.Destination.Region`, `parcle.route.destination.region`): text that starts as a path does
 * there, in any case or with its root a near miss of one (closestName), and is the one close to a fact
 * path the rule reads there (closestName). Undefined for other text (`parcel.express`, `Parcels.Express`).
 */
const factPathMeant = (literal: unknown, scope: Scope, env: CompileEnv, at: string): string | undefined => {
  if (typeof literal !== 'string' || !NEAR_FACT_PATH_LIKE.test(literal)) return undefined;
  const vars = [...scope.vars.keys()];
  const folded = vars.map((name) => name.toLowerCase());
  const startsAsPath =
    startsAsFactPath(literal, (root) => folded.includes(root.toLowerCase()), true) ||
    closestName(literal.slice(0, literal.indexOf('.')), [...PATH_ROOTS, ...vars]) !== undefined;
  if (!startsAsPath) return undefined;
  const meant = closestName(literal, dottedFactPaths(scope, env));
  return meant !== undefined && namesFact(meant, scope, env, at) ? meant : undefined;
};

/**
 * Literal text that is a fact path (`ne: parcel.route.destination.region`), or close to one
 * (`ne: parcel.route.destinaton.region`), is compared as that text, so the condition is true (or false)
 * on nearly every parcel: refused, with how a fact is written there (`fix`, PATH for the path), and for
 * text close to one how to keep it as text (`listed`: a list compared with that operator). False when it is.
 */
const checkNotAFactPath = (
  literal: unknown,
  fix: string,
  listed: 'in' | 'notIn',
  scope: Scope,
  env: CompileEnv,
  at: string,
): boolean => {
  if (namesFact(literal, scope, env, at)) {
    report(
      env,
      at,
      `${JSON.stringify(literal)} is the text of a fact path, not that fact's value: ${fix.replaceAll('PATH', literal)}`,
    );
    return false;
  }
  const meant = factPathMeant(literal, scope, env, at);
  if (meant === undefined) return true;
  report(
    env,
    at,
    `${JSON.stringify(literal)} would be compared as text, but it is close to the fact path ${meant}: ${fix.replaceAll('PATH', meant)}, or, if it is text, write it in a list and compare with ${listed}: { list: … }`,
  );
  return false;
};

/**
 * Text that reads as a fact path from a name such a path starts with there (a root, `derived`, `marks`,
 * `places`, a quantifier variable in scope), compared with a fact that is not text: how a fact is
 * written there. Other dotted text (`v1.2`, `shop.example.com`) is not taken for a path.
 */
const factHint = (literal: unknown, scope: Scope): string =>
  typeof literal === 'string' &&
  FACT_PATH_LIKE.test(literal) &&
  startsAsFactPath(literal, (root) => scope.vars.has(root))
    ? `; a fact is written { fact: ${literal} }`
    : '';

const compileEquality = (
  operator: 'eq' | 'ne',
  operand: Condition['eq'],
  type: FactType,
  label: string,
  scope: Scope,
  env: CompileEnv,
  at: string,
): CompiledOperator | undefined => {
  const negate = operator === 'ne';
  if (operand !== null && typeof operand === 'object') {
    const other = resolveFact(operand.fact, scope, env, `${at}.fact`);
    if (other === undefined) return undefined;
    if (other.type.kind !== type.kind || keyKind(other.type) !== keyKind(type)) {
      return report(
        env,
        `${at}.fact`,
        `${operand.fact} is ${describeType(other.type)}, ${label} is ${describeType(type)}`,
      );
    }
    const readOther = other.read;
    // Enum facts are compared exactly, with each other's values as written (as with a literal).
    const text = isText(type) && !isEnum(type) && !isEnum(other.type);
    return {
      fuse: (read) => (ctx) => {
        const value = read(ctx);
        if (value === undefined) return MISSING;
        const b = readOther(ctx);
        if (b === undefined) return MISSING;
        const equal =
          text && typeof value === 'string' && typeof b === 'string'
            ? normalizeText(value) === normalizeText(b)
            : value === b;
        return tri(equal !== negate);
      },
      expected: (ctx) => ({ fact: other.concrete(ctx), value: readOther(ctx) ?? null }),
      other,
    };
  }
  const literal = operand as string | number | boolean;
  const fix = 'write { fact: PATH } to compare with that fact';
  if (!checkNotAFactPath(literal, fix, negate ? 'notIn' : 'in', scope, env, at)) return undefined;
  const expectedKind = type.kind === 'text' ? 'string' : type.kind;
  if (typeof literal !== expectedKind) {
    return report(
      env,
      at,
      `${operator} compares ${label} (${describeType(type)}) with ${JSON.stringify(literal)}${quoteHint(literal, type)}${weekdayHint(literal, type)}${factHint(literal, scope)}`,
    );
  }
  if (!checkKeyLiteral(type, label, literal, env, at)) return undefined;
  if (isText(type) && !checkWritten(literal as string, false, env, at)) return undefined;
  if (!checkFormat(literal as string, undefined, type, label, false, env, at)) return undefined;
  if (type.kind === 'text' && type.values !== undefined) {
    if (!type.values.includes(literal as string)) {
      return report(
        env,
        at,
        `${JSON.stringify(literal)} is not ${describeType(type)}${enumHint(literal as string, type.values)}`,
      );
    }
    return { fuse: fusedEquality(literal, negate), expected: constant(literal) };
  }
  if (isText(type)) {
    const normalized = normalizeText(literal as string);
    return {
      fuse: (read) => (ctx) => {
        const v = read(ctx);
        if (typeof v !== 'string') return MISSING;
        return (normalizeText(v) === normalized) !== negate ? TRUE : FALSE;
      },
      expected: constant(literal),
    };
  }
  return { fuse: fusedEquality(literal, negate), expected: constant(literal) };
};

const compileMembership = (
  operator: 'in' | 'notIn',
  operand: Condition['in'],
  type: FactType,
  label: string,
  scope: Scope,
  env: CompileEnv,
  at: string,
): CompiledOperator | undefined => {
  const negate = operator === 'notIn';
  if (type.kind !== 'text' && type.kind !== 'number') {
    return report(env, at, `${operator} needs text or a number, but ${label} is ${describeType(type)}`);
  }
  let list: CompiledList | undefined;
  let raw: readonly (string | number)[];
  if (Array.isArray(operand)) {
    const fix = `a set holds values; to compare with that fact write ${operator === 'in' ? 'eq' : 'ne'}: { fact: PATH }`;
    const paths = operand.filter(
      (item, i) => !checkNotAFactPath(item, fix, operator, scope, env, `${at}[${i}]`),
    );
    if (paths.length > 0) return undefined;
    raw = operand;
  } else {
    list = useList((operand as { list: string }).list, env, `${at}.list`);
    if (list === undefined) return undefined;
    raw = list.kind === 'text' ? list.ordered : [...list.numbers];
  }
  const wanted = type.kind === 'text' ? 'string' : 'number';
  const wrong = raw.find((item) => typeof item !== wanted);
  if (wrong !== undefined) {
    return report(
      env,
      at,
      `${operator} compares ${label} (${describeType(type)}) with ${JSON.stringify(wrong)}${
        list === undefined
          ? `${quoteHint(wrong, type)}${weekdayHint(wrong, type)}`
          : `, a value of list ${list.name}${quoteHint(wrong, type) && `: ${QUOTE_LIST_NUMBERS}`}`
      }`,
    );
  }
  // Enum facts and party keys are compared exactly, with the values as written.
  const written = list === undefined ? raw : list.written;
  const enumValues = type.kind === 'text' ? type.values : undefined;
  if (enumValues !== undefined) {
    const unknown = written.find((item) => !enumValues.includes(item as string));
    if (unknown !== undefined) {
      const value = JSON.stringify(unknown);
      return list === undefined
        ? report(env, at, `${value} is not ${describeType(type)}${enumHint(unknown as string, enumValues)}`)
        : report(env, `${at}.list`, `list ${list.name} holds ${value}, which is not ${describeType(type)}`);
    }
  }
  if (list === undefined && isText(type) && !checkWritten(raw, false, env, at)) return undefined;
  // Text other than an enum or a party key matches normalized; a repeat of either is a repeat as written.
  const exact = keyKind(type) !== undefined || enumValues !== undefined;
  if (list === undefined && !checkRepeats(raw, exact, env, at)) return undefined;
  if (
    list !== undefined
      ? !checkKeyList(type, label, list, env, `${at}.list`)
      : !raw.every((item, i) => checkKeyLiteral(type, label, item, env, `${at}[${i}]`))
  )
    return undefined;
  if (!checkFormat(list === undefined ? raw : list.values, list, type, label, false, env, at))
    return undefined;
  const expiresMs = list === undefined ? Number.POSITIVE_INFINITY : list.expiresMs;
  const fuse =
    keyKind(type) !== undefined || enumValues !== undefined
      ? exactMembership(new Set(written as readonly string[]), negate, expiresMs)
      : // A text list's values as written: normalizing its normalized values again can change them.
        foldedMembership(list?.kind === 'text' ? list.written : raw, type.kind === 'text', negate, expiresMs);
  const compiled: CompiledOperator =
    list === undefined
      ? { fuse, expected: constant(raw) }
      : { fuse, expected: constant(listShown(list)), list };
  // What `in` matched, as written (nothing on a party key: the key it compared is recorded already).
  if (!negate && keyKind(type) === undefined)
    compiled.matched = matchedMember(list?.kind === 'text' ? list.written : raw, enumValues !== undefined);
  return compiled;
};

/** Past this many texts, the memo of what each matched starts again (as TextMemo's does). */
const MATCHED_MEMO_LIMIT = 8192;

/**
 * What a text matched (see CompiledOperator.matched), memoized by the raw text: a fired rule's repeated
 * descriptions and cities are normalized and searched again only once. Numbers are looked up as they are.
 */
const matchedByText = (
  find: (text: string) => string | number | undefined,
  byNumber?: (value: number) => string | number | undefined,
) => {
  const memo = new Map<string, string | number | undefined>();
  return (value: unknown): string | number | undefined => {
    if (typeof value === 'number') return byNumber?.(value);
    if (typeof value !== 'string') return undefined;
    if (memo.has(value)) return memo.get(value);
    const found = find(value);
    if (memo.size >= MATCHED_MEMO_LIMIT) memo.clear();
    memo.set(value, found);
    return found;
  };
};

/**
 * The member of a set (as written) a value is: text folded as `in` folds it (an enum's exactly), the
 * first written of those equal after folding; a number exactly.
 */
const matchedMember = (raw: readonly (string | number)[], exact: boolean) => {
  const byValue = new Map<string | number, string | number>();
  for (const item of raw) {
    const key = typeof item === 'string' && !exact ? normalizeText(item) : item;
    if (!byValue.has(key)) byValue.set(key, item);
  }
  return matchedByText(
    (text) => byValue.get(exact ? text : normalizeText(text)),
    (number) => byValue.get(number),
  );
};

/** Text is case-folded and normalized before the lookup (memoized by raw text); numbers are exact. */
const foldedMembership = (
  raw: readonly (string | number)[],
  isText: boolean,
  negate: boolean,
  expiresMs: number,
) => {
  const texts = new Set(raw.filter((item): item is string => typeof item === 'string').map(normalizeText));
  const numbers = new Set(raw.filter((item): item is number => typeof item === 'number'));
  const memo = new TextMemo((text) => texts.has(normalizeText(text)));
  return (read: Accessor) =>
    (ctx: EvaluationContext): Tri => {
      const v = read(ctx);
      if (v === undefined || isExpired(expiresMs, ctx.nowMs)) return MISSING;
      const has = isText ? typeof v === 'string' && memo.test(v) : typeof v === 'number' && numbers.has(v);
      return has !== negate ? TRUE : FALSE;
    };
};

/** Party keys and enum values: an exact lookup, nothing to fold or memoize. */
const exactMembership =
  (keys: ReadonlySet<string>, negate: boolean, expiresMs: number) =>
  (read: Accessor) =>
  (ctx: EvaluationContext): Tri => {
    const v = read(ctx);
    if (v === undefined || isExpired(expiresMs, ctx.nowMs)) return MISSING;
    return (typeof v === 'string' && keys.has(v)) !== negate ? TRUE : FALSE;
  };

/**
 * What an enum's value was probably meant to be: a province written by name where codes are compared
 * (`Yunnan`, `云南省` → `CN-YN`), or the one value it is close to (`Road` → `road`, see closestName).
 */
const enumHint = (written: string, values: readonly string[]): string => {
  const province = provinceOfRegion(written);
  if (province !== undefined && values.includes(province))
    return `; ${JSON.stringify(written)} names the province ${province}: write ${province}`;
  return didYouMean(written, values);
};
