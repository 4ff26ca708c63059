import { normalizeText } from '../text/text.js';
import { compileCondition } from './compile-condition.js';
import { type CompiledTable, type CompileEnv, report, type Scope } from './compile-env.js';
import { didYouMean } from './did-you-mean.js';
import { type EvaluationContext, FALSE, MISSING, TRUE, type Tri } from './evaluation-context.js';
import { type ResolvedFact, resolveFact } from './fact-access.js';
import { describeType, isInstant } from './fact-types.js';
import { daysBetweenMs, instantReader, parseInstant, unparseableInstant } from './instants.js';
import { compileLocalTime } from './local-time.js';
import { addDecimal, divDecimal, mulDecimal, subDecimal } from './numeric.js';
import { bindQuantifier } from './quantifier-scope.js';
import type { Expression } from './rule-set-schema.js';

/**
 * What a reader of the facts a derived fact reads (CompileEnv.factsRead) returns for an input that is
 * there but gives nothing, with why in full (`table province-code has no entry for "Yunan"`): explain
 * names it as the cause, where it names an absent input by its path.
 */
export class MissingCause {
  constructor(readonly cause: string) {}
}

/** A missing input of explain's that is a lookup's cause (noEntry), said as it is, not as `… is missing`. */
export const isLookupCause = (input: string): boolean => /^table \S+ has no entry /.test(input);

/** Why a table gives nothing for a key that is there: no entry equal to it, or none it starts with. */
const noEntry = (table: CompiledTable, key: string): string =>
  table.match === 'prefix'
    ? `table ${table.name} has no entry that ${JSON.stringify(key)} starts with`
    : `table ${table.name} has no entry for ${JSON.stringify(key)}`;

/** A compiled numeric expression; `undefined` is a missing value and propagates (except through coalesce). */
export type NumberFn = (ctx: EvaluationContext) => number | undefined;

const MISSING_VALUE: NumberFn = () => undefined;

const EXPRESSION_KEYS = [
  'fact',
  'add',
  'sub',
  'mul',
  'div',
  'min',
  'max',
  'coalesce',
  'sum',
  'count',
  'maxOf',
  'minOf',
  'lookup',
  'daysSince',
  'daysBetween',
  'localHour',
  'weekday',
] as const;
type ExpressionObject = Exclude<Expression, number>;

type Fold = (a: number, b: number) => number | undefined;
/**
 * A result past the largest number (literals can reach it: 1e200 × 1e200) is missing, like a division
 * by zero: it has no decimal to compare, record or show.
 */
const finite = (value: number): number | undefined => (Number.isFinite(value) ? value : undefined);

const FOLDS: Record<'add' | 'sub' | 'mul' | 'div' | 'min' | 'max', Fold> = {
  add: (a, b) => finite(addDecimal(a, b)),
  sub: (a, b) => finite(subDecimal(a, b)),
  mul: (a, b) => finite(mulDecimal(a, b)),
  div: (a, b) => (b === 0 ? undefined : finite(divDecimal(a, b))),
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
};

/**
 * Two operands (the usual case), one closure per operator so the arithmetic is inlined rather than
 * called; same results as FOLDS.
 */
const BINARY: Record<keyof typeof FOLDS, (x: NumberFn, y: NumberFn) => NumberFn> = {
  add: (x, y) => (ctx) => {
    const a = x(ctx);
    if (a === undefined) return undefined;
    const b = y(ctx);
    return b === undefined ? undefined : finite(addDecimal(a, b));
  },
  sub: (x, y) => (ctx) => {
    const a = x(ctx);
    if (a === undefined) return undefined;
    const b = y(ctx);
    return b === undefined ? undefined : finite(subDecimal(a, b));
  },
  mul: (x, y) => (ctx) => {
    const a = x(ctx);
    if (a === undefined) return undefined;
    const b = y(ctx);
    return b === undefined ? undefined : finite(mulDecimal(a, b));
  },
  div: (x, y) => (ctx) => {
    const a = x(ctx);
    if (a === undefined) return undefined;
    const b = y(ctx);
    return b === undefined || b === 0 ? undefined : finite(divDecimal(a, b));
  },
  min: (x, y) => (ctx) => {
    const a = x(ctx);
    if (a === undefined) return undefined;
    const b = y(ctx);
    return b === undefined ? undefined : Math.min(a, b);
  },
  max: (x, y) => (ctx) => {
    const a = x(ctx);
    if (a === undefined) return undefined;
    const b = y(ctx);
    return b === undefined ? undefined : Math.max(a, b);
  },
};

const fold = (fns: NumberFn[], key: keyof typeof FOLDS): NumberFn => {
  const [first, second] = fns;
  if (fns.length === 1) return first!;
  if (fns.length === 2) return BINARY[key](first!, second!);
  const op = FOLDS[key];
  return (ctx) => {
    let acc = first!(ctx);
    for (let i = 1; i < fns.length && acc !== undefined; i++) {
      const next = fns[i]!(ctx);
      acc = next === undefined ? undefined : op(acc, next);
    }
    return acc;
  };
};

/**
 * Compiles an expression. `reads`, when given, collects the facts it reads outside `sum` and `count` (the
 * operands, a lookup's key): what a fired rule records for a `value:` condition.
 */
export const compileExpression = (
  expression: Expression,
  scope: Scope,
  env: CompileEnv,
  at: string,
  reads?: ResolvedFact[],
): NumberFn => {
  if (typeof expression === 'number') return () => expression;
  const keys = EXPRESSION_KEYS.filter((key) => expression[key] !== undefined);
  if (keys.length !== 1) {
    report(
      env,
      at,
      keys.length === 0
        ? `an expression is a number or one of ${EXPRESSION_KEYS.join(', ')}`
        : `an expression has exactly one of ${keys.join(', ')}`,
    );
    return MISSING_VALUE;
  }
  return compileKey(keys[0]!, expression, scope, env, at, reads);
};

const compileKey = (
  key: (typeof EXPRESSION_KEYS)[number],
  expression: ExpressionObject,
  scope: Scope,
  env: CompileEnv,
  at: string,
  reads: ResolvedFact[] | undefined,
): NumberFn => {
  switch (key) {
    case 'fact': {
      const fact = resolveFact(expression.fact!, scope, env, `${at}.fact`);
      if (fact === undefined) return MISSING_VALUE;
      reads?.push(fact);
      if (isInstant(fact.type)) {
        const hint = `use { daysSince: ${fact.path} } or { daysBetween: [${fact.path}, …] } for days, { localHour: { of: ${fact.path}, zone: … } } or { weekday: … } for its local time`;
        report(env, `${at}.fact`, `${fact.path} is an instant (ISO 8601 text), not a number: ${hint}`);
        return MISSING_VALUE;
      }
      if (fact.type.kind !== 'number') {
        report(env, `${at}.fact`, `${fact.path} is not a number, it cannot be used in arithmetic`);
        return MISSING_VALUE;
      }
      const { read } = fact;
      return (ctx) => {
        const value = read(ctx);
        return typeof value === 'number' ? value : undefined;
      };
    }
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'min':
    case 'max': {
      const operands = expression[key]!.map((item, i) =>
        compileExpression(item, scope, env, `${at}.${key}[${i}]`, reads),
      );
      if ((key === 'sub' || key === 'div') && operands.length < 2) {
        report(env, `${at}.${key}`, `${key} needs at least two operands`);
      }
      return fold(operands, key);
    }
    case 'coalesce': {
      const operands = expression.coalesce!.map((item, i) =>
        compileExpression(item, scope, env, `${at}.coalesce[${i}]`, reads),
      );
      return (ctx) => {
        for (const operand of operands) {
          const value = operand(ctx);
          if (value !== undefined) return value;
        }
        return undefined;
      };
    }
    case 'sum':
    case 'count':
    case 'maxOf':
    case 'minOf':
      return compileAggregate(key, expression, scope, env, `${at}.${key}`);
    case 'lookup': {
      const { table: name, key: keyPath } = expression.lookup!;
      const table = env.tables.get(name);
      if (table === undefined) {
        const known = [...env.tables.keys()].join(', ') || 'none';
        report(
          env,
          `${at}.lookup.table`,
          `unknown table ${name}; tables: ${known}${didYouMean(name, env.tables.keys())}`,
        );
        return MISSING_VALUE;
      }
      const fact = resolveFact(keyPath, scope, env, `${at}.lookup.key`);
      if (fact === undefined) return MISSING_VALUE;
      if (fact.type.kind !== 'text' || fact.type.key !== undefined) {
        reads?.push(fact);
        const what = fact.type.kind === 'text' ? `a hashed ${fact.type.key} key` : 'not text';
        report(env, `${at}.lookup.key`, `${fact.path} is ${what}, it cannot key table ${name}`);
        return MISSING_VALUE;
      }
      const { read } = fact;
      const lookup: NumberFn = (ctx) => {
        const value = read(ctx);
        return typeof value === 'string' ? table.lookup(value) : undefined;
      };
      // Explain says why a lookup whose key is there is missing: in a `value:`'s note (through `reads`) and,
      // for a key outside quantifiers (the facts a derived fact reads), in a derived fact's.
      const lookupMissing = (ctx: EvaluationContext): string | undefined => {
        const value = read(ctx);
        return typeof value === 'string' && table.lookup(value) === undefined
          ? noEntry(table, value)
          : undefined;
      };
      reads?.push({ ...fact, lookupMissing });
      if (env.factsRead?.has(keyPath) === true)
        env.factsRead.set(`lookup(${name}, ${keyPath})`, (ctx) => {
          const cause = lookupMissing(ctx);
          return cause === undefined ? true : new MissingCause(cause);
        });
      return lookup;
    }
    case 'daysSince':
    case 'daysBetween':
      return compileDays(key, expression, scope, env, at, reads);
    case 'localHour':
    case 'weekday':
      return compileLocalTime(key, expression[key]!, scope, env, `${at}.${key}`, reads) ?? MISSING_VALUE;
  }
};

/**
 * An instant operand of daysSince or daysBetween: a fact path whose type is an instant, read as epoch
 * milliseconds (undefined when absent or not an ISO 8601 instant, which makes the result missing).
 */
const compileInstant = (
  key: 'daysSince' | 'daysBetween',
  path: string,
  scope: Scope,
  env: CompileEnv,
  at: string,
  reads: ResolvedFact[] | undefined,
): ((ctx: EvaluationContext) => number | undefined) | undefined => {
  const fact = resolveFact(path, scope, env, at);
  if (fact === undefined) return undefined;
  if (!isInstant(fact.type)) {
    return report(
      env,
      at,
      `${key} needs an instant such as now or history.consignee.lastSeizureAt, but ${path} is ${describeType(fact.type)}`,
    );
  }
  reads?.push(fact);
  const { read } = fact;
  // In a derived fact, explain names an instant fact whose text is there but not an instant (an absent
  // one is named by its path already).
  env.factsRead?.set(unparseableInstant(path), (ctx) => {
    const text = read(ctx);
    return text === undefined || parseInstant(text) !== undefined ? true : undefined;
  });
  return instantReader(read);
};

/**
 * `daysSince: x` is now − x, `daysBetween: [a, b]` is b − a, in days (see daysBetweenMs). Compiled only
 * for expressions that use them: nothing else reads an instant.
 */
const compileDays = (
  key: 'daysSince' | 'daysBetween',
  expression: ExpressionObject,
  scope: Scope,
  env: CompileEnv,
  at: string,
  reads: ResolvedFact[] | undefined,
): NumberFn => {
  const [fromPath, toPath] = key === 'daysSince' ? [expression.daysSince!, 'now'] : expression.daysBetween!;
  const fromAt = key === 'daysSince' ? `${at}.daysSince` : `${at}.daysBetween[0]`;
  const toAt = key === 'daysSince' ? `${at}.daysSince` : `${at}.daysBetween[1]`;
  const from = compileInstant(key, fromPath, scope, env, fromAt, reads);
  const to = compileInstant(key, toPath, scope, env, toAt, reads);
  if (from === undefined || to === undefined) return MISSING_VALUE;
  return (ctx) => {
    const fromMs = from(ctx);
    if (fromMs === undefined) return undefined;
    const toMs = to(ctx);
    return toMs === undefined ? undefined : daysBetweenMs(fromMs, toMs);
  };
};

/** The expressions over a list's elements, written `{ of, as?, where?, … }`. */
type AggregateKey = 'sum' | 'count' | 'maxOf' | 'minOf';

const compileAggregate = (
  key: AggregateKey,
  expression: ExpressionObject,
  scope: Scope,
  env: CompileEnv,
  at: string,
): NumberFn => {
  const spec = expression[key]!;
  const bound = bindQuantifier(spec.of, spec.as, scope, env, at, false);
  if (bound === undefined) return MISSING_VALUE;
  const { array, slot } = bound;
  const inner = { ...bound.inner, unrecorded: true };
  const where =
    spec.where === undefined ? undefined : compileCondition(spec.where, inner, env, `${at}.where`).test;
  const value = 'value' in spec ? compileExpression(spec.value, inner, env, `${at}.value`) : undefined;
  const distinctSpec = 'distinct' in spec ? spec.distinct : undefined;
  const distinct =
    distinctSpec === undefined ? undefined : compileDistinct(distinctSpec, inner, env, `${at}.distinct`);
  if (distinctSpec !== undefined && distinct === undefined) return MISSING_VALUE;
  const readArray = array.read;
  const explained = scope.vars.size === 0;
  if (where !== undefined && explained) explainMissingWhere(key, spec.of, readArray, where, slot, env);
  if (value !== undefined && 'value' in spec && explained)
    explainMissingValue(key, describeExpression(spec.value), spec.of, readArray, where, value, slot, env);
  if (distinct !== undefined && distinctSpec !== undefined && explained)
    explainMissingElement(
      `the count's distinct ${describeExpression(distinctSpec)} on an element of ${spec.of}`,
      readArray,
      slot,
      env,
      (ctx) => (where === undefined || where(ctx) === TRUE) && distinct(ctx) === undefined,
    );
  if (key === 'maxOf' || key === 'minOf') {
    if (explained) explainNoElement(key, spec.of, readArray, where, slot, env);
    return extremum(key === 'maxOf', readArray, where, value!, slot);
  }
  if (distinct !== undefined) return countDistinct(readArray, where, distinct, slot);
  // Clears its element slot when done, so the context keeps no parcel alive between evaluations.
  // An element whose `where` is missing (an absent fact, an expired list) might have matched: like a
  // quantifier with no decisive element, the count or sum is then missing.
  return (ctx) => {
    const items = readArray(ctx);
    if (!Array.isArray(items)) return undefined;
    const vars = ctx.vars;
    let total: number | undefined = 0;
    for (let i = 0; i < items.length; i++) {
      vars[slot] = items[i];
      if (where !== undefined) {
        const matched = where(ctx);
        if (matched === MISSING) {
          total = undefined;
          break;
        }
        if (matched !== TRUE) continue;
      }
      if (value === undefined) {
        total++;
        continue;
      }
      const item = value(ctx);
      if (item === undefined) {
        total = undefined;
        break;
      }
      total = finite(addDecimal(total, item));
      if (total === undefined) break;
    }
    vars[slot] = undefined;
    return total;
  };
};

/**
 * A distinct count's value of one element: a text fact normalized as `eq` compares it (invisible
 * characters dropped, NFKC, lower case; enums and party keys exactly), a number or boolean fact as it
 * is, any other expression as its number. Undefined when missing. Refuses a fact that is no single value.
 */
const compileDistinct = (
  distinct: Expression,
  scope: Scope,
  env: CompileEnv,
  at: string,
): ((ctx: EvaluationContext) => unknown) | undefined => {
  const path = singleFactOf(distinct);
  if (path === undefined) return compileExpression(distinct, scope, env, at);
  const fact = resolveFact(path, scope, env, `${at}.fact`);
  if (fact === undefined) return undefined;
  const { type, read } = fact;
  switch (type.kind) {
    case 'list':
    case 'object':
      return report(
        env,
        `${at}.fact`,
        `distinct counts single values (text, a number or a boolean), but ${path} is ${type.kind === 'list' ? 'a list' : 'an object'}: name one of its fields`,
      );
    case 'number':
    case 'boolean': {
      const kind = type.kind;
      return (ctx) => {
        const v = read(ctx);
        return typeof v === kind ? v : undefined;
      };
    }
    case 'text': {
      if (type.values !== undefined || type.key !== undefined)
        return (ctx) => {
          const v = read(ctx);
          return typeof v === 'string' ? v : undefined;
        };
      return (ctx) => {
        const v = read(ctx);
        return typeof v === 'string' ? normalizeText(v) : undefined;
      };
    }
  }
};

/** `{ fact: path }` and nothing else: the path. */
export const singleFactOf = (expression: Expression | undefined): string | undefined =>
  typeof expression === 'object' &&
  expression !== null &&
  expression.fact !== undefined &&
  Object.keys(expression).length === 1
    ? expression.fact
    : undefined;

/**
 * A distinct count: the different values of `distinct` over the elements (that satisfy `where`), in a Set
 * of this compiled expression's own, emptied after each evaluation (no allocation once grown, and no
 * parcel text kept). Missing when the list is, or when an element's `where` or value is missing (it
 * might have been a new value), as for `count` and `sum`.
 */
const countDistinct = (
  readArray: (ctx: EvaluationContext) => unknown,
  where: ((ctx: EvaluationContext) => Tri) | undefined,
  distinct: (ctx: EvaluationContext) => unknown,
  slot: number,
): NumberFn => {
  const seen = new Set<unknown>();
  return (ctx) => {
    const items = readArray(ctx);
    if (!Array.isArray(items)) return undefined;
    // Empty already, unless an evaluation threw midway through this count.
    if (seen.size > 0) seen.clear();
    const vars = ctx.vars;
    let missing = false;
    for (let i = 0; i < items.length; i++) {
      vars[slot] = items[i];
      if (where !== undefined) {
        const matched = where(ctx);
        if (matched === MISSING) {
          missing = true;
          break;
        }
        if (matched !== TRUE) continue;
      }
      const item = distinct(ctx);
      if (item === undefined) {
        missing = true;
        break;
      }
      seen.add(item);
    }
    vars[slot] = undefined;
    const total = missing ? undefined : seen.size;
    seen.clear();
    return total;
  };
};

/**
 * `maxOf` / `minOf`: the largest / smallest `value` over the elements (that satisfy `where`). Missing on
 * a missing list, on no such element (nothing to be the largest), and when an element's `where` or value
 * is missing (it might have been the largest).
 */
const extremum = (
  largest: boolean,
  readArray: (ctx: EvaluationContext) => unknown,
  where: ((ctx: EvaluationContext) => Tri) | undefined,
  value: NumberFn,
  slot: number,
): NumberFn => {
  return (ctx) => {
    const items = readArray(ctx);
    if (!Array.isArray(items)) return undefined;
    const vars = ctx.vars;
    let best: number | undefined;
    for (let i = 0; i < items.length; i++) {
      vars[slot] = items[i];
      if (where !== undefined) {
        const matched = where(ctx);
        if (matched === MISSING) {
          best = undefined;
          break;
        }
        if (matched !== TRUE) continue;
      }
      const item = value(ctx);
      if (item === undefined) {
        best = undefined;
        break;
      }
      if (best === undefined || (largest ? item > best : item < best)) best = item;
    }
    vars[slot] = undefined;
    return best;
  };
};

/**
 * While a derived fact compiles, records the aggregate's `where` among the inputs it reads, so a value
 * missing because an element's `where` is missing says so in `explain` ("derived.x is missing: the
 * count's where on an element of parcel.goods is missing"). Only outside other quantifiers, where the
 * elements can be read again on their own.
 */
const explainMissingWhere = (
  key: AggregateKey,
  of: string,
  readArray: (ctx: EvaluationContext) => unknown,
  where: (ctx: EvaluationContext) => Tri,
  slot: number,
  env: CompileEnv,
): void =>
  explainMissingElement(
    `the ${key}'s where on an element of ${of}`,
    readArray,
    slot,
    env,
    (ctx) => where(ctx) === MISSING,
  );

/**
 * While a derived fact compiles, records a sum's value among the inputs it reads, so a sum missing
 * because its value is missing on an element that counts says so in `explain` ("the sum's value
 * mul(line.declaredValue.amount, lookup(cny-per-unit, line.declaredValue.currency)) on an element of
 * parcel.goods is missing": a currency the table has no rate for). As explainMissingWhere, only outside
 * other quantifiers.
 */
const explainMissingValue = (
  key: AggregateKey,
  described: string,
  of: string,
  readArray: (ctx: EvaluationContext) => unknown,
  where: ((ctx: EvaluationContext) => Tri) | undefined,
  value: NumberFn,
  slot: number,
  env: CompileEnv,
): void =>
  explainMissingElement(
    `the ${key}'s value ${described} on an element of ${of}`,
    readArray,
    slot,
    env,
    (ctx) => (where === undefined || where(ctx) === TRUE) && value(ctx) === undefined,
  );

/**
 * While a derived fact compiles, records that a `maxOf` or `minOf` had no element to take (an empty list,
 * or a `where` no element satisfies): "derived.x is missing: an element of parcel.goods for the maxOf is
 * missing". Not when an element's `where` is missing, which explainMissingWhere names.
 */
const explainNoElement = (
  key: 'maxOf' | 'minOf',
  of: string,
  readArray: (ctx: EvaluationContext) => unknown,
  where: ((ctx: EvaluationContext) => Tri) | undefined,
  slot: number,
  env: CompileEnv,
): void => {
  const factsRead = env.factsRead;
  if (factsRead === undefined) return;
  const input =
    where === undefined
      ? `an element of ${of} for the ${key}`
      : `an element of ${of} that the ${key}'s where keeps`;
  const kept = (ctx: EvaluationContext): boolean => where === undefined || where(ctx) !== FALSE;
  factsRead.set(input, (ctx) => {
    const items = readArray(ctx);
    if (!Array.isArray(items)) return true; // a missing list is an input of its own, named on its own
    return someElement(ctx, items, slot, kept) ? items : undefined;
  });
};

/** Records `input` as missing when `missingOn` holds for an element of the array (see explainMissingWhere). */
const explainMissingElement = (
  input: string,
  readArray: (ctx: EvaluationContext) => unknown,
  slot: number,
  env: CompileEnv,
  missingOn: (ctx: EvaluationContext) => boolean,
): void => {
  const factsRead = env.factsRead;
  if (factsRead === undefined) return;
  const previous = factsRead.get(input);
  const anyMissing = (ctx: EvaluationContext): unknown => {
    if (previous !== undefined && previous(ctx) === undefined) return undefined;
    const items = readArray(ctx);
    if (!Array.isArray(items)) return true; // a missing list is an input of its own, named on its own
    return someElement(ctx, items, slot, missingOn) ? undefined : items;
  };
  factsRead.set(input, anyMissing);
};

/**
 * Whether `test` holds for an element of `items`, each set in turn in its slot, which is cleared after:
 * how explain reads an aggregate's elements again on their own.
 */
const someElement = (
  ctx: EvaluationContext,
  items: readonly unknown[],
  slot: number,
  test: (ctx: EvaluationContext) => boolean,
): boolean => {
  let found = false;
  for (let i = 0; i < items.length && !found; i++) {
    ctx.vars[slot] = items[i];
    found = test(ctx);
  }
  ctx.vars[slot] = undefined;
  return found;
};

/**
 * An expression as text, in the file's terms: `sub(parcel.measuredWeightKg, parcel.declaredGrossWeightKg)`,
 * `count(parcel.goods as line where {"fact":"line.hsCode","startsWith":"9403"})`. The key under which a fired
 * rule records a `value:` condition's result: distinct for distinct expressions.
 */
export const describeExpression = (expression: Expression): string => {
  if (typeof expression === 'number') return String(expression);
  if (expression.fact !== undefined) return expression.fact;
  if (expression.lookup !== undefined) return `lookup(${expression.lookup.table}, ${expression.lookup.key})`;
  if (expression.daysSince !== undefined) return `daysSince(${expression.daysSince})`;
  if (expression.daysBetween !== undefined) return `daysBetween(${expression.daysBetween.join(', ')})`;
  for (const key of ['localHour', 'weekday'] as const) {
    const local = expression[key];
    if (local !== undefined)
      return `${key}(${local.of}, ${typeof local.zone === 'string' ? local.zone : local.zone.fact})`;
  }
  const kind = (['sum', 'count', 'maxOf', 'minOf'] as const).find((key) => expression[key] !== undefined);
  if (kind !== undefined) {
    const aggregate = expression[kind]!;
    const as = aggregate.as === undefined ? '' : ` as ${aggregate.as}`;
    const value = 'value' in aggregate ? `: ${describeExpression(aggregate.value)}` : '';
    const distinct =
      'distinct' in aggregate && aggregate.distinct !== undefined
        ? ` distinct ${describeExpression(aggregate.distinct)}`
        : '';
    const where = aggregate.where === undefined ? '' : ` where ${JSON.stringify(aggregate.where)}`;
    return `${kind}(${aggregate.of}${as}${value}${distinct}${where})`;
  }
  for (const key of ['add', 'sub', 'mul', 'div', 'min', 'max', 'coalesce'] as const) {
    const operands = expression[key];
    if (operands !== undefined) return `${key}(${operands.map(describeExpression).join(', ')})`;
  }
  return 'value';
};
