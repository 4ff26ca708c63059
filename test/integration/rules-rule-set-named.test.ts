import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesTool } from '../support/tools.js';

/**
 * `npm run rules -- explain` and `facts` run from inside an analyst's copy of a rule set: what they say of
 * a rule set's own names (tallies, derived facts, lists) names the rule set read, and says how to read
 * another when that was the default.
 */
const scratch = mkdtempSync(join(tmpdir(), 'rules-rule-set-named-'));
const copy = join(scratch, 'mine');
cpSync('test/fixtures/rule-sets/tallies', copy, { recursive: true });
const inCopy = (...args: string[]) => rulesTool(args, { INIT_CWD: copy });
/** The repository's rules/default as the tool names it from the copy (a path relative to it). */
const DEFAULT = /(\.\.\/)+.*rules\/default/;
const DEFAULT_NOTE = ', the default: --rule-set <dir> reads another';

writeFileSync(
  join(scratch, 'tally.json'),
  JSON.stringify({ history: { address: { tallies: { 'small-parcels-from-ruili': 2 } } } }),
);

describe('npm run rules from inside a copy of a rule set', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('explain names the rule set read beside its id in the header: the default, or the one given', async () => {
    // Act
    const byDefault = await inCopy('explain', '../tally.json');
    const given = await inCopy('explain', '../tally.json', '--rule-set', '.');

    // Assess: the default declares no tally, so the file is refused there
    expect(byDefault.code).toBe(2);
    expect(given.code).toBe(0);
    expect(given.stdout.split('\n')[0]).toMatch(/^rule set tallies-example \(\.\) sha256:[0-9a-f]{16}$/);
  });

  it('explain says in which rule set a tally is unknown, and that --rule-set reads another', async () => {
    // Act
    const run = await inCopy('explain', '../tally.json');

    // Assess
    const lines = run.stderr.split('\n');
    expect(lines[1]).toBe(
      "  history.address.tallies.small-parcels-from-ruili: unknown tally; the rule set's tallies: none",
    );
    expect(lines[2]).toMatch(
      new RegExp(`^  \\(the tallies of rule set ${DEFAULT.source}${DEFAULT_NOTE}\\)$`),
    );
  });

  it('explain names the default rule set in its header', async () => {
    // Act
    const parcel = join(scratch, 'parcel.json');
    writeFileSync(parcel, JSON.stringify({ parcel: { route: { origin: { city: 'Ruili' } } } }));
    const byDefault = await inCopy('explain', '../parcel.json');

    // Assess
    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout.split('\n')[0]).toMatch(
      new RegExp(`^rule set default \\(${DEFAULT.source}${DEFAULT_NOTE}\\) sha256:[0-9a-f]{16}$`),
    );
  });

  it('facts says in which rule set a tally or derived fact is unknown', async () => {
    // Act
    const tally = await inCopy('facts', 'history.address.tallies.small-parcels-from-ruili');
    const derived = await inCopy('facts', 'derived.nothing');

    // Assess
    expect(tally.code).toBe(2);
    expect(tally.stderr.split('\n')[0]).toMatch(
      new RegExp(
        `^unknown fact history\\.address\\.tallies\\.small-parcels-from-ruili: .* \\(the tallies of rule set ${DEFAULT.source}${DEFAULT_NOTE}\\)$`,
      ),
    );
    expect(derived.stderr.split('\n')[0]).toMatch(
      new RegExp(`\\(the derived facts of rule set ${DEFAULT.source}${DEFAULT_NOTE}\\)$`),
    );
  });

  it.each([
    [[], new RegExp(`\\(rule set ${DEFAULT.source} declares none${DEFAULT_NOTE}\\)$`)],
    [
      ['--rule-set', '.'],
      /\(rule set \. declares small-parcels-from-ruili, consignee-phones, declared-value-cny\)$/,
    ],
  ])(
    "facts history.address.tallies %j ends a party's tallies with the rule set's, not with the command run",
    async (args, end) => {
      // Act
      const run = await inCopy('facts', 'history.address.tallies', ...args);

      // Assess
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('lists them');
      expect(run.stdout.split('\n')[1]).toMatch(end);
    },
  );
});
