import { fastValidParcel } from '../events/fast-manifest-validator.js';
import { type Parcel, ParcelSchema } from '../events/manifest-v1.js';
import { loadRuleSetFromDirectory } from '../functions/adapters/file-rule-set-source.js';
import type { ScreeningFacts } from '../functions/core/screening/facts.js';
import { screenByHand, screenByHandMemoized } from './default-rules-by-hand.js';
import { firedByJsonRulesEngine, makeJsonRulesEngine } from './default-rules-for-json-rules-engine.js';
import { makeSyntheticParcels } from './synthetic-parcels.js';

/**
 * Rule engine benchmark: the compiled default rule set against the same rules written by hand and in
 * json-rules-engine, on the same seeded synthetic parcels, measured interleaved (chunk by chunk, rotating
 * order) in CPU time; plus JSON.parse and schema validation (zod, and the fast validator ingest uses) of the
 * same parcels, alone and followed by screening.
 */

export interface EngineBenchmarkOptions {
  parcels: number;
  seed: number;
  /** Rounds over all parcels for the fast contenders. */
  rounds: number;
  /** json-rules-engine is timed on one chunk in this many (its parity is still checked on every parcel). */
  slowSampleEvery: number;
  chunk: number;
  ruleSetDirectory: string;
  log: (line: string) => void;
}

interface Contender {
  name: string;
  rounds: number;
  /** Runs on one chunk in this many. */
  every: number;
  run: (from: number, to: number) => number | Promise<number>;
}

const cpuMicros = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

const ZOD = 'parse + validate (zod ParcelSchema)';
const ZOD_SCREEN = 'parse + validate (zod) + screen';
const FAST = 'parse + validate (fast validator)';
const FAST_SCREEN = 'parse + validate (fast) + screen';
const MEMO_HAND = 'hand-written, lookups memoized (ref.)';
const FAST_MEMO_HAND = 'parse + validate (fast) + memoized hand';

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/** What ingest does with one parcel: the fast validator, and zod when it is not sure (never, on valid input). */
const validateFast = (value: unknown): Parcel => fastValidParcel(value) ?? ParcelSchema.parse(value);

export const runEngineBenchmark = async (options: EngineBenchmarkOptions): Promise<boolean> => {
  const { log } = options;
  const began = Date.now();
  const phase = (name: string) => log(`  (${name} after ${((Date.now() - began) / 1000).toFixed(1)} s)`);
  const policy = loadRuleSetFromDirectory(options.ruleSetDirectory);
  const jre = makeJsonRulesEngine();
  const synthetic = makeSyntheticParcels(options.parcels, options.seed);
  const facts: ScreeningFacts[] = synthetic.map(({ json, context }) => ({
    parcel: ParcelSchema.parse(JSON.parse(json)),
    ...context,
  }));
  log(
    `rule set ${policy.id} ${policy.version}: ${policy.enabledRuleIds.length} rules; ${facts.length} parcels, seed ${options.seed}`,
  );
  phase('parcels built');

  // Validation parity: the fast validator returns exactly zod's output (same JSON, key order included).
  let validationMismatches = 0;
  for (let i = 0; i < synthetic.length; i++) {
    const fast = fastValidParcel(JSON.parse(synthetic[i]!.json));
    if (fast === undefined || JSON.stringify(fast) !== JSON.stringify(facts[i]!.parcel)) {
      validationMismatches++;
      if (validationMismatches <= 5) log(`VALIDATION MISMATCH ${facts[i]!.parcel.parcelId}`);
    }
  }
  log(
    `validation parity: ${validationMismatches === 0 ? 'ok' : `FAILED on ${validationMismatches} parcels`} (fast validator output = zod output on all ${synthetic.length} parcels)`,
  );

  // Parity: all three fire exactly the same rules on every parcel (this pass also warms up every path).
  let mismatches = 0;
  const lanes = new Map<string, number>();
  const ruleCounts = new Map<string, number>();
  for (let i = 0; i < facts.length; i++) {
    const engineEvaluation = policy.evaluate(facts[i]!);
    const engineIds = engineEvaluation.firedRules.map((rule) => rule.ruleId);
    const hand = screenByHand(facts[i]!);
    const handIds = hand.firedRules.map((rule) => rule.ruleId);
    const memoized = screenByHandMemoized(facts[i]!);
    const memoizedIds = memoized.firedRules.map((rule) => rule.ruleId);
    const jreIds = await firedByJsonRulesEngine(jre, facts[i]!);
    if (
      !sameIds(engineIds, handIds) ||
      !sameIds(engineIds, memoizedIds) ||
      !sameIds(engineIds, jreIds) ||
      hand.lane !== engineEvaluation.lane ||
      memoized.lane !== engineEvaluation.lane
    ) {
      mismatches++;
      if (mismatches <= 5) {
        log(
          `MISMATCH ${facts[i]!.parcel.parcelId}: engine [${engineIds}] ${engineEvaluation.lane}, hand [${handIds}] ${hand.lane}, memoized hand [${memoizedIds}] ${memoized.lane}, json-rules-engine [${jreIds}]`,
        );
      }
    }
    lanes.set(engineEvaluation.lane, (lanes.get(engineEvaluation.lane) ?? 0) + 1);
    for (const id of engineIds) ruleCounts.set(id, (ruleCounts.get(id) ?? 0) + 1);
  }
  log(
    `parity: ${mismatches === 0 ? 'ok' : `FAILED on ${mismatches} parcels`} (engine, hand-written (direct and memoized) and json-rules-engine fire the same rules on all ${facts.length} parcels)`,
  );
  log(`lanes: ${[...lanes].map(([lane, n]) => `${lane} ${n}`).join(', ')}`);
  log(`rules fired: ${[...ruleCounts].map(([id, n]) => `${id} ${n}`).join(', ')}`);
  const missing = policy.enabledRuleIds.filter((id) => !ruleCounts.has(id));
  if (missing.length > 0) log(`note: rules never fired on synthetic parcels: ${missing.join(', ')}`);
  phase('parity checked');

  let sink = 0;
  const jsons = synthetic.map((item) => item.json);
  const contexts = synthetic.map((item) => item.context);
  const contenders: Contender[] = [
    {
      name: 'compiled engine',
      rounds: options.rounds,
      every: 1,
      run: (from, to) => {
        for (let i = from; i < to; i++) sink += policy.evaluate(facts[i]!).score;
        return to - from;
      },
    },
    {
      name: 'hand-written TypeScript',
      rounds: options.rounds,
      every: 1,
      run: (from, to) => {
        for (let i = from; i < to; i++) sink += screenByHand(facts[i]!).score;
        return to - from;
      },
    },
    {
      name: MEMO_HAND,
      rounds: options.rounds,
      every: 1,
      run: (from, to) => {
        for (let i = from; i < to; i++) sink += screenByHandMemoized(facts[i]!).score;
        return to - from;
      },
    },
    {
      name: 'json-rules-engine',
      rounds: 1,
      every: options.slowSampleEvery,
      run: async (from, to) => {
        for (let i = from; i < to; i++) sink += (await firedByJsonRulesEngine(jre, facts[i]!)).length;
        return to - from;
      },
    },
    {
      name: 'JSON.parse',
      rounds: options.rounds,
      every: 1,
      run: (from, to) => {
        for (let i = from; i < to; i++) sink += (JSON.parse(jsons[i]!) as { pieceCount: number }).pieceCount;
        return to - from;
      },
    },
    {
      name: ZOD,
      rounds: options.rounds,
      every: 1,
      run: (from, to) => {
        for (let i = from; i < to; i++) sink += ParcelSchema.parse(JSON.parse(jsons[i]!)).pieceCount;
        return to - from;
      },
    },
    {
      name: ZOD_SCREEN,
      rounds: options.rounds,
      every: 1,
      run: (from, to) => {
        for (let i = from; i < to; i++) {
          const parcel = ParcelSchema.parse(JSON.parse(jsons[i]!));
          sink += policy.evaluate({ parcel, ...contexts[i]! }).score;
        }
        return to - from;
      },
    },
    {
      name: FAST,
      rounds: options.rounds,
      every: 1,
      run: (from, to) => {
        for (let i = from; i < to; i++) sink += validateFast(JSON.parse(jsons[i]!)).pieceCount;
        return to - from;
      },
    },
    {
      name: FAST_SCREEN,
      rounds: options.rounds,
      every: 1,
      run: (from, to) => {
        for (let i = from; i < to; i++) {
          const parcel = validateFast(JSON.parse(jsons[i]!));
          sink += policy.evaluate({ parcel, ...contexts[i]! }).score;
        }
        return to - from;
      },
    },
    {
      name: FAST_MEMO_HAND,
      rounds: options.rounds,
      every: 1,
      run: (from, to) => {
        for (let i = from; i < to; i++) {
          const parcel = validateFast(JSON.parse(jsons[i]!));
          sink += screenByHandMemoized({ parcel, ...contexts[i]! }).score;
        }
        return to - from;
      },
    },
  ];

  const spent = new Map<string, { parcels: number; micros: number }>(
    contenders.map((c) => [c.name, { parcels: 0, micros: 0 }]),
  );
  const chunks = Math.ceil(facts.length / options.chunk);
  let turn = 0;
  for (let round = 0; round < options.rounds; round++) {
    for (let c = 0; c < chunks; c++) {
      const from = c * options.chunk;
      const to = Math.min(facts.length, from + options.chunk);
      const active = contenders.filter((contender) => round < contender.rounds && c % contender.every === 0);
      for (let k = 0; k < active.length; k++) {
        const contender = active[(k + turn) % active.length]!;
        const start = cpuMicros();
        const parcels = await contender.run(from, to);
        const micros = cpuMicros() - start;
        const total = spent.get(contender.name)!;
        total.parcels += parcels;
        total.micros += micros;
      }
      turn++;
    }
  }

  const rate = (name: string) => {
    const { parcels, micros } = spent.get(name)!;
    return parcels / (micros / 1e6);
  };
  const pad = (text: string, width: number) => text.padEnd(width);
  const num = (value: number) => Math.round(value).toLocaleString('en-US').padStart(12);
  log('');
  log(
    `${pad('contender', 42)}${'parcels'.padStart(10)}${'CPU s'.padStart(9)}${'parcels/CPU-s'.padStart(16)}`,
  );
  for (const contender of contenders) {
    const { parcels, micros } = spent.get(contender.name)!;
    log(
      `${pad(contender.name, 42)}${String(parcels).padStart(10)}${(micros / 1e6).toFixed(2).padStart(9)}${num(rate(contender.name)).padStart(16)}`,
    );
  }
  const ratios: [string, number, number][] = [
    ['compiled engine / hand-written', rate('compiled engine') / rate('hand-written TypeScript'), 0.7],
    ['compiled engine / json-rules-engine', rate('compiled engine') / rate('json-rules-engine'), 150],
    ['parse+validate+screen / parse+validate, fast (ingest)', rate(FAST_SCREEN) / rate(FAST), 0.9],
    ['parse+validate+screen / parse+validate, zod', rate(ZOD_SCREEN) / rate(ZOD), 0.9],
    ['fast validator / zod (parse + validate)', rate(FAST) / rate(ZOD), 0],
    [
      'memoized hand-written / hand-written (reference)',
      rate(MEMO_HAND) / rate('hand-written TypeScript'),
      0,
    ],
    ['compiled engine / memoized hand-written (reference)', rate('compiled engine') / rate(MEMO_HAND), 0],
    // What the fastest screening measured here reaches against the 150× target.
    ['memoized hand-written / json-rules-engine (reference)', rate(MEMO_HAND) / rate('json-rules-engine'), 0],
    ['p+v+memoized hand / parse+validate, fast (reference)', rate(FAST_MEMO_HAND) / rate(FAST), 0],
    ['compiled engine / JSON.parse', rate('compiled engine') / rate('JSON.parse'), 0],
  ];
  log('');
  for (const [name, value, target] of ratios) {
    const verdict = target === 0 ? '' : `  target ≥ ${target}: ${value >= target ? 'PASS' : 'MISS'}`;
    log(`${pad(name, 54)}${value.toFixed(2).padStart(8)}×${verdict}`);
  }
  log(`(checksum ${sink})`);
  phase('timed');
  return mismatches === 0 && validationMismatches === 0;
};
