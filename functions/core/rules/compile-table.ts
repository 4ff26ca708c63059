import type { CompiledTable } from './compile-env.js';
import type { Table } from './rule-set-schema.js';
import { normalizeText } from './text.js';

const MEMO_LIMIT = 4096;

/** A lookup table: exact keys, or the longest matching prefix (HS codes), with an optional default. */
export const compileTable = (name: string, table: Table): CompiledTable => {
  const entries = new Map(Object.entries(table.entries).map(([key, value]) => [normalizeText(key), value]));
  const fallback = table.default;
  const memo = new Map<string, number | undefined>();
  const memoized =
    (find: (key: string) => number | undefined) =>
    (key: string): number | undefined => {
      const known = memo.get(key);
      if (known !== undefined || memo.has(key)) return known;
      const value = find(key);
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(key, value);
      return value;
    };
  if (table.match === 'exact') {
    return { name, lookup: memoized((key) => entries.get(normalizeText(key)) ?? fallback) };
  }
  const lengths = [...new Set([...entries.keys()].map((key) => key.length))].sort((a, b) => b - a);
  const longestPrefix = (key: string): number | undefined => {
    const text = normalizeText(key);
    for (const length of lengths) {
      if (text.length < length) continue;
      const value = entries.get(text.slice(0, length));
      if (value !== undefined) return value;
    }
    return fallback;
  };
  return { name, lookup: memoized(longestPrefix) };
};
