import { type CompileEnv, report, type Scope } from './compile-env.js';
import { didYouMean } from './did-you-mean.js';
import type { EvaluationContext } from './evaluation-context.js';
import { describeType, type FactType, SCREENING_FACTS_TYPE, tallyPathOf } from './fact-types.js';
import { FIELD_READERS } from './field-readers.js';
import { PLACES, PLACES_TYPE } from './places-facts.js';
import { MARKS } from './tally-marks.js';

export type Accessor = (ctx: EvaluationContext) => unknown;

/** A fact path resolved at load time: its type, a pre-built accessor, and its concrete path for explanations. */
export interface ResolvedFact {
  path: string;
  type: FactType;
  read: Accessor;
  /** The path with quantifier variables replaced by the current element, e.g. `parcel.goods[1].hsCode`. */
  concrete: (ctx: EvaluationContext) => string;
  /** A derived fact: the facts it reads that are missing, when it is. */
  missingInputs?: (ctx: EvaluationContext) => string[];
  /** A fact computed by the engine (`places.*`): why it is missing, in an analyst's words, when it is. */
  missingBecause?: (ctx: EvaluationContext) => string | undefined;
  /**
   * A lookup's key (an expression's `reads`): why the lookup gives nothing though the key is there (no
   * entry for it), when it does.
   */
  lookupMissing?: (ctx: EvaluationContext) => string | undefined;
}

const ROOTS = Object.keys((SCREENING_FACTS_TYPE as { fields: Record<string, FactType> }).fields);
/** The names a fact path outside a quantifier starts with: the facts' roots, derived, marks and places. */
export const PATH_ROOTS: readonly string[] = [...ROOTS, 'derived', MARKS, PLACES];
/** Names no quantifier variable may take: fact roots, and what reasons name (`{list}`, `{matched}`). */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([...PATH_ROOTS, 'list', 'matched']);

/**
 * Whether dotted text starts as a fact path does there: with a root of PATH_ROOTS or a name `isVariable`
 * takes (a quantifier variable in scope), then a dot. `anyCase`: the root in any case (`Parcel.…`).
 * Other dotted text (`shop.example.com`, `St.Louis`, `v1.2`) is not taken for a path.
 */
export const startsAsFactPath = (
  text: string,
  isVariable: (name: string) => boolean,
  anyCase = false,
): boolean => {
  const dot = text.indexOf('.');
  if (dot <= 0) return false;
  const root = text.slice(0, dot);
  if (!anyCase) return PATH_ROOTS.includes(root) || isVariable(root);
  const folded = root.toLowerCase();
  return PATH_ROOTS.some((name) => name.toLowerCase() === folded) || isVariable(root);
};

/** Every path of an object type under `prefix`, the objects' own included (a list's elements are not paths). */
const pathsUnder = (type: FactType, prefix: string, into: Set<string>): void => {
  if (type.kind !== 'object') return;
  for (const [key, field] of Object.entries(type.fields)) {
    const path = `${prefix}.${key}`;
    into.add(path);
    pathsUnder(field, path, into);
  }
};

/**
 * The dotted fact paths a rule could name in a scope, to find the one text probably means: every field of
 * the facts (the rule set's tallies included) and of its variables in scope, `derived.<name>`,
 * `marks.<id>` and `places.*`. Whether one is readable there is resolveFact's to say.
 */
export const dottedFactPaths = (scope: Scope, env: CompileEnv): Set<string> => {
  const paths = new Set<string>();
  const facts = (env.factsType ?? SCREENING_FACTS_TYPE) as { fields: Record<string, FactType> };
  for (const [root, type] of Object.entries(facts.fields)) pathsUnder(type, root, paths);
  for (const path of [...paths]) {
    const id = tallyPathOf(path)?.id;
    if (id !== undefined) paths.add(`${MARKS}.${id}`);
  }
  for (const name of env.derivedNames) paths.add(`derived.${name}`);
  pathsUnder(PLACES_TYPE, PLACES, paths);
  for (const [name, variable] of scope.vars) pathsUnder(variable.type, name, paths);
  return paths;
};

type Step = (value: unknown) => unknown;

type Bag = Record<string, unknown>;

/**
 * Reads one field: through its own reader when there is one (fast), else by key. Own readers only: a
 * name every object inherits (`constructor`, `valueOf`) is not a reader.
 */
const fieldReader = (key: string): Step =>
  Object.hasOwn(FIELD_READERS, key) ? FIELD_READERS[key]! : (value) => (value as Bag)[key];

/**
 * Builds a property chain without `new Function`, from per-field readers, with closures specialised for
 * the usual depths. Keys are checked against the fact types at load time, so only null/undefined need guarding.
 */
export const chain = (keys: readonly string[]): Step => {
  const readers = keys.map(fieldReader);
  const [a, b, c, d] = readers;
  switch (keys.length) {
    case 0:
      return (v) => v ?? undefined;
    case 1:
      return (v) => (v == null ? undefined : (a!(v) ?? undefined));
    case 2:
      return (v) => {
        const x = v == null ? undefined : a!(v);
        return x == null ? undefined : (b!(x) ?? undefined);
      };
    case 3:
      return (v) => {
        const x = v == null ? undefined : a!(v);
        const y = x == null ? undefined : b!(x);
        return y == null ? undefined : (c!(y) ?? undefined);
      };
    case 4:
      return (v) => {
        const x = v == null ? undefined : a!(v);
        const y = x == null ? undefined : b!(x);
        const z = y == null ? undefined : c!(y);
        return z == null ? undefined : (d!(z) ?? undefined);
      };
    default:
      return (v) => {
        let current = v;
        for (const read of readers) {
          if (current == null) return undefined;
          current = read(current);
        }
        return current ?? undefined;
      };
  }
};

/**
 * A fact path as one closure over the evaluation context: the root (the facts, or a quantifier's current
 * element in `slot`) and up to four field reads in the same closure, so reading `history.consignee.known`
 * is one call plus the per-field readers, not a chain of closures.
 */
const pathAccessor = (keys: readonly string[], slot: number): Accessor => {
  const [a, b, c, d] = keys.map(fieldReader);
  const root = (ctx: EvaluationContext): unknown => (slot < 0 ? ctx.facts : ctx.vars[slot]);
  switch (keys.length) {
    case 0:
      return (ctx) => root(ctx) ?? undefined;
    case 1:
      return (ctx) => {
        const v = slot < 0 ? ctx.facts : ctx.vars[slot];
        return v == null ? undefined : (a!(v) ?? undefined);
      };
    case 2:
      return (ctx) => {
        const v = slot < 0 ? ctx.facts : ctx.vars[slot];
        const x = v == null ? undefined : a!(v);
        return x == null ? undefined : (b!(x) ?? undefined);
      };
    case 3:
      return (ctx) => {
        const v = slot < 0 ? ctx.facts : ctx.vars[slot];
        const x = v == null ? undefined : a!(v);
        const y = x == null ? undefined : b!(x);
        return y == null ? undefined : (c!(y) ?? undefined);
      };
    case 4:
      return (ctx) => {
        const v = slot < 0 ? ctx.facts : ctx.vars[slot];
        const x = v == null ? undefined : a!(v);
        const y = x == null ? undefined : b!(x);
        const z = y == null ? undefined : c!(y);
        return z == null ? undefined : (d!(z) ?? undefined);
      };
    default: {
      const step = chain(keys);
      return (ctx) => step(root(ctx));
    }
  }
};

/**
 * A tally of a history party (`history.address.tallies.<id>`): a number, never missing. Screening names
 * only the tallies the rule set's rules read on that party; any other (and every tally of facts built
 * without them: a decision recorded before the tally, a case) reads 0, as a party without any marks does.
 */
const tallyAccessor = (party: string, id: string): Accessor => {
  const tallies = chain(['history', party, 'tallies']);
  return (ctx) => {
    const counts = tallies(ctx.facts) as Readonly<Record<string, unknown>> | undefined;
    // Own fields only: a tally named `constructor` is not every object's constructor.
    return (counts !== undefined && Object.hasOwn(counts, id) ? counts[id] : undefined) ?? 0;
  };
};

const walkType = (
  root: FactType,
  keys: readonly string[],
  prefix: string,
): { type: FactType } | { error: string } => {
  let type = root;
  let walked = prefix;
  for (const key of keys) {
    if (type.kind !== 'object') {
      return { error: `${walked} is ${describeType(type)}, it has no field ${key}` };
    }
    // Own fields only: `parcel.valueOf` or `parcel.constructor` is no fact, though every object has one.
    const next = Object.hasOwn(type.fields, key) ? type.fields[key] : undefined;
    if (next === undefined) {
      const fields = Object.keys(type.fields);
      const tallies = tallyPathOf(walked);
      if (tallies !== undefined && tallies.id === undefined) {
        const hint = didYouMean(key, fields, (id) => `${walked}.${id}`);
        const declared =
          fields.length > 0 ? fields.join(', ') : 'none (a rule set declares them under tallies)';
        return {
          error: `unknown tally ${key} in ${walked}.${key}; the rule set's tallies: ${declared}${hint}`,
        };
      }
      const hint = didYouMean(key, fields, (field) => `${walked}.${field}`);
      return { error: `unknown fact ${walked}.${key}; ${walked} has ${fields.join(', ')}${hint}` };
    }
    type = next;
    walked = `${walked}.${key}`;
  }
  return { type };
};

/** Resolves a fact path in a scope, or reports why it cannot be read (and returns undefined). */
export const resolveFact = (
  path: string,
  scope: Scope,
  env: CompileEnv,
  at: string,
): ResolvedFact | undefined => {
  const [root = '', ...rest] = path.split('.');
  if (root === 'derived') {
    const [name, ...tail] = rest;
    if (name === undefined) return report(env, at, 'derived needs a name: derived.<name>');
    if (tail.length > 0) return report(env, at, `derived.${name} is a number, it has no field ${tail[0]}`);
    const ref = env.resolveDerived(name, at, env);
    if (ref === undefined) return undefined;
    return {
      path,
      type: { kind: 'number' },
      read: ref.read,
      concrete: () => path,
      missingInputs: ref.missingInputs,
    };
  }
  if (root === MARKS) {
    // What this parcel adds to a tally: a number, never missing (tally-marks.ts).
    const [id, ...tail] = rest;
    if (id === undefined)
      return report(
        env,
        at,
        `${MARKS} needs a tally id: ${MARKS}.<tally id>, what this parcel adds to that tally`,
      );
    if (tail.length > 0) return report(env, at, `${MARKS}.${id} is a number, it has no field ${tail[0]}`);
    const read = env.resolveMark(id, at, env);
    if (read === undefined) return undefined;
    env.factsRead?.set(path, read);
    return { path, type: { kind: 'number' }, read, concrete: () => path };
  }
  if (root === PLACES) {
    // The provinces of the parcel's places, computed from it (places-facts.ts), only when read.
    const walked = walkType(PLACES_TYPE, rest, PLACES);
    if ('error' in walked) return report(env, at, walked.error);
    const places = env.resolvePlaces();
    const step = chain(rest);
    const read: Accessor = (ctx) => step(places.read(ctx));
    env.factsRead?.set(path, read);
    return {
      path,
      type: walked.type,
      read,
      concrete: () => path,
      missingBecause: (ctx) => places.why(ctx, path),
    };
  }
  const variable = scope.vars.get(root);
  if (variable !== undefined) {
    const walked = walkType(variable.type, rest, root);
    if ('error' in walked) return report(env, at, walked.error);
    const { slot } = variable;
    const suffix = rest.map((key) => `.${key}`).join('');
    const concreteMemo = new Map<string, string>();
    return {
      path,
      type: walked.type,
      read: pathAccessor(rest, slot),
      concrete: (ctx) => {
        const base = ctx.varPaths[slot]!;
        let full = concreteMemo.get(base);
        if (full === undefined) {
          full = `${base}${suffix}`;
          if (concreteMemo.size < 1024) concreteMemo.set(base, full);
        }
        return full;
      },
    };
  }
  if (!ROOTS.includes(root)) {
    const vars = [...scope.vars.keys()];
    const hint =
      vars.length > 0
        ? `, derived, ${MARKS}, ${PLACES} or a variable (${vars.join(', ')})`
        : `, derived, ${MARKS} or ${PLACES}`;
    const meant = didYouMean(root, [...PATH_ROOTS, ...vars], (start) => [start, ...rest].join('.'));
    return report(env, at, `unknown fact ${path}: a path starts with ${ROOTS.join(', ')}${hint}${meant}`);
  }
  const factsType = env.factsType ?? SCREENING_FACTS_TYPE;
  const rootType = (factsType as { fields: Record<string, FactType> }).fields[root]!;
  const walked = walkType(rootType, rest, root);
  if ('error' in walked) return report(env, at, walked.error);
  const tally = tallyPathOf(path);
  const read =
    tally?.id === undefined ? pathAccessor([root, ...rest], -1) : tallyAccessor(tally.party, tally.id);
  env.factsRead?.set(path, read);
  return { path, type: walked.type, read, concrete: () => path };
};
