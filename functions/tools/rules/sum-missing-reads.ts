import { screeningFactEntries } from '../../core/rules/fact-catalogue.js';
import { tallyPathOf } from '../../core/rules/fact-types.js';
import type { Condition, Expression, RuleSetDocument, Tally } from '../../core/rules/rule-set-schema.js';

/**
 * What `validate` warns of a sum tally: the facts its sum reads that may be missing (as `rules -- facts`
 * says of them), so that a parcel without one adds nothing to the sum, silently. Read directly, through
 * derived facts, and as a table lookup's key; a coalesce with an operand that is always there reads none
 * of its operands' missing facts. Not told: a key a table without default lacks (a rates table's unknown
 * currency has no value to give, by design), a `where` of an aggregate, a division by zero.
 */

/** A fact a sum reads that may be missing (as `facts` writes it, `parcel.goods[].x`), and the derived fact it is read through. */
export interface MissingRead {
  fact: string;
  through?: string;
}

/** The catalogue's paths of the screening facts that may be missing (`parcel.measuredWeightKg`). */
let missable: ReadonlySet<string> | undefined;
const mayBeMissing = (path: string): boolean => {
  missable ??= new Set(screeningFactEntries().flatMap((entry) => (entry.mayBeMissing ? [entry.path] : [])));
  return missable.has(path);
};

/** Quantifier variables (`line`) by the catalogue path of the elements they stand for (`parcel.goods[]`). */
type Variables = ReadonlyMap<string, string>;

/** A path as written (`line.weightKg`, `parcel.goods[0].x`) as the catalogue writes it (`parcel.goods[].weightKg`). */
const catalogued = (path: string, variables: Variables): string => {
  const head = /^[^.[]+/.exec(path)![0];
  const element = variables.get(head);
  const whole = element === undefined ? path : `${element}${path.slice(head.length)}`;
  return whole.replace(/\[\d+\]/g, '[]');
};

type Derived = RuleSetDocument['derived'];

/**
 * The facts an expression reads that may be missing, each labelled with the derived fact it is read
 * through. A fact or derived fact in `guarded` is there whenever the sum is counted: it reads none, and
 * makes a coalesce it is an operand of always there. Each derived fact's reads are worked out once
 * (`reads`, by name) and given once each fact: a derived fact read many times, as a diamond of derived
 * facts reads its base, costs one pass.
 */
const makeReadsOf = (derived: Derived, guarded: ReadonlySet<string>) => {
  const reads = new Map<string, readonly string[]>();
  const readsOfDerived = (name: string): readonly string[] => {
    let facts = reads.get(name);
    if (facts === undefined) {
      facts = [...new Set(readsOf(derived[name]!.value, new Map(), undefined).map(({ fact }) => fact))];
      reads.set(name, facts);
    }
    return facts;
  };
  const readsOf = (
    expression: Expression,
    variables: Variables,
    through: string | undefined,
  ): MissingRead[] => {
    if (typeof expression === 'number') return [];
    const fact = (path: string): MissingRead[] => {
      const name = path.startsWith('derived.') ? path.slice('derived.'.length) : undefined;
      if (name !== undefined && Object.hasOwn(derived, name)) {
        if (guarded.has(path)) return [];
        return readsOfDerived(name).map((read) => ({ fact: read, through: through ?? path }));
      }
      const written = catalogued(path, variables);
      // A tally is never missing (0 when nothing was counted): the catalogue lists its party's entry only.
      if (guarded.has(written) || tallyPathOf(written)?.id !== undefined || !mayBeMissing(written)) return [];
      return [{ fact: written, ...(through === undefined ? {} : { through }) }];
    };
    const all = (operands: readonly Expression[]) =>
      operands.flatMap((operand) => readsOf(operand, variables, through));
    if (expression.fact !== undefined) return fact(expression.fact);
    for (const key of ['add', 'sub', 'mul', 'div', 'min', 'max'] as const) {
      const operands = expression[key];
      if (operands !== undefined) return all(operands);
    }
    if (expression.coalesce !== undefined) {
      // Missing only when every operand is: none is, once one of them is always there.
      const each = expression.coalesce.map((operand) => readsOf(operand, variables, through));
      return each.every((reads) => reads.length > 0) ? each.flat() : [];
    }
    if (expression.lookup !== undefined) return fact(expression.lookup.key);
    if (expression.daysSince !== undefined) return fact(expression.daysSince);
    if (expression.daysBetween !== undefined) return expression.daysBetween.flatMap(fact);
    for (const key of ['localHour', 'weekday'] as const) {
      const local = expression[key];
      if (local !== undefined)
        return [...fact(local.of), ...(typeof local.zone === 'string' ? [] : fact(local.zone.fact))];
    }
    for (const key of ['sum', 'count', 'maxOf', 'minOf'] as const) {
      const aggregate = expression[key];
      if (aggregate === undefined) continue;
      const of = fact(aggregate.of);
      if (!('value' in aggregate)) return of;
      const inner = new Map(variables).set(
        aggregate.as ?? 'item',
        `${catalogued(aggregate.of, variables)}[]`,
      );
      return [...of, ...readsOf(aggregate.value, inner, through)];
    }
    return [];
  };
  return (expression: Expression): MissingRead[] => readsOf(expression, new Map(), undefined);
};

/**
 * The facts a `when` cannot be true without (as the catalogue writes them): a condition on a fact that
 * is missing is missing (never true), but for `missing`, and for `exists` under a `not`. Read in an
 * `all`, an `any` (of each of its parts), a `not` of one fact; nothing under a quantifier.
 */
const guardedBy = (condition: Condition | undefined): Set<string> => {
  if (condition === undefined) return new Set();
  if (condition.all !== undefined) return new Set(condition.all.flatMap((part) => [...guardedBy(part)]));
  if (condition.any !== undefined) {
    const [first, ...rest] = condition.any.map(guardedBy);
    return new Set([...(first ?? [])].filter((path) => rest.every((part) => part.has(path))));
  }
  const leaf = condition.not ?? condition;
  if (leaf.fact === undefined) return new Set();
  const negated = condition.not !== undefined;
  if (negated ? leaf.exists !== undefined : leaf.missing !== undefined) return new Set();
  const right = [leaf.eq, leaf.ne, leaf.lt, leaf.lte, leaf.gt, leaf.gte].flatMap((operand) =>
    operand !== null && typeof operand === 'object' ? [operand.fact] : [],
  );
  return new Set([leaf.fact, ...right].map((path) => catalogued(path, new Map())));
};

/**
 * The facts a sum tally's sum reads that may be missing, once each, but those its `when` needs to be
 * true, and those read through a derived fact its `when` needs (`when: { fact: derived.m, gt: 0 }`).
 */
export const sumMissingReads = (tally: Tally, derived: Derived): MissingRead[] => {
  if (tally.sum === undefined) return [];
  const seen = new Set<string>();
  return makeReadsOf(
    derived,
    guardedBy(tally.when),
  )(tally.sum).filter(({ fact }) => {
    if (seen.has(fact)) return false;
    seen.add(fact);
    return true;
  });
};

/** validate's warning of one of them (after `warn <file>: `). */
export const sumMissingWarning = (id: string, { fact, through }: MissingRead): string =>
  `tallies.${id}.sum reads ${fact}${through === undefined ? '' : ` (through ${through})`}, which may be missing: a parcel without it adds nothing to the sum (coalesce gives a default)`;
