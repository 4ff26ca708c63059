import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../functions/platform/errors.js';
import { toProblem } from '../../functions/platform/middleware/problem-details.js';
import {
  PROBLEM_TYPES,
  problemTypeAt,
  problemTypeOf,
  problemTypePath,
} from '../../functions/platform/problem-types.js';

/** The rows of the README's problem table: status, type, when. */
const readmeRows = (): string[][] => {
  const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| status | `type` | when |'));
  const lines = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
  return lines.map((line) =>
    line
      .slice(2, -2)
      .split(' | ')
      .map((cell, i) => (i === 1 ? cell.replaceAll('`', '') : cell)),
  );
};

describe('problem types', () => {
  it("are the README's problem table, row for row", () => {
    // Act
    const fromRegistry = PROBLEM_TYPES.map((type) => [
      String(type.status),
      problemTypePath(type.code),
      type.when,
    ]);
    // Assess
    expect(readmeRows()).toEqual(fromRegistry);
  });

  it('name one type per code and per path, which the lookups find', () => {
    // Act
    const paths = PROBLEM_TYPES.map((type) => problemTypePath(type.code));
    // Assess
    expect(new Set(PROBLEM_TYPES.map((type) => type.code)).size).toBe(PROBLEM_TYPES.length);
    expect(new Set(paths).size).toBe(PROBLEM_TYPES.length);
    for (const type of PROBLEM_TYPES) {
      expect(problemTypeOf(type.code)).toBe(type);
      expect(problemTypeAt(problemTypePath(type.code))).toBe(type);
    }
    expect(problemTypeAt('/problems/nothing')).toBeUndefined();
  });

  it.each([
    ['MALFORMED_INPUT', 400, 'Malformed request', '/problems/malformed-input'],
    ['UNAUTHORIZED', 401, 'Unauthorized', '/problems/unauthorized'],
    ['FORBIDDEN', 403, 'Forbidden', '/problems/forbidden'],
    ['NOT_FOUND', 404, 'Not found', '/problems/not-found'],
    ['METHOD_NOT_ALLOWED', 405, 'Method not allowed', '/problems/method-not-allowed'],
    ['CONFLICT', 409, 'Conflict', '/problems/conflict'],
    ['PAYLOAD_TOO_LARGE', 413, 'Payload too large', '/problems/payload-too-large'],
    ['UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported media type', '/problems/unsupported-media-type'],
    ['VALIDATION_FAILED', 422, 'Validation failed', '/problems/validation-failed'],
    ['RATE_LIMITED', 429, 'Too many requests', '/problems/rate-limited'],
    ['DEPENDENCY_UNAVAILABLE', 503, 'Service unavailable', '/problems/dependency-unavailable'],
  ])('answer an error coded %s with status %i, title "%s" and type %s', (code, status, title, type) => {
    // Act
    const problem = toProblem(new AppError(code, 'what went wrong'), 'req-1');
    // Assess
    expect(problem).toMatchObject({ type, status, title, code });
  });

  it('answer an error of any other code, and no error, as an internal one that says nothing', () => {
    // Act
    const unknown = toProblem(new AppError('CONFIG_INVALID', 'TABLE is missing'), 'req-2');
    const none = toProblem(undefined, 'req-3');
    // Assess
    for (const problem of [unknown, none]) {
      expect(problem).toMatchObject({
        type: '/problems/internal',
        status: 500,
        title: 'Internal error',
        code: 'INTERNAL',
      });
      expect(problem.detail).not.toContain('TABLE');
    }
  });
});
