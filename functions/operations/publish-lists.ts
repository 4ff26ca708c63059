import type { AuditDraft } from '../core/audit/audit-chain.js';
import {
  compileRuleSet,
  contentVersion,
  type ListDocument,
  listVersionsOf,
  RuleSetError,
  type RuleSetInput,
  type RuleSetIssue,
  withListsReplaced,
} from '../core/rules/index.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { PublishedList, VersionedListStore } from '../ports/list-store.js';

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

export interface PublishListsInput {
  /** The rule set's lists, watchlists already hashed with the deployment's salt. */
  lists: readonly ListDocument[];
  /** Who publishes (recorded in the audit log). */
  actor: string;
  /**
   * The rule sets a published list can reach (the table is keyed by list name, whichever rule set the
   * list came from): each that declares a list to publish must compile with it in place of its own file.
   */
  ruleSets: readonly RuleSetToCheck[];
}

/**
 * `published`: stored by this load. `withheld`: would have been stored, but the load was refused before
 * anything was written.
 */
export type ListOutcome = 'published' | 'unchanged' | 'refused' | 'withheld';

export interface ListPublication {
  name: string;
  version: number;
  outcome: ListOutcome;
  /** The newest version stored before, if any. */
  previousVersion?: number;
  /** Why a list was refused or withheld. */
  reason?: string;
}

/** A rule set that does not compile with the lists to publish, and why. */
export interface RuleSetRefusal {
  ruleSet: string;
  issue: RuleSetIssue;
}

export interface PublishListsResult {
  /** True when every list was published or is unchanged. */
  ok: boolean;
  /** One per list; those `published` are stored, whatever `ok` says. */
  publications: ListPublication[];
  ruleSetIssues: RuleSetRefusal[];
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
export const auditDraftOf = (published: PublishedList, before: PublishedList | undefined): AuditDraft => {
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
    before: before === undefined ? null : { version: before.list.version, content: before.contentVersion },
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
const makeRecordPublication = (deps: PublishListsDeps) => async (published: PublishedList) => {
  const before = await deps.lists.newestBefore(published.list.name, published.list.version);
  await deps.auditLog.appendOnce(auditDraftOf(published, before));
};

const withheld = (publication: ListPublication, reason: string): ListPublication =>
  publication.outcome === 'published' ? { ...publication, outcome: 'withheld', reason } : publication;

/**
 * Publishes a rule set's lists to the list store: a list whose version is already published with the
 * same content is left alone, a newer version is stored beside the older ones (the newest wins). An older
 * version, the same version with other content, or a rule set (of `ruleSets`) that does not compile with
 * the new lists refuses the whole load before anything is written. Lists are then stored one by one: one
 * that another load stored first with other content is refused, the others are still stored, and the
 * result says which. Each stored list is recorded in the audit log (`list.publish`, before and after
 * versions) exactly once: a rerun records a list stored by a load that failed before its audit entry.
 */
export const makePublishLists = (deps: PublishListsDeps) => {
  const recordPublication = makeRecordPublication(deps);
  return async (input: PublishListsInput): Promise<PublishListsResult> => {
    const planned = await Promise.all(
      input.lists.map(async (list) => {
        const version = contentVersion(list);
        const stored = await deps.lists.newestOf(list.name);
        return { list, version, stored, publication: publicationOf(list, stored, version) };
      }),
    );
    const refusedEarly = (reason: string, ruleSetIssues: RuleSetRefusal[] = []): PublishListsResult => ({
      ok: false,
      publications: planned.map((plan) => withheld(plan.publication, reason)),
      ruleSetIssues,
    });
    if (planned.some((plan) => plan.publication.outcome === 'refused'))
      return refusedEarly('not written: another list of this load was refused');
    const ruleSetIssues = ruleSetIssuesWith(
      input.ruleSets,
      planned.filter((plan) => plan.publication.outcome === 'published').map((plan) => plan.list),
    );
    if (ruleSetIssues.length > 0)
      return refusedEarly('not written: a rule set cannot use the lists of this load', ruleSetIssues);

    const at = deps.clock.now().toISOString();
    for (const plan of planned) {
      if (plan.publication.outcome === 'unchanged') {
        // Stored by an earlier load, which may have failed before recording it.
        await recordPublication(plan.stored!);
        continue;
      }
      const published = {
        list: plan.list,
        contentVersion: plan.version,
        publishedAt: at,
        publishedBy: input.actor,
      };
      if (await deps.lists.putIfAbsent(published)) {
        await recordPublication(published);
        continue;
      }
      // Another load stored this version first: the same content is no change, other content a conflict.
      const now = await deps.lists.newestOf(plan.list.name);
      plan.publication = publicationOf(plan.list, now, plan.version);
      if (plan.publication.outcome === 'unchanged') await recordPublication(now!);
    }
    const publications = planned.map((plan) => plan.publication);
    return {
      ok: publications.every((publication) => publication.outcome !== 'refused'),
      publications,
      ruleSetIssues: [],
    };
  };
};

export interface RollbackListInput {
  name: string;
  /** The published version whose content is published again. */
  to: number;
  actor: string;
  ruleSets: readonly RuleSetToCheck[];
}

export type RollbackListResult =
  | { outcome: 'rolled-back' | 'unchanged'; name: string; version: number; from: number; to: number }
  | { outcome: 'refused'; name: string; to: number; reason: string; ruleSetIssues: RuleSetRefusal[] };

/** The newest version of list `name` bundled with any of the rule sets (0 when none has it). */
const bundledVersionOf = (ruleSets: readonly RuleSetToCheck[], name: string): number =>
  Math.max(0, ...ruleSets.map(({ input }) => listVersionsOf(input).get(name) ?? 0));

/**
 * Undoes a bad list: publishes the stored content of version `to` again as a new version (above the
 * newest published and any bundled file of the rule sets, so it wins as any newer version does), after
 * the checks of a load, and records it in the audit log (`list.rollback`, from and to versions). Run
 * again after a failure, it finds the newest version already republishing `to`, and only makes sure
 * that is recorded.
 */
export const makeRollbackList = (deps: PublishListsDeps) => {
  const recordPublication = makeRecordPublication(deps);
  return async (input: RollbackListInput): Promise<RollbackListResult> => {
    const { name, to } = input;
    const refused = (reason: string, ruleSetIssues: RuleSetRefusal[] = []): RollbackListResult => ({
      outcome: 'refused',
      name,
      to,
      reason,
      ruleSetIssues,
    });
    const done = (outcome: 'rolled-back' | 'unchanged', published: PublishedList): RollbackListResult => ({
      outcome,
      name,
      version: published.list.version,
      from: published.rollback!.from,
      to,
    });
    const [newest, target] = await Promise.all([deps.lists.newestOf(name), deps.lists.versionOf(name, to)]);
    if (newest === undefined) return refused(`list ${name} has never been published`);
    if (newest.rollback?.to === to) {
      await recordPublication(newest);
      return done('unchanged', newest);
    }
    if (target === undefined)
      return refused(`list ${name} has no published v${to} (the newest is v${newest.list.version})`);
    if (newest.list.version === to)
      return refused(`list ${name} v${to} is already the newest version: nothing to roll back`);

    // Above any bundled file too: screen prefers a bundled file at least as new as the published list.
    const list: ListDocument = {
      ...target.list,
      version: Math.max(newest.list.version, bundledVersionOf(input.ruleSets, name)) + 1,
    };
    const ruleSetIssues = ruleSetIssuesWith(input.ruleSets, [list]);
    if (ruleSetIssues.length > 0)
      return refused(`a rule set cannot use list ${name} as it was in v${to}`, ruleSetIssues);
    const published: PublishedList = {
      list,
      contentVersion: contentVersion(list),
      publishedAt: deps.clock.now().toISOString(),
      publishedBy: input.actor,
      rollback: { from: newest.list.version, to },
    };
    if (await deps.lists.putIfAbsent(published)) {
      await recordPublication(published);
      return done('rolled-back', published);
    }
    const now = await deps.lists.newestOf(name);
    if (now?.list.version === list.version && now.rollback?.to === to) {
      await recordPublication(now);
      return done('unchanged', now);
    }
    return refused(
      `another publication stored ${name} v${list.version} first: check the published versions and run the rollback again`,
    );
  };
};
