import type { z } from 'zod';
import type { InputIssue } from '../functions/platform/errors.js';
import { fastValidManifest } from './fast-manifest-validator.js';
import { inputIssuesOf } from './input-issues.js';
import { duplicateParcelIds, type Manifest, ManifestSchema } from './manifest-v1.js';

export type ManifestParse = { ok: true; manifest: Manifest } | { ok: false; issues: InputIssue[] };

/** The index of the parcel an issue is in (`parcels[i]…`), or undefined for one outside the parcels. */
const parcelIndexOf = (issue: z.core.$ZodIssue): number | undefined =>
  issue.path[0] === 'parcels' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;

/**
 * A manifest's issues in the contract's order, as the 422 lists them (README, problem-types.ts): zod
 * reports each field's issues in the contract's order, but the manifest's own check of the parcels
 * together (duplicate house document numbers) after all of them, so `parcels[1].parcelId` came after
 * `parcels[2].goods[0].hsCode`. The parcels' issues are sorted (stably) by parcel index; within a parcel
 * a duplicate id is its `parcelId`'s issue, the first field of a parcel, and zod's order is kept
 * otherwise. The manifest's fields listed before `parcels` come before them; the `parcels` array's own
 * issues (too many) and the manifest's unknown fields after, wherever zod reported them.
 */
const MANIFEST_FIELDS = Object.keys(ManifestSchema.shape);
/** The manifest's fields the contract lists before `parcels`. */
const FIELDS_BEFORE_PARCELS: ReadonlySet<PropertyKey | undefined> = new Set(
  MANIFEST_FIELDS.slice(0, MANIFEST_FIELDS.indexOf('parcels')),
);

const manifestIssuesInContractOrder = (issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] => {
  const before: z.core.$ZodIssue[] = [];
  const inParcels: { issue: z.core.$ZodIssue; parcel: number; rank: number }[] = [];
  const after: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    const parcel = parcelIndexOf(issue);
    if (parcel !== undefined) inParcels.push({ issue, parcel, rank: issue.path[2] === 'parcelId' ? 0 : 1 });
    else (FIELDS_BEFORE_PARCELS.has(issue.path[0]) ? before : after).push(issue);
  }
  // Array.prototype.sort is stable (ES2019): issues of equal keys keep zod's order.
  inParcels.sort((a, b) => a.parcel - b.parcel || a.rank - b.rank);
  return [...before, ...inParcels.map(({ issue }) => issue), ...after];
};

/**
 * A failed manifest parse of `value` as the 422's `errors[]`: every issue with its JSON path, in the
 * contract's order, every repeated house document number included (duplicatesZodSkipped).
 */
export const manifestIssues = (error: z.ZodError, value: unknown): InputIssue[] =>
  manifestIssuesInContractOrder([...error.issues, ...duplicatesZodSkipped(error.issues, value)]).flatMap(
    inputIssuesOf,
  );

/**
 * The repeated house document numbers zod did not report: it checks the parcels together only when no
 * field has the wrong type or value (a bad `transport.mode` hid a duplicate), so a partner would learn
 * of it only on the next post.
 */
const duplicatesZodSkipped = (issues: readonly z.core.$ZodIssue[], value: unknown): z.core.$ZodIssue[] => {
  const parcels = (value as { parcels?: unknown } | null)?.parcels;
  if (!Array.isArray(parcels)) return [];
  const reported = new Set(
    issues.filter((issue) => issue.code === 'custom').map((issue) => issue.path.join('.')),
  );
  return duplicateParcelIds(parcels)
    .filter((issue) => !reported.has(issue.path.join('.')))
    .map((issue) => issue as z.core.$ZodIssue);
};

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
    : { ok: false, issues: manifestIssues(parsed.error, value) };
};
