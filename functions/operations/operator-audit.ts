import { type AuditDraft, OPERATIONS_AUDIT_CHAIN } from '../core/audit/audit-chain.js';
import { isAppError } from '../platform/errors.js';
import type { AuditLog } from '../ports/audit-log.js';

/**
 * Operators' actions in the audit log's `operations` chain: a partner added, its webhook secrets
 * rotated, its callback URL set, dead letters moved back. Who (the operator the tool names), when, what,
 * on which partner or queue, and what changed, never a secret. Each is recorded after the change it
 * records, so no entry names a change that was not made; an append that fails leaves the change made
 * and unrecorded, and the tool says so (exit 3).
 */

/** Who runs an operator tool and when the action happened: what every entry of the chain records. */
export interface OperatorAction {
  actor: string;
  at: string;
  /**
   * The tool run's own random id, in the action id: two changes in one millisecond stay two entries,
   * and nothing within a run is appended twice (a failed append is reported, not retried).
   */
  runId: string;
}

const ROLE = 'operator';

const draftOf = (
  { actor, at }: OperatorAction,
  action: string,
  target: string,
  actionId: string,
  before: unknown,
  after: unknown,
): AuditDraft => ({
  chain: OPERATIONS_AUDIT_CHAIN,
  actionId,
  actor,
  actorName: actor,
  role: ROLE,
  at,
  action,
  target,
  before,
  after,
  requestId: actionId,
});

/** A partner added, with its region and callback URL: there is one add per partner id. */
export const partnerAddedDraft = (
  by: OperatorAction,
  partner: { partnerId: string; region: string; callbackUrl?: string },
): AuditDraft =>
  draftOf(
    by,
    'partner.add',
    `partner/${partner.partnerId}`,
    `partner.add:${partner.partnerId}:${by.runId}`,
    null,
    { region: partner.region, callbackUrl: partner.callbackUrl ?? null, secrets: 1 },
  );

/** A partner's secrets rotated: how many verified before, and until when they still do. */
export const secretsRotatedDraft = (
  by: OperatorAction,
  rotation: { partnerId: string; liveBefore: number; previousValidUntil: string; removed: number },
): AuditDraft =>
  draftOf(
    by,
    'partner.rotate',
    `partner/${rotation.partnerId}`,
    `partner.rotate:${rotation.partnerId}:${by.runId}`,
    { liveSecrets: rotation.liveBefore },
    {
      liveSecrets: rotation.liveBefore + 1,
      previousValidUntil: rotation.previousValidUntil,
      expiredRemoved: rotation.removed,
    },
  );

/** A partner's callback URL set or removed (null): where its referrals, with parcel and party data, go. */
export const callbackSetDraft = (
  by: OperatorAction,
  change: { partnerId: string; before: string | null; after: string | null },
): AuditDraft =>
  draftOf(
    by,
    'partner.callback',
    `partner/${change.partnerId}`,
    `partner.callback:${change.partnerId}:${by.runId}`,
    { callbackUrl: change.before },
    { callbackUrl: change.after },
  );

/** A run of dead letters moved back to their source queue: how many, and how the run ended. */
export const redrivenDraft = (
  by: OperatorAction,
  run: {
    queue: string;
    moved: number;
    notDeleted: number;
    notSent: number;
    stopped?: string;
  },
): AuditDraft =>
  draftOf(
    by,
    'dead-letters.redrive',
    `queue/${run.queue}`,
    `dead-letters.redrive:${run.queue}:${by.runId}`,
    null,
    {
      moved: run.moved,
      notDeleted: run.notDeleted,
      notSent: run.notSent,
      stopped: run.stopped ?? null,
    },
  );

/**
 * Appends the entry of a change already made: undefined once it is in the log, else why it is not and
 * which action the auditors must be told of, as the tool's line ends: `(<code>: <why>): tell your
 * auditors of <action> <actionId> by <actor>`.
 */
export const recordAction = async (auditLog: AuditLog, draft: AuditDraft): Promise<string | undefined> => {
  try {
    await auditLog.appendOnce(draft);
    return undefined;
  } catch (error) {
    const why = isAppError(error) ? `${error.code}: ${error.message}` : (error as Error).message;
    return `(${why}): tell your auditors of ${draft.action} ${draft.actionId} by ${draft.actor}`;
  }
};
