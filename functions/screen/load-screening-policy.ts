import {
  type CompiledRuleSet,
  compileRuleSet,
  ListDocumentSchema,
  RuleSetError,
  type RuleSetInput,
  type RuleSetSourceFile,
} from '../core/rules/index.js';
import type { ListStore, PublishedList } from '../ports/list-store.js';

export interface LoadScreeningPolicyDeps {
  /** The bundled rule set, its watchlists hashed with the deployment's salt. */
  bundled: () => RuleSetInput;
  lists: ListStore;
}

export interface ScreeningPolicyLoad {
  policy: CompiledRuleSet;
  /** The lists taken from the list store (`name vN`), the others being the bundled files. */
  fromStore: string[];
  /**
   * Published lists this rule set cannot use (a list holding another kind of key than its rules compare,
   * say), with why: screening goes on with the bundled file of each, and the handler raises an alarm.
   */
  refused: { list: string; reason: string }[];
}

const sourceOf = ({ list }: PublishedList): RuleSetSourceFile => ({
  file: `lists table: ${list.name} v${list.version}`,
  document: list,
});

/**
 * The rule set the screen function evaluates, built at cold start: the bundled rule set with, for every
 * list it has, the newest version published to the list store (`npm run lists -- load`) when that is at
 * least as new as the bundled file, and the bundled file otherwise. So analysts change a list without a
 * code deploy; the rule set version (the hash of its content, lists included) changes with it. An
 * expired published list stays in force as published: conditions on it are missing from its expiry on.
 *
 * A published list the bundled rule set cannot compile with is left out, and named in `refused`:
 * one bad publish must not stop all screening (every record would fail at every cold start).
 */
export const makeLoadScreeningPolicy =
  (deps: LoadScreeningPolicyDeps) => async (): Promise<ScreeningPolicyLoad> => {
    const bundled = deps.bundled();
    const bundledVersions = new Map<string, number>();
    for (const source of bundled.lists) {
      const parsed = ListDocumentSchema.safeParse(source.document);
      if (parsed.success) bundledVersions.set(parsed.data.name, parsed.data.version);
    }
    const newest = await Promise.all([...bundledVersions.keys()].map((name) => deps.lists.newestOf(name)));
    const candidates = newest.filter(
      (published): published is PublishedList =>
        published !== undefined && published.list.version >= bundledVersions.get(published.list.name)!,
    );
    const compileWith = (stored: readonly PublishedList[]) => {
      const names = new Set(stored.map(({ list }) => list.name));
      return compileRuleSet({
        ruleSet: bundled.ruleSet,
        lists: [
          ...bundled.lists.filter((source) => !names.has((source.document as { name?: string }).name ?? '')),
          ...stored.map(sourceOf),
        ],
      });
    };
    const refused: ScreeningPolicyLoad['refused'] = [];
    let usable = candidates;
    try {
      return { policy: compileWith(usable), fromStore: usable.map(nameOf), refused };
    } catch (error) {
      if (!(error instanceof RuleSetError)) throw error;
    }
    // Which published lists break it: each is tried alone with the bundled rule set and files.
    usable = candidates.filter((published) => {
      try {
        compileWith([published]);
        return true;
      } catch (error) {
        if (!(error instanceof RuleSetError)) throw error;
        refused.push({ list: nameOf(published), reason: error.message });
        return false;
      }
    });
    // Lists that compile alone but not together leave no way to tell which to trust: bundled files only.
    try {
      return { policy: compileWith(usable), fromStore: usable.map(nameOf), refused };
    } catch (error) {
      if (!(error instanceof RuleSetError)) throw error;
      for (const published of usable) {
        refused.push({
          list: nameOf(published),
          reason: 'cannot be used together with the other published lists',
        });
      }
      return { policy: compileWith([]), fromStore: [], refused };
    }
  };

const nameOf = ({ list }: PublishedList): string => `${list.name} v${list.version}`;
