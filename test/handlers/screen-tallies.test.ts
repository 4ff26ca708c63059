import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDecisionStore } from '../../functions/adapters/dynamodb-decision-store.js';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { loadRuleSetFromDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { InMemoryManifestParts } from '../../functions/adapters/in-memory-manifest-parts.js';
import { InMemoryPartyHistory } from '../../functions/adapters/in-memory-party-history.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import type { Evaluation, ScreeningPolicy } from '../../functions/core/screening/decision.js';
import type { HistoryFacts, ScreeningFacts } from '../../functions/core/screening/facts.js';
import {
  type DeclaredTally,
  MAX_TALLY_AMOUNT,
  type TallyMark,
  type TallyWindow,
} from '../../functions/core/screening/tallies.js';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import type { ParcelObservation, PartyHistory } from '../../functions/ports/party-history.js';
import type { RuleStatistics } from '../../functions/ports/rule-statistics.js';
import { makeScreenParcels, type ScreenParcelsDeps } from '../../functions/screen/screen-parcels.js';
import { TABLES } from '../../infra/definitions.js';
import { aCountTally, aPhonesTally } from '../support/declared-tallies.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { OFFICES, TEST_SALT } from '../support/screening-messages.js';
import { aRuiliParcel, RUILI_PARCEL, ruiliMessageOf, ruleSetWithTallies } from '../support/tallies.js';
import { CNY_PER_UNIT, compile, LINE_VALUE_CNY, list, rule } from '../unit/rules/rule-set-factory.js';

/**
 * Tallies through screening: each screened parcel marks the tallies of the live rule set and of the
 * shadow's for its parties, with its decision; a later parcel's rules read them from party history.
 */

const FROM_RUILI = '00000000000000a1';
const PHONES = '00000000000000b2';

/** Parcels from Ruili, over 30 days, read on the consignee and the address. */
const fromRuili = aCountTally('from-ruili', FROM_RUILI, 30);
/** Distinct consignee phones, over 14 days, read on the consignee. */
const phones = aPhonesTally(PHONES, 14);

/**
 * The marks of those two tallies, as a compiled rule set makes them: from Ruili when the parcel is (no
 * `value` key), its phone key when it has one.
 */
const marksOf = (facts: ScreeningFacts): TallyMark[] => [
  ...(facts.parcel.route.origin.city === 'Ruili' ? [{ counter: FROM_RUILI }] : []),
  ...(facts.parties.phone === undefined ? [] : [{ counter: PHONES, value: facts.parties.phone }]),
];

/**
 * A rule set that declares `tallies`, marks those of them marksOf marks, and holds a parcel whose
 * consignee's tally `holdOn` is 1 or more; it notes the history each parcel is evaluated with.
 */
const policyOf = (id: string, tallies: DeclaredTally[], holdOn: string) => {
  const seen: HistoryFacts[] = [];
  const counters = new Set(tallies.map((tally) => tally.counter));
  const policy: ScreeningPolicy = {
    id,
    version: `sha256:${id}`,
    tallies,
    tallyMarks: (facts) => marksOf(facts).filter((mark) => counters.has(mark.counter)),
    evaluate: (facts): Evaluation => {
      seen.push(facts.history);
      const hold = (facts.history.consignee.tallies[holdOn] ?? 0) >= 1;
      return {
        ruleSetId: id,
        ruleSetVersion: `sha256:${id}`,
        score: hold ? 60 : 0,
        lane: hold ? 'hold' : 'release',
        firedRules: hold
          ? [{ ruleId: `${holdOn}-again`, title: holdOn, score: 60, reason: holdOn, values: {} }]
          : [],
      };
    },
    laneFloor: () => 60,
  };
  return { policy, seen };
};

const VALUE = '00000000000000c3';

/** Declared value over 30 days, a sum tally, read on the consignee. */
const declaredValue: DeclaredTally = {
  id: 'declared-value',
  counter: VALUE,
  days: 30,
  distinct: false,
  sum: true,
  parties: ['consignee'],
};

/**
 * A rule set that declares the sum tally declaredValue, each parcel adding the amount `amounts` gives
 * its parcel id, and holds a parcel whose consignee's sum is 0.3 or more; it notes the history each
 * parcel is evaluated with.
 */
const declaredValuePolicy = (amounts: Record<string, number>) => {
  const seen: HistoryFacts[] = [];
  const policy: ScreeningPolicy = {
    id: 'live',
    version: 'sha256:live',
    tallies: [declaredValue],
    tallyMarks: (facts) => [{ counter: VALUE, amount: amounts[facts.parcel.parcelId]! }],
    evaluate: (facts): Evaluation => {
      seen.push(facts.history);
      const sum = facts.history.consignee.tallies['declared-value'] ?? 0;
      const hold = sum >= 0.3;
      return {
        ruleSetId: 'live',
        ruleSetVersion: 'sha256:live',
        score: hold ? 60 : 0,
        lane: hold ? 'hold' : 'release',
        firedRules: hold
          ? [
              {
                ruleId: 'declared-value-over',
                title: 'declared value',
                score: 60,
                reason: `${sum}`,
                values: {},
              },
            ]
          : [],
      };
    },
    laneFloor: () => 60,
  };
  return { policy, seen };
};

/** The facts `policy` is evaluated on, in order, noted as it evaluates them. */
const factsSeenBy = (policy: ScreeningPolicy): ScreeningFacts[] => {
  const seen: ScreeningFacts[] = [];
  const evaluate = policy.evaluate;
  policy.evaluate = (facts) => {
    seen.push(facts);
    return evaluate(facts);
  };
  return seen;
};

/**
 * A copy of rules/default with a sum tally of each parcel's goods value as quantity × declared amount
 * (the analyst's, over 30 days) and a rule reading it on the address.
 */
const ruleSetSummingGoodsValue = (root: string): string => {
  const directory = join(root, 'summing-goods-value');
  cpSync(resolve(REPO_ROOT, 'rules/default'), directory, { recursive: true });
  const file = join(directory, 'rule-set.yaml');
  const tally = `tallies:
  goods-value:
    description: quantity times declared amount, over the goods lines
    days: 30
    sum: { sum: { of: parcel.goods, as: line, value: { mul: [{ fact: line.quantity }, { fact: line.declaredValue.amount }] } } }

rules:
  - id: goods-value-to-address
    title: Much goods value sent to the address
    owner: risk-analytics
    severity: medium
    tags: [history]
    score: 5
    reason: "{history.address.tallies.goods-value} of goods value sent to the address"
    when: { fact: history.address.tallies.goods-value, gt: 20000 }

`;
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^rules:\n/m, tally));
  return directory;
};

/**
 * A compiled rule set summing each parcel's declared value in CNY (through `cny-per-unit` with these
 * `rates`) over 30 days, read on the address: a live set and a shadow with new rates share its counter.
 */
const valueInCny = (rates: Record<string, number>) =>
  compile({
    tables: { 'cny-per-unit': { ...CNY_PER_UNIT, entries: rates } },
    derived: {
      value: {
        description: 'declared value in CNY',
        unit: 'CNY',
        value: { sum: { of: 'parcel.goods', as: 'line', value: LINE_VALUE_CNY } },
      },
    },
    extra: {
      tallies: { value: { description: 'declared value', days: 30, sum: { fact: 'derived.value' } } },
    },
    rules: [rule('much-value', { fact: 'history.address.tallies.value', gt: 1000 })],
  });

/**
 * A compiled rule set counting parcels from a city on its list `origins` (in `version`, of `cities`) over
 * 30 days, read on the address: a live set and a shadow with another version share its counter.
 */
const fromListedOrigins = (version: number, cities: string[]) =>
  compile({
    lists: [list('origins', cities, { version })],
    extra: {
      tallies: {
        listed: {
          description: 'parcels from listed origins',
          days: 30,
          when: { fact: 'parcel.route.origin.city', in: { list: 'origins' } },
        },
      },
    },
    rules: [rule('listed-again', { fact: 'history.address.tallies.listed', gte: 1 })],
  });

let dynamo: LocalDynamoDb;
let tables = 0;
let scratch: string;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  scratch = mkdtempSync(join(tmpdir(), 'screen-tallies-'));
});

afterAll(async () => {
  await dynamo?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * Screening on a fresh decisions table and party history (of `store`), its clock at `state.at`: the
 * history's calls noted, and its recording failing after it is done while `state.failRecords` says so.
 */
const aScreening = async (deps: Pick<ScreenParcelsDeps, 'policy' | 'shadow'>, store: HistoryStore) => {
  const table = `tallies-decisions-${++tables}`;
  await dynamo.createTable(table, TABLES.decisions);
  let history: PartyHistory = new InMemoryPartyHistory();
  if (store === 'DynamoDB') {
    await dynamo.createTable(`${table}-history`, TABLES.partyHistory);
    history = new DynamoDbPartyHistory(dynamo.doc, `${table}-history`);
  }
  const asked: (readonly TallyWindow[] | undefined)[] = [];
  const recorded: ParcelObservation[] = [];
  const state = { at: '2026-11-20T08:00:00.000Z', failRecords: 0 };
  const decisions = new DynamoDbDecisionStore(dynamo.doc, table);
  const screen = makeScreenParcels({
    ...deps,
    decisions,
    history: Object.assign(Object.create(history) as PartyHistory, {
      summarize: (...args: Parameters<PartyHistory['summarize']>) => {
        asked.push(args[4]);
        return history.summarize(...args);
      },
      record: async (observations: ParcelObservation[]) => {
        recorded.push(...observations);
        await history.record(observations);
        if (state.failRecords > 0) {
          state.failRecords -= 1;
          throw new Error('the process died after recording history');
        }
      },
    }),
    manifestParts: new InMemoryManifestParts(),
    reviewQueue: { enqueue: async () => {} } as unknown as ScreenParcelsDeps['reviewQueue'],
    inspectionQueue: { send: async () => {} },
    referralQueue: { send: async () => {} },
    ruleStatistics: { recordHits: async () => {} } as unknown as RuleStatistics,
    clock: { now: () => new Date(state.at) },
    offices: OFFICES,
    controlSampler: { pick: () => false },
  });
  return { screen, decisions, asked, recorded, state, history };
};

type HistoryStore = 'in-memory' | 'DynamoDB';

describe.each<HistoryStore>(['in-memory', 'DynamoDB'])(
  'screening with tallies on the %s party history',
  (store) => {
    it('marks the tallies of earlier parcels, which a rule reads on a later manifest, not on its own', async () => {
      // Prepare
      const { policy, seen } = policyOf('live', [fromRuili], 'from-ruili');
      const { screen, asked, recorded, state } = await aScreening({ policy }, store);
      const first = ruiliMessageOf('M-1', '2026-11-20T07:59:00.000Z', [
        aRuiliParcel('T1-A'),
        aRuiliParcel('T1-B'),
      ]);
      const later = ruiliMessageOf('M-2', '2026-11-21T07:59:00.000Z', [aRuiliParcel('T1-C')]);

      // Act
      const firstDecisions = await screen(first);
      state.at = '2026-11-21T08:00:00.000Z';
      const [laterDecision] = await screen(later);

      // Assess: the other parcel of M-1 is not in its history; both are in M-2's
      expect(firstDecisions.map((decision) => decision.lane)).toEqual(['release', 'release']);
      expect(firstDecisions.map((decision) => decision.tallyMarks)).toEqual([
        [{ counter: FROM_RUILI }],
        [{ counter: FROM_RUILI }],
      ]);
      expect(recorded.map((observation) => observation.tallies)).toEqual([
        [{ counter: FROM_RUILI }],
        [{ counter: FROM_RUILI }],
        [{ counter: FROM_RUILI }],
      ]);
      const window = { counter: FROM_RUILI, days: 30, distinct: false, parties: ['consignee', 'address'] };
      expect(asked).toEqual([[window], [window]]);
      expect(seen.map((history) => history.consignee.tallies)).toEqual([
        { 'from-ruili': 0 },
        { 'from-ruili': 0 },
        { 'from-ruili': 2 },
      ]);
      expect(laterDecision).toMatchObject({ lane: 'hold', firedRules: [{ ruleId: 'from-ruili-again' }] });
      expect(laterDecision!.facts.history.address.tallies).toEqual({ 'from-ruili': 2 });
    });

    it('marks nothing for a parcel that meets no tally, and stores no marks on its decision', async () => {
      // Prepare
      const { policy } = policyOf('live', [fromRuili], 'from-ruili');
      const { screen, recorded } = await aScreening({ policy }, store);
      const shenzhen = aRuiliParcel('T2-A', {
        route: { ...RUILI_PARCEL.route, origin: { country: 'CN', region: 'Guangdong', city: 'Shenzhen' } },
      });

      // Act
      const [decision] = await screen(ruiliMessageOf('M-3', '2026-11-20T07:59:00.000Z', [shenzhen]));

      // Assess
      expect(decision).not.toHaveProperty('tallyMarks');
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).not.toHaveProperty('tallies');
    });

    it('records the marks fixed with the decision on a redelivery, and counts them once', async () => {
      // Prepare: the first delivery recorded history, then died before its effects were marked done
      const { policy, seen } = policyOf('live', [fromRuili], 'from-ruili');
      const { screen, decisions, recorded, state } = await aScreening({ policy }, store);
      const first = ruiliMessageOf('M-4', '2026-11-20T07:59:00.000Z', [aRuiliParcel('T3-A')]);
      state.failRecords = 1;
      await expect(screen(first)).rejects.toThrow('the process died after recording history');

      // Act: redelivered, the rule set marking nothing now (the decision's marks hold); then a later manifest
      const marks = policy.tallyMarks;
      policy.tallyMarks = () => [];
      state.at = '2026-11-20T08:05:00.000Z';
      const [again] = await screen(first);
      policy.tallyMarks = marks;
      state.at = '2026-11-21T08:00:00.000Z';
      const [laterDecision] = await screen(
        ruiliMessageOf('M-5', '2026-11-21T07:59:00.000Z', [aRuiliParcel('T3-B')]),
      );

      // Assess
      expect(again!.tallyMarks).toEqual([{ counter: FROM_RUILI }]);
      expect(again!.effectsDoneAt).toBeUndefined();
      expect((await decisions.getMany([again!.parcelKey])).get(again!.parcelKey)!.effectsDoneAt).toBe(
        '2026-11-20T08:05:00.000Z',
      );
      expect(recorded.map((observation) => [observation.parcelKey, observation.tallies])).toEqual([
        ['southwest-freight#T3-A', [{ counter: FROM_RUILI }]],
        ['southwest-freight#T3-A', [{ counter: FROM_RUILI }]],
        ['southwest-freight#T3-B', [{ counter: FROM_RUILI }]],
      ]);
      expect(seen.at(-1)!.consignee.tallies).toEqual({ 'from-ruili': 1 });
      expect(laterDecision!.lane).toBe('hold');
    });

    it("counts the shadow's tallies beside the live set's, and evaluates the shadow on its own", async () => {
      // Prepare: the live set counts parcels from Ruili; the shadow counts distinct phones and holds on them
      const live = policyOf('live', [fromRuili], 'from-ruili');
      const shadow = policyOf('shadow', [phones, { ...fromRuili, id: 'ruili-week', days: 7 }], 'phones');
      const failed: string[] = [];
      const { screen, asked, recorded, state } = await aScreening(
        {
          policy: live.policy,
          shadow: { policy: shadow.policy, failed: (parcelKey) => void failed.push(parcelKey) },
        },
        store,
      );
      const first = ruiliMessageOf('M-6', '2026-11-20T07:59:00.000Z', [aRuiliParcel('T4-A')]);
      const later = ruiliMessageOf('M-7', '2026-11-21T07:59:00.000Z', [aRuiliParcel('T4-B')]);

      // Act
      const [firstDecision] = await screen(first);
      state.at = '2026-11-21T08:00:00.000Z';
      const [laterDecision] = await screen(later);

      // Assess: one mark a counter, both sets' windows asked for, each set reading its own ids
      expect(failed).toEqual([]);
      const phone = derivePartyKeys(aRuiliParcel('T4-A'), TEST_SALT).phone;
      expect(firstDecision!.tallyMarks).toEqual([{ counter: FROM_RUILI }, { counter: PHONES, value: phone }]);
      expect(recorded[0]!.tallies).toEqual([{ counter: FROM_RUILI }, { counter: PHONES, value: phone }]);
      expect(asked[1]).toEqual([
        { counter: FROM_RUILI, days: 30, distinct: false, parties: ['consignee', 'address'] },
        { counter: PHONES, days: 14, distinct: true, parties: ['consignee'] },
        { counter: FROM_RUILI, days: 7, distinct: false, parties: ['consignee', 'address'] },
      ]);
      expect(live.seen.map((history) => history.consignee.tallies)).toEqual([
        { 'from-ruili': 0 },
        { 'from-ruili': 1 },
      ]);
      expect(shadow.seen.map((history) => history.consignee.tallies)).toEqual([
        { phones: 0, 'ruili-week': 0 },
        { phones: 1, 'ruili-week': 1 },
      ]);
      expect(laterDecision!.facts.history.consignee.tallies).toEqual({ 'from-ruili': 1 });
      expect(laterDecision!.shadow).toMatchObject({ lane: 'hold', firedRuleIds: ['phones-again'] });
    });

    it("marks only the live set's tallies for a parcel the shadow fails on", async () => {
      // Prepare
      const live = policyOf('live', [fromRuili], 'from-ruili');
      const shadow = policyOf('shadow', [phones], 'phones');
      const failed: string[] = [];
      const { screen } = await aScreening(
        {
          policy: live.policy,
          shadow: {
            policy: {
              ...shadow.policy,
              tallyMarks: () => {
                throw new Error('shadow broke');
              },
            },
            failed: (parcelKey) => void failed.push(parcelKey),
          },
        },
        store,
      );

      // Act
      const [decision] = await screen(
        ruiliMessageOf('M-8', '2026-11-20T07:59:00.000Z', [aRuiliParcel('T5-A')]),
      );

      // Assess
      expect(failed).toEqual(['southwest-freight#T5-A']);
      expect(decision!.tallyMarks).toEqual([{ counter: FROM_RUILI }]);
      expect(decision).not.toHaveProperty('shadow');
    });

    it("evaluates a shadow that reads the live set's tallies on the very facts the live set read", async () => {
      // Prepare: the shadow declares the live set's tallies under another condition of its own
      const live = policyOf('live', [fromRuili], 'from-ruili');
      const shadow = policyOf('shadow', [fromRuili], 'from-ruili');
      const liveFacts = factsSeenBy(live.policy);
      const shadowFacts = factsSeenBy(shadow.policy);
      const { screen } = await aScreening(
        { policy: live.policy, shadow: { policy: shadow.policy, failed: () => {} } },
        store,
      );

      // Act
      await screen(ruiliMessageOf('M-9', '2026-11-20T07:59:00.000Z', [aRuiliParcel('T6-A')]));

      // Assess
      expect(shadowFacts).toHaveLength(1);
      expect(shadowFacts[0]).toBe(liveFacts[0]);
    });

    it('evaluates a shadow that reads other tallies on the live facts with its own history, frozen', async () => {
      // Prepare
      const live = policyOf('live', [fromRuili], 'from-ruili');
      const shadow = policyOf('shadow', [phones], 'phones');
      const liveFacts = factsSeenBy(live.policy);
      const shadowFacts = factsSeenBy(shadow.policy);
      const { screen } = await aScreening(
        { policy: live.policy, shadow: { policy: shadow.policy, failed: () => {} } },
        store,
      );

      // Act
      const [decision] = await screen(
        ruiliMessageOf('M-10', '2026-11-20T07:59:00.000Z', [aRuiliParcel('T7-A')]),
      );

      // Assess: the rest of the facts is the live set's own, not built again
      const [seenLive, seenShadow] = [liveFacts[0]!, shadowFacts[0]!];
      expect(seenShadow.manifest).toBe(seenLive.manifest);
      expect(seenShadow.parties).toBe(seenLive.parties);
      expect(seenShadow.history.consignee.tallies).toEqual({ phones: 0 });
      expect(seenShadow.history.address.tallies).toEqual({});
      expect(seenLive.history.consignee.tallies).toEqual({ 'from-ruili': 0 });
      expect(decision!.facts.history.consignee.tallies).toEqual({ 'from-ruili': 0 });
      for (const frozen of [seenShadow, seenShadow.history, seenShadow.history.consignee]) {
        expect(Object.isFrozen(frozen)).toBe(true);
      }
      expect(Object.isFrozen(seenShadow.history.consignee.tallies)).toBe(true);
    });

    it('marks and reads the tallies a rule set declares in its file', async () => {
      // Prepare: two parcels to the sample's consignee and address under other phones, then one more
      const policy = loadRuleSetFromDirectory(ruleSetWithTallies(scratch));
      const { screen, state } = await aScreening({ policy }, store);
      const withPhone = (parcelId: string, phone: string) =>
        aRuiliParcel(parcelId, { consignee: { ...RUILI_PARCEL.consignee, phone } });
      const first = ruiliMessageOf('M-9', '2026-11-20T07:59:00.000Z', [
        withPhone('T6-A', '139 7741 2081'),
        withPhone('T6-B', '139 7741 2082'),
      ]);
      const later = ruiliMessageOf('M-10', '2026-11-21T07:59:00.000Z', [aRuiliParcel('T6-C')]);

      // Act
      const firstDecisions = await screen(first);
      state.at = '2026-11-21T08:00:00.000Z';
      const [laterDecision] = await screen(later);

      // Assess: the address's phones are the first manifest's two (this parcel's third not included)
      const fired = (decision: { firedRules: { ruleId: string }[] }) =>
        decision.firedRules
          .map((rule) => rule.ruleId)
          .filter((id) => id.includes('ruili-again') || id.includes('phones'));
      expect(firstDecisions.map(fired)).toEqual([[], []]);
      expect(firstDecisions[0]!.tallyMarks).toHaveLength(2);
      expect(laterDecision!.facts.history.address.tallies).toEqual({
        'from-ruili': 2,
        'phones-at-address': 2,
      });
      // Read on the address only: no other party's tallies are counted or named
      expect(laterDecision!.facts.history.consignee.tallies).toEqual({});
      expect(laterDecision!.facts.history.shipper.tallies).toEqual({});
      expect(fired(laterDecision!)).toEqual(['ruili-again', 'phones-at-address']);
    });

    it('marks every party with the tallies no rule reads there, and asks the store only for those read', async () => {
      // Prepare: from-ruili read on the address only; phones read by no rule
      const { policy, seen } = policyOf(
        'live',
        [
          { ...fromRuili, parties: ['address'] },
          { ...phones, parties: [] },
        ],
        'from-ruili',
      );
      const { screen, asked, recorded, state, history } = await aScreening({ policy }, store);
      const parcel = aRuiliParcel('T7-A');

      // Act
      await screen(ruiliMessageOf('M-11', '2026-11-20T07:59:00.000Z', [parcel]));
      state.at = '2026-11-21T08:00:00.000Z';
      await screen(ruiliMessageOf('M-12', '2026-11-21T07:59:00.000Z', [aRuiliParcel('T7-B')]));

      // Assess: both marked for the parcel; only the address's from-ruili asked for and named
      const keys = derivePartyKeys(parcel, TEST_SALT);
      expect(recorded[0]!.tallies).toEqual([{ counter: FROM_RUILI }, { counter: PHONES, value: keys.phone }]);
      expect(asked[1]).toEqual([{ counter: FROM_RUILI, days: 30, distinct: false, parties: ['address'] }]);
      expect(seen.at(-1)!.address.tallies).toEqual({ 'from-ruili': 1 });
      expect(seen.at(-1)!.shipper.tallies).toEqual({});
      // The store holds the marks on every party all the same
      const everyParty = ['consignee', 'shipper', 'phone', 'address'] as const;
      const [all] = await history.summarize(
        [keys],
        recorded[0]!.region,
        '2026-11-21T09:00:00.000Z',
        undefined,
        [
          { counter: FROM_RUILI, days: 30, distinct: false, parties: everyParty },
          { counter: PHONES, days: 30, distinct: true, parties: everyParty },
        ],
      );
      for (const party of everyParty) expect(Object.values(all![party].tallies), party).toEqual([2, 1]);
    });

    it("carries a sum tally's amounts in the observations, fixed on the decisions, and a later parcel reads their sum", async () => {
      // Prepare: each parcel adds the amount its rule set gives it; the later parcel holds on 0.3 or more
      const { policy, seen } = declaredValuePolicy({ 'V1-A': 0.1, 'V1-B': 0.2, 'V1-C': 7 });
      const { screen, recorded, asked, state } = await aScreening({ policy }, store);
      const first = ruiliMessageOf('M-13', '2026-11-20T07:59:00.000Z', [aRuiliParcel('V1-A')]);
      const second = ruiliMessageOf('M-14', '2026-11-20T08:59:00.000Z', [aRuiliParcel('V1-B')]);
      const later = ruiliMessageOf('M-15', '2026-11-21T07:59:00.000Z', [aRuiliParcel('V1-C')]);

      // Act
      const [firstDecision] = await screen(first);
      state.at = '2026-11-20T09:00:00.000Z';
      const [secondDecision] = await screen(second);
      state.at = '2026-11-21T08:00:00.000Z';
      const [laterDecision] = await screen(later);

      // Assess: the amounts ride with the marks; the sum is exact, the later parcel's own amount left out
      expect(firstDecision!.tallyMarks).toEqual([{ counter: VALUE, amount: 0.1 }]);
      expect(secondDecision!.tallyMarks).toEqual([{ counter: VALUE, amount: 0.2 }]);
      expect(recorded.map((observation) => observation.tallies)).toEqual([
        [{ counter: VALUE, amount: 0.1 }],
        [{ counter: VALUE, amount: 0.2 }],
        [{ counter: VALUE, amount: 7 }],
      ]);
      expect(asked.at(-1)).toEqual([{ counter: VALUE, days: 30, distinct: false, parties: ['consignee'] }]);
      expect(seen.map((history) => history.consignee.tallies)).toEqual([
        { 'declared-value': 0 },
        { 'declared-value': 0.1 },
        { 'declared-value': 0.3 },
      ]);
      expect(laterDecision).toMatchObject({ lane: 'hold', firedRules: [{ ruleId: 'declared-value-over' }] });
      expect(laterDecision!.facts.history.consignee.tallies).toEqual({ 'declared-value': 0.3 });
    });

    it("records a sum tally's amount fixed with the decision on a redelivery, and adds it once", async () => {
      // Prepare: the first delivery recorded history, then died before its effects were marked done
      const amounts = { 'V2-A': 1_234.567891, 'V2-B': 1 };
      const { policy, seen } = declaredValuePolicy(amounts);
      const { screen, decisions, recorded, state } = await aScreening({ policy }, store);
      const first = ruiliMessageOf('M-16', '2026-11-20T07:59:00.000Z', [aRuiliParcel('V2-A')]);
      state.failRecords = 1;
      await expect(screen(first)).rejects.toThrow('the process died after recording history');

      // Act: redelivered, the rule set giving the parcel another amount now (a new rate); then a later manifest
      amounts['V2-A'] = 99_999;
      state.at = '2026-11-20T08:05:00.000Z';
      const [again] = await screen(first);
      state.at = '2026-11-21T08:00:00.000Z';
      await screen(ruiliMessageOf('M-17', '2026-11-21T07:59:00.000Z', [aRuiliParcel('V2-B')]));

      // Assess: the amount of the first screening, stored on the decision, recorded again, counted once
      expect(again!.tallyMarks).toEqual([{ counter: VALUE, amount: 1_234.567891 }]);
      expect((await decisions.getMany([again!.parcelKey])).get(again!.parcelKey)!.tallyMarks).toEqual([
        { counter: VALUE, amount: 1_234.567891 },
      ]);
      expect(recorded.map((observation) => [observation.parcelKey, observation.tallies])).toEqual([
        ['southwest-freight#V2-A', [{ counter: VALUE, amount: 1_234.567891 }]],
        ['southwest-freight#V2-A', [{ counter: VALUE, amount: 1_234.567891 }]],
        ['southwest-freight#V2-B', [{ counter: VALUE, amount: 1 }]],
      ]);
      expect(seen.at(-1)!.consignee.tallies).toEqual({ 'declared-value': 1_234.567891 });
    });

    it('bounds a sum beyond what the stores add exactly, and screens the message and later parcels of the party', async () => {
      // Prepare: within the manifest contract, 10 lines of 1,000,000 pieces at 1,000,000,000 each: 1e16
      const policy = loadRuleSetFromDirectory(ruleSetSummingGoodsValue(scratch));
      const { screen, state } = await aScreening({ policy }, store);
      const line = { ...RUILI_PARCEL.goods[0]!, quantity: 1_000_000 };
      const huge = aRuiliParcel('B1-A', {
        goods: Array.from({ length: 10 }, () => ({
          ...line,
          declaredValue: { ...line.declaredValue, amount: 1_000_000_000 },
        })),
      });
      const first = ruiliMessageOf('M-18', '2026-11-20T07:59:00.000Z', [huge, aRuiliParcel('B1-B')]);
      const later = ruiliMessageOf('M-19', '2026-11-21T07:59:00.000Z', [aRuiliParcel('B1-C')]);
      // The sample's one line: 2 pieces at 3,600
      const ordinary = line.declaredValue.amount * RUILI_PARCEL.goods[0]!.quantity;

      // Act
      const firstDecisions = await screen(first);
      state.at = '2026-11-21T08:00:00.000Z';
      const [laterDecision] = await screen(later);

      // Assess: the huge parcel adds the bound, the message and the party's later parcel are screened
      expect(firstDecisions.map((decision) => decision.tallyMarks?.[0]?.amount)).toEqual([
        MAX_TALLY_AMOUNT,
        ordinary,
      ]);
      expect(laterDecision!.facts.history.address.tallies).toEqual({
        'goods-value': MAX_TALLY_AMOUNT + ordinary,
      });
    });

    it("records the live set's amount when the shadow sums the same counter to another amount", async () => {
      // Prepare: the shadow sums the same thing (one counter) at a new rate: twice the live amount
      const live = declaredValuePolicy({ 'V3-A': 5, 'V3-B': 1 });
      const shadow = declaredValuePolicy({ 'V3-A': 10, 'V3-B': 2 });
      const { screen, recorded, state } = await aScreening(
        { policy: live.policy, shadow: { policy: shadow.policy, failed: () => {} } },
        store,
      );

      // Act
      const [first] = await screen(
        ruiliMessageOf('M-20', '2026-11-20T07:59:00.000Z', [aRuiliParcel('V3-A')]),
      );
      state.at = '2026-11-21T08:00:00.000Z';
      await screen(ruiliMessageOf('M-21', '2026-11-21T07:59:00.000Z', [aRuiliParcel('V3-B')]));

      // Assess: the live set's sum holds its own amounts, not the shadow's
      expect(first!.tallyMarks).toEqual([{ counter: VALUE, amount: 5 }]);
      expect(recorded[0]!.tallies).toEqual([{ counter: VALUE, amount: 5 }]);
      expect(live.seen.at(-1)!.consignee.tallies).toEqual({ 'declared-value': 5 });
    });

    it("records no shadow's amount under the live sum's counter when the live sum is missing", async () => {
      // Prepare: the live table lacks EUR, the shadow's has it; both sum under one counter
      const live = valueInCny({ CNY: 1, USD: 7.1 });
      const shadow = valueInCny({ CNY: 1, USD: 7.1, EUR: 7.7 });
      expect(shadow.tallies[0]!.counter).toBe(live.tallies[0]!.counter);
      const { screen, recorded } = await aScreening(
        { policy: live, shadow: { policy: shadow, failed: () => {} } },
        store,
      );
      const line = RUILI_PARCEL.goods[0]!;
      const inEuro = aRuiliParcel('V4-A', {
        goods: [{ ...line, declaredValue: { amount: 1000, currency: 'EUR' } }],
      });

      // Act
      const [decision] = await screen(ruiliMessageOf('M-22', '2026-11-20T07:59:00.000Z', [inEuro]));

      // Assess: the shadow sums the parcel, yet nothing is recorded where the live rules read
      expect(shadow.tallyMarks(decision!.facts)).toEqual([
        { counter: live.tallies[0]!.counter, amount: 7_700 },
      ]);
      expect(decision).toHaveProperty('shadow');
      expect(decision).not.toHaveProperty('tallyMarks');
      expect(recorded[0]).not.toHaveProperty('tallies');
    });

    it("records no shadow's mark under a live count whose list the shadow holds in another version", async () => {
      // Prepare: the shadow's origins list adds Ruili; the list is counted by name, so one counter
      const live = fromListedOrigins(1, ['Muse']);
      const shadow = fromListedOrigins(2, ['Muse', 'Ruili']);
      expect(shadow.tallies[0]!.counter).toBe(live.tallies[0]!.counter);
      const { screen, recorded } = await aScreening(
        { policy: live, shadow: { policy: shadow, failed: () => {} } },
        store,
      );

      // Act
      const [decision] = await screen(
        ruiliMessageOf('M-23', '2026-11-20T07:59:00.000Z', [aRuiliParcel('L1-A')]),
      );

      // Assess: the shadow marks the parcel from Ruili, the live set does not, and nothing is recorded
      expect(shadow.tallyMarks(decision!.facts)).toEqual([{ counter: live.tallies[0]!.counter }]);
      expect(decision).toHaveProperty('shadow');
      expect(decision).not.toHaveProperty('tallyMarks');
      expect(recorded[0]).not.toHaveProperty('tallies');
    });
  },
);
