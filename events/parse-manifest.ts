import type { InputIssue } from '../functions/platform/errors.js';
import { toInputIssues } from './input-issues.js';
import { type Manifest, ManifestSchema } from './manifest-v1.js';

export type ManifestParse = { ok: true; manifest: Manifest } | { ok: false; issues: InputIssue[] };

/** Validates an already JSON-parsed value against manifest contract v1; every issue names its JSON path. */
export const parseManifest = (value: unknown): ManifestParse => {
  const parsed = ManifestSchema.safeParse(value);
  return parsed.success
    ? { ok: true, manifest: parsed.data }
    : { ok: false, issues: toInputIssues(parsed.error) };
};
