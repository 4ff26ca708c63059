import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, REPO_ROOT, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { aManifestOf } from '../support/factories.js';
import { listsTool as lists } from '../support/tools.js';

/** The smallest the screen function takes: a test waits it out for real. */
const REFRESH_SECONDS = 10;

describe('a list loaded while the screen function is running', () => {
  let stack: EmbeddedStack;
  let ruleSet: string;

  beforeAll(async () => {
    stack = await startEmbeddedStack({ env: { LIST_REFRESH_SECONDS: String(REFRESH_SECONDS) } });
    // border-origins v2 adds Shenzhen, where the manifests' parcels come from
    ruleSet = mkdtempSync(join(tmpdir(), 'list-refresh-'));
    cpSync(resolve(REPO_ROOT, 'rules/default'), ruleSet, { recursive: true });
    const file = join(ruleSet, 'lists/border-origins.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(/^version: 1$/m, 'version: 2')
        .replace(/^values:\n/m, 'values:\n  - Shenzhen\n'),
    );
  });

  afterAll(async () => {
    await stack?.stop();
    if (ruleSet) rmSync(ruleSet, { recursive: true, force: true });
  });

  /** The decisions recorded for one manifest's parcels: fired border-town rule and rule set version. */
  const decisionsOf = async (manifestId: string) =>
    (await scanAll(stack.db, stack.tables.decisions))
      .filter((decision) => decision.manifestId === manifestId)
      .map((decision) => ({
        borderTown: decision.firedRules.some(
          (rule: { ruleId: string }) => rule.ruleId === 'origin-border-town',
        ),
        ruleSetVersion: decision.ruleSetVersion as string,
      }));

  it('screens with it once LIST_REFRESH_SECONDS have passed since the container read the lists', async () => {
    // Prepare: a first manifest screened (the lists read then), then border-origins v2 loaded
    const before = aManifestOf(2, 'PEX-REFRESH-1');
    expect((await postAsPartner(stack, before.partnerId, JSON.stringify(before))).status).toBe(202);
    await stack.waitForIdle();
    const listsReadBy = Date.now();
    const loaded = await lists(['load', '--rule-set', ruleSet]);
    expect(loaded.code, loaded.stdout + loaded.stderr).toBe(0);
    expect(loaded.stdout).toContain('published border-origins v2');

    // Act: a later manifest, once the interval has passed
    await new Promise((wait) => setTimeout(wait, listsReadBy + REFRESH_SECONDS * 1_000 + 200 - Date.now()));
    const later = aManifestOf(2, 'PEX-REFRESH-2');
    expect((await postAsPartner(stack, later.partnerId, JSON.stringify(later))).status).toBe(202);
    await stack.waitForIdle();

    // Assess
    const screenedBefore = await decisionsOf(before.manifestId);
    const screenedAfter = await decisionsOf(later.manifestId);
    expect(screenedBefore.map((decision) => decision.borderTown)).toEqual([false, false]);
    expect(screenedAfter.map((decision) => decision.borderTown)).toEqual([true, true]);
    expect(screenedAfter[0]!.ruleSetVersion).not.toBe(screenedBefore[0]!.ruleSetVersion);
  }, 60_000);
});
