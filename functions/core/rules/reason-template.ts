import { type CompileEnv, ROOT_SCOPE, report, type Scope } from './compile-env.js';
import type { EvaluationContext } from './evaluation-context.js';
import { chain, resolveFact } from './fact-access.js';
import { describeType, type FactType } from './fact-types.js';
import { DECIMAL_PLACES, formatNumber, formatNumberApart, formatNumberPlaces } from './numeric.js';
import { MATCHED_WITNESS } from './witness-table.js';

/** A reason with its placeholders resolved at load time; rendered only when the rule fires. */
export interface ReasonTemplate {
  render(ctx: EvaluationContext, values: Record<string, unknown>): string;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

export const formatValue = (value: unknown): string => {
  if (value === undefined || value === null) return 'n/a';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
};

/**
 * How a placeholder shows its value: a number the rule compares with constants (`gt: 1.5`) is never
 * rounded onto or across one of them (1.500006 is 1.50001 there, not 1.5); anything else as formatValue.
 */
const formatterFor = (
  path: string,
  env: CompileEnv,
  places: number | undefined,
): ((value: unknown) => string) => {
  const thresholds = env.thresholds?.get(path);
  if (places !== undefined)
    return (value) =>
      typeof value === 'number' ? formatNumberPlaces(value, places, thresholds) : formatValue(value);
  if (thresholds === undefined) return formatValue;
  return (value) => (typeof value === 'number' ? formatNumberApart(value, thresholds) : formatValue(value));
};

/** A placeholder's decimals: `{derived.days:0}` is `derived.days` rounded to 0 decimals. */
const PLACES = /^(.*?)\s*:\s*(.*)$/s;
const PLACES_WRITTEN = new RegExp(`^[0-${DECIMAL_PLACES}]$`);

type Part = string | ((ctx: EvaluationContext, values: Record<string, unknown>) => string);

/**
 * Placeholders: `{parcel.route.origin.city}` (any fact), `{derived.weightRatio}`, `{line.description}`
 * (the first element that decided the quantifier binding `line`: see BoundVariable.witnessed), `{list}`
 * (the one list the rule uses) and `{matched}` (the value of a set or list its one matching condition
 * matched). A number's may give its decimals: `{derived.weightRatio:1}`.
 * The values shown are also recorded in the fired rule's values.
 */
export const compileReason = (template: string, env: CompileEnv, at: string): ReasonTemplate => {
  const parts: Part[] = [];
  let last = 0;
  const literal = (text: string, offset: number): string => {
    // A brace outside a placeholder is a placeholder written wrong (`{parcel.x` unclosed), never text.
    const stray = /[{}]/.exec(text);
    if (stray !== null) {
      const where = offset + stray.index;
      report(
        env,
        at,
        stray[0] === '{'
          ? `unclosed { at character ${where + 1}: a placeholder is {fact.path}`
          : `} at character ${where + 1} closes no placeholder: a placeholder is {fact.path}`,
      );
    }
    return text;
  };
  for (const match of template.matchAll(PLACEHOLDER)) {
    parts.push(literal(template.slice(last, match.index), last));
    last = match.index + match[0].length;
    const part = compilePlaceholder(match[1]!.trim(), env, at);
    if (part !== undefined) parts.push(part);
  }
  parts.push(literal(template.slice(last), last));
  return {
    render: (ctx, values) => {
      let text = '';
      for (const part of parts) text += typeof part === 'string' ? part : part(ctx, values);
      return text;
    },
  };
};

/**
 * A reason shows values: an object or a list (`{parcel.consignee}`, `{parcel.goods}`) would put a whole
 * record, personal data included, into text officers and logs read.
 */
const isShown = (type: FactType, path: string, env: CompileEnv, at: string): boolean => {
  if (type.kind !== 'object' && type.kind !== 'list') return true;
  report(
    env,
    at,
    type.kind === 'object'
      ? `{${path}} is an object: a reason shows single values, name one of its fields`
      : `{${path}} is a list: a reason shows single values, name a field of an element a some binds`,
  );
  return false;
};

/**
 * A placeholder, with its decimals when it gives them (`{derived.days:0}`): refused, naming the
 * placeholder, when they are not a whole number from 0 to DECIMAL_PLACES or the value is not a number.
 */
const compilePlaceholder = (written: string, env: CompileEnv, at: string): Part | undefined => {
  const withPlaces = PLACES.exec(written);
  if (withPlaces === null) return compileValue(written, env, at, undefined);
  const [, path = '', places = ''] = withPlaces;
  const example = path === '' ? 'derived.name' : path;
  if (!PLACES_WRITTEN.test(places))
    return report(
      env,
      at,
      `{${written}}: a number's decimals are a whole number from 0 to ${DECIMAL_PLACES} after the colon, as in {${example}:0}`,
    );
  if (path === 'list' || path === 'matched')
    return report(
      env,
      at,
      `{${written}}: {${path}} shows ${path === 'list' ? 'a name' : 'a value as written'}; decimals are for numbers`,
    );
  return compileValue(path, env, at, Number(places), written);
};

/** `:N` given to a value that is not a number. */
const notANumber = (written: string, path: string, type: FactType, env: CompileEnv, at: string) =>
  report(env, at, `{${written}}: ${path} is ${describeType(type)}; decimals are for numbers`);

/**
 * A scope naming the rule's quantifier variables, for a placeholder outside them: none is bound in it
 * (a variable's placeholder reads its witness instead), but an unknown root is told which variables
 * the rule has, and a misspelled one is offered the right name (`{lien.hsCode}`: did you mean line.hsCode?).
 */
const variablesNamed = (env: CompileEnv): Scope =>
  env.boundVars.size === 0
    ? ROOT_SCOPE
    : {
        ...ROOT_SCOPE,
        vars: new Map([...env.boundVars].map(([name, { type }]) => [name, { slot: 0, type }])),
      };

/**
 * Why `{matched}` cannot be shown: no condition supplies it, several do, each element its own, or the rule
 * can fire without it (it is one part of an `any`).
 */
const matchedProblem = (env: CompileEnv): string | undefined => {
  const sources = env.matchSources ?? [];
  const [source] = sources;
  if (source === undefined)
    return '{matched} needs a condition of the rule that matches a value of a set or list (in, startsWith, containsAny, containsAnyWord) when the rule fires; this rule has none (one under a not or in a sum or count, one on a party key and a single startsWith prefix match no value to show)';
  if (sources.length > 1)
    return `{matched} could be the value matched by any of ${sources.map((s) => s.at).join(', ')}: a reason shows the value of exactly one such condition, so split the rule or make the others compare with a single value (eq, contains)`;
  if (source.everyElement)
    return `{matched}: ${source.at} is inside an every, which every element decides when the rule fires, so each element matched its own value; only a some (or an every or a none under not) picks the element to show`;
  if (source.alternativeOf !== undefined) {
    const group = source.alternativeOf.endsWith('.any') ? 'an any' : 'an all under not';
    return `{matched}: ${source.at} is one of the parts of ${source.alternativeOf}, ${group}, so the rule can fire through another part without it matching, and the reason would show n/a; split the rule into one rule per part, or move the condition out of the ${group.slice(group.indexOf(' ') + 1)}`;
  }
  return undefined;
};

const compileValue = (
  path: string,
  env: CompileEnv,
  at: string,
  places: number | undefined,
  written = path,
): Part | undefined => {
  if (path === 'matched') {
    const problem = matchedProblem(env);
    if (problem !== undefined) return report(env, at, problem);
    // Shown: its one condition records what it matched when the rule fires.
    env.matchSources![0]!.shown = true;
    return (ctx) => formatValue(ctx.witnesses.get(MATCHED_WITNESS)?.value);
  }
  if (path === 'list') {
    if (env.usedLists.size !== 1) {
      return report(
        env,
        at,
        `{list} needs a rule that uses exactly one list; this one uses ${env.usedLists.size}`,
      );
    }
    const [name] = env.usedLists;
    return () => name!;
  }
  const [root = ''] = path.split('.');
  const variable = env.boundVars.get(root);
  if (variable !== undefined) {
    if (variable.ambiguous) {
      return report(
        env,
        at,
        `{${path}}: ${root} is bound to elements of different lists in this rule; give each quantifier its own name`,
      );
    }
    if (!variable.witnessed) {
      return report(
        env,
        at,
        `{${path}}: no one element of ${root} decides the rule: it is bound only by quantifiers every element decides when the rule fires (an every, a none, a some under not, a sum or a count); only a some, or an every or a none under not, picks the element to show`,
      );
    }
    const scope = { vars: new Map([[root, { slot: 0, type: variable.type }]]), depth: 1, limit: 1 };
    const element = resolveFact(path, scope, env, at);
    if (element === undefined || !isShown(element.type, path, env, at)) return undefined;
    if (places !== undefined && element.type.kind !== 'number')
      return notANumber(written, path, element.type, env, at);
    const keys = path.split('.').slice(1);
    const step = chain(keys);
    const suffix = path.slice(root.length);
    // Concrete paths by witness path: built (and internalized as a property key) once, not per firing.
    const concreteKeys = new Map<string, string>();
    const keyFor = (base: string): string => {
      let key = concreteKeys.get(base);
      if (key === undefined) {
        key = `${base}${suffix}`;
        if (concreteKeys.size < 1024) concreteKeys.set(base, key);
      }
      return key;
    };
    const format = formatterFor(path, env, places);
    return (ctx, values) => {
      const witness = ctx.witnesses.get(root);
      if (witness === undefined) return formatValue(undefined);
      const value = step(witness.value);
      values[keyFor(witness.path)] = value ?? null;
      return format(value);
    };
  }
  const fact = resolveFact(path, variablesNamed(env), env, at);
  if (fact === undefined || !isShown(fact.type, path, env, at)) return undefined;
  if (places !== undefined && fact.type.kind !== 'number')
    return notANumber(written, path, fact.type, env, at);
  const format = formatterFor(path, env, places);
  return (ctx, values) => {
    const value = fact.read(ctx);
    values[path] = value ?? null;
    return format(value);
  };
};
