import { isContractId, ManifestSchema } from '../../events/manifest-v1.js';
import { undeliverableReason } from '../core/webhooks/callback-url.js';
import type { InputIssue } from '../platform/errors.js';

// What an operator gives for a partner, checked field by field: `add` and `callback` share the checks.

/** Longer callback URLs are refused (as stored, percent-encoded): every stored string is bounded. */
export const MAX_CALLBACK_URL_LENGTH = 2048;

export const partnerIdProblem = (partnerId: string): string | undefined => {
  if (isContractId(partnerId)) return undefined;
  // The reason as the manifest contract words it, since partners send this id as `partnerId`.
  const issues = ManifestSchema.shape.partnerId.safeParse(partnerId).error?.issues ?? [];
  return `"${partnerId}" is not a partner id the manifest contract accepts: ${
    issues.map((issue) => issue.message).join('; ') || 'invalid'
  } (1 to 64 characters)`;
};

/**
 * A new partner's id is also in lower case, so no two partners differ only in case (partners the
 * tools added before this rule keep their ids).
 */
export const newPartnerIdProblem = (partnerId: string): string | undefined =>
  partnerIdProblem(partnerId) ??
  (partnerId === partnerId.toLowerCase()
    ? undefined
    : `"${partnerId}" has capital letters: a new partner id is written in lower case ("${partnerId.toLowerCase()}"), so no two partners differ only in case`);

/** The rule notify applies before it posts a referral (undeliverableReason), and a bounded length. */
export const callbackUrlProblem = (callbackUrl: string, localReceivers = false): string | undefined => {
  if (callbackUrl.length > MAX_CALLBACK_URL_LENGTH)
    return `longer than ${MAX_CALLBACK_URL_LENGTH} characters`;
  if (!URL.canParse(callbackUrl)) return `"${callbackUrl}" is not a URL`;
  const stored = new URL(callbackUrl).href.length;
  if (stored > MAX_CALLBACK_URL_LENGTH)
    return `longer than ${MAX_CALLBACK_URL_LENGTH} characters once percent-encoded (${stored})`;
  const problem = undeliverableReason(new URL(callbackUrl), localReceivers);
  if (problem === undefined) return undefined;
  return `"${callbackUrl}" ${problem}: notify posts referrals to https callback URLs only, without credentials, on public hosts${
    localReceivers ? ' (or, on the embedded stack, plain http to this machine)' : ''
  }`;
};

/** The problems found, each named by its field: empty when there are none. */
export const issuesOf = (problems: [string, string | undefined][]): InputIssue[] =>
  problems.flatMap(([path, message]) => (message === undefined ? [] : [{ path, message }]));
