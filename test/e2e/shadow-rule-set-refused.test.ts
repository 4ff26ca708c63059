import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EmbeddedStack, REPO_ROOT, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { SHADOW_RULE_SET_REFUSED } from '../../infra/definitions.js';
import { expectEffectivelyOnce } from '../support/effects.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { rulesTool as rules } from '../support/tools.js';

describe('a shadow rule set that does not compile', () => {
  let stack: EmbeddedStack;
  let scratch: string;
  const lines: string[] = [];
  const started = new Date().toISOString();

  beforeAll(async () => {
    // The candidate reads a fact that does not exist: it fails to compile
    scratch = mkdtempSync(join(tmpdir(), 'shadow-refused-'));
    const candidate = join(scratch, 'broken');
    cpSync(resolve(REPO_ROOT, 'rules/default'), candidate, { recursive: true });
    const file = join(candidate, 'rule-set.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('parcel.paymentMethod, in:', 'parcel.payment, in:'),
    );
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n'));
      return true;
    });
    stack = await startEmbeddedStack({ env: { SHADOW_RULES_DIR: candidate } });
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await stack?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('is refused with its reason, and live screening goes on without it', async () => {
    // Act
    const manifest = readSample(RUILI_MANIFEST);
    expect((await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest))).status).toBe(202);
    await stack.waitForIdle();

    // Assess
    const decisions = await scanAll(stack.db, stack.tables.decisions);
    expect(decisions.map((decision) => [decision.lane, decision.shadow])).toEqual([
      [expect.any(String), undefined],
      [expect.any(String), undefined],
    ]);
    await expectEffectivelyOnce(stack, 2);
    const refusals = lines.filter((line) => line.includes(`"message":"${SHADOW_RULE_SET_REFUSED}"`));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('parcel.payment');
  });

  it('leaves the shadow report with parcels decided without a shadow decision, and no version to report', async () => {
    // Act
    const run = await rules(['shadow', '--since', started], stack.toolEnv);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^parcels decided from \S+ until \S+: 2, 2 without a shadow decision$/m);
    expect(run.stdout).not.toContain('shadow default');
  });

  it('exits 2, with a folder, when no parcel of the period has a shadow decision', async () => {
    // Act
    const run = await rules(['shadow', '--since', started, '--rule-set', 'rules/default'], stack.toolEnv);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^--rule-set rules\/default is version sha256:[0-9a-f]{16}, which decided no parcel from \S+ until \S+: no parcel of the period has a shadow decision$/m,
    );
  });

  it('exits 2, with a folder, when no salt says how the deployment hashed its watchlists', async () => {
    // Prepare: the stack's tables, the salt left empty (the tool inherits the stack's own otherwise)
    const unsalted = { ...stack.toolEnv, PARTY_KEY_SALT: '' };

    // Act
    const run = await rules(['shadow', '--since', started, '--rule-set', 'rules/default'], unsalted);

    // Assess: refused before any folder is loaded or any decision read
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('PARTY_KEY_SALT');
    expect(run.stderr).not.toContain('decided no parcel');
  });
});
