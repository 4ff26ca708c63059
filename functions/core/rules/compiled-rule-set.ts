import type { ParcelPlaces } from '../places/parcel-places.js';
import type { FiredRule, ScreeningPolicy } from '../screening/decision.js';
import type { ScreeningFacts } from '../screening/facts.js';
import { LANES, type Lane, laneRank } from '../screening/lane.js';
import { boundedAmount, type DeclaredTally, type TallyMark } from '../screening/tallies.js';
import type { DerivedRef } from './compile-env.js';
import { type CompiledRule, isEffective } from './compile-rule.js';
import type { CompiledTally } from './compile-tally.js';
import { EvaluationContext, FALSE, MISSING, TRUE } from './evaluation-context.js';
import type { CompiledLaneMapping } from './lane-mapping.js';
import { DECIMAL_PLACES } from './numeric.js';
import type {
  ConditionTrace,
  EvaluateOptions,
  EvaluationTrace,
  RuleTrace,
  TracedEvaluation,
} from './trace.js';

const MILLIONTHS = 10 ** DECIMAL_PLACES;

/**
 * Why a parcel does not mark a tally: its `when` is false or missing on the parcel's facts, or it is
 * true but the tally counts distinct values of a party key the parcel lacks (`parties.phone`), or sums
 * a number that is missing on the parcel (`sumMissing`: the sum as written).
 */
export type TallyWhyNot = 'false' | 'missing' | { lacks: string } | { sumMissing: string };

/** Whether a parcel marks a tally (as tallyMarks does), with what a sum tally adds, and why not when it does not. */
export type TallyVerdict = { marked: true; amount?: number } | { marked: false; whyNot: TallyWhyNot };

export interface CompiledRuleSetParts {
  id: string;
  label: string;
  version: string;
  rules: CompiledRule[];
  lanes: CompiledLaneMapping;
  derived: { name: string; read: DerivedRef['read'] }[];
  tallies: readonly CompiledTally[];
  /** Computes the marks (`marks.<id>`) rules and derived facts read, before any rule; none read, absent. */
  prepareMarks?: ((ctx: EvaluationContext) => void) | undefined;
  /** The places facts (`places.*`) of the parcel, for a trace; absent when no rule, derived fact or tally reads them. */
  explainPlaces?: ((ctx: EvaluationContext) => ParcelPlaces) | undefined;
  maxDepth: number;
  unusedLists: readonly string[];
  unusedTallies: readonly string[];
  unusedTalliesReadAsMarks: readonly string[];
}

/** A rule set compiled once: evaluate it on fully resolved facts, as often as needed. Pure and deterministic. */
export class CompiledRuleSet implements ScreeningPolicy {
  readonly id: string;
  readonly label: string;
  readonly version: string;
  /** Every rule id, in rule-set order. */
  readonly ruleIds: readonly string[];
  /** Ids of enabled rules: the ones a rule set's cases must fire. */
  readonly enabledRuleIds: readonly string[];
  /** Lists the rule set declares that no rule or derived fact reads (`rules -- validate` warns of them). */
  readonly unusedLists: readonly string[];
  /**
   * Tallies the rule set declares that no rule reads, directly or through a derived fact a rule reads:
   * still counted for every parcel that meets them, at a history write each (`rules -- validate` warns).
   */
  readonly unusedTallies: readonly string[];
  /** Of `unusedTallies`, those a rule reads only as this parcel's mark (`marks.<id>`), never their history. */
  readonly unusedTalliesReadAsMarks: readonly string[];
  /**
   * The tallies it declares, in file order, each with the parties its enabled rules read it on
   * (directly or through derived facts; HISTORY_PARTIES order): what the history store counts for them.
   */
  readonly tallies: readonly DeclaredTally[];
  private readonly compiledTallies: readonly CompiledTally[];
  private readonly rules: readonly CompiledRule[];
  private readonly active: readonly CompiledRule[];
  private readonly lanes: CompiledLaneMapping;
  private readonly derived: CompiledRuleSetParts['derived'];
  private readonly prepareMarks: CompiledRuleSetParts['prepareMarks'];
  private readonly explainPlaces: CompiledRuleSetParts['explainPlaces'];
  private readonly ctx: EvaluationContext;

  constructor(parts: CompiledRuleSetParts) {
    this.id = parts.id;
    this.label = parts.label;
    this.version = parts.version;
    this.rules = parts.rules;
    this.active = parts.rules.filter((rule) => rule.enabled);
    this.ruleIds = parts.rules.map((rule) => rule.id);
    this.enabledRuleIds = this.active.map((rule) => rule.id);
    this.unusedLists = parts.unusedLists;
    this.unusedTallies = parts.unusedTallies;
    this.unusedTalliesReadAsMarks = parts.unusedTalliesReadAsMarks;
    this.lanes = parts.lanes;
    this.derived = parts.derived;
    this.prepareMarks = parts.prepareMarks;
    this.explainPlaces = parts.explainPlaces;
    this.compiledTallies = parts.tallies;
    this.tallies = parts.tallies.map(({ id, counter, days, distinct, sum, parties }) =>
      Object.freeze({ id, counter, days, distinct, sum, parties: Object.freeze([...parties]) }),
    );
    this.ctx = new EvaluationContext(parts.derived.length, parts.maxDepth);
  }

  evaluate(facts: ScreeningFacts, options?: EvaluateOptions): TracedEvaluation {
    const ctx = this.ctx;
    ctx.begin(facts);
    try {
      // Outside every quantifier: a tally's own quantifiers use the rules' slots.
      this.prepareMarks?.(ctx);
      let millionths = 0;
      let forced = -1;
      const firedRules: FiredRule[] = [];
      const rules = this.active;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        if (rule.windowed && !isEffective(rule, ctx.nowMs)) continue;
        if (rule.condition.test(ctx) !== TRUE) continue;
        firedRules.push(this.fire(rule, ctx));
        millionths += rule.millionths;
        if (rule.lane !== undefined) forced = Math.max(forced, laneRank(rule.lane));
      }
      const score = millionths / MILLIONTHS;
      const banded = this.lanes.laneFor(score);
      const lane: Lane = forced > laneRank(banded) ? LANES[forced]! : banded;
      const evaluation: TracedEvaluation = {
        ruleSetId: this.id,
        ruleSetVersion: this.version,
        score,
        lane,
        firedRules,
      };
      if (options?.trace === true) evaluation.trace = this.traceAll(ctx, facts, firedRules);
      return evaluation;
    } catch (error) {
      ctx.clearVars();
      throw error;
    } finally {
      ctx.end();
    }
  }

  /**
   * What this parcel adds to its parties' tallies: a mark for each tally whose `when` is true on its
   * facts (missing or false marks nothing); a distinct tally's mark carries the parcel's party key of
   * its kind, and a parcel without that key marks nothing; a sum tally's carries its sum on the parcel,
   * and a parcel on which the sum is missing marks nothing. Each counter once. Apart from evaluate,
   * which it leaves as it is.
   */
  tallyMarks(facts: ScreeningFacts): TallyMark[] {
    const marks: TallyMark[] = [];
    const tallies = this.compiledTallies;
    if (tallies.length === 0) return marks;
    const ctx = this.ctx;
    ctx.begin(facts);
    try {
      for (const tally of tallies) {
        // Two tallies that count the same thing over other windows share a counter: marked once.
        if (marks.some((mark) => mark.counter === tally.counter)) continue;
        const verdict = this.markOf(tally, ctx, facts);
        if ('mark' in verdict) marks.push(verdict.mark);
      }
      return marks;
    } catch (error) {
      ctx.clearVars();
      throw error;
    } finally {
      ctx.end();
    }
  }

  /**
   * Whether these facts mark each tally, by tally id in the rule set's order (tallies sharing a counter
   * are marked together, as tallyMarks marks their counter once), and why not. Apart from evaluate.
   */
  tallyVerdicts(facts: ScreeningFacts): Map<string, TallyVerdict> {
    const verdicts = new Map<string, TallyVerdict>();
    const ctx = this.ctx;
    ctx.begin(facts);
    try {
      const whyNot = new Map<string, TallyWhyNot>();
      // The marks (tallies sharing a counter are marked together), by counter.
      const marked = new Map<string, TallyMark>();
      for (const tally of this.compiledTallies) {
        const verdict = this.markOf(tally, ctx, facts);
        if ('mark' in verdict) marked.set(tally.counter, verdict.mark);
        else whyNot.set(tally.id, verdict.whyNot);
      }
      for (const tally of this.compiledTallies) {
        const mark = marked.get(tally.counter);
        const why = whyNot.get(tally.id);
        verdicts.set(
          tally.id,
          mark === undefined && why !== undefined
            ? { marked: false, whyNot: why }
            : mark?.amount === undefined
              ? { marked: true }
              : { marked: true, amount: mark.amount },
        );
      }
      return verdicts;
    } catch (error) {
      ctx.clearVars();
      throw error;
    } finally {
      ctx.end();
    }
  }

  /** One tally on the facts `ctx` holds: the parcel's mark, or why the parcel does not mark it. */
  private markOf(
    tally: CompiledTally,
    ctx: EvaluationContext,
    facts: ScreeningFacts,
  ): { mark: TallyMark } | { whyNot: TallyWhyNot } {
    const result = tally.condition.test(ctx);
    if (result === FALSE) return { whyNot: 'false' };
    if (result === MISSING) return { whyNot: 'missing' };
    const { counter, key, amount } = tally;
    if (key !== undefined) {
      const value = facts.parties?.[key];
      return typeof value === 'string' && value !== ''
        ? { mark: { counter, value } }
        : { whyNot: { lacks: `parties.${key}` } };
    }
    if (amount === undefined) return { mark: { counter } };
    const added = amount.of(ctx);
    if (added === undefined) return { whyNot: { sumMissing: amount.described } };
    // A fact is not rounded (0.1234567 kg), a step is: rounding the amount as one makes every store add
    // 6 places. Bounded as `marks.<id>` reads it (boundedAmount).
    return { mark: { counter, amount: boundedAmount(added) } };
  }

  /**
   * Each tally's `when` on these facts, by tally id, traced as a rule's condition is (for the analyst
   * tools; a tally without `when` traces as an empty `all`, true).
   */
  traceTallies(facts: ScreeningFacts): Map<string, ConditionTrace> {
    const traces = new Map<string, ConditionTrace>();
    const ctx = this.ctx;
    ctx.begin(facts);
    try {
      for (const tally of this.compiledTallies) traces.set(tally.id, tally.condition.explain(ctx));
      return traces;
    } catch (error) {
      ctx.clearVars();
      throw error;
    } finally {
      ctx.end();
    }
  }

  laneFloor(lane: Lane): number | undefined {
    return this.lanes.floorOf(lane);
  }

  private fire(rule: CompiledRule, ctx: EvaluationContext): FiredRule {
    if (ctx.witnesses.size > 0) ctx.witnesses.clear();
    const values: Record<string, unknown> = {};
    rule.condition.record(ctx, values, TRUE);
    const reason = rule.reason.render(ctx, values);
    const fired: FiredRule = { ruleId: rule.id, title: rule.title, score: rule.score, reason, values };
    if (rule.lane !== undefined) fired.lane = rule.lane;
    return fired;
  }

  private traceAll(
    ctx: EvaluationContext,
    facts: ScreeningFacts,
    fired: readonly FiredRule[],
  ): EvaluationTrace {
    const firedIds = new Set(fired.map((rule) => rule.ruleId));
    const derived: Record<string, number | null> = {};
    for (const { name, read } of this.derived) derived[name] = read(ctx) ?? null;
    const rules: RuleTrace[] = this.rules.map((rule) => {
      if (!rule.enabled) return { ruleId: rule.id, status: 'disabled' };
      const condition = rule.condition.explain(ctx);
      if (!isEffective(rule, ctx.nowMs)) return { ruleId: rule.id, status: 'not-effective', condition };
      return { ruleId: rule.id, status: firedIds.has(rule.id) ? 'fired' : 'not-fired', condition };
    });
    const trace: EvaluationTrace = { now: facts.now, derived, rules };
    if (this.explainPlaces !== undefined) {
      const { facts: places, why, unresolvedPoints } = this.explainPlaces(ctx);
      trace.places = { facts: places, why, unresolvedPoints };
    }
    return trace;
  }
}
