import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { rulesTool } from '../support/tools.js';

/**
 * What the rule tools say of what a rule set reads: explain's and test's trace of a fact compared with
 * another fact, and validate's warning of a sum tally reading a fact that may be missing.
 */
const rules = (...args: string[]) => rulesTool(args);
const scratch = mkdtempSync(join(tmpdir(), 'rules-tools-readings-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ruleSetDirectory = (name: string, yaml: string, cases?: string): string => {
  const directory = join(scratch, name);
  mkdirSync(join(directory, 'cases'), { recursive: true });
  writeFileSync(join(directory, 'rule-set.yaml'), yaml);
  if (cases !== undefined) writeFileSync(join(directory, 'cases', 'cases.yaml'), cases);
  return directory;
};

const write = (name: string, document: unknown): string => {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(document));
  return file;
};

/** Rules comparing a fact with another fact: text (ne), a number (gt), and inside a quantifier. */
const COMPARING = ruleSetDirectory(
  'comparing',
  `id: comparing
label: "comparing-1"
description: Facts compared with facts.
owner: risk-analytics
rules:
  - id: cross-province
    title: Origin and destination in different regions
    owner: risk-analytics
    severity: low
    score: 10
    reason: "from {parcel.route.origin.region}"
    when: { fact: parcel.route.origin.region, ne: { fact: parcel.route.destination.region } }
  - id: measured-above-declared
    title: Measured above declared
    owner: risk-analytics
    severity: low
    score: 10
    reason: "measured {parcel.measuredWeightKg} kg"
    when: { fact: parcel.measuredWeightKg, gt: { fact: parcel.declaredGrossWeightKg } }
  - id: via-destination-region
    title: A transit point in the destination's region
    owner: risk-analytics
    severity: low
    score: 10
    reason: "via {stop.city}"
    when:
      some:
        of: parcel.route.via
        as: stop
        where: { fact: parcel.route.destination.region, eq: { fact: stop.region } }
lanes:
  bands:
    - { from: 0, lane: release }
    - { from: 30, lane: review }
`,
  `cases:
  - name: within one region
    facts:
      parcel: { route: { origin: { region: Yunnan }, destination: { region: Yunnan } } }
    expect: { lane: release, fired: [cross-province], score: 10 }
`,
);

/** The Ruili sample's first parcel, whole: from Yunnan via Yunnan and Guangxi to Guangxi, 153.5 kg measured, 152 declared. */
const ruiliParcel = () =>
  JSON.parse(
    readFileSync(resolve(REPO_ROOT, 'events/samples/manifests/southwest-freight-ruili-wuzhou.json'), 'utf8'),
  ).parcels[0];

describe('npm run rules -- explain, a fact compared with another fact', () => {
  it('shows the other fact as the compared one is shown: its path, =, its value', async () => {
    // Prepare
    const parcel = write('ruili.json', ruiliParcel());

    // Act
    const run = await rules('explain', parcel, '--rule-set', COMPARING);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(
      '    ✓ parcel.route.origin.region = "Yunnan"  ne parcel.route.destination.region = "Guangxi"',
    );
    expect(lines).toContain('    ✓ parcel.measuredWeightKg = 153.5  gt parcel.declaredGrossWeightKg = 152');
    // Inside a quantifier, by the element's path, as the compared fact is
    expect(lines).toContain(
      '            ✗ parcel.route.destination.region = "Guangxi"  eq parcel.route.via[0].region = "Yunnan"',
    );
    expect(lines).toContain(
      '            ✓ parcel.route.destination.region = "Guangxi"  eq parcel.route.via[1].region = "Guangxi"',
    );
    expect(run.stdout).not.toContain('{"fact"');
  });

  it('shows the other fact missing as null, as the compared one, with the note naming it', async () => {
    // Prepare
    const whole = ruiliParcel();
    delete whole.measuredWeightKg;
    delete whole.route.destination.region;
    const parcel = write('ruili-unweighed.json', whole);

    // Act
    const run = await rules('explain', parcel, '--rule-set', COMPARING);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(
      '    ? parcel.route.origin.region = "Yunnan"  ne parcel.route.destination.region = null  (parcel.route.destination.region is missing)',
    );
    expect(lines).toContain(
      '    ? parcel.measuredWeightKg = null  gt parcel.declaredGrossWeightKg = 152  (parcel.measuredWeightKg is missing)',
    );
  });
});

describe('npm run rules -- test, a case failing on a fact compared with another fact', () => {
  it('says why the rule did not fire as explain shows the comparison', async () => {
    // Act
    const run = await rules('test', COMPARING);

    // Assess: the case expects cross-province, which does not fire within one region
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'cross-province: parcel.route.origin.region = "Yunnan" ne parcel.route.destination.region = "Yunnan" is false',
    );
    expect(run.stdout).not.toContain('{"fact"');
  });
});

/** A rule set whose tallies `sums` are each read by its one rule; `tables` and `derived` as given. */
const summing = (name: string, tallies: Record<string, string>, derived = '{}'): string =>
  ruleSetDirectory(
    name,
    `id: ${name}
label: "${name}-1"
description: Sums of facts that may be missing.
owner: risk-analytics
tables:
  rate-by-region:
    description: a rate by origin region
    match: exact
    default: 1
    entries: { Yunnan: 2 }
derived: ${derived}
tallies:
${Object.entries(tallies)
  .map(([id, tally]) => `  ${id}: { description: ${id}, days: 7, ${tally} }`)
  .join('\n')}
rules:
  - id: summed
    title: Sums
    owner: risk-analytics
    severity: low
    score: 10
    reason: "summed"
    when:
      any:
${Object.keys(tallies)
  .map((id) => `        - { fact: history.address.tallies.${id}, gt: 100 }`)
  .join('\n')}
lanes:
  bands:
    - { from: 0, lane: release }
    - { from: 30, lane: review }
`,
  );

const WARNING_TAIL =
  'which may be missing: a parcel without it adds nothing to the sum (coalesce gives a default)';

describe('npm run rules -- validate, a sum tally reading a fact that may be missing', () => {
  it.each([
    ['the fact itself', 'sum: { fact: parcel.measuredWeightKg }', ['parcel.measuredWeightKg']],
    [
      'the fact in arithmetic',
      'sum: { mul: [{ fact: parcel.measuredWeightKg }, 2] }',
      ['parcel.measuredWeightKg'],
    ],
    [
      'a fact missing with the object it lies under',
      'sum: { fact: parcel.dimensions.lengthCm }',
      ['parcel.dimensions.lengthCm'],
    ],
    [
      'the key of a table lookup',
      'sum: { lookup: { table: rate-by-region, key: parcel.route.origin.region } }',
      ['parcel.route.origin.region'],
    ],
    [
      "a goods line's fact, in an aggregate",
      'sum: { sum: { of: parcel.goods, as: line, value: { fact: line.quantity } } }',
      [],
    ],
    [
      'a when that does not need the fact (an any)',
      'when: { any: [{ fact: parcel.measuredWeightKg, gt: 1 }, { fact: parcel.route.origin.city, eq: Ruili }] }, sum: { fact: parcel.measuredWeightKg }',
      ['parcel.measuredWeightKg'],
    ],
    [
      'a when true only on its absence',
      'when: { fact: parcel.measuredWeightKg, missing: true }, sum: { fact: parcel.measuredWeightKg }',
      ['parcel.measuredWeightKg'],
    ],
    ['a fact always there', 'sum: { fact: parcel.declaredGrossWeightKg }', []],
    [
      'a coalesce with a default',
      'sum: { coalesce: [{ fact: parcel.measuredWeightKg }, { fact: parcel.declaredGrossWeightKg }] }',
      [],
    ],
    [
      'a coalesce of two that may be missing',
      'sum: { coalesce: [{ fact: parcel.measuredWeightKg }, { fact: parcel.dimensions.lengthCm }] }',
      ['parcel.measuredWeightKg', 'parcel.dimensions.lengthCm'],
    ],
    [
      'a when that needs the fact (it cannot mark a parcel without it)',
      'when: { all: [{ fact: parcel.measuredWeightKg, exists: true }] }, sum: { fact: parcel.measuredWeightKg }',
      [],
    ],
    [
      'a when comparing the fact',
      'when: { fact: parcel.measuredWeightKg, gt: 1 }, sum: { fact: parcel.measuredWeightKg }',
      [],
    ],
    ['a count, not a sum', 'when: { fact: parcel.measuredWeightKg, missing: true }', []],
  ])('reading %s: warns of %j', async (name, tally, facts) => {
    // Prepare
    const directory = summing(`summing-${name.replaceAll(/[^a-z]+/g, '-').replace(/-$/, '')}`, {
      probe: tally,
      other: 'sum: 1',
    });

    // Act
    const run = await rules('validate', directory);

    // Assess: valid all the same, one warning a fact
    expect(run.code, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.includes('.sum reads'));
    expect(warnings).toEqual(
      facts.map(
        (fact) => `warn ${directory}/rule-set.yaml: tallies.probe.sum reads ${fact}, ${WARNING_TAIL}`,
      ),
    );
  });

  it('names the derived fact a sum reads it through', async () => {
    // Prepare
    const directory = summing(
      'summing-derived',
      { 'excess-kg': 'sum: { fact: derived.excessKg }', 'weight-kg': 'sum: { fact: derived.weightKg }' },
      `
  excessKg:
    description: measured above declared
    value: { sub: [{ fact: parcel.measuredWeightKg }, { fact: parcel.declaredGrossWeightKg }] }
  weightKg:
    description: measured, or declared
    value: { coalesce: [{ fact: parcel.measuredWeightKg }, { fact: parcel.declaredGrossWeightKg }] }`,
    );

    // Act
    const run = await rules('validate', directory);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n').filter((line) => line.includes('.sum reads'))).toEqual([
      `warn ${directory}/rule-set.yaml: tallies.excess-kg.sum reads parcel.measuredWeightKg (through derived.excessKg), ${WARNING_TAIL}`,
    ]);
  });

  it('does not warn of what a derived fact reads when the when needs that derived fact', async () => {
    // Prepare: measuredKg is missing whenever parcel.measuredWeightKg is, so is excessKg, which reads it
    const directory = summing(
      'summing-derived-needed',
      {
        measured: 'when: { fact: derived.measuredKg, gt: 0 }, sum: { fact: derived.measuredKg }',
        excess: 'when: { fact: derived.measuredKg, gt: 0 }, sum: { fact: derived.excessKg }',
        length:
          'when: { fact: derived.measuredKg, gt: 0 }, sum: { add: [{ fact: derived.measuredKg }, { fact: parcel.dimensions.lengthCm }] }',
      },
      `
  measuredKg:
    description: measured
    value: { fact: parcel.measuredWeightKg }
  excessKg:
    description: measured above declared
    value: { sub: [{ fact: derived.measuredKg }, { fact: parcel.declaredGrossWeightKg }] }`,
    );

    // Act
    const run = await rules('validate', directory);

    // Assess: only the fact the when does not need
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n').filter((line) => line.includes('.sum reads'))).toEqual([
      `warn ${directory}/rule-set.yaml: tallies.length.sum reads parcel.dimensions.lengthCm, ${WARNING_TAIL}`,
    ]);
  });

  it('warns once of a fact read through a diamond of derived facts 25 deep', async () => {
    // Prepare: d1 adds d0 to itself, d2 d1 to itself, …: d25 reads parcel.measuredWeightKg 2^25 ways
    const derived = Array.from({ length: 26 }, (_, i) =>
      i === 0
        ? '\n  d0: { description: d0, value: { fact: parcel.measuredWeightKg } }'
        : `\n  d${i}: { description: d${i}, value: { add: [{ fact: derived.d${i - 1} }, { fact: derived.d${i - 1} }] } }`,
    ).join('');
    const directory = summing('summing-diamond', { deep: 'sum: { fact: derived.d25 }' }, derived);

    // Act
    const run = await rules('validate', directory);

    // Assess: within the test's 30 s (each derived fact's reads worked out once; read at each use, minutes)
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n').filter((line) => line.includes('.sum reads'))).toEqual([
      `warn ${directory}/rule-set.yaml: tallies.deep.sum reads parcel.measuredWeightKg (through derived.d25), ${WARNING_TAIL}`,
    ]);
  });
});
