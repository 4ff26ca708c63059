import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';

export { canonicalJson };

/** A content version: `sha256:` and the first 16 hex digits of the hash of the canonical JSON. */
export const contentVersion = (value: unknown): string =>
  `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16)}`;
