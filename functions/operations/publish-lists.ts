import { contentVersion, type ListDocument } from '../core/rules/index.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { ListStore, PublishedList } from '../ports/list-store.js';

export interface PublishListsDeps {
  lists: ListStore;
  auditLog: AuditLog;
  clock: Clock;
}

export interface PublishListsInput {
  /** The rule set's lists, watchlists already hashed with the deployment's salt. */
  lists: readonly ListDocument[];
  /** Who publishes (recorded in the audit log). */
  actor: string;
}

export type ListOutcome = 'published' | 'unchanged' | 'refused';

export interface ListPublication {
  name: string;
  version: number;
  outcome: ListOutcome;
  /** The newest version stored before, if any. */
  previousVersion?: number;
  /** Why a list was refused. */
  reason?: string;
}

export interface PublishListsResult {
  /** False when a list was refused; then nothing was written. */
  ok: boolean;
  publications: ListPublication[];
}

/** The audit chain of rule and list changes. */
export const RULES_AUDIT_CHAIN = 'rules';

const publicationOf = (
  list: ListDocument,
  stored: PublishedList | undefined,
  version: string,
): ListPublication => {
  const base = { name: list.name, version: list.version };
  if (stored === undefined) return { ...base, outcome: 'published' };
  const previousVersion = stored.list.version;
  if (previousVersion < list.version) return { ...base, outcome: 'published', previousVersion };
  if (previousVersion > list.version)
    return {
      ...base,
      outcome: 'refused',
      previousVersion,
      reason: `list ${list.name} v${list.version} is older than the published v${previousVersion}: raise its version above ${previousVersion}`,
    };
  return stored.contentVersion === version
    ? { ...base, outcome: 'unchanged', previousVersion }
    : {
        ...base,
        outcome: 'refused',
        previousVersion,
        reason: `list ${list.name} v${list.version} is already published with other content: raise its version`,
      };
};

/**
 * Publishes a rule set's lists to the list store, all or nothing: a list whose version is already
 * published with the same content is left alone, a newer version is stored beside the older ones (the
 * newest wins), and an older version, or the same version with other content, refuses the whole load
 * before anything is written. Each list stored is recorded in the audit log (`list.publish`, before
 * and after versions), once however often the load is repeated.
 */
export const makePublishLists =
  (deps: PublishListsDeps) =>
  async (input: PublishListsInput): Promise<PublishListsResult> => {
    const planned = await Promise.all(
      input.lists.map(async (list) => {
        const version = contentVersion(list);
        const stored = await deps.lists.newestOf(list.name);
        return { list, version, stored, publication: publicationOf(list, stored, version) };
      }),
    );
    const publications = planned.map((plan) => plan.publication);
    if (publications.some((publication) => publication.outcome === 'refused'))
      return { ok: false, publications };

    const at = deps.clock.now().toISOString();
    for (const plan of planned) {
      if (plan.publication.outcome !== 'published') continue;
      const stored = await deps.lists.putIfAbsent({
        list: plan.list,
        contentVersion: plan.version,
        publishedAt: at,
        publishedBy: input.actor,
      });
      if (!stored) {
        // Another load stored this version first: the same content is no change, other content a conflict.
        const now = await deps.lists.newestOf(plan.list.name);
        plan.publication = publicationOf(plan.list, now, plan.version);
        continue;
      }
      const actionId = `list.publish:${plan.list.name}:v${plan.list.version}:${plan.version}`;
      await deps.auditLog.appendOnce({
        chain: RULES_AUDIT_CHAIN,
        actionId,
        actor: input.actor,
        actorName: input.actor,
        role: 'analyst',
        at,
        action: 'list.publish',
        target: `list/${plan.list.name}`,
        before:
          plan.stored === undefined
            ? null
            : { version: plan.stored.list.version, content: plan.stored.contentVersion },
        after: {
          version: plan.list.version,
          content: plan.version,
          owner: plan.list.owner,
          expires: plan.list.expires ?? null,
          holds: plan.list.holds ?? null,
          values: plan.list.values.length,
        },
        requestId: actionId,
      });
    }
    const final = planned.map((plan) => plan.publication);
    return { ok: final.every((publication) => publication.outcome !== 'refused'), publications: final };
  };
