import type { RuleSetSourceFile } from './compile-rule-set.js';
import { IssueCollector } from './errors.js';
import { parseSourceFile } from './parse-source-file.js';
import { RuleSetDocumentSchema } from './rule-set-schema.js';

/** One rule of a rule set as its readers name it: id, title and whether it is switched on. */
export interface RuleOutline {
  id: string;
  title: string;
  enabled: boolean;
}

/** What a rule set is (its id and human label) and its rules, in the rule set's order. */
export interface RuleSetOutline {
  ruleSetId: string;
  label: string;
  rules: RuleOutline[];
}

/**
 * The outline of a rule-set file, checked with the one rule-set schema but not compiled: no lists,
 * tables, facts or party-key salt are needed, so a reader of rule statistics can name the deployed
 * rules without what screening needs. A file the schema refuses throws a RuleSetError naming the file,
 * rule and path, as loading it would.
 */
export const outlineRuleSet = (source: RuleSetSourceFile): RuleSetOutline => {
  const issues = new IssueCollector();
  const document = parseSourceFile(RuleSetDocumentSchema, source, issues);
  issues.throwIfAny();
  const { id, label, rules } = document!;
  return {
    ruleSetId: id,
    label,
    rules: rules.map((rule) => ({ id: rule.id, title: rule.title, enabled: rule.enabled })),
  };
};
