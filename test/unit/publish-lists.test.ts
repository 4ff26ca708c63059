import { describe, expect, it } from 'vitest';
import { readHashedRuleSetDirectory } from '../../functions/adapters/file-rule-set-source.js';
import type { AuditDraft, AuditEntry } from '../../functions/core/audit/audit-chain.js';
import { contentVersion, type ListDocument, ListDocumentSchema } from '../../functions/core/rules/index.js';
import {
  auditDraftOf,
  expiryNoticeOf,
  type RuleSetToCheck,
  ruleSetIssuesWith,
} from '../../functions/operations/list-publication.js';
import { makePublishLists } from '../../functions/operations/publish-lists.js';
import { makeRollbackList } from '../../functions/operations/rollback-list.js';
import {
  type PublishedList,
  UnreadableListError,
  type VersionedListStore,
} from '../../functions/ports/list-store.js';

const SALT = 'publish-lists-unit-salt-0123456789';
const defaultRuleSet = (): RuleSetToCheck => ({
  directory: 'rules/default',
  input: readHashedRuleSetDirectory('rules/default', SALT).input,
});
const listOf = (name: string): ListDocument =>
  ListDocumentSchema.parse(
    defaultRuleSet().input.lists.find((source) => source.file.includes(name))!.document,
  );

/** watched-phones as a load with another PARTY_KEY_SALT than this tool's hashed it. */
const watchedPhonesWithOtherSalt = (): ListDocument =>
  ListDocumentSchema.parse(
    readHashedRuleSetDirectory('rules/default', 'another-salt-of-some-shell-0123').input.lists.find(
      (source) => source.file.includes('watched-phones'),
    )!.document,
  );

/** A list as an earlier load stored it. */
const storedAs = (list: ListDocument, publishedBy = 'x'): PublishedList => ({
  list,
  contentVersion: contentVersion(list),
  publishedAt: '2026-05-01T00:00:00.000Z',
  publishedBy,
});

/** A list store in memory, every version kept. */
const memoryStore = (items: PublishedList[] = []): VersionedListStore & { items: PublishedList[] } => {
  const versions = (name: string) =>
    items.filter((item) => item.list.name === name).sort((a, b) => b.list.version - a.list.version);
  return {
    items,
    newestOf: async (name) => versions(name)[0],
    versionOf: async (name, version) => versions(name).find((item) => item.list.version === version),
    newestBefore: async (name, version) => versions(name).find((item) => item.list.version < version),
    putIfAbsent: async (published) => {
      if (versions(published.list.name).some((item) => item.list.version === published.list.version))
        return false;
      items.push(published);
      return true;
    },
  };
};

const memoryAuditLog = () => {
  const entries: AuditDraft[] = [];
  return {
    entries,
    appendOnce: async (draft: AuditDraft) => {
      if (!entries.some((entry) => entry.actionId === draft.actionId)) entries.push(draft);
      return draft as AuditEntry;
    },
    readAll: async () => new Map<string, AuditEntry[]>(),
  };
};

const clock = { now: () => new Date('2026-06-01T08:00:00Z') };

/** Rolls list `name` in `store` back to version `to`, as li.na, checked against the default rule set. */
const rollBack = (store: VersionedListStore, name: string, to: number) =>
  makeRollbackList({ lists: store, auditLog: memoryAuditLog(), clock })({
    name,
    to,
    actor: 'li.na',
    ruleSets: [defaultRuleSet()],
  });

describe('ruleSetIssuesWith', () => {
  it('compiles each rule set declaring a list with it in place of its file, naming the rule set', () => {
    // Prepare
    const consignees: ListDocument = { ...listOf('watched-phones'), version: 2, holds: 'consignee' };
    const unrelated: RuleSetToCheck = {
      directory: 'rules/team/other',
      input: {
        ...defaultRuleSet().input,
        ruleSet: { file: 'other', document: { lists: ['something-else'] } },
      },
    };

    // Act
    const issues = ruleSetIssuesWith([defaultRuleSet(), unrelated], [consignees]);
    const fine = ruleSetIssuesWith([defaultRuleSet()], [{ ...listOf('watched-phones'), version: 2 }]);

    // Assess
    expect(issues.map(({ ruleSet }) => ruleSet)).not.toContain('rules/team/other');
    expect(issues).toContainEqual({
      ruleSet: 'rules/default',
      issue: {
        file: 'rules/default/rule-set.yaml',
        ruleId: 'phone-on-watchlist',
        path: expect.stringMatching(/^rules\[\d+\]\.when\.in\.list$/),
        reason: 'parties.phone is a hashed phone key, but list watched-phones holds consignee keys',
      },
    });
    expect(fine).toEqual([]);
  });
});

describe('auditDraftOf', () => {
  it('gives one stored version the same entry whenever it is recorded, and marks a rollback', () => {
    // Prepare
    const list = { ...listOf('border-origins'), version: 3 };
    const published: PublishedList = {
      list,
      contentVersion: contentVersion(list),
      publishedAt: '2026-06-01T08:00:00.000Z',
      publishedBy: 'li.na',
    };

    // Act
    const first = auditDraftOf(published, undefined);
    const again = auditDraftOf(structuredClone(published), undefined);
    const rollback = auditDraftOf({ ...published, rollback: { from: 2, to: 1 } }, undefined);

    // Assess
    expect(again).toEqual(first);
    expect(first.actionId).toBe(`list.publish:border-origins:v3:${published.contentVersion}`);
    expect(rollback.action).toBe('list.rollback');
    expect(rollback.after).toMatchObject({ version: 3, rolledBackFrom: 2, restores: 1 });
  });

  it('names the version stored before it by its number and its content', () => {
    // Prepare
    const border = listOf('border-origins');
    const previous = storedAs({ ...border, version: 2, values: ['Ruili'] });
    const published = storedAs({ ...border, version: 3 });

    // Act
    const draft = auditDraftOf(published, { version: 2, published: previous });

    // Assess
    expect(draft.before).toEqual({ version: 2, content: previous.contentVersion });
  });
});

describe('expiryNoticeOf', () => {
  const border = listOf('border-origins');
  const now = new Date('2026-06-01T08:00:00Z');

  it.each([
    [
      'expired at now',
      '2026-06-01T08:00:00Z',
      /^list border-origins v1 expired on 2026-06-01T08:00:00Z: its rules match nothing/,
    ],
    [
      'expiring in 30 days less a second',
      '2026-07-01T07:59:59Z',
      /^list border-origins v1 expires on 2026-07-01T07:59:59Z \(in 30 day\(s\)\)/,
    ],
  ])('tells of a list %s', (_when, expires, notice) => {
    // Act / Assess
    expect(expiryNoticeOf({ ...border, expires }, now)).toMatch(notice);
  });

  it('says nothing of a list expiring 30 days from now or later', () => {
    // Act / Assess
    expect(expiryNoticeOf({ ...border, expires: '2026-07-01T08:00:00Z' }, now)).toBeUndefined();
  });
});

describe('makePublishLists', () => {
  /** The rule set's watched-phones, hashed with this load's salt, loaded into `store`. */
  const loadWatchedPhones = (store: VersionedListStore) =>
    makePublishLists({ lists: store, auditLog: memoryAuditLog(), clock })({
      lists: [listOf('watched-phones')],
      actor: 'li.na',
      ruleSets: [defaultRuleSet()],
    });

  it('takes a watchlist published before lists carried saltProof, loaded again unchanged, as unchanged', async () => {
    // Prepare: watched-phones v1 as an earlier lists tool stored it: no saltProof in it or its version
    const { saltProof: _proof, ...before } = listOf('watched-phones');
    const store = memoryStore([{ ...storedAs(before), contentVersion: contentVersion(before) }]);

    // Act
    const result = await loadWatchedPhones(store);

    // Assess
    expect(result.ok).toBe(true);
    expect(result.publications).toEqual([
      expect.objectContaining({ name: 'watched-phones', outcome: 'unchanged' }),
    ]);
  });

  it('says, refusing a watchlist version published with other keys, that the salts differ', async () => {
    // Prepare: watched-phones v1 is published, hashed with another salt than this load's
    const store = memoryStore([storedAs(watchedPhonesWithOtherSalt())]);

    // Act
    const result = await loadWatchedPhones(store);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.publications).toEqual([
      expect.objectContaining({
        name: 'watched-phones',
        outcome: 'refused',
        reason: expect.stringMatching(
          /already published with other content: raise its version \(the published version was hashed with another PARTY_KEY_SALT than this load's/,
        ),
      }),
    ]);
    expect(store.items).toHaveLength(1);
  });

  it('withholds every list and writes nothing when one is refused', async () => {
    // Prepare: border-origins v5 is published, so the file's v1 is older
    const border = listOf('border-origins');
    const store = memoryStore([
      {
        list: { ...border, version: 5 },
        contentVersion: 'sha256:v5',
        publishedAt: '2026-05-01T00:00:00.000Z',
        publishedBy: 'x',
      },
    ]);
    const publish = makePublishLists({ lists: store, auditLog: memoryAuditLog(), clock });

    // Act
    const result = await publish({
      lists: [border, listOf('wooden-goods-hs')],
      actor: 'li.na',
      ruleSets: [defaultRuleSet()],
    });

    // Assess
    expect(result.ok).toBe(false);
    expect(result.publications.map((publication) => publication.outcome)).toEqual(['refused', 'withheld']);
    expect(store.items).toHaveLength(1);
  });

  it('records a list that is already stored but was never recorded, once', async () => {
    // Prepare
    const border = listOf('border-origins');
    const store = memoryStore([storedAs(border, 'li.na')]);
    const auditLog = memoryAuditLog();
    const publish = makePublishLists({ lists: store, auditLog, clock });

    // Act
    const first = await publish({ lists: [border], actor: 'someone', ruleSets: [defaultRuleSet()] });
    await publish({ lists: [border], actor: 'someone', ruleSets: [defaultRuleSet()] });

    // Assess
    expect(first.publications[0]!.outcome).toBe('unchanged');
    expect(auditLog.entries).toHaveLength(1);
    expect(auditLog.entries[0]).toMatchObject({
      actor: 'li.na',
      at: '2026-05-01T00:00:00.000Z',
      before: null,
    });
  });

  it('takes a version another load stored first with the same content as unchanged, and records it', async () => {
    // Prepare: another load stores border-origins v1, as it is, just before this one writes it
    const border = listOf('border-origins');
    const store = memoryStore();
    const racing = {
      ...store,
      putIfAbsent: async (published: PublishedList) => {
        store.items.push(storedAs(border, 'wang.wei'));
        return store.putIfAbsent(published);
      },
    };
    const auditLog = memoryAuditLog();

    // Act
    const result = await makePublishLists({ lists: racing, auditLog, clock })({
      lists: [border],
      actor: 'li.na',
      ruleSets: [defaultRuleSet()],
    });

    // Assess
    expect(result.publications.map((publication) => publication.outcome)).toEqual(['unchanged']);
    expect(auditLog.entries).toHaveLength(1);
    expect(auditLog.entries[0]).toMatchObject({ actor: 'wang.wei' });
  });

  it('says which lists it wrote when the audit log fails partway, and a rerun records the one it stored', async () => {
    // Prepare: the audit log fails on its second entry
    const lists = [listOf('border-origins'), listOf('wooden-goods-hs'), listOf('wooden-goods-words')];
    const store = memoryStore();
    const auditLog = memoryAuditLog();
    let appends = 0;
    const failing = {
      ...auditLog,
      appendOnce: async (draft: AuditDraft) => {
        appends += 1;
        if (appends === 2) throw new Error('audit log unreachable');
        return auditLog.appendOnce(draft);
      },
    };

    // Act
    const first = await makePublishLists({ lists: store, auditLog: failing, clock })({
      lists,
      actor: 'li.na',
      ruleSets: [defaultRuleSet()],
    });
    const storedFirst = store.items.map((item) => item.list.name);
    const rerun = await makePublishLists({ lists: store, auditLog, clock })({
      lists,
      actor: 'li.na',
      ruleSets: [defaultRuleSet()],
    });

    // Assess
    expect(first.ok).toBe(false);
    expect(first.interrupted).toEqual({
      name: 'wooden-goods-hs',
      version: lists[1]!.version,
      reason: 'audit log unreachable',
    });
    expect(first.publications.map((publication) => publication.outcome)).toEqual([
      'published',
      'uncertain',
      'withheld',
    ]);
    expect(storedFirst).toEqual(['border-origins', 'wooden-goods-hs']);
    expect(rerun.publications.map((publication) => publication.outcome)).toEqual([
      'unchanged',
      'unchanged',
      'published',
    ]);
    expect(auditLog.entries.map((entry) => entry.target)).toHaveLength(3);
  });
});

describe('a list too large for the list store', () => {
  it('is refused, naming its size and the bound, and nothing is written', async () => {
    // Prepare: 40,000 place names of 3 ideographs, 9 bytes each in UTF-8
    const store = memoryStore();
    const values = Array.from(
      { length: 40_000 },
      (_, i) =>
        `镇${String.fromCodePoint(0x4e00 + (i % 200))}${String.fromCodePoint(0x4e00 + Math.floor(i / 200))}`,
    );
    const large = { ...listOf('border-origins'), values };

    // Act
    const result = await makePublishLists({ lists: store, auditLog: memoryAuditLog(), clock })({
      lists: [large, listOf('wooden-goods-hs')],
      actor: 'li.na',
      ruleSets: [defaultRuleSet()],
    });

    // Assess
    expect(result.ok).toBe(false);
    expect(result.publications.map((publication) => publication.outcome)).toEqual(['refused', 'withheld']);
    expect(result.publications[0]!.reason).toMatch(
      /^list border-origins v1 takes \d+ bytes as stored \(40000 values\), above the 350000 one list version can take .*: split its values into two lists$/,
    );
    expect(store.items).toEqual([]);
  });
});

describe('lists that have expired, or soon will', () => {
  it.each([
    ['before now', '2026-05-31'],
    ['at now', '2026-06-01T08:00:00Z'],
  ])('refuses a list that expired %s, naming it, and writes nothing', async (_when, expires) => {
    // Prepare
    const store = memoryStore();
    const expired = { ...listOf('border-origins'), expires };

    // Act
    const result = await makePublishLists({ lists: store, auditLog: memoryAuditLog(), clock })({
      lists: [expired, listOf('wooden-goods-hs')],
      actor: 'li.na',
      ruleSets: [defaultRuleSet()],
    });

    // Assess
    expect(result.ok).toBe(false);
    expect(result.publications.map((publication) => publication.outcome)).toEqual(['refused', 'withheld']);
    expect(result.publications[0]!.reason).toMatch(
      new RegExp(`^list border-origins v1 expired on ${expires}: .*renew it`),
    );
    expect(store.items).toEqual([]);
  });

  it('takes a list published as it is that has since expired as unchanged, with a warning', async () => {
    // Prepare
    const expired = { ...listOf('border-origins'), expires: '2026-05-31' };
    const store = memoryStore([storedAs(expired)]);

    // Act
    const result = await makePublishLists({ lists: store, auditLog: memoryAuditLog(), clock })({
      lists: [expired],
      actor: 'li.na',
      ruleSets: [defaultRuleSet()],
    });

    // Assess
    expect(result.publications.map((publication) => publication.outcome)).toEqual(['unchanged']);
    expect(result.warnings).toEqual([expect.stringMatching(/^warn list border-origins v1 /)]);
  });

  it('publishes a list that expires within 30 days, with a warning', async () => {
    // Prepare
    const soon = { ...listOf('border-origins'), expires: '2026-06-20' };

    // Act
    const result = await makePublishLists({ lists: memoryStore(), auditLog: memoryAuditLog(), clock })({
      lists: [soon, listOf('wooden-goods-hs')],
      actor: 'li.na',
      ruleSets: [defaultRuleSet()],
    });

    // Assess
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^warn list border-origins v1 expires on 2026-06-20 \(in 19 day\(s\)\)/),
    ]);
  });

  it('refuses to roll back to a version that has expired, saying to publish a renewed list', async () => {
    // Prepare: v1 expired since it was published, v2 is the newest
    const border = listOf('border-origins');
    const published = (version: number, expires: string): PublishedList => ({
      list: { ...border, version, expires },
      contentVersion: `sha256:v${version}`,
      publishedAt: '2026-01-01T00:00:00.000Z',
      publishedBy: 'li.na',
    });
    const store = memoryStore([published(1, '2026-03-01'), published(2, '2027-12-31')]);

    // Act
    const result = await rollBack(store, 'border-origins', 1);

    // Assess
    expect(result).toMatchObject({
      outcome: 'refused',
      reason: expect.stringMatching(
        /^list border-origins v1 expired on 2026-03-01: .*publish a renewed list instead/,
      ),
    });
    expect(store.items).toHaveLength(2);
  });

  it('rolls back to a version that expires within 30 days, with a warning', async () => {
    // Prepare: v1 expires in 19 days, v2 is the newest
    const border = listOf('border-origins');
    const store = memoryStore([
      storedAs({ ...border, version: 1, expires: '2026-06-20' }),
      storedAs({ ...border, version: 2 }),
    ]);

    // Act
    const result = await rollBack(store, 'border-origins', 1);

    // Assess
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      version: 3,
      warning: expect.stringMatching(/^warn list border-origins v3 expires on 2026-06-20 \(in 19 day\(s\)\)/),
    });
  });
});

describe('a version stored by a load that failed before its audit entry', () => {
  const border = listOf('border-origins');
  const storedUnrecorded = (version: number): PublishedList => ({
    list: { ...border, version },
    contentVersion: contentVersion({ ...border, version }),
    publishedAt: '2026-05-01T00:00:00.000Z',
    publishedBy: 'li.na',
  });

  it('is recorded before a newer version is stored, so it is never live without an entry', async () => {
    // Prepare: v2 stored, its audit entry never written
    const store = memoryStore([storedUnrecorded(2)]);
    const auditLog = memoryAuditLog();

    // Act: the next load publishes v3 instead of rerunning the failed one
    await makePublishLists({ lists: store, auditLog, clock })({
      lists: [{ ...border, version: 3 }],
      actor: 'someone',
      ruleSets: [defaultRuleSet()],
    });

    // Assess
    expect(auditLog.entries.map((entry) => (entry.after as { version: number }).version)).toEqual([2, 3]);
  });

  it('is recorded when another load stored it while this one was writing a newer version', async () => {
    // Prepare: v2 recorded; this load plans v4 on v2, and meanwhile another load stores v3 and fails
    const store = memoryStore([storedUnrecorded(2)]);
    const auditLog = memoryAuditLog();
    await auditLog.appendOnce(auditDraftOf(storedUnrecorded(2), undefined));
    const racing = {
      ...store,
      putIfAbsent: async (published: PublishedList) => {
        if (published.list.version === 4) await store.putIfAbsent(storedUnrecorded(3));
        return store.putIfAbsent(published);
      },
    };

    // Act
    await makePublishLists({ lists: racing, auditLog, clock })({
      lists: [{ ...border, version: 4 }],
      actor: 'someone',
      ruleSets: [defaultRuleSet()],
    });

    // Assess
    expect(auditLog.entries.map((entry) => (entry.after as { version: number }).version)).toEqual([2, 3, 4]);
  });

  it('is recorded before a rollback stores a version above it', async () => {
    // Prepare: v1 recorded, v2 stored unrecorded
    const store = memoryStore([storedUnrecorded(1), storedUnrecorded(2)]);
    const auditLog = memoryAuditLog();
    await auditLog.appendOnce(auditDraftOf(storedUnrecorded(1), undefined));

    // Act
    await makeRollbackList({ lists: store, auditLog, clock })({
      name: 'border-origins',
      to: 1,
      actor: 'someone',
      ruleSets: [defaultRuleSet()],
    });

    // Assess
    expect(auditLog.entries.map((entry) => (entry.after as { version: number }).version)).toEqual([1, 2, 3]);
  });
});

describe('makeRollbackList', () => {
  const border = listOf('border-origins');
  const published = (version: number, rollback?: { from: number; to: number }): PublishedList => ({
    list: { ...border, version },
    contentVersion: `sha256:v${version}`,
    publishedAt: '2026-05-01T00:00:00.000Z',
    publishedBy: 'li.na',
    ...(rollback === undefined ? {} : { rollback }),
  });
  /** The default rule set as deployed with border-origins at `version`: screen uses it when newer. */
  const bundling = (version: number): RuleSetToCheck => {
    const ruleSet = defaultRuleSet();
    ruleSet.input = {
      ...ruleSet.input,
      lists: ruleSet.input.lists.map((source) =>
        source.file.includes('border-origins')
          ? { ...source, document: { ...(source.document as object), version } }
          : source,
      ),
    };
    return ruleSet;
  };
  const rollBackBundling = (store: VersionedListStore, to: number, bundled: number) =>
    makeRollbackList({ lists: store, auditLog: memoryAuditLog(), clock })({
      name: 'border-origins',
      to,
      actor: 'li.na',
      ruleSets: [bundling(bundled)],
    });

  it.each([
    {
      what: 'above a newer bundled file, or screen would keep the bundled one',
      stored: [published(2), published(3)],
      to: 2,
      bundled: 5,
      result: { outcome: 'rolled-back', version: 6, from: 5, to: 2 },
    },
    {
      what: 'to the newest published version when a newer bundled file is in force',
      stored: [published(1), published(2)],
      to: 2,
      bundled: 3,
      result: { outcome: 'rolled-back', version: 4, from: 3, to: 2 },
    },
    {
      what: 'again when a newer bundled file replaced an earlier rollback to the same version',
      stored: [published(1), published(2), published(3, { from: 2, to: 1 })],
      to: 1,
      bundled: 4,
      result: { outcome: 'rolled-back', version: 5, from: 4, to: 1 },
    },
    {
      what: 'nothing when the rollback is the version in force (a bundled file no newer)',
      stored: [published(1), published(2), published(3, { from: 2, to: 1 })],
      to: 1,
      bundled: 3,
      result: { outcome: 'unchanged', version: 3, from: 2, to: 1 },
    },
  ])('publishes $what', async ({ stored, to, bundled, result }) => {
    // Prepare
    const store = memoryStore([...stored]);

    // Act
    const rolledBack = await rollBackBundling(store, to, bundled);

    // Assess
    expect(rolledBack).toMatchObject(result);
    expect(store.items).toHaveLength(stored.length + (result.outcome === 'rolled-back' ? 1 : 0));
  });

  it('refuses to roll back to the newest version when the bundled file is no newer', async () => {
    // Act
    const result = await rollBackBundling(memoryStore([published(1), published(2)]), 2, 2);

    // Assess
    expect(result).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining('already the newest'),
    });
  });

  it('merges the repeated values of a version published before repeats were refused, rolling back to it', async () => {
    // Prepare: border-origins v1 was published with a value written twice; v2 is the newest
    const border = listOf('border-origins');
    const store = memoryStore([
      storedAs({ ...border, version: 1, values: [...border.values, border.values[0]!] }),
      storedAs({ ...border, version: 2 }),
    ]);

    // Act
    const result = await rollBack(store, 'border-origins', 1);

    // Assess
    expect(result).toMatchObject({ outcome: 'rolled-back', version: 3 });
    expect(store.items[2]!.list.values).toEqual(border.values);
  });

  it('refuses to roll back a watchlist to a version keyed with another salt, which screen would refuse', async () => {
    // Prepare: watched-phones v1 was loaded with a wrong salt, v2 with the deployment's (this tool's)
    const store = memoryStore([
      storedAs(watchedPhonesWithOtherSalt()),
      storedAs({ ...listOf('watched-phones'), version: 2 }),
    ]);

    // Act
    const result = await rollBack(store, 'watched-phones', 1);

    // Assess
    expect(result).toMatchObject({
      outcome: 'refused',
      to: 1,
      reason: expect.stringMatching(
        /^list watched-phones v1 was hashed with another PARTY_KEY_SALT than this tool's: .*check that PARTY_KEY_SALT is the deployment's/,
      ),
    });
    expect(store.items).toHaveLength(2);
  });

  it('rolls a watchlist back to a version keyed with the same salt', async () => {
    // Prepare: v1 and v2 both loaded with the deployment's salt
    const phones = listOf('watched-phones');
    const store = memoryStore([storedAs(phones), storedAs({ ...phones, version: 2 })]);

    // Act
    const result = await rollBack(store, 'watched-phones', 1);

    // Assess
    expect(result).toMatchObject({ outcome: 'rolled-back', version: 3, from: 2, to: 1 });
  });
});

describe('a stored version this tool cannot read (written by a newer lists tool, or by hand)', () => {
  const border = listOf('border-origins');
  const stored = (version: number): PublishedList => storedAs({ ...border, version }, 'li.na');
  /** The store with border-origins v`unreadable` stored in a form this code cannot read. */
  const withUnreadable = (unreadable: number, items: PublishedList[]) => {
    const store = memoryStore([...items, stored(unreadable)]);
    const read = (found: PublishedList | undefined) => {
      if (found?.list.version === unreadable)
        throw new UnreadableListError(found.list.name, unreadable, 'pages: unknown field');
      return found;
    };
    return {
      ...store,
      newestOf: async (name: string) => read(await store.newestOf(name)),
      newestBefore: async (name: string, version: number) => read(await store.newestBefore(name, version)),
      versionOf: async (name: string, version: number) => read(await store.versionOf(name, version)),
    };
  };
  const load = (store: VersionedListStore, version: number, auditLog = memoryAuditLog()) =>
    makePublishLists({ lists: store, auditLog, clock })({
      lists: [{ ...border, version }],
      actor: 'li.na',
      ruleSets: [defaultRuleSet()],
    });

  it('publishes a newer version over it, naming it by number in the audit entry', async () => {
    // Prepare
    const store = withUnreadable(2, [stored(1)]);
    const auditLog = memoryAuditLog();

    // Act
    const result = await load(store, 3, auditLog);

    // Assess
    expect(result.publications).toEqual([
      { name: 'border-origins', version: 3, outcome: 'published', previousVersion: 2 },
    ]);
    expect(
      auditLog.entries.map(({ before, after }) => [before, (after as { version: number }).version]),
    ).toEqual([[{ version: 2, content: null }, 3]]);
  });

  it('refuses a load of its own version, saying why and what to raise the version above', async () => {
    // Act
    const result = await load(withUnreadable(2, [stored(1)]), 2);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.publications[0]).toMatchObject({
      outcome: 'refused',
      reason:
        'stored list border-origins v2 is not a list this code can read: pages: unknown field; raise the version of list border-origins above 2 to publish over it',
    });
  });

  it('rolls back over it to a version it can read', async () => {
    // Prepare
    const store = withUnreadable(2, [stored(1)]);

    // Act
    const result = await rollBack(store, 'border-origins', 1);

    // Assess
    expect(result).toMatchObject({ outcome: 'rolled-back', version: 3, from: 2, to: 1 });
  });

  it('refuses to roll back to it, saying why', async () => {
    // Act
    const result = await rollBack(withUnreadable(2, [stored(1), stored(3)]), 'border-origins', 2);

    // Assess
    expect(result).toMatchObject({
      outcome: 'refused',
      reason: expect.stringMatching(
        /^stored list border-origins v2 is not a list this code can read: .*roll back to a version this tool can read$/,
      ),
    });
  });
});

describe('a load that loses the race for its version', () => {
  const border = listOf('border-origins');
  /** The store where, as this load stores `version`, another load stores it first (`values`), then a v+1. */
  const racedBy = (version: number, values: ListDocument['values']) => {
    const store = memoryStore([storedAs({ ...border, version: version - 1 })]);
    return {
      ...store,
      putIfAbsent: async (published: PublishedList) => {
        if (published.list.version === version && store.items.length === 1) {
          await store.putIfAbsent(storedAs({ ...border, version, values }));
          await store.putIfAbsent(storedAs({ ...border, version: version + 1 }));
        }
        return store.putIfAbsent(published);
      },
    };
  };
  it.each([
    {
      what: 'with its own content: unchanged',
      values: border.values,
      outcome: 'unchanged',
      reason: undefined,
    },
    {
      what: 'with other content: refused as published with other content',
      values: ['Ruili'],
      outcome: 'refused',
      reason: expect.stringContaining('v4 is already published with other content'),
    },
  ])(
    'judges it on that version, whatever was stored above it since: $what',
    async ({ values, outcome, reason }) => {
      // Act
      const result = await makePublishLists({ lists: racedBy(4, values), auditLog: memoryAuditLog(), clock })(
        {
          lists: [{ ...border, version: 4 }],
          actor: 'li.na',
          ruleSets: [defaultRuleSet()],
        },
      );

      // Assess
      expect(result.publications[0]).toMatchObject({ version: 4, outcome, ...(reason ? { reason } : {}) });
    },
  );
});

describe('a rollback that loses the race for its version', () => {
  const border = listOf('border-origins');
  /**
   * v1 and v2 of border-origins published; as the rollback stores v3, `meanwhile` first stores what
   * another writer did.
   */
  const racedForV3 = (
    meanwhile: (published: PublishedList, lists: ReturnType<typeof memoryStore>) => Promise<void>,
  ) => {
    const store = memoryStore([
      storedAs({ ...border, version: 1 }),
      storedAs({ ...border, values: ['Ruili'], version: 2 }),
    ]);
    const racing = {
      ...store,
      putIfAbsent: async (published: PublishedList) => {
        if (published.list.version === 3 && store.items.length === 2) await meanwhile(published, store);
        return store.putIfAbsent(published);
      },
    };
    return { store, racing };
  };

  it.each([
    { what: 'to the same rollback, run twice: unchanged', to: 1, outcome: 'unchanged' },
    { what: 'to another rollback: refused, to be checked', to: 2, outcome: 'refused' },
  ])(
    'judges it on that version, whatever was stored above it since, when it lost $what',
    async ({ to, outcome }) => {
      // Prepare: v1 and v2 published; as this rollback to v1 stores v3, another run stores its own v3 (a
      // rollback to `to`), then a load stores v4
      const { store, racing } = racedForV3(async (published, lists) => {
        const restored = lists.items.find((item) => item.list.version === to)!;
        await lists.putIfAbsent({
          ...published,
          list: { ...restored.list, version: 3 },
          contentVersion: contentVersion({ ...restored.list, version: 3 }),
          publishedBy: 'wang.fang',
          rollback: { from: 2, to },
        });
        await lists.putIfAbsent(storedAs({ ...border, version: 4 }));
      });

      // Act
      const result = await rollBack(racing, 'border-origins', 1);

      // Assess
      expect(result).toMatchObject({ outcome, ...(outcome === 'unchanged' ? { version: 3, to: 1 } : {}) });
      expect(store.items.map((item) => item.list.version)).toEqual([1, 2, 3, 4]);
    },
  );

  it('refuses when the version it lost to claims the same rollback but holds other content', async () => {
    // Prepare: as this rollback to v1 stores v3, another writer stores a v3 marked as a rollback to v1
    // that holds v2's values
    const { racing } = racedForV3(async (published, lists) => {
      const other = { ...border, values: ['Ruili'], version: 3 };
      await lists.putIfAbsent({
        ...published,
        list: other,
        contentVersion: contentVersion(other),
        publishedBy: 'wang.fang',
        rollback: { from: 2, to: 1 },
      });
    });

    // Act
    const result = await rollBack(racing, 'border-origins', 1);

    // Assess
    expect(result).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining('another publication stored border-origins v3 first'),
    });
  });
});
