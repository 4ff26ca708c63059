import { escapeInvisible, normalizeText, quoteWritten, writtenTextReason } from '../text/text.js';
import type { CompiledTable } from './compile-env.js';
import type { IssueCollector } from './errors.js';
import type { Table } from './rule-set-schema.js';

const MEMO_LIMIT = 4096;

/**
 * A lookup table: exact keys, or the longest matching prefix (HS codes), with an optional default. Keys
 * match after normalization, so two keys equal after it (`CNY`, `cny`, `ＣＮＹ`) are one key written twice,
 * a key with leading or trailing spaces never matches (parcel text is trimmed), and one with invisible
 * characters matches as if they were not there (a key of only those would be a prefix of everything):
 * all are refused.
 */
export const compileTable = (
  name: string,
  table: Table,
  file: string,
  issues: IssueCollector,
): CompiledTable => {
  const entries = new Map<string, number>();
  const writtenAs = new Map<string, string>();
  for (const [key, value] of Object.entries(table.entries)) {
    const path = `tables.${name}.entries.${escapeInvisible(key)}`;
    const refused = writtenTextReason(key);
    if (refused !== undefined) {
      issues.add({ file, path, reason: `table key ${quoteWritten(key)} ${refused}` });
      continue;
    }
    const normalized = normalizeText(key);
    const other = writtenAs.get(normalized);
    if (other !== undefined) {
      issues.add({ file, path, reason: `same key as ${other} after normalization` });
      continue;
    }
    writtenAs.set(normalized, key);
    entries.set(normalized, value);
  }
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
    return { name, match: 'exact', lookup: memoized((key) => entries.get(normalizeText(key)) ?? fallback) };
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
  return { name, match: 'prefix', lookup: memoized(longestPrefix) };
};
