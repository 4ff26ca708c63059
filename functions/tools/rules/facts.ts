import { type LoadedRuleSet, loadRuleSet } from '../../adapters/file-rule-set-source.js';
import { didYouMean } from '../../core/rules/did-you-mean.js';
import {
  derivedFactEntries,
  type FactEntry,
  factsUnder,
  type ListEntry,
  listEntries,
  markFactEntries,
  placesFactEntries,
  screeningFactEntries,
  tallyFactEntries,
} from '../../core/rules/fact-catalogue.js';
import { tallyPathOf } from '../../core/rules/fact-types.js';
import { ListDocumentSchema, RuleSetDocumentSchema, RuleSetError } from '../../core/rules/index.js';
import {
  defaultNote,
  EXIT_FAILED,
  EXIT_OK,
  err,
  loadOrReport,
  nameRuleSet,
  out,
  type RuleSetRead,
  ruleSetDirectory,
  UsageError,
} from './cli-shared.js';

/** The name a list is looked up by in `facts`: rules name one as `in: { list: <name> }`, not as a fact path. */
const LISTS = 'list';

const missingText = (entry: FactEntry): string => {
  if (entry.missingWith !== undefined) return `missing when ${entry.missingWith} is`;
  return entry.mayBeMissing ? 'may be missing' : 'always there';
};

/** Two lines a fact: its path, type, unit and whether it may be missing; then what it means. */
const factLines = (entry: FactEntry): string[] => [
  `${entry.path}  ${entry.type}${entry.unit === undefined ? '' : ` (${entry.unit})`}; ${missingText(entry)}`,
  `    ${entry.meaning}`,
];

const listLine = (list: ListEntry): string =>
  `${list.name}  version ${list.version}${list.holds === undefined ? '' : `, holds ${list.holds} keys`}${
    list.expires === undefined ? '' : `, expires ${list.expires}`
  }: ${list.meaning}`;

/** What `facts` lists of a rule set: its derived facts, tallies, this parcel's marks of them and lists. */
interface RuleSetParts {
  derived: FactEntry[];
  tallies: FactEntry[];
  marks: FactEntry[];
  lists: ListEntry[];
}
const NO_PARTS: RuleSetParts = { derived: [], tallies: [], marks: [], lists: [] };

const partsOf = (loaded: LoadedRuleSet): RuleSetParts => {
  // It compiled: its documents are what the schemas take.
  const document = RuleSetDocumentSchema.parse(loaded.input.ruleSet.document);
  const lists = loaded.input.lists.map((source) => ListDocumentSchema.parse(source.document));
  return {
    derived: derivedFactEntries(document),
    tallies: tallyFactEntries(document),
    marks: markFactEntries(document),
    lists: listEntries(lists),
  };
};

/** A history party's tallies (`history.address.tallies`), of a prefix naming them or one of them. */
const talliesOf = (prefix: string): string | undefined => {
  const tallies = tallyPathOf(prefix);
  return tallies === undefined ? undefined : `history.${tallies.party}.tallies`;
};

/** Whether a path is a party's `tallies` entry (`history.address.tallies`), not one of its tallies. */
const isTalliesEntry = (path: string): boolean => {
  const tallies = tallyPathOf(path);
  return tallies !== undefined && tallies.id === undefined;
};

/**
 * Under `history` the rule set adds only its tallies: when it does not load, the history facts are
 * listed without them, and `unlisted` says why (the load error's first line), for the run to fail on.
 */
const historyParts = (directory: string): { parts: RuleSetParts; unlisted?: string } => {
  try {
    return { parts: partsOf(loadRuleSet(directory)) };
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    return {
      parts: NO_PARTS,
      unlisted: `the tallies of ${directory} could not be listed: its rule set does not load: ${error.message}; npm run rules -- validate ${directory} tells every issue`,
    };
  }
};

/** A party's `tallies` entry, its meaning ending with the tallies of the rule set read. */
const withTalliesNamed = (
  entry: FactEntry,
  tallies: readonly FactEntry[],
  ruleSet: string,
  note: string,
  unlisted: boolean,
): FactEntry => {
  if (!isTalliesEntry(entry.path)) return entry;
  const own = tallies
    .filter((tally) => tally.path.startsWith(`${entry.path}.`))
    .map((tally) => tally.path.slice(entry.path.length + 1));
  let which = `rule set ${ruleSet} declares ${own.length === 0 ? 'none' : own.join(', ')}`;
  if (unlisted) which = `rule set ${ruleSet} does not load: its tallies are not listed`;
  return { ...entry, meaning: `${entry.meaning} (${which}${note})` };
};

/**
 * `facts [prefix] [--rule-set dir] [--json]`: every fact path a rule can read at or under `prefix`, with its
 * type, unit, whether it may be missing and what it means (core/rules/fact-catalogue.ts), the rule set's
 * tallies, this parcel's marks of them (`marks.<id>`) and derived facts and, without a prefix or with `list`, its lists. The rule set is read only when derived
 * facts, tallies or lists are asked for, so `facts parcel` answers beside a rule set being edited; under `history`,
 * one that does not load leaves out only its tallies, and the run fails saying so after the other facts.
 */
export const facts = (prefix: string | undefined, ruleSet: RuleSetRead, json: boolean): number => {
  if (prefix !== undefined && prefix.trim() === '')
    throw new UsageError('facts takes a path prefix such as history.address, or none for every fact');
  const directory = ruleSetDirectory(ruleSet.path, '--rule-set');
  // Named in every message about the rule set's own names (tallies, derived facts, lists).
  const named = nameRuleSet(ruleSet, directory);
  // The places facts the engine computes from the parcel (places.*) are every rule set's, as the screening facts are.
  const screening = [...screeningFactEntries(), ...placesFactEntries()];
  const root = prefix?.split(/[.[]/)[0];
  // Read only for what the screening facts cannot answer: derived facts, tallies (under history), lists,
  // a root none of them has.
  let parts = NO_PARTS;
  let unlisted: string | undefined;
  if (root === 'history') ({ parts, unlisted } = historyParts(directory));
  else if (root === undefined || !screening.some((entry) => entry.path === root)) {
    const loaded = loadOrReport(directory);
    if (loaded === undefined) return EXIT_FAILED;
    parts = partsOf(loaded);
  }
  // Each party's tallies right after its `tallies` entry.
  const all = screening.flatMap((entry) => [
    withTalliesNamed(entry, parts.tallies, directory, defaultNote(ruleSet), unlisted !== undefined),
    ...parts.tallies.filter((tally) => tally.path.startsWith(`${entry.path}.`) && isTalliesEntry(entry.path)),
  ]);
  all.push(...parts.derived, ...parts.marks);
  let shown: FactEntry[] = all;
  let lists: ListEntry[] = prefix === undefined ? parts.lists : [];
  if (root === LISTS) {
    const name = prefix!.slice(LISTS.length + 1);
    lists = name === '' ? parts.lists : parts.lists.filter((list) => list.name === name);
    if (name !== '' && lists.length === 0) {
      const names = parts.lists.map((list) => list.name);
      throw new UsageError(
        `unknown list ${name}; ${directory} has ${names.join(', ') || 'no lists'}${didYouMean(name, names, (found) => `${LISTS}.${found}`)}${ruleSet.isDefault ? ` (${directory} is the default: ${ruleSet.option} reads another)` : ''}`,
      );
    }
    shown = [];
  } else if (prefix !== undefined) {
    const under = factsUnder(all, prefix);
    // A tally of a party's tallies, of a rule set that did not load, may well be there: unlisted, not unknown.
    const tallies = talliesOf(prefix);
    if ('error' in under && unlisted !== undefined && all.some((entry) => entry.path === tallies)) {
      err(unlisted);
      return EXIT_FAILED;
    }
    if ('error' in under && root === 'marks' && parts.marks.length === 0) {
      // Not an unknown root: a rule set without a count or sum tally has no mark to read.
      const none =
        parts.tallies.length === 0
          ? 'declares no tallies'
          : 'declares no count or sum tally (a distinct tally has no mark)';
      throw new UsageError(
        `no fact ${prefix}: the rule set ${none}, so it has no marks.<id> (what this parcel adds to a tally) to read (${named})`,
      );
    }
    if ('error' in under) {
      // The rule set's own names: which rule set's they were looked up in.
      const own =
        all.some((entry) => entry.path === tallies) || root === 'marks'
          ? 'tallies'
          : root === 'derived'
            ? 'derived facts'
            : undefined;
      throw new UsageError(own === undefined ? under.error : `${under.error} (the ${own} of ${named})`);
    }
    shown = under.entries;
  }
  if (json) {
    out(
      JSON.stringify({ facts: shown, ...(root === LISTS || prefix === undefined ? { lists } : {}) }, null, 2),
    );
  } else {
    for (const entry of shown) for (const line of factLines(entry)) out(line);
    if (lists.length > 0) {
      if (shown.length > 0) out();
      out(`lists of ${directory}${defaultNote(ruleSet)} (compare with in: { list: <name> }):`);
      for (const list of lists) out(`  ${listLine(list)}`);
    }
  }
  if (unlisted !== undefined) {
    err(unlisted);
    return EXIT_FAILED;
  }
  return EXIT_OK;
};
