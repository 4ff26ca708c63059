import { type CompiledList, type CompileEnv, type MatchSource, report, type Scope } from './compile-env.js';
import { compileExpression, describeExpression, isLookupCause, singleFactOf } from './compile-expression.js';
import { isExpired } from './compile-list.js';
import { type EvaluationContext, FALSE, MISSING, TRUE, type Tri } from './evaluation-context.js';
import { type ResolvedFact, resolveFact } from './fact-access.js';
import { describeType, type FactType, isInstant } from './fact-types.js';
import { parseInstant, unparseableInstant } from './instants.js';
import { compileOperator, OPERATORS, type Operator } from './operators.js';
import { bindQuantifier } from './quantifier-scope.js';
import type { Condition, Quantifier } from './rule-set-schema.js';
import type { ConditionTrace, TraceResult } from './trace.js';
import { MATCHED_WITNESS } from './witness-table.js';

/**
 * A compiled condition: a fast three-valued test; `record`, run only when a rule fires, which writes the
 * fact values that made the condition come out `why` (TRUE, or FALSE under a `not`), by concrete path, and
 * the quantifier witnesses its reason reads; and `explain`, which builds the full trace for analysts.
 */
export interface ConditionNode {
  test: (ctx: EvaluationContext) => Tri;
  record: (ctx: EvaluationContext, values: Record<string, unknown>, why: Tri) => void;
  explain: (ctx: EvaluationContext) => ConditionTrace;
}

const opposite = (why: Tri): Tri => (why === TRUE ? FALSE : TRUE);

/**
 * The elements of one quantifier a fired rule records, at most (the first is the witness its reason
 * shows): enough to show why it fired, and the values stay small however many of a parcel's 50 goods
 * lines of 512 characters match, so a decision keeps far below DynamoDB's 400 KB item limit. `explain`
 * still shows every element.
 */
export const MAX_RECORDED_ELEMENTS = 5;

const GROUPS = ['all', 'any', 'not', 'some', 'every', 'none'] as const;
type Group = (typeof GROUPS)[number];

export const RESULT_NAMES: readonly TraceResult[] = ['false', 'true', 'missing'];

const INVALID: ConditionNode = {
  test: () => MISSING,
  record: () => undefined,
  explain: () => ({ op: 'invalid', result: 'missing' }),
};

export const compileCondition = (
  condition: Condition,
  scope: Scope,
  env: CompileEnv,
  at: string,
): ConditionNode => {
  const groups = GROUPS.filter((key) => condition[key] !== undefined);
  const operators = OPERATORS.filter((key) => condition[key] !== undefined);
  const sides = (['fact', 'value'] as const).filter((key) => condition[key] !== undefined);
  if (groups.length > 0) {
    if (groups.length > 1 || operators.length > 0 || sides.length > 0) {
      const keys = [...groups, ...sides, ...operators].join(', ');
      report(
        env,
        at,
        `a condition has one of all, any, not, some, every, none, or a fact and an operator; found ${keys}`,
      );
      return INVALID;
    }
    return compileGroup(groups[0]!, condition, scope, env, at);
  }
  if (sides.length !== 1) {
    report(
      env,
      at,
      sides.length === 0
        ? 'a condition needs fact (or value) and one operator, or one of all, any, not, some, every, none'
        : 'a condition compares either a fact or a value, not both',
    );
    return INVALID;
  }
  if (operators.length !== 1) {
    report(
      env,
      at,
      operators.length === 0
        ? `a condition needs one operator: ${OPERATORS.join(', ')}`
        : `a condition has exactly one operator; found ${operators.join(', ')}${rangeHint(operators, condition)}`,
    );
    return INVALID;
  }
  return compileLeaf(operators[0]!, condition, scope, env, at);
};

/**
 * A lower and an upper bound written in one condition (`{ fact: …, gte: 2, lte: 5 }`) is a range: `between`
 * when both ends are included, else two conditions in an `all`.
 */
const rangeHint = (operators: readonly Operator[], condition: Condition): string => {
  const lower = operators.find((op) => op === 'gt' || op === 'gte');
  const upper = operators.find((op) => op === 'lt' || op === 'lte');
  if (operators.length !== 2 || lower === undefined || upper === undefined) return '';
  const low = condition[lower];
  const high = condition[upper];
  if (lower === 'gte' && upper === 'lte' && typeof low === 'number' && typeof high === 'number')
    return `: for a range write between: [${low}, ${high}] (both ends included)`;
  return ': for a range write two conditions in an all (between: [low, high] when both ends are included)';
};

interface Left {
  label: string;
  type: FactType;
  read: (ctx: EvaluationContext) => unknown;
  concrete: (ctx: EvaluationContext) => string;
  missingInputs?: (ctx: EvaluationContext) => string[];
  missingBecause?: (ctx: EvaluationContext) => string | undefined;
}

/**
 * The key under which a fired rule records a `value:` condition's result: the expression as written, its
 * quantifier variables replaced by the current elements (`mul(parcel.goods[1].quantity, 2)`).
 */
const expressionKey = (text: string, scope: Scope): ((ctx: EvaluationContext) => string) => {
  const slots = new Map([...scope.vars].map(([name, variable]) => [name, variable.slot]));
  if (slots.size === 0) return () => text;
  const names = [...slots.keys()].join('|');
  const variable = new RegExp(`(?<![\\w.])(${names})(?=\\.)`, 'g');
  return (ctx) => text.replace(variable, (name) => ctx.varPaths[slots.get(name)!]!);
};

/** The operators that can say which value of their set matched (see CompiledOperator.matched). */
const MATCH_OPERATORS: ReadonlySet<Operator> = new Set([
  'in',
  'startsWith',
  'containsAny',
  'containsAnyWord',
]);

const compileLeaf = (operator: Operator, condition: Condition, scope: Scope, env: CompileEnv, at: string) => {
  let left: Left | undefined;
  /** A `value:` condition's facts (outside sum and count), recorded with its result. */
  const reads: ResolvedFact[] = [];
  // A set condition that fails a check of its own is still where the reason's {matched} comes from: the
  // reason is not refused a second time, for a rule with no such condition.
  const invalid = () => {
    if (MATCH_OPERATORS.has(operator) && typeof condition[operator] !== 'string')
      matchedRecorder(() => undefined, scope, env, `${at}.${operator}`);
    return INVALID;
  };
  if (condition.fact !== undefined) {
    const fact = resolveFact(condition.fact, scope, env, `${at}.fact`);
    if (fact !== undefined) left = { ...fact, label: condition.fact };
  } else {
    const fn = compileExpression(condition.value!, scope, env, `${at}.value`, reads);
    const key = expressionKey(describeExpression(condition.value!), scope);
    left = { label: 'value', type: { kind: 'number' }, read: fn, concrete: key };
    if (reads.length > 0) left.missingInputs = missingOperands(reads);
  }
  if (left === undefined) return invalid();
  if (left.type.kind === 'list' && operator !== 'exists' && operator !== 'missing') {
    report(
      env,
      `${at}.${operator}`,
      `${left.label} is ${describeType(left.type)}, not a value ${operator} can compare`,
    );
    return invalid();
  }
  if (left.type.kind === 'object' && operator !== 'exists' && operator !== 'missing') {
    report(env, `${at}.${operator}`, `${left.label} is an object; compare one of its fields`);
    return invalid();
  }
  const compiled = compileOperator(
    operator,
    condition[operator],
    left.type,
    left.label,
    scope,
    env,
    `${at}.${operator}`,
  );
  if (compiled === undefined) return invalid();
  // A `value:` that is one fact shows in a reason as that fact does.
  const compared = condition.fact ?? singleFactOf(condition.value);
  if (compared !== undefined) noteThresholds(compared, operator, condition[operator], env);
  // Written the other way round (`value: 1.5, lt: { fact: derived.r }`): the fact on the right is kept
  // apart from the constant on the left as well.
  const rightFact = (condition[operator] as { fact?: unknown } | null)?.fact;
  if (typeof condition.value === 'number' && typeof rightFact === 'string')
    noteThresholds(rightFact, operator, condition.value, env);
  const { expected, list, other } = compiled;
  const { read, concrete } = left;
  const test = compiled.fuse(read);
  const explain = (ctx: EvaluationContext): ConditionTrace => {
    const actual = read(ctx);
    const result = test(ctx);
    const trace: ConditionTrace = {
      op: operator,
      result: RESULT_NAMES[result]!,
      fact: concrete(ctx),
      actual: actual === undefined ? null : actual,
      expected: expected(ctx),
    };
    if (result === MISSING) {
      // A fact the engine computes (`places.*`) says why it is missing in its own words.
      const because = actual === undefined ? left.missingBecause?.(ctx) : undefined;
      trace.note =
        because === undefined
          ? missingNote(actual, trace.fact!, list, ctx, left.missingInputs, other)
          : `${trace.fact} is missing: ${because}`;
    }
    return trace;
  };
  // The value compared, the facts a `value:` expression read, and a right-hand `{ fact }`, by concrete path.
  const recorded = other === undefined ? reads : [...reads, other];
  const recordMatched = matchedRecorder(compiled.matched, scope, env, `${at}.${operator}`);
  const record = (ctx: EvaluationContext, values: Record<string, unknown>, why: Tri): void => {
    const path = concrete(ctx);
    const value = read(ctx);
    values[path] = value ?? null;
    for (const fact of recorded) values[fact.concrete(ctx)] = fact.read(ctx) ?? null;
    if (recordMatched !== undefined && why === TRUE) recordMatched(ctx, values, value, path);
  };
  return { test, record, explain };
};

/**
 * For a condition that can say which value of its set matched (`in`, `startsWith`, `containsAny`,
 * `containsAnyWord`): notes it as a source of `{matched}` unless the rule fires when it is false (under a
 * `not`) or inside a `sum`, `count` (…), whose elements are not recorded. When the reason shows
 * `{matched}` (compileReason sets `shown`; a rule fires with a reason that does not at no cost), records
 * the value as `matched(<concrete fact path>)` and, when it sits on the element each enclosing quantifier
 * picked (the one `{line.…}` shows), as the `{matched}` the reason shows.
 */
const matchedRecorder = (
  matched: ((value: unknown) => string | number | undefined) | undefined,
  scope: Scope,
  env: CompileEnv,
  at: string,
) => {
  // A condition the rule fires on being false matched nothing: it can never supply {matched}.
  if (matched === undefined || scope.unrecorded === true || scope.negated === true) return undefined;
  const source: MatchSource = { at, everyElement: scope.everyElement === true, shown: false };
  if (scope.alternativeOf !== undefined) source.alternativeOf = scope.alternativeOf;
  env.matchSources ??= [];
  env.matchSources.push(source);
  // The quantifier variables it sits under, by slot: it supplies {matched} only on the elements the
  // reason's `{line.…}` shows (each one's witness), never on a later deciding element.
  const enclosing = [...scope.vars].map(([name, variable]) => ({ name, slot: variable.slot }));
  const onWitnesses = (ctx: EvaluationContext): boolean => {
    for (const { name, slot } of enclosing)
      if (ctx.witnesses.get(name)?.path !== ctx.varPaths[slot]) return false;
    return true;
  };
  // Keys by concrete path: built (and internalized as a property key) once, not per firing.
  const keys = new Map<string, string>();
  return (ctx: EvaluationContext, values: Record<string, unknown>, value: unknown, path: string): void => {
    if (!source.shown) return;
    const found = matched(value);
    if (found === undefined) return;
    let key = keys.get(path);
    if (key === undefined) {
      key = `matched(${path})`;
      if (keys.size < 1024) keys.set(path, key);
    }
    if (!Object.hasOwn(values, key)) values[key] = found;
    if (onWitnesses(ctx)) ctx.witnesses.setIfAbsent(MATCHED_WITNESS, { value: found, path: key });
  };
};

/** The constant numbers an operand holds: a number, `between`'s ends, an `in` or `notIn` set or list. */
const constantsOf = (operator: Operator, operand: unknown, env: CompileEnv): number[] => {
  if (typeof operand === 'number') return [operand];
  const numbers = (values: unknown[]) => values.filter((value): value is number => typeof value === 'number');
  if (operator === 'between' || operator === 'in' || operator === 'notIn') {
    if (Array.isArray(operand)) return numbers(operand);
    const name = (operand as { list?: unknown } | null)?.list;
    const list = typeof name === 'string' ? env.lists.get(name) : undefined;
    if (list !== undefined) return [...list.numbers];
  }
  return [];
};

/**
 * Notes the constant numbers a fact is compared with (`{ fact, gt: 1.5 }`, `between: [2, 5]`, `eq: 3`,
 * `notIn: [1.5]`), so the rule's reason can show that fact on the right side of each of them (see
 * formatNumberApart).
 */
const noteThresholds = (path: string, operator: Operator, operand: unknown, env: CompileEnv): void => {
  const constants = constantsOf(operator, operand, env);
  if (constants.length === 0 || env.thresholds === undefined) return;
  const known = env.thresholds.get(path) ?? [];
  for (const constant of constants) if (!known.includes(constant)) known.push(constant);
  env.thresholds.set(path, known);
};

/**
 * For a `value:` expression that reads instants (daysSince, daysBetween): the facts it reads that are
 * missing, and the instant facts whose text is not an ISO 8601 instant, for explain's note.
 */
const missingOperands =
  (reads: readonly ResolvedFact[]) =>
  (ctx: EvaluationContext): string[] => {
    const inputs = new Set<string>();
    for (const fact of reads) {
      const value = fact.read(ctx);
      if (value === undefined) inputs.add(fact.concrete(ctx));
      else if (isInstant(fact.type) && parseInstant(value) === undefined)
        inputs.add(unparseableInstant(fact.concrete(ctx)));
      else {
        const cause = fact.lookupMissing?.(ctx);
        if (cause !== undefined) inputs.add(cause);
      }
    }
    return [...inputs];
  };

/**
 * Why a value is missing, from what its inputs are: those absent by path (`a, b are missing`), then each
 * that is there but gives nothing in its own words (`table province-code has no entry for "Yunan"`).
 */
const missingBecauseOf = (path: string, inputs: readonly string[]): string => {
  const absent = inputs.filter((input) => !isLookupCause(input));
  const causes = inputs.filter(isLookupCause);
  const parts = [
    ...(absent.length === 0 ? [] : [`${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} missing`]),
    ...causes,
  ];
  return parts.length === 0 ? `${path} is missing` : `${path} is missing: ${parts.join('; ')}`;
};

const missingNote = (
  actual: unknown,
  fact: string,
  list: CompiledList | undefined,
  ctx: EvaluationContext,
  missingInputs: Left['missingInputs'],
  other: ResolvedFact | undefined,
) => {
  const missing = missingBecauseOf;
  if (actual === undefined) return missing(fact, missingInputs?.(ctx) ?? []);
  // The left side is there: the right-hand `{ fact }` is the one missing.
  if (other !== undefined && other.read(ctx) === undefined)
    return missing(other.concrete(ctx), other.missingInputs?.(ctx) ?? []);
  if (list !== undefined && isExpired(list.expiresMs, ctx.nowMs)) {
    const expiry = new Date(list.expiresMs).toISOString();
    return Number.isNaN(ctx.nowMs)
      ? `now is not a time, so list ${list.name} v${list.version} (expiring ${expiry}) is not in force`
      : `list ${list.name} v${list.version} expired on ${expiry}`;
  }
  return `${fact} has an unexpected type`;
};

const compileGroup = (group: Group, condition: Condition, scope: Scope, env: CompileEnv, at: string) => {
  switch (group) {
    case 'all':
    case 'any': {
      const parts = condition[group]!;
      // An `any` (an `all` under `not`, false when one part is) of two or more parts: the rule can fire
      // through one part without another, so none of them can supply {matched} (see MatchSource).
      const alternatives = parts.length > 1 && (group === 'any') !== (scope.negated === true);
      const inner =
        alternatives && scope.alternativeOf === undefined
          ? { ...scope, alternativeOf: `${at}.${group}` }
          : scope;
      const children = parts.map((child, i) => compileCondition(child, inner, env, `${at}.${group}[${i}]`));
      return group === 'all' ? allOf(children) : anyOf(children);
    }
    case 'not': {
      const child = compileCondition(
        condition.not!,
        { ...scope, negated: scope.negated !== true },
        env,
        `${at}.not`,
      );
      const test = (ctx: EvaluationContext): Tri => {
        const result = child.test(ctx);
        return result === MISSING ? MISSING : result === TRUE ? FALSE : TRUE;
      };
      const node: ConditionNode = {
        test,
        // What made the `not` true is what made its condition false, and the other way round.
        record: (ctx, values, why) => child.record(ctx, values, opposite(why)),
        explain: (ctx: EvaluationContext): ConditionTrace => ({
          op: 'not',
          result: RESULT_NAMES[test(ctx)]!,
          children: [child.explain(ctx)],
        }),
      };
      return node;
    }
    default:
      return compileQuantifier(group, condition[group]!, scope, env, `${at}.${group}`);
  }
};

const allOf = (children: ConditionNode[]): ConditionNode => {
  const tests = children.map((child) => child.test);
  const [a, b] = tests;
  const test =
    tests.length === 2
      ? (ctx: EvaluationContext): Tri => {
          const first = a!(ctx);
          if (first === FALSE) return FALSE;
          const second = b!(ctx);
          if (second === FALSE) return FALSE;
          return first === TRUE && second === TRUE ? TRUE : MISSING;
        }
      : (ctx: EvaluationContext): Tri => {
          let result: Tri = TRUE;
          for (let i = 0; i < tests.length; i++) {
            const r = tests[i]!(ctx);
            if (r === FALSE) return FALSE;
            if (r === MISSING) result = MISSING;
          }
          return result;
        };
  return {
    test,
    record: (ctx, values, why) => {
      // True: every part; false: the parts that are false.
      for (const child of children)
        if (why === TRUE || child.test(ctx) === FALSE) child.record(ctx, values, why);
    },
    explain: (ctx) => ({
      op: 'all',
      result: RESULT_NAMES[test(ctx)]!,
      children: children.map((c) => c.explain(ctx)),
    }),
  };
};

const anyOf = (children: ConditionNode[]): ConditionNode => {
  const tests = children.map((child) => child.test);
  const test = (ctx: EvaluationContext): Tri => {
    let result: Tri = FALSE;
    for (let i = 0; i < tests.length; i++) {
      const r = tests[i]!(ctx);
      if (r === TRUE) return TRUE;
      if (r === MISSING) result = MISSING;
    }
    return result;
  };
  return {
    test,
    record: (ctx, values, why) => {
      // True: the parts that are true (every part when none is); false: every part.
      let anyTrue = false;
      if (why === TRUE)
        for (const child of children) {
          if (child.test(ctx) !== TRUE) continue;
          anyTrue = true;
          child.record(ctx, values, why);
        }
      if (!anyTrue) for (const child of children) child.record(ctx, values, why);
    },
    explain: (ctx) => ({
      op: 'any',
      result: RESULT_NAMES[test(ctx)]!,
      children: children.map((c) => c.explain(ctx)),
    }),
  };
};

/**
 * `some`: true if an element is true; `every`: false if an element is false (true on an empty list);
 * `none`: the negation of `some`. A missing list, or an undecided element with no decisive one, is missing.
 */
const compileQuantifier = (
  kind: 'some' | 'every' | 'none',
  quantifier: Quantifier,
  scope: Scope,
  env: CompileEnv,
  at: string,
): ConditionNode => {
  // One element decides a `some` that is true, and an `every` or a `none` that is false (under a `not`).
  const negated = scope.negated === true;
  const witnessed = kind === 'some' ? !negated : negated;
  const bound = bindQuantifier(quantifier.of, quantifier.as, scope, env, at, witnessed);
  if (bound === undefined) return INVALID;
  const { array, slot, name } = bound;
  // `none` is `not some`: its `where` is on the other side of a `not`.
  const inner: Scope = kind === 'none' ? { ...bound.inner, negated: !negated } : { ...bound.inner };
  // No one element decides it when the rule fires: every element is a witness of its own.
  if (!witnessed || scope.everyElement === true) inner.everyElement = true;
  if (scope.alternativeOf !== undefined) inner.alternativeOf = scope.alternativeOf;
  const where = compileCondition(quantifier.where, inner, env, `${at}.where`);
  const readArray = array.read;
  const inside = where.test;
  const test = quantifierTest(kind, readArray, inside, slot);
  const explain = (ctx: EvaluationContext): ConditionTrace => {
    const items = readArray(ctx);
    const base = array.concrete(ctx);
    const trace: ConditionTrace = { op: kind, result: RESULT_NAMES[test(ctx)]!, fact: base };
    if (!Array.isArray(items)) {
      trace.note = `${base} is missing`;
      return trace;
    }
    trace.elements = items.map((item, i) => {
      ctx.vars[slot] = item;
      ctx.varPaths[slot] = `${base}[${i}]`;
      return where.explain(ctx);
    });
    ctx.vars[slot] = undefined;
    return trace;
  };
  const elementPaths = new Map<string, string[]>();
  const elementPath = (base: string, i: number): string => {
    let paths = elementPaths.get(base);
    if (paths === undefined) {
      paths = [];
      if (elementPaths.size < 1024) elementPaths.set(base, paths);
    }
    paths[i] ??= `${base}[${i}]`;
    return paths[i];
  };
  // An element decides `some` when true, `every` when false; `none` is decided as `some` is, then negated.
  const decisive: Tri = kind === 'every' ? FALSE : TRUE;
  /**
   * Records why the quantifier came out `why`. When one element decides it (a `some` true, an `every` or
   * `none` false), the elements that do, the first being the witness a reason shows; when every element
   * does (a `some` false, an `every` or `none` true), every element, and no witness; in both cases the
   * first MAX_RECORDED_ELEMENTS of them.
   */
  const record = (ctx: EvaluationContext, values: Record<string, unknown>, why: Tri): void => {
    const items = readArray(ctx);
    if (!Array.isArray(items)) return;
    const decided = kind === 'some' ? why === TRUE : why === FALSE;
    const elementWhy = decided ? decisive : opposite(decisive);
    const base = array.concrete(ctx);
    let recorded = 0;
    for (let i = 0; i < items.length && recorded < MAX_RECORDED_ELEMENTS; i++) {
      ctx.vars[slot] = items[i];
      if (decided && inside(ctx) !== decisive) continue;
      recorded++;
      ctx.varPaths[slot] = elementPath(base, i);
      if (decided) ctx.witnesses.setIfAbsent(name, { value: items[i], path: ctx.varPaths[slot]! });
      where.record(ctx, values, elementWhy);
    }
    ctx.vars[slot] = undefined;
  };
  return { test, record, explain };
};

/**
 * The quantifier's test, with the kind resolved to constants at compile time. It clears its element slot
 * when done, so the context keeps no parcel alive between evaluations.
 */
const quantifierTest = (
  kind: 'some' | 'every' | 'none',
  readArray: (ctx: EvaluationContext) => unknown,
  inside: (ctx: EvaluationContext) => Tri,
  slot: number,
): ((ctx: EvaluationContext) => Tri) => {
  // some and none look for a true element (none negates); every looks for a false one.
  const decisive: Tri = kind === 'every' ? FALSE : TRUE;
  const found: Tri = kind === 'some' ? TRUE : FALSE;
  const notFound: Tri = kind === 'some' ? FALSE : TRUE;
  return (ctx) => {
    const items = readArray(ctx);
    if (!Array.isArray(items)) return MISSING;
    const vars = ctx.vars;
    let result: Tri = notFound;
    for (let i = 0; i < items.length; i++) {
      vars[slot] = items[i];
      const r = inside(ctx);
      if (r === decisive) {
        result = found;
        break;
      }
      if (r === MISSING) result = MISSING;
    }
    vars[slot] = undefined;
    return result;
  };
};
