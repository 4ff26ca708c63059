import { createHash } from 'node:crypto';
import type { PartyKeys } from '../parties/party-keys.js';
import { HISTORY_PARTIES } from '../screening/facts.js';
import type { DeclaredTally } from '../screening/tallies.js';
import { canonicalJson } from './canonical-hash.js';
import { type ConditionNode, compileCondition } from './compile-condition.js';
import { type CompileEnv, ROOT_SCOPE, report } from './compile-env.js';
import { compileExpression, describeExpression, type NumberFn } from './compile-expression.js';
import { TRUE } from './evaluation-context.js';
import { tallyPathOf } from './fact-types.js';
import type { RuleSetDocument, Tally } from './rule-set-schema.js';
import { MARKS, readsMarks } from './tally-marks.js';

/** A tally compiled: what it is declared as (DeclaredTally), and how a parcel is tested and marked. */
export interface CompiledTally extends DeclaredTally {
  condition: ConditionNode;
  /** The party key a distinct tally counts (`phone` for `distinct: parties.phone`). */
  key: keyof PartyKeys | undefined;
  /** What a sum tally adds for a parcel (missing: it marks nothing), and that expression as written. */
  amount: { of: NumberFn; described: string } | undefined;
}

/** What compiling tallies needs of the derived facts: those each one reads, itself included, and the facts they read. */
export interface DerivedReads {
  /** The derived facts `name` is computed from, directly or through others, `name` included. */
  closure(name: string): string[];
  /** The facts (never derived) those derived facts read. */
  factsRead(name: string): string[];
}

const readsHistoryError = (field: 'when' | 'sum'): string =>
  `a tally counts what parcels are, so its ${field} cannot read history (the backtest recounts tallies from past parcels, whose history it does not have)`;

const readsMarksError = (field: 'when' | 'sum'): string =>
  `a tally's ${field} cannot read marks (what a parcel adds to the tallies is computed from their when and sum: a cycle)`;

/** A tally without `when`: every parcel the rule set screens meets it. */
const EVERY_PARCEL: ConditionNode = {
  test: () => TRUE,
  record: () => {},
  explain: () => ({ op: 'all', result: 'true', children: [] }),
};

/** Every value of `key` in a condition or expression as written (`lookup.table`, `list`), each once. */
const valuesOf = (written: unknown, key: string, into = new Set<string>()): Set<string> => {
  if (written === null || typeof written !== 'object') return into;
  if (Array.isArray(written)) {
    for (const element of written) valuesOf(element, key, into);
    return into;
  }
  for (const [field, value] of Object.entries(written)) {
    if (field === key && typeof value === 'string') into.add(value);
    else valuesOf(value, key, into);
  }
  return into;
};

/**
 * Where a tally's marks are stored: the first 16 lowercase hex characters of the SHA-256 of the
 * canonical JSON of what it counts: its `when` as written, its `distinct`, its `sum` as written (only
 * when it has one, so tallies without keep their counters), the definitions of the derived facts
 * (their values) the `when` or `sum` reads, directly or through other derived facts, and the tables
 * (their match, default and entries) the `when` reads. Lists count by name only (their content is
 * published apart), and so do tables only the sum reads: a sum's marks are amounts fixed when made, so
 * a new exchange rate applies from then on instead of starting the sum from zero. The tally's id,
 * description and days are not in it, so a window can change and keep its marks.
 */
const tallyCounter = (
  tally: Pick<Tally, 'when' | 'distinct' | 'sum'>,
  document: Pick<RuleSetDocument, 'derived' | 'tables'>,
  reads: { when: readonly string[]; sum: readonly string[] },
): string => {
  const definitionOf = (name: string) => document.derived[name]?.value ?? null;
  const derived = Object.fromEntries(
    [...new Set([...reads.when, ...reads.sum])].sort().map((name) => [name, definitionOf(name)]),
  );
  const tablesOf = (written: unknown, derivedRead: readonly string[]) =>
    [...valuesOf([written ?? {}, ...derivedRead.map((name) => definitionOf(name) ?? {})], 'table')]
      .filter((name) => Object.hasOwn(document.tables, name))
      .sort();
  const whenTables = tablesOf(tally.when, reads.when);
  const tables = Object.fromEntries(
    whenTables.map((name) => {
      const { match, default: fallback, entries } = document.tables[name]!;
      return [name, { match, default: fallback ?? null, entries }];
    }),
  );
  const sum =
    tally.sum === undefined
      ? {}
      : {
          sum: tally.sum,
          sumTables: tablesOf(tally.sum, reads.sum).filter((name) => !whenTables.includes(name)),
        };
  // No `when` (every parcel) is null: no condition as written is null, so it shares no counter with one.
  const counted = { when: tally.when ?? null, distinct: tally.distinct ?? null, ...sum, derived, tables };
  return createHash('sha256').update(canonicalJson(counted)).digest('hex').slice(0, 16);
};

/**
 * Compiles a rule set's tallies with the rules' machinery (closures over the same facts), refusing at
 * load a `when` or `sum` that reads history or a mark (`marks.<id>`, a cycle), directly or through a
 * derived fact, at `tallies.<id>.when` or `tallies.<id>.sum`.
 */
export const compileTallies = (
  document: RuleSetDocument,
  envFor: () => CompileEnv,
  derived: DerivedReads,
): CompiledTally[] =>
  Object.entries(document.tallies ?? {}).map(([id, tally]) => {
    const at = `tallies.${id}`;
    const base = envFor();
    const when = recordingReads(base);
    const condition =
      tally.when === undefined
        ? EVERY_PARCEL
        : compileCondition(tally.when, ROOT_SCOPE, when.env, `${at}.when`);
    refuseHistoryAndMarks(when, 'when', at, derived);
    const closureOf = (read: Set<string>) => [...new Set([...read].flatMap((name) => derived.closure(name)))];
    let amount: CompiledTally['amount'];
    let sumReads: string[] = [];
    if (tally.sum !== undefined) {
      const sum = recordingReads(base);
      const of = compileExpression(tally.sum, ROOT_SCOPE, sum.env, `${at}.sum`);
      refuseHistoryAndMarks(sum, 'sum', at, derived);
      amount = { of, described: describeExpression(tally.sum) };
      sumReads = closureOf(sum.derived);
    }
    const key = tally.distinct?.slice('parties.'.length) as keyof PartyKeys | undefined;
    return {
      id,
      counter: tallyCounter(tally, document, { when: closureOf(when.derived), sum: sumReads }),
      days: tally.days,
      distinct: key !== undefined,
      sum: amount !== undefined,
      // Known once the rules are compiled (withReaders).
      parties: [],
      key,
      condition,
      amount,
    };
  });

/**
 * Reports, at `<at>.<field>`, the history and the marks a tally's `when` or `sum` reads, directly or
 * through derived facts.
 */
const refuseHistoryAndMarks = (
  recorded: ReturnType<typeof recordingReads>,
  field: 'when' | 'sum',
  at: string,
  derived: DerivedReads,
): void => {
  const { env } = recorded;
  const refusals: [(path: string) => boolean, string][] = [
    [readsHistory, readsHistoryError(field)],
    [readsMarks, readsMarksError(field)],
  ];
  for (const [reads, error] of refusals) {
    const direct = [...env.factsRead!.keys()].find(reads);
    if (direct !== undefined) report(env, `${at}.${field}`, `${error}: it reads ${direct}`);
    for (const name of [...recorded.derived].sort()) {
      const through = derived.factsRead(name).find(reads);
      if (through !== undefined)
        report(env, `${at}.${field}`, `${error}: it reads ${through} through derived.${name}`);
    }
  }
};

/**
 * The tallies with the parties their rules read them on (`history.address.tallies.<id>`, directly or
 * through derived facts), in HISTORY_PARTIES order: all the store counts and screening names. A tally
 * read by no enabled rule reads on none, and is still marked on every party (counting starts with the
 * rule set, so one declared ahead of its rule gathers history), but never summarized: a disabled
 * rule's reads are left out here, while `unusedTallies` counts them.
 */
export const withReaders = (
  tallies: readonly CompiledTally[],
  readOn: ReadonlyMap<string, ReadonlySet<string>>,
): CompiledTally[] =>
  tallies.map((tally) => {
    const read = readOn.get(tally.id);
    return {
      ...tally,
      parties: Object.freeze(HISTORY_PARTIES.filter((party) => read?.has(party) === true)),
    };
  });

/**
 * `env` (a copy) recording what a compile with it reads: the facts, in its own `factsRead`, and the
 * derived facts, by name in `derived`. Compile time only: nothing is added to evaluation.
 */
const recordingReads = (env: CompileEnv): { env: CompileEnv; derived: Set<string> } => {
  const derived = new Set<string>();
  return {
    env: {
      ...env,
      factsRead: new Map(),
      resolveDerived: (name, at, inner) => {
        derived.add(name);
        return env.resolveDerived(name, at, inner);
      },
    },
    derived,
  };
};

/**
 * What the rules read, recorded as they compile: the facts each reads (through `factsRead`, in a
 * condition, an expression or a reason) and the derived facts, so the tallies they read directly or
 * through a derived fact are known, with the parties they are read on (withReaders).
 */
export const rulesReadRecorder = (derived: DerivedReads) => {
  const reads: { env: CompileEnv; derived: Set<string>; enabled: boolean }[] = [];
  return {
    /** `env` (a copy) recording what the rule compiled with it reads; `enabled`, whether the rule is. */
    record: (env: CompileEnv, enabled: boolean): CompileEnv => {
      const recording = recordingReads(env);
      reads.push({ ...recording, enabled });
      return recording.env;
    },
    /**
     * The parties each tally is read on, by tally id, directly or through derived facts: by every rule
     * (`unusedTallies`: a disabled rule reads a tally declared ahead of it, as a list), or by the enabled
     * rules only (`DeclaredTally.parties`: what the history store counts, summed for no disabled rule).
     */
    tallies: (enabledOnly: boolean): Map<string, Set<string>> => {
      const readers = reads.filter((read) => read.enabled || !enabledOnly);
      const facts = readers.flatMap((read) => [
        ...read.env.factsRead!.keys(),
        ...[...read.derived].flatMap((name) => derived.factsRead(name)),
      ]);
      const parties = new Map<string, Set<string>>();
      for (const path of facts) {
        const tally = tallyPathOf(path);
        if (tally?.id !== undefined)
          parties.set(tally.id, (parties.get(tally.id) ?? new Set()).add(tally.party));
      }
      return parties;
    },
    /**
     * The tallies some rule reads as this parcel's mark (`marks.<id>`), directly or through derived facts:
     * a tally read only so is in `unusedTallies`, its history read by none, and validate says why.
     */
    marks: (): Set<string> => {
      const facts = reads.flatMap((read) => [
        ...read.env.factsRead!.keys(),
        ...[...read.derived].flatMap((name) => derived.factsRead(name)),
      ]);
      return new Set(
        facts.filter((path) => path.startsWith(`${MARKS}.`)).map((path) => path.slice(MARKS.length + 1)),
      );
    },
  };
};

const readsHistory = (path: string): boolean => path === 'history' || path.startsWith('history.');
