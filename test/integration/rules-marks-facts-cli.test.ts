import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesTool } from '../support/tools.js';

/** `npm run rules -- facts marks`: what this parcel adds to each of a rule set's tallies. */
const rules = (...args: string[]) => rulesTool(args);

const EXAMPLE = 'test/fixtures/rule-sets/tallies';
const WITHOUT_TALLIES = 'test/fixtures/rule-sets/recency';
const scratch = mkdtempSync(join(tmpdir(), 'rules-marks-facts-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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

  it.each(['marks', 'marks.declared-value-cny'])(
    'says of %s, beside a rule set without tallies, that it declares none, not that the fact is unknown',
    async (prefix) => {
      // Act
      const run = await rules('facts', prefix, '--rule-set', WITHOUT_TALLIES);

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `no fact ${prefix}: the rule set declares no tallies, so it has no marks.<id> (what this parcel adds to a tally) to read (rule set ${WITHOUT_TALLIES})`,
      );
      expect(run.stderr).not.toContain('unknown fact');
    },
  );

  it('says of marks, beside a rule set with only a distinct tally, that a distinct tally has none', async () => {
    // Prepare: the recency example with one distinct tally
    const directory = join(scratch, 'distinct-only');
    cpSync(WITHOUT_TALLIES, directory, { recursive: true });
    const file = join(directory, 'rule-set.yaml');
    const distinct =
      'tallies:\n  phones: { description: distinct consignee phones, days: 14, distinct: parties.phone }\nrules:\n';
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^rules:\n/m, distinct));

    // Act
    const run = await rules('facts', 'marks', '--rule-set', directory);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `no fact marks: the rule set declares no count or sum tally (a distinct tally has no mark), so it has no marks.<id> (what this parcel adds to a tally) to read (rule set ${directory})`,
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
