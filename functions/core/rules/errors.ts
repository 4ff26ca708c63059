/**
 * Load-time errors of a rule set. The core may not import `platform/` (it is pure), so this error
 * mirrors the AppError shape (`code`, `retryable`, `details`, forwarded `cause`) without extending it;
 * adapters and the edge treat it like any AppError.
 */

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
export class RuleSetError extends Error {
  readonly code = 'RULE_SET_INVALID';
  readonly retryable = false;
  readonly issues: readonly RuleSetIssue[];
  readonly details: Record<string, unknown>;

  constructor(issues: readonly RuleSetIssue[], options: { cause?: unknown } = {}) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first === undefined ? 'invalid rule set' : `${formatIssue(first)}${more}`, {
      cause: options.cause,
    });
    this.name = 'RuleSetError';
    this.issues = issues;
    this.details = { issues };
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
