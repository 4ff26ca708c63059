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

const LINE_BREAKS: Record<string, string> = {
  '\r': '\\r',
  '\n': '\\n',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** Text written in a file (a regex, a key, a field name) may hold line breaks: written escaped, an issue stays one line. */
export const oneLine = (text: string): string =>
  text.replace(/[\r\n\u2028\u2029]/g, (brk) => LINE_BREAKS[brk]!);

const onOneLine = (issue: RuleSetIssue): RuleSetIssue => ({
  ...issue,
  ...(issue.ruleId === undefined ? {} : { ruleId: oneLine(issue.ruleId) }),
  file: oneLine(issue.file),
  path: oneLine(issue.path),
  reason: oneLine(issue.reason),
});

/** A rule set that cannot be loaded: every issue found, each on one line, the first one in the message. */
export class RuleSetError extends AppError {
  readonly issues: readonly RuleSetIssue[];

  constructor(found: readonly RuleSetIssue[], options: { cause?: unknown } = {}) {
    const issues = found.map(onOneLine);
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
