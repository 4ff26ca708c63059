import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { ADDRESS_HISTORY_FACTS } from '../support/fact-paths.js';
import { rulesTool } from '../support/tools.js';

/** The analyst tools around tallies: validate's summary and warnings, facts beside a broken rule set, explain's input. */
const rules = (...args: string[]) => rulesTool(args);
const EXAMPLE = 'test/fixtures/rule-sets/tallies';
const scratch = mkdtempSync(join(tmpdir(), 'rules-tallies-tools-'));

/** A copy of the tallies example with, in its rule-set file, each edit's `from` replaced by its `to`. */
const alteredExample = (name: string, ...edits: (readonly [from: string, to: string])[]): string => {
  const directory = join(scratch, name);
  cpSync(resolve(REPO_ROOT, EXAMPLE), directory, { recursive: true });
  const file = join(directory, 'rule-set.yaml');
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`the example has no ${from}`);
    text = text.replace(from, to);
  }
  writeFileSync(file, text);
  return directory;
};

const file = (name: string, content: unknown): string => {
  const path = join(scratch, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};

const FROM_RUILI = { parcel: { route: { origin: { city: 'Ruili', region: 'Yunnan' } } } };

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run rules -- validate, with tallies', () => {
  it("names each tally with its window and whether it counts distinct parties, in the rule set's line", async () => {
    // Act
    const run = await rules('validate', EXAMPLE);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^ok {2}test\/fixtures\/rule-sets\/tallies: tallies-example example-1 \(sha256:[0-9a-f]{16}\), 3 rules, 0 lists, 3 tallies: small-parcels-from-ruili \(30 days\), consignee-phones \(14 days, distinct parties\.phone\), declared-value-cny \(30 days, sum of derived\.goodsValueCny\)$/m,
    );
    expect(run.stderr).toBe('');
  });

  it('warns of a declared tally no rule reads, nor a derived fact a rule reads, and still validates', async () => {
    // Prepare: `heavy` is read by no rule, `heavy-unread` only by a derived fact no rule reads (one more of the
    // example's derived facts)
    const directory = alteredExample(
      'unread-tally',
      [
        'derived:\n',
        [
          'derived:',
          '  unread: { description: heavy parcels counted, value: { fact: history.address.tallies.heavy-unread } }',
          '',
        ].join('\n'),
      ],
      [
        'tallies:\n',
        [
          'tallies:',
          '  heavy: { description: parcels over 30 kg, days: 1, when: { fact: parcel.declaredGrossWeightKg, gt: 30 } }',
          '  heavy-unread: { description: parcels over 30 kg, days: 7, when: { fact: parcel.declaredGrossWeightKg, gt: 30 } }',
          '',
        ].join('\n'),
      ],
    );

    // Act
    const run = await rules('validate', directory);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /, 5 tallies: heavy \(1 day\), heavy-unread \(7 days\), small-parcels-from-ruili/,
    );
    const warnings = run.stderr.trimEnd().split('\n');
    expect(warnings).toEqual([
      `warn ${directory}/rule-set.yaml: tallies declares heavy, which no rule reads; it is counted all the same (a history write for each party of each parcel it marks)`,
      `warn ${directory}/rule-set.yaml: tallies declares heavy-unread, which no rule reads; it is counted all the same (a history write for each party of each parcel it marks)`,
      `warn ${directory}/rule-set.yaml: derived declares unread, which no rule or tally reads (directly or through another derived fact)`,
    ]);
  });

  it("says of a tally a rule reads only as this parcel's mark that its history is what no rule reads", async () => {
    // Prepare: the first rule reads the tally only as marks, its history no more, in its condition or reason
    const directory = alteredExample(
      'marks-only-tally',
      [
        '- { fact: history.address.tallies.small-parcels-from-ruili, gte: 2 }',
        '- { fact: parcel.pieceCount, gte: 1 }',
      ],
      ['reason: "{history.address.tallies.small-parcels-from-ruili} small', 'reason: "small'],
    );

    // Act
    const run = await rules('validate', directory);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `warn ${directory}/rule-set.yaml: tallies declares small-parcels-from-ruili, whose history no rule reads (a rule reads only marks.small-parcels-from-ruili, this parcel's own mark); it is counted all the same (a history write for each party of each parcel it marks)`,
    ]);
  });
});

describe('npm run rules -- explain, with tallies', () => {
  it("names the rule set's tallies under its version", async () => {
    // Act
    const run = await rules('explain', file('plain.json', FROM_RUILI), '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(
        /^rule set tallies-example \(test\/fixtures\/rule-sets\/tallies\) sha256:[0-9a-f]{16}$/,
      ),
      'tallies: small-parcels-from-ruili (30 days), consignee-phones (14 days, distinct parties.phone), declared-value-cny (30 days, sum of derived.goodsValueCny)',
    ]);
  });

  it('refuses a tally the rule set does not declare, in the file and in --with, each with the one meant', async () => {
    // Prepare
    const parcel = file('unknown-tally.json', {
      ...FROM_RUILI,
      history: { address: { tallies: { 'small-parcel-from-ruili': 2 } } },
    });
    const overlay = file('unknown-tally-with.json', {
      history: { phone: { tallies: { 'consignee-phones': 1, 'consignee-phone': 2 } } },
    });

    // Act
    const run = await rules('explain', parcel, '--rule-set', EXAMPLE, '--with', overlay);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').slice(0, 6)).toEqual([
      `${parcel} cannot be explained as written:`,
      "  history.address.tallies.small-parcel-from-ruili: unknown tally; the rule set's tallies: small-parcels-from-ruili, consignee-phones, declared-value-cny; did you mean history.address.tallies.small-parcels-from-ruili?",
      `  (the tallies of rule set ${EXAMPLE})`,
      `--with ${overlay} cannot be laid over the parcel's facts:`,
      "  history.phone.tallies.consignee-phone: unknown tally; the rule set's tallies: small-parcels-from-ruili, consignee-phones, declared-value-cny; did you mean history.phone.tallies.consignee-phones?",
      `  (the tallies of rule set ${EXAMPLE})`,
    ]);
  });

  it('refuses any tally beside a rule set that declares none', async () => {
    // Prepare
    const parcel = file('no-tallies.json', { history: { address: { tallies: { heavy: 1 } } } });

    // Act
    const run = await rules('explain', parcel, '--rule-set', 'test/fixtures/rule-sets/recency');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "  history.address.tallies.heavy: unknown tally; the rule set's tallies: none\n",
    );
  });
});

describe('npm run rules -- facts history…, beside a rule set that does not load', () => {
  it('says in the whole usage that it lists the tallies', async () => {
    // Act
    const run = await rules('--help');

    // Assess
    expect(run.stdout).toContain('the derived facts, tallies');
  });

  let copies = 0;
  /** A copy of the example whose second rule compares its tally with text. */
  const broken = () =>
    alteredExample(`broken-${++copies}`, ['consignee-phones, gte: 4 }', 'consignee-phones, gte: four }']);
  const UNLISTED =
    /^the tallies of (\S+) could not be listed: its rule set does not load: \1\/rule-set\.yaml \(rule many-phones-at-one-address\) at rules\[1\]\.when\.gte: .*; npm run rules -- validate \1 tells every issue$/;

  it('lists the history facts without its tallies, then says why they are left out, and fails (exit 1)', async () => {
    // Act
    const run = await rules('facts', 'history.address', '--rule-set', broken());

    // Assess
    expect(run.code).toBe(1);
    const paths = run.stdout
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith(' '))
      .map((line) => line.split('  ')[0]);
    expect(paths).toEqual(ADDRESS_HISTORY_FACTS);
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(UNLISTED)]);
  });

  it('gives the history facts as JSON all the same', async () => {
    // Act
    const run = await rules('facts', 'history.address', '--rule-set', broken(), '--json');

    // Assess
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).facts.map((entry: { path: string }) => entry.path)).toEqual(
      ADDRESS_HISTORY_FACTS,
    );
    expect(run.stderr.trimEnd()).toMatch(UNLISTED);
  });

  it('says a tally it asks for could not be listed, not that it is unknown', async () => {
    // Act
    const run = await rules('facts', 'history.address.tallies.consignee-phones', '--rule-set', broken());

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(UNLISTED)]);
  });

  it('still answers a history fact no rule set has as unknown (exit 2)', async () => {
    // Act
    const run = await rules('facts', 'history.adress.tallies', '--rule-set', broken());

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^unknown fact history\.adress\.tallies; .*did you mean history\.address\?$/m);
  });
});
