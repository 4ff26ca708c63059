import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesTool } from '../support/tools.js';

/** `npm run rules -- explain` of a parcel beside a rule set that declares tallies. */
const rules = (...args: string[]) => rulesTool(args);
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
    ['Ruili', 'small-parcels-from-ruili, consignee-phones, declared-value-cny'],
    ['Kunming', 'consignee-phones, declared-value-cny'],
  ])('says which tallies a parcel from %s adds to its parties’ history', async (city, counted) => {
    // Act
    const run = await rules('explain', parcelFrom(city, `${city}.json`), '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toContain(`tallies this parcel adds to its parties' history: ${counted}`);
  });

  it('says of each tally whether it is marked, why not, with the trace of its when, and which parties get the marks', async () => {
    // Act
    const run = await rules('explain', parcelFrom('Kunming', 'each.json'), '--rule-set', EXAMPLE);

    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const from = lines.indexOf(
      "tallies this parcel adds to its parties' history: consignee-phones, declared-value-cny",
    );
    expect(lines.slice(from, from + 6)).toEqual([
      "tallies this parcel adds to its parties' history: consignee-phones, declared-value-cny",
      '  (a mark goes to every party of the parcel that keeps a history: consignee, shipper, phone, address)',
      '  small-parcels-from-ruili: not marked, its when is false',
      '    ✗ all',
      expect.stringMatching(/^ {8}✗ parcel\.route\.origin\.city = "Kunming" {2}in \["Ruili",/),
      expect.stringMatching(/^ {8}[✓✗?] parcel\.declaredGrossWeightKg = .* lt 1$/),
    ]);
    expect(lines.slice(from)).toContain('  consignee-phones: marked');
    // The sum tally adds the parcel's goods value in CNY: one line of 200 CNY
    expect(lines.slice(from)).toContain('  declared-value-cny: marked, adds 200');
  });

  it('says a distinct tally is not marked when the parcel lacks its key, and when its when is missing', async () => {
    // Prepare: a rule set whose tallies count id documents (the baseline parcel carries none) and measured weights
    const ruleSet = join(scratch, 'id-documents');
    mkdirSync(ruleSet);
    writeFileSync(
      join(ruleSet, 'rule-set.yaml'),
      [
        'id: id-documents',
        'label: "1"',
        'description: id documents and measured weights',
        'owner: risk-analytics',
        'lanes: { bands: [{ from: 0, lane: release }, { from: 30, lane: review }] }',
        'tallies:',
        '  id-documents: { description: distinct id documents, days: 30, distinct: parties.idDocument }',
        '  parcels: { description: parcels, days: 30 }',
        '  measured: { description: e-mail in .ru, days: 30, when: { fact: parcel.consignee.email, contains: .ru } }',
        'rules:',
        '  - { id: many, title: Many, owner: o, severity: low, score: 1, reason: r, when: { any: [',
        '      { fact: history.address.tallies.id-documents, gte: 2 }, { fact: history.address.tallies.measured, gte: 2 },',
        '      { fact: history.idDocument.tallies.parcels, gte: 2 } ] } }',
      ].join('\n'),
    );

    // Act
    const run = await rules('explain', parcelFrom('Kunming', 'id.json'), '--rule-set', ruleSet);
    const json = await rules('explain', parcelFrom('Kunming', 'id.json'), '--rule-set', ruleSet, '--json');

    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('  id-documents: not marked, the parcel carries no parties.idDocument');
    expect(lines).toContain(
      '  parcels: marked, but the parcel carries no parties.idDocument, which its rules read it on',
    );
    expect(lines).toContain('  measured: not marked, its when is missing (a fact it reads is missing)');
    expect(JSON.parse(json.stdout)).toMatchObject({
      tallies: ['parcels'],
      tallyParties: ['consignee', 'shipper', 'phone', 'address'],
      tallyTrace: [
        { id: 'id-documents', marked: false, why: 'the parcel carries no parties.idDocument' },
        { id: 'parcels', marked: true },
        { id: 'measured', marked: false, condition: { result: 'missing', fact: 'parcel.consignee.email' } },
      ],
    });
  });

  it('gives them as tallies in the JSON', async () => {
    // Act
    const run = await rules('explain', parcelFrom('Ruili', 'json.json'), '--rule-set', EXAMPLE, '--json');

    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).tallies).toEqual([
      'small-parcels-from-ruili',
      'consignee-phones',
      'declared-value-cny',
    ]);
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
