import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { asStaff, tokenFor } from '../support/staff.js';
import { aRuiliParcel, ruleSetWithTallies } from '../support/tallies.js';

/**
 * A tally end to end, as a partner and an officer meet it: the embedded stack screens with a rule set
 * declaring tallies (test/support/tallies.ts: parcels from Ruili to one address in 30 days, read by
 * `ruili-again`), so a second manifest's parcel to the address reads the first one's mark, and the
 * officer's queue names it in the rule's reason.
 */
describe('a tally through the whole pipeline', () => {
  let stack: EmbeddedStack;
  let root: string;

  const decisionOf = async (parcelId: string) => {
    const decision = (await scanAll(stack.db, stack.tables.decisions)).find(
      (item) => item.parcelKey === `southwest-freight#${parcelId}`,
    );
    if (decision === undefined) throw new Error(`no decision for ${parcelId}`);
    return decision;
  };

  const post = async (manifestId: string, parcelIds: string[]) => {
    const manifest = {
      ...readSample(RUILI_MANIFEST),
      manifestId,
      parcels: parcelIds.map((parcelId) => aRuiliParcel(parcelId)),
    };
    const answer = await postAsPartner(stack, 'southwest-freight', JSON.stringify(manifest));
    expect(answer.status).toBe(202);
    await stack.waitForIdle(60_000);
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tallies-e2e-'));
    stack = await startEmbeddedStack({ logLevel: 'warn', rulesDir: ruleSetWithTallies(root) });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it("counts a first manifest's parcels in their address's tally, which a later manifest's parcel reads", async () => {
    // Act: two parcels from Ruili to the sample's address, then one more in another manifest
    await post('TALLY-FIRST', ['TALLY-1', 'TALLY-2']);
    await post('TALLY-SECOND', ['TALLY-3']);

    // Assess: the first manifest's parcels read no mark (their own manifest is not their history)
    for (const parcelId of ['TALLY-1', 'TALLY-2']) {
      const first = await decisionOf(parcelId);
      expect(first.facts.history.address.tallies).toEqual({ 'from-ruili': 0, 'phones-at-address': 0 });
      expect(first.firedRules.map((rule: { ruleId: string }) => rule.ruleId)).not.toContain('ruili-again');
      expect(first.tallyMarks).toHaveLength(2);
    }
    // The later parcel reads both, and the rule says so in its reason
    const later = await decisionOf('TALLY-3');
    expect(later.facts.history.address.tallies).toEqual({ 'from-ruili': 2, 'phones-at-address': 1 });
    const fired = later.firedRules.find((rule: { ruleId: string }) => rule.ruleId === 'ruili-again');
    expect(fired?.reason).toBe('2 earlier parcels from Ruili to the address');
  });

  it("shows the tally's reason in the officer's queue and keeps the marks in the address's day bucket", async () => {
    // Act
    const officer = await tokenFor('officer', 'wuzhou');
    const queue = await asStaff(stack.apiUrl, officer, 'GET', '/v1/inspections?office=wuzhou-customs');

    // Assess: the held parcel's queue entry carries the reason
    expect(queue.status).toBe(200);
    const entry = queue.body.items.find((item: { parcelId: string }) => item.parcelId === 'TALLY-3');
    expect(entry.decision.firedRules).toContainEqual(
      expect.objectContaining({
        ruleId: 'ruili-again',
        reason: '2 earlier parcels from Ruili to the address',
      }),
    );
    // Three parcels marked the address's day bucket once each: a count and one phone
    const address = (await decisionOf('TALLY-3')).facts.parties.address as string;
    const buckets = (await scanAll(stack.db, stack.tables.partyHistory)).filter(
      (item) => typeof item.pk === 'string' && item.pk.endsWith(`#${address}`) && item.sk.startsWith('D#'),
    );
    expect(buckets).toHaveLength(1);
    const counts = Object.entries(buckets[0]!).filter(([name]) => name.startsWith('t_'));
    const phones = Object.entries(buckets[0]!).filter(([name]) => name.startsWith('v_'));
    expect(counts.map(([, count]) => count)).toEqual([3]);
    expect(phones.map(([, keys]) => (keys as Set<string>).size)).toEqual([1]);
  });
});
