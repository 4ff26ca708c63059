import { beforeEach, describe, expect, it } from 'vitest';
import type { PartyKeys } from '../../functions/core/parties/party-keys.js';
import { hashIndicator, type PartyKeyKind } from '../../functions/core/parties/party-keys.js';
import type { SharingAgreements } from '../../functions/core/parties/sharing.js';
import type { Outcome } from '../../functions/core/review/outcome.js';
import { HISTORY_PARTIES, type HistoryParty } from '../../functions/core/screening/facts.js';
import { type TallyWindow, windowKey } from '../../functions/core/screening/tallies.js';
import type { ParcelObservation, PartyHistory } from '../../functions/ports/party-history.js';

/**
 * One contract for every PartyHistory: the in-memory fake (test/unit) and DynamoDB on dynalite
 * (test/integration) both run it, so the fake the use-case tests rely on cannot drift from the store.
 */

const SALT = 'contract-test-salt-0001';
export const keyOf = (kind: PartyKeyKind, label: string | number): string =>
  hashIndicator(kind, String(label), SALT);

export const partyKeys = (
  labels: {
    consignee?: string | number;
    shipper?: string | number;
    address?: string | number;
    name?: string;
    id?: string;
  } = {},
): PartyKeys => ({
  consignee: keyOf('consignee', labels.consignee ?? 'c'),
  shipper: keyOf('shipper', labels.shipper ?? 's'),
  phone: keyOf('phone', labels.consignee ?? 'c'),
  address: keyOf('address', labels.address ?? 'a'),
  consigneeName: keyOf('name', labels.name ?? 'n'),
  ...(labels.id ? { idDocument: keyOf('idDocument', labels.id) } : {}),
});

const NOW = '2026-11-28T10:00:00.000Z';

/** A parcel as screening records it, to the default parties (partyKeys()), from Ruili, not flagged. */
export const anObservation = (
  overrides: Partial<ParcelObservation> & { parcelKey: string },
): ParcelObservation => ({
  region: 'yunnan-guangxi',
  observedAt: '2026-11-27T08:00:00.000Z',
  keys: partyKeys(),
  originCity: 'Ruili',
  flagged: false,
  ...overrides,
});

/** One agreement in force: Yunnan–Guangxi and Guangdong share phones, addresses and consignees since 2026. */
export const SHARING_WITH_GUANGDONG: SharingAgreements = {
  version: 'test',
  agreements: [
    {
      id: 'southwest-border',
      regions: ['yunnan-guangxi', 'guangdong'],
      indicators: ['phone', 'address', 'consignee'],
      since: '2026-01-01',
      owner: 'test',
    },
  ],
};

const AGREEMENTS: SharingAgreements = {
  version: 'contract',
  agreements: [
    ...SHARING_WITH_GUANGDONG.agreements,
    {
      id: 'ended',
      regions: ['yunnan-guangxi', 'hainan'],
      indicators: ['phone'],
      since: '2025-01-01',
      until: '2025-12-31',
      owner: 'contract test',
    },
  ],
};

export type MakePartyHistory = (agreements: SharingAgreements) => Promise<PartyHistory>;

export const describePartyHistoryContract = (name: string, makeStore: MakePartyHistory): void => {
  describe(`${name} (PartyHistory contract)`, () => {
    let store: PartyHistory;

    beforeEach(async () => {
      store = await makeStore(AGREEMENTS);
    });

    describe('summarize', () => {
      it('answers unknown parties with empty summaries, one per parcel in input order', async () => {
        // Prepare
        const parties = [partyKeys({ consignee: 'x' }), partyKeys({ consignee: 'y', id: 'doc' })];

        // Act
        const facts = await store.summarize(parties, 'yunnan-guangxi', NOW);

        // Assess
        expect(facts).toHaveLength(2);
        for (const history of facts) {
          expect(history.consignee).toMatchObject({
            known: false,
            firstSeen: null,
            parcels90d: 0,
            seizures: 0,
          });
          expect(history.idDocument.known).toBe(false);
          expect(history.sharedSeizures).toBe(0);
        }
      });

      it('reports first and last seen, counts and flags after recording', async () => {
        // Prepare
        await store.record([
          anObservation({ parcelKey: 'p1', observedAt: '2026-11-20T08:00:00.000Z', flagged: true }),
          anObservation({ parcelKey: 'p2', observedAt: '2026-11-27T09:30:00.000Z' }),
        ]);

        // Act
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);

        // Assess
        expect(history!.consignee).toEqual({
          known: true,
          firstSeen: '2026-11-20T08:00:00.000Z',
          lastSeen: '2026-11-27T09:30:00.000Z',
          parcels7d: 1,
          parcels30d: 2,
          parcels90d: 2,
          distinctCounterparts: 1,
          sharedDistinctCounterparts: 1,
          distinctOrigins: 1,
          flags: 1,
          inspections: 0,
          seizures: 0,
          lastSeizureAt: null,
          tallies: {},
        });
        expect(history!.shipper.parcels90d).toBe(2);
        expect(history!.phone.parcels90d).toBe(2);
        expect(history!.address.parcels90d).toBe(2);
      });

      it('keeps regions apart: one region never sees another region’s history', async () => {
        // Prepare
        await store.record([anObservation({ parcelKey: 'p1', region: 'yunnan-guangxi' })]);

        // Act
        const [inGuangdong] = await store.summarize([partyKeys()], 'guangdong', NOW);

        // Assess
        expect(inGuangdong!.consignee.known).toBe(false);
        expect(inGuangdong!.phone.parcels90d).toBe(0);
      });

      it('does not see observations after now', async () => {
        // Prepare
        await store.record([anObservation({ parcelKey: 'p1', observedAt: '2026-11-29T08:00:00.000Z' })]);

        // Act
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);

        // Assess
        expect(history!.consignee.known).toBe(false);
        expect(history!.consignee.parcels7d).toBe(0);
      });

      // A parcel screened elsewhere a moment after now, recorded before this summary: last seen goes by
      // the days seen up to now, and today's count whole, as its parcel counts do (so: now).
      it.each([
        {
          when: 'the day after now, one before on an earlier day',
          at: '2026-11-25T08:00:00.000Z',
          now: '2026-11-28T23:59:59.990Z',
          after: '2026-11-29T00:00:00.010Z',
          lastSeen: '2026-11-25T23:59:59.999Z',
        },
        {
          when: 'later today, one before earlier today',
          at: '2026-11-28T08:00:00.000Z',
          now: NOW,
          after: '2026-11-28T10:00:00.050Z',
          lastSeen: NOW,
        },
        {
          when: 'later today, one before on an earlier day',
          at: '2026-11-25T08:00:00.000Z',
          now: NOW,
          after: '2026-11-28T10:00:00.050Z',
          lastSeen: NOW,
        },
      ])(
        'gives as last seen, for a parcel after now $when, $lastSeen',
        async ({ at, now, after, lastSeen }) => {
          // Prepare
          await store.record([anObservation({ parcelKey: 'first', observedAt: '2026-10-01T08:00:00.000Z' })]);
          await store.record([anObservation({ parcelKey: 'before', observedAt: at })]);

          // Act
          await store.record([anObservation({ parcelKey: 'after', observedAt: after })]);

          // Assess
          const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', now);
          expect(history!.consignee).toMatchObject({ firstSeen: '2026-10-01T08:00:00.000Z', lastSeen });
        },
      );

      it('keeps the earliest first seen and the latest last seen whatever the recording order', async () => {
        // Prepare
        await store.record([anObservation({ parcelKey: 'late', observedAt: '2026-11-25T12:00:00.000Z' })]);
        await store.record([anObservation({ parcelKey: 'early', observedAt: '2026-11-02T12:00:00.000Z' })]);
        await store.record([anObservation({ parcelKey: 'middle', observedAt: '2026-11-10T12:00:00.000Z' })]);

        // Act
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);

        // Assess
        expect(history!.consignee.firstSeen).toBe('2026-11-02T12:00:00.000Z');
        expect(history!.consignee.lastSeen).toBe('2026-11-25T12:00:00.000Z');
        expect(history!.consignee.parcels30d).toBe(3);
      });

      it('keeps the earliest first seen and the latest last seen of parcels recorded together out of order', async () => {
        // Prepare
        const parcels = [
          anObservation({ parcelKey: 'late', observedAt: '2026-11-25T12:00:00.000Z' }),
          anObservation({ parcelKey: 'early', observedAt: '2026-11-02T12:00:00.000Z' }),
          anObservation({ parcelKey: 'middle', observedAt: '2026-11-10T12:00:00.000Z' }),
        ];

        // Act
        await store.record(parcels);

        // Assess
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        expect(history!.consignee.firstSeen).toBe('2026-11-02T12:00:00.000Z');
        expect(history!.consignee.lastSeen).toBe('2026-11-25T12:00:00.000Z');
      });
    });

    describe('rolling windows (UTC days, today included)', () => {
      it.each([
        { observedAt: '2026-11-28T00:00:00.000Z', counts: [1, 1, 1], what: 'today' },
        {
          observedAt: '2026-11-22T00:00:00.000Z',
          counts: [1, 1, 1],
          what: 'the first day of the 7-day window',
        },
        { observedAt: '2026-11-21T23:59:59.999Z', counts: [0, 1, 1], what: 'the last instant before it' },
        {
          observedAt: '2026-10-30T00:00:00.000Z',
          counts: [0, 1, 1],
          what: 'the first day of the 30-day window',
        },
        { observedAt: '2026-10-29T23:59:59.999Z', counts: [0, 0, 1], what: 'the day before it' },
        {
          observedAt: '2026-08-31T00:00:00.000Z',
          counts: [0, 0, 1],
          what: 'the first day of the 90-day window',
        },
        { observedAt: '2026-08-30T23:59:59.999Z', counts: [0, 0, 0], what: 'the day before it' },
      ])('counts a parcel of $what ($observedAt) as $counts', async ({ observedAt, counts }) => {
        // Prepare
        await store.record([anObservation({ parcelKey: 'p', observedAt })]);

        // Act
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);

        // Assess
        const { parcels7d, parcels30d, parcels90d, known } = history!.consignee;
        expect([parcels7d, parcels30d, parcels90d]).toEqual(counts);
        expect(known).toBe(true);
      });
    });

    describe('tallies (marks counted per party and UTC day, over each window asked for)', () => {
      // Tally counters as a rule set derives them: 16 hex characters.
      const SMALL = 'a1b2c3d4e5f60718';
      const PHONES = '0f1e2d3c4b5a6978';
      const OTHER = 'ffffeeeeddddcccc';
      const small = (days: number, parties: readonly HistoryParty[] = HISTORY_PARTIES): TallyWindow => ({
        counter: SMALL,
        days,
        distinct: false,
        parties,
      });
      const phones = (days: number, parties: readonly HistoryParty[] = HISTORY_PARTIES): TallyWindow => ({
        counter: PHONES,
        days,
        distinct: true,
        parties,
      });
      /** A parcel marking the parcel tally SMALL, and PHONES with its own phone key. */
      const marked = (
        parcelKey: string,
        observedAt: string,
        labels: Parameters<typeof partyKeys>[0] = {},
      ) => {
        const keys = partyKeys(labels);
        return anObservation({
          parcelKey,
          observedAt,
          keys,
          tallies: [{ counter: SMALL }, { counter: PHONES, value: keys.phone }],
        });
      };

      it('counts a parcel tally per party over its own window: from its first day on, today included, never a later day', async () => {
        // Prepare: the 30-day window up to 2026-11-28 starts on 2026-10-30
        await store.record([
          marked('first-day', '2026-10-30T00:00:00.000Z'),
          marked('day-before', '2026-10-29T23:59:59.999Z'),
          marked('today', '2026-11-28T09:00:00.000Z'),
          marked('tomorrow', '2026-11-29T08:00:00.000Z'),
          anObservation({ parcelKey: 'unmarked', observedAt: '2026-11-27T08:00:00.000Z' }),
          marked('other-consignee', '2026-11-20T08:00:00.000Z', { consignee: 'd' }),
        ]);

        // Act
        const [history, other] = await store.summarize(
          [partyKeys(), partyKeys({ consignee: 'd' })],
          'yunnan-guangxi',
          NOW,
          undefined,
          [small(30), small(7), small(1)],
        );

        // Assess
        const counts = (tallies: Record<string, number>) =>
          [30, 7, 1].map((days) => tallies[windowKey({ counter: SMALL, days })]);
        expect(counts(history!.consignee.tallies)).toEqual([2, 1, 1]);
        expect(counts(other!.consignee.tallies)).toEqual([1, 0, 0]);
        expect(counts(history!.shipper.tallies)).toEqual([3, 1, 1]);
        expect(counts(history!.address.tallies)).toEqual([3, 1, 1]);
        expect(history!.consignee.parcels30d).toBe(3);
      });

      it('counts a distinct tally as the party keys marked across the days of its window, each once', async () => {
        // Prepare: three phones at one address, one of them twice, one outside 14 days
        await store.record([
          marked('c1-early', '2026-11-20T08:00:00.000Z', { consignee: 'c1' }),
          marked('c2', '2026-11-27T08:00:00.000Z', { consignee: 'c2' }),
          marked('c1-again', '2026-11-28T08:00:00.000Z', { consignee: 'c1' }),
          marked('c3-old', '2026-10-01T08:00:00.000Z', { consignee: 'c3' }),
        ]);

        // Act
        const [history] = await store.summarize(
          [partyKeys({ consignee: 'c1' })],
          'yunnan-guangxi',
          NOW,
          undefined,
          [phones(14), phones(90), small(14)],
        );

        // Assess
        expect(history!.address.tallies).toEqual({
          [windowKey(phones(14))]: 2,
          [windowKey(phones(90))]: 3,
          [windowKey(small(14))]: 3,
        });
        expect(history!.consignee.tallies[windowKey(phones(14))]).toBe(1);
        expect(history!.consignee.tallies[windowKey(small(14))]).toBe(2);
      });

      it('counts the marks of a parcel once, however often it is recorded, a partly recorded batch included', async () => {
        // Prepare
        const batch = ['p1', 'p2', 'p3', 'p4'].map((parcelKey, index) =>
          marked(parcelKey, '2026-11-27T08:00:00.000Z', { consignee: `c${index}`, address: 'a' }),
        );
        await store.record([batch[1]!, batch[3]!]);

        // Act
        await store.record(batch);
        await store.record([...batch, ...batch]);
        await store.record([{ ...batch[0]!, observedAt: '2026-11-28T08:00:00.000Z' }]);

        // Assess
        const [history] = await store.summarize([batch[0]!.keys], 'yunnan-guangxi', NOW, undefined, [
          small(7),
          small(1),
          phones(7),
        ]);
        expect(history!.address.tallies).toEqual({
          [windowKey(small(7))]: 4,
          [windowKey(small(1))]: 0,
          [windowKey(phones(7))]: 4,
        });
        expect(history!.consignee.tallies[windowKey(small(7))]).toBe(1);
      });

      it('returns the windows asked for and only them, 0 for a party with no history or no marks', async () => {
        // Prepare
        await store.record([
          anObservation({
            parcelKey: 'p1',
            tallies: [{ counter: SMALL }, { counter: OTHER }, { counter: PHONES, value: partyKeys().phone }],
          }),
        ]);

        // Act
        const [known, unknown] = await store.summarize(
          [partyKeys(), partyKeys({ consignee: 'never-seen', id: 'doc' })],
          'yunnan-guangxi',
          NOW,
          undefined,
          [small(30)],
        );
        const [unasked] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);

        // Assess
        expect(known!.consignee.tallies).toEqual({ [windowKey(small(30))]: 1 });
        expect(unknown!.consignee.tallies).toEqual({ [windowKey(small(30))]: 0 });
        expect(unknown!.idDocument.tallies).toEqual({ [windowKey(small(30))]: 0 });
        expect(known!.idDocument.tallies).toEqual({ [windowKey(small(30))]: 0 });
        expect(unasked!.consignee.tallies).toEqual({});
      });

      it('changes nothing for an observation without tallies (callers before tallies)', async () => {
        // Prepare
        await store.record([
          anObservation({ parcelKey: 'p1', flagged: true }),
          anObservation({ parcelKey: 'p2', observedAt: '2026-11-20T08:00:00.000Z' }),
        ]);

        // Act
        const [asked] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW, undefined, [
          small(30),
          phones(30),
        ]);
        const [plain] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);

        // Assess
        expect(asked!.consignee.tallies).toEqual({ [windowKey(small(30))]: 0, [windowKey(phones(30))]: 0 });
        expect({ ...asked!.consignee, tallies: {} }).toEqual(plain!.consignee);
        expect(plain!.consignee).toMatchObject({ parcels30d: 2, flags: 1, tallies: {} });
      });

      it('counts a window only for the parties it names, other parties holding only their own windows', async () => {
        // Prepare: every party of both parcels marked
        await store.record([
          marked('p1', '2026-11-27T08:00:00.000Z'),
          marked('p2', '2026-11-26T08:00:00.000Z', { consignee: 'd' }),
        ]);

        // Act: SMALL read on the address only, PHONES on the shipper and the phone
        const [history, other] = await store.summarize(
          [partyKeys(), partyKeys({ consignee: 'd', id: 'doc' })],
          'yunnan-guangxi',
          NOW,
          undefined,
          [small(7, ['address']), phones(7, ['shipper', 'phone'])],
        );

        // Assess
        expect(history!.address.tallies).toEqual({ [windowKey(small(7))]: 2 });
        expect(history!.shipper.tallies).toEqual({ [windowKey(phones(7))]: 2 });
        expect(history!.phone.tallies).toEqual({ [windowKey(phones(7))]: 1 });
        expect(history!.consignee.tallies).toEqual({});
        expect(history!.idDocument.tallies).toEqual({});
        expect(other!.address.tallies).toEqual({ [windowKey(small(7))]: 2 });
        expect(other!.consignee.tallies).toEqual({});
        expect(other!.idDocument.tallies).toEqual({});
        expect(history!.shipper.parcels7d).toBe(2);
      });

      describe('sum tallies (each parcel adds its amount instead of 1)', () => {
        const VALUE = '5e6f708192a3b4c5';
        const value = (days: number, parties: readonly HistoryParty[] = HISTORY_PARTIES): TallyWindow => ({
          counter: VALUE,
          days,
          distinct: false,
          parties,
        });
        /** A parcel to the address `address` adding `amount` to the sum tally VALUE, and marking SMALL. */
        const declaring = (parcelKey: string, observedAt: string, amount: number, address = 'a') =>
          anObservation({
            parcelKey,
            observedAt,
            keys: partyKeys({ consignee: parcelKey, address }),
            tallies: [{ counter: SMALL }, { counter: VALUE, amount }],
          });
        const sumOf = async (address: string, windows: TallyWindow[]) => {
          const [history] = await store.summarize(
            [partyKeys({ consignee: 'reader', address })],
            'yunnan-guangxi',
            NOW,
            undefined,
            windows,
          );
          return history!.address.tallies;
        };

        it('sums the amounts per party over its own window: from its first day on, today included, never a later day', async () => {
          // Prepare: the 30-day window up to 2026-11-28 starts on 2026-10-30
          await store.record([
            declaring('first-day', '2026-10-30T00:00:00.000Z', 8_000),
            declaring('day-before', '2026-10-29T23:59:59.999Z', 50_000),
            declaring('today', '2026-11-28T09:00:00.000Z', 1_250.5),
            declaring('tomorrow', '2026-11-29T08:00:00.000Z', 70_000),
            declaring('last-week', '2026-11-24T08:00:00.000Z', 10_000.25),
            declaring('elsewhere', '2026-11-24T08:00:00.000Z', 99_999, 'b'),
          ]);

          // Act
          const tallies = await sumOf('a', [value(30), value(7), value(1), small(30)]);

          // Assess: the sum of the amounts, and the plain tally of the same parcels counted as ever
          expect(tallies).toEqual({
            [windowKey(value(30))]: 19_250.75,
            [windowKey(value(7))]: 11_250.75,
            [windowKey(value(1))]: 1_250.5,
            [windowKey(small(30))]: 3,
          });
        });

        it('adds the amount of a redelivered parcel once, a partly recorded batch included', async () => {
          // Prepare
          const batch = [1_000.1, 2_000.2, 3_000.3, 4_000.4].map((amount, index) =>
            declaring(`p${index}`, '2026-11-27T08:00:00.000Z', amount),
          );
          await store.record([batch[1]!, batch[3]!]);

          // Act
          await store.record(batch);
          await store.record([...batch, ...batch]);
          await store.record([{ ...batch[0]!, observedAt: '2026-11-28T08:00:00.000Z' }]);

          // Assess
          expect(await sumOf('a', [value(7), value(1)])).toEqual({
            [windowKey(value(7))]: 10_001,
            [windowKey(value(1))]: 0,
          });
        });

        it.each([
          {
            how: 'in one write',
            writes: [
              [
                ['2026-11-27', 0.1],
                ['2026-11-27', 0.2],
              ],
            ],
            sum: 0.3,
          },
          {
            how: 'in writes of their own',
            writes: [[['2026-11-27', 0.1]], [['2026-11-27', 0.2]]],
            sum: 0.3,
          },
          {
            how: 'on days of their own',
            writes: [[['2026-11-20', 0.1]], [['2026-11-25', 0.2]], [['2026-11-27', 0.4]]],
            sum: 0.7,
          },
          {
            how: 'with 6 decimals, over several days and writes',
            writes: [
              [
                ['2026-11-20', 19_999.123456],
                ['2026-11-20', 0.000001],
                ['2026-11-22', 0.876543],
              ],
              [
                ['2026-11-27', 0.1],
                ['2026-11-28', 0.000007],
              ],
            ],
            sum: 20_000.100007,
          },
          {
            how: 'with a negative amount',
            writes: [
              [['2026-11-26', 0.3]],
              [
                ['2026-11-27', -0.1],
                ['2026-11-28', 0.000001],
              ],
            ],
            sum: 0.200001,
          },
        ])('adds decimals exactly, $how', async ({ writes, sum }) => {
          // Prepare
          let parcels = 0;
          const observations = writes.map((write) =>
            write.map(([day, amount]) =>
              declaring(`d${++parcels}`, `${day}T08:00:00.000Z`, amount as number),
            ),
          );

          // Act
          for (const write of observations) await store.record(write);

          // Assess
          expect(await sumOf('a', [value(30)])).toEqual({ [windowKey(value(30))]: sum });
        });

        it('returns the windows asked for and only them, on the parties named, 0 for no history or no amounts', async () => {
          // Prepare
          await store.record([
            declaring('p1', '2026-11-27T08:00:00.000Z', 7_300),
            anObservation({
              parcelKey: 'p2',
              keys: partyKeys({ consignee: 'p2', address: 'a' }),
              tallies: [{ counter: SMALL }],
            }),
          ]);

          // Act
          const [known, unknown] = await store.summarize(
            [
              partyKeys({ consignee: 'p2', address: 'a' }),
              partyKeys({ consignee: 'never', address: 'never' }),
            ],
            'yunnan-guangxi',
            NOW,
            undefined,
            [value(30, ['address']), small(30, ['consignee'])],
          );

          // Assess: p2 itself added nothing to the sum, its address holds p1's
          expect(known!.address.tallies).toEqual({ [windowKey(value(30))]: 7_300 });
          expect(known!.consignee.tallies).toEqual({ [windowKey(small(30))]: 1 });
          expect(known!.shipper.tallies).toEqual({});
          expect(unknown!.address.tallies).toEqual({ [windowKey(value(30))]: 0 });
          expect(unknown!.consignee.tallies).toEqual({ [windowKey(small(30))]: 0 });
        });
      });
    });

    describe('idempotency', () => {
      it('counts a redelivered parcel once', async () => {
        // Prepare
        const parcels = [
          anObservation({ parcelKey: 'p1', flagged: true }),
          anObservation({ parcelKey: 'p2', keys: partyKeys({ shipper: 's2' }) }),
        ];
        await store.record(parcels);

        // Act
        await store.record(parcels);
        await store.record([...parcels, ...parcels]);

        // Assess
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        expect(history!.consignee).toMatchObject({ parcels7d: 2, flags: 1, distinctCounterparts: 2 });
      });

      it('counts a parcel carried twice in one call once, as its last entry says', async () => {
        // Act
        await store.record([
          anObservation({ parcelKey: 'p1', observedAt: '2026-11-26T08:00:00.000Z' }),
          anObservation({ parcelKey: 'p1', observedAt: '2026-11-27T08:00:00.000Z' }),
        ]);
        await store.recordOutcome([
          {
            parcelKey: 'p1',
            region: 'yunnan-guangxi',
            recordedAt: '2026-11-27T15:00:00.000Z',
            keys: partyKeys(),
            outcome: 'seized',
          },
          {
            parcelKey: 'p1',
            region: 'yunnan-guangxi',
            recordedAt: '2026-11-27T16:00:00.000Z',
            keys: partyKeys(),
            outcome: 'cleared',
          },
        ]);

        // Assess
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        expect(history!.consignee).toMatchObject({
          parcels7d: 1,
          lastSeen: '2026-11-27T08:00:00.000Z',
          inspections: 1,
          seizures: 0,
        });
      });

      it('counts a parcel recorded again at another time once, at its first time', async () => {
        // Prepare
        await store.record([anObservation({ parcelKey: 'p1', observedAt: '2026-11-20T08:00:00.000Z' })]);

        // Act
        await store.record([anObservation({ parcelKey: 'p1', observedAt: '2026-11-27T08:00:00.000Z' })]);

        // Assess
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        expect(history!.consignee).toMatchObject({
          parcels7d: 0,
          parcels30d: 1,
          lastSeen: '2026-11-20T08:00:00.000Z',
        });
      });

      it('counts a parcel recorded again at the instant its claim expires as another parcel', async () => {
        // Prepare: the claim of a parcel screened on 2025-10-24 expires at 2026-11-28T00:00Z, 400 days on
        await store.record([anObservation({ parcelKey: 'p1', observedAt: '2025-10-24T08:00:00.000Z' })]);

        // Act
        await store.record([anObservation({ parcelKey: 'p1', observedAt: '2026-11-28T00:00:00.000Z' })]);

        // Assess
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        expect(history!.consignee).toMatchObject({
          parcels7d: 1,
          lastSeen: '2026-11-28T00:00:00.000Z',
        });
      });

      it('counts a parcel delivered again under its key once its records expired as another parcel, while the first one’s claim still lives', async () => {
        // Prepare: received late on 2025-10-22, screened after midnight: its claim lives until
        // 2026-11-27T00:00Z, its parcel's record only until 2026-11-26T20:00Z, when the id was free again
        await store.record([
          anObservation({
            parcelKey: 'p1',
            observedAt: '2025-10-23T01:00:00.000Z',
            receivedAt: '2025-10-22T20:00:00.000Z',
          }),
        ]);
        const again = anObservation({
          parcelKey: 'p1',
          observedAt: '2026-11-26T21:00:00.000Z',
          receivedAt: '2026-11-26T20:30:00.000Z',
        });

        // Act: the new delivery, recorded twice (the second time later, as a redelivery may be)
        await store.record([again]);
        await store.record([{ ...again, observedAt: '2026-11-27T09:00:00.000Z' }]);

        // Assess: counted once, on its own day
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        expect(history!.consignee).toMatchObject({
          parcels7d: 1,
          firstSeen: '2025-10-23T01:00:00.000Z',
          lastSeen: '2026-11-26T21:00:00.000Z',
        });
      });

      it('counts the rest of a partly recorded batch exactly once', async () => {
        // Prepare
        const batch = ['p1', 'p2', 'p3', 'p4'].map((parcelKey) =>
          anObservation({ parcelKey, flagged: parcelKey !== 'p2' }),
        );
        await store.record([batch[1]!, batch[3]!]);

        // Act
        await store.record(batch);

        // Assess
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        expect(history!.consignee.parcels7d).toBe(4);
        expect(history!.consignee.flags).toBe(3);
      });

      it('keeps every counter exact when 1,000 parcels to 50 consignees are recorded concurrently, some twice', async () => {
        // Prepare
        const parcels = Array.from({ length: 1000 }, (_, index) =>
          anObservation({
            parcelKey: `load-${index}`,
            observedAt: `2026-11-2${index % 5}T0${index % 10}:00:00.000Z`,
            keys: partyKeys({ consignee: index % 50, shipper: index % 7, address: index % 25 }),
            flagged: index % 3 === 0,
          }),
        );
        const messages = Array.from({ length: 100 }, (_, index) =>
          parcels.slice(index * 10, index * 10 + 10),
        );
        const expected = (consignee: number) => {
          const mine = parcels.filter((_, index) => index % 50 === consignee);
          return {
            parcels90d: mine.length,
            flags: mine.filter((parcel) => parcel.flagged).length,
            distinctCounterparts: new Set(mine.map((parcel) => parcel.keys.shipper)).size,
          };
        };

        // Act
        for (let start = 0; start < messages.length; start += 25) {
          const wave = messages.slice(start, start + 25);
          // Every fifth message is delivered twice at once, as SQS may when a visibility timeout lapses.
          await Promise.all(
            wave.flatMap((message, index) =>
              (index % 5 === 0 ? [message, message] : [message]).map((m) => store.record(m)),
            ),
          );
        }

        // Assess
        const consignees = Array.from({ length: 50 }, (_, index) => index);
        const facts = await store.summarize(
          consignees.map((index) => partyKeys({ consignee: index, shipper: 0, address: index % 25 })),
          'yunnan-guangxi',
          NOW,
        );
        facts.forEach((history, consignee) => {
          expect(history.consignee).toMatchObject(expected(consignee));
          expect(history.phone.parcels90d).toBe(20);
          expect(history.address.parcels90d).toBe(40);
          expect(history.address.distinctCounterparts).toBe(2);
        });
        expect(facts[0]!.shipper.parcels90d).toBe(parcels.filter((_, index) => index % 7 === 0).length);
        expect(facts[0]!.shipper.distinctCounterparts).toBe(50);
        expect(facts.reduce((total, history) => total + history.consignee.parcels90d, 0)).toBe(1000);
      }, 90_000);
    });

    describe('distinct counterparts and origins', () => {
      it.each([
        {
          party: 'consignee' as const,
          what: 'shippers per consignee',
          parcels: [partyKeys({ shipper: 1 }), partyKeys({ shipper: 2 }), partyKeys({ shipper: 2 })],
          expected: 2,
        },
        {
          party: 'shipper' as const,
          what: 'consignees per shipper',
          parcels: [partyKeys({ consignee: 1 }), partyKeys({ consignee: 2 }), partyKeys({ consignee: 3 })],
          expected: 3,
        },
        {
          party: 'phone' as const,
          what: 'names per phone',
          parcels: [
            partyKeys({ name: '张伟' }),
            partyKeys({ name: 'wei zhang' }),
            partyKeys({ name: '张伟' }),
          ],
          expected: 2,
        },
        {
          party: 'address' as const,
          what: 'consignees per address',
          parcels: [partyKeys({ consignee: 1 }), partyKeys({ consignee: 2 }), partyKeys({ consignee: 1 })],
          expected: 2,
        },
      ])('counts $what', async ({ party, parcels, expected }) => {
        // Prepare
        const observations = parcels.map((keys, index) => anObservation({ parcelKey: `p${index}`, keys }));
        await store.record(observations);

        // Act
        const [history] = await store.summarize([observations[0]!.keys], 'yunnan-guangxi', NOW);

        // Assess
        expect(history![party].distinctCounterparts).toBe(expected);
      });

      it('counts distinct origin cities per consignee, folding case and width', async () => {
        // Prepare
        await store.record(
          ['Ruili', 'RUILI', 'Ｒｕｉｌｉ', 'Baise'].map((originCity, index) =>
            anObservation({ parcelKey: `p${index}`, originCity }),
          ),
        );

        // Act
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);

        // Assess
        expect(history!.consignee.distinctOrigins).toBe(2);
      });

      it.each([
        { origins: ['瑞丽市', '瑞丽', ' 瑞丽 市 '], expected: 1 },
        { origins: ['伊犁哈萨克自治州', '伊犁州', '伊犁'], expected: 1 },
        { origins: ['德宏傣族景颇族自治州', '德宏州', 'Ruili', 'RUILI'], expected: 2 },
        { origins: ['瑞丽市', 'Ruili'], expected: 2 },
      ])(
        'counts $origins as $expected origins, a Han city by its bare name',
        async ({ origins, expected }) => {
          // Prepare
          await store.record(
            origins.map((originCity, index) => anObservation({ parcelKey: `p${index}`, originCity })),
          );

          // Act
          const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);

          // Assess
          expect(history!.consignee.distinctOrigins).toBe(expected);
        },
      );

      it('keeps an ID document’s history when the parcel carries one', async () => {
        // Prepare
        await store.record([
          anObservation({ parcelKey: 'p1', keys: partyKeys({ consignee: 1, id: 'doc' }) }),
          anObservation({ parcelKey: 'p2', keys: partyKeys({ consignee: 2, id: 'doc' }) }),
        ]);

        // Act
        const [history] = await store.summarize(
          [partyKeys({ consignee: 3, id: 'doc' })],
          'yunnan-guangxi',
          NOW,
        );

        // Assess
        expect(history!.idDocument).toMatchObject({ known: true, parcels7d: 2, distinctCounterparts: 2 });
        expect(history!.consignee.known).toBe(false);
      });
    });

    describe('recordOutcome', () => {
      const outcome = (
        parcelKey: string,
        kind: Outcome,
        recordedAt: string,
        keys = partyKeys(),
        region = 'yunnan-guangxi',
      ) => ({
        parcelKey,
        region,
        recordedAt,
        keys,
        outcome: kind,
      });

      it('counts inspections, seizures and the last seizure once per parcel, for every party of it', async () => {
        // Prepare
        await store.record([anObservation({ parcelKey: 'p1' }), anObservation({ parcelKey: 'p2' })]);
        const outcomes = [
          outcome('p1', 'seized', '2026-11-27T15:00:00.000Z'),
          outcome('p2', 'cleared', '2026-11-27T16:00:00.000Z'),
          outcome('p3', 'seized', '2026-11-26T15:00:00.000Z'),
        ];

        // Act
        await store.recordOutcome(outcomes);
        await store.recordOutcome(outcomes);
        await store.recordOutcome([outcome('p1', 'seized', '2026-11-28T01:00:00.000Z')]);

        // Assess
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        for (const party of ['consignee', 'shipper', 'phone', 'address'] as const) {
          expect(history![party]).toMatchObject({
            inspections: 3,
            seizures: 2,
            lastSeizureAt: '2026-11-27T15:00:00.000Z',
          });
        }
      });

      it('counts the outcome of a parcel delivered again under its key, a year on, as another', async () => {
        // Act: the first parcel under p1 seized in October 2025; the second, once the first one's
        // records expired, seized in November 2026 (recorded twice)
        await store.recordOutcome([outcome('p1', 'seized', '2025-10-27T15:00:00.000Z')]);
        await store.recordOutcome([outcome('p1', 'seized', '2026-11-27T15:00:00.000Z')]);
        await store.recordOutcome([outcome('p1', 'seized', '2026-11-27T15:00:00.000Z')]);

        // Assess
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        expect(history!.consignee).toMatchObject({
          inspections: 2,
          seizures: 2,
          lastSeizureAt: '2026-11-27T15:00:00.000Z',
        });
      });

      it.each([
        {
          what: 'a correction of the first parcel leaves the second one’s seizure alone',
          corrected: '2025-10-28T09:00:00.000Z',
          lastSeizureAt: '2026-11-27T15:00:00.000Z',
        },
        {
          what: 'a correction of the second parcel leaves the first one’s seizure alone',
          corrected: '2026-11-28T09:00:00.000Z',
          lastSeizureAt: '2025-10-27T15:00:00.000Z',
        },
      ])(
        'of two parcels delivered under one key a year apart, $what',
        async ({ corrected, lastSeizureAt }) => {
          // Prepare: both seized
          await store.recordOutcome([outcome('p1', 'seized', '2025-10-27T15:00:00.000Z')]);
          await store.recordOutcome([outcome('p1', 'seized', '2026-11-27T15:00:00.000Z')]);

          // Act: one of them corrected to cleared
          await store.correctOutcome([
            {
              parcelKey: 'p1',
              region: 'yunnan-guangxi',
              correctedAt: corrected,
              keys: partyKeys(),
              outcome: 'cleared',
            },
          ]);

          // Assess
          const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
          expect(history!.consignee).toMatchObject({ inspections: 2, seizures: 1, lastSeizureAt });
        },
      );

      it('does not count a parcel nobody could find as an inspection, and counts it once corrected to one', async () => {
        // Prepare: nothing was looked at
        await store.recordOutcome([outcome('p1', 'not-found', '2026-11-27T15:00:00.000Z')]);
        const before = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);

        // Act: found after all, and cleared
        await store.correctOutcome([
          {
            parcelKey: 'p1',
            region: 'yunnan-guangxi',
            correctedAt: '2026-11-28T01:00:00.000Z',
            keys: partyKeys(),
            outcome: 'cleared',
          },
        ]);

        // Assess
        const [after] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        expect(before[0]!.consignee).toMatchObject({ inspections: 0, seizures: 0 });
        expect(after!.consignee).toMatchObject({ inspections: 1, seizures: 0 });
      });

      it('does not count an outcome recorded after now', async () => {
        // Prepare
        await store.recordOutcome([outcome('p1', 'seized', '2026-11-29T15:00:00.000Z')]);

        // Act
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);

        // Assess
        expect(history!.consignee.seizures).toBe(0);
      });
    });

    describe('correctOutcome', () => {
      const T_EARLIER = '2026-11-26T15:00:00.000Z';
      const T_INSPECTED = '2026-11-27T15:00:00.000Z';
      const T_CORRECTED = '2026-11-28T09:00:00.000Z';
      const T_CORRECTED_AGAIN = '2026-11-28T09:30:00.000Z';
      const smuggler = partyKeys({ consignee: 'smuggler', address: 'drop' });
      const recordOne = (parcelKey: string, kind: Outcome, recordedAt: string, keys = partyKeys()) =>
        store.recordOutcome([{ parcelKey, region: 'yunnan-guangxi', recordedAt, keys, outcome: kind }]);
      const correction = (parcelKey: string, kind: Outcome, correctedAt: string, keys = partyKeys()) => ({
        parcelKey,
        region: 'yunnan-guangxi',
        correctedAt,
        keys,
        outcome: kind,
      });
      const sharedSeizuresIn = async (region: string) => {
        const [history] = await store.summarize([smuggler], region, NOW);
        return history!.sharedSeizures;
      };

      it('takes a seizure corrected to cleared out of seizures and the last seizure, keeping the inspection', async () => {
        // Prepare
        await recordOne('p0', 'seized', T_EARLIER);
        await recordOne('p1', 'seized', T_INSPECTED);

        // Act
        await store.correctOutcome([correction('p1', 'cleared', T_CORRECTED)]);

        // Assess
        const [history] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        for (const party of ['consignee', 'shipper', 'phone', 'address'] as const) {
          expect(history![party]).toMatchObject({ inspections: 2, seizures: 1, lastSeizureAt: T_EARLIER });
        }
      });

      it('counts an outcome corrected to seized as a seizure dated from its inspection, from the correction on', async () => {
        // Prepare
        await recordOne('p1', 'cleared', T_INSPECTED);

        // Act
        await store.correctOutcome([correction('p1', 'seized', T_CORRECTED)]);

        // Assess
        const [now] = await store.summarize([partyKeys()], 'yunnan-guangxi', NOW);
        const [beforeCorrection] = await store.summarize(
          [partyKeys()],
          'yunnan-guangxi',
          '2026-11-28T08:00:00.000Z',
        );
        expect(now!.consignee).toMatchObject({ inspections: 1, seizures: 1, lastSeizureAt: T_INSPECTED });
        expect(now!.phone).toMatchObject({ inspections: 1, seizures: 1, lastSeizureAt: T_INSPECTED });
        expect(beforeCorrection!.consignee).toMatchObject({
          inspections: 1,
          seizures: 0,
          lastSeizureAt: null,
        });
      });

      it('changes nothing when the same correction is applied again, nor when an older one arrives late', async () => {
        // Prepare
        await recordOne('p1', 'seized', T_INSPECTED, smuggler);
        await store.correctOutcome([correction('p1', 'cleared', T_CORRECTED, smuggler)]);
        await store.correctOutcome([correction('p1', 'seized', T_CORRECTED_AGAIN, smuggler)]);

        // Act
        await store.correctOutcome([correction('p1', 'seized', T_CORRECTED_AGAIN, smuggler)]);
        await store.correctOutcome([
          correction('p1', 'cleared', T_CORRECTED, smuggler),
          correction('p1', 'cleared', T_CORRECTED, smuggler),
        ]);

        // Assess
        const [history] = await store.summarize([smuggler], 'yunnan-guangxi', NOW);
        expect(history!.consignee).toMatchObject({ inspections: 1, seizures: 1, lastSeizureAt: T_INSPECTED });
        expect(history!.address).toMatchObject({ inspections: 1, seizures: 1 });
        expect(await sharedSeizuresIn('guangdong')).toBe(1);
      });

      it('counts a correction of a parcel with no recorded outcome as its outcome, which a late outcome does not change', async () => {
        // Prepare
        await store.correctOutcome([correction('p1', 'cleared', T_CORRECTED, smuggler)]);

        // Act
        await recordOne('p1', 'seized', T_INSPECTED, smuggler);

        // Assess
        const [history] = await store.summarize([smuggler], 'yunnan-guangxi', NOW);
        expect(history!.consignee).toMatchObject({ inspections: 1, seizures: 0, lastSeizureAt: null });
      });

      it('withdraws a seizure corrected away from the regions it was shared with', async () => {
        // Prepare
        await recordOne('p1', 'seized', T_INSPECTED, smuggler);
        const before = await sharedSeizuresIn('guangdong');

        // Act
        await store.correctOutcome([correction('p1', 'documents-irregular', T_CORRECTED, smuggler)]);

        // Assess
        expect(before).toBe(1);
        expect(await sharedSeizuresIn('guangdong')).toBe(0);
      });

      it('withdraws a seizure that only a correction recorded, corrected away days later', async () => {
        // Prepare: no outcome recorded; a correction to seized on one day shares the seizure
        await store.correctOutcome([correction('p9', 'seized', '2026-11-20T10:00:00.000Z', smuggler)]);
        const before = await sharedSeizuresIn('guangdong');

        // Act: corrected to cleared two days on
        await store.correctOutcome([correction('p9', 'cleared', '2026-11-22T10:00:00.000Z', smuggler)]);

        // Assess: withdrawn where it was shared, as the seizing region no longer counts it
        const [own] = await store.summarize([smuggler], 'yunnan-guangxi', NOW);
        expect(before).toBe(1);
        expect(await sharedSeizuresIn('guangdong')).toBe(0);
        expect(own!.consignee.seizures).toBe(0);
      });

      it('shares an outcome corrected to seized with the regions that have an agreement, and only them', async () => {
        // Prepare
        await recordOne('p1', 'cleared', T_INSPECTED, smuggler);
        const before = await sharedSeizuresIn('guangdong');

        // Act
        await store.correctOutcome([correction('p1', 'seized', T_CORRECTED, smuggler)]);

        // Assess
        expect(before).toBe(0);
        expect(await sharedSeizuresIn('guangdong')).toBe(1);
        expect(await sharedSeizuresIn('sichuan')).toBe(0);
        expect(await sharedSeizuresIn('yunnan-guangxi')).toBe(0);
      });
    });

    describe('shared intelligence', () => {
      const seize = (
        region: string,
        keys: PartyKeys,
        parcelKey = 'seized-1',
        recordedAt = '2026-11-27T15:00:00.000Z',
      ) => store.recordOutcome([{ parcelKey, region, recordedAt, keys, outcome: 'seized' }]);

      it.each([
        { reader: 'guangdong', expected: 1, why: 'shares with yunnan-guangxi' },
        { reader: 'hainan', expected: 0, why: 'has an agreement that ended before the seizure' },
        { reader: 'sichuan', expected: 0, why: 'has no agreement' },
        {
          reader: 'yunnan-guangxi',
          expected: 0,
          why: 'is the seizing region (its own seizures are history, not shared)',
        },
      ])('gives $reader sharedSeizures $expected: it $why', async ({ reader, expected }) => {
        // Prepare
        await seize('yunnan-guangxi', partyKeys({ consignee: 'smuggler', address: 'drop' }));

        // Act
        const [history] = await store.summarize(
          [partyKeys({ consignee: 'smuggler', address: 'elsewhere' })],
          reader,
          NOW,
        );

        // Assess
        expect(history!.sharedSeizures).toBe(expected);
      });

      it('counts one seizure once when several indicators match, and each seized parcel once', async () => {
        // Prepare
        const keys = partyKeys({ consignee: 'smuggler', address: 'drop' });
        await seize('yunnan-guangxi', keys, 'seized-1');
        await seize('yunnan-guangxi', keys, 'seized-1');
        await seize('yunnan-guangxi', partyKeys({ consignee: 'other', address: 'drop' }), 'seized-2');

        // Act
        const [history] = await store.summarize([keys], 'guangdong', NOW);

        // Assess
        expect(history!.sharedSeizures).toBe(2);
      });

      it('keeps no history, links or shared seizures for a parcel without an address key, and keeps its other parties', async () => {
        // Prepare: two strangers whose addresses name no street (derivePartyKeys gives them no address key)
        const withoutAddress = (consignee: string): PartyKeys => {
          const { address: _street, ...keys } = partyKeys({ consignee });
          return keys;
        };
        const [seized, stranger] = [withoutAddress('smuggler'), withoutAddress('stranger')];
        await store.record([
          anObservation({ parcelKey: 'seized-1', keys: seized }),
          anObservation({ parcelKey: 'p2', keys: stranger }),
        ]);
        await seize('yunnan-guangxi', seized);

        // Act
        const [strangerHere, strangerThere, smugglerThere] = [
          ...(await store.summarize([stranger], 'yunnan-guangxi', NOW)),
          ...(await store.summarize([stranger, seized], 'guangdong', NOW)),
        ];
        const links = await store.linksOf(seized.consignee, 'yunnan-guangxi', NOW);

        // Assess
        expect(strangerHere!.address).toMatchObject({ known: false, parcels90d: 0, seizures: 0 });
        expect(strangerHere!.consignee).toMatchObject({ known: true, parcels90d: 1 });
        expect(strangerThere!.sharedSeizures).toBe(0);
        expect(smugglerThere!.sharedSeizures).toBe(1);
        expect(links).toEqual([seized.phone, seized.shipper].sort());
      });

      it('shares only the indicator kinds the agreement names', async () => {
        // Prepare
        await seize('yunnan-guangxi', partyKeys({ consignee: 'smuggler', address: 'drop', id: 'doc' }));

        // Act
        const [byDocument] = await store.summarize(
          [partyKeys({ consignee: 'nobody', address: 'nowhere', id: 'doc' })],
          'guangdong',
          NOW,
        );
        const [byAddress] = await store.summarize(
          [partyKeys({ consignee: 'nobody', address: 'drop' })],
          'guangdong',
          NOW,
        );

        // Assess
        expect(byDocument!.sharedSeizures).toBe(0);
        expect(byAddress!.sharedSeizures).toBe(1);
      });

      it('shares no history: the reading region learns nothing of the seizing region’s parties', async () => {
        // Prepare
        const keys = partyKeys({ consignee: 'smuggler', address: 'drop' });
        await store.record([anObservation({ parcelKey: 'p1', keys })]);
        await seize('yunnan-guangxi', keys, 'p1');

        // Act
        const [inGuangdong] = await store.summarize([keys], 'guangdong', NOW);

        // Assess
        expect(inGuangdong!.sharedSeizures).toBe(1);
        expect(inGuangdong!.consignee).toMatchObject({ known: false, seizures: 0, parcels90d: 0 });
        expect(inGuangdong!.address).toMatchObject({ known: false, seizures: 0, inspections: 0 });
      });
    });

    describe('shared counterparts (names per phone, consignees per address across regions)', () => {
      const PHONE = 'shared-phone';
      const labelled = (
        region: string,
        parcelKey: string,
        name: string,
        observedAt = '2026-11-27T08:00:00.000Z',
      ) => anObservation({ parcelKey, region, observedAt, keys: partyKeys({ consignee: PHONE, name }) });

      it('counts the names a phone was used with here, in regions sharing phones with this one, and on this parcel', async () => {
        // Prepare
        await store.record([
          labelled('yunnan-guangxi', 'a1', '张伟'),
          labelled('yunnan-guangxi', 'a2', '張偉'),
          labelled('yunnan-guangxi', 'a3', 'wei zhang'),
        ]);
        await store.record([labelled('guangdong', 'b1', 'cheung wai')]);

        // Act
        const [inGuangdong] = await store.summarize(
          [partyKeys({ consignee: PHONE, name: 'chang wei' })],
          'guangdong',
          NOW,
        );
        const [inYunnan] = await store.summarize(
          [partyKeys({ consignee: PHONE, name: '张伟' })],
          'yunnan-guangxi',
          NOW,
        );

        // Assess
        expect(inGuangdong!.phone).toMatchObject({ distinctCounterparts: 1, sharedDistinctCounterparts: 5 });
        expect(inYunnan!.phone).toMatchObject({ distinctCounterparts: 3, sharedDistinctCounterparts: 4 });
      });

      it("leaves out the names another region shared from the delivery being screened, not another delivery's", async () => {
        // Prepare: one delivery's parcels at Nanning (its names shared), an earlier delivery's, and a name
        // shared before deliveries were named
        const THIS = 'delivery-being-screened';
        await store.record([
          { ...labelled('yunnan-guangxi', 'a1', '张伟'), delivery: THIS },
          { ...labelled('yunnan-guangxi', 'a2', 'li na'), delivery: THIS },
          { ...labelled('yunnan-guangxi', 'a3', 'wang fang'), delivery: 'an-earlier-delivery' },
          labelled('yunnan-guangxi', 'a4', 'chen jie'),
        ]);

        // Act: the same delivery's parcel at Guangzhou, and a parcel of another delivery there
        const keys = [partyKeys({ consignee: PHONE, name: 'zhao lei' })];
        const [sameDelivery] = await store.summarize(keys, 'guangdong', NOW, THIS);
        const [otherDelivery] = await store.summarize(keys, 'guangdong', NOW, 'another-delivery');

        // Assess: wang fang, chen jie and its own name; all five and its own name
        expect(sameDelivery!.phone.sharedDistinctCounterparts).toBe(3);
        expect(otherDelivery!.phone.sharedDistinctCounterparts).toBe(5);
      });

      it.each([
        { reader: 'guangdong', expected: 2, why: 'shares phones with yunnan-guangxi' },
        { reader: 'hainan', expected: 1, why: 'has an agreement that ended before the observation' },
        { reader: 'sichuan', expected: 1, why: 'has no agreement' },
      ])(
        'gives $reader $expected name(s) for a phone seen elsewhere: it $why',
        async ({ reader, expected }) => {
          // Prepare
          await store.record([labelled('yunnan-guangxi', 'a1', '张伟')]);

          // Act
          const [history] = await store.summarize(
            [partyKeys({ consignee: PHONE, name: 'zhang wei' })],
            reader,
            NOW,
          );

          // Assess
          expect(history!.phone.sharedDistinctCounterparts).toBe(expected);
          expect(history!.phone.known).toBe(false);
        },
      );

      it('counts a name seen in both regions once, and nothing a redelivery repeats', async () => {
        // Prepare
        const here = [labelled('yunnan-guangxi', 'a1', '张伟'), labelled('yunnan-guangxi', 'a2', '張偉')];
        const there = [labelled('guangdong', 'b1', '张伟')];
        await store.record(here);
        await store.record(there);

        // Act
        await store.record([...here, ...here]);
        await store.record(there);
        const [history] = await store.summarize(
          [partyKeys({ consignee: PHONE, name: '張偉' })],
          'guangdong',
          NOW,
        );

        // Assess
        expect(history!.phone).toMatchObject({
          parcels90d: 1,
          distinctCounterparts: 1,
          sharedDistinctCounterparts: 2,
        });
      });

      it('shares consignees per address and shippers per consignee, never ID documents outside the agreement', async () => {
        // Prepare
        await store.record([
          anObservation({
            parcelKey: 'a1',
            keys: partyKeys({ consignee: 1, shipper: 1, address: 'drop', id: 'doc' }),
          }),
          anObservation({
            parcelKey: 'a2',
            keys: partyKeys({ consignee: 2, shipper: 2, address: 'drop', id: 'doc' }),
          }),
        ]);

        // Act
        const [history] = await store.summarize(
          [partyKeys({ consignee: 1, shipper: 3, address: 'drop', id: 'doc' })],
          'guangdong',
          NOW,
        );

        // Assess
        expect(history!.address.sharedDistinctCounterparts).toBe(2);
        expect(history!.consignee.sharedDistinctCounterparts).toBe(2);
        expect(history!.idDocument.sharedDistinctCounterparts).toBe(1);
        expect(history!.shipper.sharedDistinctCounterparts).toBe(1);
      });

      it('leaves out what was seen more than 90 days ago or after now', async () => {
        // Prepare
        await store.record([
          labelled('yunnan-guangxi', 'old', '张伟', '2026-08-30T12:00:00.000Z'),
          labelled('yunnan-guangxi', 'future', '張偉', '2026-11-29T12:00:00.000Z'),
          labelled('yunnan-guangxi', 'recent', 'wei zhang', '2026-08-31T12:00:00.000Z'),
        ]);

        // Act
        const [history] = await store.summarize(
          [partyKeys({ consignee: PHONE, name: 'x' })],
          'guangdong',
          NOW,
        );

        // Assess
        expect(history!.phone.sharedDistinctCounterparts).toBe(2);
      });
    });

    describe('links', () => {
      it('lists the parties linked through shared parcels within 90 days, names excluded', async () => {
        // Prepare
        const keys = partyKeys({ consignee: 1, shipper: 9, address: 'drop', id: 'doc' });
        await store.record([
          anObservation({ parcelKey: 'p1', keys }),
          anObservation({ parcelKey: 'p2', keys: partyKeys({ consignee: 2, shipper: 9, address: 'drop' }) }),
          anObservation({
            parcelKey: 'old',
            keys: partyKeys({ consignee: 3, address: 'drop' }),
            observedAt: '2026-06-01T00:00:00.000Z',
          }),
        ]);

        // Act
        const links = await store.linksOf(keyOf('address', 'drop'), 'yunnan-guangxi', NOW);

        // Assess
        expect(links).toEqual(
          [
            keyOf('consignee', 1),
            keyOf('phone', 1),
            keyOf('shipper', 9),
            keyOf('idDocument', 'doc'),
            keyOf('consignee', 2),
            keyOf('phone', 2),
          ].sort(),
        );
      });

      it('gives counts, flags and seizures per node in input order', async () => {
        // Prepare
        await store.record([
          anObservation({ parcelKey: 'p1', flagged: true }),
          anObservation({ parcelKey: 'p2' }),
        ]);
        await store.recordOutcome([
          {
            parcelKey: 'p1',
            region: 'yunnan-guangxi',
            recordedAt: '2026-11-27T15:00:00.000Z',
            keys: partyKeys(),
            outcome: 'seized',
          },
        ]);
        const keys = [partyKeys().phone, keyOf('phone', 'unknown')];

        // Act
        const nodes = await store.nodes(keys, 'yunnan-guangxi', NOW);

        // Assess
        expect(nodes).toEqual([
          { key: keys[0], parcels90d: 2, flags: 1, inspections: 1, seizures: 1 },
          { key: keys[1], parcels90d: 0, flags: 0, inspections: 0, seizures: 0 },
        ]);
      });
    });
  });
};
