import { AppError } from '../app-error.js';

/** Load-time errors of a rule set. */

/** One thing wrong with a rule set: where (file, rule id, JSON path) and why, in one line. */
export interface RuleSetIssue {
  file: string;
  /** The rule the problem is in, when it is inside a rule. */
  ruleId?: string;
  /** JSON path inside the file, e.g. `rules[2].when.all[0].gt`. */
  path: string;
  reason: string;
}

export const formatIssue = (issue: RuleSetIssue): string =>
  `${issue.file}${issue.ruleId === undefined ? '' : ` (rule ${issue.ruleId})`} at ${issue.path}: ${issue.reason}`;

/** A rule set that cannot be loaded: every issue found, the first one in the message. */
export class RuleSetError extends AppError {
  readonly issues: readonly RuleSetIssue[];

  constructor(issues: readonly RuleSetIssue[], options: { cause?: unknown } = {}) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super('RULE_SET_INVALID', first === undefined ? 'invalid rule set' : `${formatIssue(first)}${more}`, {
      cause: options.cause,
      details: { issues },
    });
    this.issues = issues;
  }
}

/** Collects issues while a rule set is checked, so one load reports all of them. */
export class IssueCollector {
  readonly issues: RuleSetIssue[] = [];

  add(issue: RuleSetIssue): void {
    this.issues.push(issue);
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new RuleSetError(this.issues);
  }
}
