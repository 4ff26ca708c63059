import { describe, expect, it } from 'vitest';
import { CONTRACT_NAMES, contractJsonSchema } from '../../events/contracts.js';
import { runTool } from '../support/cli.js';

const CLI = 'functions/tools/export-contract-schema.ts';

/** `npm run --silent contract:schema [-- <contract>]`, as partners and downstream teams run it. */
describe('contract:schema', () => {
  it('prints the manifest contract when no contract is named, and the one named otherwise', async () => {
    // Act
    const [manifest, flagged] = await Promise.all([runTool(CLI, []), runTool(CLI, ['parcel-flagged-v1'])]);
    // Assess
    expect(manifest).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(manifest.stdout)).toEqual(contractJsonSchema('manifest-v1'));
    expect(flagged).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(flagged.stdout)).toEqual(contractJsonSchema('parcel-flagged-v1'));
  });

  it('refuses a contract it does not know, or two at once, with exit 2 and the names it knows', async () => {
    // Act
    const [unknown, two] = await Promise.all([
      runTool(CLI, ['parcel-flagged']),
      runTool(CLI, ['manifest-v1', 'parcel-flagged-v1']),
    ]);
    // Assess
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toContain('no contract named "parcel-flagged"');
    expect(two).toMatchObject({ code: 2, stdout: '' });
    expect(two.stderr).toContain('one contract at a time; got 2');
    for (const name of CONTRACT_NAMES) expect(unknown.stderr).toContain(name);
    expect(unknown.stderr).toContain(
      'contracts: manifest-v1, manifest-receipt-v1, manifest-status-v1, screening-requested-v1, parcel-flagged-v1, parcel-referred-v1, referral-webhook-v1',
    );
  });
});
