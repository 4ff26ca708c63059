import { describe, expect, it } from 'vitest';
import { ADDRESS_HISTORY_FACTS } from '../support/fact-paths.js';
import { rulesTool } from '../support/tools.js';

/** `npm run rules -- facts history.address` beside a rule set that declares tallies. */
const rules = (...args: string[]) => rulesTool(args);
const EXAMPLE = 'test/fixtures/rule-sets/tallies';

describe('npm run rules -- facts, with tallies', () => {
  it("lists the rule set's tallies under the address history, each a number always there, with its meaning", async () => {
    // Act
    const run = await rules('facts', 'history.address', '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    const paths = lines.filter((line) => !line.startsWith(' ')).map((line) => line.split('  ')[0]);
    expect(paths).toEqual([
      ...ADDRESS_HISTORY_FACTS,
      'history.address.tallies.small-parcels-from-ruili',
      'history.address.tallies.consignee-phones',
      'history.address.tallies.declared-value-cny',
    ]);
    const at = lines.indexOf(
      'history.address.tallies.small-parcels-from-ruili  number (parcels); always there',
    );
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(
      /^ {4}parcels under 1 kg declared from Ruili: parcels to this address that met the tally's when, .* on the 30 UTC calendar days up to now; /,
    );
    const phones = lines.indexOf(
      'history.address.tallies.consignee-phones  number (distinct parties.phone); always there',
    );
    expect(phones).toBeGreaterThan(0);
    // A tally without `when` counts every parcel: its meaning names no condition
    expect(lines[phones + 1]).toMatch(
      /^ {4}distinct consignee phones: distinct parties.phone keys on parcels to this address \(every parcel: the tally has no when\), in /,
    );
    expect(lines).toContain('history.address.tallies.declared-value-cny  number (CNY); always there');
  });

  it('says an unknown tally as an unknown fact, with the one meant', async () => {
    // Act
    const run = await rules('facts', 'history.address.tallies.small-parcels', '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      'unknown fact history.address.tallies.small-parcels; history.address.tallies has small-parcels-from-ruili, consignee-phones',
    );
  });
});
