import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Parcel } from '../../events/manifest-v1.js';
import { loadRuleSetFromDirectory } from '../../functions/adapters/file-rule-set-source.js';
import { type PastParcel, startBacktest, startTallyRecount } from '../../functions/core/backtest/backtest.js';
import { addToTally } from '../../functions/core/parties/history-model.js';
import type { PartyKeys } from '../../functions/core/parties/party-keys.js';
import { buildScreeningFacts } from '../../functions/core/screening/build-facts.js';
import type { Evaluation } from '../../functions/core/screening/decision.js';
import {
  emptyHistoryFacts,
  HISTORY_PARTIES,
  type HistoryFacts,
  type HistoryParty,
  type ScreeningFacts,
} from '../../functions/core/screening/facts.js';
import type { DeclaredTally, TallyMark } from '../../functions/core/screening/tallies.js';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { formatBacktest } from '../../functions/tools/rules/backtest-report.js';
import { aRuiliParcel, RUILI_PARCEL, ruiliMessageOf, ruleSetWithTallies } from '../support/tallies.js';

const SMALL = '00000000000000aa';
const PHONES = '00000000000000bb';

/** Small parcels over 3 days, and distinct phones over 30 days, read on every party. */
const TALLIES: DeclaredTally[] = [
  { id: 'small-parcels', counter: SMALL, days: 3, distinct: false, sum: false, parties: HISTORY_PARTIES },
  { id: 'phones', counter: PHONES, days: 30, distinct: true, sum: false, parties: HISTORY_PARTIES },
];

/** A parcel marks `small-parcels` when its facts say it is small, and `phones` with its phone key always. */
const tallyMarks = (facts: ScreeningFacts): TallyMark[] => [
  ...((facts.parcel as unknown as { small: boolean }).small ? [{ counter: SMALL }] : []),
  { counter: PHONES, value: facts.parties.phone },
];

interface Shipped {
  key: string;
  decidedAt: string;
  manifestId: string;
  partnerId?: string;
  small?: boolean;
  phone?: string;
  address?: string;
}

/** A parcel decided at `decidedAt` in `manifestId`, to an address (the same one unless told). */
const past = ({
  key,
  decidedAt,
  manifestId,
  partnerId = 'p',
  small = true,
  phone = 'ph_1',
  address = 'ad_1',
}: Shipped): PastParcel => {
  const parties: PartyKeys = { consignee: `cn_${phone}`, shipper: 'sh_1', phone, address };
  return {
    parcelKey: key,
    decidedAt,
    ruleSetVersion: 'sha256:old',
    lane: 'release',
    firedRuleIds: [],
    facts: {
      parcel: { small },
      manifest: { partnerId, manifestId },
      history: emptyHistoryFacts(),
      parties,
    } as unknown as ScreeningFacts,
  };
};

/** The candidate, which notes the history tallies each parcel's facts carry when it evaluates them. */
const recording = () => {
  const seen: ScreeningFacts['history'][] = [];
  const candidate = {
    id: 'candidate',
    version: 'sha256:new',
    ruleIds: [],
    tallies: TALLIES,
    tallyMarks,
    laneFloor: () => undefined,
    evaluate: (facts: ScreeningFacts): Evaluation => {
      seen.push(facts.history);
      return {
        ruleSetId: 'candidate',
        ruleSetVersion: 'sha256:new',
        score: 0,
        lane: 'release',
        firedRules: [],
      };
    },
  };
  return { candidate, seen };
};

/** Each parcel of `screened`'s recounted history, by parcel key, once `marked` are marked in their order. */
const recountedHistory = (
  rules: { tallies: DeclaredTally[]; tallyMarks: (facts: ScreeningFacts) => TallyMark[] },
  marked: PastParcel[],
  screened: PastParcel[] = marked,
): Record<string, HistoryFacts> => {
  const recount = startTallyRecount(rules);
  for (const parcel of marked) recount.mark(parcel);
  return Object.fromEntries(screened.map((parcel) => [parcel.parcelKey, recount.factsOf(parcel).history]));
};

/** Each parcel's recounted tallies, by parcel key, the parcels marked in `order`. */
const recounted = (parcels: PastParcel[], order: PastParcel[] = parcels) =>
  recountedHistory({ tallies: TALLIES, tallyMarks }, order, parcels);

/** Tally `id` on `party` of each parcel's history, in the order of the parcels. */
const talliesOf = (history: Record<string, HistoryFacts>, party: HistoryParty, id: string) =>
  Object.values(history).map((facts) => facts[party].tallies[id]);

/** The UTC day of a parcel's decision, as a day number. */
const dayOf = (parcel: PastParcel) => Math.floor(Date.parse(parcel.decidedAt) / 86_400_000);

/**
 * Whether live history counts `other` on `party` for `parcel` in a tally of `days`: a parcel of the same
 * region and party key, decided before it on the window's days, in another manifest.
 */
const countedFor = (
  parcel: PastParcel,
  party: HistoryParty,
  days: number,
  other: PastParcel,
  otherDay = dayOf(other),
) => {
  const key = parcel.facts.parties[party];
  return (
    key !== undefined &&
    other.region === parcel.region &&
    other.facts.parties[party] === key &&
    other.decidedAt < parcel.decidedAt &&
    otherDay > dayOf(parcel) - days &&
    (other.facts.manifest.partnerId !== parcel.facts.manifest.partnerId ||
      other.facts.manifest.manifestId !== parcel.facts.manifest.manifestId)
  );
};

/** `count` random instants within `hours` of 1 November, then `manifests` manifests (of `ids` ids) over two partners and two regions. */
const randomDeliveries = (
  random: (below: number) => number,
  { count, hours, manifests, ids }: { count: number; hours: number; manifests: number; ids: number },
) => {
  const start = Date.parse('2026-11-01T00:00:00.000Z');
  const instants = Array.from({ length: count }, () => start + random(hours) * 3_600_000 + random(2));
  const made = Array.from({ length: manifests }, (_, index) => ({
    manifestId: `M${index % ids}`,
    partnerId: `p${index % 2}`,
    region: `r${random(2)}`,
  }));
  return { instants, manifests: made };
};

/** A scratch folder made before the tests of the enclosing describe and removed after them. */
const scratchFolder = (prefix: string) => {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });
  return () => folder;
};

/** A parcel of a Ruili manifest as it was decided in `lane`, with no tally in its recorded history. */
const decided = (
  manifestId: string,
  decidedAt: string,
  parcel: Parcel,
  lane: PastParcel['lane'],
): PastParcel => {
  const message = ruiliMessageOf(manifestId, decidedAt, [parcel]);
  return {
    parcelKey: `southwest-freight#${parcel.parcelId}`,
    decidedAt,
    ruleSetVersion: 'sha256:old',
    lane,
    firedRuleIds: [],
    facts: buildScreeningFacts(message, message.items[0]!, emptyHistoryFacts(), decidedAt),
  };
};

/** A seeded generator of whole numbers below `below`, so a failure of a random-data test repeats. */
const seededRandom = (seed: number) => {
  let state = seed;
  return (below: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * below);
  };
};

/**
 * Random party keys of a parcel from a few of each kind, so parcels meet at parties; some without an
 * address or ID document. `phone` when given (drawn earlier), else drawn in its place.
 */
const randomParties = (random: (below: number) => number, phone?: string) => ({
  consignee: `cn_${random(8)}`,
  shipper: `sh_${random(3)}`,
  phone: phone ?? `ph_${random(6)}`,
  ...(random(4) > 0 ? { address: `ad_${random(5)}` } : {}),
  ...(random(2) > 0 ? { idDocument: `id_${random(4)}` } : {}),
});

describe('startTallyRecount', () => {
  it("counts the earlier parcels of the party on the tally's UTC days up to the parcel's, today included", () => {
    // Prepare: a 3-day window on 4 November is 2 to 4 November
    const parcels = [
      past({ key: 'a', decidedAt: '2026-11-01T23:59:59.999Z', manifestId: 'M1' }),
      past({ key: 'b', decidedAt: '2026-11-02T00:00:00.000Z', manifestId: 'M2' }),
      past({ key: 'c', decidedAt: '2026-11-04T10:00:00.000Z', manifestId: 'M3' }),
      past({ key: 'd', decidedAt: '2026-11-04T10:00:00.001Z', manifestId: 'M4' }),
      past({ key: 'e', decidedAt: '2026-11-04T23:59:59.999Z', manifestId: 'M5', small: false }),
    ];

    // Act: marked in reverse, as pages come in no order
    const history = recounted(parcels, [...parcels].reverse());

    // Assess
    expect(talliesOf(history, 'address', 'small-parcels')).toEqual([0, 1, 1, 2, 3]);
  });

  it('leaves out the other parcels of the same manifest, not those of a manifest of the same id of another partner', () => {
    // Prepare
    const parcels = [
      past({ key: 'a', decidedAt: '2026-11-04T10:00:00.000Z', manifestId: 'M1' }),
      past({ key: 'b', decidedAt: '2026-11-04T10:00:00.000Z', manifestId: 'M1' }),
      past({ key: 'c', decidedAt: '2026-11-04T09:00:00.000Z', manifestId: 'M1', partnerId: 'q' }),
      past({ key: 'd', decidedAt: '2026-11-04T11:00:00.000Z', manifestId: 'M1' }),
      past({ key: 'e', decidedAt: '2026-11-04T12:00:00.000Z', manifestId: 'M2' }),
    ];

    // Act
    const history = recounted(parcels);

    // Assess: d, a later part of M1, still leaves a and b out
    expect(talliesOf(history, 'address', 'small-parcels')).toEqual([1, 1, 0, 1, 4]);
  });

  it('counts distinct values for a distinct tally, per party key', () => {
    // Prepare
    const parcels = [
      past({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1', phone: 'ph_1' }),
      past({ key: 'b', decidedAt: '2026-11-02T10:00:00.000Z', manifestId: 'M2', phone: 'ph_1' }),
      past({ key: 'c', decidedAt: '2026-11-03T10:00:00.000Z', manifestId: 'M3', phone: 'ph_2' }),
      past({ key: 'd', decidedAt: '2026-11-03T10:00:00.000Z', manifestId: 'M3', phone: 'ph_3' }),
      past({ key: 'e', decidedAt: '2026-11-04T10:00:00.000Z', manifestId: 'M4', phone: 'ph_4' }),
      past({
        key: 'f',
        decidedAt: '2026-11-04T10:00:00.000Z',
        manifestId: 'M5',
        phone: 'ph_1',
        address: 'ad_2',
      }),
    ];

    // Act
    const history = recounted(parcels);

    // Assess: d leaves out its own manifest's ph_2; f's address is another, with no history
    expect(talliesOf(history, 'address', 'phones')).toEqual([0, 1, 1, 1, 3, 0]);
    expect(history.f!.phone.tallies.phones).toBe(1);
    expect(history.e!.shipper.tallies).toEqual({ 'small-parcels': 3, phones: 3 });
  });

  it('reads 0 for a party the parcel has no key of, and keeps the rest of the history as recorded', () => {
    // Prepare
    const first = past({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1' });
    const second = past({ key: 'b', decidedAt: '2026-11-02T10:00:00.000Z', manifestId: 'M2' });
    const recordedHistory = emptyHistoryFacts();
    recordedHistory.address.parcels30d = 7;
    const noAddress: PastParcel = {
      ...second,
      facts: {
        ...second.facts,
        history: recordedHistory,
        parties: { consignee: 'cn_ph_1', shipper: 'sh_1', phone: 'ph_1' },
      },
    };

    // Act
    const history = recounted([first, noAddress]);

    // Assess
    expect(history.b!.idDocument.tallies).toEqual({ 'small-parcels': 0, phones: 0 });
    expect(history.b!.address).toMatchObject({ parcels30d: 7, tallies: { 'small-parcels': 0, phones: 0 } });
    expect(history.b!.consignee.tallies).toEqual({ 'small-parcels': 1, phones: 1 });
  });
  it('counts the parcels of the region that screened the parcel, when parcels name their region', () => {
    // Prepare
    const inRegion = (shipped: Shipped, region: string): PastParcel => ({ ...past(shipped), region });
    const parcels = [
      inRegion({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1' }, 'yunnan-guangxi'),
      inRegion({ key: 'b', decidedAt: '2026-11-02T10:00:00.000Z', manifestId: 'M2' }, 'guangdong'),
      inRegion({ key: 'c', decidedAt: '2026-11-03T10:00:00.000Z', manifestId: 'M3' }, 'yunnan-guangxi'),
    ];

    // Act
    const history = recounted(parcels);

    // Assess
    expect(talliesOf(history, 'address', 'small-parcels')).toEqual([0, 0, 1]);
  });
});

describe('startBacktest with a candidate that declares tallies', () => {
  it('screens each parcel on facts whose history tallies are recounted, and says so in the report', () => {
    // Prepare
    const { candidate, seen } = recording();
    const parcels = [
      past({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1' }),
      past({ key: 'b', decidedAt: '2026-11-02T10:00:00.000Z', manifestId: 'M2' }),
    ];
    const backtest = startBacktest(candidate);

    // Act
    for (const parcel of parcels) backtest.mark(parcel);
    for (const parcel of parcels) backtest.add(parcel);
    const report = backtest.finish();

    // Assess
    expect(backtest.recounts).toBe(true);
    expect(seen.map((history) => history.address.tallies)).toEqual([
      { 'small-parcels': 0, phones: 0 },
      { 'small-parcels': 1, phones: 1 },
    ]);
    expect(report.recountedTallies).toEqual([
      { id: 'small-parcels', days: 3 },
      { id: 'phones', days: 30 },
    ]);
    expect(formatBacktest(report, { id: 'candidate', label: 'l', version: 'sha256:new' })).toContain(
      'tallies recounted from the backtested parcels, none before the period, so they undercount on its first days: small-parcels (3 days), phones (30 days)',
    );
  });

  it.each<[string, (declared: DeclaredTally[]) => DeclaredTally[]]>([
    ['screens the recorded facts as they are when the candidate declares no tallies', () => []],
    [
      // tallies declared ahead of their rules (or read by disabled ones only)
      'reads the period once, and names no recount, when no enabled rule reads its tallies',
      (declared) => declared.map((tally) => ({ ...tally, parties: [] })),
    ],
  ])('%s', (_name, talliesOfCandidate) => {
    // Prepare
    const { candidate, seen } = recording();
    const backtest = startBacktest({ ...candidate, tallies: talliesOfCandidate(candidate.tallies) });
    const parcel = past({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1' });

    // Act
    backtest.add(parcel);
    const report = backtest.finish();

    // Assess
    expect(backtest.recounts).toBe(false);
    expect(seen).toEqual([parcel.facts.history]);
    expect(report.recountedTallies).toBeUndefined();
  });
});

describe('startBacktest with a rule set that declares tallies in its file', () => {
  const scratch = scratchFolder('backtest-tallies-');

  it('recounts its tallies from the parcels, which its rules then read', () => {
    // Prepare: three parcels to one address under three phones; the last one 15 days after the first
    const candidate = loadRuleSetFromDirectory(ruleSetWithTallies(scratch()));
    const withPhone = (parcelId: string, phone: string) =>
      aRuiliParcel(parcelId, { consignee: { ...RUILI_PARCEL.consignee, phone } });
    const parcels = [
      decided('M-1', '2026-11-01T08:00:00.000Z', withPhone('B-1', '139 7741 2081'), 'hold'),
      decided('M-2', '2026-11-10T08:00:00.000Z', withPhone('B-2', '139 7741 2082'), 'hold'),
      decided('M-3', '2026-11-15T08:00:00.000Z', withPhone('B-3', '139 7741 2083'), 'hold'),
      decided('M-4', '2026-11-16T08:00:00.000Z', withPhone('B-4', '139 7741 2084'), 'hold'),
    ];
    const backtest = startBacktest(candidate);

    // Act
    for (const parcel of [...parcels].reverse()) backtest.mark(parcel);
    for (const parcel of parcels) backtest.add(parcel);
    const report = backtest.finish();

    // Assess: B-3's 14 days (from 2 November) hold B-2's phone alone, B-4's B-2's and B-3's; 30 days hold all
    const rule = (ruleId: string) => report.rules.find((comparison) => comparison.ruleId === ruleId);
    expect(rule('ruili-again')?.candidateHits).toBe(3);
    expect(rule('phones-at-address')?.candidateHits).toBe(1);
    expect(report.recountedTallies).toEqual([
      { id: 'from-ruili', days: 30 },
      { id: 'phones-at-address', days: 14 },
    ]);
  });
});

describe('startBacktest with a rule set that declares a sum tally in its file', () => {
  const scratch = scratchFolder('backtest-sum-tallies-');

  /** A copy of rules/default that sums declared weight to the address over 30 days, and holds at 0.3 kg. */
  const ruleSetWithWeightSum = (): string => {
    const directory = join(scratch(), 'with-weight-sum');
    cpSync(resolve(REPO_ROOT, 'rules/default'), directory, { recursive: true });
    const file = join(directory, 'rule-set.yaml');
    const tallies = `tallies:
  weight-to-address:
    description: declared gross weight
    days: 30
    sum: { fact: parcel.declaredGrossWeightKg }

rules:
  - id: weight-to-address
    title: Declared weight to the address before
    owner: risk-analytics
    severity: medium
    tags: [history]
    score: 5
    reason: "{history.address.tallies.weight-to-address} kg declared to the address before"
    when: { fact: history.address.tallies.weight-to-address, gte: 0.3 }

`;
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^rules:\n/m, tallies));
    return directory;
  };

  it('recounts the sum from the parcels, which its rules then read', () => {
    // Prepare: 0.1 kg, then 0.2 kg, then a third parcel, to one address
    const candidate = loadRuleSetFromDirectory(ruleSetWithWeightSum());
    const weighing = (parcelId: string, declaredGrossWeightKg: number) =>
      aRuiliParcel(parcelId, { declaredGrossWeightKg });
    const parcels = [
      decided('M-1', '2026-11-01T08:00:00.000Z', weighing('B-1', 0.1), 'release'),
      decided('M-2', '2026-11-02T08:00:00.000Z', weighing('B-2', 0.2), 'release'),
      decided('M-3', '2026-11-03T08:00:00.000Z', weighing('B-3', 5), 'release'),
    ];
    const backtest = startBacktest(candidate);

    // Act
    for (const parcel of parcels) backtest.mark(parcel);
    for (const parcel of parcels) backtest.add(parcel);
    const report = backtest.finish();

    // Assess: B-2 reads 0.1 kg, B-3 0.3 kg
    expect(report.rules.find((rule) => rule.ruleId === 'weight-to-address')?.candidateHits).toBe(1);
    expect(report.recountedTallies).toEqual([{ id: 'weight-to-address', days: 30 }]);
  });
});

describe('startTallyRecount at scale', () => {
  /** Each parcel's recounted history, by parcel key: `marked` marked, then `screened` read. */
  const recountedWith = (tallies: DeclaredTally[], marked: PastParcel[], screened: PastParcel[] = marked) =>
    recountedHistory({ tallies, tallyMarks }, marked, screened);

  it("counts a value once when the parcel's manifest and another both marked it in the window", () => {
    // Prepare: ph_1 marked by M1 and by M2, ph_2 by M1 only, ph_3 by M3 only; then a parcel of M1
    const parcels = [
      past({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1', phone: 'ph_1' }),
      past({ key: 'b', decidedAt: '2026-11-02T10:00:00.000Z', manifestId: 'M2', phone: 'ph_1' }),
      past({ key: 'c', decidedAt: '2026-11-03T10:00:00.000Z', manifestId: 'M1', phone: 'ph_2' }),
      past({ key: 'd', decidedAt: '2026-11-03T11:00:00.000Z', manifestId: 'M3', phone: 'ph_3' }),
      past({ key: 'e', decidedAt: '2026-11-04T10:00:00.000Z', manifestId: 'M1', phone: 'ph_1' }),
      past({ key: 'f', decidedAt: '2026-11-04T10:00:00.000Z', manifestId: 'M2', phone: 'ph_4' }),
      past({ key: 'g', decidedAt: '2026-11-05T10:00:00.000Z', manifestId: 'M1', phone: 'ph_4' }),
    ];

    // Act
    const history = recountedWith(TALLIES, parcels);

    // Assess: e reads ph_1 (M2's too) and ph_3, not ph_2 (M1's alone); f reads ph_1 once (M1's and its own
    // M2's), ph_2, ph_3; g reads ph_1, ph_3 and ph_4 (f's, of M2), not ph_2
    expect(talliesOf(history, 'shipper', 'phones')).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });

  it('counts a value marked by the manifest alone once it is out of the window elsewhere', () => {
    // Prepare: ph_1 marked by M2 on 1 November, out of a 3-day window on 5 November; M1 marks it on 4 November
    const tallies = TALLIES.map((tally) => ({ ...tally, days: 3 }));
    const parcels = [
      past({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M2', phone: 'ph_1' }),
      past({ key: 'b', decidedAt: '2026-11-04T10:00:00.000Z', manifestId: 'M1', phone: 'ph_1' }),
      past({ key: 'c', decidedAt: '2026-11-05T10:00:00.000Z', manifestId: 'M1', phone: 'ph_2' }),
      past({ key: 'd', decidedAt: '2026-11-05T10:00:00.000Z', manifestId: 'M3', phone: 'ph_2' }),
    ];

    // Act
    const history = recountedWith(tallies, parcels);

    // Assess: b reads nothing (ph_1 of M2 is out of its window), nor c (ph_1 is its manifest's alone in
    // its window), d reads ph_1 (M1's)
    expect(talliesOf(history, 'shipper', 'phones')).toEqual([0, 0, 0, 1]);
  });

  it('recounts a tally only on the parties it is read on, and leaves it out of the others', () => {
    // Prepare
    const tallies: DeclaredTally[] = [
      { ...TALLIES[0]!, parties: ['address'] },
      { ...TALLIES[1]!, parties: ['shipper', 'phone'] },
    ];
    const parcels = [
      past({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1', phone: 'ph_1' }),
      past({ key: 'b', decidedAt: '2026-11-02T10:00:00.000Z', manifestId: 'M2', phone: 'ph_2' }),
    ];

    // Act
    const history = recountedWith(tallies, parcels);

    // Assess
    expect(history.b!.address.tallies).toEqual({ 'small-parcels': 1 });
    expect(history.b!.shipper.tallies).toEqual({ phones: 1 });
    expect(history.b!.phone.tallies).toEqual({ phones: 0 });
    expect(history.b!.consignee.tallies).toEqual({});
    expect(history.b!.idDocument.tallies).toEqual({});
  });

  it('counts as a reference that reads every earlier parcel does, on many parcels in any order', () => {
    // Prepare: a seeded generator, so a failure repeats
    const random = seededRandom(20261129);
    const tallies: DeclaredTally[] = [
      {
        id: 'small-1',
        counter: SMALL,
        days: 1,
        distinct: false,
        sum: false,
        parties: ['shipper', 'address'],
      },
      { id: 'small-4', counter: SMALL, days: 4, distinct: false, sum: false, parties: ['address', 'phone'] },
      { id: 'phones-3', counter: PHONES, days: 3, distinct: true, sum: false, parties: HISTORY_PARTIES },
      {
        id: 'phones-7',
        counter: PHONES,
        days: 7,
        distinct: true,
        sum: false,
        parties: ['shipper', 'idDocument'],
      },
    ];
    const { instants, manifests } = randomDeliveries(random, {
      count: 60,
      hours: 12 * 24,
      manifests: 40,
      ids: 20,
    });
    const parcelOf = (index: number): PastParcel => {
      const manifest = manifests[random(manifests.length)]!;
      const phone = `ph_${random(6)}`;
      return {
        ...past({
          key: `k${index}`,
          decidedAt: new Date(instants[random(instants.length)]!).toISOString(),
          manifestId: manifest.manifestId,
          partnerId: manifest.partnerId,
          small: random(3) > 0,
          phone,
        }),
        region: manifest.region,
        facts: {
          parcel: { small: random(3) > 0 },
          manifest: { partnerId: manifest.partnerId, manifestId: manifest.manifestId },
          history: emptyHistoryFacts(),
          parties: randomParties(random, phone),
        } as unknown as ScreeningFacts,
      };
    };
    const marked = Array.from({ length: 800 }, (_, index) => parcelOf(index));
    // Decided between the passes: read, never marked
    const unmarked = Array.from({ length: 50 }, (_, index) => parcelOf(marked.length + index));
    const shuffled = [...marked].sort(() => random(3) - 1);

    /** The reference: every marked parcel of the region and party key decided before, on the window's days. */
    const markedDays = new Map(marked.map((other) => [other, dayOf(other)]));
    const marksOf = new Map(marked.map((other) => [other, tallyMarks(other.facts)]));
    const reference = (parcel: PastParcel): HistoryFacts => {
      const history = { ...parcel.facts.history };
      for (const party of HISTORY_PARTIES) {
        const count = (tally: DeclaredTally) => {
          const values = new Set<string>();
          let parcels = 0;
          for (const other of marked) {
            const made = marksOf.get(other)!.find((mark) => mark.counter === tally.counter);
            if (made !== undefined && countedFor(parcel, party, tally.days, other, markedDays.get(other)!)) {
              parcels += 1;
              if (made.value !== undefined) values.add(made.value);
            }
          }
          return tally.distinct ? values.size : parcels;
        };
        history[party] = {
          ...history[party],
          tallies: Object.fromEntries(
            tallies.filter((tally) => tally.parties.includes(party)).map((tally) => [tally.id, count(tally)]),
          ),
        };
      }
      return history;
    };

    // Act
    const history = recountedWith(tallies, shuffled, [...marked, ...unmarked]);

    // Assess
    const everyParcel = [...marked, ...unmarked];
    expect(everyParcel.map((parcel) => history[parcel.parcelKey])).toEqual(everyParcel.map(reference));
    expect(
      everyParcel.some((parcel) => (history[parcel.parcelKey]!.shipper.tallies['phones-7'] ?? 0) > 2),
    ).toBe(true);
  });
});

describe('startTallyRecount of sum tallies', () => {
  const VALUE = '00000000000000cc';

  /** The declared value over 3 days, summed on every party. */
  const DECLARED: DeclaredTally = {
    id: 'declared-value',
    counter: VALUE,
    days: 3,
    distinct: false,
    sum: true,
    parties: HISTORY_PARTIES,
  };

  /** A parcel marks the sum tally with its declared value, and nothing when it has none (its sum missing). */
  const sumMarks = (facts: ScreeningFacts): TallyMark[] => {
    const { value } = facts.parcel as unknown as { value?: number };
    return value === undefined ? [] : [{ counter: VALUE, amount: value }];
  };

  /** A parcel of `past`, declaring `value` (none when undefined), screened in `region` when told. */
  const valued = (shipped: Shipped, value: number | undefined, region?: string): PastParcel => {
    const parcel = past(shipped);
    return {
      ...parcel,
      ...(region === undefined ? {} : { region }),
      facts: { ...parcel.facts, parcel: { value } } as unknown as ScreeningFacts,
    };
  };

  /** Each parcel's recounted history, by parcel key, the parcels marked in `order`. */
  const summed = (
    parcels: PastParcel[],
    { tallies = [DECLARED], order = parcels }: { tallies?: DeclaredTally[]; order?: PastParcel[] } = {},
  ) => recountedHistory({ tallies, tallyMarks: sumMarks }, order, parcels);
  const declaredValues = (history: Record<string, HistoryFacts>) =>
    talliesOf(history, 'address', 'declared-value');

  it("sums the amounts of the earlier parcels of the party on the tally's UTC days up to the parcel's", () => {
    // Prepare: a 3-day window on 4 November is 2 to 4 November
    const parcels = [
      valued({ key: 'a', decidedAt: '2026-11-01T23:59:59.999Z', manifestId: 'M1' }, 100),
      valued({ key: 'b', decidedAt: '2026-11-02T00:00:00.000Z', manifestId: 'M2' }, 250.5),
      valued({ key: 'c', decidedAt: '2026-11-04T10:00:00.000Z', manifestId: 'M3' }, 40),
      valued({ key: 'd', decidedAt: '2026-11-04T10:00:00.001Z', manifestId: 'M4' }, 9.25),
      valued({ key: 'e', decidedAt: '2026-11-04T23:59:59.999Z', manifestId: 'M5' }, 1),
    ];

    // Act: marked in reverse, as pages come in no order
    const history = summed(parcels, { order: [...parcels].reverse() });

    // Assess
    expect(declaredValues(history)).toEqual([0, 100, 250.5, 290.5, 299.75]);
  });

  it('leaves out the amounts of the other parcels of the same manifest, not those of another partner', () => {
    // Prepare
    const parcels = [
      valued({ key: 'a', decidedAt: '2026-11-04T10:00:00.000Z', manifestId: 'M1' }, 10),
      valued({ key: 'b', decidedAt: '2026-11-04T10:00:00.000Z', manifestId: 'M1' }, 20),
      valued({ key: 'c', decidedAt: '2026-11-04T09:00:00.000Z', manifestId: 'M1', partnerId: 'q' }, 40),
      valued({ key: 'd', decidedAt: '2026-11-04T11:00:00.000Z', manifestId: 'M1' }, 80),
      valued({ key: 'e', decidedAt: '2026-11-04T12:00:00.000Z', manifestId: 'M2' }, 160),
    ];

    // Act
    const history = summed(parcels);

    // Assess: d, a later part of M1, still leaves a's and b's out
    expect(declaredValues(history)).toEqual([40, 40, 0, 40, 150]);
  });

  it('sums the parcels of the region that screened the parcel, and per party key', () => {
    // Prepare
    const parcels = [
      valued({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1' }, 5, 'yunnan-guangxi'),
      valued({ key: 'b', decidedAt: '2026-11-02T10:00:00.000Z', manifestId: 'M2' }, 7, 'guangdong'),
      valued(
        { key: 'c', decidedAt: '2026-11-02T11:00:00.000Z', manifestId: 'M3', address: 'ad_2' },
        11,
        'yunnan-guangxi',
      ),
      valued({ key: 'd', decidedAt: '2026-11-03T10:00:00.000Z', manifestId: 'M4' }, 13, 'yunnan-guangxi'),
    ];

    // Act
    const history = summed(parcels);

    // Assess: d's address reads a's alone, its shipper a's and c's
    expect(declaredValues(history)).toEqual([0, 0, 0, 5]);
    expect(history.d!.shipper.tallies['declared-value']).toBe(16);
  });

  it('adds nothing for a parcel whose sum is missing, and 0 for one whose sum is 0', () => {
    // Prepare
    const parcels = [
      valued({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1' }, 5),
      valued({ key: 'b', decidedAt: '2026-11-01T11:00:00.000Z', manifestId: 'M2' }, undefined),
      valued({ key: 'c', decidedAt: '2026-11-01T12:00:00.000Z', manifestId: 'M3' }, 0),
      valued({ key: 'd', decidedAt: '2026-11-01T13:00:00.000Z', manifestId: 'M4' }, 7),
      valued({ key: 'e', decidedAt: '2026-11-01T14:00:00.000Z', manifestId: 'M5' }, undefined),
    ];

    // Act
    const history = summed(parcels);

    // Assess
    expect(declaredValues(history)).toEqual([0, 5, 5, 5, 12]);
  });

  it('adds 1 for a mark that carries no amount, as live history does', () => {
    // Prepare
    const parcels = [
      valued({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1' }, 5),
      valued({ key: 'b', decidedAt: '2026-11-01T11:00:00.000Z', manifestId: 'M2' }, 7),
    ];
    const recount = startTallyRecount({ tallies: [DECLARED], tallyMarks: () => [{ counter: VALUE }] });

    // Act
    for (const parcel of parcels) recount.mark(parcel);

    // Assess
    expect(recount.factsOf(parcels[1]!).history.address.tallies['declared-value']).toBe(1);
  });

  it('sums decimals exactly, as live history adds them: 0.1 and 0.2 make 0.3', () => {
    // Prepare: d leaves out its own manifest's 0.7; 1.0013705 is added as 1.001371 (6 decimals, half
    // away from zero as written, where the double is a little below the half)
    const parcels = [
      valued({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1' }, 0.1),
      valued({ key: 'b', decidedAt: '2026-11-01T11:00:00.000Z', manifestId: 'M2' }, 0.2),
      valued({ key: 'c', decidedAt: '2026-11-01T12:00:00.000Z', manifestId: 'M3' }, 0.7),
      valued({ key: 'd', decidedAt: '2026-11-01T13:00:00.000Z', manifestId: 'M3' }, 1.0013705),
      valued({ key: 'e', decidedAt: '2026-11-01T14:00:00.000Z', manifestId: 'M4' }, 0.000001),
      valued({ key: 'f', decidedAt: '2026-11-01T15:00:00.000Z', manifestId: 'M5' }, 1),
    ];

    // Act
    const history = summed(parcels);

    // Assess
    expect(declaredValues(history)).toEqual([0, 0.1, 0.3, 0.3, 2.001371, 2.001372]);
  });

  it("stays exact when a party key's sum over the period passes 2^53 millionths", () => {
    // Prepare: nearly a billion every other day (11 billion in all), a millionth on the days between
    const amount = 999_999_999.999999;
    const parcels = Array.from({ length: 21 }, (_, day) =>
      valued(
        {
          key: `k${day}`,
          decidedAt: new Date(Date.parse('2026-11-01T10:00:00.000Z') + day * 86_400_000).toISOString(),
          manifestId: `M${day}`,
        },
        day % 2 === 0 ? amount : 0.000001,
      ),
    );
    const daily: DeclaredTally = { ...DECLARED, days: 1 };
    const twoDays: DeclaredTally = { ...DECLARED, id: 'two-days', days: 2 };

    // Act
    const history = summed(parcels, { tallies: [daily, twoDays] });

    // Assess: each parcel's day holds no earlier parcel; two days hold the day before's
    expect(history.k20!.address.tallies).toEqual({ 'declared-value': 0, 'two-days': 0.000001 });
    expect(history.k19!.address.tallies).toEqual({ 'declared-value': 0, 'two-days': amount });
  });

  it('sums over the window of each of two tallies that share a counter', () => {
    // Prepare
    const week: DeclaredTally = { ...DECLARED, id: 'week', days: 7 };
    const day: DeclaredTally = { ...DECLARED, id: 'day', days: 1, parties: ['address'] };
    const parcels = [
      valued({ key: 'a', decidedAt: '2026-11-01T10:00:00.000Z', manifestId: 'M1' }, 1.5),
      valued({ key: 'b', decidedAt: '2026-11-05T10:00:00.000Z', manifestId: 'M2' }, 2.25),
      valued({ key: 'c', decidedAt: '2026-11-05T11:00:00.000Z', manifestId: 'M3' }, 4),
      valued({ key: 'd', decidedAt: '2026-11-08T10:00:00.000Z', manifestId: 'M4' }, 8),
    ];

    // Act
    const history = summed(parcels, { tallies: [week, day] });

    // Assess: d's week (2 to 8 November) leaves out a's 1 November
    expect(Object.values(history).map((facts) => facts.address.tallies)).toEqual([
      { week: 0, day: 0 },
      { week: 1.5, day: 0 },
      { week: 3.75, day: 2.25 },
      { week: 6.25, day: 0 },
    ]);
    expect(history.c!.shipper.tallies).toEqual({ week: 3.75 });
  });

  it.each<[string, number[], number]>([
    // Whole units and millionths make the decimal in one division: units + millionths / 10^6 is a
    // double off (1.0036909999999999, 1234.2515760000001).
    ['1 and 0.003691 make 1.003691', [1, 0.003691], 1.003691],
    ['1234 and 0.251576 make 1234.251576', [1234, 0.251576], 1234.251576],
  ])('reads a sum as the decimal its amounts make: %s', (_name, amounts, sum) => {
    // Prepare: the amounts on one day, then the parcel that reads them
    const parcels = [...amounts, 0].map((amount, i) =>
      valued({ key: `k${i}`, decidedAt: `2026-11-01T1${i}:00:00.000Z`, manifestId: `M${i}` }, amount),
    );

    // Act
    const history = summed(parcels);

    // Assess
    expect(history[`k${amounts.length}`]!.address.tallies['declared-value']).toBe(sum);
  });

  it('stays exact on thousands of negative amounts, whose millionths a running sum carries over', () => {
    // Prepare: 2,200 amounts of -0.999999 on one day: 2.2 billion millionths, past what 32 bits hold
    const parcels = Array.from({ length: 2_201 }, (_, i) =>
      valued(
        {
          key: `k${i}`,
          decidedAt: new Date(Date.parse('2026-11-01T00:00:00.000Z') + i * 1_000).toISOString(),
          manifestId: `M${i}`,
        },
        -0.999999,
      ),
    );

    // Act
    const history = summed(parcels);

    // Assess
    expect(history.k2200!.address.tallies['declared-value']).toBe(-2199.9978);
  });

  it('sums as a reference that adds up every earlier parcel as live history does, on many parcels', () => {
    // Prepare: a seeded generator, so a failure repeats
    const random = seededRandom(20261201);
    const SUM_TALLIES: DeclaredTally[] = [
      { ...DECLARED, id: 'value-1', days: 1, parties: ['shipper', 'address'] },
      { ...DECLARED, id: 'value-4', days: 4, parties: ['address', 'phone', 'idDocument'] },
      { id: 'parcels-4', counter: SMALL, days: 4, distinct: false, sum: false, parties: ['address'] },
    ];
    /** The sum tally's mark, and a parcel tally's on every parcel beside it. */
    const marksOf = (facts: ScreeningFacts): TallyMark[] => [{ counter: SMALL }, ...sumMarks(facts)];
    const { instants, manifests } = randomDeliveries(random, {
      count: 50,
      hours: 10 * 24,
      manifests: 30,
      ids: 15,
    });
    /** 0 to 6 decimals, some negative, some missing. */
    const amountOf = (): number | undefined => {
      const places = random(7);
      const amount = random(10 ** (places + 3)) / 10 ** places;
      return random(8) === 0 ? undefined : random(10) === 0 ? -amount : amount;
    };
    const parcelOf = (index: number): PastParcel => {
      const manifest = manifests[random(manifests.length)]!;
      const parcel = past({
        key: `k${index}`,
        decidedAt: new Date(instants[random(instants.length)]!).toISOString(),
        manifestId: manifest.manifestId,
        partnerId: manifest.partnerId,
      });
      return {
        ...parcel,
        region: manifest.region,
        facts: {
          ...parcel.facts,
          parcel: { value: amountOf() },
          parties: randomParties(random),
        } as unknown as ScreeningFacts,
      };
    };
    const marked = Array.from({ length: 400 }, (_, index) => parcelOf(index));
    // Decided between the passes: read, never marked
    const unmarked = Array.from({ length: 40 }, (_, index) => parcelOf(marked.length + index));
    const shuffled = [...marked].sort(() => random(3) - 1);

    /** The reference: the marks of the region's earlier parcels of the party key in the window, added up with addToTally. */
    const reference = (parcel: PastParcel): HistoryFacts => {
      const history = { ...parcel.facts.history };
      for (const party of HISTORY_PARTIES) {
        const total = (tally: DeclaredTally) =>
          marked
            .filter((other) => countedFor(parcel, party, tally.days, other))
            .flatMap((other) => marksOf(other.facts).filter((mark) => mark.counter === tally.counter))
            .reduce((sum, mark) => addToTally(sum, mark.amount ?? 1), 0);
        history[party] = {
          ...history[party],
          tallies: Object.fromEntries(
            SUM_TALLIES.filter((tally) => tally.parties.includes(party)).map((tally) => [
              tally.id,
              total(tally),
            ]),
          ),
        };
      }
      return history;
    };

    // Act
    const recount = startTallyRecount({ tallies: SUM_TALLIES, tallyMarks: marksOf });
    for (const parcel of shuffled) recount.mark(parcel);
    const everyParcel = [...marked, ...unmarked];
    const history = everyParcel.map((parcel) => recount.factsOf(parcel).history);

    // Assess: and the sums are not whole numbers only
    expect(history).toEqual(everyParcel.map(reference));
    expect(history.some((facts) => !Number.isInteger(facts.address.tallies['value-4']))).toBe(true);
    expect(history.filter((facts) => (facts.phone.tallies['value-4'] ?? 0) !== 0).length).toBeGreaterThan(
      100,
    );
  });
});
