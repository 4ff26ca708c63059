import { NotFoundError, ValidationError } from '../platform/errors.js';
import type { PartnerRegistry } from '../ports/partner-registry.js';
import { callbackUrlProblem, issuesOf, partnerIdProblem } from './partner-fields.js';

export interface SetPartnerCallbackDeps {
  partners: PartnerRegistry;
  /** The embedded stack's loopback receivers: plain http to this machine allowed, as notify allows it there. */
  localReceivers: boolean;
}

/**
 * Points an existing partner's referrals at a new callback URL, or (undefined) stops posting them, so
 * the partner reads them from GET /v1/manifests/{id}; with the URL it replaced (`previous`). The URL must pass the rule notify applies before
 * each post; it is stored as notify will post to it. Referrals already delivered or dead-lettered stay so.
 */
export const makeSetPartnerCallback =
  (deps: SetPartnerCallbackDeps) =>
  async (
    partnerId: string,
    callbackUrl: string | undefined,
  ): Promise<{ partnerId: string; callbackUrl?: string; previous?: string }> => {
    const issues = issuesOf([
      ['partnerId', partnerIdProblem(partnerId)],
      [
        'callbackUrl',
        callbackUrl === undefined ? undefined : callbackUrlProblem(callbackUrl, deps.localReceivers),
      ],
    ]);
    if (issues.length > 0) throw new ValidationError('the callback URL cannot be set', issues);
    const href = callbackUrl === undefined ? undefined : new URL(callbackUrl).href;
    const set = await deps.partners.setCallbackUrl(partnerId, href);
    if (set === undefined)
      throw new NotFoundError(`no partner ${partnerId}: nothing changed (npm run partner -- add adds one)`);
    return {
      partnerId,
      ...(href === undefined ? {} : { callbackUrl: href }),
      ...(set.previous === undefined ? {} : { previous: set.previous }),
    };
  };
