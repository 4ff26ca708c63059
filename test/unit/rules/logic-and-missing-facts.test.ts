import { describe, expect, it } from 'vitest';
import { compile, facts, fires, rule } from './rule-set-factory.js';

const TRUE = { fact: 'parcel.pieceCount', eq: 1 };
const FALSE = { fact: 'parcel.pieceCount', eq: 2 };
/** Missing on the baseline when measuredWeightKg is removed. */
const MISSING = { fact: 'parcel.measuredWeightKg', gt: 0 };
const NO_MEASURED = { parcel: { measuredWeightKg: null } };

describe('all / any / not with missing facts (three-valued)', () => {
  it.each([
    ['all of true, true', { all: [TRUE, TRUE] }, true],
    ['all of true, false', { all: [TRUE, FALSE] }, false],
    ['all of true, true, true', { all: [TRUE, TRUE, TRUE] }, true],
    ['all of true, missing', { all: [TRUE, MISSING] }, false],
    ['all of true, true, missing', { all: [TRUE, TRUE, MISSING] }, false],
    ['any of missing, false, false', { any: [MISSING, FALSE, FALSE] }, false],
    ['any of false, true', { any: [FALSE, TRUE] }, true],
    ['any of false, false', { any: [FALSE, FALSE] }, false],
    ['any of missing, true', { any: [MISSING, TRUE] }, true],
    ['any of missing, false', { any: [MISSING, FALSE] }, false],
    ['not of false', { not: FALSE }, true],
    ['not of true', { not: TRUE }, false],
    ['not of missing stays missing, so it does not fire', { not: MISSING }, false],
    ['not of all(true, missing) stays missing', { not: { all: [TRUE, MISSING] } }, false],
    ['not of any(false, missing) stays missing', { not: { any: [FALSE, MISSING] } }, false],
    ['ne on a missing fact does not fire', { fact: 'parcel.measuredWeightKg', ne: 5 }, false],
    ['notIn on a missing fact does not fire', { fact: 'parcel.measuredWeightKg', notIn: [5] }, false],
    [
      'not of notIn on a missing fact does not fire',
      { not: { fact: 'parcel.measuredWeightKg', notIn: [5] } },
      false,
    ],
  ])('%s', (_name, when, expected) => {
    // Prepare / Act
    const fired = fires(when, NO_MEASURED);

    // Assess
    expect(fired).toBe(expected);
  });

  // Facts are typed at load time; a value of another type at run time (a partner's string where the
  // contract has a number, in facts built without validation) is missing, never coerced.
  it.each([
    ['between', { between: [1, 5] }],
    ['gt', { gt: 1 }],
    ['lte', { lte: 5 }],
  ])('makes %s on a value of the wrong type missing', (_name, operator) => {
    // Prepare
    const policy = compile({ rules: [rule('typed', { fact: 'parcel.pieceCount', ...operator })] });

    // Act
    const evaluation = policy.evaluate(facts({ parcel: { pieceCount: '3' } }), { trace: true });

    // Assess
    expect(evaluation.firedRules).toEqual([]);
    expect(evaluation.trace?.rules[0]?.condition?.result).toBe('missing');
  });

  it.each([
    ['contains', { contains: 'rui' }],
    ['startsWith', { startsWith: 'rui' }],
    ['matches', { matches: '^rui' }],
  ])('keeps %s on missing text missing, so its not does not fire either', (_name, operator) => {
    // Prepare
    const noCity = { parcel: { route: { origin: { city: null } } } };
    const when = { fact: 'parcel.route.origin.city', ...operator };

    // Act / Assess
    expect(fires(when, noCity)).toBe(false);
    expect(fires({ not: when }, noCity)).toBe(false);
  });

  it('makes arithmetic on a value of the wrong type missing, never coerced', () => {
    // Prepare: '3' × 2 would be 6 if the string were coerced
    const when = { value: { mul: [{ fact: 'parcel.pieceCount' }, 2] }, gt: 5 };

    // Act / Assess
    expect(fires(when, { parcel: { pieceCount: '3' } })).toBe(false);
    expect(fires({ not: when }, { parcel: { pieceCount: '3' } })).toBe(false);
  });

  it('shows a missing fact in the trace instead of throwing', () => {
    // Prepare
    const policy = compile({ rules: [rule('heavy', { fact: 'parcel.measuredWeightKg', gt: 10 })] });

    // Act
    const evaluation = policy.evaluate(facts(NO_MEASURED), { trace: true });

    // Assess
    expect(evaluation.firedRules).toEqual([]);
    expect(evaluation.trace?.rules[0]).toEqual({
      ruleId: 'heavy',
      status: 'not-fired',
      condition: {
        op: 'gt',
        result: 'missing',
        fact: 'parcel.measuredWeightKg',
        actual: null,
        expected: 10,
        note: 'parcel.measuredWeightKg is missing',
      },
    });
  });

  it.each([
    [
      'names the missing fact a derived fact reads',
      'ratio',
      NO_MEASURED,
      'derived.ratio is missing: parcel.measuredWeightKg is missing',
    ],
    [
      'names it through another derived fact',
      'doubled',
      NO_MEASURED,
      'derived.doubled is missing: parcel.measuredWeightKg is missing',
    ],
    [
      'names nothing when no input is missing (division by zero)',
      'ratio',
      { parcel: { declaredGrossWeightKg: 0 } },
      'derived.ratio is missing',
    ],
  ])('%s in the trace', (_name, derivedName, patch, note) => {
    // Prepare
    const policy = compile({
      derived: {
        ratio: {
          description: 'measured / declared',
          value: { div: [{ fact: 'parcel.measuredWeightKg' }, { fact: 'parcel.declaredGrossWeightKg' }] },
        },
        doubled: { description: 'twice the ratio', value: { mul: [{ fact: 'derived.ratio' }, 2] } },
      },
      rules: [rule('heavy', { fact: `derived.${derivedName}`, gt: 1.5 })],
    });

    // Act
    const evaluation = policy.evaluate(facts(patch), { trace: true });

    // Assess
    expect(evaluation.trace?.rules[0]?.condition).toMatchObject({ result: 'missing', note });
  });

  it.each([
    [
      'names the missing fact a value expression reads',
      NO_MEASURED,
      'div(parcel.measuredWeightKg, parcel.declaredGrossWeightKg) is missing: parcel.measuredWeightKg is missing',
    ],
    [
      'names nothing when no input of a value expression is missing (division by zero)',
      { parcel: { declaredGrossWeightKg: 0 } },
      'div(parcel.measuredWeightKg, parcel.declaredGrossWeightKg) is missing',
    ],
  ])('%s in the trace', (_name, patch, note) => {
    // Prepare
    const ratio = { div: [{ fact: 'parcel.measuredWeightKg' }, { fact: 'parcel.declaredGrossWeightKg' }] };
    const policy = compile({ rules: [rule('heavy', { value: ratio, gt: 1.5 })] });

    // Act
    const evaluation = policy.evaluate(facts(patch), { trace: true });

    // Assess
    expect(evaluation.trace?.rules[0]?.condition).toMatchObject({ result: 'missing', note });
  });

  it('treats a whole missing branch of facts as missing, not as a crash', () => {
    // Prepare
    const policy = compile({ rules: [rule('deep', { fact: 'parcel.dimensions.heightCm', gt: 10 })] });

    // Act
    const evaluation = policy.evaluate(facts(), { trace: true });

    // Assess
    expect(evaluation.firedRules).toEqual([]);
    expect(evaluation.trace?.rules[0]?.condition?.result).toBe('missing');
  });
});
