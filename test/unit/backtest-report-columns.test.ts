import { describe, expect, it } from 'vitest';
import { type PastParcel, startBacktest } from '../../functions/core/backtest/backtest.js';
import type { Evaluation } from '../../functions/core/screening/decision.js';
import type { ScreeningFacts } from '../../functions/core/screening/facts.js';
import { backtestTitle } from '../../functions/tools/rules/backtest.js';
import { formatBacktest } from '../../functions/tools/rules/backtest-report.js';

const LONG = 'third-small-parcel-ruili-wanding-to-address';

/** A candidate that fires the long rule on every parcel and a short one on none. */
const candidate = {
  id: 'default',
  label: '2026.11-1',
  version: 'sha256:new',
  ruleIds: [LONG, 'origin'],
  tallies: [],
  tallyMarks: () => [],
  laneFloor: () => undefined,
  evaluate: (): Evaluation => ({
    ruleSetId: 'default',
    ruleSetVersion: 'sha256:new',
    score: 0,
    lane: 'review',
    firedRules: [{ ruleId: LONG, title: LONG, score: 0, reason: '', values: {} }],
  }),
};

const past = (key: string): PastParcel => ({
  parcelKey: key,
  decidedAt: '2026-11-01T00:00:00.000Z',
  ruleSetVersion: 'sha256:old',
  lane: 'review',
  firedRuleIds: ['origin'],
  facts: { key } as unknown as ScreeningFacts,
});

describe('formatBacktest, the rules table', () => {
  it('sizes the rule id column to the longest id, so its counts stay under their headings', () => {
    // Prepare
    const backtest = startBacktest(candidate);
    backtest.add(past('a'));
    backtest.add(past('b'));

    // Act
    const lines = formatBacktest(backtest.finish(), candidate);

    // Assess: each count ends where its heading ends
    const heading = lines.find((line) => line.startsWith('rules '))!;
    const row = lines.find((line) => line.startsWith(`${LONG} `))!;
    const short = lines.find((line) => line.startsWith('origin '))!;
    expect(row).toMatch(new RegExp(`^${LONG} {2,}0 +2 +0 +0 +–?`));
    const end = (line: string, word: string) => line.indexOf(word) + word.length;
    expect(end(row, ' 0')).toBe(end(heading, 'recorded'));
    expect(end(short, ' 2')).toBe(end(heading, 'recorded'));
    expect(row.indexOf('2', end(row, ' 0')) + 1).toBe(end(heading, 'candidate'));
  });
});

describe('backtestTitle', () => {
  it.each([
    [
      { path: '.', isDefault: false, option: 'backtest <dir>' },
      'backtest of default (read from .) 2026.11-1 (sha256:new)',
    ],
    [
      { path: '../../../rules/default', isDefault: true, option: 'backtest <dir>' },
      'backtest of default (read from ../../../rules/default, the default) 2026.11-1 (sha256:new)',
    ],
  ])('names the directory the candidate was read from beside its id (%o)', (read, title) => {
    expect(backtestTitle(candidate, read)).toBe(title);
  });
});
