import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { ruleSetWithTallies } from '../support/tallies.js';
import { rulesTool as rules } from '../support/tools.js';

describe('rules backtest of a candidate that declares tallies, on the parcels of the embedded stack', () => {
  let stack: EmbeddedStack;
  let scratch: string;

  beforeAll(async () => {
    stack = await startEmbeddedStack();
    scratch = mkdtempSync(join(tmpdir(), 'backtest-tallies-'));
    // The Ruili manifest, then the same parcels again under other ids in a later manifest
    const first = readSample(RUILI_MANIFEST);
    const again = {
      ...first,
      manifestId: `${first.manifestId}-AGAIN`,
      parcels: first.parcels.map((parcel) => ({ ...parcel, parcelId: `${parcel.parcelId}9` })),
    };
    for (const manifest of [first, again]) {
      expect((await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest))).status).toBe(202);
      await stack.waitForIdle();
    }
  });

  afterAll(async () => {
    await stack?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('recounts the tallies from the period’s parcels, which the candidate’s rules read, and says so', async () => {
    // Prepare: the live rule set declared no tally, so no parcel of the period marked one
    const candidate = ruleSetWithTallies(scratch);

    // Act
    const run = await rules(['backtest', candidate], stack.toolEnv);

    // Assess: the later manifest's parcels meet the earlier one's at their addresses, not each other
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/on 4 parcels decided/);
    expect(run.stdout).toContain(
      'tallies recounted from the backtested parcels, none before the period, so they undercount on its first days: from-ruili (30 days), phones-at-address (14 days)',
    );
    expect(run.stdout).toMatch(/^ruili-again +new +2 /m);
    expect(run.stdout).toMatch(/^phones-at-address +new +0 /m);
  });
});
