import type { z } from 'zod';
import { formatJsonPath } from '../functions/core/json-path.js';
import { type InputIssue, MalformedInputError, ValidationError } from '../functions/platform/errors.js';
import { jsonErrorOffset, lineAndColumnOf } from './json-error-position.js';
import { firstRepeatedName } from './json-repeated-names.js';

/** zod's words for a field left out (its issues carry no input): `Invalid input: expected string, received undefined`. */
const LEFT_OUT = /^Invalid input: expected (.+), received undefined$/;

const reasonOf = (issue: z.core.$ZodIssue): string => {
  const leftOut = issue.code === 'invalid_type' ? LEFT_OUT.exec(issue.message) : null;
  return leftOut === null ? issue.message : `missing: a required field, expected ${leftOut[1]}`;
};

/**
 * A zod issue as what/where pairs: a JSON path and a one-line reason. Unknown fields are one pair each,
 * at the field's own path (its object's path and its name), not at the object holding it.
 */
export const inputIssuesOf = (issue: z.core.$ZodIssue): InputIssue[] =>
  issue.code === 'unrecognized_keys'
    ? issue.keys.map((key) => ({
        path: formatJsonPath([...issue.path, key]),
        message: `unknown field '${key}'`,
      }))
    : [{ path: formatJsonPath([...issue.path]), message: reasonOf(issue) }];

/** zod issues as what/where pairs, in zod's order. */
export const toInputIssues = (error: z.ZodError): InputIssue[] => error.issues.flatMap(inputIssuesOf);

/**
 * Parses request JSON text; a body that is not JSON is a MalformedInputError (400) saying where, and one
 * that gives a name twice in one object a ValidationError (422) naming its path (refuseRepeatedNames).
 */
export const parseJsonText = (text: string): unknown => {
  const json = parseJsonSyntax(text);
  refuseRepeatedNames(text);
  return json;
};

/**
 * Parses request JSON text, names given twice and all (JSON.parse keeps the last): for a caller that
 * must read a field before it may judge the rest, as ingest reads the partner id before the signature.
 * A body that is not JSON is a MalformedInputError (400) saying where. Not with the parser's own
 * message: V8 quotes the text it fails on, a phone number say, and refusals are logged.
 */
export const parseJsonSyntax = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedInputError(`request body is not valid JSON${whereJsonFails(text)}`);
  }
};

/**
 * Refuses JSON text (that JSON.parse took) giving a name twice in one object with a ValidationError
 * (422) naming its path: parsers differ on which of them counts. With `only`, only such a name whose
 * path it takes (see firstRepeatedName).
 */
export const refuseRepeatedNames = (
  text: string,
  only?: (path: readonly (string | number)[]) => boolean,
): void => {
  const repeated = firstRepeatedName(text, only);
  if (repeated === undefined) return;
  throw new ValidationError('request body gives a name twice in one object', [
    {
      path: formatJsonPath(repeated.path),
      message: 'given twice in one object: JSON parsers differ on which one counts, so send each name once',
    },
  ]);
};

/**
 * Where the text stops being JSON, found by scanning it (jsonErrorOffset), never from V8's message: V8
 * gives no position for many errors (`NaN`, `tru`, a single-quoted string), and words a body cut off in
 * transfer differently by where it is cut (after a number, inside a string, after a member). Text that
 * is JSON so far but stops at its end ends too soon, said so with where it ends.
 */
const whereJsonFails = (text: string): string => {
  // JSON's whitespace only: a body of no-break spaces is not empty, it is not JSON from its first character.
  if (/^[ \t\r\n]*$/.test(text)) return ': the body is empty';
  if (text.startsWith('\uFEFF')) return ': it starts with a byte order mark (U+FEFF); send UTF-8 without one';
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return '';
  const { line, column } = lineAndColumnOf(text, Math.min(offset, text.length));
  if (offset >= text.length) {
    const characters = `${text.length} character${text.length === 1 ? '' : 's'}`;
    return `: it ends (after ${characters}) before the JSON value is complete, at line ${line}, column ${column}`;
  }
  return ` at line ${line}, column ${column}`;
};

/** Validates a request input (body, query) against its schema; failures name every path (422). */
export const parseInput = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`${what} is not valid`, toInputIssues(parsed.error));
  return parsed.data;
};
