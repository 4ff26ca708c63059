import type { z } from 'zod';
import { quoteNumber } from './compile-list.js';

/** A zod issue reduced to a JSON path and a one-line reason. */
export interface PathIssue {
  path: readonly PropertyKey[];
  reason: string;
}

/** zod's words for a field left out (`Invalid input: expected object, received undefined`). */
const LEFT_OUT = /^Invalid input: expected (.+), received undefined$/;

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
      // A union that says what it takes (an expression's: ExpressionSchema) says it itself.
      if (issue.message !== 'Invalid input') return [{ path, reason: issue.message }];
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
      // A schema that says what its fields are (an expression's: the expressions) says it itself.
      if (!issue.message.startsWith('Unrecognized key')) return [{ path, reason: issue.message }];
      return [{ path, reason: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` }];
    }
    // A list's value YAML read as a number where text is needed (`startsWith: [06, 07]`): how to keep it text.
    if (
      issue.code === 'invalid_type' &&
      issue.expected === 'string' &&
      typeof issue.input === 'number' &&
      typeof path.at(-1) === 'number'
    )
      return [{ path, reason: `expected text, not the number ${issue.input}: ${quoteNumber(issue.input)}` }];
    // A number written as text (`score: "30"`): the number to write, not zod's "received string". A field
    // whose schema says what it takes (a table's entries) says it itself.
    if (
      issue.code === 'invalid_type' &&
      issue.expected === 'number' &&
      typeof issue.input === 'string' &&
      issue.message.startsWith('Invalid input')
    ) {
      const written = JSON.stringify(issue.input);
      const unquoted = Number.isFinite(Number(issue.input)) && issue.input.trim() !== '';
      return [
        {
          path,
          reason: `expected a number, not ${written}${unquoted ? `: write ${issue.input} without quotes` : ''}`,
        },
      ];
    }
    // A required field left out, in the manifest contract's words (events/input-issues.ts).
    const leftOut = issue.code === 'invalid_type' ? LEFT_OUT.exec(issue.message) : null;
    if (leftOut !== null) return [{ path, reason: `missing: a required field, expected ${leftOut[1]}` }];
    return [{ path, reason: issue.message }];
  });
