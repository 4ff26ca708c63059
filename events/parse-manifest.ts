import type { InputIssue } from '../functions/platform/errors.js';
import { fastValidManifest } from './fast-manifest-validator.js';
import { toInputIssues } from './input-issues.js';
import { type Manifest, ManifestSchema } from './manifest-v1.js';

export type ManifestParse = { ok: true; manifest: Manifest } | { ok: false; issues: InputIssue[] };

/**
 * Validates an already JSON-parsed value against manifest contract v1; every issue names its JSON path.
 * A valid manifest takes the fast path (same result as zod); anything else is zod's to judge and report.
 */
export const parseManifest = (value: unknown): ManifestParse => {
  const fast = fastValidManifest(value);
  if (fast !== undefined) return { ok: true, manifest: fast };
  const parsed = ManifestSchema.safeParse(value);
  return parsed.success
    ? { ok: true, manifest: parsed.data }
    : { ok: false, issues: toInputIssues(parsed.error) };
};
