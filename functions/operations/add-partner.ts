import type { OfficeTree } from '../core/access/offices.js';
import { ConflictError, type InputIssue, ValidationError } from '../platform/errors.js';
import type { PartnerItem, PartnerRegistry } from '../ports/partner-registry.js';
import { callbackUrlProblem, issuesOf, newPartnerIdProblem } from './partner-fields.js';

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
  /** The embedded stack's loopback receivers: plain http to this machine allowed, as notify allows it there. */
  localReceivers?: boolean;
}

export interface AddedPartner {
  partnerId: string;
  region: string;
  callbackUrl?: string;
  /** The first webhook secret: shown to the operator once, to hand to the partner; never logged. */
  secret: string;
}

const regionsOf = (offices: OfficeTree): string[] =>
  [...offices.offices.values()].filter((office) => office.kind === 'region').map((office) => office.id);

const regionProblem = (region: string, offices: OfficeTree): string | undefined => {
  const office = offices.offices.get(region);
  if (office?.kind === 'region') return undefined;
  const regions = regionsOf(offices).join(', ');
  return office
    ? `"${region}" is a ${office.kind} of the office hierarchy, not a region (regions: ${regions})`
    : `"${region}" is not a region of the office hierarchy (regions: ${regions})`;
};

/**
 * Every problem of a partner to add, each named by its field (`partnerId`, `region`, `callbackUrl`):
 * the id must be one the manifest contract accepts (ingest looks partners up by it), the region a region
 * of the office hierarchy, the callback URL one notify delivers to (https, no credentials, not a
 * private or loopback host). Empty when it can be added.
 */
export const validateNewPartner = (
  partner: NewPartner,
  offices: OfficeTree,
  localReceivers = false,
): InputIssue[] => {
  const problems: [string, string | undefined][] = [
    ['partnerId', newPartnerIdProblem(partner.partnerId)],
    ['region', regionProblem(partner.region, offices)],
    [
      'callbackUrl',
      partner.callbackUrl === undefined ? undefined : callbackUrlProblem(partner.callbackUrl, localReceivers),
    ],
  ];
  return issuesOf(problems);
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
    const issues = validateNewPartner(partner, deps.offices, deps.localReceivers);
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
