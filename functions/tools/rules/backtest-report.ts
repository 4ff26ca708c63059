import type { BacktestReport } from '../../core/backtest/backtest.js';
import { LANES } from '../../core/screening/lane.js';

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
  if (report.recountedTallies !== undefined && report.recountedTallies.length > 0) {
    const tallies = report.recountedTallies.map(({ id, days }) => `${id} (${days} days)`);
    lines.push(
      `tallies recounted from the backtested parcels, none before the period, so they undercount on its first days: ${tallies.join(', ')}`,
    );
  }
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

  // As wide as the longest rule id and a gap of two, 34 at least: a long id never runs into its counts.
  const idWidth = Math.max(34, ...report.rules.map((rule) => rule.ruleId.length + 2));
  lines.push(
    '',
    `${'rules'.padEnd(idWidth)}${'recorded'.padStart(9)}${side.padStart(11)}${'inspected'.padStart(11)}${'seized'.padStart(8)}${'seized/inspected'.padStart(18)}`,
  );
  for (const rule of report.rules) {
    // A rule no recorded version had: `new`, not a 0 that reads as there and never fired.
    const recorded = rule.notRecorded === true ? 'new' : String(rule.recordedHits);
    lines.push(
      `${rule.ruleId.padEnd(idWidth)}${recorded.padStart(9)}${String(rule.candidateHits).padStart(11)}${String(rule.inspected).padStart(11)}${String(rule.seized).padStart(8)}${percent(rule.seized, rule.inspected).padStart(18)}`,
    );
  }
  if (report.rules.some((rule) => rule.notRecorded === true))
    lines.push(
      'new: in none of the recorded rule set versions, so it could not fire when the parcels were decided',
    );
  return lines;
};
