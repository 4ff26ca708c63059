import {
  keyedWithOtherSalt,
  type ListDocument,
  listContentVersion,
  listVersionsOf,
  saltProofsOf,
  withoutRepeatedValues,
} from '../core/rules/index.js';
import { type PublishedList, readableOf, readStoredVersion } from '../ports/list-store.js';
import {
  expiryNoticeOf,
  hasExpired,
  makeRecordPublication,
  type PublishListsDeps,
  type RuleSetRefusal,
  type RuleSetToCheck,
  ruleSetIssuesWith,
} from './list-publication.js';

export interface RollbackListInput {
  name: string;
  /** The published version whose content is published again. */
  to: number;
  actor: string;
  ruleSets: readonly RuleSetToCheck[];
}

export type RollbackListResult =
  | {
      outcome: 'rolled-back' | 'unchanged';
      name: string;
      version: number;
      from: number;
      to: number;
      /** The restored list expires within 30 days. */
      warning?: string;
    }
  | { outcome: 'refused'; name: string; to: number; reason: string; ruleSetIssues: RuleSetRefusal[] };

/** The newest version of list `name` bundled with any of the rule sets (0 when none has it). */
const bundledVersionOf = (ruleSets: readonly RuleSetToCheck[], name: string): number =>
  Math.max(0, ...ruleSets.map(({ input }) => listVersionsOf(input).get(name) ?? 0));

/**
 * The salt proof of watchlist `name` as the rule sets bundle it, hashed with this tool's PARTY_KEY_SALT
 * (undefined when no rule set bundles it as a hashed watchlist).
 */
const bundledSaltProofOf = (ruleSets: readonly RuleSetToCheck[], name: string): string | undefined =>
  ruleSets.map(({ input }) => saltProofsOf(input).get(name)).find((proof) => proof !== undefined);

/**
 * Undoes a bad list: publishes the stored content of version `to` again as a new version (above the
 * newest published and any bundled file of the rule sets, so it wins as any newer version does; a stored
 * version this code cannot read counts by its number), after
 * the checks of a load (a version that has expired is refused: restored, its rules would match
 * nothing; so is a watchlist keyed with another salt than the tool's, which screen would refuse), and
 * records it in the audit log (`list.rollback`, from and to versions). Run again after a
 * failure, it finds the newest version already republishing `to`, and only makes sure that is recorded.
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
    const now = deps.clock.now();
    const done = (outcome: 'rolled-back' | 'unchanged', published: PublishedList): RollbackListResult => {
      // Never expired (refused below): at most expiring soon.
      const notice = expiryNoticeOf(published.list, now);
      const warning = notice === undefined ? undefined : `warn ${notice}`;
      return {
        outcome,
        name,
        version: published.list.version,
        from: published.rollback!.from,
        to,
        ...(warning === undefined ? {} : { warning }),
      };
    };
    const [newestStored, targetStored] = await Promise.all([
      readStoredVersion(() => deps.lists.newestOf(name)),
      readStoredVersion(() => deps.lists.versionOf(name, to)),
    ]);
    if (newestStored === undefined) return refused(`list ${name} has never been published`);
    const newest = readableOf(newestStored);
    // Screen uses a bundled file newer than the newest published version (on a tie, the published one).
    const bundled = bundledVersionOf(input.ruleSets, name);
    const inForce = Math.max(newestStored.version, bundled);
    if (newest?.rollback?.to === to && newestStored.version === inForce) {
      await recordPublication(newest);
      return done('unchanged', newest);
    }
    if (targetStored === undefined)
      return refused(`list ${name} has no published v${to} (the newest is v${newestStored.version})`);
    if ('unreadable' in targetStored)
      return refused(`${targetStored.unreadable}: roll back to a version this tool can read`);
    const target = targetStored.published;
    // (A bundled file in force is newer than every published version, `to` included.)
    if (inForce === to)
      return refused(`list ${name} v${to} is already the newest version: nothing to roll back`);
    if (hasExpired(target.list, now))
      return refused(
        `list ${name} v${to} expired on ${target.list.expires}: restored, its rules would match nothing; publish a renewed list instead (raise its version, move expires, then npm run lists -- load)`,
      );

    if (keyedWithOtherSalt(target.list, bundledSaltProofOf(input.ruleSets, name)))
      return refused(
        `list ${name} v${to} was hashed with another PARTY_KEY_SALT than this tool's: screen refuses a watchlist keyed with any salt but the deployment's, so restored it would match no parcel; check that PARTY_KEY_SALT is the deployment's, or roll back to a version loaded with it`,
      );

    // Above any bundled file too: a rollback below a newer bundled file would not apply. A version
    // published before repeats were refused is republished with its repeats merged.
    const list: ListDocument = withoutRepeatedValues({ ...target.list, version: inForce + 1 });
    const ruleSetIssues = ruleSetIssuesWith(input.ruleSets, [list]);
    if (ruleSetIssues.length > 0)
      return refused(`a rule set cannot use list ${name} as it was in v${to}`, ruleSetIssues);
    const published: PublishedList = {
      list,
      contentVersion: listContentVersion(list),
      publishedAt: now.toISOString(),
      publishedBy: input.actor,
      rollback: { from: inForce, to },
    };
    // The newest may have been stored by a load that failed before its audit entry: recorded first.
    if (newest !== undefined) await recordPublication(newest);
    if (await deps.lists.putIfAbsent(published)) {
      await recordPublication(published);
      return done('rolled-back', published);
    }
    // Another publication took that version: this very rollback, by another run, or something else
    // (judged on that version, whatever was stored above it since).
    const stored = readableOf(await readStoredVersion(() => deps.lists.versionOf(name, list.version)));
    if (stored?.rollback?.to === to && stored.contentVersion === published.contentVersion) {
      await recordPublication(stored);
      return done('unchanged', stored);
    }
    return refused(
      `another publication stored ${name} v${list.version} first: check the published versions and run the rollback again`,
    );
  };
};
