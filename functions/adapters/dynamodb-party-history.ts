import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PartyKeys } from '../core/parties/party-keys.js';
import { NO_SHARING, type SharingAgreements } from '../core/parties/sharing.js';
import type { HistoryFacts } from '../core/screening/facts.js';
import type { TallyWindow } from '../core/screening/tallies.js';
import type {
  OutcomeCorrectionObservation,
  OutcomeObservation,
  ParcelObservation,
  PartyHistory,
  PartyNode,
} from '../ports/party-history.js';
import { PartyHistoryTable } from './dynamodb-party-history/history-table.js';
import { PartySummaryReader } from './dynamodb-party-history/read-summaries.js';
import {
  type FullPartyDay,
  ObservationRecorder,
  type SharedCounterpartsItem,
} from './dynamodb-party-history/record-observations.js';
import { OutcomeRecorder, type SharedSeizuresItem } from './dynamodb-party-history/record-outcomes.js';

export type {
  FullPartyDay,
  SharedCounterpartsItem,
} from './dynamodb-party-history/record-observations.js';
export type { SharedSeizuresItem } from './dynamodb-party-history/record-outcomes.js';

/** Told when a shared item is full and takes no more entries; the parcel's own history is recorded all the same. */
export interface SharedItemsFull {
  /**
   * An indicator's shared counterparts of a month fill their item: its later counterparts that month are
   * not shared (the distinct count it feeds stays where it is, thousands above any rule's threshold).
   */
  sharedCounterpartsFull?: (item: SharedCounterpartsItem) => void;
  /**
   * An indicator's shared seizures from a region fill their item: its later seizures are not shared
   * through it (the count it feeds is thousands above any rule's threshold by then).
   */
  sharedSeizuresFull?: (item: SharedSeizuresItem) => void;
}

/** Told when an item of the party history is full; what it could not take is said at each callback. */
export interface HistoryItemsFull extends SharedItemsFull {
  /**
   * A party's day bucket and its overflow buckets are all full: the parcels of that party that day it
   * could not take are not counted for it (their other parties and every profile are recorded all the same).
   */
  partyDayFull?: (day: FullPartyDay) => void;
}

/**
 * Party history in the single `partyHistory` table, idempotent without transactions. The parts, in
 * dynamodb-party-history/:
 *
 * | module                  | what it holds                                                          |
 * |-------------------------|------------------------------------------------------------------------|
 * | item-keys.ts            | the item layout (claims, buckets, profiles, outcome pages, shared items) and their keys |
 * | history-table.ts        | UpdateItem, BatchGetItem with retries, consistent GetItems on the table |
 * | read-summaries.ts       | summaries, links and nodes: profiles, the bucketCounts index, outcome logs |
 * | record-observations.ts  | screened parcels: claims, profiles, shared counterparts                 |
 * | count-in-day-buckets.ts | counting a parcel once in its day or overflow bucket, or its day full   |
 * | record-outcomes.ts      | outcome pages, corrections, shared seizures                             |
 */
export class DynamoDbPartyHistory implements PartyHistory {
  private readonly summaries: PartySummaryReader;
  private readonly observations: ObservationRecorder;
  private readonly outcomes: OutcomeRecorder;

  constructor(
    db: DynamoDBDocumentClient,
    tableName: string,
    agreements: SharingAgreements = NO_SHARING,
    full: HistoryItemsFull = {},
  ) {
    const ignore = () => undefined;
    const table = new PartyHistoryTable(db, tableName);
    this.summaries = new PartySummaryReader(table, agreements);
    this.observations = new ObservationRecorder(
      table,
      agreements,
      full.sharedCounterpartsFull ?? ignore,
      full.partyDayFull ?? ignore,
    );
    this.outcomes = new OutcomeRecorder(table, agreements, this.summaries, full.sharedSeizuresFull ?? ignore);
  }

  summarize(
    parties: PartyKeys[],
    region: string,
    now: string,
    delivery?: string,
    tallies?: readonly TallyWindow[],
  ): Promise<HistoryFacts[]> {
    return this.summaries.summarize(parties, region, now, delivery, tallies);
  }

  record(observations: ParcelObservation[]): Promise<void> {
    return this.observations.record(observations);
  }

  recordOutcome(outcomes: OutcomeObservation[]): Promise<void> {
    return this.outcomes.recordOutcome(outcomes);
  }

  correctOutcome(corrections: OutcomeCorrectionObservation[]): Promise<void> {
    return this.outcomes.correctOutcome(corrections);
  }

  linksOf(key: string, region: string, now: string): Promise<string[]> {
    return this.summaries.linksOf(key, region, now);
  }

  nodes(keys: string[], region: string, now: string): Promise<PartyNode[]> {
    return this.summaries.nodes(keys, region, now);
  }
}
