import { mostSevere } from '../screening/lane.js';
import { contentVersion } from './canonical-hash.js';
import {
  type CompiledList,
  type CompiledTable,
  type CompileEnv,
  type DerivedRef,
  RULE_SLOTS,
  report,
} from './compile-env.js';
import { compileExpression, MissingCause, type NumberFn } from './compile-expression.js';
import { compileList } from './compile-list.js';
import { type CompiledRule, compileRule } from './compile-rule.js';
import { compileTable } from './compile-table.js';
import { compileTallies, type DerivedReads, rulesReadRecorder, withReaders } from './compile-tally.js';
import { CompiledRuleSet } from './compiled-rule-set.js';
import { didYouMean } from './did-you-mean.js';
import { IssueCollector } from './errors.js';
import type { EvaluationContext } from './evaluation-context.js';
import { factsTypeWithTallies } from './fact-types.js';
import { checkForcedLane, compileLaneMapping } from './lane-mapping.js';
import { listContent } from './list-content.js';
import { parseSourceFile } from './parse-source-file.js';
import { placesRegistry } from './places-facts.js';
import {
  type ListDocument,
  ListDocumentSchema,
  type RuleSetDocument,
  RuleSetDocumentSchema,
} from './rule-set-schema.js';
import { markRegistry } from './tally-marks.js';

/** One parsed file (YAML or JSON already turned into a value) and its name, so errors can name it. */
export interface RuleSetSourceFile {
  file: string;
  document: unknown;
}

/** What `compileRuleSet` needs: the rule-set document and every list file beside it. */
export interface RuleSetInput {
  ruleSet: RuleSetSourceFile;
  lists: readonly RuleSetSourceFile[];
}

const listNameOf = (source: RuleSetSourceFile): unknown =>
  (source.document as { name?: unknown } | null)?.name;

/**
 * The rule set with `lists` in place of its own list files of the same names: how a published list
 * replaces the bundled file (screen) and how a list about to be published is checked (lists tool).
 */
export const withListsReplaced = (input: RuleSetInput, lists: readonly RuleSetSourceFile[]): RuleSetInput => {
  const names = new Set(lists.map(listNameOf));
  return {
    ruleSet: input.ruleSet,
    lists: [...input.lists.filter((source) => !names.has(listNameOf(source))), ...lists],
  };
};

/** One field of each list file of a rule set, by list name (files without a name or that field are left out). */
const byListName = <T>(
  input: RuleSetInput,
  field: 'version' | 'saltProof',
  holds: (value: unknown) => value is T,
): Map<string, T> => {
  const values = new Map<string, T>();
  for (const { document } of input.lists) {
    const list = document as Record<string, unknown> | null;
    const value = list?.[field];
    if (typeof list?.name === 'string' && holds(value)) values.set(list.name, value);
  }
  return values;
};

/** The version of each list file of a rule set, by list name. */
export const listVersionsOf = (input: RuleSetInput): Map<string, number> =>
  byListName(input, 'version', (value): value is number => typeof value === 'number');

/** The salt proof of each hashed watchlist of a rule set, by list name (lists without one are absent). */
export const saltProofsOf = (input: RuleSetInput): Map<string, string> =>
  byListName(input, 'saltProof', (value): value is string => typeof value === 'string');

/**
 * Whether a watchlist was keyed with another salt than the one `proof` comes from. A list published
 * before lists carried a proof (or a proof unknown) gives nothing to compare: false.
 */
export const keyedWithOtherSalt = (
  list: { saltProof?: string | undefined },
  proof: string | undefined,
): boolean => list.saltProof !== undefined && proof !== undefined && list.saltProof !== proof;

const NO_EFFECT =
  'a rule needs a score, a lane, or a place in lanes.hardHits; write score: 0 for a rule that only counts';

/**
 * Whether rule `i` of the rule-set file writes a score. The schema fills in 0 for one that does not, which
 * the version hash holds (so it does not move), but a rule with no score, no lane and no hard hit would
 * fire to no effect: a score forgotten, not a rule that only counts, which says `score: 0`.
 */
const hasScore = (document: unknown, i: number): boolean => {
  const rule = (document as { rules?: { score?: unknown }[] } | null)?.rules?.[i];
  return rule?.score !== undefined;
};

/**
 * Parses, checks and compiles a rule set into closures, once. Throws a RuleSetError listing every
 * problem (file, rule id, JSON path, reason); never evaluates rule text as code.
 */
export const compileRuleSet = (input: RuleSetInput): CompiledRuleSet => {
  const issues = new IssueCollector();
  const listDocuments = input.lists.map((source) => ({
    source,
    list: parseSourceFile(ListDocumentSchema, source, issues),
  }));
  const document = parseSourceFile(RuleSetDocumentSchema, input.ruleSet, issues);
  issues.throwIfAny();
  const ruleSet = document!;
  const file = input.ruleSet.file;

  const lists = new Map<string, CompiledList>();
  const parsedLists: ListDocument[] = [];
  for (const { source, list } of listDocuments) {
    if (list === undefined) continue;
    if (lists.has(list.name)) {
      issues.add({ file: source.file, path: 'name', reason: `list ${list.name} is defined twice` });
      continue;
    }
    lists.set(list.name, compileList(list, source.file, issues));
    parsedLists.push(list);
  }
  const tables = new Map<string, CompiledTable>(
    Object.entries(ruleSet.tables).map(([name, table]) => [name, compileTable(name, table, file, issues)]),
  );

  const derived = compileDerivedRegistry(ruleSet);
  // `marks.<id>`: resolved as rules and derived facts compile, computed from the tallies once compiled.
  const marks = markRegistry(ruleSet);
  // `places.*`: computed from the parcel on first read, only for a rule set that reads them.
  const places = placesRegistry();
  const base: Omit<CompileEnv, 'ruleId' | 'usedLists' | 'boundVars'> = {
    file,
    issues,
    lists,
    declaredLists: new Set(ruleSet.lists),
    tables,
    derivedNames: new Set(Object.keys(ruleSet.derived)),
    resolveDerived: derived.resolve,
    resolveMark: marks.resolve,
    resolvePlaces: places.resolve,
    maxDepth: derived.maxDepth,
    factsType: factsTypeWithTallies(Object.keys(ruleSet.tallies ?? {})),
  };
  // Every env made, whose lists used (each rule's own, for its `{list}`) together are the rule set's.
  const envs: CompileEnv[] = [];
  const envFor = (ruleId: string | undefined): CompileEnv => {
    const env: CompileEnv = {
      ...base,
      ruleId,
      usedLists: new Set(),
      boundVars: new Map(),
      thresholds: new Map(),
    };
    envs.push(env);
    return env;
  };
  derived.compileAll(envFor);
  const tallies = compileTallies(ruleSet, () => envFor(undefined), derived.reads);
  marks.bind(tallies);

  ruleSet.lists.forEach((name, i) => {
    const first = ruleSet.lists.indexOf(name);
    if (first < i)
      report(envFor(undefined), `lists[${i}]`, `list ${name} is declared twice, first at lists[${first}]`);
    else if (!lists.has(name))
      report(
        envFor(undefined),
        `lists[${i}]`,
        // Of the lists the rule set does not declare: its own name for a file named otherwise.
        `unknown list ${name}: no list file defines it${didYouMean(
          name,
          [...lists.keys()].filter((defined) => !ruleSet.lists.includes(defined)),
        )}`,
      );
  });
  // A list file the rule set does not declare would still change its version, and nothing could use it.
  for (const { source, list } of listDocuments) {
    if (list !== undefined && !ruleSet.lists.includes(list.name)) {
      issues.add({
        file: source.file,
        path: 'name',
        reason: `list ${list.name} is not declared in the rule set's lists: declare it, or remove the file`,
      });
    }
  }

  const seen = new Map<string, number>();
  const hardHitRules = new Set(ruleSet.lanes.hardHits.map((hit) => hit.rule));
  const rulesRead = rulesReadRecorder(derived.reads);
  const rules: CompiledRule[] = ruleSet.rules.map((rule, i) => {
    const env = rulesRead.record(envFor(rule.id), rule.enabled);
    const first = seen.get(rule.id);
    if (first !== undefined)
      report(env, `rules[${i}].id`, `duplicate rule id ${rule.id}, first used at rules[${first}]`);
    else seen.set(rule.id, i);
    if (rule.lane !== undefined) checkForcedLane(rule.lane, ruleSet.lanes, env, `rules[${i}].lane`);
    else if (!hasScore(input.ruleSet.document, i) && !hardHitRules.has(rule.id))
      report(env, `rules[${i}].score`, NO_EFFECT);
    return compileRule(rule, env, `rules[${i}]`);
  });
  const lanes = compileLaneMapping(ruleSet.lanes, new Set(seen.keys()), envFor(undefined));
  issues.throwIfAny();
  const usedLists = new Set(envs.flatMap((env) => [...env.usedLists]));
  const talliesRead = new Set(rulesRead.tallies(false).keys());
  const unusedTallies = tallies.map((tally) => tally.id).filter((id) => !talliesRead.has(id));
  const marksRead = rulesRead.marks();

  for (const rule of rules) {
    const hardHit = lanes.hardHits.get(rule.id);
    if (hardHit !== undefined) rule.lane = rule.lane === undefined ? hardHit : mostSevere(rule.lane, hardHit);
  }
  // `tallies: {}` is no tallies, as left out: one content, one version (tallies has no default, so a
  // rule set without them keeps the version it had before tallies existed).
  const { tallies: declaredTallies, ...withoutTallies } = ruleSet;
  const hashed =
    declaredTallies === undefined || Object.keys(declaredTallies).length === 0 ? withoutTallies : ruleSet;
  const version = contentVersion({
    ruleSet: hashed,
    lists: [...parsedLists].sort((a, b) => (a.name < b.name ? -1 : 1)).map(listContent),
  });
  return new CompiledRuleSet({
    id: ruleSet.id,
    label: ruleSet.label,
    version,
    rules,
    lanes,
    derived: derived.readers(),
    tallies: withReaders(tallies, rulesRead.tallies(true)),
    prepareMarks: marks.prepare(),
    explainPlaces: places.explainer(),
    maxDepth: derived.maxDepth.value,
    unusedLists: ruleSet.lists.filter((name) => !usedLists.has(name)),
    unusedTallies,
    unusedTalliesReadAsMarks: unusedTallies.filter((id) => marksRead.has(id)),
  });
};

/** How many derived facts may be computed one from the next (a from b from c: 3). */
const MAX_DERIVED_CHAIN = 32;

const tooLongChain = (name: string): string =>
  `derived.${name} is in a chain of more than ${MAX_DERIVED_CHAIN} derived facts, each computed from the next`;

interface DerivedRegistry {
  resolve: CompileEnv['resolveDerived'];
  compileAll: (envFor: (ruleId: string | undefined) => CompileEnv) => void;
  readers: () => { name: string; read: DerivedRef['read'] }[];
  /** What each derived fact is computed from (for tallies, whose `when` may not read history). */
  reads: DerivedReads;
  maxDepth: { value: number };
}

/**
 * Derived facts are compiled on first use (so their order in the file does not matter), memoized per
 * evaluation, and use their own quantifier slots above the rules' so reading one inside a rule's
 * quantifier is safe. A derived fact computes the derived facts it reads before its own expression:
 * they may share its slots, so one computed lazily inside its `sum` would overwrite its element.
 */
const compileDerivedRegistry = (ruleSet: RuleSetDocument): DerivedRegistry => {
  const names = Object.keys(ruleSet.derived).sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const state = new Map<string, 'compiling' | 'done'>();
  const fns: NumberFn[] = names.map(() => () => undefined);
  const maxDepth = { value: RULE_SLOTS };
  let envFor: ((ruleId: string | undefined) => CompileEnv) | undefined;

  const dependencies: number[][] = names.map(() => []);
  /** The longest chain of derived facts each computed from the next that ends at each one. */
  const chain: number[] = names.map(() => 1);
  const compiling: number[] = [];

  const inputs: [string, (ctx: EvaluationContext) => unknown][][] = names.map(() => []);
  /** Each derived fact read once, however many paths lead to it (a diamond would double per level). */
  const missingInputs = (
    i: number,
    ctx: EvaluationContext,
    found: Set<string>,
    visited = new Set<number>(),
  ): Set<string> => {
    visited.add(i);
    for (const [path, read] of inputs[i]!) {
      const value = read(ctx);
      // An input there that gives nothing (a lookup without the entry) is named by its cause.
      if (value === undefined) found.add(path);
      else if (value instanceof MissingCause) found.add(value.cause);
    }
    for (const d of dependencies[i]!) if (!visited.has(d)) missingInputs(d, ctx, found, visited);
    return found;
  };

  const refs: DerivedRef[] = names.map((_, i) => ({
    index: i,
    missingInputs: (ctx) => [...missingInputs(i, ctx, new Set())],
    read: (ctx) => {
      if (ctx.derivedEpochs[i] === ctx.epoch) return ctx.derivedValues[i];
      const needs = dependencies[i]!;
      for (let d = 0; d < needs.length; d++) refs[needs[d]!]!.read(ctx);
      const value = fns[i]!(ctx);
      ctx.derivedValues[i] = value;
      ctx.derivedEpochs[i] = ctx.epoch;
      return value;
    },
  }));

  const compileOne = (name: string): void => {
    const i = index.get(name)!;
    state.set(name, 'compiling');
    compiling.push(i);
    const env = { ...envFor!(undefined), factsRead: new Map() };
    const scope = { vars: new Map(), depth: maxDepth.value, limit: Number.POSITIVE_INFINITY };
    fns[i] = compileExpression(ruleSet.derived[name]!.value, scope, env, `derived.${name}.value`);
    inputs[i] = [...env.factsRead];
    // Its chain, however its links were compiled; reported where it first grows too long.
    chain[i] =
      1 + Math.max(0, ...dependencies[i]!.map((d) => (state.get(names[d]!) === 'done' ? chain[d]! : 0)));
    if (chain[i] === MAX_DERIVED_CHAIN + 1) report(env, `derived.${name}.value`, tooLongChain(name));
    compiling.pop();
    state.set(name, 'done');
  };

  const resolve = (name: string, at: string, env: CompileEnv): DerivedRef | undefined => {
    const i = index.get(name);
    if (i === undefined) {
      return report(
        env,
        at,
        `unknown derived fact ${name}; derived facts: ${names.join(', ') || 'none'}${didYouMean(name, names, (found) => `derived.${found}`)}`,
      );
    }
    if (state.get(name) === 'compiling') return report(env, at, `derived fact ${name} depends on itself`);
    // Compiling (and computing) a derived fact compiles the ones it reads first, recursively.
    if (!state.has(name) && compiling.length >= MAX_DERIVED_CHAIN) return report(env, at, tooLongChain(name));
    const reader = compiling.at(-1);
    if (reader !== undefined && !dependencies[reader]!.includes(i)) dependencies[reader]!.push(i);
    if (!state.has(name)) compileOne(name);
    return refs[i];
  };

  /** The derived facts `i` is computed from, directly or through others, `i` included. */
  const closureOf = (i: number, visited = new Set<number>()): Set<number> => {
    visited.add(i);
    for (const d of dependencies[i]!) if (!visited.has(d)) closureOf(d, visited);
    return visited;
  };
  const closureNamed = (name: string): number[] => {
    const i = index.get(name);
    return i === undefined ? [] : [...closureOf(i)];
  };

  return {
    resolve,
    reads: {
      closure: (name) => closureNamed(name).map((i) => names[i]!),
      factsRead: (name) => [...new Set(closureNamed(name).flatMap((i) => inputs[i]!.map(([path]) => path)))],
    },
    compileAll: (factory) => {
      envFor = factory;
      for (const name of names) if (!state.has(name)) compileOne(name);
    },
    readers: () => names.map((name, i) => ({ name, read: refs[i]!.read })),
    maxDepth,
  };
};
