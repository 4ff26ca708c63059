import type { z } from 'zod';
import { ParcelSchema, TransportSchema } from '../../../events/manifest-v1.js';
import type { PartyKeys } from '../parties/party-keys.js';
import type {
  HistoryFacts,
  ManifestContext,
  ManifestFacts,
  PartySummary,
  ScreeningFacts,
} from '../screening/facts.js';
import { HISTORY_PARTIES, type HistoryParty } from '../screening/facts.js';
import { MAX_TALLY_AMOUNT } from '../screening/tallies.js';
import { describeExpression } from './compile-expression.js';
import { didYouMean } from './did-you-mean.js';
import { describeType, type FactType, SCREENING_FACTS_TYPE } from './fact-types.js';
import { PLACES, PLACES_TYPE } from './places-facts.js';
import type { Expression, ListDocument, RuleSetDocument, Tally } from './rule-set-schema.js';

/**
 * The catalogue of facts a rule may read (`npm run rules -- facts`): every path the loader resolves
 * (SCREENING_FACTS_TYPE, which fact-access.ts walks), with its type, whether it can be missing, its unit
 * and what it means. Paths and types come from the fact types; whether a fact can be missing from the
 * manifest contract's zod schemas (parcel, transport) and from the optional and nullable fields of the
 * TypeScript fact types (history, parties, manifest), checked by the compiler; meanings and units from
 * FACT_MEANINGS, one entry per path, which test/unit/rules/fact-catalogue.test.ts holds to exactly the
 * paths the loader knows. A list's elements are written `[]`: `parcel.goods[].hsCode` is read inside a
 * quantifier as `<variable>.hsCode` (`line.hsCode`).
 */

/** What a fact means, in one line, and the unit of a number (or what its count counts). */
export interface FactMeaning {
  meaning: string;
  unit?: string;
}

export interface FactEntry {
  path: string;
  /** The type as load errors name it (describeType): `number`, `an instant (ISO 8601 text)`, `one of …`. */
  type: string;
  kind: FactType['kind'];
  /** The values of an enum. */
  values?: readonly string[];
  unit?: string;
  /** Whether a rule reading it may find it missing (a condition on it is then missing, not false). */
  mayBeMissing: boolean;
  /** The optional fact it lies under, when it is missing only with that one (`parcel.dimensions`). */
  missingWith?: string;
  meaning: string;
}

// --- Meanings -------------------------------------------------------------------------------------

type Meanings = Record<string, FactMeaning>;

const AS_WRITTEN = 'as written (trimmed)';

const placeMeanings = (path: string, what: string, regionOptional: boolean): Meanings => ({
  [path]: { meaning: what },
  [`${path}.country`]: { meaning: `country of ${what}: ISO 3166-1 alpha-2 code such as CN` },
  [`${path}.region`]: {
    meaning: `region or province of ${what}, ${AS_WRITTEN}${regionOptional ? '; partners may leave it out' : ''}`,
  },
  [`${path}.city`]: { meaning: `city of ${what}, ${AS_WRITTEN}` },
});

const partyMeanings = (who: 'shipper' | 'consignee', role: string, keyedAs: string): Meanings => {
  const path = `parcel.${who}`;
  return {
    [path]: { meaning: `the ${who} (${role}) named on the parcel` },
    [`${path}.name`]: { meaning: `the ${who}'s name, ${AS_WRITTEN}` },
    ...placeMeanings(`${path}.address`, `the ${who}'s address`, false),
    [`${path}.address.postcode`]: { meaning: `postcode of the ${who}'s address, as written; optional` },
    [`${path}.address.line`]: { meaning: `street line of the ${who}'s address, ${AS_WRITTEN}` },
    [`${path}.phone`]: {
      meaning: `the ${who}'s phone as written (digits, spaces, + ( ) -), not normalized; ${keyedAs}`,
    },
    [`${path}.email`]: { meaning: `the ${who}'s e-mail address; optional` },
    [`${path}.idDocument`]: {
      meaning:
        who === 'consignee'
          ? "the consignee's ID document; optional (keyed as parties.idDocument, with a history of its own)"
          : "the shipper's ID document; optional (only the consignee's is keyed or has a history)",
    },
    [`${path}.idDocument.type`]: { meaning: `kind of the ${who}'s ID document` },
    [`${path}.idDocument.number`]: { meaning: `number of the ${who}'s ID document, as written` },
  };
};

const THIS_REGION = "this region's history";
const NOT_THIS_MANIFEST =
  'this parcel and the other parcels of its manifest not included (manifest.* counts those)';

/** Whose parcels each history party counts, in its parcels windows (parcels7d, …) and its tallies. */
const PARTY_PARCELS: Readonly<Record<HistoryParty, string>> = {
  consignee: 'parcels to this consignee',
  shipper: 'parcels from this shipper',
  phone: 'parcels to this phone',
  address: 'parcels to this address',
  idDocument: 'parcels whose consignee carries this ID document',
};

/** One history party: what it is keyed on, its short name, and its counterparts (its parcels: PARTY_PARCELS). */
const partySummaryMeanings = (
  party: HistoryParty,
  about: { is: string; name: string },
  counterparts: { unit: string; what: string; shared: string },
): Meanings => {
  const path = `history.${party}`;
  const { is, name } = about;
  const parcels = PARTY_PARCELS[party];
  const window = (days: number, which: string) => ({
    meaning: `${parcels} in ${THIS_REGION} on the ${days} UTC calendar days up to now (${which}); ${NOT_THIS_MANIFEST}`,
    unit: 'parcels',
  });
  const last90 = `in ${THIS_REGION} over the 90 days up to now`;
  return {
    [path]: { meaning: `what ${THIS_REGION} holds on ${is}` },
    [`${path}.known`]: {
      meaning: `true when ${THIS_REGION} has seen ${name} before (firstSeen is set); ${NOT_THIS_MANIFEST}`,
    },
    [`${path}.firstSeen`]: { meaning: `when ${THIS_REGION} first saw ${name}; missing when never seen` },
    [`${path}.lastSeen`]: {
      meaning: `when ${THIS_REGION} last saw ${name} (up to now); missing when never seen`,
    },
    [`${path}.parcels7d`]: window(7, 'today and the 6 days before'),
    [`${path}.parcels30d`]: window(30, 'today and the 29 days before'),
    [`${path}.parcels90d`]: window(90, 'today and the 89 days before'),
    [`${path}.distinctCounterparts`]: {
      meaning: `${counterparts.what} on ${parcels} ${last90}; ${NOT_THIS_MANIFEST}`,
      unit: counterparts.unit,
    },
    [`${path}.sharedDistinctCounterparts`]: {
      meaning: `distinctCounterparts, plus ${counterparts.shared}, plus this parcel's own (so at least 1 when the parcel carries one)`,
      unit: counterparts.unit,
    },
    [`${path}.distinctOrigins`]: {
      meaning: `distinct origin cities (parcel.route.origin.city; Han names bare, others folded) of ${parcels} ${last90}; ${NOT_THIS_MANIFEST}`,
      unit: 'origin cities',
    },
    [`${path}.flags`]: {
      meaning: `${parcels} the rules flagged (lane not release; a control sample is no flag) ${last90}`,
      unit: 'parcels',
    },
    [`${path}.inspections`]: {
      meaning: `${parcels} inspected with any outcome but not-found, ever, in this region (corrections applied)`,
      unit: 'parcels',
    },
    [`${path}.seizures`]: {
      meaning: `${parcels} seized, ever, in this region (corrections applied; other regions' seizures: history.sharedSeizures)`,
      unit: 'parcels',
    },
    [`${path}.lastSeizureAt`]: {
      meaning: 'when the latest of those seizures was inspected; missing when there is none',
    },
    [`${path}.tallies`]: {
      meaning: `the rule set's tallies over ${parcels} in ${THIS_REGION}, by tally id: ${path}.tallies.<id>, a number, 0 when none`,
    },
  };
};

/**
 * The unit of what a sum tally adds: the unit of the one fact it sums, when it is one (a derived fact's
 * own `unit`, or the catalogue's: `kg` for `parcel.declaredGrossWeightKg`); none when it sums anything
 * else (arithmetic, a constant, a fact without a unit).
 */
const sumUnitOf = (sum: Expression, derived: RuleSetDocument['derived']): string | undefined => {
  if (typeof sum !== 'object' || sum.fact === undefined) return undefined;
  const name = sum.fact.startsWith('derived.') ? sum.fact.slice('derived.'.length) : undefined;
  if (name !== undefined) return Object.hasOwn(derived, name) ? derived[name]!.unit : undefined;
  return Object.hasOwn(FACT_MEANINGS, sum.fact) ? FACT_MEANINGS[sum.fact]!.unit : undefined;
};

/** What a tally counts on one party's history, and its unit: parcels, distinct keys, or a sum (and, after the window, what a sum says of its own). */
const tallyCounts = (
  tally: Tally,
  party: HistoryParty,
  derived: RuleSetDocument['derived'],
): { counts: string; unit?: string; after?: string } => {
  if (tally.distinct !== undefined)
    return {
      counts: `distinct ${tally.distinct} keys on ${PARTY_PARCELS[party]}`,
      unit: `distinct ${tally.distinct}`,
    };
  if (tally.sum === undefined) return { counts: PARTY_PARCELS[party], unit: 'parcels' };
  const unit = sumUnitOf(tally.sum, derived);
  return {
    counts: `the sum of ${describeExpression(tally.sum)} over ${PARTY_PARCELS[party]}`,
    ...(unit === undefined ? {} : { unit }),
    after: '; 0 when none, a parcel on which the sum is missing adding nothing',
  };
};

/**
 * A rule set's tallies as facts, under each history party (`history.address.tallies.<id>`), from their
 * own `description`: a number, never missing (0 when nothing was counted); a count of parcels or of
 * distinct keys, or the sum of a number (in that number's unit, when the fact it sums has one: `derived`,
 * the rule set's derived facts, give theirs).
 */
export const tallyFactEntries = (
  document: Pick<RuleSetDocument, 'tallies'> & Partial<Pick<RuleSetDocument, 'derived'>>,
): FactEntry[] =>
  HISTORY_PARTIES.flatMap((party) =>
    Object.entries(document.tallies ?? {}).map(([id, tally]) => {
      const { counts, unit, after = '' } = tallyCounts(tally, party, document.derived ?? {});
      return {
        path: `history.${party}.tallies.${id}`,
        type: 'number',
        kind: 'number',
        ...(unit === undefined ? {} : { unit }),
        mayBeMissing: false,
        meaning: `${oneLine(tally.description)}: ${counts}${tally.when === undefined ? ' (every parcel: the tally has no when)' : " that met the tally's when"}, in ${THIS_REGION} on the ${tally.days} UTC calendar days up to now; ${NOT_THIS_MANIFEST}${after}; counted from the day a rule set with this tally screens`,
      };
    }),
  );

/**
 * A rule set's tallies as this parcel's marks (`marks.<id>`): what the parcel adds to each, as screening
 * records it, a number never missing (0 when it marks nothing, a `when` or sum that is missing too). A
 * distinct tally has none: whether its key adds to the count depends on history.
 */
export const markFactEntries = (
  document: Pick<RuleSetDocument, 'tallies'> & Partial<Pick<RuleSetDocument, 'derived'>>,
): FactEntry[] =>
  Object.entries(document.tallies ?? {})
    .filter(([, tally]) => tally.distinct === undefined)
    .map(([id, tally]) => {
      const unit = tally.sum === undefined ? 'parcels' : sumUnitOf(tally.sum, document.derived ?? {});
      const adds =
        tally.sum === undefined
          ? '1 when it'
          : `its ${describeExpression(tally.sum)} (as a mark: 6 places, within ${MAX_TALLY_AMOUNT.toLocaleString('en-US')} either sign) when it`;
      const meets =
        tally.when === undefined ? 'is screened (the tally has no when)' : "meets the tally's when";
      const parts = [
        tally.when === undefined ? [] : ['the when'],
        tally.sum === undefined ? [] : ['the sum'],
      ].flat();
      const missing =
        parts.length === 0
          ? ''
          : ` (0 too when ${parts.join(' or ')} is missing: it marks nothing, as history will hold)`;
      return {
        path: `marks.${id}`,
        type: 'number',
        kind: 'number',
        ...(unit === undefined ? {} : { unit }),
        mayBeMissing: false,
        meaning: `what this parcel adds to the tally ${id} (${oneLine(tally.description)}), as screening records it: ${adds} ${meets}, else 0${missing}; history.<party>.tallies.${id} plus this is "this parcel included"`,
      };
    });

const sharedFrom = (kind: string) =>
  `the ones regions sharing ${kind} indicators with this one saw in their 90 days (under an agreement in force on the day)`;

/**
 * One meaning per fact path the loader knows: test/unit/rules/fact-catalogue.test.ts fails on a path
 * without one and on one for no path. Written from the code that computes each fact
 * (core/screening/manifest-facts.ts, core/parties/history-model.ts, core/parties/shared-history.ts,
 * core/parties/party-keys.ts) and docs/parties-and-history.md.
 */
export const FACT_MEANINGS: Readonly<Meanings> = {
  parcel: { meaning: 'the parcel as the partner sent it in the manifest (contract: events/manifest-v1.ts)' },
  'parcel.parcelId': {
    meaning: "house document number: the parcel's own waybill number, unique in its manifest",
  },
  ...partyMeanings('shipper', 'sender', 'parties.shipper and history.shipper are keyed on it, made E.164'),
  ...partyMeanings(
    'consignee',
    'receiver',
    'parties.consignee, parties.phone and their histories are keyed on it, made E.164',
  ),
  'parcel.route': {
    meaning: "the parcel's route: origin, ordered via points, destination, inspection office",
  },
  ...placeMeanings('parcel.route.origin', 'the place the parcel starts from', true),
  'parcel.route.via': {
    meaning: 'the transit points in order, possibly none; read through a quantifier (some, every, none)',
  },
  ...placeMeanings('parcel.route.via[]', 'one transit point', true),
  ...placeMeanings('parcel.route.destination', "the parcel's destination", true),
  'parcel.route.inspectionOffice': {
    meaning:
      'id of the inspection office (rules/reference/offices.yaml) whose review queue gets the parcel when flagged',
  },
  'parcel.goods': {
    meaning:
      'the goods lines, 1 to 50; read through a quantifier (some, every, none) or an aggregate (count, sum, …)',
  },
  'parcel.goods[]': { meaning: 'one goods line: one described commodity' },
  'parcel.goods[].description': { meaning: `description of the commodity, ${AS_WRITTEN}` },
  'parcel.goods[].hsCode': {
    meaning: 'HS code of the commodity: 6 to 10 digits, no dots, as text (compare chapters with startsWith)',
  },
  'parcel.goods[].quantity': {
    meaning:
      'how many units of the commodity the line declares: above 0, may be fractional; the contract names no unit of measure (rules/default multiplies it by a typical weight per unit)',
    unit: 'units',
  },
  'parcel.goods[].declaredValue': {
    meaning:
      'value declared for the whole line, not per unit (rules/default sums it over lines without multiplying by quantity)',
  },
  'parcel.goods[].declaredValue.amount': {
    meaning: 'the declared value, 0 or more',
    unit: "the line's currency",
  },
  'parcel.goods[].declaredValue.currency': {
    meaning: 'currency of the declared value: ISO 4217 code such as CNY',
  },
  'parcel.pieceCount': {
    meaning: 'how many pieces (packages) the parcel is: a whole number, 1 to 10,000',
    unit: 'pieces',
  },
  'parcel.declaredGrossWeightKg': {
    meaning: 'gross weight (packaging included) the partner declares',
    unit: 'kg',
  },
  'parcel.measuredWeightKg': {
    meaning:
      'weight the partner measured; missing when it sent none (rules/default then uses the declared weight)',
    unit: 'kg',
  },
  'parcel.dimensions': {
    meaning:
      'length, width and height as the partner sends them, all three or none; the contract does not say whether measured or declared',
  },
  'parcel.dimensions.lengthCm': { meaning: 'length of the parcel, above 0', unit: 'cm' },
  'parcel.dimensions.widthCm': { meaning: 'width of the parcel, above 0', unit: 'cm' },
  'parcel.dimensions.heightCm': { meaning: 'height of the parcel, above 0', unit: 'cm' },
  'parcel.paymentMethod': { meaning: 'how the carriage is paid' },
  'parcel.contentCategory': { meaning: 'what the parcel is declared to hold, as a category' },

  manifest: {
    meaning:
      'the manifest the parcel came in, and counts and weights over all its parcels as received (every region and part)',
  },
  'manifest.manifestId': { meaning: "the partner's id of the manifest" },
  'manifest.partnerId': { meaning: 'id of the partner (logistics company) that sent the manifest' },
  'manifest.submittedAt': {
    meaning:
      "when the partner says it submitted the manifest (its submittedAt, with the partner's offset, as written): the partner's word, checked against no clock; missing on a message queued before it was carried",
  },
  'manifest.receivedAt': {
    meaning: "when parcelguard received the manifest (ingest's clock, UTC): the time to trust",
  },
  'manifest.transport': { meaning: 'how the manifest travels: mode, master document, places, conveyance' },
  'manifest.transport.mode': { meaning: 'mode of transport' },
  'manifest.transport.masterDocumentNumber': {
    meaning: "master document number: the consolidated waybill the manifest's parcels travel under",
  },
  ...placeMeanings('manifest.transport.placeOfLoading', 'the place of loading', true),
  ...placeMeanings('manifest.transport.placeOfUnloading', 'the place of unloading', true),
  'manifest.transport.conveyanceReference': {
    meaning: 'reference of the conveyance (flight, voyage, train or vehicle), as written; optional',
  },
  'manifest.parcelCount': { meaning: 'parcels in the manifest, this one included', unit: 'parcels' },
  'manifest.parcelsToConsignee': {
    meaning: "parcels in the manifest to this parcel's consignee (keyed by its phone), this one included",
    unit: 'parcels',
  },
  'manifest.parcelsToPhone': {
    meaning:
      "parcels in the manifest to this parcel's consignee phone, this one included (equals parcelsToConsignee: both are keyed on that phone)",
    unit: 'parcels',
  },
  'manifest.parcelsToAddress': {
    meaning:
      "parcels in the manifest to this parcel's consignee address (building-level), this one included; 1 when the address names no street",
    unit: 'parcels',
  },
  'manifest.consigneesOfShipper': {
    meaning:
      "distinct consignees (by phone) this parcel's shipper (by phone) sends to in the manifest, this one's included",
    unit: 'consignees',
  },
  'manifest.consigneeNamesOfPhone': {
    meaning:
      "distinct consignee names (folded as party keys fold them) on the manifest's parcels to this consignee phone, this one's included",
    unit: 'consignee names',
  },
  'manifest.weightToConsigneeKg': {
    meaning:
      "declared gross weight of the parcels in the manifest to this parcel's consignee (keyed by its phone), this one's included, added exactly",
    unit: 'kg',
  },
  'manifest.weightToPhoneKg': {
    meaning:
      "declared gross weight of the parcels in the manifest to this parcel's consignee phone, this one's included, added exactly (equals weightToConsigneeKg: both are keyed on that phone)",
    unit: 'kg',
  },
  'manifest.weightToAddressKg': {
    meaning:
      "declared gross weight of the parcels in the manifest to this parcel's consignee address (building-level), this one's included, added exactly; this parcel's own when the address names no street",
    unit: 'kg',
  },
  'manifest.splitShipment': {
    meaning:
      'true when another parcel of the manifest goes to the same consignee with a near-identical declared gross weight (within 50 g or 2 %)',
  },

  history: {
    meaning:
      "what this region's party history knows, computed before evaluation; it never holds this parcel's manifest (docs/parties-and-history.md)",
  },
  ...partySummaryMeanings(
    'consignee',
    {
      is: "the consignee, keyed by the consignee's phone whatever the name",
      name: 'this consignee',
    },
    { unit: 'shippers', what: 'distinct shippers (shipper phones)', shared: sharedFrom('consignee') },
  ),
  ...partySummaryMeanings(
    'shipper',
    {
      is: "the shipper, keyed by the shipper's phone whatever the name",
      name: 'this shipper',
    },
    {
      unit: 'consignees',
      what: 'distinct consignees (consignee phones)',
      shared: 'nothing from other regions (shipper indicators are not shared)',
    },
  ),
  ...partySummaryMeanings(
    'phone',
    {
      is: "the consignee's phone: a history apart from the consignee's, keyed on the same phone, whose counterparts are names",
      name: 'this phone',
    },
    { unit: 'consignee names', what: 'distinct consignee names (folded)', shared: sharedFrom('phone') },
  ),
  ...partySummaryMeanings(
    'address',
    {
      is: "the consignee's address, canonical and building-level (flats of one building are one address); all empty (known false) when it names no street",
      name: 'this address',
    },
    { unit: 'consignees', what: 'distinct consignees (consignee phones)', shared: sharedFrom('address') },
  ),
  ...partySummaryMeanings(
    'idDocument',
    {
      is: "the consignee's ID document (type and number); all empty (known false) when the parcel carries none",
      name: 'this ID document',
    },
    { unit: 'consignees', what: 'distinct consignees (consignee phones)', shared: sharedFrom('ID document') },
  ),
  'history.sharedSeizures': {
    meaning:
      "distinct parcels seized in other regions, ever up to today, under this parcel's consignee, consignee phone, address or ID document key, counted on days an agreement with that region covered that kind; this region's own seizures not included",
    unit: 'parcels',
  },

  parties: {
    meaning: "the parcel's salted party keys, never clear values: compare them with watchlists, in: { list }",
  },
  'parties.consignee': {
    meaning: 'key of the consignee: its phone, E.164 (holds: consignee watchlists hold phones)',
  },
  'parties.shipper': {
    meaning: 'key of the shipper: its phone, E.164 (holds: shipper watchlists hold phones)',
  },
  'parties.phone': { meaning: "key of the consignee's phone, E.164" },
  'parties.address': {
    meaning:
      "key of the consignee's address, canonical and building-level; missing when the address names no street",
  },
  'parties.idDocument': {
    meaning:
      "key of the consignee's ID document (type and number); missing when the parcel carries none, or one whose number has no letter or digit",
  },
  'parties.consigneeName': {
    meaning:
      "key of the consignee's normalized name; set on every parcel ingest keys now (missing only in a message queued before names were keyed)",
  },

  now: {
    meaning:
      'the evaluation time, injected: when screening evaluates the parcel (a case or explain: its now, by default 2026-06-01T08:00:00Z)',
  },
};

// --- Whether a fact can be missing ----------------------------------------------------------------

/** The fields of T that may be missing: optional (`?`) or nullable. */
type MayBeMissing<T> = {
  [K in keyof T]-?: undefined extends T[K] ? K : null extends T[K] ? K : never;
}[keyof T];
/** Exactly the fields of T that may be missing: the compiler says when T gains one or loses one. */
type MissingFields<T> = Readonly<Record<MayBeMissing<T>, true>>;

const ROOT_MISSING: MissingFields<ScreeningFacts> = {};
const MANIFEST_MISSING: MissingFields<ManifestContext & ManifestFacts> = { submittedAt: true };
/**
 * Facts every screening has now that decisions recorded before an update lack, by path, with the day of
 * the update: a backtest or a shadow run of such a decision reads them as missing (README.md, "Updating
 * a deployment whose screening messages have no `submittedAt`").
 */
const MISSING_ON_DECISIONS_BEFORE: Readonly<Record<string, string>> = {
  'manifest.submittedAt': '2026-12-01',
  'manifest.receivedAt': '2026-12-01',
  'manifest.consigneeNamesOfPhone': '2026-12-01',
  'manifest.weightToConsigneeKg': '2026-12-01',
  'manifest.weightToPhoneKg': '2026-12-01',
  'manifest.weightToAddressKg': '2026-12-01',
};
const HISTORY_MISSING: MissingFields<HistoryFacts> = {};
const PARTY_SUMMARY_MISSING: MissingFields<PartySummary> = {
  firstSeen: true,
  lastSeen: true,
  lastSeizureAt: true,
};
const PARTIES_MISSING: MissingFields<PartyKeys> = {
  address: true,
  idDocument: true,
  consigneeName: true,
};

type ZodDef = { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType; shape?: object };
const defOf = (schema: z.core.$ZodType): ZodDef => schema._zod.def as unknown as ZodDef;

/** Whether a zod field may be left out or null: `default` fills one in, so it is never missing. */
const zodMayBeMissing = (schema: z.core.$ZodType): boolean => {
  const def = defOf(schema);
  if (def.type === 'optional' || def.type === 'nullable') return true;
  if (def.type === 'readonly' && def.innerType !== undefined) return zodMayBeMissing(def.innerType);
  if (def.type === 'pipe' && def.in !== undefined) return zodMayBeMissing(def.in);
  return false;
};

/** The schema inside wrappers, and of a list's elements for the `[]` step. */
const zodStep = (schema: z.core.$ZodType, key: string): z.core.$ZodType | undefined => {
  let def = defOf(schema);
  while (def.innerType !== undefined || (def.type === 'pipe' && def.in !== undefined)) {
    def = defOf((def.innerType ?? def.in)!);
  }
  if (key === '[]') return def.type === 'array' ? (def as { element?: z.core.$ZodType }).element : undefined;
  const shape = def.shape as Record<string, z.core.$ZodType> | undefined;
  return shape !== undefined && Object.hasOwn(shape, key) ? shape[key] : undefined;
};

const zodFieldMayBeMissing = (root: z.core.$ZodType, keys: readonly string[]): boolean => {
  let schema: z.core.$ZodType | undefined = root;
  for (const key of keys) {
    schema = schema === undefined ? undefined : zodStep(schema, key);
  }
  if (schema === undefined) throw new Error(`fact catalogue: no schema at ${keys.join('.')}`);
  return zodMayBeMissing(schema);
};

/** Whether the field at `keys` (from a root, `[]` for a list's elements) may be missing on its own. */
const fieldMayBeMissing = (keys: readonly string[]): boolean => {
  const [root, ...rest] = keys;
  const last = keys.at(-1)!;
  if (last === '[]') return false;
  if (root === 'parcel') return rest.length > 0 && zodFieldMayBeMissing(ParcelSchema, rest);
  if (root === 'manifest' && rest[0] === 'transport' && rest.length > 1)
    return zodFieldMayBeMissing(TransportSchema, rest.slice(1));
  const table: Readonly<Record<string, true>> | undefined =
    keys.length === 1
      ? ROOT_MISSING
      : root === 'manifest' && keys.length === 2
        ? MANIFEST_MISSING
        : root === 'history' && keys.length === 2
          ? HISTORY_MISSING
          : root === 'history' && keys.length === 3
            ? PARTY_SUMMARY_MISSING
            : root === 'parties' && keys.length === 2
              ? PARTIES_MISSING
              : undefined;
  if (table === undefined) throw new Error(`fact catalogue: no fact type at ${keys.join('.')}`);
  return Object.hasOwn(table, last);
};

// --- The catalogue ----------------------------------------------------------------------------------

const pathOf = (keys: readonly string[]): string => keys.join('.').replaceAll('.[]', '[]');

/** Every fact path the loader resolves, with its type and whether it may be missing (no meanings). */
const walk = (
  type: FactType,
  keys: readonly string[],
  missingWith: string | undefined,
  into: Omit<FactEntry, 'meaning' | 'unit'>[],
): void => {
  const path = pathOf(keys);
  const own =
    keys.length > 0 && (fieldMayBeMissing(keys) || Object.hasOwn(MISSING_ON_DECISIONS_BEFORE, path));
  into.push({
    path,
    type: describeType(type),
    kind: type.kind,
    ...(type.kind === 'text' && type.values !== undefined ? { values: type.values } : {}),
    mayBeMissing: own || missingWith !== undefined,
    ...(!own && missingWith !== undefined ? { missingWith } : {}),
  });
  const under = own ? path : missingWith;
  if (type.kind === 'object') {
    for (const [key, field] of Object.entries(type.fields)) walk(field, [...keys, key], under, into);
  } else if (type.kind === 'list') walk(type.element, [...keys, '[]'], under, into);
};

const typedPaths = (): Omit<FactEntry, 'meaning' | 'unit'>[] => {
  const entries: Omit<FactEntry, 'meaning' | 'unit'>[] = [];
  for (const [root, type] of Object.entries(
    (SCREENING_FACTS_TYPE as { fields: Record<string, FactType> }).fields,
  ))
    walk(type, [root], undefined, entries);
  return entries;
};

/** Every fact path the loader knows, in the fact types' order (`[]` for a list's elements). */
export const knownFactPaths = (): string[] => typedPaths().map((entry) => entry.path);

/** The screening facts, each with its meaning (derived facts are a rule set's: derivedFactEntries). */
export const screeningFactEntries = (): FactEntry[] =>
  typedPaths().map((entry) => {
    // A fact without a meaning fails test/unit/rules/fact-catalogue.test.ts; the command still lists it.
    const meaning = (Object.hasOwn(FACT_MEANINGS, entry.path) ? FACT_MEANINGS[entry.path] : undefined) ?? {
      meaning: 'no meaning written yet (FACT_MEANINGS in functions/core/rules/fact-catalogue.ts)',
    };
    const before = Object.hasOwn(MISSING_ON_DECISIONS_BEFORE, entry.path)
      ? MISSING_ON_DECISIONS_BEFORE[entry.path]
      : undefined;
    return {
      ...entry,
      ...(meaning.unit === undefined ? {} : { unit: meaning.unit }),
      meaning:
        before === undefined
          ? meaning.meaning
          : `${meaning.meaning}; missing on a decision recorded before ${before} (a backtest or shadow run of one)`,
    };
  });

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

const PROVINCE_OF = (what: string, place: string): FactMeaning => ({
  meaning: `the province ${what} is in: the ISO 3166-2 code of the Chinese provincial-level division (CN-YN, CN-GX; the 34 include CN-TW, CN-HK, CN-MO), resolved from ${place}.region however it is written (Yunnan, 云南省, 雲南, CN-YN, 云南省德宏州), else from its city (a municipality such as 上海, or a full province name at its start); missing when its country is not CN or neither names a province (explain says why)`,
});

/**
 * The meaning of each `places.*` path (places-facts.ts): computed by the engine from the parcel, so a
 * case or a recorded decision never gives them. test/unit/rules/fact-catalogue.test.ts holds it to the
 * paths the loader resolves.
 */
export const PLACES_MEANINGS: Readonly<Meanings> = {
  [PLACES]: {
    meaning:
      "the provinces of the parcel's places, computed from the parcel's regions and cities (never written by a case)",
  },
  [`${PLACES}.origin`]: { meaning: "the route's origin" },
  [`${PLACES}.origin.province`]: PROVINCE_OF("the route's origin", 'parcel.route.origin'),
  [`${PLACES}.destination`]: { meaning: "the route's destination" },
  [`${PLACES}.destination.province`]: PROVINCE_OF("the route's destination", 'parcel.route.destination'),
  [`${PLACES}.shipper`]: { meaning: "the shipper's address" },
  [`${PLACES}.shipper.province`]: PROVINCE_OF("the shipper's address", 'parcel.shipper.address'),
  [`${PLACES}.consignee`]: { meaning: "the consignee's address" },
  [`${PLACES}.consignee.province`]: PROVINCE_OF("the consignee's address", 'parcel.consignee.address'),
  [`${PLACES}.route`]: { meaning: 'the provinces along the route: origin, via points, destination' },
  [`${PLACES}.route.provinces`]: {
    meaning:
      "distinct provinces resolved among the route's origin, via points and destination (points outside CN not counted); a lower bound when some point in CN is unresolved (places.route.unresolved), 0 when none resolves",
    unit: 'provinces',
  },
  [`${PLACES}.route.unresolved`]: {
    meaning: 'route points in CN (origin, via points, destination) whose province could not be resolved',
    unit: 'route points',
  },
  [`${PLACES}.route.provinceNames`]: {
    meaning:
      "for reasons: the route's provinces by English name in route order, one in a row shown once, an unresolved point in CN as ? (Yunnan → ? → Guangxi); missing when no point of the route is in CN",
  },
};

/** The `places.*` paths that may be missing: a province, and the names of a route with no point in CN. */
const PLACES_MAY_BE_MISSING = /(\.province|\.provinceNames)$/;

/** The places facts (`places.*`), each with its meaning, in the fact type's order. */
export const placesFactEntries = (): FactEntry[] => {
  const entries: FactEntry[] = [];
  const visit = (type: FactType, path: string): void => {
    const meaning = (Object.hasOwn(PLACES_MEANINGS, path) ? PLACES_MEANINGS[path] : undefined) ?? {
      meaning: 'no meaning written yet (PLACES_MEANINGS in functions/core/rules/fact-catalogue.ts)',
    };
    entries.push({
      path,
      type:
        type.kind === 'text' && type.values !== undefined ? 'an ISO 3166-2 code (CN-YN)' : describeType(type),
      kind: type.kind,
      ...(type.kind === 'text' && type.values !== undefined ? { values: type.values } : {}),
      ...(meaning.unit === undefined ? {} : { unit: meaning.unit }),
      mayBeMissing: PLACES_MAY_BE_MISSING.test(path),
      meaning: meaning.meaning,
    });
    if (type.kind === 'object')
      for (const [key, field] of Object.entries(type.fields)) visit(field, `${path}.${key}`);
  };
  visit(PLACES_TYPE, PLACES);
  return entries;
};

/**
 * A rule set's derived facts, from their own `description` and `unit`: a derived fact is missing when a
 * fact it needs is (explain names which), so each may be.
 */
export const derivedFactEntries = (document: Pick<RuleSetDocument, 'derived'>): FactEntry[] =>
  Object.entries(document.derived).map(([name, derived]) => ({
    path: `derived.${name}`,
    type: 'number',
    kind: 'number',
    ...(derived.unit === undefined ? {} : { unit: derived.unit }),
    mayBeMissing: true,
    meaning: oneLine(derived.description),
  }));

/** One list of a rule set, as `facts` shows it: what `in: { list }` and friends compare with. */
export interface ListEntry {
  name: string;
  version: number;
  holds?: string;
  expires?: string;
  meaning: string;
}

export const listEntries = (lists: readonly ListDocument[]): ListEntry[] =>
  lists.map((list) => ({
    name: list.name,
    version: list.version,
    ...(list.holds === undefined ? {} : { holds: list.holds }),
    ...(list.expires === undefined ? {} : { expires: list.expires }),
    meaning: oneLine(list.description),
  }));

/** A path's steps with list indexes dropped: `parcel.goods[0].hsCode`, `parcel.goods[].hsCode`, `parcel.goods.hsCode` are one. */
const stepsOf = (path: string): string[] => path.replace(/\[\d*\]/g, '').split('.');

/**
 * The entries at or under `prefix` (whole steps: `history.address` is not `history.addressee`), or why
 * there are none, as the loader says it of an unknown fact, with the one close name (did-you-mean.ts).
 */
export const factsUnder = (
  entries: readonly FactEntry[],
  prefix: string,
): { entries: FactEntry[] } | { error: string } => {
  const wanted = stepsOf(prefix);
  const steps = entries.map((entry) => ({ entry, steps: stepsOf(entry.path) }));
  const under = (candidate: readonly string[], length: number) =>
    steps.filter(({ steps: own }) => own.length >= length && candidate.every((step, i) => own[i] === step));
  const found = under(wanted, wanted.length);
  if (found.length > 0) return { entries: found.map(({ entry }) => entry) };
  let known = 0;
  while (known < wanted.length && under(wanted.slice(0, known + 1), known + 1).length > 0) known += 1;
  const walked = wanted.slice(0, known);
  const children = [
    ...new Set(
      under(walked, known + 1)
        .filter(({ steps: own }) => own.length > known)
        .map(({ steps: own }) => own[known]!),
    ),
  ];
  const step = wanted[known]!;
  if (known === 0) {
    const meant = didYouMean(step, children, (root) => [root, ...wanted.slice(1)].join('.'));
    return { error: `unknown fact ${prefix}: a path starts with ${children.join(', ')}${meant}` };
  }
  const at = walked.join('.');
  if (children.length === 0) {
    const type = steps.find(({ steps: own }) => own.length === known && own.join('.') === at)!.entry.type;
    return { error: `unknown fact ${prefix}: ${at} is ${type}, it has no field ${step}` };
  }
  const meant = didYouMean(step, children, (child) => `${at}.${child}`);
  return { error: `unknown fact ${prefix}; ${at} has ${children.join(', ')}${meant}` };
};
