import type { PartyKeys } from '../core/parties/party-keys.js';
import type { Outcome } from '../core/review/outcome.js';
import type { HistoryFacts } from '../core/screening/facts.js';
import type { TallyMark, TallyWindow } from '../core/screening/tallies.js';

/** One parcel seen by screening, as the history store counts it. */
export interface ParcelObservation {
  /** Idempotency key: the same parcel recorded twice counts once. */
  parcelKey: string;
  region: string;
  /**
   * When the parcel was screened. The first recording of a parcel fixes its time: a later recording
   * of the same parcel with another time still counts once, on the first time's day.
   */
  observedAt: string;
  /**
   * When the manifest that delivered the parcel was received. A parcel id is free again once its record
   * expires (400 days on): a recording of a later delivery under the same key is another parcel, however
   * long the first one's claim still lives. Absent, a recording is told apart by the claim's expiry alone.
   */
  receivedAt?: string;
  /**
   * The delivery the parcel came in (sharedDeliveryRef), named on the counterparts it shares so that
   * another region screening the same delivery leaves them out. Absent, they name none.
   */
  delivery?: string;
  keys: PartyKeys;
  originCity: string;
  flagged: boolean;
  /** The tallies the parcel marks for each of its parties (core/screening/tallies.ts); none when absent. */
  tallies?: readonly TallyMark[];
}

/** One inspection's outcome, fed back to the parties of the inspected parcel. */
export interface OutcomeObservation {
  /** Idempotency key: one outcome per parcel counts once, however often it is recorded. */
  parcelKey: string;
  region: string;
  recordedAt: string;
  keys: PartyKeys;
  outcome: Outcome;
}

/**
 * An admin's correction of a parcel's recorded outcome, fed back to the parties of the parcel. Counts
 * change from `correctedAt` on; the inspection keeps the time of the outcome it corrects.
 */
export interface OutcomeCorrectionObservation {
  /** With `correctedAt`, the idempotency key: the same correction applied twice changes nothing. */
  parcelKey: string;
  region: string;
  correctedAt: string;
  keys: PartyKeys;
  /** The parcel's outcome from now on; of several corrections of a parcel, the latest one holds. */
  outcome: Outcome;
}

/** A party in a neighbourhood, with what its own region's history says about it. */
export interface PartyNode {
  key: string;
  parcels90d: number;
  flags: number;
  inspections: number;
  seizures: number;
}

/** Port: what screening needs from the party history store. */
export interface PartyHistory {
  /**
   * History facts for each parcel's parties as they stand at `now`, in input order; reads are batched.
   * Counterparts shared by other regions from `delivery` (the one being screened) are left out. Each
   * party's `tallies` holds the count of each of `tallies` that names that party (its `parties`), by
   * window key (windowKey), 0 when unmarked; a window that does not name the party is not there.
   */
  summarize(
    parties: PartyKeys[],
    region: string,
    now: string,
    delivery?: string,
    tallies?: readonly TallyWindow[],
  ): Promise<HistoryFacts[]>;
  /** Counts each observation once, however often it is recorded; writes are coalesced per key. */
  record(observations: ParcelObservation[]): Promise<void>;
  /**
   * Counts each parcel's outcome once for every party on it (an inspection; a seizure when seized), and
   * shares a seizure's hashed indicators with the regions that have an agreement with `region`.
   */
  recordOutcome(outcomes: OutcomeObservation[]): Promise<void>;
  /**
   * Replaces each parcel's outcome for every party on it (inspections, seizures, last seizure) and
   * makes the shared seizure indicators follow: withdrawn when a seizure is corrected away, shared when
   * an outcome is corrected to `seized`. A correction of a parcel with no recorded outcome counts as its
   * outcome (the review flow always records the outcome first); a correction older than the parcel's
   * latest one, or applied again, changes nothing.
   */
  correctOutcome(corrections: OutcomeCorrectionObservation[]): Promise<void>;
  /** The parties linked to `key` in `region` (seen on the same parcels within 90 days of `now`). */
  linksOf(key: string, region: string, now: string): Promise<string[]>;
  /** Counts for each key in `region` as they stand at `now`, in input order; reads are batched. */
  nodes(keys: string[], region: string, now: string): Promise<PartyNode[]>;
}
