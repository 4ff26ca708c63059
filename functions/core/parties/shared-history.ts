import { createHash } from 'node:crypto';
import { canonicalInstant } from '../retention.js';
import { counterpartOnParcel } from './counterpart-kind.js';
import { dayOf, inHistoryWindow } from './history-days.js';
import type { PartyKeys } from './party-keys.js';
import { type SharedIndicatorKind, type SharingAgreements, sharingPartners } from './sharing.js';

/** What regions share about a party's indicators (seizures, counterparts), and how it is counted. */

/** A parcel's reference in shared intelligence: a one-way hash, never the parcel id. */
export const sharedParcelRef = (region: string, parcelKey: string): string =>
  createHash('sha256').update(`${region}\u0000${parcelKey}`).digest('base64url').slice(0, 22);

/** One shared seizure: `day|ref`; the day decides which agreements cover it. */
export const sharedSeizureEntry = (day: string, ref: string): string => `${day}|${ref}`;

/** The indicator kinds of a parcel that may be shared, with their keys (those it has: see historyKeysOf). */
export const sharedIndicatorsOf = (keys: PartyKeys): { kind: SharedIndicatorKind; key: string }[] => [
  { kind: 'consignee', key: keys.consignee },
  { kind: 'phone', key: keys.phone },
  ...(keys.address ? [{ kind: 'address' as const, key: keys.address }] : []),
  ...(keys.idDocument ? [{ kind: 'idDocument' as const, key: keys.idDocument }] : []),
];

/** Seizures shared with one reading region: entries per indicator key and per source region. */
export interface SharedSeizures {
  kind: SharedIndicatorKind;
  sourceRegion: string;
  entries: string[];
}

/**
 * Distinct parcels seized in other regions against any of these indicators, counting only seizures of
 * a day on which an agreement between the two regions covered that kind of indicator, up to day(now).
 */
export const countSharedSeizures = (
  shared: SharedSeizures[],
  agreements: SharingAgreements,
  region: string,
  now: string,
): number => {
  const today = dayOf(now);
  const refs = new Set<string>();
  for (const { kind, sourceRegion, entries } of shared) {
    if (sourceRegion === region) continue;
    for (const entry of entries) {
      const [day = '', ref = ''] = entry.split('|');
      if (day > today) continue;
      if (sharingPartners(agreements, region, kind, day).includes(sourceRegion))
        refs.add(`${sourceRegion}|${ref}`);
    }
  }
  return refs.size;
};

/**
 * The delivery a parcel came in (its manifest, as received), as a counterpart entry names it: a one-way
 * hash, never the manifest id. A manifest whose parcels go to offices of several regions is screened
 * once per region, at any time and in any order: a region reading counterparts shared by another leaves
 * out those of the delivery it screens, which are the manifest facts' (as its own region's are: see the
 * parts in decision-effects.ts), so the facts do not depend on which region screened first. The receipt
 * time is hashed in one spelling, as a message may carry it with an offset.
 */
export const sharedDeliveryRef = (partnerId: string, manifestId: string, receivedAt: string): string =>
  createHash('sha256')
    .update(`${partnerId}\u0000${manifestId}\u0000${canonicalInstant(receivedAt)}`)
    .digest('base64url')
    .slice(0, 16);

/**
 * One counterpart observation shared with partner regions: `day|counterpartKey|delivery`, all hashed or
 * coarse (a UTC day, a salted key, sharedDeliveryRef). The day is the parcel's claimed day, so a
 * redelivery writes the same entry again and the set it is added to does not change. Entries written
 * before deliveries were named are `day|counterpartKey`, and belong to no delivery being screened.
 */
export const sharedCounterpartEntry = (day: string, counterpart: string, delivery?: string): string =>
  delivery === undefined ? `${day}|${counterpart}` : `${day}|${counterpart}|${delivery}`;

/** The counterpart observations of one parcel a region may share, per indicator kind and key. */
export const sharedCounterpartsOf = (
  keys: PartyKeys,
): { kind: SharedIndicatorKind; key: string; counterpart: string }[] =>
  sharedIndicatorsOf(keys).flatMap(({ kind, key }) => {
    const counterpart = counterpartOnParcel(kind, keys);
    return counterpart === undefined ? [] : [{ kind, key, counterpart }];
  });

/** Counterpart entries of one indicator key shared by one source region. */
export interface SharedCounterparts {
  kind: SharedIndicatorKind;
  sourceRegion: string;
  entries: string[];
}

/**
 * `sharedDistinctCounterparts` of one party: the distinct counterparts in the reading region's own
 * 90-day history, plus those other regions saw within the 90 days up to day(now) on a day an agreement
 * between them and the reading region covered this kind of indicator, plus this parcel's own
 * counterpart. Keys only: the reading region learns which hashed names went with the hashed phone
 * elsewhere, never a name, a parcel, or the other region's counts.
 */
export const countCounterpartsAcrossRegions = (input: {
  own: ReadonlySet<string>;
  shared: SharedCounterparts[];
  current?: string;
  /** The delivery being screened (sharedDeliveryRef): its own parcels' entries are left out. */
  delivery?: string;
  agreements: SharingAgreements;
  region: string;
  now: string;
}): number => {
  const today = dayOf(input.now);
  const all = new Set(input.own);
  if (input.current !== undefined) all.add(input.current);
  for (const { kind, sourceRegion, entries } of input.shared) {
    if (sourceRegion === input.region) continue;
    for (const entry of entries) {
      const [day = '', counterpart, delivery, ...more] = entry.split('|');
      if (counterpart === undefined || more.length > 0 || !inHistoryWindow(day, today)) continue;
      if (delivery !== undefined && delivery === input.delivery) continue;
      if (sharingPartners(input.agreements, input.region, kind, day).includes(sourceRegion))
        all.add(counterpart);
    }
  }
  return all.size;
};
