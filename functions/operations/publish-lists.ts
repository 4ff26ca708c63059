import { keyedWithOtherSalt, type ListDocument, listContentVersion } from '../core/rules/index.js';
import {
  LIST_VERSION_MAX_BYTES,
  type PublishedList,
  readableOf,
  readStoredVersion,
  type StoredVersion,
  storedBytesOf,
} from '../ports/list-store.js';
import {
  expiryNoticeOf,
  hasExpired,
  type ListPublication,
  makeRecordPublication,
  type PublishListsDeps,
  type RuleSetRefusal,
  type RuleSetToCheck,
  ruleSetIssuesWith,
} from './list-publication.js';

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

export interface PublishListsResult {
  /** True when every list was published or is unchanged. */
  ok: boolean;
  /** One per list; those `published` are stored, whatever `ok` says. */
  publications: ListPublication[];
  ruleSetIssues: RuleSetRefusal[];
  /** Lists of the load that expire within 30 days, or are published and already expired: not refusals. */
  warnings: string[];
  /**
   * The store or the audit log failed while lists were being written: at which list, and why. The lists
   * `published` before it are stored; it may be stored too (its audit entry is then owed, and the next
   * load records it); those after it are not.
   */
  interrupted?: { name: string; version: number; reason: string };
}

/**
 * Why a watchlist's content differs from its published version's when the two were keyed with other
 * salts: which one is the deployment's, only screen knows (it refuses the other, with its alarm).
 */
const otherSalt = (list: ListDocument, stored: PublishedList): string =>
  keyedWithOtherSalt(list, stored.list.saltProof)
    ? ` (the published version was hashed with another PARTY_KEY_SALT than this load's: check that PARTY_KEY_SALT is the deployment's; screen refuses a watchlist keyed with any other)`
    : '';

const publicationOf = (
  list: ListDocument,
  stored: StoredVersion | undefined,
  version: string,
): ListPublication => {
  const base = { name: list.name, version: list.version };
  if (stored === undefined) return { ...base, outcome: 'published' };
  const previousVersion = stored.version;
  if (previousVersion < list.version) return { ...base, outcome: 'published', previousVersion };
  if (previousVersion > list.version)
    return {
      ...base,
      outcome: 'refused',
      previousVersion,
      reason: `list ${list.name} v${list.version} is older than the published v${previousVersion}: raise its version above ${previousVersion}`,
    };
  // Written by a newer lists tool, or by hand: what it holds is unknown here, so it is never "unchanged".
  if ('unreadable' in stored)
    return {
      ...base,
      outcome: 'refused',
      previousVersion,
      reason: `${stored.unreadable}; raise the version of list ${list.name} above ${previousVersion} to publish over it`,
    };
  return stored.published.contentVersion === version
    ? { ...base, outcome: 'unchanged', previousVersion }
    : {
        ...base,
        outcome: 'refused',
        previousVersion,
        reason: `list ${list.name} v${list.version} is already published with other content: raise its version${otherSalt(list, stored.published)}`,
      };
};

/** A list that has expired is refused: published, its rules would silently stop matching. */
const refusedIfExpired = (publication: ListPublication, list: ListDocument, now: Date): ListPublication =>
  publication.outcome === 'published' && hasExpired(list, now)
    ? {
        ...publication,
        outcome: 'refused',
        reason: `list ${list.name} v${list.version} expired on ${list.expires}: published, its rules would match nothing; renew it (review it, raise its version, move expires)`,
      }
    : publication;

/** A list too large for the list store is refused before anything is written, rather than failing mid-load. */
const refusedIfTooLarge = (publication: ListPublication, list: ListDocument): ListPublication => {
  if (publication.outcome !== 'published') return publication;
  const bytes = storedBytesOf(list);
  return bytes <= LIST_VERSION_MAX_BYTES
    ? publication
    : {
        ...publication,
        outcome: 'refused',
        reason: `list ${list.name} v${list.version} takes ${bytes} bytes as stored (${list.values.length} values), above the ${LIST_VERSION_MAX_BYTES} one list version can take (the list store keeps it in one DynamoDB item, 400 KB at most): split its values into two lists`,
      };
};

/** An expired list is refused unless it is already published as it is: that one, and one expiring soon, are warned of. */
const warningOf = (list: ListDocument, publication: ListPublication, now: Date): string | undefined => {
  const notice = expiryNoticeOf(list, now);
  if (notice === undefined || (hasExpired(list, now) && publication.outcome !== 'unchanged'))
    return undefined;
  return `warn ${notice}`;
};

const withheld = (publication: ListPublication, reason: string): ListPublication =>
  publication.outcome === 'published' ? { ...publication, outcome: 'withheld', reason } : publication;

/**
 * Publishes a rule set's lists to the list store: a list whose version is already published with the
 * same content is left alone, a newer version is stored beside the older ones (the newest wins). An older
 * version, one that has expired, the same version with other content, or a rule set (of `ruleSets`) that
 * does not compile with the new lists refuses the whole load before anything is written (a list expiring
 * within 30 days is only warned about). Lists are then stored one by one: one
 * that another load stored first with other content is refused, the others are still stored, and the
 * result says which. Each stored list is recorded in the audit log (`list.publish`, before and after
 * versions) exactly once: a rerun records a list stored by a load that failed before its audit entry,
 * and so does a load of a newer version, before storing it.
 */
export const makePublishLists = (deps: PublishListsDeps) => {
  const recordPublication = makeRecordPublication(deps);
  return async (input: PublishListsInput): Promise<PublishListsResult> => {
    const now = deps.clock.now();
    const planned = await Promise.all(
      input.lists.map(async (list) => {
        const version = listContentVersion(list);
        const stored = await readStoredVersion(() => deps.lists.newestOf(list.name));
        const publication = refusedIfTooLarge(
          refusedIfExpired(publicationOf(list, stored, version), list, now),
          list,
        );
        return { list, version, stored, publication };
      }),
    );
    const warnings = planned.flatMap(({ list, publication }) => warningOf(list, publication, now) ?? []);
    const refusedEarly = (reason: string, ruleSetIssues: RuleSetRefusal[] = []): PublishListsResult => ({
      ok: false,
      publications: planned.map((plan) => withheld(plan.publication, reason)),
      ruleSetIssues,
      warnings,
    });
    if (planned.some((plan) => plan.publication.outcome === 'refused'))
      return refusedEarly('not written: another list of this load was refused');
    const ruleSetIssues = ruleSetIssuesWith(
      input.ruleSets,
      planned.filter((plan) => plan.publication.outcome === 'published').map((plan) => plan.list),
    );
    if (ruleSetIssues.length > 0)
      return refusedEarly('not written: a rule set cannot use the lists of this load', ruleSetIssues);

    const at = now.toISOString();
    const write = async (plan: (typeof planned)[number]): Promise<void> => {
      const storedBefore = readableOf(plan.stored);
      if (plan.publication.outcome === 'unchanged') {
        // Stored by an earlier load, which may have failed before recording it.
        await recordPublication(storedBefore!);
        return;
      }
      const published = {
        list: plan.list,
        contentVersion: plan.version,
        publishedAt: at,
        publishedBy: input.actor,
      };
      // The version this one follows may have been stored by a load that failed before its audit entry:
      // recorded first, no version is ever live without one, whatever runs next. (One this code cannot
      // read was written by another tool, which records its own.)
      if (storedBefore !== undefined) await recordPublication(storedBefore);
      if (await deps.lists.putIfAbsent(published)) {
        // Another load may have stored a version between the one planned on and this one meanwhile.
        const below = readableOf(
          await readStoredVersion(() => deps.lists.newestBefore(plan.list.name, plan.list.version)),
        );
        if (below !== undefined && below.list.version !== plan.stored?.version) {
          await recordPublication(below);
        }
        await recordPublication(published);
        return;
      }
      // Another load stored this version first: the same content is no change, other content a conflict
      // (judged on that version, whatever was stored above it since).
      const same = await readStoredVersion(() => deps.lists.versionOf(plan.list.name, plan.list.version));
      plan.publication = publicationOf(plan.list, same, plan.version);
      if (plan.publication.outcome === 'unchanged') await recordPublication(readableOf(same)!);
    };
    for (const [index, plan] of planned.entries()) {
      try {
        await write(plan);
      } catch (error) {
        const { name, version } = plan.publication;
        const reason = (error as Error).message;
        const stopped = `the load stopped at ${name} v${version}`;
        return {
          ok: false,
          publications: planned.map((other, i) =>
            i < index
              ? other.publication
              : i === index
                ? { ...other.publication, outcome: 'uncertain', reason }
                : withheld(other.publication, stopped),
          ),
          ruleSetIssues: [],
          warnings,
          interrupted: { name, version, reason },
        };
      }
    }
    const publications = planned.map((plan) => plan.publication);
    return {
      ok: publications.every((publication) => publication.outcome !== 'refused'),
      publications,
      ruleSetIssues: [],
      warnings,
    };
  };
};
