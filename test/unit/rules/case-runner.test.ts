import { describe, expect, it } from 'vitest';
import { parseCaseFiles, runCases } from '../../../functions/core/rules/index.js';
import { compile, rule } from './rule-set-factory.js';

const policy = () =>
  compile({
    rules: [
      rule('cash', { fact: 'parcel.paymentMethod', eq: 'cash' }, { score: 40 }),
      rule('heavy', { fact: 'parcel.declaredGrossWeightKg', gt: 100 }, { score: 10 }),
    ],
  });
const caseFile = (cases: unknown[]) => ({ file: 'rules/test/cases/cases.yaml', document: { cases } });
const cashCase = {
  name: 'cash',
  facts: { parcel: { paymentMethod: 'cash' } },
  expect: { lane: 'review', fired: ['cash'], score: 40 },
};
const heavyCase = {
  name: 'heavy',
  facts: { parcel: { declaredGrossWeightKg: 120 } },
  expect: { lane: 'release', fired: ['heavy'] },
};

describe('runCases', () => {
  it('passes when every case matches and every enabled rule fires somewhere', () => {
    // Prepare / Act
    const report = runCases(policy(), [caseFile([cashCase, heavyCase])]);

    // Assess
    expect(report).toMatchObject({ passed: true, unfiredRules: [], problems: [] });
    expect(report.results.map((result) => result.passed)).toEqual([true, true]);
  });

  it('fails a rule set without cases', () => {
    // Prepare / Act
    const report = runCases(policy(), []);

    // Assess
    expect(report.passed).toBe(false);
    expect(report.problems).toEqual(['rule set test has no cases']);
  });

  it('fails when a rule is fired by no case', () => {
    // Prepare / Act
    const report = runCases(policy(), [caseFile([cashCase])]);

    // Assess
    expect(report.passed).toBe(false);
    expect(report.unfiredRules).toEqual(['heavy']);
  });

  it.each([
    [
      'a wrong lane',
      { ...cashCase, expect: { ...cashCase.expect, lane: 'hold' } },
      'lane is review, expected hold',
    ],
    ['a wrong score', { ...cashCase, expect: { ...cashCase.expect, score: 41 } }, 'score is 40, expected 41'],
    [
      'wrong fired rules',
      { ...cashCase, expect: { ...cashCase.expect, fired: ['heavy'] } },
      'fired rules differ: unexpected [cash], not fired [heavy]',
    ],
    [
      'facts that are not a valid parcel',
      { ...cashCase, facts: { parcel: { paymentMethod: 'cash', colour: 'red' } } },
      'cases[0].facts.parcel.(root): unknown field colour',
    ],
    [
      'an unknown fact group',
      { ...cashCase, facts: { ...cashCase.facts, parcels: {} } },
      'cases[0].facts.parcels: unknown fact group (parcel, manifest, history, now)',
    ],
  ])('fails a case with %s', (_name, badCase, failure) => {
    // Prepare / Act
    const report = runCases(policy(), [caseFile([badCase, heavyCase])]);

    // Assess
    expect(report.passed).toBe(false);
    expect(report.results[0]?.failures).toContain(failure);
  });

  it('gives the issues of a malformed case file, naming the file and path', () => {
    // Prepare
    const files = [caseFile([{ name: 'no expectation', facts: {} }])];

    // Act
    const { cases, issues } = parseCaseFiles(files);

    // Assess
    expect(cases).toEqual([]);
    expect(issues).toEqual([
      { file: 'rules/test/cases/cases.yaml', path: 'cases[0].expect', reason: expect.any(String) },
    ]);
  });

  it('fails on an invalid case file and still runs the cases of the others', () => {
    // Prepare: one file the schema refuses, one the reader could not parse, one good
    const malformed = { file: 'rules/test/cases/malformed.yaml', document: { cases: [{ name: 'x' }] } };
    const unreadable = {
      file: 'rules/test/cases/broken.yaml',
      path: '(root)',
      reason: 'not valid YAML/JSON: x',
    };

    // Act
    const report = runCases(policy(), [malformed, caseFile([cashCase, heavyCase])], [unreadable]);

    // Assess
    expect(report.passed).toBe(false);
    expect(report.results.map((result) => [result.name, result.passed])).toEqual([
      ['cash', true],
      ['heavy', true],
    ]);
    expect(report.invalidCaseFiles).toEqual([
      unreadable,
      {
        file: 'rules/test/cases/malformed.yaml',
        path: expect.stringMatching(/^cases\[0\]/),
        reason: expect.any(String),
      },
    ]);
    expect(report.problems).toEqual([]);
  });
});
