import type { FiredRule, ScreeningPolicy } from '../screening/decision.js';
import type { ScreeningFacts } from '../screening/facts.js';
import { LANES, type Lane, laneRank } from '../screening/lane.js';
import type { DerivedRef } from './compile-env.js';
import { type CompiledRule, isEffective } from './compile-rule.js';
import { EvaluationContext, TRUE } from './evaluation-context.js';
import type { CompiledLaneMapping } from './lane-mapping.js';
import { DECIMAL_PLACES } from './numeric.js';
import type { EvaluateOptions, EvaluationTrace, RuleTrace, TracedEvaluation } from './trace.js';

const MILLIONTHS = 10 ** DECIMAL_PLACES;

export interface CompiledRuleSetParts {
  id: string;
  label: string;
  version: string;
  rules: CompiledRule[];
  lanes: CompiledLaneMapping;
  derived: { name: string; read: DerivedRef['read'] }[];
  maxDepth: number;
  unusedLists: readonly string[];
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
  private readonly rules: readonly CompiledRule[];
  private readonly active: readonly CompiledRule[];
  private readonly lanes: CompiledLaneMapping;
  private readonly derived: CompiledRuleSetParts['derived'];
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
    this.lanes = parts.lanes;
    this.derived = parts.derived;
    this.ctx = new EvaluationContext(parts.derived.length, parts.maxDepth);
  }

  evaluate(facts: ScreeningFacts, options?: EvaluateOptions): TracedEvaluation {
    const ctx = this.ctx;
    ctx.begin(facts);
    try {
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
    return { now: facts.now, derived, rules };
  }
}
