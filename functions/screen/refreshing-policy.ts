import { LISTS_NOT_REFRESHED, SHADOW_RULE_SET_REFUSED } from '../../infra/definitions.js';
import type { Logger } from '../platform/logger.js';
import type { Clock } from '../ports/clock.js';
import type { ScreeningPolicyLoad } from './load-screening-policy.js';

/** The rule sets screen evaluates, and what screens with them: replaced whole, never changed in place. */
export interface PoliciesInForce<S> {
  live: ScreeningPolicyLoad;
  /** The shadow rule set, when one is deployed and could be loaded. */
  shadow?: ScreeningPolicyLoad;
  screening: S;
}

export interface RefreshingPolicyDeps<S> {
  clock: Clock;
  /** LIST_REFRESH_SECONDS: a check of the published lists holds this long. */
  refreshSeconds: number;
  /** The live rule set with the newest published lists it can use; throws when the lists cannot be read. */
  load: () => Promise<ScreeningPolicyLoad>;
  /** The shadow rule set's, when one is deployed (`dir` names it in the log). */
  shadow?: { dir: string; load: () => Promise<ScreeningPolicyLoad> };
  /** What screens with the rule sets: built again only when the version of either changes. */
  build: (policies: { live: ScreeningPolicyLoad; shadow?: ScreeningPolicyLoad }) => S;
  logger: Logger;
}

/** The load, with the policy already in force when its version (the hash of its content, lists included) is unchanged. */
const keepUnchanged = (
  previous: ScreeningPolicyLoad | undefined,
  next: ScreeningPolicyLoad,
): ScreeningPolicyLoad =>
  previous !== undefined && previous.policy.version === next.policy.version
    ? { ...next, policy: previous.policy }
    : next;

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const loadedFields = (load: ScreeningPolicyLoad, previous: ScreeningPolicyLoad | undefined) => ({
  ruleSetName: load.policy.id,
  version: load.policy.version,
  listsFromTable: load.fromStore,
  ...(previous === undefined ? {} : { previousVersion: previous.policy.version }),
});

/** What is kept in force when a check fails. */
const inForceFields = (load: ScreeningPolicyLoad) => ({
  ruleSetName: load.policy.id,
  version: load.policy.version,
});

/**
 * The rule sets in force for the next batch. The first call loads them (and throws if the live one
 * cannot be loaded: nothing to screen with yet); after that, a call at least `refreshSeconds` after the
 * last check, successful or not, checks the published lists again first, so a load or a rollback is in
 * force on a running container within that time. A check that finds the same versions keeps what is in
 * force, screening included; one that fails logs it and keeps it, to try again after `refreshSeconds`.
 * A shadow rule set that could not be loaded is tried again at every check that read the live rule set's
 * lists (a check that could not is over before it). Calls during a check share it.
 */
export const makeRefreshingPolicy = <S>(
  deps: RefreshingPolicyDeps<S>,
): (() => Promise<PoliciesInForce<S>>) => {
  const { logger } = deps;
  let inForce: PoliciesInForce<S> | undefined;
  let checkedAt = 0;
  let checking: Promise<PoliciesInForce<S>> | undefined;

  /** Best effort: nothing acts on a shadow, so nothing waits on one, nor fails with it. */
  const loadShadow = async (previous: ScreeningPolicyLoad | undefined) => {
    if (deps.shadow === undefined) return undefined;
    try {
      return keepUnchanged(previous, await deps.shadow.load());
    } catch (error) {
      const reason = reasonOf(error);
      if (previous === undefined) logger.error(SHADOW_RULE_SET_REFUSED, { dir: deps.shadow.dir, reason });
      else logger.error(LISTS_NOT_REFRESHED, { ruleSet: 'shadow', ...inForceFields(previous), reason });
      return previous;
    }
  };

  const check = async (previous: PoliciesInForce<S> | undefined): Promise<PoliciesInForce<S>> => {
    checkedAt = deps.clock.now().getTime();
    let live: ScreeningPolicyLoad;
    try {
      live = keepUnchanged(previous?.live, await deps.load());
    } catch (error) {
      if (previous === undefined) throw error;
      logger.error(LISTS_NOT_REFRESHED, {
        ruleSet: 'live',
        ...inForceFields(previous.live),
        reason: reasonOf(error),
      });
      return previous;
    }
    if (live.policy !== previous?.live.policy)
      logger.info('rule set loaded', loadedFields(live, previous?.live));
    const shadow = await loadShadow(previous?.shadow);
    if (shadow !== undefined && shadow.policy !== previous?.shadow?.policy) {
      logger.info('shadow rule set loaded', loadedFields(shadow, previous?.shadow));
      // Not the live alarm's business: the shadow screens with what it could use, and acts on nothing.
      for (const refusal of shadow.refused)
        logger.warn('published list refused by the shadow rule set', refusal);
    }
    const unchanged =
      previous !== undefined &&
      live.policy === previous.live.policy &&
      shadow?.policy === previous.shadow?.policy;
    const policies = { live, ...(shadow === undefined ? {} : { shadow }) };
    inForce = { ...policies, screening: unchanged ? previous.screening : deps.build(policies) };
    return inForce;
  };

  const due = (): boolean => {
    const elapsed = deps.clock.now().getTime() - checkedAt;
    // A clock set back would otherwise hold the lists for as long as it was set back.
    return elapsed >= deps.refreshSeconds * 1_000 || elapsed < 0;
  };

  return async () => {
    if (checking !== undefined) return checking;
    if (inForce !== undefined && !due()) return inForce;
    checking = check(inForce).finally(() => {
      checking = undefined;
    });
    return checking;
  };
};
