import type { RuleSetDocument } from '../../core/rules/rule-set-schema.js';

/** A fact path naming a derived fact (`derived.valuePerKgCny`), wherever a fact path is written. */
const DERIVED_PATH = /^derived\.([A-Za-z][A-Za-z0-9]*)$/;
/** A reason's placeholder of a derived fact (`{derived.valuePerKgCny}`, `{derived.valuePerKgCny:0}`). */
const DERIVED_PLACEHOLDER = /\{derived\.([A-Za-z][A-Za-z0-9]*)(?::\d+)?\}/g;

/** What one part of a rule set (a rule, a tally, a derived fact's value) reads: derived facts and tables. */
interface Reads {
  derived: Set<string>;
  tables: Set<string>;
}

/**
 * Every derived fact and table a part of a document reads: each string that is a `derived.<name>` path
 * (a condition's fact, an operand, a quantifier's `of`, a lookup's key), each `lookup`'s table. Literal
 * text that is a fact path is refused at load time, so a string so written is a read.
 */
const readsOf = (value: unknown, reads: Reads = { derived: new Set(), tables: new Set() }): Reads => {
  if (typeof value === 'string') {
    const derived = DERIVED_PATH.exec(value);
    if (derived !== null) reads.derived.add(derived[1]!);
  } else if (Array.isArray(value)) for (const item of value) readsOf(item, reads);
  else if (typeof value === 'object' && value !== null)
    for (const [key, inner] of Object.entries(value)) {
      const table = key === 'lookup' ? (inner as { table?: unknown } | null)?.table : undefined;
      if (typeof table === 'string') reads.tables.add(table);
      readsOf(inner, reads);
    }
  return reads;
};

/**
 * The derived facts and tables of a rule set that nothing screening reads: no rule (enabled or not, as
 * for lists: one may be declared ahead of its rule) or tally reads them, directly or through a derived
 * fact that one reads. Valid, and computed for nothing: validate warns of them, as of unused lists.
 */
export const unusedDefinitions = (
  document: Pick<RuleSetDocument, 'rules' | 'tallies' | 'derived' | 'tables'>,
): { derived: string[]; tables: string[] } => {
  const used: Reads = { derived: new Set(), tables: new Set() };
  for (const rule of document.rules) {
    readsOf(rule.when, used);
    for (const match of rule.reason.matchAll(DERIVED_PLACEHOLDER)) used.derived.add(match[1]!);
  }
  for (const tally of Object.values(document.tallies ?? {})) readsOf([tally.when, tally.sum], used);
  // A derived fact read by one that is used is used, and what it reads too.
  const pending = [...used.derived];
  while (pending.length > 0) {
    const name = pending.pop()!;
    const derived = Object.hasOwn(document.derived, name) ? document.derived[name] : undefined;
    if (derived === undefined) continue;
    const reads = readsOf(derived.value);
    for (const table of reads.tables) used.tables.add(table);
    for (const read of reads.derived)
      if (!used.derived.has(read)) {
        used.derived.add(read);
        pending.push(read);
      }
  }
  return {
    derived: Object.keys(document.derived).filter((name) => !used.derived.has(name)),
    tables: Object.keys(document.tables).filter((name) => !used.tables.has(name)),
  };
};
