import { boundedAmount } from '../screening/tallies.js';
import { type CompileEnv, report } from './compile-env.js';
import type { CompiledTally } from './compile-tally.js';
import { didYouMean } from './did-you-mean.js';
import { type EvaluationContext, TRUE } from './evaluation-context.js';
import type { RuleSetDocument } from './rule-set-schema.js';

/**
 * `marks.<tally id>`: what this parcel adds to one of the rule set's tallies, exactly as screening
 * records it (CompiledRuleSet.tallyMarks): a count tally 1 when the parcel marks it, a sum tally its
 * amount, else 0. Never missing: a `when` or a sum that is missing marks nothing, which is what history
 * will hold. So a rule for "this parcel included" adds it to `history.<party>.tallies.<id>` instead of
 * writing the tally's `when` a second time.
 */

/** The root of the marks' fact paths. */
export const MARKS = 'marks';

/** Whether a fact path reads a mark (`marks.<id>`, or `marks` alone). */
export const readsMarks = (path: string): boolean => path === MARKS || path.startsWith(`${MARKS}.`);

/** What the parcel of `ctx` adds to a count or sum tally (never a distinct one): 1 or its amount, else 0. */
const markValue = (tally: CompiledTally, ctx: EvaluationContext): number => {
  if (tally.condition.test(ctx) !== TRUE) return 0;
  if (tally.amount === undefined) return 1;
  const added = tally.amount.of(ctx);
  return added === undefined ? 0 : boundedAmount(added);
};

const distinctRefused = (id: string, distinct: string): string =>
  `${MARKS}.${id}: a distinct tally has no mark to read: whether this parcel's ${distinct} adds to the count depends on history (a key counted before adds nothing); read history.<party>.tallies.${id}`;

/** What compiling needs of the marks: their readers, and how to compute those read before the rules run. */
export interface MarkRegistry {
  /** The reader of `marks.<id>`, or undefined (reported at `at`): an unknown or distinct tally. */
  resolve(id: string, at: string, env: CompileEnv): ((ctx: EvaluationContext) => number) | undefined;
  /** The tallies compiled (compileTallies), whose `when` and `sum` the readers compute. */
  bind(tallies: readonly CompiledTally[]): void;
  /**
   * Computes each mark some rule or derived fact reads, once per evaluation and before any rule (a
   * tally's quantifiers use the rules' slots, so it is not computed inside one); nothing when none is read.
   */
  prepare(): ((ctx: EvaluationContext) => void) | undefined;
}

/**
 * The marks of a rule set's tallies: resolved by id as rules and derived facts compile (derived facts
 * compile before the tallies), computed from the compiled tallies once they are bound.
 */
export const markRegistry = (document: Pick<RuleSetDocument, 'tallies'>): MarkRegistry => {
  const declared = document.tallies ?? {};
  const ids = Object.keys(declared);
  const compiled = new Map<string, CompiledTally>();
  // One memo per mark read: its value for the evaluation of epoch `epoch`.
  const read = new Map<string, { epoch: number; value: number }>();
  const compute = (id: string, ctx: EvaluationContext): number => {
    const tally = compiled.get(id);
    return tally === undefined ? 0 : markValue(tally, ctx);
  };
  return {
    resolve: (id, at, env) => {
      if (!Object.hasOwn(declared, id)) {
        const known = ids.length > 0 ? ids.join(', ') : 'none (a rule set declares them under tallies)';
        const meant = didYouMean(id, ids, (found) => `${MARKS}.${found}`);
        return report(
          env,
          at,
          `unknown tally ${id} in ${MARKS}.${id}; the rule set's tallies: ${known}${meant}`,
        );
      }
      const distinct = declared[id]!.distinct;
      if (distinct !== undefined) return report(env, at, distinctRefused(id, distinct));
      let memo = read.get(id);
      if (memo === undefined) {
        memo = { epoch: -1, value: 0 };
        read.set(id, memo);
      }
      const own = memo;
      return (ctx) => {
        if (own.epoch !== ctx.epoch) {
          own.value = compute(id, ctx);
          own.epoch = ctx.epoch;
        }
        return own.value;
      };
    },
    bind: (tallies) => {
      for (const tally of tallies) compiled.set(tally.id, tally);
    },
    prepare: () => {
      const marks = [...read];
      if (marks.length === 0) return undefined;
      return (ctx) => {
        for (const [id, memo] of marks) {
          memo.value = compute(id, ctx);
          memo.epoch = ctx.epoch;
        }
      };
    },
  };
};
