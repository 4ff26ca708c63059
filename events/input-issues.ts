import type { z } from 'zod';
import { formatJsonPath } from '../functions/core/json-path.js';
import { type InputIssue, MalformedInputError, ValidationError } from '../functions/platform/errors.js';
import { jsonErrorOffset, lineAndColumnOf } from './json-error-position.js';

/** zod issues as what/where pairs: a JSON path and a one-line reason. */
export const toInputIssues = (error: z.ZodError): InputIssue[] =>
  error.issues.map((issue) => ({
    path: formatJsonPath([...issue.path]),
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `'${key}'`).join(', ')}`
        : issue.message,
  }));

/**
 * Parses request JSON text; a body that is not JSON is a MalformedInputError (400) saying where. Not with
 * the parser's own message: V8 quotes the text it fails on, a phone number say, and refusals are logged.
 */
export const parseJsonText = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedInputError(
      `request body is not valid JSON${whereJsonFails(text, (error as Error).message)}`,
    );
  }
};

const whereJsonFails = (text: string, message: string): string => {
  if (text.trim() === '') return ': the body is empty';
  if (text.startsWith('\uFEFF')) return ': it starts with a byte order mark (U+FEFF); send UTF-8 without one';
  if (message.startsWith('Unexpected end of JSON input')) {
    return `: it ends (after ${text.length} characters) before the JSON value is complete`;
  }
  // Found by scanning: V8 gives no position for many errors (`NaN`, `tru`, a single-quoted string).
  const offset = jsonErrorOffset(text);
  if (offset === undefined || offset >= text.length) return '';
  const { line, column } = lineAndColumnOf(text, offset);
  return ` at line ${line}, column ${column}`;
};

/** Validates a request input (body, query) against its schema; failures name every path (422). */
export const parseInput = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`${what} is not valid`, toInputIssues(parsed.error));
  return parsed.data;
};
