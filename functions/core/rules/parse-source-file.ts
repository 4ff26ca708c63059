import type { z } from 'zod';
import { formatJsonPath } from '../json-path.js';
import type { RuleSetSourceFile } from './compile-rule-set.js';
import { shapeProblemOf } from './document-shape.js';
import type { IssueCollector } from './errors.js';
import { flattenZodIssues } from './zod-issues.js';

const ruleIdAt = (document: unknown, path: readonly PropertyKey[]): string | undefined => {
  if (path[0] !== 'rules' || typeof path[1] !== 'number') return undefined;
  const rules = (document as { rules?: unknown } | null)?.rules;
  const rule = Array.isArray(rules) ? (rules[path[1]] as { id?: unknown } | undefined) : undefined;
  return typeof rule?.id === 'string' ? rule.id : undefined;
};

/**
 * One source file (a rule set, a list, a case file) checked against its schema; every issue names the
 * file, the rule (when inside one) and the JSON path. Undefined when it does not parse.
 */
export const parseSourceFile = <T>(
  schema: z.ZodType<T>,
  source: RuleSetSourceFile,
  issues: IssueCollector,
): T | undefined => {
  const add = (path: readonly PropertyKey[], reason: string): undefined => {
    const ruleId = ruleIdAt(source.document, path);
    issues.add({
      file: source.file,
      ...(ruleId === undefined ? {} : { ruleId }),
      path: formatJsonPath(path),
      reason,
    });
  };
  const shape = shapeProblemOf(source.document);
  if (shape !== undefined) return add(shape.path, shape.reason);
  const parsed = schema.safeParse(source.document, { reportInput: true });
  if (parsed.success) return parsed.data;
  for (const issue of flattenZodIssues(parsed.error.issues)) add(issue.path, issue.reason);
  return undefined;
};
