import {
  type CompiledRuleSet,
  compileRuleSet,
  ListDocumentSchema,
  type RuleSetInput,
} from '../core/rules/index.js';
import type { Clock } from '../ports/clock.js';
import type { ListStore } from '../ports/list-store.js';

export interface LoadScreeningPolicyDeps {
  /** The bundled rule set, its watchlists hashed with the deployment's salt. */
  bundled: () => RuleSetInput;
  lists: ListStore;
  clock: Clock;
}

export interface ScreeningPolicyLoad {
  policy: CompiledRuleSet;
  /** The lists taken from the list store (`name vN`), the others being the bundled files. */
  fromStore: string[];
}

/**
 * The rule set the screen function evaluates, built at cold start: the bundled rule set with, for every
 * list, the newest unexpired version published to the list store (`npm run lists -- load`) when it is
 * at least as new as the bundled file, and the bundled file otherwise. So analysts change a list
 * without a code deploy; the rule set version (the hash of its content, lists included) changes with it.
 */
export const makeLoadScreeningPolicy =
  (deps: LoadScreeningPolicyDeps) => async (): Promise<ScreeningPolicyLoad> => {
    const bundled = deps.bundled();
    const nowMs = deps.clock.now().getTime();
    const bundledVersions = new Map<string, number>();
    for (const source of bundled.lists) {
      const parsed = ListDocumentSchema.safeParse(source.document);
      if (parsed.success) bundledVersions.set(parsed.data.name, parsed.data.version);
    }
    const stored = (await deps.lists.newestOfEach()).filter(({ list }) => {
      const unexpired = list.expires === undefined || Date.parse(list.expires) > nowMs;
      return unexpired && list.version >= (bundledVersions.get(list.name) ?? 0);
    });
    const storedNames = new Set(stored.map(({ list }) => list.name));
    const lists = [
      ...bundled.lists.filter(
        (source) => !storedNames.has((source.document as { name?: string }).name ?? ''),
      ),
      ...stored.map(({ list }) => ({ file: `lists table: ${list.name} v${list.version}`, document: list })),
    ];
    return {
      policy: compileRuleSet({ ruleSet: bundled.ruleSet, lists }),
      fromStore: stored.map(({ list }) => `${list.name} v${list.version}`),
    };
  };
