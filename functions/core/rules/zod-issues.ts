import type { z } from 'zod';

/** A zod issue reduced to a JSON path and a one-line reason. */
export interface PathIssue {
  path: readonly PropertyKey[];
  reason: string;
}

/**
 * Flattens zod issues. For a union (a number or an expression object, a list or literal values) it reports
 * the branch whose type matched the input, not "Invalid input".
 */
export const flattenZodIssues = (
  issues: readonly z.core.$ZodIssue[],
  base: readonly PropertyKey[] = [],
): PathIssue[] =>
  issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const matching = issue.errors.filter(
        (branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
      );
      if (matching.length > 0) return flattenZodIssues(matching[0]!, path);
      const expected = issue.errors.map(
        (branch) => (branch[0] as { expected?: string } | undefined)?.expected,
      );
      return [{ path, reason: `expected ${[...new Set(expected.filter(Boolean))].join(' or ')}` }];
    }
    // A record key the key schema refuses (a derived fact's or a table's name): its own reason, at the key.
    if (issue.code === 'invalid_key' && issue.issues.length > 0) return flattenZodIssues(issue.issues, path);
    // A value outside a set (a lane): the set, and what was written when the parse reports it.
    if (issue.code === 'invalid_value' && issue.values.length > 1) {
      const written = !('input' in issue)
        ? ''
        : issue.input === undefined
          ? ', but none is written'
          : `, not ${JSON.stringify(issue.input)}`;
      return [{ path, reason: `expected one of ${issue.values.map(String).join(', ')}${written}` }];
    }
    if (issue.code === 'unrecognized_keys') {
      return [{ path, reason: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` }];
    }
    return [{ path, reason: issue.message }];
  });
