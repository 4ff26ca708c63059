import type { CompiledList } from './compile-env.js';
import type { IssueCollector } from './errors.js';
import type { ListDocument } from './rule-set-schema.js';
import { normalizeText } from './text.js';

export const compileList = (list: ListDocument, file: string, issues: IssueCollector): CompiledList => {
  const texts = list.values.filter((value): value is string => typeof value === 'string');
  const numbers = list.values.filter((value): value is number => typeof value === 'number');
  if (texts.length > 0 && numbers.length > 0) {
    issues.add({ file, path: 'values', reason: `list ${list.name} mixes text and numbers` });
  }
  const ordered = [...new Set(texts.map(normalizeText))];
  return {
    name: list.name,
    version: list.version,
    kind: numbers.length > 0 && texts.length === 0 ? 'number' : 'text',
    texts: new Set(ordered),
    numbers: new Set(numbers),
    ordered,
    expiresMs: list.expires === undefined ? Number.POSITIVE_INFINITY : Date.parse(list.expires),
  };
};
