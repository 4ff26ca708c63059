import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHashedRuleSetDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { baselineFacts } from '../../functions/core/rules/cases/index.js';
import type { ListDocument } from '../../functions/core/rules/index.js';
import { type PublishedList, UnreadableListError } from '../../functions/ports/list-store.js';
import { makeLoadScreeningPolicy } from '../../functions/screen/load-screening-policy.js';

const RULES = resolve(import.meta.dirname, '../../rules/default');
const bundled = readHashedRuleSetDirectory(RULES).input;
const bundledList = (name: string): ListDocument =>
  bundled.lists.find((source) => (source.document as ListDocument).name === name)!.document as ListDocument;

const published = (list: ListDocument): PublishedList => ({
  list,
  contentVersion: `sha256:${list.name}-${list.version}`,
  publishedAt: '2026-11-29T00:00:00.000Z',
  publishedBy: 'analyst',
});

/** A list store holding `lists`, whose versions in `unreadable` (`name vN`) it cannot read. */
const storeOf = (lists: PublishedList[], unreadable: string[] = []) => {
  const versions = (name: string) =>
    lists.filter(({ list }) => list.name === name).sort((a, b) => b.list.version - a.list.version);
  const read = (found: PublishedList | undefined) => {
    if (found && unreadable.includes(`${found.list.name} v${found.list.version}`))
      throw new UnreadableListError(found.list.name, found.list.version, "unknown field 'region'");
    return found;
  };
  return {
    newestOf: async (name: string) => read(versions(name)[0]),
    newestBefore: async (name: string, version: number) =>
      read(versions(name).find(({ list }) => list.version < version)),
  };
};

const load = (lists: PublishedList[], unreadable: string[] = []) =>
  makeLoadScreeningPolicy({ bundled: () => bundled, lists: storeOf(lists, unreadable) })();

/** A parcel from Muse (on border-origins v2 below only), otherwise the cases' baseline. */
const fromMuse = () => {
  const facts = structuredClone(baselineFacts());
  facts.parcel.route.origin.city = 'Muse';
  return facts;
};

describe('the rule set screen loads at cold start', () => {
  const borderOriginsV2 = { ...bundledList('border-origins'), version: 2, values: ['Muse'] };

  it('takes the newest published version of a list over an older bundled file, and names it', async () => {
    // Act
    const { policy, fromStore, refused } = await load([published(borderOriginsV2)]);
    // Assess
    expect(fromStore).toEqual(['border-origins v2']);
    expect(refused).toEqual([]);
    expect(policy.evaluate(fromMuse()).firedRules.map((rule) => rule.ruleId)).toContain('origin-border-town');
  });

  it('reads a published list with a repeated value as published before repeats were refused: the repeat merged', async () => {
    // Act
    const { policy, fromStore, refused } = await load([
      published({ ...borderOriginsV2, values: ['Muse', 'MUSE', 'Muse'] }),
    ]);
    // Assess
    expect(refused).toEqual([]);
    expect(fromStore).toEqual(['border-origins v2']);
    expect(policy.evaluate(fromMuse()).firedRules.map((rule) => rule.ruleId)).toContain('origin-border-town');
  });

  it('keeps the bundled file when the published version is older than it', async () => {
    // Act
    const { policy, fromStore } = await load([published({ ...borderOriginsV2, version: 0 })]);
    // Assess
    expect(fromStore).toEqual([]);
    expect(policy.evaluate(fromMuse()).firedRules.map((rule) => rule.ruleId)).not.toContain(
      'origin-border-town',
    );
  });

  it('keeps an expired published list in force as published: conditions on it are missing, the older file does not return', async () => {
    // Prepare
    const expired = { ...borderOriginsV2, expires: '2026-01-01' };
    // Act
    const { policy, fromStore } = await load([published(expired)]);
    const facts = fromMuse();
    facts.parcel.route.origin.city = 'Ruili'; // on the bundled v1 only
    // Assess
    expect(fromStore).toEqual(['border-origins v2']);
    expect(policy.evaluate(facts).firedRules.map((rule) => rule.ruleId)).not.toContain('origin-border-town');
  });

  it('screens on with the bundled file when a published list cannot be used with the bundled rules, and says why', async () => {
    // Prepare: watched-phones v2 holds consignee keys, but the deployed rule compares parties.phone
    const wrongKind = {
      ...bundledList('watched-phones'),
      version: 2,
      holds: 'consignee' as const,
      values: ['cn_AAAAAAAAAAAAAAAAAAAAAA'],
    };
    // Act
    const { policy, fromStore, refused } = await load([published(wrongKind), published(borderOriginsV2)]);
    // Assess
    expect(fromStore).toEqual(['border-origins v2']);
    expect(refused).toEqual([
      {
        list: 'watched-phones v2',
        reason: expect.stringMatching(/phone-on-watchlist.*holds consignee keys/),
        instead: 'bundled file v1',
      },
    ]);
    expect(policy.evaluate(fromMuse()).firedRules.map((rule) => rule.ruleId)).toContain('origin-border-town');
  });

  it('falls back to the newest older published version it can use, not past it to the bundled file', async () => {
    // Prepare: v2 (good) added Muse; v3 (bad: numbers where the rules compare cities) was published after it
    const badV3 = { ...borderOriginsV2, version: 3, values: [95, 96] as unknown as string[] };
    // Act
    const { policy, fromStore, refused } = await load([published(borderOriginsV2), published(badV3)]);
    // Assess
    expect(fromStore).toEqual(['border-origins v2']);
    expect(refused).toEqual([
      { list: 'border-origins v3', reason: expect.any(String), instead: 'border-origins v2' },
    ]);
    expect(policy.evaluate(fromMuse()).firedRules.map((rule) => rule.ruleId)).toContain('origin-border-town');
  });

  it('refuses a published version it cannot read (a newer tool wrote it), as one it cannot use', async () => {
    // Prepare: v3 was written by a lists tool that knows a field this deployment does not
    const v3 = { ...borderOriginsV2, version: 3 };
    // Act
    const { policy, fromStore, refused } = await load(
      [published(borderOriginsV2), published(v3)],
      ['border-origins v3'],
    );
    // Assess: screening goes on with v2, and says why v3 is not used
    expect(fromStore).toEqual(['border-origins v2']);
    expect(refused).toEqual([
      {
        list: 'border-origins v3',
        reason: expect.stringMatching(/stored list border-origins v3 is not a list this code can read/),
        instead: 'border-origins v2',
      },
    ]);
    expect(policy.evaluate(fromMuse()).firedRules.map((rule) => rule.ruleId)).toContain('origin-border-town');
  });

  it("refuses a published watchlist hashed with another salt than the deployment's, whose keys match no parcel", async () => {
    // Prepare: watched-phones v2 loaded from a shell whose PARTY_KEY_SALT was not the deployment's
    const otherSalt = readHashedRuleSetDirectory(RULES, 'another-salt-of-some-shell-0123').input;
    const watched = otherSalt.lists.find((source) => source.file.includes('watched-phones'))!
      .document as ListDocument;
    // Act
    const { fromStore, refused } = await load([published({ ...watched, version: 2 })]);
    // Assess
    expect(fromStore).toEqual([]);
    expect(refused).toEqual([
      {
        list: 'watched-phones v2',
        reason: expect.stringMatching(/hashed with another PARTY_KEY_SALT than this deployment's/),
        instead: 'bundled file v1',
      },
    ]);
  });
});
