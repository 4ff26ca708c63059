import {
  type Address,
  type IdDocument,
  MANIFEST_LIMITS,
  ParcelSchema,
} from '../../../../events/manifest-v1.js';
import { keyedAddress } from '../../parties/address.js';
import { keyedIdDocument } from '../../parties/id-document.js';
import {
  emptyPartySummary,
  HISTORY_PARTIES,
  type HistoryParty,
  type PartySummary,
  type ScreeningFacts,
} from '../../screening/facts.js';
import type { DeclaredTally } from '../../screening/tallies.js';
import { oneLine } from '../errors.js';
import { parseInstant } from '../instants.js';
import { addDecimal, mulDecimal, subDecimal } from '../numeric.js';

/**
 * Facts screening can give, beyond their shape: how the facts of one parcel relate to each other in
 * every ScreeningFacts screening builds (core/screening/build-facts.ts), derived from the code that
 * computes them. The rule tools refuse a case's facts (and `explain`'s input) that break one, naming
 * the path, and fill the facts a case leaves out so that they follow what it writes (followWritten).
 *
 * History, per party (consignee, shipper, phone, address, idDocument): summarizeParty and historyFactsOf
 * in core/parties/history-model.ts, over what both stores keep (their `record` sets a profile's
 * firstSeen and lastSeen together, as the min and max of its observations; a day bucket counts a parcel
 * once, with its flag, its linked keys and its origin, in one write):
 *   H1 `known` is true exactly when `firstSeen` is set (`known: firstSeen !== null`).
 *   H2 `lastSeen` is set exactly when `firstSeen` is (a profile's lastSeen ≤ now implies its firstSeen
 *      ≤ now; the fallback lastSeen is null only when firstSeen is).
 *   H3 firstSeen ≤ lastSeen, and firstSeen, lastSeen and lastSeizureAt ≤ now (times after `now` are
 *      left out; the fallback lastSeen is the end of a day before now's).
 *   H4 parcels7d ≤ parcels30d ≤ parcels90d (sums of the same day buckets over nested windows).
 *   H5 flags, distinctCounterparts, distinctOrigins ≤ parcels90d (a counted parcel brings at most one
 *      flag, one counterpart of the party's COUNTERPART_KIND and one origin, in the 90-day buckets).
 *   H6 seizures ≤ inspections (both from the same outcomes; isInspection('seized') is true).
 *   H7 lastSeizureAt is set exactly when seizures > 0 (`seizures.at(-1) ?? null`).
 *   H8 sharedDistinctCounterparts ≥ distinctCounterparts (the region's own counterparts are part of
 *      it), and ≥ 1 when the parcel carries the party's counterpart (historyFactsOf's `current`:
 *      counterpartOnParcel; derivePartyKeys always gives the consignee's name).
 *   H9 without a consignee ID document on the parcel (or with one whose number has no letter or
 *      digit), `history.idDocument` is the empty summary, and so is `history.address` when the
 *      consignee address names no street (derivePartyKeys gives no key; historyFactsOf:
 *      emptyPartySummary()). The facts a case leaves out follow: such a party is the empty one.
 * Manifest: computeManifestFacts (core/screening/manifest-facts.ts), over the parcels of one manifest
 * (ManifestSchema: 1 to MANIFEST_LIMITS.maxParcels), with keys from derivePartyKeys:
 *   M1 1 ≤ parcelCount ≤ MANIFEST_LIMITS.maxParcels.
 *   M2 1 ≤ parcelsToConsignee, parcelsToPhone, parcelsToAddress, consigneesOfShipper,
 *      consigneeNamesOfPhone ≤ parcelCount (each counts this parcel among the manifest's).
 *   M3 parcelsToPhone = parcelsToConsignee (both keys hash the consignee's phone).
 *   M4 consigneesOfShipper ≤ parcelCount − parcelsToConsignee + 1 (each other consignee of the shipper
 *      has a parcel of its own).
 *   M5 splitShipment ⇒ parcelsToConsignee ≥ 2 (another parcel to this consignee).
 *   M6 consigneeNamesOfPhone ≤ parcelsToPhone (each name is on a parcel to the phone).
 *   M7 weightToPhoneKg = weightToConsigneeKg (the same parcels, as M3, added in the same order).
 *   M8 weightToConsigneeKg, weightToPhoneKg, weightToAddressKg are this parcel's declared gross weight
 *      when their count (parcelsToConsignee, parcelsToPhone, parcelsToAddress) is 1, and more when it is
 *      2 or more: every other parcel declares at least 0.000001 kg (ParcelSchema), and adding one to a
 *      sum, rounded to 6 decimals (addDecimal), never gives less than the sum.
 *   M9 each weight ≤ this parcel's declared gross weight + (its count − 1) × 50,000 (the contract's
 *      largest declared gross weight of a parcel, which each other parcel declares at most); ≤ its
 *      count × 50,000 when this parcel's weight is not known.
 *
 * Tallies, per party (tallyInvariantProblems; the same day buckets, marked by the write that counts the
 * parcel, history-model.ts):
 *   T1 a tally over `days` ≤ the parcels over the window that holds it (7, 30 or 90 days, the smallest
 *      not shorter); a distinct tally too, each key having come with a parcel. Both are counts.
 *   T2 a sum tally (`sum`) is any number (amounts have decimals, and a sum expression may give a
 *      negative one), not bounded by the parcels; but one other than 0 has a parcel behind it, so the
 *      parcels over the window that holds it are at least 1.
 *
 * Not enforced, as screening can read them while a recording is under way or after one failed (party
 * history is written after the decision, item by item, and retried; outcomes may be recorded for a
 * parcel whose observation is not): a known:false party with parcels (observed later on now's day),
 * parcels counted before firstSeen, a seizure before firstSeen or on a party not known, and any
 * relation between two parties (consignee and phone are keyed on the same phone, but kept apart).
 * Instants that are not ISO 8601 text are left to the rules, which read them as missing.
 * test/unit/rules/fact-invariants.test.ts holds facts built by that code (sample and generated
 * manifests, the history store after generated parcels, outcomes and corrections) to these relations.
 */

type Fields = Record<string, unknown>;
type Written = (field: string) => boolean;

/** The counterpart of each party that the parcel itself carries (counterpart-kind.ts counterpartOnParcel). */
const OWN_COUNTERPART: Readonly<Record<HistoryParty, string>> = {
  consignee: 'its shipper',
  shipper: 'its consignee',
  phone: "the consignee's name",
  address: 'its consignee',
  idDocument: 'its consignee',
};

const WINDOWS = ['parcels7d', 'parcels30d', 'parcels90d'] as const;
/** Counted with a parcel of the 90-day buckets (H5). */
const WITH_A_PARCEL = ['flags', 'distinctCounterparts', 'distinctOrigins'] as const;
const MANIFEST_COUNTS = [
  'parcelsToConsignee',
  'parcelsToPhone',
  'parcelsToAddress',
  'consigneesOfShipper',
  'consigneeNamesOfPhone',
];

/** Each manifest weight with the count of the parcels it weighs (M8, M9). */
const MANIFEST_WEIGHTS = [
  ['weightToConsigneeKg', 'parcelsToConsignee'],
  ['weightToPhoneKg', 'parcelsToPhone'],
  ['weightToAddressKg', 'parcelsToAddress'],
] as const;
/** The largest declared gross weight the contract takes for one parcel (M9). */
const MAX_PARCEL_KG = ParcelSchema.shape.declaredGrossWeightKg.maxValue ?? Number.POSITIVE_INFINITY;

const isObject = (value: unknown): value is Fields =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isSet = (value: unknown): boolean => value !== null && value !== undefined;
/** A count as screening gives one, a whole number not below 0; anything else is the shape check's to tell. */
const countOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
/** A weight as a number; anything else is the shape check's to tell. */
const kgOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
/** This parcel's declared gross weight, as the contract takes one (above 0); else undefined. */
const ownKgOf = (parcel: unknown): number | undefined => {
  const kg = isObject(parcel) ? kgOf(parcel.declaredGrossWeightKg) : undefined;
  return kg !== undefined && kg > 0 ? kg : undefined;
};
/**
 * The most the parcels of a manifest weight can weigh (M9): this parcel's declared gross weight and
 * 50,000 kg each other parcel; 50,000 kg each when this parcel's weight is not known (`ownKg` undefined).
 */
const mostKg = (parcels: number, ownKg: number | undefined): number =>
  ownKg === undefined ? parcels * MAX_PARCEL_KG : addDecimal(ownKg, (parcels - 1) * MAX_PARCEL_KG);
/** Whether a manifest weight agrees with the count of its parcels and this parcel's weight (M8, M9). */
const weightAgrees = (kg: number, parcels: number, ownKg: number): boolean =>
  parcels === 1 ? kg === ownKg : kg > ownKg && kg <= mostKg(parcels, ownKg);

/** a < b, both instants; false when either is not one (or null). */
const before = (a: unknown, b: unknown): boolean => {
  const x = parseInstant(a);
  const y = parseInstant(b);
  return x !== undefined && y !== undefined && x < y;
};

/** Whether the analyst wrote the field at `path` of `patch` (`null` included: it removes the field). */
const wroteAt = (patch: unknown, path: readonly string[]): boolean => {
  let current = patch;
  for (const key of path) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return false;
    current = current[key];
  }
  return current !== undefined;
};

const isTextFields = (value: unknown, fields: readonly string[]): boolean =>
  isObject(value) && fields.every((field) => typeof value[field] === 'string');

/**
 * Whether the parcel carries a consignee ID document that derivePartyKeys keys (one whose number has a
 * letter or digit), which history follows. One of the wrong shape is the shape check's to tell.
 */
const carriesIdDocument = (parcel: unknown): boolean => {
  const document = isObject(parcel) && isObject(parcel.consignee) ? parcel.consignee.idDocument : undefined;
  if (!document) return false;
  return !isTextFields(document, ['type', 'number']) || keyedIdDocument(document as IdDocument) !== undefined;
};

/** Whether derivePartyKeys keys the consignee address (it names a street); one of the wrong shape is left to the shape check. */
const carriesAddressKey = (parcel: unknown): boolean => {
  const address = isObject(parcel) && isObject(parcel.consignee) ? parcel.consignee.address : undefined;
  return (
    !isTextFields(address, ['country', 'region', 'city', 'line']) ||
    keyedAddress(address as Address) !== undefined
  );
};

/** Whether the parcel gives the party a key, and so a history (H9): every parcel has the others. */
const keyedOnParcel = (party: HistoryParty, parcel: unknown): boolean =>
  party === 'idDocument' ? carriesIdDocument(parcel) : party === 'address' ? carriesAddressKey(parcel) : true;

/** Why the parcel gives the party no key, so that screening gives the empty history (H9); undefined when it gives one. */
const noKeyReason = (party: HistoryParty, parcel: unknown): string | undefined => {
  if (keyedOnParcel(party, parcel)) return undefined;
  if (party === 'address')
    return 'the consignee address names no street: screening gives an empty address history without an address key (write a street in parcel.consignee.address.line)';
  const consignee = isObject(parcel) && isObject(parcel.consignee) ? parcel.consignee : {};
  return consignee.idDocument
    ? 'the consignee ID document number has no letter or digit: screening gives an empty idDocument history without an ID document key (write a number in parcel.consignee.idDocument.number)'
    : 'the parcel carries no consignee ID document: screening gives an empty idDocument history without one (write parcel.consignee.idDocument)';
};

const carriesOwnCounterpart = (party: HistoryParty, parcel: unknown): boolean => keyedOnParcel(party, parcel);

/** What screening gives for a party it has never seen, with this parcel's own counterpart counted. */
const unseenParty = (ownCounterpart: boolean): PartySummary => ({
  ...emptyPartySummary(),
  sharedDistinctCounterparts: ownCounterpart ? 1 : 0,
});

/**
 * One party's history with the fields the analyst left out made to agree with those written (written
 * ones are never changed; where written ones disagree, the check names them):
 * - `known` follows a written firstSeen or lastSeen; when it differs from the base party's, every field
 *   left out comes from the party screening gives then: `knownParty` (the case baseline's) or a party
 *   never seen (nothing on record, this parcel's counterpart counted);
 * - a known party's firstSeen and lastSeen keep firstSeen ≤ lastSeen ≤ now (an unknown party has none);
 * - seizures follow lastSeizureAt (0 for null, at least 1 for a time) and written inspections,
 *   lastSeizureAt follows seizures 0 (null) and now, inspections are at least the seizures; a seizure's
 *   time is never made up: seizures written without it stay refused;
 * - the 7-, 30- and 90-day parcels keep their order around the written ones, flags, counterparts and
 *   origins stay within the 90-day parcels, and the shared counterparts count the region's own and
 *   this parcel's.
 */
const followParty = (
  base: Fields,
  merged: Fields,
  written: Written,
  now: unknown,
  ownCounterpart: boolean,
  knownParty: PartySummary,
): Fields => {
  const party: Fields = { ...merged };
  const left = (field: string) => !written(field);
  const known = written('known')
    ? party.known
    : written('firstSeen')
      ? isSet(party.firstSeen)
      : written('lastSeen')
        ? isSet(party.lastSeen)
        : base.known;
  if (typeof known === 'boolean' && known !== base.known) {
    const template: Fields = { ...(known ? knownParty : unseenParty(ownCounterpart)) };
    for (const [field, value] of Object.entries(template)) if (left(field)) party[field] = value;
  }

  if (party.known === false) {
    if (left('firstSeen')) party.firstSeen = null;
    if (left('lastSeen')) party.lastSeen = null;
  } else if (party.known === true) {
    if (left('lastSeen')) {
      let lastSeen = isSet(party.lastSeen) ? party.lastSeen : party.firstSeen;
      if (before(lastSeen, party.firstSeen)) lastSeen = party.firstSeen;
      if (before(now, lastSeen)) lastSeen = now;
      party.lastSeen = lastSeen;
    }
    if (left('firstSeen')) {
      let firstSeen = isSet(party.firstSeen) ? party.firstSeen : party.lastSeen;
      if (before(party.lastSeen, firstSeen)) firstSeen = party.lastSeen;
      if (before(now, firstSeen)) firstSeen = now;
      party.firstSeen = firstSeen;
    }
  }

  if (left('seizures') && written('lastSeizureAt'))
    party.seizures = isSet(party.lastSeizureAt) ? Math.max(countOf(party.seizures) ?? 0, 1) : 0;
  const inspections = countOf(party.inspections);
  if (left('seizures') && written('inspections') && inspections !== undefined)
    party.seizures = Math.min(countOf(party.seizures) ?? 0, inspections);
  if (left('lastSeizureAt')) {
    if (party.seizures === 0) party.lastSeizureAt = null;
    else if (before(now, party.lastSeizureAt)) party.lastSeizureAt = now;
  }
  if (left('inspections') && inspections !== undefined)
    party.inspections = Math.max(inspections, countOf(party.seizures) ?? 0);

  WINDOWS.forEach((field, i) => {
    const value = countOf(party[field]);
    if (!left(field) || value === undefined) return;
    const floors = [...WINDOWS.slice(0, i), ...(i === 2 ? WITH_A_PARCEL.filter(written) : [])].map(
      (smaller) => countOf(party[smaller]) ?? 0,
    );
    const ceilings = WINDOWS.slice(i + 1)
      .filter(written)
      .flatMap((larger) => countOf(party[larger]) ?? []);
    party[field] = Math.max(Math.min(value, ...ceilings), ...floors);
  });
  const parcels90d = countOf(party.parcels90d);
  for (const field of WITH_A_PARCEL) {
    const value = countOf(party[field]);
    if (left(field) && value !== undefined && parcels90d !== undefined)
      party[field] = Math.min(value, parcels90d);
  }
  const shared = countOf(party.sharedDistinctCounterparts);
  const own = countOf(party.distinctCounterparts);
  if (left('distinctCounterparts') && written('sharedDistinctCounterparts') && own !== undefined)
    party.distinctCounterparts = Math.min(own, shared ?? own);
  if (left('sharedDistinctCounterparts') && shared !== undefined)
    party.sharedDistinctCounterparts = Math.max(
      shared,
      countOf(party.distinctCounterparts) ?? 0,
      ownCounterpart ? 1 : 0,
    );
  return party;
};

/**
 * The manifest facts with those left out made to agree with those written: parcelsToPhone and
 * parcelsToConsignee follow each other, a split shipment counts 2 parcels to the consignee, the parcel
 * count holds every count, the counts stay between 1 and it, and splitShipment is false with one parcel
 * to the consignee. The weights to the consignee and to its phone follow each other, a weight written
 * above this parcel's makes parcels enough to weigh it, and a weight left out that disagrees with its
 * count and this parcel's weight (`ownKg`), or follows one written (`ownWritten`), weighs its parcels as
 * this one: this parcel's weight for one, times the count for more.
 */
const followManifest = (
  merged: Fields,
  written: Written,
  ownKg: number | undefined,
  ownWritten: boolean,
): Fields => {
  const manifest: Fields = { ...merged };
  const left = (field: string) => !written(field);
  const count = (field: string) => countOf(manifest[field]);
  if (left('parcelsToPhone') && written('parcelsToConsignee'))
    manifest.parcelsToPhone = manifest.parcelsToConsignee;
  if (left('parcelsToConsignee') && written('parcelsToPhone'))
    manifest.parcelsToConsignee = manifest.parcelsToPhone;
  if (left('weightToPhoneKg') && written('weightToConsigneeKg'))
    manifest.weightToPhoneKg = manifest.weightToConsigneeKg;
  if (left('weightToConsigneeKg') && written('weightToPhoneKg'))
    manifest.weightToConsigneeKg = manifest.weightToPhoneKg;
  // A weight written above this parcel's is another parcel at least, each other one 50,000 kg at most.
  const weighing = (field: string): number => {
    const kg = kgOf(manifest[field]);
    if (left(field) || kg === undefined || ownKg === undefined || kg <= ownKg) return 0;
    return 1 + Math.ceil(subDecimal(kg, ownKg) / MAX_PARCEL_KG);
  };
  // A split shipment is 2 parcels to the consignee at least, and names at the phone are on as many.
  const least = Math.max(
    manifest.splitShipment === true ? 2 : 0,
    count('consigneeNamesOfPhone') ?? 0,
    weighing('weightToConsigneeKg'),
    weighing('weightToPhoneKg'),
  );
  if (least > 0 && left('parcelsToConsignee') && left('parcelsToPhone')) {
    for (const field of ['parcelsToConsignee', 'parcelsToPhone'])
      manifest[field] = Math.max(count(field) ?? least, least);
  }
  const toAddress = weighing('weightToAddressKg');
  if (toAddress > 0 && left('parcelsToAddress'))
    manifest.parcelsToAddress = Math.max(count('parcelsToAddress') ?? toAddress, toAddress);
  const counts = MANIFEST_COUNTS.map(count);
  const toConsignee = count('parcelsToConsignee');
  const consignees = count('consigneesOfShipper');
  if (left('parcelCount') && counts.every((value) => value !== undefined)) {
    manifest.parcelCount = Math.max(
      count('parcelCount') ?? 1,
      ...(counts as number[]),
      consignees! + toConsignee! - 1,
    );
  }
  const parcelCount = count('parcelCount');
  if (parcelCount === undefined) return manifest;
  for (const field of MANIFEST_COUNTS) {
    const value = count(field);
    if (left(field) && value !== undefined) manifest[field] = Math.max(1, Math.min(value, parcelCount));
  }
  const shipperConsignees = count('consigneesOfShipper');
  const toConsigneeNow = count('parcelsToConsignee');
  if (left('consigneesOfShipper') && shipperConsignees !== undefined && toConsigneeNow !== undefined)
    manifest.consigneesOfShipper = Math.max(1, Math.min(shipperConsignees, parcelCount - toConsigneeNow + 1));
  if (left('splitShipment') && (count('parcelsToConsignee') ?? 0) < 2) manifest.splitShipment = false;
  if (ownKg !== undefined) {
    followWeights(
      manifest,
      merged,
      written,
      ownKg,
      ownWritten,
      ['weightToConsigneeKg', 'weightToPhoneKg'],
      ['parcelsToConsignee', 'parcelsToPhone'],
    );
    followWeights(manifest, merged, written, ownKg, ownWritten, ['weightToAddressKg'], ['parcelsToAddress']);
  }
  return manifest;
};

/**
 * Weights left out (`weights`, none of them written) made those of as many parcels as their count
 * (`counts`, the first one's) weighing this parcel's `ownKg`, when what they follow is written or
 * changed (this parcel's weight, a count) or when they disagree with it (M8, M9); else kept, so that
 * facts screening computed stay as they are.
 */
const followWeights = (
  manifest: Fields,
  merged: Fields,
  written: Written,
  ownKg: number,
  ownWritten: boolean,
  weights: readonly string[],
  counts: readonly string[],
): void => {
  const parcels = countOf(manifest[counts[0]!]);
  if (weights.some(written) || parcels === undefined || parcels < 1) return;
  const kg = kgOf(manifest[weights[0]!]);
  const keep =
    !ownWritten &&
    !counts.some(written) &&
    counts.every((field) => manifest[field] === merged[field]) &&
    kg !== undefined &&
    weightAgrees(kg, parcels, ownKg) &&
    weights.every((field) => manifest[field] === kg);
  if (keep) return;
  const weight = parcels === 1 ? ownKg : mulDecimal(ownKg, parcels);
  for (const field of weights) manifest[field] = weight;
};

/** A party's merged history with every field the case did not write made the empty summary's. */
const unwrittenEmpty = (merged: unknown, written: Written): unknown => {
  if (!isObject(merged)) return merged;
  const party: Fields = { ...merged };
  for (const [field, value] of Object.entries(emptyPartySummary())) if (!written(field)) party[field] = value;
  return party;
};

/**
 * `merged` (partial facts `patch` merged over `base`) with the history and manifest facts the patch
 * leaves out made to agree with what it writes and with the parcel (see followParty, followManifest):
 * the baseline follows the case, so a case writes only what differs. `knownParty` is the history of a
 * known party the case baseline gives.
 */
export const followWritten = (
  base: ScreeningFacts,
  patch: unknown,
  merged: ScreeningFacts,
  knownParty: PartySummary,
): ScreeningFacts => {
  const facts: Fields = { ...merged };
  const baseHistory: unknown = base.history;
  if (isObject(facts.history) && isObject(baseHistory)) {
    const history: Fields = { ...facts.history };
    for (const party of HISTORY_PARTIES) {
      const written = (field: string) => wroteAt(patch, ['history', party, field]);
      const keyed = keyedOnParcel(party, facts.parcel);
      // A party the parcel gives no key is the empty one, but for what the case writes (H9 tells that).
      const mergedParty = keyed ? history[party] : unwrittenEmpty(history[party], written);
      const baseParty = keyed ? baseHistory[party] : { ...emptyPartySummary() };
      if (!isObject(mergedParty) || !isObject(baseParty)) continue;
      history[party] = followParty(
        baseParty,
        mergedParty,
        written,
        facts.now,
        carriesOwnCounterpart(party, facts.parcel),
        knownParty,
      );
    }
    facts.history = history;
  }
  if (isObject(facts.manifest))
    facts.manifest = followManifest(
      facts.manifest,
      (field) => wroteAt(patch, ['manifest', field]),
      ownKgOf(facts.parcel),
      wroteAt(patch, ['parcel', 'declaredGrossWeightKg']),
    );
  return facts as unknown as ScreeningFacts;
};

interface Problem {
  path: string;
  line: string;
  /** How many of the facts it relates the analyst wrote: of two problems at one path, the one naming more is told. */
  written: number;
}

const shown = (value: unknown): string => JSON.stringify(value ?? null);

/**
 * Adds to `problems` a relation between fields `a` and `b` of `group` that does not hold (`why`): told at
 * `a` unless only `b` is written.
 */
const pairOf =
  (group: string, values: Fields, written: Written, problems: Problem[]) =>
  (a: string, b: string, why: string): void => {
    const [at, other] = written(a) || !written(b) ? [a, b] : [b, a];
    problems.push({
      path: `${group}.${at}`,
      line: `${group}.${at}: ${shown(values[at])}, but ${other} is ${shown(values[other])}: ${why}`,
      written: Number(written(a)) + Number(written(b)),
    });
  };

/** The problems of one party's history (H1–H9). `parcel` undefined: the parcel is not known (an overlay). */
const partyProblems = (
  party: HistoryParty,
  values: Fields,
  written: Written,
  now: unknown,
  nowWritten: boolean,
  parcel: { value: unknown } | undefined,
): Problem[] => {
  const group = `history.${party}`;
  const problems: Problem[] = [];
  const pair = pairOf(group, values, written, problems);
  const count = (field: string) => countOf(values[field]) ?? 0;

  const noKey = parcel === undefined ? undefined : noKeyReason(party, parcel.value);
  if (noKey !== undefined) {
    const empty: Fields = { ...emptyPartySummary() };
    for (const [field, value] of Object.entries(empty)) {
      // Tallies are by id: a party without a key has none but zeros.
      const same =
        field === 'tallies'
          ? Object.values((values[field] ?? {}) as Fields).every((count) => count === 0)
          : (values[field] ?? null) === value;
      if (written(field) && !same) {
        // Of the tallies, those above 0 (the zeros, left out or written, are what screening gives).
        const told =
          field === 'tallies'
            ? Object.fromEntries(Object.entries(values[field] as Fields).filter(([, count]) => count !== 0))
            : values[field];
        problems.push({
          path: `${group}.${field}`,
          line: `${group}.${field}: ${shown(told)}, but ${noKey}`,
          written: 1,
        });
      }
    }
  }
  if ((values.known === true) !== isSet(values.firstSeen))
    pair('firstSeen', 'known', 'screening knows a party exactly when it has a first-seen time');
  if (isSet(values.lastSeen) !== isSet(values.firstSeen))
    pair('lastSeen', 'firstSeen', 'screening gives lastSeen exactly when it gives firstSeen');
  for (const field of ['firstSeen', 'lastSeen', 'lastSeizureAt']) {
    if (!before(now, values[field])) continue;
    const at = written(field) || !nowWritten ? `${group}.${field}` : 'now';
    const [value, other, otherValue] =
      at === 'now' ? [now, `${group}.${field}`, values[field]] : [values[field], 'now', now];
    problems.push({
      path: at,
      line: `${at}: ${shown(value)}, but ${other} is ${shown(otherValue)}: screening leaves out what is recorded after now`,
      written: Number(written(field)) + Number(nowWritten),
    });
  }
  if (before(values.lastSeen, values.firstSeen))
    pair('lastSeen', 'firstSeen', 'a party is last seen no earlier than it is first seen');
  for (const [smaller, larger] of [
    ['parcels7d', 'parcels30d'],
    ['parcels30d', 'parcels90d'],
    ['parcels7d', 'parcels90d'],
  ] as const) {
    if (count(smaller) > count(larger))
      pair(
        larger,
        smaller,
        'the 90 days hold the 30 and the 30 days the 7, so parcels7d ≤ parcels30d ≤ parcels90d',
      );
  }
  for (const field of WITH_A_PARCEL) {
    if (count(field) > count('parcels90d'))
      pair(
        field,
        'parcels90d',
        'screening counts flags, counterparts and origins of the parcels of the 90 days',
      );
  }
  if (count('seizures') > count('inspections'))
    pair('seizures', 'inspections', 'every seizure is an inspection');
  if (count('seizures') > 0 !== isSet(values.lastSeizureAt)) {
    // A seizure's time with no inspections written: the seizures left out stay 0 (H6), so the written
    // inspections are what the time disagrees with.
    const noInspection =
      isSet(values.lastSeizureAt) &&
      !written('seizures') &&
      written('inspections') &&
      count('inspections') === 0;
    if (noInspection)
      problems.push({
        path: `${group}.lastSeizureAt`,
        line: `${group}.lastSeizureAt: ${shown(values.lastSeizureAt)}, but inspections is 0: a seizure is an inspection, and screening gives the time of the last seizure only after one`,
        written: 2,
      });
    else
      pair(
        'lastSeizureAt',
        'seizures',
        'screening gives the time of the last seizure exactly when seizures is above 0',
      );
  }
  if (count('distinctCounterparts') > count('sharedDistinctCounterparts'))
    pair(
      'sharedDistinctCounterparts',
      'distinctCounterparts',
      "the shared count includes this region's own counterparts",
    );
  const ownCounterpart =
    parcel === undefined ? party !== 'idDocument' : carriesOwnCounterpart(party, parcel.value);
  if (ownCounterpart && count('sharedDistinctCounterparts') < 1)
    problems.push({
      path: `${group}.sharedDistinctCounterparts`,
      line: `${group}.sharedDistinctCounterparts: ${shown(values.sharedDistinctCounterparts)}, but screening counts ${OWN_COUNTERPART[party]} on this parcel, so at least 1`,
      written: Number(written('sharedDistinctCounterparts')),
    });
  return problems;
};

/**
 * The problems of the manifest-level facts (M1–M9). `parcel` undefined: the parcel is not known (an
 * overlay), so the weights are not held to its weight (M8).
 */
const manifestProblems = (
  values: Fields,
  written: Written,
  parcel: { value: unknown; weightWritten: boolean } | undefined,
): Problem[] => {
  const problems: Problem[] = [];
  const count = (field: string) => countOf(values[field]) ?? 0;
  const pair = pairOf('manifest', values, written, problems);
  const parcelCount = count('parcelCount');
  // A parcelCount left out is filled to hold the counts written: too many is then the largest of those.
  const pushedBy = written('parcelCount')
    ? undefined
    : MANIFEST_COUNTS.filter(written).sort((a, b) => count(b) - count(a))[0];
  if (parcelCount > MANIFEST_LIMITS.maxParcels && pushedBy !== undefined)
    problems.push({
      path: `manifest.${pushedBy}`,
      line: `manifest.${pushedBy}: ${shown(values[pushedBy])}, but then the manifest holds ${parcelCount} parcels, and a manifest holds 1 to ${MANIFEST_LIMITS.maxParcels}`,
      written: 1,
    });
  else if (parcelCount < 1 || parcelCount > MANIFEST_LIMITS.maxParcels)
    problems.push({
      path: 'manifest.parcelCount',
      line: `manifest.parcelCount: ${shown(values.parcelCount)}, but a manifest holds 1 to ${MANIFEST_LIMITS.maxParcels} parcels, this one among them`,
      written: Number(written('parcelCount')),
    });
  if (values.splitShipment === true && count('parcelsToConsignee') < 2)
    pair(
      'splitShipment',
      'parcelsToConsignee',
      'a split shipment is another parcel to this consignee, so at least 2',
    );
  if (count('consigneeNamesOfPhone') > count('parcelsToPhone'))
    pair(
      'consigneeNamesOfPhone',
      'parcelsToPhone',
      'each name is on a parcel to the phone, so at most parcelsToPhone',
    );
  if (count('parcelsToPhone') !== count('parcelsToConsignee'))
    pair(
      'parcelsToPhone',
      'parcelsToConsignee',
      "screening keys the consignee on the consignee's phone, so both count the same parcels",
    );
  for (const field of MANIFEST_COUNTS) {
    if (count(field) < 1)
      problems.push({
        path: `manifest.${field}`,
        line: `manifest.${field}: ${shown(values[field])}, but screening counts this parcel, so at least 1`,
        written: Number(written(field)),
      });
    else if (count(field) > parcelCount)
      pair(field, 'parcelCount', "screening counts the manifest's parcels, so at most parcelCount");
  }
  const toConsignee = count('parcelsToConsignee');
  if (count('consigneesOfShipper') > parcelCount - toConsignee + 1) {
    const related = ['consigneesOfShipper', 'parcelsToConsignee', 'parcelCount'];
    const at = related.find(written) ?? 'consigneesOfShipper';
    const [first, second] = related.filter((field) => field !== at) as [string, string];
    problems.push({
      path: `manifest.${at}`,
      line: `manifest.${at}: ${shown(values[at])}, but ${first} is ${shown(values[first])} and ${second} ${shown(values[second])}: each other consignee of the shipper has a parcel of its own, so consigneesOfShipper ≤ parcelCount − parcelsToConsignee + 1`,
      written: related.filter(written).length,
    });
  }
  problems.push(...weightProblems(values, written, parcel));
  return problems;
};

/** The problems of the manifest weights (M7–M9); of the consignee's and its phone's, the one written. */
const weightProblems = (
  values: Fields,
  written: Written,
  parcel: { value: unknown; weightWritten: boolean } | undefined,
): Problem[] => {
  const problems: Problem[] = [];
  const pair = pairOf('manifest', values, written, problems);
  if (kgOf(values.weightToPhoneKg) !== kgOf(values.weightToConsigneeKg))
    pair(
      'weightToPhoneKg',
      'weightToConsigneeKg',
      "screening keys the consignee on the consignee's phone, so both weigh the same parcels",
    );
  const phoneOnly = written('weightToPhoneKg') && !written('weightToConsigneeKg');
  const ownKg = parcel === undefined ? undefined : ownKgOf(parcel.value);
  for (const [weight, count] of MANIFEST_WEIGHTS) {
    if (weight === (phoneOnly ? 'weightToConsigneeKg' : 'weightToPhoneKg')) continue;
    const kg = kgOf(values[weight]);
    const parcels = countOf(values[count]);
    if (kg === undefined || parcels === undefined || parcels < 1) continue;
    if (kg > parcels * MAX_PARCEL_KG)
      pair(
        weight,
        count,
        `a parcel declares at most ${MAX_PARCEL_KG} kg, so at most ${count} × ${MAX_PARCEL_KG}`,
      );
    else if (ownKg !== undefined && parcels > 1 && kg > mostKg(parcels, ownKg))
      problems.push({
        path: `manifest.${weight}`,
        line: `manifest.${weight}: ${shown(kg)}, but ${count} is ${parcels} and parcel.declaredGrossWeightKg ${shown(ownKg)}: each other parcel declares at most ${MAX_PARCEL_KG} kg, so at most ${shown(ownKg)} + (${count} − 1) × ${MAX_PARCEL_KG}`,
        written: [written(weight), written(count), parcel!.weightWritten].filter(Boolean).length,
      });
    else if (ownKg !== undefined && !weightAgrees(kg, parcels, ownKg))
      // A weight left out follows its count and this parcel's (followManifest): one written disagrees.
      problems.push({
        path: `manifest.${weight}`,
        line: `manifest.${weight}: ${shown(kg)}, but ${count} is ${parcels} and parcel.declaredGrossWeightKg ${shown(ownKg)}: ${
          parcels === 1
            ? 'one parcel to it weighs as this parcel declares'
            : 'the other parcels to it weigh something too, so more than this parcel declares'
        }`,
        written: [written(weight), written(count), parcel!.weightWritten].filter(Boolean).length,
      });
  }
  return problems;
};

/** One line per path: of problems at one path, the one relating more written facts, else the first. */
const onePerPath = (problems: Problem[]): string[] => {
  const told = new Map<string, Problem>();
  for (const problem of problems) {
    const first = told.get(problem.path);
    if (first === undefined || problem.written > first.written) told.set(problem.path, problem);
  }
  return problems.filter((problem) => told.get(problem.path) === problem).map(({ line }) => oneLine(line));
};

/**
 * Where `facts` (built from the analyst's partial facts `patch`) break a relation screening keeps
 * (H1–H9, M1–M9 above), one line each, `<path>: <reason>`, at a fact the analyst wrote where one is
 * involved. Only the groups named are checked (those whose shape is right: a fact of the wrong type is
 * told once, by the shape check). `parcel: false` leaves out the relations with the parcel (an overlay,
 * laid over a parcel this check does not see).
 */
export const invariantProblems = (
  facts: ScreeningFacts,
  patch: unknown,
  groups: { history: boolean; manifest: boolean; parcel: boolean },
): string[] => {
  const problems: Problem[] = [];
  const nowWritten = wroteAt(patch, ['now']);
  const history: unknown = facts.history;
  if (groups.history && isObject(history)) {
    for (const party of HISTORY_PARTIES) {
      const values = history[party];
      if (!isObject(values)) continue;
      problems.push(
        ...partyProblems(
          party,
          values,
          (field) => wroteAt(patch, ['history', party, field]),
          facts.now,
          nowWritten,
          groups.parcel ? { value: facts.parcel } : undefined,
        ),
      );
    }
  }
  const manifest: unknown = facts.manifest;
  if (groups.manifest && isObject(manifest))
    problems.push(
      ...manifestProblems(
        manifest,
        (field) => wroteAt(patch, ['manifest', field]),
        groups.parcel
          ? { value: facts.parcel, weightWritten: wroteAt(patch, ['parcel', 'declaredGrossWeightKg']) }
          : undefined,
      ),
    );
  return onePerPath(problems);
};

/** A tally as the invariants need it: its id, window and whether it counts distinct keys or sums. */
type TallyWindowOfCase = Pick<DeclaredTally, 'id' | 'days' | 'distinct' | 'sum'>;

/** A sum tally's value as screening can give one: any finite number; anything else is the shape check's to tell. */
const amountOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * The parcels a tally's written value needs in the window that holds it: a count as many (T1), a sum
 * other than 0 one parcel at least (T2). Undefined when the value is not one the tally takes.
 */
const parcelsNeeded = (tally: TallyWindowOfCase, value: unknown): number | undefined => {
  if (!tally.sum) return countOf(value);
  const amount = amountOf(value);
  return amount === undefined ? undefined : amount === 0 ? 0 : 1;
};

/** The window of parcels that holds a tally's (T1): the smallest of 7, 30 and 90 days not shorter than it. */
const WINDOW_DAYS = { parcels7d: 7, parcels30d: 30, parcels90d: 90 } as const;
const windowHolding = (days: number): (typeof WINDOWS)[number] =>
  days <= 7 ? 'parcels7d' : days <= 30 ? 'parcels30d' : 'parcels90d';

/** The parties of `facts.history` with the fields the analyst wrote, for the tally relations. */
const partiesOf = (facts: ScreeningFacts, patch: unknown) => {
  const history: unknown = facts.history;
  return HISTORY_PARTIES.flatMap((party) => {
    const values = isObject(history) ? history[party] : undefined;
    if (!isObject(values)) return [];
    const written: Written = (field) => wroteAt(patch, ['history', party, field]);
    const tallies = isObject(values.tallies) ? values.tallies : {};
    const tallyWritten = (id: string) => wroteAt(patch, ['history', party, 'tallies', id]);
    return [{ party, values, written, tallies, tallyWritten }];
  });
};

/**
 * The facts with each known party's parcels left out raised to hold its written tallies (T1, T2
 * below): a case that writes `tallies: { small-from-ruili: 5 }` on the baseline's known address (2
 * parcels in 30 days) gets 5 in 30 days, and at least as many in 90, as the window holding the tally's
 * has at least as many parcels; a sum tally other than 0 (`value-to-address: 1234.5`) gets 1 where
 * there are none. Never above a larger window written, and never on a party not known: `known: false`
 * gives a party never seen, no parcels, so a tally written on it is refused (tallyInvariantProblems).
 */
export const followTallies = (
  facts: ScreeningFacts,
  patch: unknown,
  tallies: readonly TallyWindowOfCase[],
): ScreeningFacts => {
  const history: Fields = isObject(facts.history) ? { ...facts.history } : {};
  let changed = false;
  for (const { party, values, written, tallies: counts, tallyWritten } of partiesOf(facts, patch)) {
    if (values.known !== true) continue;
    const followed: Fields = { ...values };
    for (const tally of tallies) {
      const count = parcelsNeeded(tally, counts[tally.id]);
      if (count === undefined || !tallyWritten(tally.id)) continue;
      const from = WINDOWS.indexOf(windowHolding(tally.days));
      WINDOWS.slice(from).forEach((field, i) => {
        const value = countOf(followed[field]);
        if (written(field) || value === undefined || value >= count) return;
        const ceilings = WINDOWS.slice(from + i + 1)
          .filter(written)
          .flatMap((larger) => countOf(followed[larger]) ?? []);
        followed[field] = Math.max(value, Math.min(count, ...ceilings));
      });
    }
    history[party] = followed;
    changed = true;
  }
  return changed ? ({ ...facts, history } as unknown as ScreeningFacts) : facts;
};

/**
 * Where a party's tallies are not what screening can give (each line `<path>: <reason>`, at the tally):
 *   T1 a tally over `days` is at most the party's parcels over the window that holds its own (7, 30 or
 *      90 days: the smallest one not shorter): a plain tally counts some of those parcels (marked in
 *      the same day bucket, by the same write: history-model.ts), and a distinct one keys that came with
 *      them, each key with a parcel at least. So a party not known, with no parcels, has every tally 0.
 *      Both are counts, whole numbers not below 0 (the shape check takes any number: a sum is one).
 *   T2 a sum tally is any number, but one other than 0 has a parcel behind it: the parcels over the
 *      window that holds it are at least 1, and a party not known has every sum 0.
 * A party the parcel gives no key (H9) is told by invariantProblems, once.
 */
export const tallyInvariantProblems = (
  facts: ScreeningFacts,
  patch: unknown,
  tallies: readonly TallyWindowOfCase[],
): string[] =>
  partiesOf(facts, patch).flatMap(({ party, values, written, tallies: counts, tallyWritten }) => {
    if (noKeyReason(party, facts.parcel) !== undefined) return [];
    return tallies.flatMap((tally) => {
      if (!tallyWritten(tally.id)) return [];
      const path = `history.${party}.tallies.${tally.id}`;
      const value = counts[tally.id];
      const needed = parcelsNeeded(tally, value);
      if (needed === undefined) {
        // A count tally written as another number (a sum's value); one not a finite number (.inf, .nan
        // in YAML) the shape check tells, for a sum tally too.
        if (typeof value !== 'number' || !Number.isFinite(value)) return [];
        const what = tally.distinct ? 'a distinct tally counts keys' : 'a tally without sum counts parcels';
        return [
          oneLine(
            `${path}: expected a whole number not below 0, not ${shown(value)}: ${what} (a tally with sum takes any number)`,
          ),
        ];
      }
      const window = windowHolding(tally.days);
      const parcels = countOf(values[window]) ?? 0;
      if (needed <= parcels) return [];
      const what = tally.sum
        ? `a sum tally adds up what the ${party}'s parcels that met its when gave, so one other than 0 has one at least`
        : tally.distinct
          ? `a distinct tally counts keys that came with the ${party}'s parcels, each with one at least`
          : `a tally counts the ${party}'s parcels that met its when`;
      const bound = tally.sum ? 'so parcels over them at least 1' : `so at most ${window}`;
      const why =
        values.known !== true && !written(window)
          ? `${what}, and a party not known has none (known: false gives no parcels; write ${window} if the parcels were recorded after now)`
          : `${what}, and the ${WINDOW_DAYS[window]} days of ${window} hold its ${tally.days}, ${bound}`;
      return [oneLine(`${path}: ${shown(value)}, but ${window} is ${parcels}: ${why}`)];
    });
  });
