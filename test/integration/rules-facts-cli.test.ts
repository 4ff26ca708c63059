import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FACT_MEANINGS,
  knownFactPaths,
  placesFactEntries,
} from '../../functions/core/rules/fact-catalogue.js';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { ADDRESS_HISTORY_FACTS } from '../support/fact-paths.js';
import { rulesTool } from '../support/tools.js';

/** `npm run rules -- facts …`, as an analyst runs it: what it prints and its exit codes. */
const rules = (...args: string[]) => rulesTool(args);

const scratch = mkdtempSync(join(tmpdir(), 'rules-facts-'));
const USAGE_LINE =
  'usage: npm run rules -- facts [prefix] [--rule-set dir] [--json]  (all commands: npm run rules -- --help)';

describe('npm run rules -- facts', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('lists the address history’s facts with their type, unit, whether they may be missing and what they mean', async () => {
    // Act
    const run = await rules('facts', 'history.address');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    const paths = lines.filter((line) => !line.startsWith(' ')).map((line) => line.split('  ')[0]);
    expect(paths).toEqual(ADDRESS_HISTORY_FACTS);
    expect(lines.length).toBe(2 * paths.length);
    const at = lines.indexOf('history.address.distinctCounterparts  number (consignees); always there');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe(`    ${FACT_MEANINGS['history.address.distinctCounterparts']!.meaning}`);
    expect(lines[at + 1]).toContain('distinct consignees (consignee phones)');
    expect(lines).toContain('history.address.lastSeizureAt  an instant (ISO 8601 text); may be missing');
  });

  it('prints the facts as JSON for editors with --json', async () => {
    // Act
    const run = await rules('facts', 'parcel.dimensions', '--json');

    // Assess
    expect(run.code).toBe(0);
    const { facts } = JSON.parse(run.stdout) as { facts: Record<string, unknown>[] };
    expect(facts.map((fact) => fact.path)).toEqual([
      'parcel.dimensions',
      'parcel.dimensions.lengthCm',
      'parcel.dimensions.widthCm',
      'parcel.dimensions.heightCm',
    ]);
    expect(facts[1]).toEqual({
      path: 'parcel.dimensions.lengthCm',
      type: 'number',
      kind: 'number',
      unit: 'cm',
      mayBeMissing: true,
      missingWith: 'parcel.dimensions',
      meaning: FACT_MEANINGS['parcel.dimensions.lengthCm']!.meaning,
    });
  });

  it('lists every fact, the rule set’s derived facts and its lists without a prefix', async () => {
    // Act
    const run = await rules('facts', '--json');

    // Assess
    expect(run.code).toBe(0);
    const { facts, lists } = JSON.parse(run.stdout) as {
      facts: { path: string; meaning: string }[];
      lists: { name: string }[];
    };
    const paths = facts.map((fact) => fact.path);
    expect(paths.filter((path) => !path.startsWith('derived.'))).toEqual([
      ...knownFactPaths(),
      ...placesFactEntries().map((entry) => entry.path),
    ]);
    expect(facts).toContainEqual(
      expect.objectContaining({
        path: 'derived.weightToTypicalRatio',
        meaning: 'Parcel weight divided by what its goods should weigh.',
      }),
    );
    expect(lists.map((list) => list.name)).toContain('watched-phones');
  });

  it('lists the lists of the rule set --rule-set names, given list', async () => {
    // Act
    const run = await rules('facts', 'list', '--rule-set', 'rules/default');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('lists of rules/default (compare with in: { list: <name> }):');
    expect(run.stdout).toMatch(/^ {2}watched-phones {2}version \d+, holds phone keys, expires \S+: /m);
  });

  it.each([
    [
      ['history.adress'],
      'unknown fact history.adress; history has consignee, shipper, phone, address, idDocument, sharedSeizures; did you mean history.address?',
    ],
    [
      ['histroy'],
      'unknown fact histroy: a path starts with parcel, manifest, history, parties, now, places, derived; did you mean history?',
    ],
    [
      ['derived.weightToTypicalRatoi'],
      'unknown fact derived.weightToTypicalRatoi; derived has goodsTypicalWeightKg, parcelWeightKg, weightToTypicalRatio, excessWeightKg, measuredToDeclaredRatio, goodsValueCny, valuePerKgCny; did you mean derived.weightToTypicalRatio? (the derived facts of rule set rules/default, the default: --rule-set <dir> reads another)',
    ],
    [
      ['list.watched-phone'],
      'unknown list watched-phone; rules/default has border-origins, hs-subheadings, watched-phones, wooden-goods-hs, wooden-goods-words; did you mean list.watched-phones? (rules/default is the default: --rule-set <dir> reads another)',
    ],
    [['parcel', '--out', 'x'], 'facts does not take --out'],
    [['parcel', 'manifest'], 'facts takes one path at most; also given: manifest'],
    [['parcel', '--rule-set', 'no-such-rule-set'], '--rule-set no-such-rule-set: no such file or directory'],
  ])(
    'refuses %j with one line, a close name where there is one, and the usage line (exit 2)',
    async (args, error) => {
      // Act
      const run = await rules('facts', ...args);

      // Assess
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toEqual([error, USAGE_LINE]);
    },
  );

  it('says a rule set it cannot load is invalid (exit 1) when derived facts are asked for, and lists the others', async () => {
    // Prepare: a copy of the default rule set with a rule reading a fact that does not exist
    const directory = join(scratch, 'invalid');
    cpSync(resolve(REPO_ROOT, 'rules/default'), directory, { recursive: true });
    writeFileSync(join(directory, 'rule-set.yaml'), 'id: broken\n');

    // Act
    const derived = await rules('facts', 'derived', '--rule-set', directory);
    const parcel = await rules('facts', 'parcel.parcelId', '--rule-set', directory);

    // Assess
    expect(derived.code).toBe(1);
    expect(derived.stderr).toMatch(/^rule set invalid: \d+ issue\(s\)$/m);
    expect(parcel.code).toBe(0);
    expect(parcel.stdout).toMatch(/^parcel\.parcelId {2}text; always there$/m);
  });

  it('prints what the example in rules/README.md shows', async () => {
    // Prepare: the example's command and the lines under it, up to the end of its code block
    const readme = readFileSync(resolve(REPO_ROOT, 'rules/README.md'), 'utf8').split('\n');
    const command = readme.findIndex((line) => line.startsWith('$ npm run --silent rules -- facts '));
    const shown = readme.slice(command + 1, readme.indexOf('```', command));
    const args = readme[command]!.replace('$ npm run --silent rules -- ', '').split(' ');

    // Act
    const run = await rules(...args);

    // Assess
    expect(command).toBeGreaterThan(0);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual(shown);
  });

  it('is listed in the whole usage', async () => {
    // Act
    const run = await rules('--help');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('facts [prefix] [--rule-set dir] [--json]');
  });
});
