import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, REPO_ROOT, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { rulesTool as rules } from '../support/tools.js';

/** A rule the default rule set does not have, firing on every parcel from Ruili. */
const ADDED_RULE = `rules:
  - id: added-from-ruili
    title: From Ruili
    owner: risk-analytics
    severity: low
    score: 1
    reason: "from {parcel.route.origin.city}"
    when: { fact: parcel.route.origin.city, eq: Ruili }
`;

describe('rules backtest of a candidate with a rule the recorded version did not have', () => {
  let stack: EmbeddedStack;
  let scratch: string;

  beforeAll(async () => {
    // The embedded stack screens with rules/default: its decisions record that version.
    stack = await startEmbeddedStack();
    scratch = mkdtempSync(join(tmpdir(), 'backtest-new-rules-'));
    const manifest = readSample(RUILI_MANIFEST);
    expect((await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest))).status).toBe(202);
    await stack.waitForIdle();
  });

  afterAll(async () => {
    await stack?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('shows new in the recorded column of the added rule, and 0 for a rule that was there and never fired', async () => {
    // Prepare: rules/default with one rule more
    const candidate = join(scratch, 'with-added-rule');
    cpSync(resolve(REPO_ROOT, 'rules/default'), candidate, { recursive: true });
    const file = join(candidate, 'rule-set.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^rules:\n/m, ADDED_RULE));

    // Act
    const run = await rules(['backtest', candidate], stack.toolEnv);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^added-from-ruili +new +2 +/m);
    expect(run.stdout).toMatch(/^consignee-prior-seizure +0 +0 +/m);
    expect(run.stdout).toContain(
      'new: in none of the recorded rule set versions, so it could not fire when the parcels were decided',
    );
  });

  it('shows no rule as new when the candidate is the rule set that decided', async () => {
    // Act
    const run = await rules(['backtest', 'rules/default'], stack.toolEnv);

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^origin-border-town +2 +2 +/m);
    expect(run.stdout).not.toMatch(/^\S+ +new /m);
    expect(run.stdout).not.toContain('new: in none');
  });
});
