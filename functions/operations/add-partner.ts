import { isContractId, ManifestSchema } from '../../events/manifest-v1.js';
import type { OfficeTree } from '../core/access/offices.js';
import { undeliverableReason } from '../core/webhooks/callback-url.js';
import { ConflictError, type InputIssue, ValidationError } from '../platform/errors.js';
import type { PartnerItem, PartnerRegistry } from '../ports/partner-registry.js';

/** What an operator gives to add a partner. */
export interface NewPartner {
  partnerId: string;
  /** The region (GLOSSARY: region) its manifests belong to: a region of the office hierarchy. */
  region: string;
  /**
   * Where notify posts its referrals (https, no credentials, a public host); without it the partner reads
   * GET /v1/manifests/{id}.
   */
  callbackUrl?: string;
}

export interface AddPartnerDeps {
  partners: PartnerRegistry;
  /** The office hierarchy ingest routes by (rules/reference/offices.yaml): its regions are the valid ones. */
  offices: OfficeTree;
  /** A fresh secret in the Standard Webhooks form, made as rotation makes one. */
  generateSecret: () => string;
}

export interface AddedPartner {
  partnerId: string;
  region: string;
  callbackUrl?: string;
  /** The first webhook secret: shown to the operator once, to hand to the partner; never logged. */
  secret: string;
}

/** Longer callback URLs are refused: every stored string is bounded. */
export const MAX_CALLBACK_URL_LENGTH = 2048;

const regionsOf = (offices: OfficeTree): string[] =>
  [...offices.offices.values()].filter((office) => office.kind === 'region').map((office) => office.id);

const partnerIdProblem = (partnerId: string): string | undefined => {
  if (isContractId(partnerId)) return undefined;
  // The reason as the manifest contract words it, since partners send this id as `partnerId`.
  const issues = ManifestSchema.shape.partnerId.safeParse(partnerId).error?.issues ?? [];
  return `"${partnerId}" is not a partner id the manifest contract accepts: ${
    issues.map((issue) => issue.message).join('; ') || 'invalid'
  } (1 to 64 characters)`;
};

const regionProblem = (region: string, offices: OfficeTree): string | undefined => {
  const office = offices.offices.get(region);
  if (office?.kind === 'region') return undefined;
  const regions = regionsOf(offices).join(', ');
  return office
    ? `"${region}" is a ${office.kind} of the office hierarchy, not a region (regions: ${regions})`
    : `"${region}" is not a region of the office hierarchy (regions: ${regions})`;
};

/** The rule notify applies before it posts a referral (undeliverableReason), and a bounded length. */
const callbackUrlProblem = (callbackUrl: string): string | undefined => {
  if (callbackUrl.length > MAX_CALLBACK_URL_LENGTH)
    return `longer than ${MAX_CALLBACK_URL_LENGTH} characters`;
  if (!URL.canParse(callbackUrl)) return `"${callbackUrl}" is not a URL`;
  const problem = undeliverableReason(new URL(callbackUrl));
  if (problem === undefined) return undefined;
  return `"${callbackUrl}" ${problem}: notify posts referrals to https callback URLs only, without credentials, on public hosts`;
};

/**
 * Every problem of a partner to add, each named by its field (`partnerId`, `region`, `callbackUrl`):
 * the id must be one the manifest contract accepts (ingest looks partners up by it), the region a region
 * of the office hierarchy, the callback URL one notify delivers to (https, no credentials, not a
 * private or loopback host). Empty when it can be added.
 */
export const validateNewPartner = (partner: NewPartner, offices: OfficeTree): InputIssue[] => {
  const problems: [string, string | undefined][] = [
    ['partnerId', partnerIdProblem(partner.partnerId)],
    ['region', regionProblem(partner.region, offices)],
    ['callbackUrl', partner.callbackUrl === undefined ? undefined : callbackUrlProblem(partner.callbackUrl)],
  ];
  return problems.flatMap(([path, message]) => (message === undefined ? [] : [{ path, message }]));
};

/** The partners-table item of a valid new partner with its first secret (the URL as notify will post to it). */
export const buildPartnerItem = (partner: NewPartner, secret: string): PartnerItem => ({
  partnerId: partner.partnerId,
  region: partner.region,
  secrets: [{ secret }],
  ...(partner.callbackUrl === undefined ? {} : { callbackUrl: new URL(partner.callbackUrl).href }),
});

/**
 * Adds a logistics partner with a first webhook secret, so its signed manifests are accepted. Refuses
 * an invalid partner (ValidationError naming each field) and a partner that exists (ConflictError):
 * an existing partner's secrets are never overwritten; `rotate` gives it a new one.
 */
export const makeAddPartner =
  (deps: AddPartnerDeps) =>
  async (partner: NewPartner): Promise<AddedPartner> => {
    const issues = validateNewPartner(partner, deps.offices);
    if (issues.length > 0) throw new ValidationError('the partner cannot be added', issues);
    const item = buildPartnerItem(partner, deps.generateSecret());
    if (!(await deps.partners.add(item))) {
      throw new ConflictError(
        `partner ${partner.partnerId} already exists: nothing changed (npm run partner -- rotate gives it a new secret)`,
      );
    }
    return {
      partnerId: item.partnerId,
      region: item.region,
      ...(item.callbackUrl === undefined ? {} : { callbackUrl: item.callbackUrl }),
      secret: item.secrets[0]!.secret,
    };
  };
