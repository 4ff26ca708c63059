import { z } from 'zod';

/** The longest text of a caller's quoted back in a message: enough to recognise it, never a whole text. */
const QUOTED_CHARACTERS = 40;

/** A value a caller sent, as a message quotes it: text in quotes (cut short), a number as written, else its kind. */
export const quoted = (value: unknown): string => {
  if (typeof value === 'string') {
    const characters = [...value];
    return JSON.stringify(
      characters.length > QUOTED_CHARACTERS ? `${characters.slice(0, QUOTED_CHARACTERS).join('')}…` : value,
    );
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : 'nothing';
};

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Holds an object to its known members before `schema` reads it: each other member is an issue at its
 * own path, naming it (`unknown field "Outcome"; did you mean "outcome"?`), where a strict object would
 * report one issue at the object's path. `what` names a member: `field`, or `query parameter`.
 */
export const onlyKnownFields = <S extends z.ZodType>(
  known: readonly string[],
  schema: S,
  what = 'field',
  check?: (value: Record<string, unknown>, ctx: z.RefinementCtx) => void,
) =>
  z
    .unknown()
    .superRefine((value, ctx) => {
      if (!isPlainObject(value)) return;
      for (const name of Object.keys(value)) {
        if (known.includes(name)) continue;
        const meant = known.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `unknown ${what} ${quoted(name)}${meant === undefined ? '' : `; did you mean ${quoted(meant)}?`}`,
        });
      }
      check?.(value, ctx);
    })
    .pipe(schema);
