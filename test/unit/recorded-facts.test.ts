import { describe, expect, it } from 'vitest';
import { baselineFacts } from '../../functions/core/rules/cases/index.js';
import type { FiredRule } from '../../functions/core/screening/decision.js';
import type { PartySummary, ScreeningFacts } from '../../functions/core/screening/facts.js';
import {
  upgradeFactPath,
  upgradeFiredRules,
  upgradeRecordedFacts,
} from '../../functions/core/screening/recorded-facts.js';

/** Facts with one party's history counts recorded as decisions did before the rename. */
const recordedWith = (party: 'consignee' | 'idDocument', extra: Record<string, unknown> = {}) => {
  const facts = baselineFacts();
  const { parcels7d, parcels30d, parcels90d, ...rest } = facts.history[party];
  const old = { ...rest, shipments7d: parcels7d, shipments30d: parcels30d + 4, shipments90d: parcels90d + 4 };
  return {
    facts: {
      ...facts,
      history: { ...facts.history, [party]: { ...old, ...extra } as unknown as PartySummary },
    } as ScreeningFacts,
    expected: { ...rest, parcels7d, parcels30d: parcels30d + 4, parcels90d: parcels90d + 4 },
  };
};

describe('upgradeRecordedFacts', () => {
  it.each(['consignee', 'idDocument'] as const)(
    'reads the %s history recorded under shipmentsNd as parcelsNd, the rest as recorded',
    (party) => {
      // Prepare
      const { facts, expected } = recordedWith(party);

      // Act
      const upgraded = upgradeRecordedFacts(facts);

      // Assess
      expect(upgraded.history[party]).toEqual(expected);
      expect({ ...upgraded, history: { ...upgraded.history, [party]: undefined } }).toEqual({
        ...facts,
        history: { ...facts.history, [party]: undefined },
      });
    },
  );

  it.each([
    ['shipments7d', 'parcels7d'],
    ['shipments30d', 'parcels30d'],
    ['shipments90d', 'parcels90d'],
  ] as const)('keeps the current name where a record holds both %s and %s', (old, current) => {
    // Prepare
    const { facts } = recordedWith('consignee', { [current]: 1 });

    // Act
    const { consignee } = upgradeRecordedFacts(facts).history;

    // Assess
    expect(consignee[current]).toBe(1);
    expect(consignee).not.toHaveProperty(old);
  });

  it('upgrades the parties recorded and leaves a null party summary null', () => {
    // Prepare
    const { facts, expected } = recordedWith('consignee');
    const recorded = {
      ...facts,
      history: { ...facts.history, idDocument: null },
    } as unknown as ScreeningFacts;

    // Act
    const { history } = upgradeRecordedFacts(recorded);

    // Assess
    expect(history.consignee).toEqual(expected);
    expect(history.idDocument).toBeNull();
  });

  it.each([
    ['facts under the current names', baselineFacts()],
    ['facts with no history', { now: '2026-11-29T08:00:00.000Z' } as ScreeningFacts],
    ['facts with a null history', { history: null } as unknown as ScreeningFacts],
  ])('returns %s as they are', (_name, facts) => {
    // Prepare / Act / Assess
    expect(upgradeRecordedFacts(facts)).toBe(facts);
  });
});

describe('upgradeFactPath', () => {
  it.each([
    ['history.consignee.shipments30d', 'history.consignee.parcels30d'],
    ['history.idDocument.shipments7d', 'history.idDocument.parcels7d'],
    ['history.phone.shipments90d', 'history.phone.parcels90d'],
    ['history.phone.parcels90d', 'history.phone.parcels90d'],
    ['history.consignee.shipments60d', 'history.consignee.shipments60d'],
    ['derived.shipments30d', 'derived.shipments30d'],
    ['history.consignee.tallies.shipments30d', 'history.consignee.tallies.shipments30d'],
    ['matched(history.consignee.shipments30d)', 'matched(history.consignee.parcels30d)'],
    ['matched(parcel.goods[0].description)', 'matched(parcel.goods[0].description)'],
    ['matched(history.consignee.shipments30d', 'matched(history.consignee.shipments30d'],
  ])('reads %s as %s', (recorded, current) => {
    // Prepare / Act / Assess
    expect(upgradeFactPath(recorded)).toBe(current);
  });
});

describe('upgradeFiredRules', () => {
  const fired = (values: Record<string, unknown>): FiredRule => ({
    ruleId: 'busy',
    title: 't',
    score: 10,
    reason: 'r',
    values,
  });

  it('renames the recorded values of the old fact paths, and keeps rules without one as they are', () => {
    // Prepare
    const old: FiredRule = {
      ruleId: 'busy',
      title: 't',
      score: 10,
      reason: 'r',
      values: { 'history.consignee.shipments30d': 6, 'parcel.pieceCount': 1 },
    };
    const current: FiredRule = { ...old, ruleId: 'other', values: { 'history.consignee.parcels30d': 6 } };

    // Act
    const [upgraded, kept] = upgradeFiredRules([old, current]);

    // Assess
    expect(upgraded).toEqual({
      ...old,
      values: { 'history.consignee.parcels30d': 6, 'parcel.pieceCount': 1 },
    });
    expect(kept).toBe(current);
  });

  it.each([
    [
      'the old path recorded after the current one',
      { 'history.consignee.parcels30d': 6, 'history.consignee.shipments30d': 4 },
    ],
    [
      'the old path recorded before the current one',
      { 'history.consignee.shipments30d': 4, 'history.consignee.parcels30d': 6 },
    ],
  ])("keeps the current path's value where values hold both, %s", (_order, values) => {
    // Prepare / Act
    const [upgraded] = upgradeFiredRules([fired(values)]);

    // Assess
    expect(upgraded!.values).toEqual({ 'history.consignee.parcels30d': 6 });
  });

  it('renames what a condition on an old fact path matched', () => {
    // Prepare
    const recorded = fired({
      'history.consignee.shipments30d': 3,
      'matched(history.consignee.shipments30d)': 3,
    });

    // Act
    const [upgraded] = upgradeFiredRules([recorded]);

    // Assess
    expect(upgraded!.values).toEqual({
      'history.consignee.parcels30d': 3,
      'matched(history.consignee.parcels30d)': 3,
    });
  });

  it.each([
    ['no values', { ruleId: 'busy', title: 't', score: 10, reason: 'r' }],
    ['empty values', { ruleId: 'busy', title: 't', score: 10, reason: 'r', values: {} }],
    ['null values', { ruleId: 'busy', title: 't', score: 10, reason: 'r', values: null }],
  ])('returns a rule recorded with %s as it is', (_name, recorded) => {
    // Prepare / Act
    const [upgraded] = upgradeFiredRules([recorded as unknown as FiredRule]);

    // Assess
    expect(upgraded).toBe(recorded);
  });
});
