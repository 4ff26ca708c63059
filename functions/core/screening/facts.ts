import type { Manifest, Parcel } from '../../../events/manifest-v1.js';
import type { PartyKeys } from '../parties/party-keys.js';

/**
 * Everything a rule may read, fully resolved before evaluation: the rule engine never fetches.
 * Shapes here are the fact paths analysts write in rules (e.g. `history.consignee.known`).
 */

/** What the history store knows about one party (consignee, shipper, phone, address, ID document). */
export interface PartySummary {
  /** false when the party has never been seen before this parcel. */
  known: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  parcels7d: number;
  parcels30d: number;
  parcels90d: number;
  /** Distinct counterparts: consignees per phone or address, shippers per consignee. */
  distinctCounterparts: number;
  /**
   * Distinct counterparts across regions, this parcel's own included: this region's 90-day
   * counterparts, those partner regions saw in the 90 days under a sharing agreement in force on the
   * day (for the indicator kinds an agreement covers: consignee, phone, address, ID document), and the
   * counterpart on this parcel. E.g. `history.phone.sharedDistinctCounterparts` is the number of names
   * the phone is known under once this label is counted. Equals distinctCounterparts where no parcel is
   * being screened (the links API) and nothing is shared.
   */
  sharedDistinctCounterparts: number;
  /** Distinct origin cities this party has received from (meaningful for consignees). */
  distinctOrigins: number;
  flags: number;
  inspections: number;
  seizures: number;
  lastSeizureAt: string | null;
  /**
   * The rule set's tallies (core/screening/tallies.ts) over this party's history: parcels, or distinct
   * parties, that met the tally's condition on the tally's days up to now; this parcel and the other
   * parcels of its manifest not included. Keyed two ways: the history store returns the counts by window
   * key (`<counter>@<days>`, windowKey), and screening renames them by tally id (tallyNamer) before any
   * rule reads them, so facts (and the decisions that record them) hold them by tally id.
   */
  tallies: Readonly<Record<string, number>>;
}

/** The parties that keep a history, as facts name them: `history.<party>` is the history of `parties.<party>`. */
export const HISTORY_PARTIES = ['consignee', 'shipper', 'phone', 'address', 'idDocument'] as const;
export type HistoryParty = (typeof HISTORY_PARTIES)[number];

export interface HistoryFacts {
  consignee: PartySummary;
  shipper: PartySummary;
  phone: PartySummary;
  address: PartySummary;
  /** The consignee's ID document; empty (known: false) when the parcel carries none. */
  idDocument: PartySummary;
  /** Seizures other regions recorded against the same hashed indicators, through sharing agreements. */
  sharedSeizures: number;
}

/** Facts computed over the whole manifest, as seen from one parcel. */
export interface ManifestFacts {
  parcelCount: number;
  parcelsToConsignee: number;
  parcelsToPhone: number;
  parcelsToAddress: number;
  consigneesOfShipper: number;
  /** Distinct consignee names (folded) on the parcels to this parcel's consignee phone, this one's included. */
  consigneeNamesOfPhone: number;
  /**
   * Declared gross weight (kg) of the manifest's parcels to this parcel's consignee, consignee phone,
   * consignee address, this one's included, added exactly (addDecimal); for an address without a key,
   * this parcel's own.
   */
  weightToConsigneeKg: number;
  weightToPhoneKg: number;
  weightToAddressKg: number;
  /** Several parcels to this consignee with near-identical declared weights. */
  splitShipment: boolean;
}

export interface ManifestContext {
  manifestId: string;
  partnerId: string;
  transport: Manifest['transport'];
  /**
   * When the partner says it submitted the manifest (its `submittedAt`, ISO 8601 with the partner's
   * offset, as written): the partner's word, not checked against any clock. Absent on a screening
   * message queued by an ingest from before it was carried, and so on decisions recorded from one.
   */
  submittedAt?: string;
  /** When parcelguard received the manifest (ingest's clock, UTC): the time to trust. */
  receivedAt: string;
}

export interface ScreeningFacts {
  parcel: Parcel;
  manifest: ManifestContext & ManifestFacts;
  history: HistoryFacts;
  /**
   * The parcel's salted party keys (`parties.phone`, `parties.consignee`, …), never clear values:
   * rules compare them with watchlists, whose values are hashed with the same salt when loaded.
   */
  parties: PartyKeys;
  /** Evaluation time, injected (ISO 8601). */
  now: string;
}

export const emptyPartySummary = (): PartySummary => ({
  known: false,
  firstSeen: null,
  lastSeen: null,
  parcels7d: 0,
  parcels30d: 0,
  parcels90d: 0,
  distinctCounterparts: 0,
  sharedDistinctCounterparts: 0,
  distinctOrigins: 0,
  flags: 0,
  inspections: 0,
  seizures: 0,
  lastSeizureAt: null,
  tallies: {},
});

export const emptyHistoryFacts = (): HistoryFacts => ({
  consignee: emptyPartySummary(),
  shipper: emptyPartySummary(),
  phone: emptyPartySummary(),
  address: emptyPartySummary(),
  idDocument: emptyPartySummary(),
  sharedSeizures: 0,
});
