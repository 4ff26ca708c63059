import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { ruleSetJsonSchemas } from '../../../functions/core/rules/index.js';
import { REPO_ROOT } from '../../../functions/local/repo-root.js';
import { editorRuleSet, list } from './rule-set-factory.js';

/** The editors' JSON Schemas (`npm run rules -- schema`), read back as a validator reads them. */
const schemas = ruleSetJsonSchemas();
const editorAccepts = (name: keyof typeof schemas, document: unknown): boolean =>
  z.fromJSONSchema(schemas[name] as z.core.JSONSchema.JSONSchema).safeParse(document).success;

const DEFAULT = resolve(REPO_ROOT, 'rules/default');
const yamlIn = (file: string): unknown => parse(readFileSync(file, 'utf8'));

describe('the JSON Schemas for editors', () => {
  it.each([
    ['sub', [7]],
    ['div', [{ fact: 'parcel.measuredWeightKg' }]],
  ])('refuses %s with one operand, as the loader does, and takes it with two', (operator, operands) => {
    // Prepare
    const oneOperand = editorRuleSet('arithmetic', { value: { [operator]: operands }, gt: 1 });
    const twoOperands = editorRuleSet('arithmetic', { value: { [operator]: [...operands, 2] }, gt: 1 });
    // add, mul, min and max of one operand are that operand: the compiler takes them
    const addOfOne = editorRuleSet('arithmetic', { value: { add: operands }, gt: 1 });

    // Act / Assess
    expect(editorAccepts('rule-set', oneOperand)).toBe(false);
    expect(editorAccepts('rule-set', twoOperands)).toBe(true);
    expect(editorAccepts('rule-set', addOfOne)).toBe(true);
    expect(editorAccepts('rule-set', yamlIn(join(DEFAULT, 'rule-set.yaml')))).toBe(true);
  });

  it.each([
    ['hashed', true],
    ['saltProof', 'abc123'],
  ])(
    'refuses a list file that sets %s, which only the loader sets, and takes the lists of rules/default',
    (field, value) => {
      // Prepare
      const lists = readdirSync(join(DEFAULT, 'lists')).map((name) => yamlIn(join(DEFAULT, 'lists', name)));

      // Act / Assess
      expect(editorAccepts('list', list('watched-phones', ['+8613800000000'], { [field]: value }))).toBe(
        false,
      );
      expect(editorAccepts('list', list('watched-phones', ['+8613800000000']))).toBe(true);
      for (const document of lists) expect(editorAccepts('list', document)).toBe(true);
    },
  );

  it('refuses a derived fact named with a hyphen, as the loader does, and takes one in camelCase', () => {
    // Prepare
    const withDerived = (name: string) => ({
      ...editorRuleSet('arithmetic', { fact: 'parcel.pieceCount', gt: 1 }),
      derived: { [name]: { description: 'value per kg', value: 1 } },
    });

    // Act / Assess
    expect(editorAccepts('rule-set', withDerived('value-per-kg'))).toBe(false);
    expect(editorAccepts('rule-set', withDerived('valuePerKg'))).toBe(true);
  });

  it('takes a tally that sums, and refuses one that sums and counts distinct keys, as the loader does', () => {
    // Prepare
    const withTally = (tally: Record<string, unknown>) => ({
      ...editorRuleSet('arithmetic', { fact: 'parcel.pieceCount', gt: 1 }),
      tallies: { value: { description: 'declared value', days: 30, ...tally } },
    });
    const sum = { fact: 'parcel.declaredGrossWeightKg' };

    // Act / Assess
    expect(editorAccepts('rule-set', withTally({ sum }))).toBe(true);
    expect(editorAccepts('rule-set', withTally({ distinct: 'parties.phone' }))).toBe(true);
    expect(editorAccepts('rule-set', withTally({ sum, distinct: 'parties.phone' }))).toBe(false);
    expect(editorAccepts('rule-set', withTally({ sum: 'parcel.declaredGrossWeightKg' }))).toBe(false);
    expect(editorAccepts('rule-set', withTally({ sum, total: 1 }))).toBe(false);
  });

  it('takes 50 tallies and refuses 51, as the loader does', () => {
    // Prepare
    const withTallies = (count: number) => ({
      ...editorRuleSet('arithmetic', { fact: 'parcel.pieceCount', gt: 1 }),
      tallies: Object.fromEntries(
        Array.from({ length: count }, (_, i) => [`t${i}`, { description: 'parcels', days: 30 }]),
      ),
    });

    // Act / Assess
    expect(editorAccepts('rule-set', withTallies(50))).toBe(true);
    expect(editorAccepts('rule-set', withTallies(51))).toBe(false);
  });
});
