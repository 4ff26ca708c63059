import { claimExpiresAt, dayOf, windowDays } from '../core/parties/history-days.js';
import {
  addToTally,
  counterpartsIn,
  type DayBucket,
  historyFactsOf,
  historyKeysOf,
  lastOfEachParcel,
  linkedKeysOf,
  linkedPartiesIn,
  normalizeOrigin,
  type OwnHistory,
  type PartyProfile,
  summarizeParty,
  tallyMarksOf,
  windowsOfKey,
} from '../core/parties/history-model.js';
import { currentOutcomeOf, outcomeCorrectionEntry, outcomeEntry } from '../core/parties/outcome-log.js';
import type { PartyKeys } from '../core/parties/party-keys.js';
import {
  sharedCounterpartEntry,
  sharedCounterpartsOf,
  sharedIndicatorsOf,
  sharedParcelRef,
  sharedSeizureEntry,
} from '../core/parties/shared-history.js';
import { NO_SHARING, type SharingAgreements, sharingPartners } from '../core/parties/sharing.js';
import { canonicalInstant, expiredAt } from '../core/retention.js';
import type { HistoryFacts, PartySummary } from '../core/screening/facts.js';
import type { TallyWindow } from '../core/screening/tallies.js';
import type {
  OutcomeCorrectionObservation,
  OutcomeObservation,
  ParcelObservation,
  PartyHistory,
  PartyNode,
} from '../ports/party-history.js';

interface StoredBucket {
  parcels: Set<string>;
  parcelCount: number;
  flags: number;
  links: Set<string>;
  origins: Set<string>;
  tallies: Map<string, number>;
  tallyKeys: Map<string, Set<string>>;
}

interface StoredProfile {
  firstSeen?: string;
  lastSeen?: string;
  days: Set<string>;
  outcomeParcels: Set<string>;
  outcomeLog: Set<string>;
  outcomeCorrections: Set<string>;
}

/**
 * The party history in process memory, for unit tests and the use cases' tests. It keeps the same
 * model as DynamoDbPartyHistory (claims, profiles, day buckets, shared seizures) and runs the same
 * contract suite, so a use case tested against it behaves the same against DynamoDB.
 */
export class InMemoryPartyHistory implements PartyHistory {
  private readonly claims = new Map<string, { observedAt: string; receivedAt?: string }>();
  private readonly profiles = new Map<string, StoredProfile>();
  private readonly buckets = new Map<string, StoredBucket>();
  private readonly shared = new Map<string, Set<string>>();
  private readonly sharedCounterparts = new Map<string, Set<string>>();

  constructor(private readonly agreements: SharingAgreements = NO_SHARING) {}

  async summarize(
    parties: PartyKeys[],
    region: string,
    now: string,
    delivery?: string,
    tallies: readonly TallyWindow[] = [],
  ): Promise<HistoryFacts[]> {
    return parties.map((keys) =>
      historyFactsOf({
        keys,
        region,
        now,
        ...(delivery === undefined ? {} : { delivery }),
        tallies,
        agreements: this.agreements,
        own: (key) => this.ownHistoryOf(key, region, now, windowsOfKey(tallies, key)),
        shared: (key, sourceRegion) => ({
          seizures: [...(this.shared.get(`${key}#${sourceRegion}`) ?? [])],
          counterparts: [...(this.sharedCounterparts.get(`${key}#${sourceRegion}`) ?? [])],
        }),
      }),
    );
  }

  async record(observations: ParcelObservation[]): Promise<void> {
    for (const observation of lastOfEachParcel(observations)) {
      const claim = `${observation.region}#${observation.parcelKey}`;
      const observedAt = this.claimedTime(claim, observation);
      const day = dayOf(observedAt);
      const marks = tallyMarksOf(observation.tallies ?? []);
      for (const key of historyKeysOf(observation.keys)) {
        const bucketId = `${observation.region}#${key}#${day}`;
        const bucket = this.buckets.get(bucketId) ?? {
          parcels: new Set<string>(),
          parcelCount: 0,
          flags: 0,
          links: new Set<string>(),
          origins: new Set<string>(),
          tallies: new Map<string, number>(),
          tallyKeys: new Map<string, Set<string>>(),
        };
        // The parcel's marks count with it, once (as DynamoDbPartyHistory's bucket update carries them).
        if (!bucket.parcels.has(observation.parcelKey)) {
          bucket.parcels.add(observation.parcelKey);
          bucket.parcelCount += 1;
          bucket.flags += observation.flagged ? 1 : 0;
          for (const link of linkedKeysOf(key, observation.keys)) bucket.links.add(link);
          bucket.origins.add(normalizeOrigin(observation.originCity));
          for (const [counter, amount] of marks.parcels)
            bucket.tallies.set(counter, addToTally(bucket.tallies.get(counter) ?? 0, amount));
          for (const [counter, values] of marks.keys) {
            const known = bucket.tallyKeys.get(counter) ?? new Set<string>();
            for (const value of values) known.add(value);
            bucket.tallyKeys.set(counter, known);
          }
        }
        this.buckets.set(bucketId, bucket);
        const profile = this.profileOf(observation.region, key);
        if (profile.firstSeen === undefined || observedAt < profile.firstSeen) profile.firstSeen = observedAt;
        if (profile.lastSeen === undefined || observedAt > profile.lastSeen) profile.lastSeen = observedAt;
        profile.days.add(day);
      }
      for (const { kind, key, counterpart } of sharedCounterpartsOf(observation.keys)) {
        if (sharingPartners(this.agreements, observation.region, kind, day).length === 0) continue;
        const id = `${key}#${observation.region}`;
        const entries = this.sharedCounterparts.get(id) ?? new Set<string>();
        entries.add(sharedCounterpartEntry(day, counterpart, observation.delivery));
        this.sharedCounterparts.set(id, entries);
      }
    }
  }

  /**
   * The time a parcel counts at, as DynamoDbPartyHistory's claim fixes it: the first recording's, unless
   * that claim has expired or was made for an earlier delivery under the parcel key (another parcel).
   */
  private claimedTime(claim: string, observation: ParcelObservation): string {
    const held = this.claims.get(claim);
    const receivedAt =
      observation.receivedAt === undefined ? undefined : canonicalInstant(observation.receivedAt);
    const stands =
      held !== undefined &&
      !expiredAt(claimExpiresAt(held.observedAt), observation.observedAt) &&
      !(receivedAt !== undefined && held.receivedAt !== undefined && held.receivedAt < receivedAt);
    if (stands) return held.observedAt;
    this.claims.set(claim, { observedAt: observation.observedAt, ...(receivedAt ? { receivedAt } : {}) });
    return observation.observedAt;
  }

  async recordOutcome(outcomes: OutcomeObservation[]): Promise<void> {
    for (const outcome of lastOfEachParcel(outcomes)) {
      for (const key of historyKeysOf(outcome.keys)) {
        const profile = this.profileOf(outcome.region, key);
        // Once per parcel and month of recording, as DynamoDbPartyHistory's monthly outcome pages count
        // it: the same outcome recorded again counts once; a parcel delivered under the same key once the
        // first one's records expired (400 days on) counts again.
        const counted = `${outcome.recordedAt.slice(0, 7)}#${outcome.parcelKey}`;
        if (profile.outcomeParcels.has(counted)) continue;
        profile.outcomeParcels.add(counted);
        profile.outcomeLog.add(outcomeEntry(outcome.recordedAt, outcome.outcome, outcome.parcelKey));
      }
      if (outcome.outcome !== 'seized') continue;
      const day = dayOf(outcome.recordedAt);
      for (const { kind, key } of sharedIndicatorsOf(outcome.keys)) {
        if (sharingPartners(this.agreements, outcome.region, kind, day).length === 0) continue;
        const entries = this.shared.get(`${key}#${outcome.region}`) ?? new Set<string>();
        entries.add(sharedSeizureEntry(day, sharedParcelRef(outcome.region, outcome.parcelKey)));
        this.shared.set(`${key}#${outcome.region}`, entries);
      }
    }
  }

  async correctOutcome(corrections: OutcomeCorrectionObservation[]): Promise<void> {
    for (const correction of corrections) {
      const entry = outcomeCorrectionEntry(correction.correctedAt, correction.outcome, correction.parcelKey);
      for (const key of historyKeysOf(correction.keys)) {
        this.profileOf(correction.region, key).outcomeCorrections.add(entry);
      }
      // Shared seizures follow the parcel's outcome as it now stands, not this correction's, so a late
      // redelivery of an older correction cannot undo a newer one.
      const consignee = this.profileOf(correction.region, correction.keys.consignee);
      const current = currentOutcomeOf(
        correction.parcelKey,
        [...consignee.outcomeLog],
        [...consignee.outcomeCorrections],
        correction.correctedAt,
      );
      if (!current) continue;
      const day = dayOf(current.at);
      const shared = sharedSeizureEntry(day, sharedParcelRef(correction.region, correction.parcelKey));
      for (const { kind, key } of sharedIndicatorsOf(correction.keys)) {
        const entries = this.shared.get(`${key}#${correction.region}`) ?? new Set<string>();
        if (current.outcome !== 'seized') entries.delete(shared);
        else if (sharingPartners(this.agreements, correction.region, kind, day).length > 0)
          entries.add(shared);
        this.shared.set(`${key}#${correction.region}`, entries);
      }
    }
  }

  async linksOf(key: string, region: string, now: string): Promise<string[]> {
    return linkedPartiesIn(this.bucketsOf(key, region, now));
  }

  async nodes(keys: string[], region: string, now: string): Promise<PartyNode[]> {
    return keys.map((key) => {
      const summary = this.summaryOf(key, region, now);
      const { parcels90d, flags, inspections, seizures } = summary;
      return { key, parcels90d, flags, inspections, seizures };
    });
  }

  private profileOf(region: string, key: string): StoredProfile {
    const id = `${region}#${key}`;
    const profile = this.profiles.get(id) ?? {
      days: new Set<string>(),
      outcomeParcels: new Set<string>(),
      outcomeLog: new Set<string>(),
      outcomeCorrections: new Set<string>(),
    };
    this.profiles.set(id, profile);
    return profile;
  }

  private bucketsOf(key: string, region: string, now: string): DayBucket[] {
    return windowDays(now).flatMap((day) => {
      const bucket = this.buckets.get(`${region}#${key}#${day}`);
      return bucket
        ? [
            {
              day,
              parcelCount: bucket.parcelCount,
              flags: bucket.flags,
              links: [...bucket.links],
              origins: [...bucket.origins],
              tallies: Object.fromEntries(bucket.tallies),
              tallyKeys: Object.fromEntries(
                [...bucket.tallyKeys].map(([counter, keys]) => [counter, [...keys]]),
              ),
            },
          ]
        : [];
    });
  }

  private ownHistoryOf(
    key: string,
    region: string,
    now: string,
    tallies: readonly TallyWindow[],
  ): OwnHistory | undefined {
    if (!this.profiles.has(`${region}#${key}`)) return undefined;
    return {
      summary: this.summaryOf(key, region, now, tallies),
      counterparts: counterpartsIn(key, this.bucketsOf(key, region, now), now),
    };
  }

  private summaryOf(
    key: string | undefined,
    region: string,
    now: string,
    tallies: readonly TallyWindow[] = [],
  ): PartySummary {
    const stored = key === undefined ? undefined : this.profiles.get(`${region}#${key}`);
    const profile: PartyProfile | undefined = stored && {
      ...(stored.firstSeen === undefined ? {} : { firstSeen: stored.firstSeen }),
      ...(stored.lastSeen === undefined ? {} : { lastSeen: stored.lastSeen }),
      days: [...stored.days],
      outcomeLog: [...stored.outcomeLog],
      outcomeCorrections: [...stored.outcomeCorrections],
    };
    const buckets = key === undefined ? [] : this.bucketsOf(key, region, now);
    return summarizeParty(key ?? '', profile, buckets, now, tallies);
  }
}
