import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesTool } from '../support/tools.js';

/** The analyst tools around sum tallies: validate's summary, explain's verdicts, facts' lines. */
const rules = (...args: string[]) => rulesTool(args);
const scratch = mkdtempSync(join(tmpdir(), 'rules-sum-tallies-tools-'));

/**
 * A rule set with a sum of a derived fact with a unit (CNY), a sum of arithmetic (no unit), a sum of a
 * parcel fact with a unit (kg) and a plain tally, each read by its rule.
 */
const RULE_SET = `id: sum-tallies-example
label: "sum-1"
description: Value and weight summed to one address.
owner: risk-analytics
tables:
  cny-per-unit:
    description: CNY per unit of a currency.
    match: exact
    entries: { CNY: 1, USD: 7.1 }
derived:
  goodsValueCny:
    description: Declared value of all goods lines in CNY.
    unit: CNY
    value:
      sum:
        of: parcel.goods
        as: line
        value:
          mul:
            - fact: line.declaredValue.amount
            - lookup: { table: cny-per-unit, key: line.declaredValue.currency }
tallies:
  value-to-address:
    description: declared value in CNY
    days: 30
    sum: { fact: derived.goodsValueCny }
  doubled-weight-from-ruili:
    description: twice the declared weight from Ruili
    days: 14
    when: { fact: parcel.route.origin.city, in: [Ruili] }
    sum: { mul: [{ fact: parcel.declaredGrossWeightKg }, 2] }
  weight:
    description: declared weight
    days: 7
    sum: { fact: parcel.declaredGrossWeightKg }
  parcels:
    description: parcels
    days: 1
rules:
  - id: value-split
    title: Value or weight split over parcels to one address
    owner: risk-analytics
    severity: high
    score: 40
    reason: "{history.address.tallies.value-to-address} CNY to this address in 30 days"
    when:
      any:
        - { fact: history.address.tallies.value-to-address, gt: 20000 }
        - { fact: history.address.tallies.doubled-weight-from-ruili, gt: 100 }
        - { fact: history.address.tallies.weight, gt: 50 }
        - { fact: history.address.tallies.parcels, gt: 50 }
lanes:
  bands:
    - { from: 0, lane: release }
    - { from: 30, lane: review }
`;

const RULE_SET_DIR = join(scratch, 'sum-tallies');
mkdirSync(RULE_SET_DIR);
writeFileSync(join(RULE_SET_DIR, 'rule-set.yaml'), RULE_SET);

/** Partial facts of a parcel from Ruili of 1.2345 kg whose goods lines are declared in these currencies. */
const parcelFile = (name: string, lines: readonly { amount: number; currency: string }[]): string => {
  const path = join(scratch, name);
  const goods = lines.map((declaredValue) => ({
    description: 'tea',
    hsCode: '090230',
    quantity: 1,
    declaredValue,
  }));
  const parcel = { declaredGrossWeightKg: 1.2345, route: { origin: { city: 'Ruili' } }, goods };
  writeFileSync(path, JSON.stringify({ parcel }));
  return path;
};

// 100.12345 USD at 7.1 (710.876495) and 500 CNY: 1210.876495 CNY, shown as reasons show it, 1210.88.
const VALUED = parcelFile('valued.json', [
  { amount: 100.12345, currency: 'USD' },
  { amount: 500, currency: 'CNY' },
]);
// A currency the rates table lacks: the value in CNY is missing.
const UNVALUED = parcelFile('unvalued.json', [{ amount: 100, currency: 'EUR' }]);

const TALLIES =
  'value-to-address (30 days, sum of derived.goodsValueCny), doubled-weight-from-ruili (14 days, sum of mul(parcel.declaredGrossWeightKg, 2)), weight (7 days, sum of parcel.declaredGrossWeightKg), parcels (1 day)';

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run rules -- validate, with sum tallies', () => {
  it("names each sum tally with its window and the sum as written, in the rule set's line", async () => {
    // Act
    const run = await rules('validate', RULE_SET_DIR);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const [line, ...more] = run.stdout.trimEnd().split('\n');
    expect(more).toEqual([]);
    expect(line).toMatch(/^ok {2}\S+: sum-tallies-example sum-1 \(sha256:[0-9a-f]{16}\), 1 rules, 0 lists, /);
    expect(line).toContain(`, 4 tallies: ${TALLIES}`);
    expect(line!.endsWith(TALLIES)).toBe(true);
    expect(run.stderr).toBe('');
  });
});

describe('npm run rules -- explain, with sum tallies', () => {
  it('names the sum tallies under the version, and says what the parcel adds to each, as reasons show numbers', async () => {
    // Act
    const run = await rules('explain', VALUED, '--rule-set', RULE_SET_DIR);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[1]).toBe(`tallies: ${TALLIES}`);
    const verdicts = lines.slice(lines.findIndex((line) => line.startsWith('tallies this parcel adds')));
    expect(verdicts).toEqual([
      "tallies this parcel adds to its parties' history: value-to-address, doubled-weight-from-ruili, weight, parcels",
      expect.stringMatching(/^ {2}\(a mark goes to every party/),
      '  value-to-address: marked, adds 1210.88',
      '    ✓ all',
      '  doubled-weight-from-ruili: marked, adds 2.47',
      '    ✓ parcel.route.origin.city = "Ruili"  in ["Ruili"]',
      '  weight: marked, adds 1.23',
      '    ✓ all',
      '  parcels: marked',
      '    ✓ all',
    ]);
  });

  it('says a sum tally is not marked when its sum is missing on the parcel, and what it adds to the others', async () => {
    // Act
    const run = await rules('explain', UNVALUED, '--rule-set', RULE_SET_DIR);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const verdicts = lines.slice(lines.findIndex((line) => line.startsWith('tallies this parcel adds')));
    expect(verdicts).toEqual([
      "tallies this parcel adds to its parties' history: doubled-weight-from-ruili, weight, parcels",
      expect.stringMatching(/^ {2}\(a mark goes to every party/),
      '  value-to-address: not marked, its sum derived.goodsValueCny is missing',
      '    ✓ all',
      '  doubled-weight-from-ruili: marked, adds 2.47',
      '    ✓ parcel.route.origin.city = "Ruili"  in ["Ruili"]',
      '  weight: marked, adds 1.23',
      '    ✓ all',
      '  parcels: marked',
      '    ✓ all',
    ]);
  });

  it('gives what the parcel adds to each sum tally exactly in --json, and no amount for a plain tally', async () => {
    // Act
    const marked = await rules('explain', VALUED, '--rule-set', RULE_SET_DIR, '--json');
    const missing = await rules('explain', UNVALUED, '--rule-set', RULE_SET_DIR, '--json');

    // Assess
    const verdicts = (run: { stdout: string }) =>
      (JSON.parse(run.stdout).tallyTrace as { condition: unknown }[]).map(
        ({ condition: _, ...verdict }) => verdict,
      );
    expect(verdicts(marked)).toEqual([
      { id: 'value-to-address', marked: true, amount: 1210.876495 },
      { id: 'doubled-weight-from-ruili', marked: true, amount: 2.469 },
      { id: 'weight', marked: true, amount: 1.2345 },
      { id: 'parcels', marked: true },
    ]);
    expect(verdicts(missing)[0]).toEqual({
      id: 'value-to-address',
      marked: false,
      why: 'its sum derived.goodsValueCny is missing',
    });
  });
});

describe('npm run rules -- facts history.address, with sum tallies', () => {
  it("says a sum tally is the sum of its expression over the window, in the summed fact's unit, always there", async () => {
    // Act
    const run = await rules('facts', 'history.address.tallies', '--rule-set', RULE_SET_DIR);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const window = (days: number) =>
      `in this region's history on the ${days} UTC calendar days up to now; this parcel and the other parcels of its manifest not included (manifest.* counts those)`;
    const sumNote = '; 0 when none, a parcel on which the sum is missing adding nothing';
    const counted = '; counted from the day a rule set with this tally screens';
    expect(run.stdout.trimEnd().split('\n').slice(2)).toEqual([
      'history.address.tallies.value-to-address  number (CNY); always there',
      `    declared value in CNY: the sum of derived.goodsValueCny over parcels to this address (every parcel: the tally has no when), ${window(30)}${sumNote}${counted}`,
      'history.address.tallies.doubled-weight-from-ruili  number; always there',
      `    twice the declared weight from Ruili: the sum of mul(parcel.declaredGrossWeightKg, 2) over parcels to this address that met the tally's when, ${window(14)}${sumNote}${counted}`,
      'history.address.tallies.weight  number (kg); always there',
      `    declared weight: the sum of parcel.declaredGrossWeightKg over parcels to this address (every parcel: the tally has no when), ${window(7)}${sumNote}${counted}`,
      'history.address.tallies.parcels  number (parcels); always there',
      `    parcels: parcels to this address (every parcel: the tally has no when), ${window(1)}${counted}`,
    ]);
  });

  it('gives a sum tally its unit, or none, in --json, as a number never missing', async () => {
    // Act
    const run = await rules('facts', 'history.phone.tallies', '--rule-set', RULE_SET_DIR, '--json');

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const facts = JSON.parse(run.stdout).facts as { path: string; unit?: string; mayBeMissing: boolean }[];
    expect(facts.slice(1).map(({ path, unit, mayBeMissing }) => ({ path, unit, mayBeMissing }))).toEqual([
      { path: 'history.phone.tallies.value-to-address', unit: 'CNY', mayBeMissing: false },
      { path: 'history.phone.tallies.doubled-weight-from-ruili', unit: undefined, mayBeMissing: false },
      { path: 'history.phone.tallies.weight', unit: 'kg', mayBeMissing: false },
      { path: 'history.phone.tallies.parcels', unit: 'parcels', mayBeMissing: false },
    ]);
    expect(facts[2]).not.toHaveProperty('unit');
  });
});
