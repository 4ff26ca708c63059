import { isInspection, isSeizure, type Outcome } from '../review/outcome.js';
import type { ScreeningPolicy } from '../screening/decision.js';
import type { ScreeningFacts } from '../screening/facts.js';
import { isFlagged, LANES, type Lane } from '../screening/lane.js';
import type { ShadowEvaluation } from '../screening/shadow.js';

/**
 * A backtest: past parcels screened again, from the facts they were screened with, by a candidate rule
 * set, and compared with what was decided then and what inspections found. Pure: the parcels come in,
 * the report goes out.
 */

/** A parcel as it was decided, and the outcome its inspection recorded, if it had one. */
export interface PastParcel {
  parcelKey: string;
  decidedAt: string;
  ruleSetVersion: string;
  lane: Lane;
  firedRuleIds: readonly string[];
  facts: ScreeningFacts;
  outcome?: Outcome;
  /** What a shadow rule set decided beside it, if one was deployed then. */
  shadow?: ShadowEvaluation;
}

export interface RuleComparison {
  ruleId: string;
  /** Parcels the rule fired on when they were decided. */
  recordedHits: number;
  /** Parcels the candidate's rule fires on. */
  candidateHits: number;
  /** Of the candidate's hits, parcels inspected (an outcome other than not-found), and seized. */
  inspected: number;
  seized: number;
}

export interface MissedSeizure {
  parcelKey: string;
  decidedAt: string;
  recordedLane: Lane;
  candidateLane: Lane;
  /** Released by the recorded rules too, and held at random for inspection. */
  controlSample: boolean;
}

/** A parcel whose lane the candidate changes, and the rules that make the difference. */
export interface LaneChange {
  parcelKey: string;
  decidedAt: string;
  recordedLane: Lane;
  candidateLane: Lane;
  /** Rules the candidate fires that were not recorded, and recorded rules it does not fire. */
  added: string[];
  removed: string[];
}

/** Parcels that change lane listed by name, at most: the count says how many there are in all. */
export const LANE_CHANGES_LISTED = 50;

export interface BacktestReport {
  parcels: number;
  from?: string;
  to?: string;
  /** How many parcels each recorded rule set version decided. */
  recordedVersions: Record<string, number>;
  /** Parcels by recorded lane, then by the candidate's lane. */
  lanes: Record<Lane, Record<Lane, number>>;
  /** Parcels whose lane changes. */
  changed: number;
  /** The first LANE_CHANGES_LISTED of them by decision time, so a period of any length stays small. */
  laneChanges: LaneChange[];
  inspected: number;
  seized: number;
  /** Seized parcels each flags (review, hold or do-not-load), and cleared ones each flags. */
  seizedFlagged: { recorded: number; candidate: number };
  clearedFlagged: { recorded: number; candidate: number };
  /** Every seized parcel the candidate would release: flagged when decided, or a control sample. */
  missedSeizures: MissedSeizure[];
  /** Every rule of either side, in the candidate's order, then rules only recorded. */
  rules: RuleComparison[];
}

const emptyLanes = (): Record<Lane, Record<Lane, number>> =>
  Object.fromEntries(LANES.map((lane) => [lane, Object.fromEntries(LANES.map((to) => [to, 0]))])) as Record<
    Lane,
    Record<Lane, number>
  >;

/** Adds `change` to `changes`, kept the LANE_CHANGES_LISTED earliest by decision time, then parcel key. */
const keepEarliest = (changes: LaneChange[], change: LaneChange): void => {
  const before = (a: LaneChange, b: LaneChange) =>
    a.decidedAt < b.decidedAt || (a.decidedAt === b.decidedAt && a.parcelKey < b.parcelKey);
  if (changes.length === LANE_CHANGES_LISTED && !before(change, changes.at(-1)!)) return;
  const at = changes.findIndex((other) => before(change, other));
  changes.splice(at < 0 ? changes.length : at, 0, change);
  if (changes.length > LANE_CHANGES_LISTED) changes.pop();
};

/** What a comparison needs of the candidate's decision on a parcel. */
export interface CandidateDecision {
  lane: Lane;
  firedRules: readonly { ruleId: string }[];
}

/**
 * A backtest fed one parcel at a time, so a period of any length is screened in constant memory: only
 * the counts and the missed seizures are kept.
 */
export const startBacktest = (candidate: ScreeningPolicy & { ruleIds: readonly string[] }) => {
  const comparison = startComparison(candidate.ruleIds);
  return {
    add: (parcel: PastParcel): void => comparison.add(parcel, candidate.evaluate(parcel.facts)),
    finish: comparison.finish,
  };
};

/**
 * Recorded decisions compared with a candidate's decisions on the same parcels, however the candidate
 * decided them: screened again (a backtest) or recorded beside them (a shadow rule set). `ruleIds` come
 * first in the rules table, in their order; rules seen only on parcels follow.
 */
export const startComparison = (ruleIds: readonly string[]) => {
  const report: BacktestReport = {
    parcels: 0,
    recordedVersions: {},
    lanes: emptyLanes(),
    changed: 0,
    laneChanges: [],
    inspected: 0,
    seized: 0,
    seizedFlagged: { recorded: 0, candidate: 0 },
    clearedFlagged: { recorded: 0, candidate: 0 },
    missedSeizures: [],
    rules: [],
  };
  const rules = new Map<string, RuleComparison>();
  const ruleOf = (ruleId: string): RuleComparison => {
    let rule = rules.get(ruleId);
    if (rule === undefined) {
      rule = { ruleId, recordedHits: 0, candidateHits: 0, inspected: 0, seized: 0 };
      rules.set(ruleId, rule);
    }
    return rule;
  };
  for (const ruleId of ruleIds) ruleOf(ruleId);

  const add = (parcel: PastParcel, evaluation: CandidateDecision): void => {
    report.parcels += 1;
    if (report.from === undefined || parcel.decidedAt < report.from) report.from = parcel.decidedAt;
    if (report.to === undefined || parcel.decidedAt > report.to) report.to = parcel.decidedAt;
    report.recordedVersions[parcel.ruleSetVersion] =
      (report.recordedVersions[parcel.ruleSetVersion] ?? 0) + 1;
    report.lanes[parcel.lane][evaluation.lane] += 1;
    if (parcel.lane !== evaluation.lane) {
      report.changed += 1;
      const fired = evaluation.firedRules.map((rule) => rule.ruleId);
      keepEarliest(report.laneChanges, {
        parcelKey: parcel.parcelKey,
        decidedAt: parcel.decidedAt,
        recordedLane: parcel.lane,
        candidateLane: evaluation.lane,
        added: fired.filter((ruleId) => !parcel.firedRuleIds.includes(ruleId)),
        removed: parcel.firedRuleIds.filter((ruleId) => !fired.includes(ruleId)),
      });
    }

    // As the rule statistics count them: not-found is no inspection, nothing was looked at.
    const inspected = parcel.outcome !== undefined && isInspection(parcel.outcome);
    const seized = parcel.outcome !== undefined && isSeizure(parcel.outcome);
    if (inspected) report.inspected += 1;
    if (seized) {
      report.seized += 1;
      if (isFlagged(parcel.lane)) report.seizedFlagged.recorded += 1;
      if (isFlagged(evaluation.lane)) report.seizedFlagged.candidate += 1;
      if (!isFlagged(evaluation.lane)) {
        report.missedSeizures.push({
          parcelKey: parcel.parcelKey,
          decidedAt: parcel.decidedAt,
          recordedLane: parcel.lane,
          candidateLane: evaluation.lane,
          // Only flagged parcels and control samples are inspected: one the rules released was a sample.
          controlSample: !isFlagged(parcel.lane),
        });
      }
    } else if (parcel.outcome === 'cleared') {
      if (isFlagged(parcel.lane)) report.clearedFlagged.recorded += 1;
      if (isFlagged(evaluation.lane)) report.clearedFlagged.candidate += 1;
    }

    for (const ruleId of new Set(parcel.firedRuleIds)) ruleOf(ruleId).recordedHits += 1;
    // As the rule statistics do, a rule's precision counts the parcels it would flag: a control sample
    // the candidate releases (inspected at random) is no inspection of the rules that fired on it.
    const flagged = isFlagged(evaluation.lane);
    for (const { ruleId } of evaluation.firedRules) {
      const rule = ruleOf(ruleId);
      rule.candidateHits += 1;
      if (inspected && flagged) rule.inspected += 1;
      if (seized && flagged) rule.seized += 1;
    }
  };

  const finish = (): BacktestReport => ({
    ...report,
    missedSeizures: [...report.missedSeizures].sort((a, b) =>
      a.decidedAt < b.decidedAt ? -1 : a.decidedAt > b.decidedAt ? 1 : 0,
    ),
    rules: [...rules.values()].map((rule) => ({ ...rule })),
  });
  return { add, finish };
};

const percent = (part: number, whole: number): string =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;

/**
 * The report as the lines `npm run rules -- backtest` prints, and `shadow` with its own title, and
 * `side` naming what the recorded decisions are compared with (the shadow, not a candidate).
 */
export const formatBacktest = (
  report: BacktestReport,
  candidate: { id: string; label: string; version: string },
  {
    title = `backtest of ${candidate.id} ${candidate.label} (${candidate.version})`,
    side = 'candidate',
  }: { title?: string; side?: string } = {},
) => {
  const lines: string[] = [];
  const span = report.from === undefined ? '' : ` decided ${report.from} – ${report.to}`;
  lines.push(`${title} on ${report.parcels} parcels${span}`);
  const versions = Object.entries(report.recordedVersions).map(([version, n]) => `${version} (${n})`);
  if (versions.length > 0) lines.push(`recorded with: ${versions.join(', ')}`);
  if (report.parcels === 0) return lines;

  lines.push('', `lanes, recorded (rows) → ${side} (columns); ${report.changed} parcels change lane:`);
  const width = Math.max(...LANES.map((lane) => lane.length), 8);
  lines.push(`${''.padEnd(width)}${LANES.map((lane) => lane.padStart(width + 2)).join('')}`);
  for (const from of LANES) {
    lines.push(
      `${from.padEnd(width)}${LANES.map((to) => String(report.lanes[from][to]).padStart(width + 2)).join('')}`,
    );
  }
  for (const change of report.laneChanges) {
    const added = change.added.length > 0 ? `, + ${change.added.join(', ')}` : '';
    const removed = change.removed.length > 0 ? `, − ${change.removed.join(', ')}` : '';
    lines.push(
      `  ${change.parcelKey} (${change.decidedAt}): ${change.recordedLane} → ${change.candidateLane}${added}${removed}`,
    );
  }
  if (report.changed > report.laneChanges.length)
    lines.push(`  … and ${report.changed - report.laneChanges.length} more`);

  lines.push(
    '',
    `outcomes: ${report.inspected} parcels inspected, ${report.seized} seized`,
    `  seized parcels flagged:  recorded ${report.seizedFlagged.recorded}/${report.seized}, ${side} ${report.seizedFlagged.candidate}/${report.seized}`,
    `  cleared parcels flagged: recorded ${report.clearedFlagged.recorded}, ${side} ${report.clearedFlagged.candidate}`,
  );
  for (const missed of report.missedSeizures) {
    const sample = missed.controlSample ? ' (control sample)' : '';
    lines.push(
      `  MISSED seizure ${missed.parcelKey} (${missed.decidedAt})${sample}: recorded ${missed.recordedLane}, ${side} ${missed.candidateLane}`,
    );
  }

  lines.push(
    '',
    `${'rules'.padEnd(34)}${'recorded'.padStart(9)}${side.padStart(11)}${'inspected'.padStart(11)}${'seized'.padStart(8)}${'seized/inspected'.padStart(18)}`,
  );
  for (const rule of report.rules) {
    lines.push(
      `${rule.ruleId.padEnd(34)}${String(rule.recordedHits).padStart(9)}${String(rule.candidateHits).padStart(11)}${String(rule.inspected).padStart(11)}${String(rule.seized).padStart(8)}${percent(rule.seized, rule.inspected).padStart(18)}`,
    );
  }
  return lines;
};
