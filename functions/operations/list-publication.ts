import { type AuditDraft, RULES_AUDIT_CHAIN } from '../core/audit/audit-chain.js';
import {
  compileRuleSet,
  type ListDocument,
  RuleSetError,
  type RuleSetInput,
  type RuleSetIssue,
  withListsReplaced,
} from '../core/rules/index.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import {
  type PublishedList,
  readableOf,
  readStoredVersion,
  type StoredVersion,
  type VersionedListStore,
} from '../ports/list-store.js';

/** What publishing and rolling back lists share: the checks against rule sets, and the audit entry. */

export interface PublishListsDeps {
  lists: VersionedListStore;
  auditLog: AuditLog;
  clock: Clock;
}

/** A rule set that may use the lists: where it lives and its files, watchlists hashed with the deployment's salt. */
export interface RuleSetToCheck {
  directory: string;
  input: RuleSetInput;
}

/**
 * `published`: stored by this load. `withheld`: would have been stored, but the load was refused or
 * stopped before it was written. `uncertain`: the store or the audit log failed while it was being
 * written, so it may be stored (a rerun finds out, and records it).
 */
export type ListOutcome = 'published' | 'unchanged' | 'refused' | 'withheld' | 'uncertain';

export interface ListPublication {
  name: string;
  version: number;
  outcome: ListOutcome;
  /** The newest version stored before, if any. */
  previousVersion?: number;
  /** Why a list was refused or withheld. */
  reason?: string;
}

const DAY_MS = 86_400_000;
/** A list published this close to its expiry is warned about. */
const EXPIRY_WARNING_DAYS = 30;

/** When a list stops matching (as the rule engine reads `expires`), in epoch ms; never without one. */
const expiryMsOf = (list: ListDocument): number =>
  list.expires === undefined ? Number.POSITIVE_INFINITY : Date.parse(list.expires);

/** From its `expires` on, conditions on a list are missing: published then, it silently turns its rules off. */
export const hasExpired = (list: ListDocument, now: Date): boolean => expiryMsOf(list) <= now.getTime();

const RENEW = 'renew it (review it, raise its version, move expires) and load it';

/**
 * What an analyst is told of a list that has expired or expires within 30 days of `now` (`lists` and
 * `rules validate` alike); undefined for one further off.
 */
export const expiryNoticeOf = (list: ListDocument, now: Date): string | undefined => {
  const left = expiryMsOf(list) - now.getTime();
  const named = `list ${list.name} v${list.version}`;
  if (left <= 0) return `${named} expired on ${list.expires}: its rules match nothing; ${RENEW}`;
  if (left < EXPIRY_WARNING_DAYS * DAY_MS)
    return `${named} expires on ${list.expires} (in ${Math.ceil(left / DAY_MS)} day(s)): its rules then stop matching; ${RENEW}`;
  return undefined;
};

/** A rule set that does not compile with the lists to publish, and why. */
export interface RuleSetRefusal {
  ruleSet: string;
  issue: RuleSetIssue;
}

const declaredLists = (input: RuleSetInput): Set<string> => {
  const lists = (input.ruleSet.document as { lists?: unknown } | null)?.lists;
  return new Set(Array.isArray(lists) ? lists.filter((name) => typeof name === 'string') : []);
};

/**
 * Compiles every rule set that declares one of `lists` with those lists in place of its own files, as
 * the screen function would after they are published; the issues of each that fails, named by rule set.
 */
export const ruleSetIssuesWith = (
  ruleSets: readonly RuleSetToCheck[],
  lists: readonly ListDocument[],
): RuleSetRefusal[] =>
  ruleSets.flatMap(({ directory, input }) => {
    const declared = declaredLists(input);
    const replacing = lists.filter((list) => declared.has(list.name));
    if (replacing.length === 0) return [];
    try {
      compileRuleSet(
        withListsReplaced(
          input,
          replacing.map((list) => ({
            file: `list ${list.name} v${list.version} to publish`,
            document: list,
          })),
        ),
      );
      return [];
    } catch (error) {
      if (!(error instanceof RuleSetError)) throw error;
      return error.issues.map((issue) => ({ ruleSet: directory, issue }));
    }
  });

/**
 * The audit entry of one stored version, built from the stored item alone (its publisher, time and the
 * version before it), so recording it again after a failure gives the same actionId and the same entry.
 */
export const auditDraftOf = (published: PublishedList, before: StoredVersion | undefined): AuditDraft => {
  const { list, rollback } = published;
  const action = rollback === undefined ? 'list.publish' : 'list.rollback';
  const actionId = `${action}:${list.name}:v${list.version}:${published.contentVersion}`;
  return {
    chain: RULES_AUDIT_CHAIN,
    actionId,
    actor: published.publishedBy,
    actorName: published.publishedBy,
    role: 'analyst',
    at: published.publishedAt,
    action,
    target: `list/${list.name}`,
    // A version before it that this code cannot read is named by its number alone.
    before:
      before === undefined
        ? null
        : { version: before.version, content: readableOf(before)?.contentVersion ?? null },
    after: {
      version: list.version,
      content: published.contentVersion,
      owner: list.owner,
      expires: list.expires ?? null,
      holds: list.holds ?? null,
      values: list.values.length,
      ...(rollback === undefined ? {} : { rolledBackFrom: rollback.from, restores: rollback.to }),
    },
    requestId: actionId,
  };
};

/** Records a stored version in the audit log; a no-op when it is already recorded. */
export const makeRecordPublication = (deps: PublishListsDeps) => async (published: PublishedList) => {
  const before = await readStoredVersion(() =>
    deps.lists.newestBefore(published.list.name, published.list.version),
  );
  await deps.auditLog.appendOnce(auditDraftOf(published, before));
};
