import { kindOfKey } from '../parties/party-keys.js';
import { type CompiledList, type CompileEnv, report, type Scope } from './compile-env.js';
import { isExpired } from './compile-list.js';
import { didYouMean } from './did-you-mean.js';
import { type EvaluationContext, FALSE, MISSING, TRUE, type Tri } from './evaluation-context.js';
import { type Accessor, type ResolvedFact, resolveFact } from './fact-access.js';
import { describeType, type FactType, isInstant, PARTY_KEY_FACTS } from './fact-types.js';
import { compileLinearRegex } from './linear-regex.js';
import type { Condition } from './rule-set-schema.js';
import { normalizeText, quoteWritten, TextMemo, writtenTextReason } from './text.js';

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

/**
 * Literal text compared with parcel text must be written trimmed, as the contract trims the parcel's, and
 * without invisible characters, which matching drops: reports each literal that is not, at its position;
 * false when any is not.
 */
const checkWritten = (
  values: string | readonly unknown[],
  searched: boolean,
  env: CompileEnv,
  at: string,
): boolean => {
  const items = typeof values === 'string' ? [values] : values;
  let ok = true;
  items.forEach((item, i) => {
    const refused = typeof item === 'string' ? writtenTextReason(item, searched) : undefined;
    if (refused === undefined) return;
    ok = false;
    report(env, typeof values === 'string' ? at : `${at}[${i}]`, `${quoteWritten(item)} ${refused}`);
  });
  return ok;
};

/** What a number comparison on an instant adds to its type error: how to compare days instead. */
const instantHint = (type: FactType, label: string, operator: Operator): string => {
  if (!isInstant(type)) return '';
  const days = label === 'now' ? 'daysBetween: [<instant>, now]' : `daysSince: ${label}`;
  return `: compare days instead, { value: { ${days} }, ${operator}: … } (daysSince, daysBetween)`;
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
        expected: (ctx) => ({ fact: right.fact, value: readOther(ctx) ?? null }),
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
      return compileMembership(operator, operand as Condition['in'], type, label, env, at);
    case 'startsWith': {
      if (!isText(type)) return mismatch('text');
      const spec = operand as NonNullable<Condition['startsWith']>;
      const source = textValues(spec, env, at);
      if (source === undefined) return undefined;
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
      return textOperator(matches, source, spec);
    }
    case 'contains': {
      if (!isText(type)) return mismatch('text');
      if (!checkWritten(operand as string, true, env, at)) return undefined;
      const needle = normalizeText(operand as string);
      return textOperator((text) => text.includes(needle), { values: [needle] }, operand);
    }
    case 'containsAny': {
      if (!isText(type)) return mismatch('text');
      const spec = operand as NonNullable<Condition['containsAny']>;
      const source = textValues(spec, env, at);
      if (source === undefined) return undefined;
      const needles = source.values;
      const matches = (text: string): boolean => {
        for (let i = 0; i < needles.length; i++) if (text.includes(needles[i]!)) return true;
        return false;
      };
      return textOperator(matches, source, spec);
    }
    case 'matches': {
      if (!isText(type)) return mismatch('text');
      const pattern = operand as string;
      const regex = compileLinearRegex(pattern);
      if ('error' in regex) return report(env, at, regex.error);
      return textOperator(regex.test, { values: [] }, pattern);
    }
  }
};

interface TextSource {
  values: readonly string[];
  list?: CompiledList;
}

/** Resolves a literal string, literal strings or a named list into normalized text values. */
const textValues = (
  spec: string | readonly (string | number)[] | { list: string },
  env: CompileEnv,
  at: string,
): TextSource | undefined => {
  if (typeof spec === 'string' || Array.isArray(spec)) {
    if (!checkWritten(spec, true, env, at)) return undefined;
  }
  if (typeof spec === 'string') return { values: [normalizeText(spec)] };
  if (Array.isArray(spec)) {
    const strings = spec.filter((item): item is string => typeof item === 'string');
    if (strings.length !== spec.length) return report(env, at, 'text operators need text values');
    return { values: strings.map(normalizeText) };
  }
  const list = useList((spec as { list: string }).list, env, `${at}.list`);
  if (list === undefined) return undefined;
  if (list.kind !== 'text') return report(env, `${at}.list`, `list ${list.name} holds numbers, not text`);
  if (list.keys !== undefined) return report(env, `${at}.list`, onlyWithItsKeys(list));
  return { values: list.ordered, list };
};

const textOperator = (
  matches: (text: string) => boolean,
  source: TextSource,
  shown: unknown,
): CompiledOperator => {
  const { list } = source;
  const memo = new TextMemo((text) => matches(normalizeText(text)));
  if (list === undefined) {
    return {
      fuse: (read) => (ctx) => {
        const v = read(ctx);
        if (typeof v !== 'string') return MISSING;
        return memo.test(v) ? TRUE : FALSE;
      },
      expected: constant(shown),
    };
  }
  const expiresMs = list.expiresMs;
  return {
    fuse: (read) => (ctx) => {
      const v = read(ctx);
      if (typeof v !== 'string' || isExpired(expiresMs, ctx.nowMs)) return MISSING;
      return memo.test(v) ? TRUE : FALSE;
    },
    expected: constant({ list: list.name, version: list.version }),
    list,
  };
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
      expected: (ctx) => ({ fact: operand.fact, value: readOther(ctx) ?? null }),
      other,
    };
  }
  const literal = operand as string | number | boolean;
  const expectedKind = type.kind === 'text' ? 'string' : type.kind;
  if (typeof literal !== expectedKind) {
    return report(
      env,
      at,
      `${operator} compares ${label} (${describeType(type)}) with ${JSON.stringify(literal)}`,
    );
  }
  if (!checkKeyLiteral(type, label, literal, env, at)) return undefined;
  if (isText(type) && !checkWritten(literal as string, false, env, at)) return undefined;
  if (type.kind === 'text' && type.values !== undefined) {
    if (!type.values.includes(literal as string)) {
      return report(env, at, `${JSON.stringify(literal)} is not ${describeType(type)}`);
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
  env: CompileEnv,
  at: string,
): CompiledOperator | undefined => {
  const negate = operator === 'notIn';
  if (type.kind !== 'text' && type.kind !== 'number') {
    return report(env, at, `${operator} needs text or a number, but ${label} is ${describeType(type)}`);
  }
  let list: CompiledList | undefined;
  let raw: readonly (string | number)[];
  if (Array.isArray(operand)) raw = operand;
  else {
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
      `${operator} compares ${label} (${describeType(type)}) with ${JSON.stringify(wrong)}`,
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
        ? report(env, at, `${value} is not ${describeType(type)}`)
        : report(env, `${at}.list`, `list ${list.name} holds ${value}, which is not ${describeType(type)}`);
    }
  }
  if (list === undefined && isText(type) && !checkWritten(raw, false, env, at)) return undefined;
  if (
    list !== undefined
      ? !checkKeyList(type, label, list, env, `${at}.list`)
      : !raw.every((item, i) => checkKeyLiteral(type, label, item, env, `${at}[${i}]`))
  )
    return undefined;
  const expiresMs = list === undefined ? Number.POSITIVE_INFINITY : list.expiresMs;
  const fuse =
    keyKind(type) !== undefined || enumValues !== undefined
      ? exactMembership(new Set(written as readonly string[]), negate, expiresMs)
      : // A text list's values as written: normalizing its normalized values again can change them.
        foldedMembership(list?.kind === 'text' ? list.written : raw, type.kind === 'text', negate, expiresMs);
  if (list === undefined) return { fuse, expected: constant(raw) };
  return { fuse, expected: constant({ list: list.name, version: list.version }), list };
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
