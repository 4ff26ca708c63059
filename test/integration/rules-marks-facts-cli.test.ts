import { describe, expect, it } from 'vitest';
import { runTool } from '../support/cli.js';

/** `npm run rules -- facts marks`: what this parcel adds to each of a rule set's tallies. */
const rules = (...args: string[]) => runTool('functions/tools/rules-cli.ts', args);

const EXAMPLE = 'test/fixtures/rule-sets/tallies';

describe('npm run rules -- facts marks', () => {
  it('lists a mark for each count and sum tally of the rule set, none for a distinct one', async () => {
    // Act
    const run = await rules('facts', 'marks', '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => !line.startsWith(' '))).toEqual([
      'marks.small-parcels-from-ruili  number (parcels); always there',
      'marks.declared-value-cny  number (CNY); always there',
    ]);
    expect(lines[1]).toMatch(
      /^ {4}what this parcel adds to the tally small-parcels-from-ruili \(parcels under 1 kg declared from Ruili\), as screening records it: 1 when it meets the tally's when, else 0 /,
    );
    expect(lines[3]).toContain('its derived.goodsValueCny');
    expect(lines[3]).toContain(
      'when it is screened (the tally has no when), else 0 (0 too when the sum is missing: it marks nothing, as history will hold)',
    );
  });

  it('says a mark unknown to the rule set is one of its tallies', async () => {
    // Act
    const run = await rules('facts', 'marks.declared-value-cyn', '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('did you mean marks.declared-value-cny?');
    expect(run.stderr).toContain(`(the tallies of rule set ${EXAMPLE})`);
  });
});
