import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManifestSchema } from '../../../events/manifest-v1.js';
import { startBacktest } from '../../../functions/core/backtest/backtest.js';
import { factsFromManifest, runCases } from '../../../functions/core/rules/cases/index.js';
import { compile, rule } from './rule-set-factory.js';

/**
 * The places facts follow from the parcel: a case cannot write them (its parcel's regions give them),
 * and a backtest finds them on recorded parcels, which never held them.
 */

const CROSSING = rule('crosses-provinces', { fact: 'places.route.provinces', gte: 2 });
const caseFile = (cases: unknown[]) => ({ file: 'rules/test/cases/cases.yaml', document: { cases } });

describe('the places facts in cases and backtests', () => {
  it('refuses a case that writes places, saying they follow from the parcel', () => {
    // Prepare
    const written = {
      name: 'writes places',
      facts: { places: { route: { provinces: 3 } } },
      expect: { lane: 'release', fired: ['crosses-provinces'] },
    };

    // Act
    const report = runCases(compile({ rules: [CROSSING] }), [caseFile([written])]);

    // Assess
    expect(report.results[0]!.failures).toContain(
      'cases[0].facts.places: computed from the parcel, never written: write the regions (or cities) of parcel.route.origin, parcel.route.via, parcel.route.destination, parcel.shipper.address or parcel.consignee.address instead (fact groups: parcel, manifest, history, now)',
    );
  });

  it('passes a case whose parcel writes the regions in any spelling', () => {
    // Prepare
    const crossing = {
      name: 'two provinces',
      facts: {
        parcel: {
          route: {
            origin: { country: 'CN', region: '云南省德宏州', city: '瑞丽' },
            via: [],
            destination: { country: 'CN', region: 'Guangxi Zhuang Autonomous Region', city: 'Wuzhou' },
          },
        },
      },
      expect: { lane: 'release', fired: ['crosses-provinces'], score: 10 },
    };

    // Act
    const report = runCases(compile({ rules: [CROSSING] }), [caseFile([crossing])]);

    // Assess
    expect(report.results[0]!.failures).toEqual([]);
  });

  it('backtests a rule reading places on a recorded parcel, which holds none', () => {
    // Prepare
    const manifest = ManifestSchema.parse(
      JSON.parse(readFileSync('events/samples/manifests/southwest-freight-ruili-wuzhou.json', 'utf8')),
    );
    const facts = factsFromManifest(manifest, 'SWF7781000123')!;
    const candidate = compile({ rules: [CROSSING] });
    const backtest = startBacktest(candidate);

    // Act
    backtest.add({
      parcelKey: 'SWF7781000123',
      decidedAt: '2026-11-27T01:00:00.000Z',
      ruleSetVersion: 'sha256:old',
      lane: 'release',
      firedRuleIds: [],
      facts,
    });
    const report = backtest.finish();

    // Assess
    expect('places' in facts).toBe(false);
    expect(report.rules).toEqual([
      expect.objectContaining({ ruleId: 'crosses-provinces', recordedHits: 0, candidateHits: 1 }),
    ]);
  });
});
