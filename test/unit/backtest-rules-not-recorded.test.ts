import { describe, expect, it } from 'vitest';
import {
  markRulesNotRecorded,
  type PastParcel,
  startComparison,
} from '../../functions/core/backtest/backtest.js';
import type { ScreeningFacts } from '../../functions/core/screening/facts.js';
import { recordedRulesOf } from '../../functions/tools/rules/backtest.js';
import { formatBacktest } from '../../functions/tools/rules/backtest-report.js';
import { compile, rule } from './rules/rule-set-factory.js';

/** Two parcels, decided by versions v1 and v2, on which `origin` fired; the candidate fires none. */
const compared = () => {
  const comparison = startComparison(['origin', 'weight', 'added']);
  for (const version of ['sha256:v1', 'sha256:v2']) {
    const parcel: PastParcel = {
      parcelKey: `p-${version}`,
      decidedAt: '2026-11-01T00:00:00.000Z',
      ruleSetVersion: version,
      lane: 'release',
      firedRuleIds: ['origin'],
      facts: {} as ScreeningFacts,
    };
    comparison.add(parcel, { lane: 'release', firedRules: [] });
  }
  return comparison.finish();
};

const VERSIONS: Record<string, readonly string[]> = {
  'sha256:v1': ['origin', 'weight'],
  'sha256:v2': ['origin', 'weight', 'retired'],
};

describe('markRulesNotRecorded', () => {
  it.each([
    ['every recorded version known', ['added'], (version: string) => VERSIONS[version]],
    ['a rule one of them had', [], (version: string) => [...(VERSIONS[version] ?? []), 'added']],
    [
      'one recorded version unknown',
      [],
      (version: string) => (version === 'sha256:v1' ? VERSIONS[version] : undefined),
    ],
  ])('with %s, marks %j as in no recorded version', (_name, marked, rulesOf) => {
    // Act
    const report = markRulesNotRecorded(compared(), rulesOf);

    // Assess
    expect(report.rules.filter((rule) => rule.notRecorded === true).map((rule) => rule.ruleId)).toEqual(
      marked,
    );
  });
});

describe('formatBacktest, a rule in no recorded version', () => {
  it('shows new in the recorded column, not 0, and says what new means', () => {
    // Prepare
    const report = markRulesNotRecorded(compared(), (version) => VERSIONS[version]);

    // Act
    const lines = formatBacktest(report, { id: 'c', label: 'c-1', version: 'sha256:c' });

    // Assess: new ends under its heading, as the counts do
    const heading = lines.find((line) => line.startsWith('rules '))!;
    const added = lines.find((line) => line.startsWith('added '))!;
    expect(added).toMatch(/^added +new +0 +0 +0 +–$/);
    expect(added.indexOf('new') + 'new'.length).toBe(heading.indexOf('recorded') + 'recorded'.length);
    expect(lines).toContainEqual(expect.stringMatching(/^weight +0 +0 +0 +0 +–$/));
    expect(lines).toContainEqual(expect.stringMatching(/^origin +2 +0 +0 +0 +–$/));
    expect(lines.at(-1)).toBe(
      'new: in none of the recorded rule set versions, so it could not fire when the parcels were decided',
    );
  });

  it('says nothing of new when no rule is', () => {
    // Act
    const lines = formatBacktest(compared(), { id: 'c', label: 'c-1', version: 'sha256:c' });

    // Assess
    expect(lines.join('\n')).not.toMatch(/\bnew\b/);
  });
});

describe('recordedRulesOf', () => {
  it("gives a version's enabled rules only: a rule disabled when the parcels were decided is new when enabled", () => {
    // Prepare: the version the parcels were decided by, with `weight` written but disabled
    const recorded = compile({
      rules: [
        rule('origin', { fact: 'parcel.route.origin.city', eq: 'Ruili' }),
        rule('weight', { fact: 'parcel.declaredGrossWeightKg', gt: 30 }, { enabled: false }),
      ],
    });

    // Act
    const rules = recordedRulesOf(recorded, 'salt')(recorded.version);

    // Assess
    expect(rules).toEqual(['origin']);
  });
});
