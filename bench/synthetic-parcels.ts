import type { Parcel } from '../events/manifest-v1.js';
import { derivePartyKeys } from '../functions/core/parties/party-keys.js';
import { RULE_CASE_PARTY_KEY_SALT } from '../functions/core/rules/cases/case-facts.js';
import type { ManifestFacts, PartySummary, ScreeningFacts } from '../functions/core/screening/facts.js';
import { emptyHistoryFacts, emptyPartySummary } from '../functions/core/screening/facts.js';
import { WATCHED_PHONES } from './default-rule-data.js';

/** Seeded synthetic parcels for benchmarks: the same seed gives the same parcels, byte for byte. */

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
export const makeRandom = (seed: number) => {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
};
type Random = ReturnType<typeof makeRandom>;

interface Place {
  country: string;
  region: string;
  city: string;
}
const place = (region: string, city: string): Place => ({ country: 'CN', region, city });

const ORDINARY_ORIGINS = [
  place('Guangdong', 'Shenzhen'),
  place('Guangdong', 'Guangzhou'),
  place('Guangdong', 'Dongguan'),
  place('Zhejiang', 'Yiwu'),
  place('Zhejiang', 'Hangzhou'),
  place('Shanghai', 'Shanghai'),
  place('Fujian', 'Xiamen'),
  place('Yunnan', 'Kunming'),
  place('Guangxi', 'Nanning'),
  place('Sichuan', 'Chengdu'),
];
const BORDER_ORIGINS = [
  place('Yunnan', 'Ruili'),
  place('云南省德宏州', '瑞丽市'),
  place('Guangxi', 'Baise'),
  place('Yunnan', 'Hekou'),
  place('Guangxi', 'Pingxiang'),
  place('Guangxi', '凭祥市'),
  place('Yunnan', 'Mengla'),
];
const DESTINATIONS = [
  place('Guangxi', 'Wuzhou'),
  place('Guangdong', 'Guangzhou'),
  place('Hunan', 'Changsha'),
  place('Beijing', 'Beijing'),
  place('Shanghai', 'Shanghai'),
  place('Hubei', 'Wuhan'),
  place('Jiangsu', 'Nanjing'),
];
const VIA = [
  place('Yunnan', 'Kunming'),
  place('Guangxi', 'Nanning'),
  place('Jiangxi', 'Nanchang'),
  place('Hunan', 'Changsha'),
  place('Guangxi', 'Pingxiang'),
];

interface Goods {
  description: string;
  hsCode: string;
  kgPerUnit: number;
  cnyPerUnit: number;
}
const ORDINARY_GOODS: Goods[] = [
  { description: 'Silicone phone case', hsCode: '392690', kgPerUnit: 0.05, cnyPerUnit: 20 },
  { description: '手机壳 phone case', hsCode: '392690', kgPerUnit: 0.05, cnyPerUnit: 15 },
  { description: 'Cotton T-shirts 纯棉T恤', hsCode: '610910', kgPerUnit: 0.2, cnyPerUnit: 35 },
  { description: 'USB-C charging cable', hsCode: '854442', kgPerUnit: 0.1, cnyPerUnit: 15 },
  { description: 'Pu-erh tea cakes 普洱茶饼', hsCode: '090230', kgPerUnit: 0.4, cnyPerUnit: 150 },
  { description: 'Dried mango slices', hsCode: '081340', kgPerUnit: 0.5, cnyPerUnit: 30 },
  { description: 'Leather shoes', hsCode: '640399', kgPerUnit: 1, cnyPerUnit: 200 },
  { description: 'Plastic toy blocks', hsCode: '950300', kgPerUnit: 0.5, cnyPerUnit: 60 },
  { description: 'Laptop computer', hsCode: '847130', kgPerUnit: 2.5, cnyPerUnit: 4000 },
  { description: 'Jade bracelet 翡翠手镯', hsCode: '711620', kgPerUnit: 0.1, cnyPerUnit: 1500 },
  { description: 'Mobile phone', hsCode: '851713', kgPerUnit: 0.3, cnyPerUnit: 2000 },
];
/** Heading 8517 padded with zeros: no subheading of either HS edition (unknown-hs-code), on 1% of lines. */
const UNKNOWN_CODE_GOODS: Goods = {
  description: 'Phone accessories',
  hsCode: '851700',
  kgPerUnit: 0.3,
  cnyPerUnit: 50,
};
const WOODEN_GOODS: Goods[] = [
  {
    description: 'Carved rosewood furniture, 红木雕花茶几',
    hsCode: '940360',
    kgPerUnit: 20,
    cnyPerUnit: 1800,
  },
  { description: '实木餐椅 solid wood dining chair', hsCode: '940169', kgPerUnit: 10, cnyPerUnit: 600 },
  { description: '木雕摆件 wood carving statue', hsCode: '442090', kgPerUnit: 2, cnyPerUnit: 200 },
  { description: 'Teak cabinet', hsCode: '940360', kgPerUnit: 20, cnyPerUnit: 2500 },
  { description: '红木家具 bedroom wardrobe', hsCode: '940350', kgPerUnit: 20, cnyPerUnit: 3000 },
  { description: 'ＲＯＳＥＷＯＯＤ jewellery box', hsCode: '442090', kgPerUnit: 1, cnyPerUnit: 300 },
  { description: 'Wooden stool', hsCode: '940169', kgPerUnit: 10, cnyPerUnit: 100 },
];

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const phone = (random: Random) =>
  `+86 1${random.int(30, 99)} ${random.int(1000, 9999)} ${random.int(1000, 9999)}`;

const makeParcel = (random: Random, index: number): Parcel => {
  const border = random.chance(0.08);
  const origin = border ? random.pick(BORDER_ORIGINS) : random.pick(ORDINARY_ORIGINS);
  const woodenChance = border ? 0.5 : 0.03;
  const goods = Array.from({ length: random.chance(0.7) ? 1 : random.int(2, 3) }, () => {
    const item = random.chance(woodenChance)
      ? random.pick(WOODEN_GOODS)
      : random.chance(0.01)
        ? UNKNOWN_CODE_GOODS
        : random.pick(ORDINARY_GOODS);
    const quantity = item.kgPerUnit >= 10 ? random.int(1, 3) : random.int(1, 20);
    const currency = random.chance(0.9) ? 'CNY' : random.chance(0.8) ? 'USD' : 'XAF';
    const rate = currency === 'USD' ? 7.1 : 1;
    const underDeclared = random.chance(0.2) ? 0.05 : 1;
    return {
      item,
      line: {
        description: item.description,
        hsCode: item.hsCode,
        quantity,
        declaredValue: { amount: round((item.cnyPerUnit * quantity * underDeclared) / rate, 2), currency },
      },
    };
  });
  const typical = goods.reduce((sum, { item, line }) => sum + item.kgPerUnit * line.quantity, 0);
  const concealed = random.chance(border ? 0.3 : 0.01);
  const declared = round(
    Math.max(0.05, typical * (concealed ? 2 + random.next() * 3 : 0.9 + random.next() * 0.5)),
    2,
  );
  const measured = random.chance(0.7)
    ? round(declared * (random.chance(0.03) ? 1.4 + random.next() * 0.4 : 0.97 + random.next() * 0.06), 3)
    : undefined;
  const via = Array.from({ length: random.int(0, 2) }, () => random.pick(VIA));
  const destination = random.pick(DESTINATIONS);
  const shipperCity = border && random.chance(0.5) ? origin : random.pick(ORDINARY_ORIGINS);
  return {
    parcelId: `SYN${String(index).padStart(9, '0')}`,
    shipper: {
      name: `Shipper ${random.int(1, 5000)}`,
      address: {
        country: 'CN',
        region: shipperCity.region,
        city: shipperCity.city,
        postcode: '518000',
        line: `${random.int(1, 999)} Industrial Road`,
      },
      phone: phone(random),
    },
    consignee: {
      name: `Consignee ${random.int(1, 50000)}`,
      address: {
        country: 'CN',
        region: destination.region,
        city: destination.city,
        postcode: '100000',
        line: `${random.int(1, 999)} Main Street, Unit ${random.int(1, 30)}`,
      },
      phone: random.chance(0.002) ? random.pick(WATCHED_PHONES) : phone(random),
      ...(random.chance(0.3) ? { email: `c${random.int(1, 50000)}@example.com` } : {}),
    },
    route: { origin, via, destination, inspectionOffice: `${destination.city.toLowerCase()}-customs` },
    goods: goods.map(({ line }) => line),
    pieceCount: random.int(1, 3),
    declaredGrossWeightKg: declared,
    ...(measured === undefined ? {} : { measuredWeightKg: measured }),
    ...(random.chance(0.5)
      ? {
          dimensions: {
            lengthCm: random.int(10, 120),
            widthCm: random.int(10, 80),
            heightCm: random.int(5, 60),
          },
        }
      : {}),
    paymentMethod: random.chance(0.8) ? 'prepaid' : random.chance(0.75) ? 'cash-on-delivery' : 'cash',
    contentCategory: random.chance(0.9) ? 'merchandise' : 'gift',
  };
};

const party = (random: Random, known: boolean, seizures: number): PartySummary => {
  if (!known) return emptyPartySummary();
  const parcels30d = random.int(0, 5);
  const parcels90d = random.int(1, 12);
  const distinctCounterparts = random.chance(0.03) ? random.int(5, 12) : random.int(1, 3);
  return {
    ...emptyPartySummary(),
    known: true,
    firstSeen: '2025-01-10T00:00:00Z',
    lastSeen: '2026-05-01T00:00:00Z',
    parcels30d,
    parcels90d,
    distinctCounterparts,
    sharedDistinctCounterparts: distinctCounterparts,
    distinctOrigins: random.int(1, 3),
    seizures,
    lastSeizureAt: seizures > 0 ? '2026-03-01T00:00:00Z' : null,
  };
};

/** One synthetic parcel as it arrives (JSON text) and the facts the screen function would add to it. */
export interface SyntheticParcel {
  json: string;
  context: Omit<ScreeningFacts, 'parcel'>;
}

export const makeSyntheticParcels = (count: number, seed: number): SyntheticParcel[] => {
  const random = makeRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const parcel = makeParcel(random, index);
    const known = random.chance(0.75);
    const seizures = known && random.chance(0.02) ? (random.chance(0.3) ? 2 : 1) : 0;
    const manifest: ManifestFacts = {
      parcelCount: random.int(1, 200),
      parcelsToConsignee: random.chance(0.03) ? random.int(5, 9) : random.int(1, 2),
      parcelsToPhone: 1,
      parcelsToAddress: 1,
      consigneesOfShipper: random.int(1, 20),
      consigneeNamesOfPhone: 1,
      // No draw of their own, so the parcels stay those of earlier runs: this parcel's weight alone.
      weightToConsigneeKg: parcel.declaredGrossWeightKg,
      weightToPhoneKg: parcel.declaredGrossWeightKg,
      weightToAddressKg: parcel.declaredGrossWeightKg,
      splitShipment: random.chance(0.02),
    };
    const phoneParty = party(random, known, 0);
    return {
      json: JSON.stringify(parcel),
      context: {
        manifest: {
          manifestId: `SYN-M-${Math.floor(index / 100)}`,
          partnerId: 'synthetic-partner',
          transport: {
            mode: 'road',
            masterDocumentNumber: `SYN-MAWB-${Math.floor(index / 100)}`,
            placeOfLoading: parcel.route.origin,
            placeOfUnloading: parcel.route.destination,
          },
          submittedAt: '2026-11-27T16:40:00+08:00',
          receivedAt: '2026-11-27T08:40:01.000Z',
          ...manifest,
        },
        history: {
          ...emptyHistoryFacts(),
          consignee: party(random, known, seizures),
          phone: phoneParty,
          sharedSeizures: random.chance(0.01) ? random.int(1, 3) : 0,
        },
        parties: derivePartyKeys(parcel, RULE_CASE_PARTY_KEY_SALT),
        now: '2026-11-27T09:00:00Z',
      },
    };
  });
};
