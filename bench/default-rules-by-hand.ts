import { normalizeText, roundDecimal } from '../functions/core/rules/index.js';
import type { ScreeningFacts } from '../functions/core/screening/facts.js';
import type { Lane } from '../functions/core/screening/lane.js';

/**
 * The default rule set (rules/default) written by hand in TypeScript, as a programmer would without a
 * rule engine: the speed baseline of the benchmark. Same numeric semantics (6-decimal rounding of
 * arithmetic) and text normalization, so it fires exactly the same rules.
 */

const BORDER_ORIGINS = new Set(
  [
    'Ruili',
    '瑞丽',
    '瑞丽市',
    'Dehong',
    '德宏',
    'Mangshi',
    '芒市',
    'Longchuan',
    '陇川',
    '陇川县',
    'Yingjiang',
    '盈江',
    '盈江县',
    'Lincang',
    '临沧',
    '临沧市',
    'Mengla',
    '勐腊',
    '勐腊县',
    'Jinghong',
    '景洪',
    '景洪市',
    'Hekou',
    '河口',
    '河口县',
    'Baise',
    '百色',
    '百色市',
    'Jingxi',
    '靖西',
    '靖西市',
    'Pingxiang',
    '凭祥',
    '凭祥市',
    'Dongxing',
    '东兴',
    '东兴市',
    'Longzhou',
    '龙州',
    '龙州县',
  ].map(normalizeText),
);
const WOODEN_HS = new Set([
  '442010',
  '442011',
  '442019',
  '442090',
  '940131',
  '940141',
  '940161',
  '940169',
  '940191',
  '940330',
  '940340',
  '940350',
  '940360',
  '940391',
]);
const WOODEN_WORDS = [
  '红木',
  '紫檀',
  '黄花梨',
  '花梨',
  '酸枝',
  '木雕',
  '根雕',
  '雕花',
  '家具',
  '家俬',
  '实木',
  '柚木',
  '茶几',
  '茶台',
  '屏风',
  'rosewood',
  'redwood',
  'sandalwood',
  'huanghuali',
  'teak',
  'carved',
  'carving',
  'furniture',
  'solid wood',
  'hardwood',
];
const TYPICAL_KG: Record<string, number> = {
  '9403': 20,
  '940391': 5,
  '9401': 10,
  '940191': 3,
  '4420': 2,
  '4421': 1,
  '4414': 1,
  '0813': 0.5,
  '0902': 0.4,
  '3926': 0.05,
  '4202': 0.3,
  '6109': 0.2,
  '6403': 1,
  '7116': 0.1,
  '8471': 2.5,
  '8517': 0.3,
  '8544': 0.1,
  '9503': 0.5,
};
const CNY_PER_UNIT: Record<string, number> = {
  cny: 1,
  usd: 7.1,
  eur: 7.7,
  hkd: 0.91,
  thb: 0.2,
  mmk: 0.0034,
  vnd: 0.00028,
  lak: 0.00033,
};
const LIST_EXPIRY_MS = Date.parse('2027-12-31');

const typicalKg = (hsCode: string): number =>
  TYPICAL_KG[hsCode.slice(0, 6)] ?? TYPICAL_KG[hsCode.slice(0, 4)] ?? 1;
const isWoodenHs = (hsCode: string) => WOODEN_HS.has(hsCode.slice(0, 6));
const hasWoodenWord = (description: string) => {
  const text = normalizeText(description);
  return WOODEN_WORDS.some((word) => text.includes(word));
};
const fmt = (value: number | undefined) =>
  value === undefined ? 'n/a' : String(Math.round(value * 100) / 100);

export interface HandFiredRule {
  ruleId: string;
  score: number;
  reason: string;
}

export interface HandEvaluation {
  score: number;
  lane: Lane;
  firedRules: HandFiredRule[];
}

export const screenByHand = (facts: ScreeningFacts): HandEvaluation => {
  const { parcel, history, manifest } = facts;
  const listsValid = Date.parse(facts.now) < LIST_EXPIRY_MS;
  const fired: HandFiredRule[] = [];
  let forced: Lane | undefined;
  const fire = (ruleId: string, score: number, reason: string) => fired.push({ ruleId, score, reason });

  let typical = 0;
  let valueCny: number | undefined = 0;
  let woodenHsLine: (typeof parcel.goods)[number] | undefined;
  let woodenWordLine: (typeof parcel.goods)[number] | undefined;
  for (const line of parcel.goods) {
    typical = roundDecimal(typical + roundDecimal(line.quantity * typicalKg(line.hsCode)));
    const rate = CNY_PER_UNIT[normalizeText(line.declaredValue.currency)];
    valueCny =
      valueCny === undefined || rate === undefined
        ? undefined
        : roundDecimal(valueCny + roundDecimal(line.declaredValue.amount * rate));
    if (listsValid && woodenHsLine === undefined && isWoodenHs(line.hsCode)) woodenHsLine = line;
    if (listsValid && woodenWordLine === undefined && hasWoodenWord(line.description)) woodenWordLine = line;
  }
  const measured = parcel.measuredWeightKg;
  const weight =
    measured === undefined ? parcel.declaredGrossWeightKg : Math.max(measured, parcel.declaredGrossWeightKg);
  const weightRatio = typical === 0 ? undefined : roundDecimal(weight / typical);
  const excess = roundDecimal(weight - typical);
  const measuredRatio =
    measured === undefined ? undefined : roundDecimal(measured / parcel.declaredGrossWeightKg);
  const valuePerKg = valueCny === undefined ? undefined : roundDecimal(valueCny / weight);
  const wooden = woodenHsLine ?? woodenWordLine;

  const originCity = parcel.route.origin.city;
  const shipperCity = parcel.shipper.address.city;
  if (
    listsValid &&
    (BORDER_ORIGINS.has(normalizeText(originCity)) || BORDER_ORIGINS.has(normalizeText(shipperCity)))
  ) {
    fire(
      'origin-border-town',
      25,
      `origin ${originCity}, shipper city ${shipperCity}: on list border-origins`,
    );
  }
  const stop = listsValid
    ? parcel.route.via.find((place) => BORDER_ORIGINS.has(normalizeText(place.city)))
    : undefined;
  if (stop !== undefined)
    fire('via-border-town', 10, `route passes through ${stop.city}, on list border-origins`);
  if (woodenHsLine !== undefined) {
    fire(
      'wooden-goods-hs',
      20,
      `goods HS ${woodenHsLine.hsCode} (${woodenHsLine.description}) is wooden furniture, a wooden seat or a carving`,
    );
  }
  if (woodenWordLine !== undefined) {
    fire('wooden-goods-words', 15, `goods description "${woodenWordLine.description}" names wooden goods`);
  }
  if (weightRatio !== undefined && weightRatio > 2.5 && excess > 10) {
    fire(
      'weight-far-above-goods',
      30,
      `weight ${fmt(weight)} kg is ${fmt(weightRatio)}× the ${fmt(typical)} kg its goods imply`,
    );
  }
  if (measuredRatio !== undefined && measuredRatio > 1.5) {
    fire(
      'measured-above-declared',
      15,
      `measured ${fmt(measured)} kg is ${fmt(measuredRatio)}× the declared ${fmt(parcel.declaredGrossWeightKg)} kg`,
    );
  }
  if (valuePerKg !== undefined && valuePerKg < 30 && wooden !== undefined) {
    fire(
      'low-value-wooden-goods',
      10,
      `wooden goods declared at ${fmt(valuePerKg)} CNY/kg (${fmt(valueCny)} CNY for ${fmt(weight)} kg)`,
    );
  }
  if (!history.consignee.known) fire('new-consignee', 10, 'consignee has no shipping history');
  if (parcel.paymentMethod === 'cash-on-delivery' || parcel.paymentMethod === 'cash') {
    fire('cash-payment', 10, `paid by ${parcel.paymentMethod}`);
  }
  const seizures = history.consignee.seizures;
  if (seizures > 0) {
    fire(
      'consignee-prior-seizure',
      30,
      `consignee has ${seizures} prior seizure(s), last on ${history.consignee.lastSeizureAt ?? 'n/a'}`,
    );
    if (wooden !== undefined) {
      fire(
        'seized-consignee-wooden-goods',
        0,
        `wooden goods (${wooden.description}) to a consignee with ${seizures} prior seizure(s)`,
      );
      forced = 'hold';
    }
  }
  if (seizures >= 2 && history.sharedSeizures > 0) {
    fire(
      'repeat-seizures-shared',
      0,
      `consignee has ${seizures} seizures and other regions report ${history.sharedSeizures}`,
    );
    forced = 'do-not-load';
  }
  if (history.sharedSeizures > 0) {
    fire(
      'shared-seizures',
      25,
      `other regions recorded ${history.sharedSeizures} seizure(s) against the same parties`,
    );
  }
  if (history.phone.sharedDistinctCounterparts >= 5) {
    fire(
      'phone-many-consignees',
      20,
      `consignee phone used under ${history.phone.sharedDistinctCounterparts} consignee names, this parcel's and other regions' included`,
    );
  }
  if (manifest.splitShipment) {
    fire(
      'split-shipment',
      15,
      `one of ${manifest.parcelsToConsignee} parcels to this consignee with near-identical weights`,
    );
  }
  if (manifest.parcelsToConsignee >= 5) {
    fire(
      'many-parcels-to-consignee',
      10,
      `${manifest.parcelsToConsignee} parcels to this consignee in manifest ${manifest.manifestId}`,
    );
  }

  let score = 0;
  for (const rule of fired) score += rule.score;
  score = roundDecimal(score);
  const banded: Lane =
    score >= 200 ? 'do-not-load' : score >= 60 ? 'hold' : score >= 30 ? 'review' : 'release';
  const order: Lane[] = ['release', 'review', 'hold', 'do-not-load'];
  const lane = forced !== undefined && order.indexOf(forced) > order.indexOf(banded) ? forced : banded;
  return { score, lane, firedRules: fired };
};
