import { type Manifest, ManifestSchema } from '../../../events/manifest-v1.js';
import { manifestIssues } from '../../../events/parse-manifest.js';
import { loadRuleSet, readDataFile } from '../../adapters/file-rule-set-source.js';
import type { ParcelPlaces } from '../../core/places/parcel-places.js';
import {
  checkFactsInput,
  checkOverlay,
  factsFromInput,
  factsFromManifest,
  MORE_MAY_FOLLOW,
  mergeFacts,
  tallyProblems,
} from '../../core/rules/cases/index.js';
import type { TallyWhyNot } from '../../core/rules/compiled-rule-set.js';
import {
  type CompiledRuleSet,
  type ConditionTrace,
  formatIssue,
  type RuleSetDocument,
  RuleSetError,
  showExpected,
  type TracedEvaluation,
} from '../../core/rules/index.js';
import { formatNumber } from '../../core/rules/numeric.js';
import { HISTORY_PARTIES, type ScreeningFacts } from '../../core/screening/facts.js';
import {
  describeTallies,
  documentOf,
  EXIT_OK,
  nameRuleSet,
  out,
  type RuleSetRead,
  ruleSetDirectory,
  ruleSetPlace,
  UsageError,
} from './cli-shared.js';

/** What an input gives, or every reason it cannot be used (each a line, or a heading and its list). */
type Checked<T> = { value: T } | { refused: string[] };

/** A heading, the problems under it (indented), and a last line when more may follow once they are fixed. */
const refusal = (heading: string, problems: readonly string[], moreMayFollow: boolean): string =>
  [
    heading,
    ...problems.map((line) => `  ${line}`),
    ...(moreMayFollow ? [`  (${MORE_MAY_FOLLOW})`] : []),
  ].join('\n');

/** The parcel or facts file, or why it cannot be read (a usage error, not an invalid rule set). */
const readInputFile = (file: string): Checked<unknown> => {
  try {
    return { value: readDataFile(file).document };
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    return { refused: [error.issues.map(formatIssue).join('\n')] };
  }
};

/** The house document numbers a manifest's parcels are written with (the contract never trims one). */
const parcelIdsWritten = (parcels: readonly unknown[]): string[] =>
  parcels.flatMap((parcel) => {
    const id = (parcel as { parcelId?: unknown } | null)?.parcelId;
    return typeof id === 'string' ? [id] : [];
  });

/**
 * The facts of a manifest's parcel, or every reason they cannot be had: the contract's issues (all of
 * them, as a 422 lists them), and the parcel to pick, or
 * the one `--parcel` names that is not there, among the house document numbers as written.
 */
const manifestFactsOf = (
  file: string,
  document: unknown,
  parcelId: string | undefined,
): Checked<ScreeningFacts> => {
  const refused: string[] = [];
  const parsed = ManifestSchema.safeParse(document);
  if (!parsed.success) {
    const issues = manifestIssues(parsed.error, document).map(({ path, message }) => `${path}: ${message}`);
    refused.push(refusal(`${file} is not a valid manifest:`, issues, true));
  }
  const ids = parsed.success
    ? parsed.data.parcels.map((parcel) => parcel.parcelId)
    : parcelIdsWritten((document as { parcels: unknown[] }).parcels);
  if (ids.length > 0 && (parcelId === undefined || !ids.includes(parcelId))) {
    refused.push(
      parcelId === undefined
        ? `${file} is a manifest: pick a parcel with --parcel (${ids.join(', ')})`
        : `${file} has no parcel ${parcelId}: its parcels are ${ids.join(', ')}`,
    );
  }
  const facts =
    parsed.success && parcelId !== undefined ? factsFromManifest(parsed.data, parcelId) : undefined;
  return refused.length > 0 || facts === undefined ? { refused } : { value: facts };
};

/**
 * The facts of the file explained (a parcel, partial facts, a manifest's parcel), or why not; `tallies`,
 * the ids the rule set declares: partial facts giving another (`history.address.tallies.<id>`) are
 * refused, as a case giving one fails.
 */
const factsOf = (
  file: string,
  parcelId: string | undefined,
  tallies: readonly string[],
  tallyNote: string,
): Checked<ScreeningFacts> => {
  const read = readInputFile(file);
  if ('refused' in read) return read;
  const document = read.value;
  const isManifest =
    document !== null && typeof document === 'object' && Array.isArray((document as Manifest).parcels);
  if (isManifest) return manifestFactsOf(file, document, parcelId);
  const refused =
    parcelId === undefined
      ? []
      : [
          `--parcel ${parcelId} picks a parcel of a manifest, but ${file} is one parcel or facts (it has no parcels list): leave out --parcel`,
        ];
  const facts = factsFromInput(document);
  const checked = checkFactsInput(document, facts);
  const { moreMayFollow } = checked;
  // A whole parcel, bare, has no history: its fields are the parcel's, and checked as such.
  const wholeParcel = (document as { parcelId?: unknown } | null)?.parcelId !== undefined;
  const unknownTallies = wholeParcel ? [] : tallyProblems(asFields(document), tallies);
  const problems = [...checked.problems, ...withNote(unknownTallies, tallyNote)];
  if (problems.length > 0)
    refused.push(refusal(`${file} cannot be explained as written:`, problems, moreMayFollow));
  return refused.length > 0 ? { refused } : { value: facts };
};

/** Unknown tallies, and after them which rule set's tallies they were looked up in (the line `tallyNote`). */
const withNote = (problems: readonly string[], note: string): string[] =>
  problems.length === 0 ? [] : [...problems, note];

/** A document's fields, or none when it is not an object (tallyProblems reads its history). */
const asFields = (document: unknown): Record<string, unknown> =>
  document !== null && typeof document === 'object' && !Array.isArray(document)
    ? (document as Record<string, unknown>)
    : {};

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
    out(
      `${indent}${mark} ${trace.fact} = ${show(trace.actual)}  ${trace.op} ${showExpected(trace.expected)}${note}`,
    );
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

/** Why a tally is marked by this parcel or not, with the trace of its `when` (an empty `all`, true, when it has none). */
interface TallyVerdict {
  id: string;
  marked: boolean;
  /** Of a sum tally the parcel marks, what it adds (exact: the text shows it as reasons show numbers). */
  amount?: number;
  /**
   * Why not, in a few words (`its when is false`, `the parcel carries no parties.phone`); of a tally
   * marked, the parties its rules read it on that the parcel lacks, whose histories get no mark.
   */
  why?: string;
  condition: ConditionTrace;
}

/** What explain says of the tallies: the ids marked (as before), each tally's verdict, and the parties marked. */
interface TallyReport {
  counted: string[];
  verdicts: TallyVerdict[];
  /** The parties of the parcel that keep a history: each mark goes to every one of them. */
  parties: string[];
}

const WHY_NOT: Record<'false' | 'missing', string> = {
  false: 'its when is false',
  missing: 'its when is missing (a fact it reads is missing)',
};

/** A tally's why not in a few words. */
const whyNotWords = (whyNot: TallyWhyNot): string =>
  typeof whyNot !== 'object'
    ? WHY_NOT[whyNot]
    : 'lacks' in whyNot
      ? `the parcel carries no ${whyNot.lacks}`
      : `its sum ${whyNot.sumMissing} is missing`;

/**
 * The rule set's tallies this parcel counts for, by id, and why each is or is not (none when it declares
 * none): what screening would add to its parties' history (core/screening/tallies.ts).
 */
const talliesCounted = (policy: CompiledRuleSet, facts: ScreeningFacts): TallyReport | undefined => {
  if (policy.tallies.length === 0) return undefined;
  const marks = policy.tallyVerdicts(facts);
  const conditions = policy.traceTallies(facts);
  const keys: Record<string, unknown> = { ...facts.parties };
  const carries = (key: string) => typeof keys[key] === 'string' && keys[key] !== '';
  const verdicts = policy.tallies.map(({ id, parties }): TallyVerdict => {
    const mark = marks.get(id)!;
    const lacked = parties.filter((party) => !carries(party)).map((party) => `parties.${party}`);
    const why = !mark.marked
      ? whyNotWords(mark.whyNot)
      : lacked.length > 0
        ? `but the parcel carries no ${lacked.join(' or ')}, which its rules read it on`
        : undefined;
    const amount = mark.marked ? mark.amount : undefined;
    return {
      id,
      marked: mark.marked,
      ...(amount === undefined ? {} : { amount }),
      ...(why === undefined ? {} : { why }),
      condition: conditions.get(id)!,
    };
  });
  return {
    counted: verdicts.filter((verdict) => verdict.marked).map((verdict) => verdict.id),
    verdicts,
    parties: HISTORY_PARTIES.filter(carries),
  };
};

const printTallies = (report: TallyReport | undefined): void => {
  if (report === undefined) return;
  out(`tallies this parcel adds to its parties' history: ${report.counted.join(', ') || 'none'}`);
  out(
    `  (a mark goes to every party of the parcel that keeps a history: ${report.parties.join(', ') || 'none'})`,
  );
  for (const { id, marked, amount, why, condition } of report.verdicts) {
    // A sum tally's mark adds a number: shown as reasons show numbers (formatNumber).
    const adds = amount === undefined ? '' : `, adds ${formatNumber(amount)}`;
    out(`  ${id}: ${marked ? 'marked' : 'not marked'}${adds}${why === undefined ? '' : `, ${why}`}`);
    printCondition(condition, '    ');
  }
};

/**
 * The places facts (`places.*`) of the parcel, for a rule set that reads them: each with its value, a
 * missing one with why (`region "Yunan" names no province`), and each route point in CN that names none.
 */
const printPlaces = ({ facts: places, why, unresolvedPoints }: ParcelPlaces): void => {
  out('places facts (from the parcel):');
  const shown = (path: string, value: unknown) => {
    const because = value === undefined ? why[path] : undefined;
    out(`  ${path} = ${show(value)}${because === undefined ? '' : `  (missing: ${because})`}`);
  };
  for (const place of ['origin', 'destination', 'shipper', 'consignee'] as const)
    shown(`places.${place}.province`, places[place].province);
  shown('places.route.provinces', places.route.provinces);
  shown('places.route.unresolved', places.route.unresolved);
  for (const point of unresolvedPoints) out(`    ? ${point}`);
  shown('places.route.provinceNames', places.route.provinceNames);
};

const printEvaluation = (
  evaluation: TracedEvaluation,
  document: Pick<RuleSetDocument, 'tallies'>,
  readFrom: string,
): void => {
  // A copy of a rule set keeps its id: the directory read tells it from the live one.
  out(`rule set ${evaluation.ruleSetId} (${readFrom}) ${evaluation.ruleSetVersion}`);
  if (Object.keys(document.tallies ?? {}).length > 0) out(`tallies: ${describeTallies(document)}`);
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
  if (evaluation.trace.places !== undefined) printPlaces(evaluation.trace.places);
  out(`trace (✓ true, ✗ false, ? missing) at ${evaluation.trace.now}:`);
  for (const rule of evaluation.trace.rules) {
    out(`  ${rule.ruleId}: ${rule.status}`);
    if (rule.condition !== undefined) printCondition(rule.condition, '    ');
  }
};

/** `--with`'s partial history and `now`, once checked, or why it cannot be laid over the facts. */
const overlayOf = (overlayFile: string, tallies: readonly string[], tallyNote: string): Checked<unknown> => {
  const read = readInputFile(overlayFile);
  if ('refused' in read) return read;
  const checked = checkOverlay(read.value);
  const { moreMayFollow } = checked;
  const problems = [
    ...checked.problems,
    ...withNote(tallyProblems(asFields(read.value), tallies), tallyNote),
  ];
  if (problems.length === 0) return read;
  const heading = `--with ${overlayFile} cannot be laid over the parcel's facts:`;
  return { refused: [refusal(heading, problems, moreMayFollow)] };
};

/**
 * Evaluates one parcel with the full trace: as text, or as the evaluation's JSON. `overlayFile` (`--with`)
 * gives history and `now` for a parcel whose file cannot (a manifest's parcel, or a bare parcel).
 */
export const explain = (
  file: string,
  ruleSet: RuleSetRead,
  parcelId: string | undefined,
  json: boolean,
  overlayFile?: string,
): number => {
  const directory = ruleSetDirectory(ruleSet.path, '--rule-set');
  const loaded = loadRuleSet(directory);
  const { policy } = loaded;
  const document = documentOf(loaded);
  const ids = Object.keys(document.tallies ?? {});
  const tallyNote = `(the tallies of ${nameRuleSet(ruleSet, directory)})`;
  // The file and the overlay are checked apart, and every problem of both told at once.
  const input = factsOf(file, parcelId, ids, tallyNote);
  const overlay = overlayFile === undefined ? undefined : overlayOf(overlayFile, ids, tallyNote);
  if ('refused' in input || (overlay !== undefined && 'refused' in overlay)) {
    const refused = [input, overlay].flatMap((checked) =>
      checked !== undefined && 'refused' in checked ? checked.refused : [],
    );
    throw new UsageError(refused.join('\n'));
  }
  const facts = overlay === undefined ? input.value : mergeFacts(input.value, overlay.value);
  const evaluation = policy.evaluate(facts, { trace: true });
  const tallies = talliesCounted(policy, facts);
  if (json) {
    const tallyParts =
      tallies === undefined
        ? {}
        : { tallies: tallies.counted, tallyTrace: tallies.verdicts, tallyParties: tallies.parties };
    out(JSON.stringify({ ...evaluation, ...tallyParts }, null, 2));
  } else {
    printEvaluation(evaluation, document, ruleSetPlace(ruleSet, directory));
    printTallies(tallies);
  }
  return EXIT_OK;
};
