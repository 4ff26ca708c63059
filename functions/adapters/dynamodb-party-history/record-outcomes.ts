import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dayOf } from '../../core/parties/history-days.js';
import { historyKeysOf, lastOfEachParcel } from '../../core/parties/history-model.js';
import { currentOutcomeOf, outcomeCorrectionEntry, outcomeEntry } from '../../core/parties/outcome-log.js';
import {
  sharedIndicatorsOf,
  sharedParcelRef,
  sharedSeizureEntry,
} from '../../core/parties/shared-history.js';
import { type SharingAgreements, sharingPartners } from '../../core/parties/sharing.js';
import { chunk, forEachLimited } from '../../platform/concurrency.js';
import { AppError } from '../../platform/errors.js';
import type { OutcomeCorrectionObservation, OutcomeObservation } from '../../ports/party-history.js';
import { awsCall, conditional } from '../aws-errors.js';
import { addToGrowingItem, firstSlotTaking, type GrowingAdd } from '../growing-items.js';
import { COALESCE_LIMIT, CONCURRENCY, type PartyHistoryTable, strings } from './history-table.js';
import { MAX_SLOTS, outcomesKey, profileKey, sharedKey } from './item-keys.js';
import type { PartySummaryReader } from './read-summaries.js';

/** An indicator's shared-seizures item from one source region (`S#<key>` / `R#<region>`). */
export interface SharedSeizuresItem {
  key: string;
  region: string;
}

/**
 * Outcomes, which are per parcel and conditional like bucket counts, are logged in an item per month of
 * their recording (`O#<yyyy-mm>`, about 3,800 outcomes of one party fit), overflowing into pages
 * `O#<yyyy-mm>#1`, `#2`… as day buckets do; the profile's `outcomeMonths` names the pages for readers, so
 * a party inspected for years keeps a small profile and stays screenable. A page is written first and the
 * profile names it after, also when the page already held the outcome (a replay after a crash in
 * between). One outcome per parcel, with a stable `recordedAt` (the review queue keeps both), is what a
 * page can deduplicate. A correction is a set ADD of `correctedAt|outcome|parcelKey` to
 * `outcomeCorrections` (idempotent by nature; the latest correction of a parcel replaces its outcome when
 * a summary is computed, see correctedOutcomeLog); its shared seizure entry is then added or withdrawn to
 * match the parcel's outcome as the consignee's history now has it, so replaying an older correction
 * undoes nothing.
 */

const monthOf = (iso: string) => iso.slice(0, 7);

/** Records inspection outcomes and their corrections, and the seizures they share. */
export class OutcomeRecorder {
  constructor(
    private readonly table: PartyHistoryTable,
    private readonly agreements: SharingAgreements,
    private readonly summaries: PartySummaryReader,
    private readonly sharedSeizuresFull: (item: SharedSeizuresItem) => void,
  ) {}

  async recordOutcome(outcomes: OutcomeObservation[]): Promise<void> {
    const unique = lastOfEachParcel(outcomes);
    const perKey = new Map<string, { region: string; key: string; outcomes: OutcomeObservation[] }>();
    for (const outcome of unique) {
      for (const key of historyKeysOf(outcome.keys)) {
        const id = `${outcome.region}#${key}`;
        const entry = perKey.get(id) ?? { region: outcome.region, key, outcomes: [] };
        entry.outcomes.push(outcome);
        perKey.set(id, entry);
      }
    }
    const writes = [...perKey.values()].flatMap((entry) =>
      chunk(entry.outcomes, COALESCE_LIMIT).map((part) => ({ ...entry, outcomes: part })),
    );
    await forEachLimited(writes, CONCURRENCY, (write) =>
      this.logOutcomes(write.region, write.key, write.outcomes),
    );

    const shares = unique
      .filter((outcome) => outcome.outcome === 'seized')
      .flatMap((outcome) => {
        const day = dayOf(outcome.recordedAt);
        const entry = sharedSeizureEntry(day, sharedParcelRef(outcome.region, outcome.parcelKey));
        return sharedIndicatorsOf(outcome.keys)
          .filter(({ kind }) => sharingPartners(this.agreements, outcome.region, kind, day).length > 0)
          .map(({ key }) => ({ key, region: outcome.region, entry }));
      });
    await forEachLimited(shares, CONCURRENCY, ({ key, region, entry }) =>
      this.shareSeizure(key, region, entry),
    );
  }

  /**
   * Adds a seizure entry to the indicator's shared item. An item full at 400 KB (about 12,400 seizures of
   * one indicator from one region, kept for good) takes no more: the seizure is still shared through the
   * parcel's other indicators and the outcome is recorded all the same, where a refused write used to
   * fail the officer's outcome, and every later seizure at that indicator, for good.
   */
  private async shareSeizure(key: string, region: string, entry: string): Promise<void> {
    const added = await addToGrowingItem(() =>
      this.table.update({
        Key: sharedKey(key, region),
        UpdateExpression: 'ADD seizures :entry',
        ExpressionAttributeValues: { ':entry': new Set([entry]) },
      }),
    );
    if (added === 'full') this.sharedSeizuresFull({ key, region });
  }

  async correctOutcome(corrections: OutcomeCorrectionObservation[]): Promise<void> {
    const unique = [
      ...new Map(corrections.map((c) => [`${c.region}#${c.parcelKey}#${c.correctedAt}`, c])).values(),
    ];
    const perKey = new Map<string, { region: string; key: string; entries: Set<string> }>();
    for (const correction of unique) {
      for (const key of historyKeysOf(correction.keys)) {
        const id = `${correction.region}#${key}`;
        const entry = perKey.get(id) ?? { region: correction.region, key, entries: new Set<string>() };
        entry.entries.add(
          outcomeCorrectionEntry(correction.correctedAt, correction.outcome, correction.parcelKey),
        );
        perKey.set(id, entry);
      }
    }
    await forEachLimited([...perKey.values()], CONCURRENCY, async ({ region, key, entries }) => {
      await this.table.update({
        Key: profileKey(region, key),
        UpdateExpression: 'ADD outcomeCorrections :entries',
        ExpressionAttributeValues: { ':entries': entries },
      });
    });

    const parcels = lastOfEachParcel(unique);
    await forEachLimited(parcels, CONCURRENCY, (correction) => this.followSharedSeizure(correction));
  }

  /** Shares the parcel's seizure when its outcome now is `seized`, withdraws it otherwise. */
  private async followSharedSeizure(correction: OutcomeCorrectionObservation): Promise<void> {
    const { region, parcelKey, keys } = correction;
    const profile = await awsCall('DynamoDB GetItem party profile', () =>
      this.table.db.send(
        new GetCommand({
          TableName: this.table.tableName,
          Key: profileKey(region, keys.consignee),
          ProjectionExpression: 'outcomeMonths, outcomeCorrections',
          ConsistentRead: true,
        }),
      ),
    );
    const logs = await this.summaries.outcomeLogsOf(
      [{ key: keys.consignee, months: strings(profile.Item?.outcomeMonths) }],
      region,
      true,
    );
    const current = currentOutcomeOf(
      parcelKey,
      logs.get(keys.consignee) ?? [],
      strings(profile.Item?.outcomeCorrections),
      correction.correctedAt,
    );
    if (!current) return;
    const day = dayOf(current.at);
    const entry = sharedSeizureEntry(day, sharedParcelRef(region, parcelKey));
    await forEachLimited(sharedIndicatorsOf(keys), CONCURRENCY, async ({ kind, key }) => {
      if (current.outcome === 'seized') {
        if (sharingPartners(this.agreements, region, kind, day).length === 0) return;
        await this.shareSeizure(key, region, entry);
        return;
      }
      // Conditional so that withdrawing from an indicator that shared nothing creates no item.
      await conditional(() =>
        this.table.update({
          Key: sharedKey(key, region),
          UpdateExpression: 'DELETE seizures :entry',
          ConditionExpression: 'attribute_exists(seizures)',
          ExpressionAttributeValues: { ':entry': new Set([entry]) },
        }),
      );
    });
  }

  /** Logs outcomes in their months' pages, then names the pages in the profile. */
  private async logOutcomes(region: string, key: string, outcomes: OutcomeObservation[]): Promise<void> {
    const months = new Map<string, OutcomeObservation[]>();
    for (const outcome of outcomes) {
      const month = monthOf(outcome.recordedAt);
      months.set(month, [...(months.get(month) ?? []), outcome]);
    }
    const pages = new Set<string>();
    for (const [month, inMonth] of months) {
      for (const page of await this.logOutcomesOfMonth(region, key, month, inMonth)) pages.add(page);
    }
    await this.table.update({
      Key: profileKey(region, key),
      UpdateExpression: 'ADD outcomeMonths :pages',
      ExpressionAttributeValues: { ':pages': pages },
    });
  }

  /**
   * Logs one month's outcomes in its page `O#<yyyy-mm>`, or, one outcome at a time, in the first overflow
   * page `O#<yyyy-mm>#<n>` that holds it or takes it (pages only grow, as day buckets do); returns the
   * pages that hold them.
   */
  private async logOutcomesOfMonth(
    region: string,
    key: string,
    month: string,
    outcomes: OutcomeObservation[],
  ): Promise<string[]> {
    if (outcomes.length > 1) {
      if ((await this.logOutcomesOnPage(region, key, month, outcomes)) === 'counted') return [month];
      // Some were logged before (an interrupted delivery), or the group does not fit: each alone.
      const pages = new Set<string>();
      for (const outcome of outcomes) {
        for (const page of await this.logOutcomesOfMonth(region, key, month, [outcome])) pages.add(page);
      }
      return [...pages];
    }
    const pageOf = (slot: number) => (slot === 0 ? month : `${month}#${slot}`);
    const slot = await firstSlotTaking(0, MAX_SLOTS, (candidate) =>
      this.logOutcomesOnPage(region, key, pageOf(candidate), outcomes),
    );
    if (slot !== undefined) return [pageOf(slot)];
    throw new AppError(
      'PARTY_OUTCOMES_FULL',
      `party history: ${MAX_SLOTS} outcome pages of ${month} are full`,
    );
  }

  private async logOutcomesOnPage(
    region: string,
    key: string,
    page: string,
    outcomes: OutcomeObservation[],
  ): Promise<GrowingAdd> {
    const values: Record<string, unknown> = {
      ':parcels': new Set(outcomes.map((outcome) => outcome.parcelKey)),
      ':log': new Set(
        outcomes.map((outcome) => outcomeEntry(outcome.recordedAt, outcome.outcome, outcome.parcelKey)),
      ),
    };
    const fresh = outcomes.map((outcome, index) => {
      values[`:p${index}`] = outcome.parcelKey;
      return `NOT contains(outcomeParcels, :p${index})`;
    });
    return addToGrowingItem(() =>
      this.table.update({
        Key: outcomesKey(region, key, page),
        UpdateExpression: 'ADD outcomeParcels :parcels, outcomeLog :log',
        ConditionExpression: fresh.join(' AND '),
        ExpressionAttributeValues: values,
      }),
    );
  }
}
