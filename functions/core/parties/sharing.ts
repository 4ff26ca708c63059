import { z } from 'zod';

/**
 * Sharing agreements between regions, as data (`rules/sharing/agreements.yaml`): which regions share
 * which kinds of hashed indicator. An agreement is mutual: every region in it sees the seizures every
 * other region in it records, for the indicator kinds it names and from its `since` date on. Only hashed
 * keys, hashed parcel references and seizure dates cross regions; no name, phone, address or parcel id.
 */

export const SHARED_INDICATOR_KINDS = ['consignee', 'phone', 'address', 'idDocument'] as const;
export type SharedIndicatorKind = (typeof SHARED_INDICATOR_KINDS)[number];

const regionId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'region ids are lower-case kebab-case');

export const SharingAgreementSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'agreement ids are lower-case kebab-case'),
  regions: z
    .array(regionId)
    .min(2)
    .refine((regions) => new Set(regions).size === regions.length, 'a region is listed twice'),
  indicators: z.array(z.enum(SHARED_INDICATOR_KINDS)).min(1),
  /** First day (inclusive, UTC) whose seizures are shared. */
  since: z.iso.date(),
  /** Last day (inclusive, UTC) whose seizures are shared; open-ended when absent. */
  until: z.iso.date().optional(),
  owner: z.string().min(1),
});
export type SharingAgreement = z.infer<typeof SharingAgreementSchema>;

export const SharingAgreementsSchema = z
  .strictObject({
    version: z.string().min(1),
    agreements: z.array(SharingAgreementSchema),
  })
  .superRefine((document, ctx) => {
    const seen = new Set<string>();
    document.agreements.forEach((agreement, index) => {
      if (seen.has(agreement.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['agreements', index, 'id'],
          message: 'duplicate agreement id',
        });
      }
      seen.add(agreement.id);
      // An agreement that ends before it starts would load, and silently share nothing.
      if (agreement.until !== undefined && agreement.until < agreement.since) {
        ctx.addIssue({
          code: 'custom',
          path: ['agreements', index, 'until'],
          message: `ends before it starts: until ${agreement.until} is before since ${agreement.since}`,
        });
      }
    });
  });
export type SharingAgreements = z.infer<typeof SharingAgreementsSchema>;

export const NO_SHARING: SharingAgreements = { version: 'none', agreements: [] };

/** Invalid sharing configuration, with the file and the JSON path of every problem. */
export class SharingAgreementsError extends Error {
  readonly code = 'SHARING_AGREEMENTS_INVALID';
  readonly retryable = false;
  readonly details: Record<string, unknown>;
  constructor(source: string, issues: { path: string; message: string }[]) {
    super(`${source}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    this.name = 'SharingAgreementsError';
    this.details = { source, issues };
  }
}

export const parseSharingAgreements = (data: unknown, source: string): SharingAgreements => {
  const parsed = SharingAgreementsSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new SharingAgreementsError(
    source,
    parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message })),
  );
};

const inForce = (agreement: SharingAgreement, day: string): boolean =>
  agreement.since <= day && (agreement.until === undefined || day <= agreement.until);

/**
 * The regions whose seizures of `day` (YYYY-MM-DD) `region` may see for this indicator kind.
 * Sharing is mutual within an agreement, so this is also the list of regions `region` shares with.
 */
export const sharingPartners = (
  agreements: SharingAgreements,
  region: string,
  kind: SharedIndicatorKind,
  day: string,
): string[] => {
  const partners = new Set<string>();
  for (const agreement of agreements.agreements) {
    if (
      !agreement.regions.includes(region) ||
      !agreement.indicators.includes(kind) ||
      !inForce(agreement, day)
    )
      continue;
    for (const other of agreement.regions) if (other !== region) partners.add(other);
  }
  return [...partners].sort();
};

/** Every region that ever shares `kind` with `region`, whatever the day (what a reader must look at). */
export const possibleSharingPartners = (
  agreements: SharingAgreements,
  region: string,
  kind: SharedIndicatorKind,
): string[] => {
  const partners = new Set<string>();
  for (const agreement of agreements.agreements) {
    if (!agreement.regions.includes(region) || !agreement.indicators.includes(kind)) continue;
    for (const other of agreement.regions) if (other !== region) partners.add(other);
  }
  return [...partners].sort();
};
