import { type Almanac, Engine, type RuleProperties } from 'json-rules-engine';
import { addDecimal, divDecimal, mulDecimal, subDecimal } from '../functions/core/rules/index.js';
import type { ScreeningFacts } from '../functions/core/screening/facts.js';
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
 * The default rule set (rules/default) expressed for json-rules-engine, the way that library is
 * meant to be used: JSONPath into the facts, custom operators for lists and text, dynamic facts
 * for the derived values. Used by the benchmark to compare speed on the same rules. List expiry is
 * not modelled: the benchmark's `now` is inside every list's validity.
 */

const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];
const texts = (value: unknown): string[] =>
  asArray(value).filter((item): item is string => typeof item === 'string');
const isWoodenLine = (line: { hsCode: string; description: string }) =>
  WOODEN_HS.some((prefix) => line.hsCode.startsWith(prefix)) ||
  WOODEN_WORDS.some((word) => normalizeText(line.description).includes(word));

type Goods = ScreeningFacts['parcel']['goods'];
const parcelOf = (almanac: Almanac) => almanac.factValue<ScreeningFacts['parcel']>('parcel');

const typicalKgOf = (goods: Goods): number => {
  let total = 0;
  for (const line of goods) {
    const perUnit = TYPICAL_KG[line.hsCode.slice(0, 6)] ?? TYPICAL_KG[line.hsCode.slice(0, 4)] ?? 1;
    total = addDecimal(total, mulDecimal(line.quantity, perUnit));
  }
  return total;
};
const weightOf = (parcel: ScreeningFacts['parcel']) =>
  parcel.measuredWeightKg === undefined
    ? parcel.declaredGrossWeightKg
    : Math.max(parcel.measuredWeightKg, parcel.declaredGrossWeightKg);
const valueCnyOf = (goods: Goods): number | undefined => {
  let total = 0;
  for (const line of goods) {
    const rate = CNY_PER_UNIT[normalizeText(line.declaredValue.currency)];
    if (rate === undefined) return undefined;
    total = addDecimal(total, mulDecimal(line.declaredValue.amount, rate));
  }
  return total;
};

const rule = (
  name: string,
  conditions: RuleProperties['conditions'],
  score: number,
  lane?: string,
): RuleProperties => ({
  name,
  conditions,
  event: { type: name, params: { score, ...(lane === undefined ? {} : { lane }) } },
});
const history = (path: string, operator: string, value: unknown) => ({
  fact: 'history',
  path,
  operator,
  value,
});
const woodenLine = { fact: 'parcel', path: '$.goods[*]', operator: 'anyWoodenLine', value: true };

export const DEFAULT_RULES: RuleProperties[] = [
  rule(
    'origin-border-town',
    {
      any: [
        { fact: 'parcel', path: '$.route.origin.city', operator: 'inText', value: BORDER_ORIGINS },
        { fact: 'parcel', path: '$.shipper.address.city', operator: 'inText', value: BORDER_ORIGINS },
      ],
    },
    25,
  ),
  rule(
    'via-border-town',
    { all: [{ fact: 'parcel', path: '$.route.via[*].city', operator: 'anyInText', value: BORDER_ORIGINS }] },
    10,
  ),
  rule(
    'wooden-goods-hs',
    { all: [{ fact: 'parcel', path: '$.goods[*].hsCode', operator: 'anyStartsWith', value: WOODEN_HS }] },
    20,
  ),
  rule(
    'wooden-goods-words',
    {
      all: [
        { fact: 'parcel', path: '$.goods[*].description', operator: 'anyContainsAny', value: WOODEN_WORDS },
      ],
    },
    15,
  ),
  rule(
    'unknown-hs-code',
    { all: [{ fact: 'parcel', path: '$.goods[*].hsCode', operator: 'anyUnknownHs', value: true }] },
    10,
  ),
  rule(
    'weight-far-above-goods',
    {
      all: [
        { fact: 'weightToTypicalRatio', operator: 'greaterThan', value: 2.5 },
        { fact: 'excessWeightKg', operator: 'greaterThan', value: 10 },
      ],
    },
    30,
  ),
  rule(
    'measured-above-declared',
    { all: [{ fact: 'measuredToDeclaredRatio', operator: 'greaterThan', value: 1.5 }] },
    15,
  ),
  rule(
    'low-value-wooden-goods',
    { all: [{ fact: 'valuePerKgCny', operator: 'lessThan', value: 30 }, woodenLine] },
    10,
  ),
  rule('new-consignee', { all: [history('$.consignee.known', 'equal', false)] }, 10),
  rule(
    'cash-payment',
    {
      all: [{ fact: 'parcel', path: '$.paymentMethod', operator: 'in', value: ['cash-on-delivery', 'cash'] }],
    },
    10,
  ),
  rule('consignee-prior-seizure', { all: [history('$.consignee.seizures', 'greaterThan', 0)] }, 30),
  rule(
    'seized-consignee-wooden-goods',
    { all: [history('$.consignee.seizures', 'greaterThan', 0), woodenLine] },
    0,
    'hold',
  ),
  rule(
    'repeat-seizures-shared',
    {
      all: [
        history('$.consignee.seizures', 'greaterThanInclusive', 2),
        history('$.sharedSeizures', 'greaterThan', 0),
      ],
    },
    0,
    'do-not-load',
  ),
  rule('shared-seizures', { all: [history('$.sharedSeizures', 'greaterThan', 0)] }, 25),
  rule(
    'phone-on-watchlist',
    { all: [{ fact: 'parties', path: '$.phone', operator: 'in', value: WATCHED_PHONE_KEYS }] },
    40,
  ),
  rule(
    'phone-many-consignees',
    { all: [history('$.phone.sharedDistinctCounterparts', 'greaterThanInclusive', 5)] },
    20,
  ),
  rule(
    'split-shipment',
    { all: [{ fact: 'manifest', path: '$.splitShipment', operator: 'equal', value: true }] },
    15,
  ),
  rule(
    'many-parcels-to-consignee',
    {
      all: [{ fact: 'manifest', path: '$.parcelsToConsignee', operator: 'greaterThanInclusive', value: 5 }],
    },
    10,
  ),
];

/** A json-rules-engine Engine loaded with the default rules, custom operators and derived facts. */
export const makeJsonRulesEngine = (): Engine => {
  const engine = new Engine(DEFAULT_RULES, { allowUndefinedFacts: true });
  engine.addOperator(
    'inText',
    (value: unknown, set: string[]) => typeof value === 'string' && set.includes(normalizeText(value)),
  );
  engine.addOperator('anyInText', (value: unknown, set: string[]) =>
    texts(value).some((item) => set.includes(normalizeText(item))),
  );
  engine.addOperator('anyStartsWith', (value: unknown, prefixes: string[]) =>
    texts(value).some((item) => prefixes.some((prefix) => item.startsWith(prefix))),
  );
  engine.addOperator('anyUnknownHs', (value: unknown) =>
    texts(value).some((code) => !HS_SUBHEADINGS.has(code.slice(0, 6))),
  );
  engine.addOperator('anyContainsAny', (value: unknown, words: string[]) =>
    texts(value).some((item) => words.some((word) => normalizeText(item).includes(word))),
  );
  engine.addOperator('anyWoodenLine', (value: unknown) =>
    asArray(value).some((line) => isWoodenLine(line as { hsCode: string; description: string })),
  );
  engine.addFact('goodsTypicalWeightKg', async (_params, almanac) =>
    typicalKgOf((await parcelOf(almanac)).goods),
  );
  engine.addFact('parcelWeightKg', async (_params, almanac) => weightOf(await parcelOf(almanac)));
  engine.addFact('weightToTypicalRatio', async (_params, almanac) => {
    const typical = await almanac.factValue<number>('goodsTypicalWeightKg');
    return typical === 0 ? undefined : divDecimal(await almanac.factValue<number>('parcelWeightKg'), typical);
  });
  engine.addFact('excessWeightKg', async (_params, almanac) =>
    subDecimal(
      await almanac.factValue<number>('parcelWeightKg'),
      await almanac.factValue<number>('goodsTypicalWeightKg'),
    ),
  );
  engine.addFact('measuredToDeclaredRatio', async (_params, almanac) => {
    const parcel = await parcelOf(almanac);
    return parcel.measuredWeightKg === undefined
      ? undefined
      : divDecimal(parcel.measuredWeightKg, parcel.declaredGrossWeightKg);
  });
  engine.addFact('valuePerKgCny', async (_params, almanac) => {
    const value = valueCnyOf((await parcelOf(almanac)).goods);
    return value === undefined
      ? undefined
      : divDecimal(value, await almanac.factValue<number>('parcelWeightKg'));
  });
  return engine;
};

const ORDER = new Map(DEFAULT_RULES.map((rule, index) => [rule.name as string, index]));

/** Runs the engine on one parcel's facts; the fired rule ids in rule-set order. */
export const firedByJsonRulesEngine = async (engine: Engine, facts: ScreeningFacts): Promise<string[]> => {
  const { events } = await engine.run({
    parcel: facts.parcel,
    history: facts.history,
    manifest: facts.manifest,
    parties: facts.parties,
    now: facts.now,
  });
  return events.map((event) => event.type).sort((a, b) => ORDER.get(a)! - ORDER.get(b)!);
};
