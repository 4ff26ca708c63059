import {
  addDecimal,
  divDecimal,
  mulDecimal,
  roundDecimal,
  subDecimal,
} from '../functions/core/rules/index.js';
import { formatNumber } from '../functions/core/rules/numeric.js';
import type { ScreeningFacts } from '../functions/core/screening/facts.js';
import type { Lane } from '../functions/core/screening/lane.js';
import { normalizeText } from '../functions/core/text/text.js';
import {
  BORDER_ORIGINS,
  CNY_PER_UNIT,
  HS_SUBHEADINGS,
  TYPICAL_KG,
  WATCHED_PHONE_KEYS,
  WOODEN_HS,
  WOODEN_WORDS,
} from './default-rule-data.js';

/**
 * The default rule set (rules/default) written by hand in TypeScript, as a programmer would without a
 * rule engine: the speed baseline of the benchmark. Same numeric semantics (6-decimal rounding of
 * arithmetic) and text normalization, so it fires exactly the same rules.
 *
 * The rules are written once over their lookups (list membership, tables, text search). `screenByHand`
 * computes every lookup directly, as a programmer would; `screenByHandMemoized` memoizes them by raw text
 * as the engine does: a reference for what screening these rules can cost at best, not a target.
 */

const BORDER_ORIGIN_SET = new Set(BORDER_ORIGINS);
const WOODEN_HS_SET = new Set(WOODEN_HS);
const WATCHED_PHONE_SET = new Set(WATCHED_PHONE_KEYS);
const LIST_EXPIRY_MS = Date.parse('2027-12-31');

interface Lookups {
  typicalKg: (hsCode: string) => number;
  isWoodenHs: (hsCode: string) => boolean;
  isKnownHs: (hsCode: string) => boolean;
  hasWoodenWord: (description: string) => boolean;
  isBorderCity: (city: string) => boolean;
  cnyRate: (currency: string) => number | undefined;
  nowMs: (now: string) => number;
}

const DIRECT: Lookups = {
  typicalKg: (hsCode) => TYPICAL_KG[hsCode.slice(0, 6)] ?? TYPICAL_KG[hsCode.slice(0, 4)] ?? 1,
  isWoodenHs: (hsCode) => WOODEN_HS_SET.has(hsCode.slice(0, 6)),
  isKnownHs: (hsCode) => HS_SUBHEADINGS.has(hsCode.slice(0, 6)),
  hasWoodenWord: (description) => {
    const text = normalizeText(description);
    return WOODEN_WORDS.some((word) => text.includes(word));
  },
  isBorderCity: (city) => BORDER_ORIGIN_SET.has(normalizeText(city)),
  cnyRate: (currency) => CNY_PER_UNIT[normalizeText(currency)],
  nowMs: (now) => Date.parse(now),
};

/** Unbounded: the synthetic parcels draw their texts from small pools. */
const memoized = <T>(lookup: (text: string) => T): ((text: string) => T) => {
  const memo = new Map<string, T>();
  return (text) => {
    if (memo.has(text)) return memo.get(text) as T;
    const value = lookup(text);
    memo.set(text, value);
    return value;
  };
};

const MEMOIZED: Lookups = {
  typicalKg: memoized(DIRECT.typicalKg),
  isWoodenHs: memoized(DIRECT.isWoodenHs),
  isKnownHs: memoized(DIRECT.isKnownHs),
  hasWoodenWord: memoized(DIRECT.hasWoodenWord),
  isBorderCity: memoized(DIRECT.isBorderCity),
  cnyRate: memoized(DIRECT.cnyRate),
  nowMs: memoized(DIRECT.nowMs),
};

/** Numbers in reasons as the engine shows them. */
const fmt = (value: number | undefined) => (value === undefined ? 'n/a' : formatNumber(value));

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

const makeScreenByHand =
  (lookups: Lookups) =>
  (facts: ScreeningFacts): HandEvaluation => {
    const { typicalKg, isWoodenHs, isKnownHs, hasWoodenWord, isBorderCity, cnyRate } = lookups;
    const { parcel, history, manifest, parties } = facts;
    const listsValid = lookups.nowMs(facts.now) < LIST_EXPIRY_MS;
    const fired: HandFiredRule[] = [];
    let forced: Lane | undefined;
    const fire = (ruleId: string, score: number, reason: string) => fired.push({ ruleId, score, reason });

    let typical = 0;
    let valueCny: number | undefined = 0;
    let woodenHsLine: (typeof parcel.goods)[number] | undefined;
    let woodenWordLine: (typeof parcel.goods)[number] | undefined;
    let unknownHsLine: (typeof parcel.goods)[number] | undefined;
    for (const line of parcel.goods) {
      typical = addDecimal(typical, mulDecimal(line.quantity, typicalKg(line.hsCode)));
      const rate = cnyRate(line.declaredValue.currency);
      valueCny =
        valueCny === undefined || rate === undefined
          ? undefined
          : addDecimal(valueCny, mulDecimal(line.declaredValue.amount, rate));
      if (listsValid && woodenHsLine === undefined && isWoodenHs(line.hsCode)) woodenHsLine = line;
      if (listsValid && woodenWordLine === undefined && hasWoodenWord(line.description))
        woodenWordLine = line;
      if (listsValid && unknownHsLine === undefined && !isKnownHs(line.hsCode)) unknownHsLine = line;
    }
    const measured = parcel.measuredWeightKg;
    const weight =
      measured === undefined
        ? parcel.declaredGrossWeightKg
        : Math.max(measured, parcel.declaredGrossWeightKg);
    const weightRatio = typical === 0 ? undefined : divDecimal(weight, typical);
    const excess = subDecimal(weight, typical);
    const measuredRatio =
      measured === undefined ? undefined : divDecimal(measured, parcel.declaredGrossWeightKg);
    const valuePerKg = valueCny === undefined ? undefined : divDecimal(valueCny, weight);
    const wooden = woodenHsLine ?? woodenWordLine;

    const originCity = parcel.route.origin.city;
    const shipperCity = parcel.shipper.address.city;
    if (listsValid && (isBorderCity(originCity) || isBorderCity(shipperCity))) {
      fire(
        'origin-border-town',
        25,
        `origin ${originCity} or shipper's city ${shipperCity} is a border town (list border-origins)`,
      );
    }
    const stop = listsValid ? parcel.route.via.find((place) => isBorderCity(place.city)) : undefined;
    if (stop !== undefined)
      fire('via-border-town', 10, `route passes through ${stop.city}, a border town (list border-origins)`);
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
    if (unknownHsLine !== undefined) {
      fire(
        'unknown-hs-code',
        10,
        `goods HS ${unknownHsLine.hsCode} (${unknownHsLine.description}) is no subheading of HS 2022 or HS 2017 (list hs-subheadings)`,
      );
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
      fire('cash-payment', 10, `paid in cash (payment method: ${parcel.paymentMethod})`);
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
    if (WATCHED_PHONE_SET.has(parties.phone)) {
      fire('phone-on-watchlist', 40, "the consignee's phone is on watchlist watched-phones");
      forced ??= 'review';
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
        `one of ${manifest.parcelsToConsignee} parcels to this consignee in the manifest, another of them of near-identical weight`,
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

export const screenByHand = makeScreenByHand(DIRECT);
export const screenByHandMemoized = makeScreenByHand(MEMOIZED);
