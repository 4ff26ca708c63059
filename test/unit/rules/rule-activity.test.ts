import { describe, expect, it } from 'vitest';
import { compile, facts, list, rule } from './rule-set-factory.js';

const ALWAYS = { fact: 'parcel.pieceCount', gte: 1 };
const at = (now: string) => facts({ now });

describe('enabled flag, effective dates and list expiry', () => {
  it.each([
    ['before effectiveFrom', { effectiveFrom: '2026-06-02' }, '2026-06-01T23:59:59Z', false],
    ['at effectiveFrom (inclusive)', { effectiveFrom: '2026-06-02' }, '2026-06-02T00:00:00Z', true],
    ['before effectiveUntil', { effectiveUntil: '2026-07-01T00:00:00+08:00' }, '2026-06-30T15:59:59Z', true],
    [
      'at effectiveUntil (exclusive)',
      { effectiveUntil: '2026-07-01T00:00:00+08:00' },
      '2026-06-30T16:00:00Z',
      false,
    ],
    [
      'inside a window',
      { effectiveFrom: '2026-01-01', effectiveUntil: '2027-01-01' },
      '2026-06-01T00:00:00Z',
      true,
    ],
    ['with an unreadable now', { effectiveFrom: '2026-01-01' }, 'not a date', false],
    // Read strictly, as the day operators read it: no machine's time zone decides.
    ['with a now without offset', { effectiveFrom: '2026-01-01' }, '2026-06-01T08:00:00', false],
    ['with a now on 30 February', { effectiveFrom: '2026-01-01' }, '2026-02-30T08:00:00Z', false],
    ['without a window, whatever now is', {}, 'not a date', true],
  ])('decides whether a rule is in force %s', (_name, window, now, expected) => {
    // Prepare
    const policy = compile({ rules: [rule('windowed', ALWAYS, window)] });

    // Act
    const fired = policy.evaluate(at(now)).firedRules.length === 1;

    // Assess
    expect(fired).toBe(expected);
  });

  it('never evaluates a disabled rule, and traces it as disabled', () => {
    // Prepare
    const policy = compile({ rules: [rule('off', ALWAYS, { enabled: false }), rule('on', ALWAYS)] });

    // Act
    const evaluation = policy.evaluate(facts(), { trace: true });

    // Assess
    expect(evaluation.firedRules.map((fired) => fired.ruleId)).toEqual(['on']);
    expect(evaluation.trace?.rules.map((r) => r.status)).toEqual(['disabled', 'fired']);
    expect(policy.enabledRuleIds).toEqual(['on']);
  });

  it('traces a rule outside its window as not effective', () => {
    // Prepare
    const policy = compile({ rules: [rule('later', ALWAYS, { effectiveFrom: '2030-01-01' })] });

    // Act
    const evaluation = policy.evaluate(facts(), { trace: true });

    // Assess
    expect(evaluation.trace?.rules[0]).toMatchObject({ ruleId: 'later', status: 'not-effective' });
  });

  it.each([
    ['before expiry', { expires: '2027-01-01' }, '2026-12-31T23:59:59Z', undefined],
    [
      'at expiry',
      { expires: '2027-01-01' },
      '2027-01-01T00:00:00Z',
      'list origins v1 expired on 2027-01-01T00:00:00.000Z',
    ],
    [
      'with an expiry and an unreadable now',
      { expires: '2027-01-01' },
      'not a date',
      'now is not a time, so list origins v1 (expiring 2027-01-01T00:00:00.000Z) is not in force',
    ],
    [
      'with an expiry and a now without offset',
      { expires: '2027-01-01' },
      '2026-06-01T08:00:00',
      'now is not a time, so list origins v1 (expiring 2027-01-01T00:00:00.000Z) is not in force',
    ],
    ['without an expiry, whatever now is', {}, 'not a date', undefined],
  ])('matches a list %s, or says why not', (_name, expiry, now, note) => {
    // Prepare
    const policy = compile({
      lists: [list('origins', ['Shenzhen'], expiry)],
      rules: [rule('origin', { fact: 'parcel.route.origin.city', in: { list: 'origins' } })],
    });

    // Act
    const evaluation = policy.evaluate(at(now), { trace: true });

    // Assess
    expect(evaluation.firedRules.length === 1).toBe(note === undefined);
    if (note !== undefined) {
      expect(evaluation.trace?.rules[0]?.condition).toMatchObject({ result: 'missing', note });
    }
  });
});
