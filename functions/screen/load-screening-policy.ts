import {
  type CompiledRuleSet,
  compileRuleSet,
  keyedWithOtherSalt,
  listVersionsOf,
  RuleSetError,
  type RuleSetInput,
  type RuleSetSourceFile,
  saltProofsOf,
  withListsReplaced,
  withoutRepeatedValues,
} from '../core/rules/index.js';
import {
  type PublishedList,
  readStoredVersion,
  type StoredVersion,
  type VersionedListStore,
} from '../ports/list-store.js';

export interface LoadScreeningPolicyDeps {
  /** The bundled rule set, its watchlists hashed with the deployment's salt. */
  bundled: () => RuleSetInput;
  lists: Pick<VersionedListStore, 'newestOf' | 'newestBefore'>;
}

export interface ScreeningPolicyLoad {
  policy: CompiledRuleSet;
  /** The lists taken from the list store (`name vN`), the others being the bundled files. */
  fromStore: string[];
  /**
   * Published lists this rule set cannot use (a list holding another kind of key than its rules compare,
   * say), with why, and what screens in their place: the newest older published version it can use, or
   * the bundled file. The handler logs them on every batch, which keeps an alarm raised.
   */
  refused: { list: string; reason: string; instead: string }[];
}

const sourceOf = ({ list }: PublishedList): RuleSetSourceFile => ({
  file: `lists table: ${list.name} v${list.version}`,
  document: withoutRepeatedValues(list),
});

const nameOf = ({ list }: PublishedList): string => `${list.name} v${list.version}`;

/** Older versions tried in place of a refused one, at most: a fallback, not an archaeology. */
const MAX_OLDER_VERSIONS = 5;

/**
 * The rule set the screen function evaluates, built at cold start and at each check of the published
 * lists (refreshing-policy.ts): the bundled rule set with, for every list it has, the newest version
 * published to the list store (`npm run lists -- load`) when that is at least as new as the bundled
 * file, and the bundled file otherwise. So analysts change a list without a code deploy; the rule set
 * version (the hash of its content, lists included) changes with it. An expired published list stays in
 * force as published: conditions on it are missing from its expiry on.
 *
 * A published version the bundled rule set cannot compile with, or that this code cannot read (written
 * by a newer lists tool, say), is refused, and the newest older published version it can use (not older
 * than the bundled file) takes its place, else the bundled file: one bad publish neither stops all
 * screening nor undoes the good publishes before it.
 */
export const makeLoadScreeningPolicy =
  (deps: LoadScreeningPolicyDeps) => async (): Promise<ScreeningPolicyLoad> => {
    const bundled = deps.bundled();
    const bundledVersions = listVersionsOf(bundled);
    const bundledProofs = saltProofsOf(bundled);
    const compileWith = (stored: readonly PublishedList[]) =>
      compileRuleSet(withListsReplaced(bundled, stored.map(sourceOf)));
    /** Why the bundled rule set cannot use this version (with the bundled files otherwise), if it cannot. */
    const problemWith = (published: PublishedList): string | undefined => {
      if (keyedWithOtherSalt(published.list, bundledProofs.get(published.list.name)))
        return `its keys were hashed with another PARTY_KEY_SALT than this deployment's: no parcel would match them; load it again with the deployment's salt`;
      try {
        compileWith([published]);
        return undefined;
      } catch (error) {
        if (!(error instanceof RuleSetError)) throw error;
        return error.message;
      }
    };

    const names = [...bundledVersions.keys()];
    const newest = await Promise.all(names.map((name) => readStoredVersion(() => deps.lists.newestOf(name))));
    const refused: ScreeningPolicyLoad['refused'] = [];
    const usable: PublishedList[] = [];
    for (const [index, name] of names.entries()) {
      const bundledVersion = bundledVersions.get(name)!;
      /** A stored version screen may take: one older than the bundled file never is. */
      const candidate = (found: StoredVersion | undefined) =>
        found !== undefined && found.version >= bundledVersion ? found : undefined;
      let current = candidate(newest[index]);
      const problems: { list: string; reason: string }[] = [];
      for (let tried = 0; current !== undefined && tried <= MAX_OLDER_VERSIONS; tried += 1) {
        const reason = 'unreadable' in current ? current.unreadable : problemWith(current.published);
        if (reason === undefined) break;
        problems.push({ list: `${name} v${current.version}`, reason });
        const below = current.version;
        current = candidate(await readStoredVersion(() => deps.lists.newestBefore(name, below)));
      }
      const found = problems.length <= MAX_OLDER_VERSIONS ? current : undefined;
      const instead = found !== undefined && 'published' in found ? found.published : undefined;
      if (instead !== undefined) usable.push(instead);
      const fallback = instead === undefined ? `bundled file v${bundledVersion}` : nameOf(instead);
      for (const problem of problems) refused.push({ ...problem, instead: fallback });
    }
    try {
      return { policy: compileWith(usable), fromStore: usable.map(nameOf), refused };
    } catch (error) {
      if (!(error instanceof RuleSetError)) throw error;
      // Each compiles alone but not together: no way to tell which to trust, so the bundled files.
      for (const published of usable) {
        refused.push({
          list: nameOf(published),
          reason: `cannot be used together with the other published lists: ${error.message}`,
          instead: `bundled file v${bundledVersions.get(published.list.name)}`,
        });
      }
      return { policy: compileWith([]), fromStore: [], refused };
    }
  };
