import { describe, expect, it } from 'vitest';
import type { Manifest, Parcel } from '../../events/manifest-v1.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import type { ManifestFacts } from '../../functions/core/screening/facts.js';
import { computeManifestFacts, nearIdenticalWeights } from '../../functions/core/screening/manifest-facts.js';
import { aManifest, aParcel } from '../support/factories.js';

const SALT = 'unit-test-salt-0123456789';

interface Spec {
  to: string;
  phone?: string;
  line?: string;
  from?: string;
  kg?: number;
}

const parcelOf = (spec: Spec, index: number): Parcel => {
  const base = aParcel();
  return {
    ...base,
    parcelId: `P${index}`,
    declaredGrossWeightKg: spec.kg ?? 1 + index,
    shipper: { ...base.shipper, phone: spec.from ?? base.shipper.phone },
    consignee: {
      ...base.consignee,
      name: spec.to,
      phone: spec.phone ?? base.consignee.phone,
      address: { ...base.consignee.address, line: spec.line ?? base.consignee.address.line },
    },
  };
};

const manifestOf = (specs: Spec[]): Manifest => aManifest({ parcels: specs.map(parcelOf) });
const factsOf = (manifest: Manifest) =>
  computeManifestFacts(
    manifest,
    manifest.parcels.map((parcel) => derivePartyKeys(parcel, SALT)),
  );

describe('nearIdenticalWeights', () => {
  it.each([
    { a: 10, b: 10.2, near: true, why: '200 g is within 2 % of 10.2 kg (204 g)' },
    { a: 9.996, b: 10.2, near: true, why: '204 g is exactly 2 % of 10.2 kg' },
    { a: 9.995, b: 10.2, near: false, why: '205 g is 1 g over 2 % of 10.2 kg' },
    { a: 10, b: 10.25, near: false, why: '250 g is over 2 % of 10.25 kg (205 g)' },
    { a: 0.5, b: 0.55, near: true, why: '50 g is the absolute allowance' },
    { a: 0.5, b: 0.551, near: false, why: '51 g is over 50 g and over 2 % of 0.551 kg' },
    { a: 0.3, b: 0.1 + 0.2, near: true, why: 'binary fractions are compared in whole grams' },
    { a: 0.95, b: 1.001, near: false, why: '51 g: 1.001 kg is 1001 g, not 1000' },
    { a: 2.4, b: 2.3, near: false, why: '100 g is over 2 % of 2.4 kg (48 g) and over 50 g' },
    { a: 2.4, b: 2.4, near: true, why: 'equal weights' },
  ])('says $a kg and $b kg are near-identical: $near ($why)', ({ a, b, near }) => {
    // Prepare: the table row

    // Act
    const [forward, backward] = [nearIdenticalWeights(a, b), nearIdenticalWeights(b, a)];

    // Assess
    expect(forward).toBe(near);
    expect(backward).toBe(near);
  });
});

describe('computeManifestFacts', () => {
  const COUNTED: {
    title: string;
    parcels: Spec[];
    counts: Partial<Record<keyof ManifestFacts, number[]>>;
  }[] = [
    {
      title: 'counts parcels per consignee, phone and address, resolving spelling variants by phone',
      parcels: [
        { to: '张伟', phone: '138 1234 5678', line: '姐告路12号' },
        { to: 'Zhang Wei', phone: '+86 13812345678', line: 'Jiegao Road 12' },
        { to: '張偉先生', phone: '８６１３８１２３４５６７８', line: '姐告路12号3单元' },
        { to: '李娜', phone: '139 0000 1111', line: '姐告路12号402室' },
        { to: 'Wang Fang', phone: '137 0000 2222', line: '22 Minzu Avenue' },
      ],
      counts: {
        parcelCount: [5, 5, 5, 5, 5],
        parcelsToConsignee: [3, 3, 3, 1, 1],
        parcelsToPhone: [3, 3, 3, 1, 1],
        parcelsToAddress: [3, 1, 3, 3, 1],
      },
    },
    {
      // three strangers in one building-less "Room …" of the city, and two to one street
      title: 'counts a parcel to an address naming no street as the only one to its address',
      parcels: [
        { to: 'a', phone: '138 0000 0001', line: 'Room 1' },
        { to: 'b', phone: '138 0000 0002', line: 'Flat 22' },
        { to: 'c', phone: '138 0000 0003', line: 'Room 1' },
        { to: 'd', phone: '138 0000 0004', line: '22 Minzu Avenue, Flat 1' },
        { to: 'e', phone: '138 0000 0005', line: '22 Minzu Avenue, Flat 2' },
      ],
      counts: { parcelsToAddress: [1, 1, 1, 2, 2] },
    },
    {
      title: 'counts the distinct consignees of each parcel’s shipper',
      parcels: [
        { to: 'a', phone: '138 0000 0001', from: '+86 755 8888 1234' },
        { to: 'b', phone: '138 0000 0002', from: '+86 755 8888 1234' },
        { to: 'b again', phone: '138 0000 0002', from: '+86 755 8888 1234' },
        { to: 'c', phone: '138 0000 0003', from: '+86 692 414 1234' },
      ],
      counts: { consigneesOfShipper: [2, 2, 2, 1] },
    },
    {
      // one phone under three names (one of them twice, in another width and case), another phone
      title: 'counts the distinct consignee names on the parcels to each parcel’s phone, spellings folded',
      parcels: [
        { to: '王小明', phone: '138 0000 7777' },
        { to: '王晓明', phone: '138 0000 7777' },
        { to: 'Wang Xiaoming', phone: '+86 138 0000 7777' },
        { to: 'ＷＡＮＧ  xiaoming', phone: '13800007777' },
        { to: '王小明', phone: '138 0000 0001' },
      ],
      counts: { consigneeNamesOfPhone: [3, 3, 3, 3, 1], parcelsToPhone: [4, 4, 4, 4, 1] },
    },
  ];
  it.each(COUNTED.map((row) => [row.title, row] as const))('%s', (_title, { parcels, counts }) => {
    // Prepare
    const manifest = manifestOf(parcels);

    // Act
    const facts = factsOf(manifest);

    // Assess
    for (const [name, expected] of Object.entries(counts))
      expect(
        facts.map((fact) => fact[name as keyof ManifestFacts]),
        name,
      ).toEqual(expected);
  });

  it.each([
    {
      what: "four 23.2 kg parcels to one phone, variants folded, beside another consignee's",
      parcels: [
        ...['138 0000 7777', '+86 138 0000 7777', '13800007777', '８６１３８００００７７７７'].map(
          (phone, index) => ({
            to: `Li ${index}`,
            phone,
            line: '姐告路12号',
            kg: 23.2,
          }),
        ),
        { to: 'Wang Fang', phone: '139 0000 1111', line: '22 Minzu Avenue', kg: 1 },
      ],
      toConsignee: [92.8, 92.8, 92.8, 92.8, 1],
      toAddress: [92.8, 92.8, 92.8, 92.8, 1],
    },
    {
      what: 'weights added exactly as decimals: 0.1 kg and 0.2 kg weigh 0.3 kg',
      parcels: [
        { to: 'a', phone: '138 0000 0001', line: '22 Minzu Avenue', kg: 0.1 },
        { to: 'a', phone: '138 0000 0001', line: '22 Minzu Avenue', kg: 0.2 },
      ],
      toConsignee: [0.3, 0.3],
      toAddress: [0.3, 0.3],
    },
    {
      what: 'an address shared by two consignees, and a consignee at two addresses',
      parcels: [
        { to: 'a', phone: '138 0000 0001', line: '22 Minzu Avenue', kg: 1.5 },
        { to: 'a', phone: '138 0000 0001', line: '8 Keji Road', kg: 2.25 },
        { to: 'b', phone: '138 0000 0002', line: '22 Minzu Avenue', kg: 4 },
      ],
      toConsignee: [3.75, 3.75, 4],
      toAddress: [5.5, 2.25, 5.5],
    },
    {
      what: 'addresses naming no street: each parcel weighs its own there',
      parcels: [
        { to: 'a', phone: '138 0000 0001', line: 'Room 1', kg: 3 },
        { to: 'a', phone: '138 0000 0001', line: 'Room 1', kg: 4 },
      ],
      toConsignee: [7, 7],
      toAddress: [3, 4],
    },
    {
      what: 'one parcel: its own weight as declared, not rounded',
      parcels: [{ to: 'a', phone: '138 0000 0001', kg: 0.1234567 }],
      toConsignee: [0.1234567],
      toAddress: [0.1234567],
    },
  ])(
    'weighs the parcels to each parcel’s consignee, phone and address: $what',
    ({ parcels, toConsignee, toAddress }) => {
      // Prepare
      const manifest = manifestOf(parcels);

      // Act
      const facts = factsOf(manifest);

      // Assess: the consignee is keyed on its phone, so both weigh the same parcels
      expect(facts.map((fact) => fact.weightToConsigneeKg)).toEqual(toConsignee);
      expect(facts.map((fact) => fact.weightToPhoneKg)).toEqual(toConsignee);
      expect(facts.map((fact) => fact.weightToAddressKg)).toEqual(toAddress);
    },
  );

  it.each([
    { what: 'two near-identical parcels to one consignee', kgs: [10, 10.2], same: true, split: [true, true] },
    { what: 'weights just too far apart', kgs: [10, 10.25], same: true, split: [false, false] },
    {
      what: 'near-identical parcels to different consignees',
      kgs: [10, 10],
      same: false,
      split: [false, false],
    },
    { what: 'a third parcel unlike the pair', kgs: [5, 5.05, 9], same: true, split: [true, true, false] },
    { what: 'a single parcel', kgs: [5], same: true, split: [false] },
  ])('marks split shipments for $what', ({ kgs, same, split }) => {
    // Prepare
    const manifest = manifestOf(
      kgs.map((kg, index) => ({ to: 'x', phone: same ? '138 0000 0001' : `138 0000 000${index + 1}`, kg })),
    );

    // Act
    const facts = factsOf(manifest);

    // Assess
    expect(facts.map((fact) => fact.splitShipment)).toEqual(split);
  });

  it.each<[string, (parcels: Parcel[]) => Parcel[]]>([
    ['more keys than parcels', (parcels) => [...parcels, parcels[0]!]],
    ['keys that do not match the parcels one to one', (parcels) => [parcels[0]!]],
  ])('refuses %s', (_name, keyed) => {
    // Prepare
    const manifest = manifestOf([{ to: 'a' }, { to: 'b' }]);
    const keys = keyed(manifest.parcels).map((parcel) => derivePartyKeys(parcel, SALT));

    // Act
    const compute = () => computeManifestFacts(manifest, keys);

    // Assess
    expect(compute).toThrow(RangeError);
  });
});
