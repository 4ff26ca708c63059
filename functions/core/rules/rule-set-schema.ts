import { z } from 'zod';
import {
  AddressSchema,
  IdDocumentSchema,
  SAFE_LINES,
  SAFE_TEXT,
  SAFE_TEXT_MESSAGE,
} from '../../../events/manifest-v1.js';
import { HISTORY_WINDOW_DAYS } from '../parties/history-days.js';
import { LANES } from '../screening/lane.js';
import { quoteWritten } from '../text/text.js';
import { quoteNumber } from './compile-list.js';
import { didYouMean } from './did-you-mean.js';
import { startsAsFactPath } from './fact-access.js';
import { DECIMAL_PLACES, roundDecimal } from './numeric.js';

/**
 * The one schema of rule-set files (YAML or JSON): the rule set, its lists and its cases.
 * Structure is checked here; meaning (fact paths, types, list names, one operator per condition)
 * is checked by the compiler, which knows the facts.
 */

export const KebabIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a stable kebab-case id such as origin-border-town');
/** One name of a fact path (`parcel`, `route`, `valuePerKgCny`): letters and digits, a letter first. */
const FACT_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
/**
 * A name, or a tally's kebab-case id as the last name after `tallies` (history.address.tallies.small-from-ruili)
 * or as the one name after `marks` (marks.small-from-ruili).
 */
const FACT_PATH =
  /^(?:[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*(\.tallies\.[a-z0-9]+(-[a-z0-9]+)*)?|marks\.[a-z0-9]+(-[a-z0-9]+)*)$/;
const FACT_PATH_EXPECTED =
  'a dotted fact path such as parcel.route.origin.city, each name letters and digits starting with a letter';

/** What breaks the naming rule in one name of a fact path (one that breaks it). */
const nameProblem = (name: string): string => {
  if (name === '') return 'a name is empty (two dots together, or a dot at an end)';
  if (!/^[A-Za-z]/.test(name)) return `${quoteWritten(name)} starts with ${quoteWritten([...name][0])}`;
  const char = [...name].find((c) => !/[A-Za-z0-9]/.test(c));
  return `${quoteWritten(name)} has ${quoteWritten(char)}`;
};

/** Why a written fact path is not one: the rule, then the name that breaks it and how. */
const factPathProblem = (path: unknown): string => {
  if (typeof path !== 'string') return FACT_PATH_EXPECTED;
  const names = path.split('.');
  const bad = names.find(
    (name, i) =>
      !FACT_NAME.test(name) &&
      !(i > 0 && names[i - 1] === 'tallies' && i === names.length - 1) &&
      !(i === 1 && names[0] === 'marks' && names.length === 2),
  );
  if (bad === undefined) return FACT_PATH_EXPECTED;
  // `parcel.goods[0].hsCode`: said as the YAML error of the same path unquoted in a flow map says it.
  const list = /^[A-Za-z][A-Za-z0-9]*\[/.test(bad) ? path.slice(0, path.indexOf('[')) : undefined;
  const indexed =
    list === undefined
      ? ''
      : `; a fact path cannot index a list (${list}[…]): use some, every or count over ${list}`;
  return `${FACT_PATH_EXPECTED}: ${nameProblem(bad)}${indexed}`;
};

export const FactPathSchema = z.string().regex(FACT_PATH, { error: (issue) => factPathProblem(issue.input) });
/**
 * A derived fact's name: read as `derived.<name>` in fact paths (conditions, expressions, reasons), so one
 * name of a fact path: letters and digits, a letter first. Refused where it is defined, so a name no
 * condition could read is not taken there and in reasons alone.
 */
export const DerivedNameSchema = z.string().regex(FACT_NAME, {
  error: (issue) =>
    `a derived fact is read as derived.<name>, so its name is letters and digits starting with a letter, such as valuePerKgCny: ${nameProblem(String(issue.input))}`,
});
export const VariableNameSchema = z
  .string()
  .regex(/^[a-z][A-Za-z0-9]*$/, 'a variable name such as line or stop');
/**
 * Text analysts write that officers and analysts read as written (titles, reasons, labels: in the queue,
 * on decisions, in terminals) is held to the manifest's rule, so no escape sequence or bidirectional
 * override shows something other than what is stored and audited.
 */
const shown = (schema: z.ZodString = z.string().min(1)) => schema.regex(SAFE_TEXT, SAFE_TEXT_MESSAGE);
/** Several lines of such text (descriptions): tabs and line breaks allowed. */
const shownLines = (schema: z.ZodString = z.string().min(1)) =>
  schema.regex(SAFE_LINES, `${SAFE_TEXT_MESSAGE} (line breaks and tabs are allowed)`);

export const NameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'a name of letters, digits and -');
/** What an instant in a rule set or list must be, as a load error says it (zod's own is "Invalid ISO date"). */
export const INSTANT_EXPECTED =
  'an ISO 8601 date (2026-06-01) or date-time with offset (2026-06-01T08:00:00Z)';
/** A time of day without `Z` or an offset at its end: it names no instant until a zone is given. */
const WITHOUT_OFFSET = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Why written text is not an instant: what it is, what it must be, and a missing offset where that is why. */
const instantReason = (issue: { input?: unknown }): string => {
  if (typeof issue.input !== 'string') return INSTANT_EXPECTED;
  const why = WITHOUT_OFFSET.test(issue.input)
    ? ': a time without an offset (Z, +08:00) names no instant'
    : '';
  return `${JSON.stringify(issue.input)} is not ${INSTANT_EXPECTED}${why}`;
};

/** A calendar date (`2026-01-31`, midnight UTC) or an ISO 8601 date-time with offset. */
export const InstantSchema = z.union([
  z.iso.date({ error: instantReason }),
  z.iso.datetime({ offset: true, error: instantReason }),
]);
export const LaneSchema = z.enum(LANES);

export const ListRefSchema = z.strictObject({ list: KebabIdSchema });
export const FactRefSchema = z.strictObject({ fact: FactPathSchema });

export type Expression =
  | number
  | {
      fact?: string;
      add?: Expression[];
      sub?: Expression[];
      mul?: Expression[];
      div?: Expression[];
      min?: Expression[];
      max?: Expression[];
      coalesce?: Expression[];
      sum?: { of: string; as?: string; value: Expression; where?: Condition };
      /** With `distinct`: how many different values it has over the elements counted. */
      count?: { of: string; as?: string; where?: Condition; distinct?: Expression };
      /** The largest / smallest `value` over the elements (that satisfy `where`); missing on none. */
      maxOf?: { of: string; as?: string; value: Expression; where?: Condition };
      minOf?: { of: string; as?: string; value: Expression; where?: Condition };
      lookup?: { table: string; key: string };
      /** Days from an instant fact to `now` (now − instant). */
      daysSince?: string;
      /** Days from the first instant fact to the second (second − first). */
      daysBetween?: [string, string];
      /** The hour (0–23) of an instant fact in a time zone (an IANA name, or a text fact holding one). */
      localHour?: LocalTimeOperand;
      /** The ISO 8601 weekday (1 = Monday … 7 = Sunday) of an instant fact in a time zone. */
      weekday?: LocalTimeOperand;
    };

/** What `localHour` and `weekday` read: an instant fact path, and an IANA time zone or a text fact holding one. */
export interface LocalTimeOperand {
  of: string;
  zone: string | { fact: string };
}

export interface Quantifier {
  of: string;
  as?: string;
  where: Condition;
}

type Comparand = string | number | boolean | { fact: string };
type NumberOperand = number | { fact: string };
type ValueSet = (string | number)[] | { list: string };

export interface Condition {
  fact?: string;
  value?: Expression;
  eq?: Comparand;
  ne?: Comparand;
  lt?: NumberOperand;
  lte?: NumberOperand;
  gt?: NumberOperand;
  gte?: NumberOperand;
  between?: [number, number];
  in?: ValueSet;
  notIn?: ValueSet;
  startsWith?: string | string[] | { list: string };
  contains?: string;
  containsAny?: string[] | { list: string };
  /** Any of the values as a whole word: no letter or digit of a spaced script just beside it. */
  containsAnyWord?: string[] | { list: string };
  matches?: string;
  exists?: true;
  missing?: true;
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
  some?: Quantifier;
  every?: Quantifier;
  none?: Quantifier;
}

/**
 * An unknown name in an expression (`{ hourOf: now }`): "unknown field hourOf" would not say what an
 * expression may be, so the expressions are named, read from the schema so that none is left out, with
 * the one meant when the name is close to one.
 */
const unknownExpression = (issue: z.core.$ZodRawIssue): string | undefined => {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const known = issue.inst instanceof z.ZodObject ? Object.keys(issue.inst.shape) : [];
  const [first] = issue.keys;
  const meant = issue.keys.length === 1 && first !== undefined ? didYouMean(first, known) : '';
  const names = `${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  return `unknown expression${names}; an expression is a number or one of ${known.join(', ')}${meant}`;
};

/** `matches` given a list or several patterns: one pattern it takes, and what matches any of several. */
const matchesOnePattern = (issue: z.core.$ZodRawIssue): string | undefined => {
  if (issue.code !== 'invalid_type' || issue.input === null || typeof issue.input !== 'object')
    return undefined;
  return Array.isArray(issue.input)
    ? 'matches takes one pattern (a string); to match any of several, join them with | in one pattern, or use containsAny (containsAnyWord for whole words)'
    : "matches takes one pattern (a string); to match any of a list's values use containsAny (containsAnyWord for whole words)";
};

/** `all: []` or `any: []`: a condition of nothing, which no rule needs; a tally that counts every parcel has no `when`. */
const noneOf = (op: 'all' | 'any'): string =>
  `${op} takes at least one condition, not none (a tally that counts every parcel leaves out its when)`;

/**
 * A number where text is taken (`startsWith: 94`, which YAML reads as a number): what is taken, and how
 * to keep it text; zod's words otherwise.
 */
const textTaken =
  (taken: string) =>
  (issue: z.core.$ZodRawIssue): string | undefined =>
    (issue.code === 'invalid_union' || issue.code === 'invalid_type') && typeof issue.input === 'number'
      ? `expected ${taken}, not the number ${issue.input}: ${quoteNumber(issue.input)}`
      : undefined;

/**
 * A lookup's key: a bare fact path (`key: stop.region`). Written `{ fact: stop.region }`, as an operand is,
 * it is told so, with the path as written.
 */
const LookupKeySchema = z
  .string({
    error: (issue) => {
      const fact = (issue.input as { fact?: unknown } | null | undefined)?.fact;
      return typeof fact === 'string'
        ? `a lookup's key is a bare fact path: write key: ${fact}, not key: { fact: ${fact} }`
        : undefined;
    },
  })
  .regex(FACT_PATH, { error: (issue) => factPathProblem(issue.input) });

const operands = (schema: z.ZodType<Expression>) => z.array(schema).min(1);
/**
 * The operands of sub and div. The compiler refuses fewer than two, naming the operator and its path
 * (`div needs at least two operands`), so this schema lets one through for it to say so; the editors'
 * JSON Schema (json-schema.ts) asks for two up front.
 */
const twoOrMoreOperands = (schema: z.ZodType<Expression>) => operands(schema).meta({ minItems: 2 });

/** `localHour` and `weekday`: `{ of: <instant fact>, zone: Asia/Shanghai }` or `zone: { fact: <path> }`. */
const LocalTimeOperandSchema = z.strictObject({
  of: FactPathSchema,
  zone: z.union([z.string().min(1), FactRefSchema]),
});

/** `maxOf` and `minOf`: written as a `sum` is. */
const extremum = (schema: z.ZodType<Expression>) =>
  z.strictObject({
    of: FactPathSchema,
    as: VariableNameSchema.optional(),
    value: schema,
    where: ConditionSchema.optional(),
  });

/** What binds an element variable (its `as`, else `item`) for the fields beside its `of`. */
const QUANTIFIERS = new Set(['some', 'every', 'none', 'sum', 'count', 'maxOf', 'minOf']);
const IN_VARIABLE_SCOPE = new Set(['where', 'value', 'distinct']);

/**
 * Whether a JSON path is where some quantifier's element variable can be read: its `where`, `value` or
 * `distinct`. Which names the document binds the schema does not see, so there any variable name may be one.
 */
const inQuantifier = (path: readonly PropertyKey[]): boolean =>
  path.some(
    (key, i) => typeof key === 'string' && QUANTIFIERS.has(key) && IN_VARIABLE_SCOPE.has(String(path[i + 1])),
  );

/**
 * What a value neither a number nor an object is told where a number or an expression is taken (zod-issues.ts
 * says a union's own message when no branch takes the input's type): what is taken, and for a bare fact
 * path (`sum: derived.goodsValueCny`, the mistake README § Derived facts tells) how a fact is written
 * there, with the path as written: only text that starts as a fact path does (startsAsFactPath), not
 * other dotted text (`shop.example.com`).
 */
const notTaken =
  (taken: string) =>
  (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code !== 'invalid_union') return undefined;
    const { input } = issue;
    if (input === undefined) return `missing: a required field, expected ${taken}`;
    const variable = (name: string) =>
      inQuantifier(issue.path ?? []) && VariableNameSchema.safeParse(name).success;
    if (typeof input === 'string' && FACT_PATH.test(input) && startsAsFactPath(input, variable))
      return `expected ${taken}; a fact is written { fact: ${input} }`;
    return `expected ${taken}, not ${JSON.stringify(input)}`;
  };

export const ExpressionSchema: z.ZodType<Expression> = z.lazy(() =>
  z.union(
    [
      z.number(),
      z.strictObject(
        {
          fact: FactPathSchema.optional(),
          add: operands(ExpressionSchema).optional(),
          sub: twoOrMoreOperands(ExpressionSchema).optional(),
          mul: operands(ExpressionSchema).optional(),
          div: twoOrMoreOperands(ExpressionSchema).optional(),
          min: operands(ExpressionSchema).optional(),
          max: operands(ExpressionSchema).optional(),
          coalesce: operands(ExpressionSchema).optional(),
          sum: z
            .strictObject({
              of: FactPathSchema,
              as: VariableNameSchema.optional(),
              value: ExpressionSchema,
              where: ConditionSchema.optional(),
            })
            .optional(),
          count: z
            .strictObject({
              of: FactPathSchema,
              as: VariableNameSchema.optional(),
              where: ConditionSchema.optional(),
              distinct: ExpressionSchema.optional(),
            })
            .optional(),
          maxOf: extremum(ExpressionSchema).optional(),
          minOf: extremum(ExpressionSchema).optional(),
          lookup: z.strictObject({ table: NameSchema, key: LookupKeySchema }).optional(),
          daysSince: FactPathSchema.optional(),
          daysBetween: z.tuple([FactPathSchema, FactPathSchema]).optional(),
          localHour: LocalTimeOperandSchema.optional(),
          weekday: LocalTimeOperandSchema.optional(),
        },
        { error: unknownExpression },
      ),
    ],
    { error: notTaken('a number or an expression') },
  ),
);

const QuantifierSchema: z.ZodType<Quantifier> = z.lazy(() =>
  z.strictObject({ of: FactPathSchema, as: VariableNameSchema.optional(), where: ConditionSchema }),
);
/** `eq: null`, written to test that a fact is absent, which `missing` does. */
const comparedWithNull = (issue: z.core.$ZodRawIssue): string | undefined =>
  issue.code === 'invalid_union' && issue.input === null
    ? 'null is no value to compare with: to test that a fact is absent write missing: true (exists: true for present)'
    : undefined;
const comparand = z.union([z.string(), z.number(), z.boolean(), FactRefSchema], { error: comparedWithNull });
const numberOperand = z.union([z.number(), FactRefSchema], { error: notTaken('a number or { fact: path }') });
/**
 * A value set written as one text: mostly a list's name (`in: border-origins`) without `{ list: … }`, else
 * one value (`containsAny: 红木`) without its array.
 */
const setTaken = (issue: z.core.$ZodRawIssue): string | undefined => {
  const { input } = issue;
  if (issue.code !== 'invalid_union' || typeof input !== 'string') return undefined;
  const asList = KebabIdSchema.safeParse(input).success
    ? `{ list: ${input} } for the list of that name, or `
    : '';
  return `expected a list of values or { list: name }, not ${JSON.stringify(input)}: write ${asList}[${input}] for that one value`;
};
const valueSet = z.union([z.array(z.union([z.string(), z.number()])).min(1), ListRefSchema], {
  error: setTaken,
});
const textSet = z.union([z.array(z.string().min(1)).min(1), ListRefSchema], { error: setTaken });

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.strictObject({
    fact: FactPathSchema.optional(),
    value: ExpressionSchema.optional(),
    eq: comparand.optional(),
    ne: comparand.optional(),
    lt: numberOperand.optional(),
    lte: numberOperand.optional(),
    gt: numberOperand.optional(),
    gte: numberOperand.optional(),
    between: z.tuple([z.number(), z.number()]).optional(),
    in: valueSet.optional(),
    notIn: valueSet.optional(),
    startsWith: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1), ListRefSchema], {
        error: textTaken('text, a list of texts or { list: name }'),
      })
      .optional(),
    contains: z
      .string({ error: textTaken('text') })
      .min(1)
      .optional(),
    containsAny: textSet.optional(),
    containsAnyWord: textSet.optional(),
    matches: z.string({ error: matchesOnePattern }).min(1).optional(),
    exists: z.literal(true).optional(),
    missing: z.literal(true).optional(),
    all: z
      .array(ConditionSchema)
      .min(1, { error: noneOf('all') })
      .optional(),
    any: z
      .array(ConditionSchema)
      .min(1, { error: noneOf('any') })
      .optional(),
    not: ConditionSchema.optional(),
    some: QuantifierSchema.optional(),
    every: QuantifierSchema.optional(),
    none: QuantifierSchema.optional(),
  }),
);

/** The largest score one rule may add or take away. */
export const MAX_RULE_SCORE = 1_000_000;

export const RuleSchema = z.strictObject({
  id: KebabIdSchema,
  title: shown(z.string().min(1).max(200)),
  description: shownLines(z.string()).optional(),
  owner: shown(),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  tags: z.array(shown()).default([]),
  enabled: z.boolean().default(true),
  effectiveFrom: InstantSchema.optional(),
  effectiveUntil: InstantSchema.optional(),
  /**
   * Added to the parcel's score when the rule fires (may be negative). Bounded, so that no sum of
   * scores overflows to Infinity, which a decision could not store or show; in millionths at most, so
   * scores add up exactly, in any order.
   */
  score: z
    .number()
    .min(-MAX_RULE_SCORE)
    .max(MAX_RULE_SCORE)
    .refine((score) => roundDecimal(score) === score, `has at most ${DECIMAL_PLACES} decimal places`)
    .default(0),
  /** Forces at least this lane when the rule fires, whatever the score. */
  lane: LaneSchema.optional(),
  /** Text with `{fact.path}`, `{variable.path}`, `{list}` or `{matched}` placeholders; a number's may say its decimals, `{fact.path:0}`. */
  reason: shown(),
  when: ConditionSchema,
});
export type Rule = z.infer<typeof RuleSchema>;

/** A table's value that is not a number (`Yunnan: 云南`): what a table holds, and what to write for text. */
const tableValueError = (issue: z.core.$ZodRawIssue): string | undefined =>
  issue.code === 'invalid_type' && issue.input !== undefined
    ? `expected a number, not ${JSON.stringify(issue.input)}: a table maps text keys to numbers (write a code for what is text, such as a province's GB/T 2260 code)`
    : undefined;

export const TableSchema = z.strictObject({
  description: shownLines(),
  unit: shown().optional(),
  /** `exact`: the key equals an entry (after text normalization); `prefix`: the longest entry the key starts with. */
  match: z.enum(['exact', 'prefix']),
  /** Value when no entry matches; without it, no match is a missing value. */
  default: z.number().optional(),
  entries: z.record(z.string().min(1), z.number({ error: tableValueError })),
});
export type Table = z.infer<typeof TableSchema>;

export const DerivedFactSchema = z.strictObject({
  description: shownLines(),
  unit: shown().optional(),
  value: ExpressionSchema,
});
export type DerivedFact = z.infer<typeof DerivedFactSchema>;

/**
 * The `parties.*` facts a tally may count distinct values of (`distinct: parties.phone`): salted party
 * keys, so that nothing personal in clear reaches the history table.
 */
const TALLY_DISTINCT_FACTS = [
  'parties.consignee',
  'parties.shipper',
  'parties.phone',
  'parties.address',
  'parties.idDocument',
  'parties.consigneeName',
] as const;
export type TallyDistinctFact = (typeof TALLY_DISTINCT_FACTS)[number];

/** The longest window of a tally: the days of day buckets the party history keeps. */
const MAX_TALLY_DAYS = HISTORY_WINDOW_DAYS;
const TALLY_DAYS = `a whole number of days from 1 to ${MAX_TALLY_DAYS} (the UTC calendar days up to now, today included; history keeps ${MAX_TALLY_DAYS})`;
const tallyDaysError = (issue: { input?: unknown }): string => {
  if (issue.input === undefined) return `missing: a required field, ${TALLY_DAYS}`;
  const written =
    typeof issue.input === 'number' && !Number.isFinite(issue.input)
      ? String(issue.input)
      : JSON.stringify(issue.input);
  return `${TALLY_DAYS}, not ${written}`;
};

/** An unknown field in a tally (`sum: …`): the fields a tally takes, with the one meant when it is close. */
const unknownTallyField = (issue: z.core.$ZodRawIssue): string | undefined => {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const known = ['description', 'days', 'when', 'distinct', 'sum'];
  const [first] = issue.keys;
  const meant = issue.keys.length === 1 && first !== undefined ? didYouMean(first, known) : '';
  const names = `${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  return `unknown field${names}; a tally takes ${known.join(', ')} (when, distinct and sum optional)${meant}`;
};

/**
 * A tally (core/screening/tallies.ts): what the parties' history counts for the rules, read as
 * `history.<party>.tallies.<id>`. Each screened parcel whose facts meet `when` counts once for every
 * party on it that keeps a history (or, with `distinct`, adds its key of that kind), over `days`.
 */
export const TallySchema = z
  .strictObject(
    {
      description: shownLines(),
      days: z
        .number({ error: tallyDaysError })
        .int({ error: tallyDaysError })
        .min(1, { error: tallyDaysError })
        .max(MAX_TALLY_DAYS, { error: tallyDaysError }),
      /**
       * What a parcel must be to count: any condition on what the parcel is (never on history). Left out,
       * every parcel the rule set screens counts.
       */
      when: ConditionSchema.optional(),
      /** Counts the distinct values of this party key instead of parcels (a load error lists the ones it may be). */
      distinct: z.enum(TALLY_DISTINCT_FACTS).optional(),
      /**
       * Sums this number over the parcels that meet `when` instead of counting them (declared value in
       * CNY, gross weight): a parcel on which it is missing marks nothing.
       */
      sum: ExpressionSchema.optional(),
    },
    { error: (issue) => unknownTallyField(issue) },
  )
  .refine((tally) => tally.distinct === undefined || tally.sum === undefined, {
    path: ['sum'],
    error:
      'a tally counts parcels, distinct keys (distinct) or sums a number (sum), one of them: declare two tallies for distinct and sum',
  });
export type Tally = z.infer<typeof TallySchema>;

/**
 * The most tallies a rule set declares. Each tally a parcel marks adds its attribute to the one
 * DynamoDB update that counts the parcel in each party's day bucket (live and shadow tallies together),
 * and an update expression is limited to 4 KB.
 */
export const MAX_TALLIES = 50;
const tooManyTallies = (count: number): string =>
  `at most ${MAX_TALLIES} tallies, not ${count}: every tally a parcel marks adds to the one DynamoDB update that counts the parcel for each of its parties, whose expression is limited to 4 KB`;

export const LaneBandSchema = z.strictObject({ from: z.number(), lane: LaneSchema });
export const HardHitSchema = z.strictObject({ rule: KebabIdSchema, lane: LaneSchema });

export const LaneMappingSchema = z.strictObject({
  /** Ascending by `from`: a score gets the lane of the last band whose `from` it reaches (the first band below that). */
  bands: z.array(LaneBandSchema).min(1),
  /** Rules that force a lane whatever the score. */
  hardHits: z.array(HardHitSchema).default([]),
});
export type LaneMapping = z.infer<typeof LaneMappingSchema>;

export const RuleSetDocumentSchema = z.strictObject({
  id: KebabIdSchema,
  /** Human version label; the version recorded on decisions is the hash of the content. */
  label: shown(),
  description: shownLines(),
  owner: shown(),
  /** Names of the lists (files in `lists/`) the rules use. */
  lists: z.array(KebabIdSchema).default([]),
  tables: z.record(NameSchema, TableSchema).default({}),
  derived: z.record(DerivedNameSchema, DerivedFactSchema).default({}),
  /**
   * Windowed, filtered party history the rules read (`history.address.tallies.<id>`), by kebab-case id.
   * Optional without a default, so a rule set without tallies keeps the version it had.
   */
  tallies: z
    .record(KebabIdSchema, TallySchema)
    .refine((tallies) => Object.keys(tallies).length <= MAX_TALLIES, {
      error: (issue) => tooManyTallies(Object.keys(issue.input as object).length),
    })
    .optional(),
  rules: z.array(RuleSchema).min(1),
  lanes: LaneMappingSchema,
});
export type RuleSetDocument = z.infer<typeof RuleSetDocumentSchema>;

/**
 * What a watchlist holds, named after the `parties.*` fact its rules compare with: `phone`,
 * `consignee` and `shipper` hold phones (a consignee or shipper key is anchored on its phone),
 * `address` addresses, `idDocument` ID documents, `consigneeName` consignee names.
 */
export const WATCHLIST_KINDS = [
  'phone',
  'consignee',
  'shipper',
  'address',
  'idDocument',
  'consigneeName',
] as const;
export type WatchlistKind = (typeof WATCHLIST_KINDS)[number];

export const ListDocumentSchema = z.strictObject({
  name: KebabIdSchema,
  version: z.number().int().positive(),
  owner: shown(),
  description: shownLines(),
  /** Where the values come from (a reference file, a decision). */
  source: shownLines(z.string()).optional(),
  /** From this instant on the list no longer matches anything (conditions on it are missing). */
  expires: InstantSchema.optional(),
  /**
   * A watchlist of personal indicators: its clear values are normalized and hashed with the
   * deployment's party-key salt when the list is loaded, and rules compare them with `parties.<holds>`.
   */
  holds: z.enum(WATCHLIST_KINDS).optional(),
  /** ISO 3166-1 alpha-2 country of phones written without their country code (watchlists of phones). */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as CN')
    .optional(),
  /** Set by the loader, never in a file: the values are party keys, hashed from the clear values. */
  hashed: z.literal(true).optional(),
  /**
   * Set by the loader with `hashed`: which salt the keys were hashed with, as a key of no party made
   * with it (saltProofOf), so a watchlist keyed with another salt is told apart without the salt.
   */
  saltProof: z.string().min(1).max(64).optional(),
  /** Text or numbers; a watchlist of addresses or ID documents holds them as in the manifest contract. */
  values: z.array(z.union([z.string().min(1), z.number(), AddressSchema, IdDocumentSchema])).min(1),
});
export type ListDocument = z.infer<typeof ListDocumentSchema>;

/**
 * What a case's parcel adds to a tally (`expect.tallies` as a map): `true` to a tally that counts parcels
 * or distinct keys, the amount to a sum tally (0 when it adds 0: a tally it does not mark is left out).
 */
const TallyAddedSchema = z.union([
  z.literal(true, {
    error: (issue) =>
      `expected true (this parcel marks the tally) or the number it adds to a sum tally, not ${JSON.stringify(issue.input)}${issue.input === false ? ': leave out a tally the parcel does not mark' : ''}`,
  }),
  z.number(),
]);

export const RuleCaseSchema = z.strictObject({
  name: shown(),
  /** Partial facts (`parcel`, `manifest`, `history`, `now`) deep-merged over the baseline facts; arrays replace. */
  facts: z.record(z.string(), z.unknown()).default({}),
  expect: z.strictObject({
    lane: LaneSchema,
    /** Exactly the rules that fire, in any order. */
    fired: z.array(KebabIdSchema),
    score: z.number().optional(),
    /**
     * Exactly the tallies this parcel marks (their `when` is true on it): a list of ids, in any order, or a
     * map of what the parcel adds to each (`true` to a tally that counts, its amount to a sum tally).
     */
    tallies: z
      .union([z.array(KebabIdSchema), z.record(KebabIdSchema, TallyAddedSchema)], {
        error: (issue) =>
          issue.code === 'invalid_union'
            ? 'expected the tallies this parcel marks: a list ([tea, declared-value-cny]) or a map of what it adds to each ({ tea: true, declared-value-cny: 200 })'
            : undefined,
      })
      .optional(),
  }),
});
export type RuleCase = z.infer<typeof RuleCaseSchema>;

export const CaseFileSchema = z.strictObject({ cases: z.array(RuleCaseSchema).min(1) });
export type CaseFile = z.infer<typeof CaseFileSchema>;
