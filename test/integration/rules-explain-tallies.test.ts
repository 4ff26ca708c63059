import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTool } from '../support/cli.js';

/** `npm run rules -- explain` of a parcel beside a rule set that declares tallies. */
const rules = (...args: string[]) => runTool('functions/tools/rules-cli.ts', args);
const EXAMPLE = 'test/fixtures/rule-sets/tallies';
const scratch = mkdtempSync(join(tmpdir(), 'rules-explain-tallies-'));

const parcelFrom = (city: string, name: string): string => {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify({ parcel: { route: { origin: { city, region: 'Yunnan' } } } }));
  return file;
};

describe('npm run rules -- explain, with tallies', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each([
    ['Ruili', 'small-parcels-from-ruili, consignee-phones'],
    ['Kunming', 'consignee-phones'],
  ])('says which tallies a parcel from %s adds to its parties’ history', async (city, counted) => {
    // Act
    const run = await rules('explain', parcelFrom(city, `${city}.json`), '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      `tallies this parcel adds to its parties' history: ${counted}`,
    );
  });

  it('gives them as tallies in the JSON', async () => {
    // Act
    const run = await rules('explain', parcelFrom('Ruili', 'json.json'), '--rule-set', EXAMPLE, '--json');

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).tallies).toEqual(['small-parcels-from-ruili', 'consignee-phones']);
  });

  it('says nothing of tallies beside a rule set that declares none', async () => {
    // Act
    const run = await rules(
      'explain',
      parcelFrom('Ruili', 'none.json'),
      '--rule-set',
      'test/fixtures/rule-sets/recency',
    );

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('tallies');
  });
});
