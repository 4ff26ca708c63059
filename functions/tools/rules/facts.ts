import { didYouMean } from '../../core/rules/did-you-mean.js';
import {
  derivedFactEntries,
  type FactEntry,
  factsUnder,
  type ListEntry,
  listEntries,
  screeningFactEntries,
} from '../../core/rules/fact-catalogue.js';
import { ListDocumentSchema, RuleSetDocumentSchema } from '../../core/rules/index.js';
import { EXIT_FAILED, EXIT_OK, loadOrReport, out, ruleSetDirectory, UsageError } from './cli-shared.js';

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

/** The rule set's derived facts and lists, or undefined when it is invalid (its issues printed). */
const ruleSetParts = (directory: string): { derived: FactEntry[]; lists: ListEntry[] } | undefined => {
  const loaded = loadOrReport(directory);
  if (loaded === undefined) return undefined;
  // It compiled: its documents are what the schemas take.
  const document = RuleSetDocumentSchema.parse(loaded.input.ruleSet.document);
  const lists = loaded.input.lists.map((source) => ListDocumentSchema.parse(source.document));
  return { derived: derivedFactEntries(document), lists: listEntries(lists) };
};

/**
 * `facts [prefix] [--rule-set dir] [--json]`: every fact path a rule can read at or under `prefix`, with its
 * type, unit, whether it may be missing and what it means (core/rules/fact-catalogue.ts), the rule set's
 * derived facts and, without a prefix or with `list`, its lists. The rule set is read only when derived
 * facts or lists are asked for, so `facts parcel` answers beside a rule set being edited.
 */
export const facts = (prefix: string | undefined, ruleSet: string, json: boolean): number => {
  if (prefix !== undefined && prefix.trim() === '')
    throw new UsageError('facts takes a path prefix such as history.address, or none for every fact');
  const directory = ruleSetDirectory(ruleSet, '--rule-set');
  const screening = screeningFactEntries();
  const root = prefix?.split(/[.[]/)[0];
  // Read only for what the screening facts cannot answer: derived facts, lists, a root none of them has.
  const wantsRuleSet = root === undefined || !screening.some((entry) => entry.path === root);
  const parts = wantsRuleSet ? ruleSetParts(directory) : { derived: [], lists: [] };
  if (parts === undefined) return EXIT_FAILED;
  const all = [...screening, ...parts.derived];
  let shown: FactEntry[] = all;
  let lists: ListEntry[] = prefix === undefined ? parts.lists : [];
  if (root === LISTS) {
    const name = prefix!.slice(LISTS.length + 1);
    lists = name === '' ? parts.lists : parts.lists.filter((list) => list.name === name);
    if (name !== '' && lists.length === 0) {
      const names = parts.lists.map((list) => list.name);
      throw new UsageError(
        `unknown list ${name}; ${directory} has ${names.join(', ') || 'no lists'}${didYouMean(name, names, (found) => `${LISTS}.${found}`)}`,
      );
    }
    shown = [];
  } else if (prefix !== undefined) {
    const under = factsUnder(all, prefix);
    if ('error' in under) throw new UsageError(under.error);
    shown = under.entries;
  }
  if (json) {
    out(
      JSON.stringify({ facts: shown, ...(root === LISTS || prefix === undefined ? { lists } : {}) }, null, 2),
    );
    return EXIT_OK;
  }
  for (const entry of shown) for (const line of factLines(entry)) out(line);
  if (lists.length > 0) {
    if (shown.length > 0) out();
    out(`lists of ${directory} (compare with in: { list: <name> }):`);
    for (const list of lists) out(`  ${listLine(list)}`);
  }
  return EXIT_OK;
};
