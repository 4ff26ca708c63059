import { describe, expect, it } from 'vitest';
import {
  baselineFacts,
  checkFactsInput,
  checkOverlay,
  factsFromInput,
  MORE_MAY_FOLLOW,
  runCases,
} from '../../../functions/core/rules/cases/index.js';
import { compile, rule } from './rule-set-factory.js';

/** What explain's input, or a case's facts, is told: every problem of every kind in one check. */
const check = (input: unknown) => checkFactsInput(input, factsFromInput(input));

const TRIMMED =
  'has leading or trailing spaces, which screening never sees (the manifest contract trims text)';
const SEIZURE_WITHOUT_TIME =
  'history.shipper.seizures: 1, but lastSeizureAt is null: screening gives the time of the last seizure exactly when seizures is above 0';

describe('checkFactsInput', () => {
  it('tells text the contract trims in a parcel it also refuses, with the refusal', () => {
    // Prepare
    const input = {
      parcel: {
        shipper: { name: ' Ruili Trading ' },
        goods: [{ hsCode: '94036', description: 'Teak box ' }],
      },
    };

    // Act
    const checked = check(input);

    // Assess
    expect(checked.problems).toEqual([
      'parcel.goods[0].hsCode: HS code of 6 to 10 digits, no dots',
      'parcel.goods[0].quantity: missing, but screening always has this fact',
      'parcel.goods[0].declaredValue: missing, but screening always has this fact',
      `parcel.shipper.name: " Ruili Trading " ${TRIMMED}: write "Ruili Trading"`,
      `parcel.goods[0].description: "Teak box " ${TRIMMED}: write "Teak box"`,
    ]);
    expect(checked.moreMayFollow).toBe(true);
  });

  it('tells text a parcel taken whole would have trimmed, beside what the contract refuses in it', () => {
    // Prepare
    const parcel = structuredClone(baselineFacts().parcel);
    parcel.goods[0]!.hsCode = '94036';
    parcel.consignee.address.postcode = '  ';

    // Act
    const checked = check(parcel);

    // Assess
    expect(checked.problems).toEqual([
      'parcel.goods[0].hsCode: HS code of 6 to 10 digits, no dots',
      `parcel.consignee.address.postcode: "  " ${TRIMMED}: leave it out`,
    ]);
    expect(checked.moreMayFollow).toBe(true);
  });

  it('tells text that trims to what the contract refuses once, as refused', () => {
    // Prepare / Act
    const checked = check({ parcel: { route: { origin: { city: '   ' } } } });

    // Assess
    expect(checked.problems).toEqual([
      'parcel.route.origin.city: Too small: expected string to have >=1 characters',
    ]);
  });

  it('checks the history of a party of the right shape while another party’s is refused', () => {
    // Prepare
    const input = { history: { consignee: { seizures: 'x' }, shipper: { seizures: 1 } }, now: 'soon' };

    // Act
    const checked = check(input);

    // Assess: the consignee's relations wait for its seizures to be a number
    expect(checked.problems).toEqual([
      'history.consignee.seizures: expected a number, not "x"',
      'now: "soon" is not an ISO time',
      SEIZURE_WITHOUT_TIME,
    ]);
    expect(checked.moreMayFollow).toBe(true);
  });

  it('checks the manifest’s counts while only its transport is refused', () => {
    // Prepare
    const input = { manifest: { transport: { mode: 'Air' }, parcelsToConsignee: 2, parcelsToPhone: 3 } };

    // Act
    const checked = check(input);

    // Assess
    expect(checked.problems).toEqual([
      'manifest.transport.mode: expected one of road, rail, air, sea, postal, multimodal, not "Air"',
      expect.stringMatching(/^manifest\.parcelsToPhone: 3, but parcelsToConsignee is 2: /),
    ]);
  });

  it('leaves the manifest’s counts unchecked while one is misspelled, and says more may follow', () => {
    // Prepare: counts that disagree, beside a misspelled one that could be what the analyst meant
    const input = { manifest: { parcelCont: 5, parcelsToConsignee: 2, parcelsToPhone: 3 } };

    // Act
    const checked = check(input);

    // Assess
    expect(checked.problems).toEqual([expect.stringMatching(/^manifest\.parcelCont: unknown fact; /)]);
    expect(checked.moreMayFollow).toBe(true);
  });

  it('tells every kind in one check: unknown groups, refused facts, trimmed text and relations', () => {
    // Prepare
    const input = {
      histroy: {},
      parcel: {
        goods: [
          {
            hsCode: '94036',
            description: 'Teak box ',
            quantity: 1,
            declaredValue: { amount: 1, currency: 'CNY' },
          },
        ],
      },
      history: { shipper: { seizures: 1 } },
      manifest: { transport: { mode: 'Air' } },
    };

    // Act
    const checked = check(input);

    // Assess
    expect(checked.problems).toEqual([
      'histroy: unknown fact group (parcel, manifest, history, now); did you mean history?',
      'manifest.transport.mode: expected one of road, rail, air, sea, postal, multimodal, not "Air"',
      'parcel.goods[0].hsCode: HS code of 6 to 10 digits, no dots',
      `parcel.goods[0].description: "Teak box " ${TRIMMED}: write "Teak box"`,
      SEIZURE_WITHOUT_TIME,
    ]);
    expect(checked.moreMayFollow).toBe(true);
  });

  it.each<[string, unknown]>([
    ['facts without problems', { parcel: { paymentMethod: 'cash' } }],
    ['facts whose only problems are relations', { history: { shipper: { seizures: 1 } } }],
    ['facts whose only problem is trimmed text', { parcel: { shipper: { name: ' Ruili Trading ' } } }],
  ])('says nothing more may follow for %s', (_name, input) => {
    // Prepare / Act / Assess
    expect(check(input).moreMayFollow).toBe(false);
  });

  it.each<[string, unknown, string[]]>([
    [
      'a misspelled group',
      { histroy: {} },
      ['histroy: unknown fact group (parcel, manifest, history, now); did you mean history?'],
    ],
    [
      'a party’s history of the wrong shape',
      { history: { consignee: { seizures: 'x' } } },
      ['history.consignee.seizures: expected a number, not "x"'],
    ],
    ['a now that is not a time', { now: 'soon' }, ['now: "soon" is not an ISO time']],
  ])('says more may follow for %s alone', (_name, input, problems) => {
    // Prepare / Act / Assess
    expect(check(input)).toEqual({ problems, moreMayFollow: true });
  });
});

describe('checkOverlay', () => {
  it('checks a party of the right shape, a group it may not set and a now that is not one, at once', () => {
    // Prepare
    const overlay = { parcel: {}, history: { consignee: { seizures: 'x' }, shipper: { seizures: 1 } } };

    // Act
    const checked = checkOverlay(overlay);

    // Assess
    expect(checked.problems).toEqual([
      'parcel: not a group an overlay sets (history, now); the parcel and manifest come from the file explained',
      'history.consignee.seizures: expected a number, not "x"',
      SEIZURE_WITHOUT_TIME,
    ]);
    expect(checked.moreMayFollow).toBe(true);
  });

  it('says nothing more may follow when only relations are broken', () => {
    // Prepare / Act
    const checked = checkOverlay({ history: { shipper: { seizures: 1 } } });

    // Assess
    expect(checked).toEqual({ problems: [SEIZURE_WITHOUT_TIME], moreMayFollow: false });
  });

  it.each<[string, unknown, string[]]>([
    [
      'a group it may not set',
      { parcel: {} },
      [
        'parcel: not a group an overlay sets (history, now); the parcel and manifest come from the file explained',
      ],
    ],
    [
      'a party’s history of the wrong shape',
      { history: { consignee: { seizures: 'x' } } },
      ['history.consignee.seizures: expected a number, not "x"'],
    ],
    ['something other than an object', [], ['expected an object with history and/or now']],
  ])('says more may follow for %s alone', (_name, overlay, problems) => {
    // Prepare / Act / Assess
    expect(checkOverlay(overlay)).toEqual({ problems, moreMayFollow: true });
  });
});

describe('runCases on facts with several kinds of problem', () => {
  it('fails the case with each of them at once, and says more may follow', () => {
    // Prepare
    const policy = compile({ rules: [rule('cash', { fact: 'parcel.paymentMethod', eq: 'cash' })] });
    const facts = {
      parcel: { paymentMethod: 'cash', shipper: { name: ' Ruili Trading ' }, goods: [{ hsCode: '94036' }] },
      history: { shipper: { seizures: 1 } },
    };
    const cases = [{ name: 'many', facts, expect: { lane: 'release', fired: ['cash'] } }];

    // Act
    const report = runCases(policy, [{ file: 'rules/test/cases/cases.yaml', document: { cases } }]);

    // Assess
    const failures = report.results[0]!.failures.filter((failure) => failure.startsWith('cases[0].facts'));
    expect(failures).toEqual([
      'cases[0].facts.parcel.goods[0].description: missing, but screening always has this fact',
      'cases[0].facts.parcel.goods[0].hsCode: HS code of 6 to 10 digits, no dots',
      'cases[0].facts.parcel.goods[0].quantity: missing, but screening always has this fact',
      'cases[0].facts.parcel.goods[0].declaredValue: missing, but screening always has this fact',
      `cases[0].facts.parcel.shipper.name: " Ruili Trading " ${TRIMMED}: write "Ruili Trading"`,
      `cases[0].facts.${SEIZURE_WITHOUT_TIME}`,
      `cases[0].facts: ${MORE_MAY_FOLLOW}`,
    ]);
  });
});
