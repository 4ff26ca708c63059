import type { Manifest } from '../../../events/manifest-v1.js';
import type { PartyKeys } from '../parties/party-keys.js';
import { addDecimal } from '../rules/numeric.js';
import type { ManifestFacts } from './facts.js';

/**
 * Two declared gross weights are near-identical when they differ by at most 50 g or by at most 2 % of
 * the heavier one, whichever allows more. Weights are compared in whole grams (rounded), with integer
 * arithmetic, so the boundaries are exact: 10.000 kg and 10.200 kg are near-identical (200 g = 2 % of
 * 10.2 kg is 204 g), 10.000 kg and 10.250 kg are not; 0.500 kg and 0.550 kg are (50 g), 0.500 and
 * 0.551 are not.
 */
export const SPLIT_ABSOLUTE_GRAMS = 50;
export const SPLIT_RELATIVE_PERCENT = 2;

const grams = (kg: number): number => Math.round(kg * 1000);

export const nearIdenticalWeights = (aKg: number, bKg: number): boolean => {
  const a = grams(aKg);
  const b = grams(bKg);
  const difference = Math.abs(a - b);
  return difference <= SPLIT_ABSOLUTE_GRAMS || difference * 100 <= SPLIT_RELATIVE_PERCENT * Math.max(a, b);
};

const countBy = (values: string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

/** How many distinct members each group has, of [group, member] pairs. */
const distinctBy = (pairs: [string, string][]): Map<string, number> => {
  const members = new Map<string, Set<string>>();
  for (const [group, member] of pairs) members.set(group, (members.get(group) ?? new Set()).add(member));
  return new Map([...members].map(([group, set]) => [group, set.size]));
};

/**
 * The declared gross weight of each group's parcels, added in manifest order exactly as the rule
 * language adds (addDecimal): 0.1 kg and 0.2 kg weigh 0.3 kg; a group of one weighs its parcel's weight.
 */
const weightBy = (groups: string[], weights: number[]): Map<string, number> => {
  const sums = new Map<string, number>();
  groups.forEach((group, index) => {
    const sum = sums.get(group);
    sums.set(group, sum === undefined ? weights[index]! : addDecimal(sum, weights[index]!));
  });
  return sums;
};

/**
 * Facts over the whole manifest, one per parcel in input order, from the parcels' party keys (so that
 * spelling variants of one consignee count together):
 * - parcelsToConsignee / parcelsToPhone / parcelsToAddress: parcels in the manifest (this one included)
 *   with the same consignee, consignee phone, consignee address (1 for an address with no key: one
 *   that names no street is not known to be another parcel's);
 * - consigneesOfShipper: distinct consignees this parcel's shipper sends to in the manifest;
 * - consigneeNamesOfPhone: distinct consignee names (as party keys fold them) on the manifest's parcels
 *   to this parcel's consignee phone: the names one phone receives under, which party history counts
 *   only once the manifest is recorded;
 * - weightToConsigneeKg / weightToPhoneKg / weightToAddressKg: the declared gross weight of the parcels
 *   counted by parcelsToConsignee, parcelsToPhone, parcelsToAddress (this one's included; this one's
 *   alone for an address with no key): a drop house fed within one manifest, which party history and
 *   tallies see only once the manifest is recorded;
 * - splitShipment: another parcel in the manifest goes to the same consignee with a near-identical
 *   declared gross weight (see nearIdenticalWeights).
 */
export const computeManifestFacts = (manifest: Manifest, keysPerParcel: PartyKeys[]): ManifestFacts[] => {
  if (keysPerParcel.length !== manifest.parcels.length) {
    throw new RangeError(`${keysPerParcel.length} party keys for ${manifest.parcels.length} parcels`);
  }
  const toConsignee = countBy(keysPerParcel.map((keys) => keys.consignee));
  const toPhone = countBy(keysPerParcel.map((keys) => keys.phone));
  // An address without a key (no street) is no other parcel's: each such parcel counts itself alone.
  const addresses = keysPerParcel.map((keys, index) => keys.address ?? `parcel:${index}`);
  const toAddress = countBy(addresses);
  const consigneesOfShipper = distinctBy(keysPerParcel.map((keys) => [keys.shipper, keys.consignee]));
  // A parcel always names its consignee; a key without one still counts as a name of its own.
  const namesOfPhone = distinctBy(
    keysPerParcel.map((keys, index) => [keys.phone, keys.consigneeName ?? `parcel:${index}`]),
  );
  const weights = manifest.parcels.map((parcel) => parcel.declaredGrossWeightKg);
  const weightToConsignee = weightBy(
    keysPerParcel.map((keys) => keys.consignee),
    weights,
  );
  const weightToPhone = weightBy(
    keysPerParcel.map((keys) => keys.phone),
    weights,
  );
  const weightToAddress = weightBy(addresses, weights);

  return manifest.parcels.map((parcel, index) => {
    const keys = keysPerParcel[index]!;
    const splitShipment = manifest.parcels.some(
      (other, otherIndex) =>
        otherIndex !== index &&
        keysPerParcel[otherIndex]!.consignee === keys.consignee &&
        nearIdenticalWeights(parcel.declaredGrossWeightKg, other.declaredGrossWeightKg),
    );
    return {
      parcelCount: manifest.parcels.length,
      parcelsToConsignee: toConsignee.get(keys.consignee)!,
      parcelsToPhone: toPhone.get(keys.phone)!,
      parcelsToAddress: toAddress.get(addresses[index]!)!,
      consigneesOfShipper: consigneesOfShipper.get(keys.shipper)!,
      consigneeNamesOfPhone: namesOfPhone.get(keys.phone)!,
      weightToConsigneeKg: weightToConsignee.get(keys.consignee)!,
      weightToPhoneKg: weightToPhone.get(keys.phone)!,
      weightToAddressKg: weightToAddress.get(addresses[index]!)!,
      splitShipment,
    };
  });
};
