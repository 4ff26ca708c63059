import { describe, expect, it } from 'vitest';
import {
  baselineFacts,
  factsFromInput,
  mergeFacts,
  parseCaseFiles,
  runCases,
} from '../../../functions/core/rules/cases/index.js';
import { type FactType, SCREENING_FACTS_TYPE } from '../../../functions/core/rules/fact-types.js';
import { emptyPartySummary } from '../../../functions/core/screening/facts.js';
import { compile, rule } from './rule-set-factory.js';

const policy = () =>
  compile({
    rules: [
      rule('cash', { fact: 'parcel.paymentMethod', eq: 'cash' }, { score: 40 }),
      rule('heavy', { fact: 'parcel.declaredGrossWeightKg', gt: 100 }, { score: 10 }),
    ],
  });
const caseFile = (cases: unknown[]) => ({ file: 'rules/test/cases/cases.yaml', document: { cases } });
/** A case on `facts` that expects the parcel released, no rule fired. */
const releasing = (name: string, facts: unknown) => ({ name, facts, expect: { lane: 'release', fired: [] } });
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

  it('says why an expected rule did not fire: the first condition down its all that is not true', () => {
    // Prepare
    const withAll = compile({
      rules: [
        rule(
          'cash-and-heavy',
          {
            all: [
              { fact: 'parcel.paymentMethod', eq: 'cash' },
              { fact: 'parcel.measuredWeightKg', gt: 100 },
            ],
          },
          { score: 40 },
        ),
      ],
    });
    const expecting = {
      name: 'heavy cash',
      facts: { parcel: { paymentMethod: 'cash' } },
      expect: { lane: 'review', fired: ['cash-and-heavy'] },
    };

    // Act
    const report = runCases(withAll, [caseFile([expecting])]);

    // Assess
    expect(report.results[0]?.failures).toContain(
      'cases[0].expect.fired: fired rules differ: not fired [cash-and-heavy] (cash-and-heavy: parcel.measuredWeightKg = 0.82 gt 100 is false)',
    );
  });

  it.each([
    [
      'a wrong lane',
      { ...cashCase, expect: { ...cashCase.expect, lane: 'hold' } },
      'cases[0].expect.lane: lane is review, expected hold',
    ],
    [
      'a wrong score',
      { ...cashCase, expect: { ...cashCase.expect, score: 41 } },
      'cases[0].expect.score: score is 40, expected 41',
    ],
    [
      'wrong fired rules',
      { ...cashCase, expect: { ...cashCase.expect, fired: ['heavy'] } },
      'cases[0].expect.fired: fired rules differ: unexpected [cash], not fired [heavy] (heavy: parcel.declaredGrossWeightKg = 0.8 gt 100 is false)',
    ],
    [
      'facts that are not a valid parcel',
      { ...cashCase, facts: { parcel: { paymentMethod: 'cash', colour: 'red' } } },
      'cases[0].facts.parcel.colour: unknown fact; parcel has parcelId, shipper, consignee, route, goods, pieceCount, declaredGrossWeightKg, measuredWeightKg, dimensions, paymentMethod, contentCategory',
    ],
    [
      'an unknown fact group',
      { ...cashCase, facts: { ...cashCase.facts, parcels: {} } },
      'cases[0].facts.parcels: unknown fact group (parcel, manifest, history, now); did you mean parcel?',
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

describe('case expectations, checked against the rule set', () => {
  const withDisabled = () =>
    compile({
      rules: [
        rule('cash', { fact: 'parcel.paymentMethod', eq: 'cash' }, { score: 40 }),
        rule('heavy', { fact: 'parcel.declaredGrossWeightKg', gt: 100 }, { score: 10 }),
        rule('off', { fact: 'parcel.pieceCount', gt: 1 }, { enabled: false }),
      ],
    });

  it.each([
    [
      'a misspelled rule',
      ['cahs'],
      'cases[1].expect.fired[0]: unknown rule cahs; rules: cash, heavy, off; did you mean cash?',
    ],
    [
      'a rule named like none',
      ['light'],
      'cases[1].expect.fired[0]: unknown rule light; rules: cash, heavy, off',
    ],
    [
      'a disabled rule',
      ['cash', 'off'],
      'cases[1].expect.fired[1]: rule off is disabled: a case cannot expect it to fire',
    ],
    [
      'a rule listed twice',
      ['cash', 'cash'],
      'cases[1].expect.fired[1]: rule cash is listed twice, first at expect.fired[0]',
    ],
  ])('refuses a case expecting %s to fire, saying so and nothing else', (_name, fired, failure) => {
    // Prepare: the case at index 1 of its file
    const badCase = { ...cashCase, expect: { ...cashCase.expect, fired } };

    // Act
    const report = runCases(withDisabled(), [caseFile([heavyCase, badCase])]);

    // Assess
    expect(report.passed).toBe(false);
    expect(report.results[1]?.failures).toEqual([failure]);
  });
});

describe('case facts, checked against what screening gives', () => {
  const factsFailures = (facts: unknown): string[] =>
    runCases(policy(), [caseFile([releasing('facts', facts)])]).results[0]!.failures.filter((failure) =>
      failure.startsWith('cases[0].facts.'),
    );
  const TRIMMED_BY_CONTRACT =
    'has leading or trailing spaces, which screening never sees (the manifest contract trims text)';
  const NULL_ON_A_FACT = 'null, but screening always has this fact (null only removes an optional one)';
  const YAML_NUMBER = 'YAML reads a plain 0813 as the number 813: keep its leading zeros inside the quotes';

  it.each<[string, unknown, string]>([
    [
      'a transport mode the contract refuses',
      { manifest: { transport: { mode: 'Air' } } },
      'manifest.transport.mode: expected one of road, rail, air, sea, postal, multimodal, not "Air"',
    ],
    [
      'a conveyance reference that is not text',
      { manifest: { transport: { conveyanceReference: 5 } } },
      `manifest.transport.conveyanceReference: expected text, not the number 5: quote it, "5" (${YAML_NUMBER})`,
    ],
    [
      'an HS code YAML read as a number (hsCode: 090230)',
      {
        parcel: {
          goods: [
            {
              description: 'Tea',
              hsCode: 90230,
              quantity: 1,
              declaredValue: { amount: 10, currency: 'CNY' },
            },
          ],
        },
      },
      `parcel.goods[0].hsCode: expected text, not the number 90230: quote it, "90230" (${YAML_NUMBER})`,
    ],
    [
      'a number where an enum is needed, with no quoting hint',
      { parcel: { paymentMethod: 5 } },
      'parcel.paymentMethod: expected one of prepaid, cash-on-delivery, cash, not 5',
    ],
    [
      'a place of loading the contract refuses',
      { manifest: { transport: { placeOfLoading: { country: 'cn' } } } },
      'manifest.transport.placeOfLoading.country: ISO 3166-1 alpha-2 country code, e.g. CN',
    ],
    [
      'an unknown transport field',
      { manifest: { transport: { vessel: 'X' } } },
      'manifest.transport.vessel: unknown fact; manifest.transport has mode, masterDocumentNumber, placeOfLoading, placeOfUnloading, conveyanceReference',
    ],
    [
      'a parcel count that is not a whole number',
      { manifest: { parcelCount: 1.5 } },
      'manifest.parcelCount: expected a whole number, not 1.5',
    ],
    ['no transport', { manifest: { transport: null } }, `manifest.transport: ${NULL_ON_A_FACT}`],
    [
      'no city of loading',
      { manifest: { transport: { placeOfLoading: { city: null } } } },
      `manifest.transport.placeOfLoading.city: ${NULL_ON_A_FACT}`,
    ],
    ['no history', { history: null }, `history: ${NULL_ON_A_FACT}`],
    ['no consignee history', { history: { consignee: null } }, `history.consignee: ${NULL_ON_A_FACT}`],
    [
      'a consignee neither known nor unknown',
      { history: { consignee: { known: null } } },
      `history.consignee.known: ${NULL_ON_A_FACT}`,
    ],
    [
      'a negative count',
      { history: { sharedSeizures: -1 } },
      'history.sharedSeizures: Too small: expected number to be >=0',
    ],
    [
      'a count that is not a whole number',
      { history: { phone: { seizures: 1.5 } } },
      'history.phone.seizures: expected a whole number, not 1.5',
    ],
    [
      'a misspelled parcel field',
      { parcel: { measuredWeightKgs: 1 } },
      'parcel.measuredWeightKgs: unknown fact; parcel has parcelId, shipper, consignee, route, goods, pieceCount, declaredGrossWeightKg, measuredWeightKg, dimensions, paymentMethod, contentCategory; did you mean parcel.measuredWeightKg?',
    ],
    [
      'a history count by the name it had before it was renamed',
      { history: { consignee: { shipments30d: 6 } } },
      'history.consignee.shipments30d: unknown fact; history.consignee has known, firstSeen, lastSeen, parcels7d, parcels30d, parcels90d, distinctCounterparts, sharedDistinctCounterparts, distinctOrigins, flags, inspections, seizures, lastSeizureAt, tallies; shipments30d was renamed parcels30d: did you mean history.consignee.parcels30d?',
    ],
    [
      'a misspelled field of a place',
      { parcel: { route: { origin: { citty: 'Ruili' } } } },
      'parcel.route.origin.citty: unknown fact; parcel.route.origin has country, region, city; did you mean parcel.route.origin.city?',
    ],
    [
      'an unknown field of a goods line',
      {
        parcel: {
          goods: [
            {
              description: 'Chair',
              hsCode: '940169',
              quantity: 1,
              declaredValue: { amount: 9, currency: 'CNY' },
              colour: 'red',
            },
          ],
        },
      },
      'parcel.goods[0].colour: unknown fact; parcel.goods[0] has description, hsCode, quantity, declaredValue',
    ],
    [
      'a description YAML cut at a comma in a flow map ({ description: Teak, carved, … })',
      {
        parcel: {
          goods: [
            {
              description: 'Teak',
              carved: null,
              hsCode: '940360',
              quantity: 1,
              declaredValue: { amount: 9, currency: 'CNY' },
            },
          ],
        },
      },
      'parcel.goods[0].carved: unknown fact; parcel.goods[0] has description, hsCode, quantity, declaredValue; it has no value: in a flow map ({ … }) a comma ends the text before it, so quote text that holds one (description: "Teak, carved")',
    ],
    ['no piece count', { parcel: { pieceCount: null } }, `parcel.pieceCount: ${NULL_ON_A_FACT}`],
    [
      'a parcel city with spaces the contract trims',
      { parcel: { route: { origin: { city: ' Ruili ' } } } },
      `parcel.route.origin.city: " Ruili " ${TRIMMED_BY_CONTRACT}: write "Ruili"`,
    ],
    [
      'a goods description with a trailing ideographic space',
      {
        parcel: {
          goods: [
            {
              description: '红木茶几\u3000',
              hsCode: '940360',
              quantity: 1,
              declaredValue: { amount: 9, currency: 'CNY' },
            },
          ],
        },
      },
      // Escaped, so that the analyst sees which space it is
      `parcel.goods[0].description: "红木茶几\\u3000" ${TRIMMED_BY_CONTRACT}: write "红木茶几"`,
    ],
    [
      'a postcode of only spaces',
      { parcel: { consignee: { address: { postcode: '   ' } } } },
      // Left out, the baseline's postcode would stay: null removes it
      `parcel.consignee.address.postcode: "   " ${TRIMMED_BY_CONTRACT}: write null, which removes the field`,
    ],
    [
      'a manifest place of loading with spaces the contract trims',
      { manifest: { transport: { placeOfLoading: { city: 'Ruili ' } } } },
      `manifest.transport.placeOfLoading.city: "Ruili " ${TRIMMED_BY_CONTRACT}: write "Ruili"`,
    ],
  ])('refuses %s, naming its path', (_name, facts, problem) => {
    // Prepare / Act
    const failures = factsFailures(facts);

    // Assess
    expect(failures).toEqual([`cases[0].facts.${problem}`]);
  });

  it('refuses a parcel written bare as a case’s facts, which would leave the baseline’s parcel', () => {
    // Prepare
    const { parcelId, paymentMethod } = baselineFacts().parcel;

    // Act
    const failures = factsFailures({ parcelId, paymentMethod });

    // Assess
    expect(failures).toEqual([
      'cases[0].facts.parcelId: unknown fact group (parcel, manifest, history, now); did you mean parcel?',
      'cases[0].facts.paymentMethod: unknown fact group (parcel, manifest, history, now)',
    ]);
  });

  it.each<[string, unknown]>([
    ['a conveyance reference', { manifest: { transport: { conveyanceReference: 'CA123' } } }],
    ['no conveyance reference', { manifest: { transport: { conveyanceReference: null } } }],
    ['no region of loading', { manifest: { transport: { placeOfLoading: { region: null } } } }],
    ['an air transport', { manifest: { transport: { mode: 'air' } } }],
    [
      'party history never seen and without seizures',
      { history: { consignee: { known: false, firstSeen: null, lastSeen: null, lastSeizureAt: null } } },
    ],
    ['no measured weight', { parcel: { measuredWeightKg: null } }],
  ])('takes %s, as screening can give it', (_name, facts) => {
    // Prepare / Act
    const failures = factsFailures(facts);

    // Assess
    expect(failures).toEqual([]);
  });

  it('passes a case that fires a rule on manifest.transport.conveyanceReference', () => {
    // Prepare
    const flight = compile({
      rules: [
        rule('flight', { fact: 'manifest.transport.conveyanceReference', startsWith: 'CA' }, { score: 30 }),
      ],
    });
    const flightCase = {
      name: 'flight CA123',
      facts: { manifest: { transport: { conveyanceReference: 'CA123' } } },
      expect: { lane: 'review', fired: ['flight'] },
    };

    // Act
    const report = runCases(flight, [caseFile([flightCase])]);

    // Assess
    expect(report.results[0]?.failures).toEqual([]);
    expect(report.passed).toBe(true);
  });
});

const ID_DOCUMENT = { type: 'passport', number: 'E12345678' };
const SEIZED = '2026-02-11T09:00:00Z';

describe('case facts screening never gives together, refused with file, case, path and reason', () => {
  const failuresOf = (facts: unknown) => {
    const report = runCases(policy(), [
      caseFile([cashCase, releasing('impossible', facts)]),
      caseFile([heavyCase]),
    ]);
    const result = report.results[1]!;
    return {
      passed: report.passed,
      file: result.file,
      name: result.name,
      failures: result.failures.filter((failure) => failure.includes('.facts.')),
    };
  };
  const BY_FIRST_SEEN = 'screening knows a party exactly when it has a first-seen time';
  const AFTER_NOW = 'screening leaves out what is recorded after now';
  const BY_SEIZURES = 'screening gives the time of the last seizure exactly when seizures is above 0';
  const NO_ID_DOCUMENT =
    'the parcel carries no consignee ID document: screening gives an empty idDocument history without one (write parcel.consignee.idDocument)';
  const NO_ADDRESS_KEY =
    'the consignee address names no street: screening gives an empty address history without an address key (write a street in parcel.consignee.address.line)';

  it.each<[string, unknown, string]>([
    [
      'a party unknown yet first seen (H1)',
      { history: { consignee: { known: false, firstSeen: '2025-03-02T10:00:00Z' } } },
      `history.consignee.firstSeen: "2025-03-02T10:00:00Z", but known is false: ${BY_FIRST_SEEN}`,
    ],
    [
      'a party known but never first seen (H1)',
      { history: { consignee: { known: true, firstSeen: null } } },
      `history.consignee.firstSeen: null, but known is true: ${BY_FIRST_SEEN}`,
    ],
    [
      'a party first seen but never last seen (H2)',
      { history: { consignee: { known: true, lastSeen: null } } },
      'history.consignee.lastSeen: null, but firstSeen is "2025-03-02T10:00:00Z": screening gives lastSeen exactly when it gives firstSeen',
    ],
    [
      'a party last seen before it was first seen (H3)',
      { history: { consignee: { firstSeen: '2026-05-25T00:00:00Z', lastSeen: '2026-05-20T00:00:00Z' } } },
      'history.consignee.lastSeen: "2026-05-20T00:00:00Z", but firstSeen is "2026-05-25T00:00:00Z": a party is last seen no earlier than it is first seen',
    ],
    [
      'a last seizure after now (H3)',
      { history: { consignee: { seizures: 1, lastSeizureAt: '2030-01-01T00:00:00Z' } } },
      `history.consignee.lastSeizureAt: "2030-01-01T00:00:00Z", but now is "2026-06-01T08:00:00Z": ${AFTER_NOW}`,
    ],
    [
      'a party first seen after now (H3)',
      { history: { shipper: { firstSeen: '2026-06-02T00:00:00Z' } } },
      `history.shipper.firstSeen: "2026-06-02T00:00:00Z", but now is "2026-06-01T08:00:00Z": ${AFTER_NOW}`,
    ],
    [
      'a now before the seizure the case writes (H3)',
      { now: '2026-01-01T00:00:00Z', history: { consignee: { seizures: 1, lastSeizureAt: SEIZED } } },
      `history.consignee.lastSeizureAt: "${SEIZED}", but now is "2026-01-01T00:00:00Z": ${AFTER_NOW}`,
    ],
    [
      'more parcels in 7 days than in 30 (H4)',
      { history: { phone: { parcels7d: 4, parcels30d: 3 } } },
      'history.phone.parcels30d: 3, but parcels7d is 4: the 90 days hold the 30 and the 30 days the 7, so parcels7d ≤ parcels30d ≤ parcels90d',
    ],
    [
      'more flags than parcels in 90 days (H5)',
      { history: { address: { flags: 6, parcels90d: 5 } } },
      'history.address.flags: 6, but parcels90d is 5: screening counts flags, counterparts and origins of the parcels of the 90 days',
    ],
    [
      'more seizures than inspections (H6)',
      { history: { consignee: { seizures: 2, inspections: 1, lastSeizureAt: SEIZED } } },
      'history.consignee.seizures: 2, but inspections is 1: every seizure is an inspection',
    ],
    [
      'a seizure without its time, as the README once showed (H7)',
      { history: { consignee: { seizures: 1 } } },
      `history.consignee.seizures: 1, but lastSeizureAt is null: ${BY_SEIZURES}`,
    ],
    [
      'a seizure time without a seizure (H7)',
      { history: { consignee: { seizures: 0, lastSeizureAt: SEIZED } } },
      `history.consignee.lastSeizureAt: "${SEIZED}", but seizures is 0: ${BY_SEIZURES}`,
    ],
    [
      'a seizure time with no inspection written, told at the time and the inspections (H6, H7)',
      { history: { consignee: { lastSeizureAt: SEIZED, inspections: 0 } } },
      `history.consignee.lastSeizureAt: "${SEIZED}", but inspections is 0: a seizure is an inspection, and screening gives the time of the last seizure only after one`,
    ],
    [
      'fewer shared counterparts than own ones (H8)',
      { history: { phone: { distinctCounterparts: 3, sharedDistinctCounterparts: 2 } } },
      "history.phone.sharedDistinctCounterparts: 2, but distinctCounterparts is 3: the shared count includes this region's own counterparts",
    ],
    [
      'no shared counterpart though the parcel carries one (H8)',
      { history: { phone: { sharedDistinctCounterparts: 0 } } },
      "history.phone.sharedDistinctCounterparts: 0, but screening counts the consignee's name on this parcel, so at least 1",
    ],
    [
      'an ID document history without an ID document on the parcel (H9)',
      { history: { idDocument: { known: true } } },
      `history.idDocument.known: true, but ${NO_ID_DOCUMENT}`,
    ],
    [
      'an ID document history with a number of no letter or digit on the parcel (H9)',
      {
        parcel: { consignee: { idDocument: { type: 'national-id', number: '无' } } },
        history: { idDocument: { parcels90d: 2 } },
      },
      'history.idDocument.parcels90d: 2, but the consignee ID document number has no letter or digit: screening gives an empty idDocument history without an ID document key (write a number in parcel.consignee.idDocument.number)',
    ],
    [
      'an address history where the consignee address names no street (H9)',
      {
        parcel: { consignee: { address: { line: 'Room 5' } } },
        history: { address: { known: true } },
      },
      `history.address.known: true, but ${NO_ADDRESS_KEY}`,
    ],
    [
      'a manifest of more parcels than a manifest may hold (M1)',
      { manifest: { parcelCount: 501 } },
      'manifest.parcelCount: 501, but a manifest holds 1 to 500 parcels, this one among them',
    ],
    [
      'counts that would need more parcels than a manifest may hold, told at the largest written (M1)',
      { manifest: { consigneesOfShipper: 500, parcelsToConsignee: 2 } },
      'manifest.consigneesOfShipper: 500, but then the manifest holds 501 parcels, and a manifest holds 1 to 500',
    ],
    [
      'six parcels to the consignee in a one-parcel manifest (M2)',
      { manifest: { parcelCount: 1, parcelsToConsignee: 6 } },
      "manifest.parcelsToConsignee: 6, but parcelCount is 1: screening counts the manifest's parcels, so at most parcelCount",
    ],
    [
      'no parcel to the consignee address, not even this one (M2)',
      { manifest: { parcelsToAddress: 0 } },
      'manifest.parcelsToAddress: 0, but screening counts this parcel, so at least 1',
    ],
    [
      'other counts per consignee and per consignee phone (M3)',
      { manifest: { parcelCount: 3, parcelsToConsignee: 3, parcelsToPhone: 2 } },
      "manifest.parcelsToPhone: 2, but parcelsToConsignee is 3: screening keys the consignee on the consignee's phone, so both count the same parcels",
    ],
    [
      'more consignees of the shipper than parcels left for them (M4)',
      { manifest: { parcelCount: 4, parcelsToConsignee: 3, consigneesOfShipper: 3 } },
      'manifest.consigneesOfShipper: 3, but parcelsToConsignee is 3 and parcelCount 4: each other consignee of the shipper has a parcel of its own, so consigneesOfShipper ≤ parcelCount − parcelsToConsignee + 1',
    ],
    [
      'a split shipment with one parcel to the consignee (M5)',
      { manifest: { splitShipment: true, parcelsToConsignee: 1 } },
      'manifest.splitShipment: true, but parcelsToConsignee is 1: a split shipment is another parcel to this consignee, so at least 2',
    ],
    [
      'more consignee names at the phone than parcels to it (M6)',
      { manifest: { parcelCount: 4, parcelsToConsignee: 2, parcelsToPhone: 2, consigneeNamesOfPhone: 3 } },
      'manifest.consigneeNamesOfPhone: 3, but parcelsToPhone is 2: each name is on a parcel to the phone, so at most parcelsToPhone',
    ],
    [
      'other weights to the consignee and to its phone (M7)',
      { manifest: { parcelsToConsignee: 2, weightToConsigneeKg: 2, weightToPhoneKg: 3 } },
      "manifest.weightToPhoneKg: 3, but weightToConsigneeKg is 2: screening keys the consignee on the consignee's phone, so both weigh the same parcels",
    ],
    [
      'a weight to the address other than this parcel’s, with one parcel to it (M8)',
      { manifest: { parcelsToAddress: 1, weightToAddressKg: 5 } },
      'manifest.weightToAddressKg: 5, but parcelsToAddress is 1 and parcel.declaredGrossWeightKg 0.8: one parcel to it weighs as this parcel declares',
    ],
    [
      'a weight to the consignee below this parcel’s (M8)',
      { manifest: { weightToConsigneeKg: 0.5 } },
      'manifest.weightToConsigneeKg: 0.5, but parcelsToConsignee is 1 and parcel.declaredGrossWeightKg 0.8: one parcel to it weighs as this parcel declares',
    ],
    [
      'two parcels to the phone weighing no more than this one (M8)',
      { parcel: { declaredGrossWeightKg: 23.2 }, manifest: { parcelsToPhone: 2, weightToPhoneKg: 23.2 } },
      'manifest.weightToPhoneKg: 23.2, but parcelsToPhone is 2 and parcel.declaredGrossWeightKg 23.2: the other parcels to it weigh something too, so more than this parcel declares',
    ],
    [
      'more weight than its parcels can declare (M9)',
      { manifest: { parcelsToAddress: 2, weightToAddressKg: 100000.5 } },
      'manifest.weightToAddressKg: 100000.5, but parcelsToAddress is 2: a parcel declares at most 50000 kg, so at most parcelsToAddress × 50000',
    ],
    [
      'more weight than this parcel and the others can declare (M9)',
      { manifest: { parcelsToPhone: 2, weightToPhoneKg: 100000 } },
      'manifest.weightToPhoneKg: 100000, but parcelsToPhone is 2 and parcel.declaredGrossWeightKg 0.8: each other parcel declares at most 50000 kg, so at most 0.8 + (parcelsToPhone − 1) × 50000',
    ],
  ])('refuses %s', (_name, facts, reason) => {
    // Prepare / Act
    const refused = failuresOf(facts);

    // Assess
    expect(refused).toEqual({
      passed: false,
      file: 'rules/test/cases/cases.yaml',
      name: 'impossible',
      failures: [`cases[1].facts.${reason}`],
    });
  });
});

describe('what a case leaves out follows what it writes, as screening would give it', () => {
  // Never seen, but for this parcel's own counterpart, which the shared count holds.
  const unseen = { ...emptyPartySummary(), sharedDistinctCounterparts: 1 };

  it.each<[string, Record<string, unknown>, (facts: ReturnType<typeof baselineFacts>) => unknown, unknown]>([
    [
      'known: false gives a party never seen, this parcel’s counterpart counted',
      { history: { consignee: { known: false } } },
      (facts) => facts.history.consignee,
      unseen,
    ],
    [
      'firstSeen: null gives a party never seen (null removes the field)',
      { history: { address: { firstSeen: null } } },
      (facts) => facts.history.address,
      { ...unseen, firstSeen: undefined },
    ],
    [
      'a firstSeen after the baseline’s lastSeen moves lastSeen to it',
      { history: { consignee: { firstSeen: '2026-05-25T20:00:00Z' } } },
      (facts) => [facts.history.consignee.firstSeen, facts.history.consignee.lastSeen],
      ['2026-05-25T20:00:00Z', '2026-05-25T20:00:00Z'],
    ],
    [
      'a now before the baseline’s lastSeen moves lastSeen to now',
      { now: '2026-01-01T00:00:00Z' },
      (facts) => [facts.history.shipper.firstSeen, facts.history.shipper.lastSeen],
      ['2025-03-02T10:00:00Z', '2026-01-01T00:00:00Z'],
    ],
    [
      'a lastSeizureAt makes a seizure and its inspection',
      { history: { consignee: { lastSeizureAt: SEIZED } } },
      (facts) => [facts.history.consignee.seizures, facts.history.consignee.inspections],
      [1, 1],
    ],
    [
      'seizures make as many inspections',
      { history: { consignee: { seizures: 3, lastSeizureAt: SEIZED } } },
      (facts) => facts.history.consignee.inspections,
      3,
    ],
    [
      'fewer parcels in 90 days bring the 30 days, counterparts and origins down with them',
      { history: { phone: { parcels90d: 1 } } },
      ({ history: { phone } }) => [phone.parcels30d, phone.distinctCounterparts, phone.distinctOrigins],
      [1, 1, 1],
    ],
    [
      'more own counterparts raise the shared count',
      { history: { consignee: { distinctCounterparts: 4 } } },
      (facts) => facts.history.consignee.sharedDistinctCounterparts,
      4,
    ],
    [
      'an ID document on the parcel counts the consignee as its counterpart',
      { parcel: { consignee: { idDocument: ID_DOCUMENT } } },
      (facts) => facts.history.idDocument.sharedDistinctCounterparts,
      1,
    ],
    [
      'a consignee address naming no street gives the empty address history, no counterpart counted',
      { parcel: { consignee: { address: { line: 'Room 5' } } } },
      (facts) => facts.history.address,
      emptyPartySummary(),
    ],
    [
      'known: true on the ID document the parcel carries gives a known party',
      { parcel: { consignee: { idDocument: ID_DOCUMENT } }, history: { idDocument: { known: true } } },
      ({ history: { idDocument } }) => [idDocument.firstSeen, idDocument.sharedDistinctCounterparts],
      ['2025-03-02T10:00:00Z', 1],
    ],
    [
      'parcels to the consignee make as many to its phone, in a manifest that holds them',
      { manifest: { parcelsToConsignee: 6 } },
      ({ manifest }) => [manifest.parcelsToPhone, manifest.parcelCount],
      [6, 6],
    ],
    [
      'a split shipment makes two parcels to the consignee',
      { manifest: { splitShipment: true } },
      ({ manifest }) => [manifest.parcelsToConsignee, manifest.parcelsToPhone, manifest.parcelCount],
      [2, 2, 2],
    ],
    [
      'consignees of the shipper make room for their parcels',
      { manifest: { consigneesOfShipper: 3 } },
      ({ manifest }) => manifest.parcelCount,
      3,
    ],
    [
      'consignee names at the phone make as many parcels to it',
      { manifest: { consigneeNamesOfPhone: 3 } },
      ({ manifest }) => [manifest.parcelsToConsignee, manifest.parcelsToPhone, manifest.parcelCount],
      [3, 3, 3],
    ],
    [
      'parcels to the phone weigh as many of this parcel, to the consignee too; one at the address, its own',
      { parcel: { declaredGrossWeightKg: 23.2 }, manifest: { parcelsToPhone: 4 } },
      ({ manifest }) => [manifest.weightToConsigneeKg, manifest.weightToPhoneKg, manifest.weightToAddressKg],
      [92.8, 92.8, 23.2],
    ],
    [
      'a weight to the phone above this parcel’s makes another parcel to the consignee, weighing as much',
      { manifest: { weightToPhoneKg: 92.8 } },
      ({ manifest }) => [manifest.parcelsToConsignee, manifest.parcelsToPhone, manifest.weightToConsigneeKg],
      [2, 2, 92.8],
    ],
    [
      'a weight to the address makes parcels enough to declare it, in a manifest that holds them',
      { manifest: { weightToAddressKg: 120000 } },
      ({ manifest }) => [manifest.parcelsToAddress, manifest.parcelCount],
      // this parcel's 0.8 kg and 3 others of 50,000 kg at most (3 parcels hold 100,000.8 kg at most)
      [4, 4],
    ],
    [
      'a weight to the address more than 50,000 kg above this parcel’s makes 2 other parcels to it',
      { manifest: { weightToAddressKg: 50000.9 } },
      ({ manifest }) => [manifest.parcelsToAddress, manifest.parcelCount],
      [3, 3],
    ],
    [
      'a split shipment weighs two parcels of this one',
      { manifest: { splitShipment: true } },
      ({ manifest }) => [manifest.weightToConsigneeKg, manifest.weightToPhoneKg],
      [1.6, 1.6],
    ],
  ])('%s', (_name, facts, pick, expected) => {
    // Prepare / Act
    const merged = mergeFacts(baselineFacts(), facts);
    const report = runCases(policy(), [caseFile([releasing('follows', facts), cashCase, heavyCase])]);

    // Assess
    expect(pick(merged)).toEqual(expected);
    expect(report.results[0]!.failures).toEqual([]);
  });

  /** The baseline facts of a parcel of 10 kg, with these manifest facts written over the baseline's. */
  const tenKgParcelIn = (manifest: Partial<ReturnType<typeof baselineFacts>['manifest']>) => {
    const base = baselineFacts();
    return {
      ...base,
      parcel: { ...base.parcel, declaredGrossWeightKg: 10 },
      manifest: { ...base.manifest, ...manifest },
    };
  };

  it.each<[string, Record<string, unknown>, number[]]>([
    ['history laid over them, as explain’s --with', { history: { consignee: { parcels7d: 1 } } }, [30, 30]],
    ['this parcel’s weight written', { parcel: { declaredGrossWeightKg: 12.5 } }, [25, 25]],
    ['their count written', { manifest: { parcelsToConsignee: 4 } }, [40, 40]],
  ])('keeps the weights of a manifest’s facts that agree with them, but for %s', (_name, patch, expected) => {
    // Prepare: this parcel of 10 kg and another of 20 kg to its consignee, as screening computes them
    const facts = tenKgParcelIn({
      parcelCount: 3,
      parcelsToConsignee: 2,
      parcelsToPhone: 2,
      weightToConsigneeKg: 30,
      weightToPhoneKg: 30,
      weightToAddressKg: 10,
    });

    // Act
    const merged = mergeFacts(facts, patch);

    // Assess: the weights left out follow what is written, as many parcels of this one's weight
    expect([merged.manifest.weightToConsigneeKg, merged.manifest.weightToPhoneKg]).toEqual(expected);
  });

  it('makes weights no manifest can have (another parcel above 50,000 kg) as many parcels of this one’s', () => {
    // Prepare: this parcel of 10 kg and, to its consignee, another that would weigh 50,005 kg
    const facts = tenKgParcelIn({
      parcelsToConsignee: 2,
      parcelsToPhone: 2,
      weightToConsigneeKg: 50015,
      weightToPhoneKg: 50015,
    });

    // Act
    const merged = mergeFacts(facts, { history: { consignee: { parcels7d: 1 } } });

    // Assess
    expect([merged.manifest.weightToConsigneeKg, merged.manifest.weightToPhoneKg]).toEqual([20, 20]);
  });
});

describe('every fact path the rule loader accepts can be set in a case', () => {
  type Segment = string | typeof ELEMENT;
  const ELEMENT = Symbol('list element');

  /** Every leaf of a fact type, its path through lists marked by ELEMENT. */
  const leavesOf = (type: FactType, path: Segment[] = []): { path: Segment[]; type: FactType }[] => {
    if (type.kind === 'object')
      return Object.entries(type.fields).flatMap(([key, field]) => leavesOf(field, [...path, key]));
    if (type.kind === 'list') return leavesOf(type.element, [...path, ELEMENT]);
    return [{ path, type }];
  };

  /** Text the contract takes in fields of that name; other text is an id and text at once. */
  const TEXT_SAMPLES: Record<string, string> = {
    country: 'VN',
    currency: 'USD',
    hsCode: '940360',
    phone: '+86 139 7741 2080',
    email: 'case@example.com',
  };
  /** A valid value of the type, one the baseline does not hold where it can. */
  const sampleOf = (type: FactType, name: string): unknown => {
    switch (type.kind) {
      case 'number':
        return 3;
      case 'boolean':
        return true;
      case 'text':
        if (type.values !== undefined) return type.values.at(-1);
        return type.instant === true ? '2026-05-01T00:00:00Z' : (TEXT_SAMPLES[name] ?? 'CASE-SAMPLE-7');
      case 'list':
        return [sampleOf(type.element, name)];
      case 'object':
        return Object.fromEntries(
          Object.entries(type.fields).map(([key, field]) => [key, sampleOf(field, key)]),
        );
    }
  };

  /**
   * The partial facts a case writes to set the leaf at `path` to `value`: objects partial, a list
   * whole (its first element the baseline's, with the leaf set), an object the baseline lacks (an
   * optional one: dimensions, an ID document) whole.
   */
  const patchAt = (type: FactType, base: unknown, path: Segment[], value: unknown): unknown => {
    const [head, ...rest] = path;
    if (head === undefined) return value;
    if (type.kind === 'list' && head === ELEMENT) {
      const element = Array.isArray(base) && base.length > 0 ? base[0] : sampleOf(type.element, '');
      return [mergeFacts(element, patchAt(type.element, element, rest, value))];
    }
    if (type.kind !== 'object' || typeof head !== 'string') throw new Error(`no field ${String(head)}`);
    const baseObject = base as Record<string, unknown> | undefined;
    const child = { [head]: patchAt(type.fields[head]!, baseObject?.[head], rest, value) };
    return baseObject === undefined ? mergeFacts(sampleOf(type, ''), child) : child;
  };

  const valueAt = (facts: unknown, path: Segment[]): unknown =>
    path.reduce<unknown>(
      (current, key) => (current as Record<PropertyKey, unknown>)[key === ELEMENT ? 0 : key],
      facts,
    );

  const show = (path: Segment[]) => path.map((key) => (key === ELEMENT ? '[]' : key)).join('.');
  const leaves = leavesOf(SCREENING_FACTS_TYPE).filter(({ path }) => path[0] !== 'parties');

  it('walks the loader’s fact types, conveyanceReference among them', () => {
    // Assess
    expect(leaves.map(({ path }) => show(path))).toEqual(
      expect.arrayContaining([
        'manifest.transport.conveyanceReference',
        'parcel.goods.[].declaredValue.amount',
        'parcel.consignee.idDocument.number',
        'history.idDocument.lastSeizureAt',
        'now',
      ]),
    );
  });

  /**
   * What a case writes beside a leaf for facts screening gives (fact-invariants.ts): the time of the last
   * seizure with a seizure count, an ID document on the parcel with the ID document's history.
   */
  const companionsOf = (path: Segment[]): Record<string, unknown> => {
    const [group, party, field] = path;
    if (group !== 'history' || typeof party !== 'string') return {};
    return {
      ...(party === 'idDocument' ? { parcel: { consignee: { idDocument: ID_DOCUMENT } } } : {}),
      ...(field === 'seizures' ? { history: { [party]: { lastSeizureAt: '2026-05-01T00:00:00Z' } } } : {}),
    };
  };

  it.each(leaves.map(({ path, type }) => [show(path), path, type] as const))(
    'sets %s in a case, with a valid value of its type',
    (_name, path, type) => {
      // Prepare
      const value = sampleOf(type, String(path.at(-1)));
      const facts = mergeFacts(
        companionsOf(path),
        patchAt(SCREENING_FACTS_TYPE, baselineFacts(), path, value),
      );

      // Act
      const report = runCases(policy(), [caseFile([releasing('set', facts)])]);

      // Assess
      expect(report.results[0]!.failures.filter((failure) => failure.includes('.facts.'))).toEqual([]);
      expect(valueAt(mergeFacts(baselineFacts(), facts), path)).toEqual(value);
    },
  );

  it('derives every parties.* fact from the parcel a case writes (never written directly)', () => {
    // Prepare
    const parties = leavesOf(SCREENING_FACTS_TYPE).filter(({ path }) => path[0] === 'parties');
    const facts = {
      parcel: { consignee: { idDocument: { type: 'passport', number: 'E12345678' } } },
      parties: { phone: 'x' },
    };

    // Act
    const report = runCases(policy(), [caseFile([releasing('keys', facts)])]);
    const derived = factsFromInput({ parcel: facts.parcel });

    // Assess
    expect(report.results[0]!.failures).toContain(
      'cases[0].facts.parties: unknown fact group (parcel, manifest, history, now)',
    );
    for (const { path } of parties) expect(valueAt(derived, path), show(path)).toMatch(/^\S{8,}$/);
  });
});
