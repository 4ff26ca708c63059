import type { Lane } from '../screening/lane.js';
import { type ConditionNode, compileCondition } from './compile-condition.js';
import { type CompileEnv, ROOT_SCOPE, report } from './compile-env.js';
import { DECIMAL_PLACES } from './numeric.js';
import { compileReason, type ReasonTemplate } from './reason-template.js';
import type { Rule } from './rule-set-schema.js';

export interface CompiledRule {
  id: string;
  title: string;
  score: number;
  /** The score in millionths, a whole number: scores add up exactly as whole numbers. */
  millionths: number;
  /** Lane the rule forces when it fires (its own `lane`, or a hard hit of the rule set). */
  lane: Lane | undefined;
  enabled: boolean;
  /** Effective window in epoch ms: from inclusive, until exclusive. */
  fromMs: number;
  untilMs: number;
  windowed: boolean;
  condition: ConditionNode;
  reason: ReasonTemplate;
}

export const compileRule = (rule: Rule, env: CompileEnv, at: string): CompiledRule => {
  const condition = compileCondition(rule.when, ROOT_SCOPE, env, `${at}.when`);
  const reason = compileReason(rule.reason, env, `${at}.reason`);
  const fromMs = rule.effectiveFrom === undefined ? Number.NEGATIVE_INFINITY : Date.parse(rule.effectiveFrom);
  const untilMs =
    rule.effectiveUntil === undefined ? Number.POSITIVE_INFINITY : Date.parse(rule.effectiveUntil);
  if (fromMs >= untilMs) {
    report(
      env,
      `${at}.effectiveUntil`,
      `effectiveUntil ${rule.effectiveUntil} is not after effectiveFrom ${rule.effectiveFrom}`,
    );
  }
  return {
    id: rule.id,
    title: rule.title,
    score: rule.score,
    millionths: Math.round(rule.score * 10 ** DECIMAL_PLACES),
    lane: rule.lane,
    enabled: rule.enabled,
    fromMs,
    untilMs,
    windowed: rule.effectiveFrom !== undefined || rule.effectiveUntil !== undefined,
    condition,
    reason,
  };
};

/** Whether a rule is in force at `nowMs`; an unreadable `now` puts no windowed rule in force. */
export const isEffective = (rule: CompiledRule, nowMs: number): boolean =>
  !rule.windowed || (nowMs >= rule.fromMs && nowMs < rule.untilMs);
