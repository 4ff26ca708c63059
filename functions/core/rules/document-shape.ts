/**
 * How deep a rule-set, list or case document may nest (objects and arrays). The deepest real one nests
 * about 15 levels. Checked before the schema, whose recursive parse would overflow the stack a few
 * hundred levels down; a YAML alias inside its own anchor (`&c { not: *c }`) makes an endlessly deep
 * document, refused here too.
 */
export const MAX_NESTING = 100;

/**
 * A YAML merge key (`<<: *common`). YAML 1.2, which files are read as, has none: the parser keeps `<<` as
 * an ordinary key, which no field of any document is. Refused as what it is, not as an unknown field.
 */
const MERGE_KEY = '<<';
const MERGE_KEY_REASON =
  'YAML merge keys (<<: *anchor) are not supported: write the fields out (an alias, *anchor, may stand for a whole value)';

export interface ShapeProblem {
  path: PropertyKey[];
  reason: string;
}

/**
 * What no schema can judge in a document, found before the schema runs: nesting deeper than `limit`, a key
 * named `__proto__`, which schemas and objects drop without a word (a table entry would vanish), and a YAML
 * merge key `<<`, which the schema would call an unknown field.
 * Walks with its own stack, so no depth overflows it; the first problem in document order.
 */
export const shapeProblemOf = (document: unknown, limit: number = MAX_NESTING): ShapeProblem | undefined => {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: document, path: [] }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= limit) {
      return {
        path,
        reason: `nested more than ${limit} levels deep (or a YAML alias inside its own anchor)`,
      };
    }
    if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) {
      return { path: [...path, '__proto__'], reason: 'a key cannot be __proto__' };
    }
    if (!Array.isArray(value) && Object.hasOwn(value, MERGE_KEY)) {
      return { path: [...path, MERGE_KEY], reason: MERGE_KEY_REASON };
    }
    const children: [PropertyKey, unknown][] = Array.isArray(value)
      ? value.map((child, i) => [i, child])
      : Object.entries(value);
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i]!;
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
};
