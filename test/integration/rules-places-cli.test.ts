import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesTool } from '../support/tools.js';

/** The places facts (`places.*`) through the analyst's tools: facts, explain, test. */
const rules = (...args: string[]) => rulesTool(args);
const EXAMPLE = 'test/fixtures/rule-sets/places';
const RUILI = 'events/samples/manifests/southwest-freight-ruili-wuzhou.json';
const scratch = mkdtempSync(join(tmpdir(), 'rules-places-'));

const factsFile = (name: string, facts: unknown): string => {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(facts));
  return file;
};

describe('npm run rules, with the places facts', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('lists each places fact with its meaning', async () => {
    // Act
    const run = await rules('facts', 'places');

    // Assess
    expect(run.code).toBe(0);
    const paths = run.stdout
      .split('\n')
      .filter((line) => !line.startsWith(' '))
      .map((line) => line.split('  ')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'places.origin.province',
        'places.destination.province',
        'places.shipper.province',
        'places.consignee.province',
        'places.route.provinces',
        'places.route.unresolved',
        'places.route.provinceNames',
      ]),
    );
    expect(run.stdout).toMatch(
      /^places\.route\.provinces {2}number \(provinces\); always there\n {4}distinct provinces/m,
    );
  });

  it('explains the Ruili parcel: the rule fires, naming the provinces, and every places fact is shown', async () => {
    // Act
    const run = await rules('explain', RUILI, '--parcel', 'SWF7781000123', '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(
      '  road-crossing-provinces-heavy (+40): by road across 2 provinces (Yunnan → Guangxi), 153.5 kg where its goods should weigh 40 kg',
    );
    const from = lines.indexOf('places facts (from the parcel):');
    expect(lines.slice(from, from + 8)).toEqual([
      'places facts (from the parcel):',
      '  places.origin.province = "CN-YN"',
      '  places.destination.province = "CN-GX"',
      '  places.shipper.province = "CN-YN"',
      '  places.consignee.province = "CN-GX"',
      '  places.route.provinces = 2',
      '  places.route.unresolved = 0',
      '  places.route.provinceNames = "Yunnan → Guangxi"',
    ]);
  });

  it('says why a province is missing', async () => {
    // Prepare
    const file = factsFile('yunan.json', {
      parcel: { route: { origin: { country: 'CN', region: 'Yunan', city: 'Ruili' } } },
    });

    // Act
    const run = await rules('explain', file, '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(
      '  places.origin.province = null  (missing: parcel.route.origin: region "Yunan" names no province, nor does city "Ruili")',
    );
    expect(lines).toContain('  places.route.unresolved = 1');
    expect(lines).toContain(
      '    ? parcel.route.origin: region "Yunan" names no province, nor does city "Ruili"',
    );
    expect(lines).toContain('  places.route.provinceNames = "? → Jiangxi → Shanghai"');
  });

  it('does not show the places facts for a rule set that reads none', async () => {
    // Act
    const run = await rules(
      'explain',
      RUILI,
      '--parcel',
      'SWF7781000123',
      '--rule-set',
      'test/fixtures/rule-sets/recency',
    );

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('places');
  });

  it('refuses facts that write places, which follow from the parcel', async () => {
    // Prepare
    const file = factsFile('written.json', { places: { route: { provinces: 3 } } });

    // Act
    const run = await rules('explain', file, '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('places: computed from the parcel, never written');
  });

  it('passes the example rule set’s cases with the other fixtures', async () => {
    // Act
    const run = await rules('test', 'test/fixtures/rule-sets');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /test\/fixtures\/rule-sets\/places: places-example example-1 .*\n(?: {2}pass .*\n){8} {2}8\/8 cases passed, 2\/2 rules fired by a case/,
    );
  });
});
