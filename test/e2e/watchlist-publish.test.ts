import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuleSetFromDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { type EmbeddedStack, REPO_ROOT, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { readSample, SHENZHEN_MANIFEST } from '../support/factories.js';
import { listsTool as lists } from '../support/tools.js';

describe('a watchlist changed with npm run lists, without a code deploy', () => {
  let stack: EmbeddedStack;
  let ruleSet: string;

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1 });
    ruleSet = mkdtempSync(join(tmpdir(), 'watchlist-e2e-'));
    cpSync(resolve(REPO_ROOT, 'rules/default'), ruleSet, { recursive: true });
  });

  afterAll(async () => {
    await stack?.stop();
    if (ruleSet) rmSync(ruleSet, { recursive: true, force: true });
  });

  it('flags a parcel whose consignee phone the analyst added to watched-phones', async () => {
    // Prepare: the sample consignee's phone, written another way, added as version 2 of the watchlist
    const manifest = readSample(SHENZHEN_MANIFEST);
    const watchedParcel = manifest.parcels[0]!;
    const otherParcels = manifest.parcels.slice(1).map((parcel) => parcel.parcelId);
    const file = join(ruleSet, 'lists/watched-phones.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(/^version: 1$/m, 'version: 2')
        .replace(/^values:\n/m, `values:\n  - "${watchedParcel.consignee.phone.replaceAll(' ', '-')}"\n`),
    );
    const bundled = loadRuleSetFromDirectory(resolve(REPO_ROOT, 'rules/default'), stack.partyKeySalt);

    // Act
    const loaded = await lists(['load', '--rule-set', ruleSet, '--actor', 'li.na']);
    const accepted = await postAsPartner(stack, 'pearl-express', JSON.stringify(manifest));
    await stack.waitForIdle();

    // Assess
    expect(loaded.code, loaded.stdout + loaded.stderr).toBe(0);
    expect(loaded.stdout).toContain('published watched-phones v2');
    expect(accepted.status).toBe(202);
    const decisions = await scanAll(stack.db, stack.tables.decisions);
    const watched = decisions.find((decision) => decision.parcelId === watchedParcel.parcelId)!;
    expect(watched.firedRules.map((rule: { ruleId: string }) => rule.ruleId)).toContain('phone-on-watchlist');
    expect(watched.lane).not.toBe('release');
    expect(watched.ruleSetVersion).not.toBe(bundled.version);
    const bundledOnly = bundled.evaluate(watched.facts);
    expect(bundledOnly.firedRules.map((rule) => rule.ruleId)).not.toContain('phone-on-watchlist');
    for (const parcelId of otherParcels) {
      const other = decisions.find((decision) => decision.parcelId === parcelId);
      if (other?.facts.parties.phone !== watched.facts.parties.phone)
        expect(other?.firedRules.map((rule: { ruleId: string }) => rule.ruleId) ?? []).not.toContain(
          'phone-on-watchlist',
        );
    }
    const stored = await scanAll(stack.db, stack.tables.lists);
    expect(JSON.stringify(stored)).not.toContain(watchedParcel.consignee.phone.replaceAll(' ', '').slice(3));
  });
});
