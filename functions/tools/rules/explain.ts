import { toInputIssues } from '../../../events/input-issues.js';
import { type Manifest, ManifestSchema } from '../../../events/manifest-v1.js';
import { loadRuleSet, readDataFile } from '../../adapters/file-rule-set-source.js';
import {
  type ConditionTrace,
  factsFromInput,
  factsFromManifest,
  factsInputProblems,
  formatIssue,
  mergeFacts,
  overlayProblems,
  RuleSetError,
  type TracedEvaluation,
} from '../../core/rules/index.js';
import type { ScreeningFacts } from '../../core/screening/facts.js';
import { EXIT_OK, out, ruleSetDirectory, UsageError } from './cli-shared.js';

/** The parcel or facts file, or a usage error saying why it cannot be read (not an invalid rule set). */
const readInputFile = (file: string): unknown => {
  try {
    return readDataFile(file).document;
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    throw new UsageError(error.issues.map(formatIssue).join('\n'));
  }
};

const factsOf = (file: string, parcelId: string | undefined): ScreeningFacts => {
  const document = readInputFile(file);
  const isManifest =
    document !== null && typeof document === 'object' && Array.isArray((document as Manifest).parcels);
  if (!isManifest) {
    if (parcelId !== undefined) {
      throw new UsageError(
        `--parcel ${parcelId} picks a parcel of a manifest, but ${file} is one parcel or facts (it has no parcels list): leave out --parcel`,
      );
    }
    const facts = factsFromInput(document);
    const problems = factsInputProblems(document, facts);
    if (problems.length > 0) {
      throw new UsageError(
        `${file} cannot be explained as written:\n${problems.map((line) => `  ${line}`).join('\n')}`,
      );
    }
    return facts;
  }
  const parsed = ManifestSchema.safeParse(document);
  if (!parsed.success) {
    const issues = toInputIssues(parsed.error).map(({ path, message }) => `  ${path}: ${message}`);
    throw new UsageError(`${file} is not a valid manifest:\n${issues.join('\n')}`);
  }
  const manifest = parsed.data;
  const facts = parcelId === undefined ? undefined : factsFromManifest(manifest, parcelId);
  if (facts === undefined) {
    const ids = manifest.parcels.map((parcel) => parcel.parcelId).join(', ');
    throw new UsageError(
      parcelId === undefined
        ? `${file} is a manifest: pick a parcel with --parcel (${ids})`
        : `${file} has no parcel ${parcelId}: its parcels are ${ids}`,
    );
  }
  return facts;
};

const show = (value: unknown): string => JSON.stringify(value ?? null);

const printCondition = (trace: ConditionTrace, indent: string): void => {
  const mark = trace.result === 'true' ? '✓' : trace.result === 'false' ? '✗' : '?';
  if (
    trace.children === undefined &&
    trace.elements === undefined &&
    trace.op !== 'some' &&
    trace.op !== 'every' &&
    trace.op !== 'none'
  ) {
    const note = trace.note === undefined ? '' : `  (${trace.note})`;
    out(`${indent}${mark} ${trace.fact} = ${show(trace.actual)}  ${trace.op} ${show(trace.expected)}${note}`);
    return;
  }
  const over = trace.fact === undefined ? '' : ` ${trace.fact}`;
  out(`${indent}${mark} ${trace.op}${over}${trace.note === undefined ? '' : `  (${trace.note})`}`);
  for (const child of trace.children ?? []) printCondition(child, `${indent}    `);
  (trace.elements ?? []).forEach((element, i) => {
    out(`${indent}    [${i}]`);
    printCondition(element, `${indent}        `);
  });
};

const printEvaluation = (evaluation: TracedEvaluation): void => {
  out(`rule set ${evaluation.ruleSetId} ${evaluation.ruleSetVersion}`);
  out(`lane ${evaluation.lane}, score ${evaluation.score}`);
  out('fired:');
  for (const rule of evaluation.firedRules) {
    out(
      `  ${rule.ruleId} (+${rule.score}${rule.lane === undefined ? '' : `, forces ${rule.lane}`}): ${rule.reason}`,
    );
  }
  if (evaluation.trace === undefined) return;
  out('derived facts:');
  for (const [name, value] of Object.entries(evaluation.trace.derived)) out(`  ${name} = ${show(value)}`);
  out(`trace (✓ true, ✗ false, ? missing) at ${evaluation.trace.now}:`);
  for (const rule of evaluation.trace.rules) {
    out(`  ${rule.ruleId}: ${rule.status}`);
    if (rule.condition !== undefined) printCondition(rule.condition, '    ');
  }
};

/** The facts with `--with`'s partial history and `now` laid over them, once the overlay is checked. */
const withOverlay = (facts: ScreeningFacts, overlayFile: string | undefined): ScreeningFacts => {
  if (overlayFile === undefined) return facts;
  const overlay = readInputFile(overlayFile);
  const problems = overlayProblems(overlay);
  if (problems.length > 0) {
    throw new UsageError(
      `--with ${overlayFile} cannot be laid over the parcel's facts:\n${problems.map((line) => `  ${line}`).join('\n')}`,
    );
  }
  return mergeFacts(facts, overlay);
};

/**
 * Evaluates one parcel with the full trace: as text, or as the evaluation's JSON. `overlayFile` (`--with`)
 * gives history and `now` for a parcel whose file cannot (a manifest's parcel, or a bare parcel).
 */
export const explain = (
  file: string,
  ruleSet: string,
  parcelId: string | undefined,
  json: boolean,
  overlayFile?: string,
): number => {
  const { policy } = loadRuleSet(ruleSetDirectory(ruleSet, '--rule-set'));
  const facts = withOverlay(factsOf(file, parcelId), overlayFile);
  const evaluation = policy.evaluate(facts, { trace: true });
  if (json) out(JSON.stringify(evaluation, null, 2));
  else printEvaluation(evaluation);
  return EXIT_OK;
};
