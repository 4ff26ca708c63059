import { z } from 'zod';
import { baselineFacts, mergeFacts } from '../../../functions/core/rules/cases/index.js';
import {
  type CompiledRuleSet,
  compileRuleSet,
  RuleSetError,
  type RuleSetInput,
  type RuleSetIssue,
  ruleSetJsonSchemas,
} from '../../../functions/core/rules/index.js';
import type { ScreeningFacts } from '../../../functions/core/screening/facts.js';

/** Small builders for rule-set documents in unit tests: only what a test is about is written out. */

export const RULE_SET_FILE = 'rules/test/rule-set.yaml';
export const listFile = (name: string) => `rules/test/lists/${name}.yaml`;

export const rule = (id: string, when: unknown, extra: Record<string, unknown> = {}) => ({
  id,
  title: `rule ${id}`,
  owner: 'tests',
  severity: 'low',
  score: 10,
  reason: `${id} fired`,
  when,
  ...extra,
});

export const list = (name: string, values: unknown[], extra: Record<string, unknown> = {}) => ({
  name,
  version: 1,
  owner: 'tests',
  description: `list ${name}`,
  values,
  ...extra,
});

export interface RuleSetParts {
  rules: unknown[];
  lists?: Record<string, unknown>[];
  tables?: Record<string, unknown>;
  derived?: Record<string, unknown>;
  lanes?: unknown;
  extra?: Record<string, unknown>;
}

export const DEFAULT_LANES = {
  bands: [
    { from: 0, lane: 'release' },
    { from: 30, lane: 'review' },
    { from: 60, lane: 'hold' },
  ],
};

export const ruleSetInput = (parts: RuleSetParts): RuleSetInput => {
  const lists = parts.lists ?? [];
  return {
    ruleSet: {
      file: RULE_SET_FILE,
      document: {
        id: 'test',
        label: 'test-1',
        description: 'rule set under test',
        owner: 'tests',
        lists: lists.map((item) => item.name),
        tables: parts.tables ?? {},
        derived: parts.derived ?? {},
        rules: parts.rules,
        lanes: parts.lanes ?? DEFAULT_LANES,
        ...parts.extra,
      },
    },
    lists: lists.map((item) => ({ file: listFile(String(item.name)), document: item })),
  };
};

export const compile = (parts: RuleSetParts): CompiledRuleSet => compileRuleSet(ruleSetInput(parts));

/** Baseline facts (an ordinary parcel) with a partial patch merged over them. */
export const facts = (patch: unknown = {}): ScreeningFacts => mergeFacts(baselineFacts(), patch);

export const firedIds = (policy: CompiledRuleSet, patch: unknown = {}): string[] =>
  policy.evaluate(facts(patch)).firedRules.map((fired) => fired.ruleId);

/** Compiles one rule `r` with `when` and tells whether it fires on the patched baseline facts. */
export const fires = (when: unknown, patch: unknown = {}, parts: Partial<RuleSetParts> = {}): boolean =>
  firedIds(compile({ ...parts, rules: [rule('r', when)] }), patch).includes('r');

export const goodsLine = (overrides: Record<string, unknown> = {}) => ({
  description: 'Silicone phone case',
  hsCode: '392690',
  quantity: 1,
  declaredValue: { amount: 10, currency: 'CNY' },
  ...overrides,
});

/** A facts patch whose parcel's goods are one line a [amount, currency], declaring that value. */
export const goodsOfValues = (...lines: [number, string][]) => ({
  parcel: { goods: lines.map(([amount, currency]) => goodsLine({ declaredValue: { amount, currency } })) },
});

/** The issues a load refuses with; fails the test when it does not refuse. */
export const issuesOf = (run: () => unknown): readonly RuleSetIssue[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof RuleSetError) return error.issues;
    throw error;
  }
  throw new Error('expected a RuleSetError');
};

/** A rule set document of one rule, as an analyst writes it in an editor. */
export const editorRuleSet = (ruleId: string, when: unknown) => ({
  id: 'editor',
  label: 'x',
  description: 'a rule set for the editor schema',
  owner: 'tests',
  rules: [rule(ruleId, when)],
  lanes: { bands: [{ from: 0, lane: 'release' }] },
});

let editorSchema: z.ZodType | undefined;
/** Whether the editors' JSON Schema of a rule set (`npm run rules -- schema`) takes the document. */
export const editorTakes = (document: unknown): boolean => {
  editorSchema ??= z.fromJSONSchema(ruleSetJsonSchemas()['rule-set'] as z.core.JSONSchema.JSONSchema);
  return editorSchema.safeParse(document).success;
};

/** Rates into CNY, as rules/default's `cny-per-unit`: what a sum tally over declared values converts with. */
export const CNY_PER_UNIT = {
  description: 'CNY per unit of each currency',
  unit: 'CNY',
  match: 'exact',
  entries: { CNY: 1, USD: 7.1 },
};

/** A goods line's declared value in CNY, through CNY_PER_UNIT (missing for a currency it lacks). */
export const LINE_VALUE_CNY = {
  mul: [
    { fact: 'line.declaredValue.amount' },
    { lookup: { table: 'cny-per-unit', key: 'line.declaredValue.currency' } },
  ],
};

/** rules/default's `goodsValueCny`: the declared value of all goods lines in CNY. */
export const GOODS_VALUE_CNY = {
  description: 'declared value of all goods lines in CNY (missing for an unknown currency)',
  unit: 'CNY',
  value: { sum: { of: 'parcel.goods', as: 'line', value: LINE_VALUE_CNY } },
};
