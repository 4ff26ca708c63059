import { z } from 'zod';
import { type Manifest, ParcelSchema, TransportSchema } from '../../../../events/manifest-v1.js';
import { ManifestFactsSchema, ScreeningRequestedSchema } from '../../../../events/screening-requested-v1.js';
import { formatJsonPath } from '../../json-path.js';
import { derivePartyKeys } from '../../parties/party-keys.js';
import type { HistoryFacts, PartySummary, ScreeningFacts } from '../../screening/facts.js';
import { emptyHistoryFacts, emptyPartySummary, HISTORY_PARTIES } from '../../screening/facts.js';
import { computeManifestFacts } from '../../screening/manifest-facts.js';
import { quoteNumber } from '../compile-list.js';
import { didYouMean } from '../did-you-mean.js';
import { oneLine } from '../errors.js';
import { parseInstant } from '../instants.js';
import { PLACES } from '../places-facts.js';
import { flattenZodIssues } from '../zod-issues.js';
import { followWritten, invariantProblems } from './fact-invariants.js';

/**
 * The party-key salt of rule cases, `explain` and the rules CLI: cases write clear phones, names and
 * addresses on their parcels; their `parties.*` keys are derived with this salt, and the rule set's
 * watchlists are hashed with it too when the tools load them. Deployments use their own salt.
 */
export const RULE_CASE_PARTY_KEY_SALT = 'parcelguard-rule-cases-party-key-salt';

/** The facts with `parties` derived from their parcel (left as they are when the parcel is not valid). */
export const withDerivedParties = (facts: ScreeningFacts): ScreeningFacts =>
  ParcelSchema.safeParse(facts.parcel).success
    ? { ...facts, parties: derivePartyKeys(facts.parcel, RULE_CASE_PARTY_KEY_SALT) }
    : facts;

/**
 * The history of a known party in the baseline: first seen in March 2025, last seen 12 days before the
 * baseline's `now`, a few parcels from one counterpart and one origin, nothing flagged or inspected.
 */
const knownPartyBaseline = (): PartySummary => ({
  ...emptyPartySummary(),
  known: true,
  firstSeen: '2025-03-02T10:00:00Z',
  lastSeen: '2026-05-20T09:00:00Z',
  parcels30d: 2,
  parcels90d: 5,
  distinctCounterparts: 1,
  sharedDistinctCounterparts: 1,
  distinctOrigins: 1,
});

/**
 * The baseline a rule case starts from: an ordinary parcel (phone cases from Shenzhen to Shanghai,
 * prepaid, a known consignee, nothing on record) that no rule in the default rule set fires on.
 * A case only writes what differs; what it leaves out follows what it writes (see mergeFacts).
 */
export const baselineFacts = (): ScreeningFacts => {
  const knownParty = knownPartyBaseline();
  return withDerivedParties({
    parcel: {
      parcelId: 'CASE0000001',
      shipper: {
        name: 'Shenzhen Bright Case Co.',
        address: {
          country: 'CN',
          region: 'Guangdong',
          city: 'Shenzhen',
          postcode: '518000',
          line: '8 Keji Road, Nanshan',
        },
        phone: '+86 755 2100 3300',
      },
      consignee: {
        name: 'Wang Fang',
        address: {
          country: 'CN',
          region: 'Shanghai',
          city: 'Shanghai',
          postcode: '200000',
          line: '100 Century Avenue',
        },
        phone: '+86 138 0000 1234',
      },
      route: {
        origin: { country: 'CN', region: 'Guangdong', city: 'Shenzhen' },
        via: [{ country: 'CN', region: 'Jiangxi', city: 'Nanchang' }],
        destination: { country: 'CN', region: 'Shanghai', city: 'Shanghai' },
        inspectionOffice: 'shanghai-customs',
      },
      goods: [
        {
          description: 'Silicone phone case 手机壳',
          hsCode: '392690',
          quantity: 10,
          declaredValue: { amount: 200, currency: 'CNY' },
        },
      ],
      pieceCount: 1,
      declaredGrossWeightKg: 0.8,
      measuredWeightKg: 0.82,
      paymentMethod: 'prepaid',
      contentCategory: 'merchandise',
    },
    manifest: {
      manifestId: 'CASE-MANIFEST-1',
      partnerId: 'case-partner',
      transport: {
        mode: 'road',
        masterDocumentNumber: 'CASE-MAWB-1',
        placeOfLoading: { country: 'CN', region: 'Guangdong', city: 'Shenzhen' },
        placeOfUnloading: { country: 'CN', region: 'Shanghai', city: 'Shanghai' },
      },
      submittedAt: '2026-06-01T15:20:00+08:00',
      receivedAt: '2026-06-01T07:20:01.000Z',
      parcelCount: 1,
      parcelsToConsignee: 1,
      parcelsToPhone: 1,
      parcelsToAddress: 1,
      consigneesOfShipper: 1,
      consigneeNamesOfPhone: 1,
      weightToConsigneeKg: 0.8,
      weightToPhoneKg: 0.8,
      weightToAddressKg: 0.8,
      splitShipment: false,
    },
    history: {
      ...emptyHistoryFacts(),
      consignee: knownParty,
      shipper: { ...knownParty },
      phone: { ...knownParty },
      address: { ...knownParty },
    },
    parties: { consignee: '', shipper: '', phone: '', address: '' },
    now: '2026-06-01T08:00:00Z',
  });
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Deep merge: objects merge, arrays and scalars replace, `null` removes an optional field. */
const mergeFields = <T>(base: T, patch: unknown): T => {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    // Own fields only, defined rather than assigned: a `__proto__` key is a field (an unknown one), not a prototype.
    else
      Object.defineProperty(merged, key, {
        value: mergeFields(Object.hasOwn(merged, key) ? merged[key] : undefined, value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return merged as T;
};

/** Facts (the baseline, or a parcel's facts `explain` lays `--with` over), as opposed to a part of them. */
const isFacts = (value: unknown): value is ScreeningFacts =>
  isPlainObject(value) &&
  isPlainObject(value.parcel) &&
  isPlainObject(value.manifest) &&
  isPlainObject(value.history);

/**
 * Deep merge for partial facts: objects merge, arrays and scalars replace, `null` removes an optional
 * field. Merged over whole facts, the history and manifest facts the patch leaves out then follow what
 * it writes, as screening would give them (fact-invariants.ts followWritten): `known: false` leaves no
 * firstSeen, parcels or counterparts of the baseline's known party, a `lastSeizureAt` makes a
 * seizure, `parcelsToConsignee: 6` makes a manifest of at least 6 parcels.
 */
export const mergeFacts = <T>(base: T, patch: unknown): T => {
  const merged = mergeFields(base, patch);
  return isFacts(base) && isPlainObject(patch) && isFacts(merged)
    ? (followWritten(base, patch, merged, knownPartyBaseline()) as T)
    : merged;
};

const isWholeParcel = (value: unknown): boolean => isPlainObject(value) && Object.hasOwn(value, 'parcelId');

/**
 * Turns an analyst's input into facts: a document with `parcel` (and optionally `manifest`, `history`, `now`)
 * is partial facts, merged over the baseline; anything else is taken as a parcel. A whole parcel (one with
 * its `parcelId`), bare or as the `parcel` of partial facts, replaces the baseline's: merged over it, it
 * would take the optional fields it lacks (`measuredWeightKg`, `dimensions`) from the baseline, which
 * screening never gives it. The parcel's `parties` keys are derived with the rule-case salt.
 */
export const factsFromInput = (input: unknown): ScreeningFacts => {
  const base = baselineFacts();
  // The baseline's history follows the parcel too (an ID document on it: see followWritten).
  const follow = (patch: unknown, facts: ScreeningFacts) =>
    withDerivedParties(followWritten(base, patch, facts, knownPartyBaseline()));
  if (!isPlainObject(input) || isWholeParcel(input))
    return follow({}, { ...base, parcel: input as ScreeningFacts['parcel'] });
  const facts = mergeFields(base, input);
  if (!isWholeParcel(input.parcel)) return follow(input, facts);
  // Merged over nothing: `null` removes a field here too, and a `__proto__` key stays a field.
  const parcel = mergeFields({}, input.parcel) as ScreeningFacts['parcel'];
  return follow(input, { ...facts, parcel });
};

const BASELINE_MANIFEST = baselineFacts().manifest;
/** How long after its submission the baseline's manifest was received (as a manifest file's is taken to be). */
const RECEIVED_AFTER_SUBMITTED_MS =
  parseInstant(BASELINE_MANIFEST.receivedAt)! - parseInstant(BASELINE_MANIFEST.submittedAt)!;

/**
 * The facts of one parcel of a manifest as screening builds them: the manifest's id, partner,
 * transport and `submittedAt`, a `receivedAt` one second after it (a file has no receipt; the baseline's,
 * months off, would make the manifest received before it was submitted), and its manifest-level facts (parcels per consignee, phone and address, split shipments)
 * computed over all its parcels from party keys derived with the rule-case salt; history from the
 * baseline. Undefined when no parcel has that id.
 */
export const factsFromManifest = (manifest: Manifest, parcelId: string): ScreeningFacts | undefined => {
  const index = manifest.parcels.findIndex((parcel) => parcel.parcelId === parcelId);
  if (index < 0) return undefined;
  const perParcel = manifest.parcels.map((parcel) => factsFromInput(parcel));
  const manifestFacts = computeManifestFacts(
    manifest,
    perParcel.map((facts) => facts.parties),
  )[index]!;
  const facts = perParcel[index]!;
  const { manifestId, partnerId, submittedAt, transport } = manifest;
  const submittedMs = parseInstant(submittedAt);
  const receivedAt =
    submittedMs === undefined
      ? facts.manifest.receivedAt
      : new Date(submittedMs + RECEIVED_AFTER_SUBMITTED_MS).toISOString();
  return {
    ...facts,
    manifest: {
      ...facts.manifest,
      manifestId,
      partnerId,
      transport,
      submittedAt,
      receivedAt,
      ...manifestFacts,
    },
  };
};

/** One zod schema per field of T: the compiler says when a fact is added to T and not here, or the other way. */
type SchemaOf<T> = { [K in keyof Required<T>]: z.ZodType };

/**
 * The `manifest` facts as screening builds them (see buildScreeningFacts): the message's manifest id,
 * partner and transport (the contract's TransportSchema: strict, its optional fields such as
 * `conveyanceReference` may be left out) and the manifest-level facts computed over its parcels.
 */
const manifestShape: SchemaOf<ScreeningFacts['manifest']> = {
  manifestId: ScreeningRequestedSchema.shape.manifestId,
  partnerId: ScreeningRequestedSchema.shape.partnerId,
  transport: TransportSchema,
  submittedAt: ScreeningRequestedSchema.shape.submittedAt,
  receivedAt: ScreeningRequestedSchema.shape.receivedAt,
  ...ManifestFactsSchema.shape,
  // A message may leave them out (queued before they existed), but screening then gives this parcel's.
  weightToConsigneeKg: z.number(),
  weightToPhoneKg: z.number(),
  weightToAddressKg: z.number(),
};
const ManifestFactsOfCaseSchema = z.strictObject(manifestShape);

/** A count of the history store: a whole number, never negative. */
const COUNT = z.number().int().nonnegative();
/**
 * An instant of party history: text, or null (never seen, no seizure on record), as screening gives it.
 * Text that is not an instant is left to the rules, which read it as missing.
 */
const HISTORY_INSTANT_VALUE = z.string().nullish();

const partySummaryShape: SchemaOf<PartySummary> = {
  known: z.boolean(),
  firstSeen: HISTORY_INSTANT_VALUE,
  lastSeen: HISTORY_INSTANT_VALUE,
  parcels7d: COUNT,
  parcels30d: COUNT,
  parcels90d: COUNT,
  distinctCounterparts: COUNT,
  sharedDistinctCounterparts: COUNT,
  distinctOrigins: COUNT,
  flags: COUNT,
  inspections: COUNT,
  seizures: COUNT,
  lastSeizureAt: HISTORY_INSTANT_VALUE,
  // By tally id: which ids the rule set declares, the case runner checks (tallyProblems). Any number: a
  // sum tally's is one (1234.5; negative when its sum is), and the runner, which knows the tallies, checks
  // that the others are counts (fact-invariants.ts tallyInvariantProblems).
  tallies: z.record(z.string(), z.number()),
};
const PartySummaryOfCaseSchema = z.strictObject(partySummaryShape);
const historyShape: SchemaOf<HistoryFacts> = {
  consignee: PartySummaryOfCaseSchema,
  shipper: PartySummaryOfCaseSchema,
  phone: PartySummaryOfCaseSchema,
  address: PartySummaryOfCaseSchema,
  idDocument: PartySummaryOfCaseSchema,
  sharedSeizures: COUNT,
};
/** The `history` facts as the history store gives them (see history-model.ts). */
const HistoryFactsOfCaseSchema = z.strictObject(historyShape);

/** The instants of party history, whose type error says so. */
const HISTORY_INSTANT = /^history\.\w+\.(firstSeen|lastSeen|lastSeizureAt)$/;

/** The schema inside optional, nullable, default, readonly and pipe wrappers. */
const unwrap = (schema: z.core.$ZodType): z.core.$ZodType => {
  const def = schema._zod.def as unknown as {
    type: string;
    innerType?: z.core.$ZodType;
    in?: z.core.$ZodType;
  };
  if (def.innerType !== undefined) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in !== undefined) return unwrap(def.in);
  return schema;
};

/** The schema of field `key` of an object schema (of the elements, a numeric key, of a list), or undefined. */
const fieldSchema = (schema: z.core.$ZodType, key: PropertyKey): z.core.$ZodType | undefined => {
  const def = unwrap(schema)._zod.def as unknown as {
    type: string;
    shape?: Record<string, z.core.$ZodType>;
    element?: z.core.$ZodType;
  };
  if (def.type === 'object' && typeof key === 'string' && def.shape !== undefined)
    return Object.hasOwn(def.shape, key) ? def.shape[key] : undefined;
  return def.type === 'array' && typeof key === 'number' ? def.element : undefined;
};

/** The fields of the object at `path` of `schema` (list elements at numeric keys), in the schema's order. */
const fieldsAt = (schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] => {
  let current: z.core.$ZodType | undefined = schema;
  for (const key of path) {
    current = fieldSchema(current, key);
    if (current === undefined) return [];
  }
  const def = unwrap(current)._zod.def as unknown as { type: string; shape?: Record<string, unknown> };
  return def.type === 'object' && def.shape !== undefined ? Object.keys(def.shape) : [];
};

/**
 * `written` with each text parsed alone by the schema of its own field: what the contract makes of the
 * text it takes when it refuses the whole. Text it refuses, or under a field it does not have, stays as
 * written (its problem is told by the contract's issues).
 */
const eachTextParsed = (schema: z.core.$ZodType | undefined, written: unknown): unknown => {
  if (schema === undefined) return written;
  if (typeof written === 'string') {
    const parsed = z.safeParse(schema, written);
    return parsed.success ? parsed.data : written;
  }
  if (written === null || typeof written !== 'object') return written;
  if (Array.isArray(written))
    return written.map((element, index) => eachTextParsed(fieldSchema(schema, index), element));
  // Own fields, defined: a `__proto__` field stays a field.
  return Object.fromEntries(
    Object.entries(written).map(([key, value]) => [key, eachTextParsed(fieldSchema(schema, key), value)]),
  );
};

/** What the analyst wrote at `path` of a patch (own fields only), or undefined. */
const writtenAt = (patch: unknown, path: readonly PropertyKey[]): unknown => {
  let current = patch;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
};

/**
 * An unknown field written with no value is mostly text YAML cut at a comma in a flow map: `{ description:
 * Teak, carved }` reads as `description: Teak` and a field `carved`. The hint shows the text quoted whole.
 */
const cutAtComma = (written: unknown, key: string): string => {
  if (written === null || typeof written !== 'object') return '';
  const fields = Object.entries(written);
  const at = fields.findIndex(([field]) => field === key);
  if (at < 1 || fields[at]![1] !== null) return '';
  const [before, text] = fields[at - 1]!;
  const quoted = typeof text === 'string' ? `${before}: ${JSON.stringify(`${text}, ${key}`)}` : '';
  return `; it has no value: in a flow map ({ … }) a comma ends the text before it, so quote text that holds one${quoted === '' ? '' : ` (${quoted})`}`;
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  boolean: 'a boolean',
  string: 'text',
  object: 'an object',
  array: 'a list',
};

/** A value as an analyst wrote it, on one line (`.nan` and `.inf` as themselves, not as JSON's null). */
const shown = (value: unknown): string =>
  typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);

/**
 * A field screening always has, left out or removed with `null` (which removes a field when merged; an
 * overlay's own group stays null: either way, one it may not remove); `values` says what it takes, for
 * a field of a set of values. Undefined when the field is written.
 */
const leftOut = (
  at: string,
  patch: unknown,
  issue: z.core.$ZodIssue & { input?: unknown },
  values?: string,
): string | undefined => {
  const takes = values === undefined ? '' : `${values}; `;
  if ((issue.input === undefined || issue.input === null) && writtenAt(patch, issue.path) === null)
    return `${at}: null, but screening always has this fact (${takes}null only removes an optional one)`;
  if (issue.input === undefined)
    return `${at}: missing, but screening always has this fact${values === undefined ? '' : ` (${values})`}`;
  return undefined;
};

/** One zod issue of a fact group as problem lines: the path names the field at fault. */
const issueLines = (
  group: string,
  schema: z.core.$ZodType,
  patch: unknown,
  issue: z.core.$ZodIssue,
): string[] => {
  const at = formatJsonPath([group, ...issue.path]);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const fields = fieldsAt(schema, issue.path);
        const meant = didYouMean(key, fields, (field) => `${at}.${field}`);
        const cut = cutAtComma(writtenAt(patch, issue.path), key);
        return `${at}.${key}: unknown fact; ${at} has ${fields.join(', ')}${meant}${cut}`;
      });
    case 'invalid_type': {
      const absent = leftOut(at, patch, issue);
      if (absent !== undefined) return [absent];
      if (HISTORY_INSTANT.test(at))
        return [`${at}: expected an instant (ISO 8601 text) or null, not ${shown(issue.input)}`];
      // Text YAML read as a number (`hsCode: 090230`, read as 90230): how to keep it text, as a list says.
      if (issue.expected === 'string' && typeof issue.input === 'number')
        return [`${at}: expected text, not the number ${issue.input}: ${quoteNumber(issue.input)}`];
      return [`${at}: expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${shown(issue.input)}`];
    }
    case 'invalid_value': {
      const oneOf = `one of ${issue.values.map(String).join(', ')}`;
      // A field of a set of values left out is one screening always has, as any other (not "…, not undefined").
      const absent = leftOut(at, patch, issue, oneOf);
      return [absent ?? `${at}: expected ${oneOf}, not ${shown(issue.input)}`];
    }
    case 'invalid_union':
      return flattenZodIssues([issue], [group]).map(
        ({ path, reason }) => `${formatJsonPath(path)}: ${reason}`,
      );
    default:
      return [`${at}: ${issue.message}`];
  }
};

/**
 * Where the facts of one group (`parcel`, `manifest`, `history`), as built from what the analyst wrote
 * (`patch`, merged over the baseline or taken whole), are not what screening can give: an unknown fact,
 * a value of another type, a value the contract refuses, `null` on a fact screening always has, text
 * the contract would trim (in every field it takes, though it refuses another). `emptied` says how to
 * write text that trims to nothing: in partial facts a field left out takes the baseline's value, so
 * `null` removes it; a parcel taken whole just leaves it out. With the problems, the contract's issues:
 * the facts at their paths are not of the shape the relations between facts are checked on.
 */
const groupProblems = (
  group: string,
  schema: z.core.$ZodType,
  built: unknown,
  patch: unknown,
  emptied = 'write null, which removes the field',
): { problems: string[]; issues: readonly z.core.$ZodIssue[] } => {
  const parsed = z.safeParse(schema, built, { reportInput: true });
  if (parsed.success) return { problems: trimmedTextLines([group], built, parsed.data, emptied), issues: [] };
  const { issues } = parsed.error;
  const refused = issues.flatMap((issue) => issueLines(group, schema, patch, issue)).map(oneLine);
  const trimmed = trimmedTextLines([group], built, eachTextParsed(schema, built), emptied);
  return { problems: [...refused, ...trimmed], issues };
};

/**
 * The history with only the parties whose facts the contract's `issues` leave alone: the relations
 * within one party are checked on a party of the right shape (a fact of the wrong type is told once, by
 * the shape check), while the others are checked still (the relations never span two parties).
 */
const partiesOfRightShape = (history: unknown, issues: readonly z.core.$ZodIssue[]): unknown => {
  if (!isPlainObject(history)) return history;
  const refused = new Set(issues.map((issue) => issue.path[0]));
  return Object.fromEntries(Object.entries(history).filter(([party]) => !refused.has(party)));
};

/** Problems of an analyst's input, one line each with its path (see checkFactsInput). */
export interface InputProblems {
  problems: string[];
  /**
   * Whether checks were left out where an earlier one failed: the relations between facts in a group
   * (or a party) of the wrong shape, text in a field the contract refuses, a misspelled group's facts,
   * those relating to a `now` that is not a time. More problems may then show once these are fixed.
   */
  moreMayFollow: boolean;
}

/** What the tools say after problems when more may follow (see InputProblems). */
export const MORE_MAY_FOLLOW =
  'more may follow once these are fixed: some checks need what these name to be right first';

/**
 * Text in quotes as JSON and YAML write it, with every space but the plain one and every invisible
 * character escaped, so that the analyst sees it: a byte order mark shows as \ufeff.
 */
const quoted = (text: string): string =>
  JSON.stringify(text).replace(
    /[\p{White_Space}\p{Default_Ignorable_Code_Point}\ufff9-\ufffb]/gu,
    (character) =>
      character === ' '
        ? character
        : [...Array(character.length).keys()]
            .map((unit) => `\\u${character.charCodeAt(unit).toString(16).padStart(4, '0')}`)
            .join(''),
  );

/**
 * The text the contract would have trimmed (`" Ruili "`): screening only ever sees it trimmed, so a case
 * written with the spaces would prove a match, or a miss, that never happens. Refused, not trimmed, as
 * a rule set's untrimmed values are: the file then shows exactly what screening sees.
 */
const trimmedTextLines = (
  path: PropertyKey[],
  written: unknown,
  parsed: unknown,
  emptied: string,
): string[] => {
  if (typeof written === 'string') {
    if (written === parsed) return [];
    const instead = parsed === '' ? emptied : `write ${quoted(String(parsed))}`;
    return [
      oneLine(
        `${formatJsonPath(path)}: ${quoted(written)} has leading or trailing spaces, which screening never sees (the manifest contract trims text): ${instead}`,
      ),
    ];
  }
  if (written === null || typeof written !== 'object' || parsed === null || typeof parsed !== 'object')
    return [];
  return Object.keys(written).flatMap((key) =>
    trimmedTextLines(
      [...path, Array.isArray(written) ? Number(key) : key],
      (written as Record<string, unknown>)[key],
      (parsed as Record<string, unknown>)[key],
      emptied,
    ),
  );
};

/**
 * Why partial facts may not give `places`: the engine computes them from the parcel (places-facts.ts),
 * so facts written there could say what no parcel gives. The parcel's regions and cities give them.
 */
const PLACES_WRITTEN = `${PLACES}: computed from the parcel, never written: write the regions (or cities) of parcel.route.origin, parcel.route.via, parcel.route.destination, parcel.shipper.address or parcel.consignee.address instead (fact groups: parcel, manifest, history, now)`;

/** The groups partial facts may give; others would be ignored without a word. */
const FACT_GROUPS = new Set(['parcel', 'manifest', 'history', 'now']);

const nowProblems = (now: unknown): string[] =>
  now !== undefined && parseInstant(now) === undefined
    ? [`now: ${oneLine(shown(now))} is not an ISO time`]
    : [];

/** What an overlay may set over a parcel's facts: what neither the parcel nor its manifest can say. */
const OVERLAY_GROUPS = new Set(['history', 'now']);

/**
 * Where an overlay (explain's `--with`: partial `history` and `now`, laid over the facts of the parcel
 * being explained) breaks the facts' shape, sets history or a `now` screening would not give together
 * (fact-invariants.ts, but for the relation with the parcel), or sets a group the parcel's own file decides:
 * every problem of every kind at once, but the relations of a party whose history has the wrong shape.
 */
export const checkOverlay = (overlay: unknown): InputProblems => {
  if (!isPlainObject(overlay))
    return { problems: ['expected an object with history and/or now'], moreMayFollow: true };
  const foreign = Object.keys(overlay)
    .filter((key) => !OVERLAY_GROUPS.has(key))
    .map(
      (key) =>
        `${oneLine(key)}: not a group an overlay sets (history, now); the parcel and manifest come from the file explained`,
    );
  // Laid over the baseline here, as explain lays it over the parcel's facts. This check does not see that
  // parcel, so the relation of history with it (an ID document's history) is not checked here; the
  // merge still makes what the overlay leaves out follow it (mergeFacts).
  const patch = { history: overlay.history, now: overlay.now };
  const facts = mergeFacts(baselineFacts(), patch);
  const shape =
    overlay.history === undefined
      ? { problems: [], issues: [] }
      : groupProblems('history', HistoryFactsOfCaseSchema, facts.history, overlay.history);
  const now = nowProblems(overlay.now);
  const relations = invariantProblems(
    { ...facts, history: partiesOfRightShape(facts.history, shape.issues) as HistoryFacts },
    patch,
    { history: true, manifest: false, parcel: false },
  );
  return {
    problems: [...foreign, ...shape.problems, ...now, ...relations],
    moreMayFollow: foreign.length > 0 || shape.issues.length > 0 || now.length > 0,
  };
};

/** The problems of partial facts (`parcel`, `manifest`, `history`, `now`), merged over the baseline into `facts`. */
const checkPartialFacts = (input: Record<string, unknown>, facts: ScreeningFacts): InputProblems => {
  const unknownGroups = Object.keys(input)
    .filter((key) => !FACT_GROUPS.has(key))
    .map((key) =>
      key === PLACES
        ? PLACES_WRITTEN
        : `${oneLine(key)}: unknown fact group (parcel, manifest, history, now)${didYouMean(key, FACT_GROUPS)}`,
    );
  // Checked when left out too (the baseline, as what is written makes it follow): told only when written.
  const history = groupProblems('history', HistoryFactsOfCaseSchema, facts.history, input.history);
  const manifest = groupProblems('manifest', ManifestFactsOfCaseSchema, facts.manifest, input.manifest);
  const now = nowProblems(input.now);
  const parcel = groupProblems('parcel', ParcelSchema, facts.parcel, input.parcel);
  // The relations between facts, where their facts have the right shape (see fact-invariants.ts): each
  // party's history on its own; the manifest's counts unless only its transport is refused.
  const relations = invariantProblems(
    { ...facts, history: partiesOfRightShape(facts.history, history.issues) as HistoryFacts },
    input,
    {
      history: true,
      manifest: manifest.issues.every((issue) => issue.path[0] === 'transport'),
      parcel: true,
    },
  );
  return {
    problems: [
      ...unknownGroups,
      ...(input.history === undefined ? [] : history.problems),
      ...(input.manifest === undefined ? [] : manifest.problems),
      ...now,
      ...parcel.problems,
      ...relations,
    ],
    moreMayFollow:
      unknownGroups.length > 0 ||
      history.issues.length > 0 ||
      manifest.issues.length > 0 ||
      now.length > 0 ||
      parcel.issues.length > 0,
  };
};

/**
 * Why facts built from `input` (see factsFromInput) would not be what the analyst meant, one line each
 * with its path: an unknown fact group (a misspelled `histroy:`), a `now` that is not a time, or a
 * parcel, manifest or history screening could not give (see groupProblems): a parcel the contract
 * refuses, whose party keys would then be the baseline's; a manifest whose transport the contract
 * refuses; history of another shape; history and manifest facts that disagree with each other, or with
 * the parcel, as screening never gives them (fact-invariants.ts). Every problem of every kind at once,
 * but those a check finds only on what an earlier one accepts (see InputProblems); none when there is
 * nothing to say.
 */
export const checkFactsInput = (input: unknown, facts: ScreeningFacts): InputProblems => {
  if (isPlainObject(input) && !('parcelId' in input)) return checkPartialFacts(input, facts);
  const { problems, issues } = groupProblems('parcel', ParcelSchema, facts.parcel, input, 'leave it out');
  return { problems, moreMayFollow: issues.length > 0 };
};

/**
 * The tallies a case writes (`history.address.tallies.<id>: 2`) that the rule set does not declare, one
 * line each with its path and the one meant when it is close to a declared id.
 */
export const tallyProblems = (written: Record<string, unknown>, declared: readonly string[]): string[] => {
  const history = written.history;
  if (!isPlainObject(history)) return [];
  return HISTORY_PARTIES.flatMap((party) => {
    const summary = history[party];
    const tallies = isPlainObject(summary) ? summary.tallies : undefined;
    if (!isPlainObject(tallies)) return [];
    const at = `history.${party}.tallies`;
    return Object.keys(tallies)
      .filter((id) => !declared.includes(id))
      .map(
        (id) =>
          `${at}.${oneLine(id)}: unknown tally; the rule set's tallies: ${declared.join(', ') || 'none'}${didYouMean(id, declared, (found) => `${at}.${found}`)}`,
      );
  });
};

/**
 * The problems of a rule case's facts (see checkFactsInput), which are always partial facts: a parcel
 * written bare, its `parcelId` at the top, is unknown fact groups, not a parcel the case would ignore.
 */
export const checkCaseFacts = (facts: Record<string, unknown>, built: ScreeningFacts): InputProblems =>
  checkPartialFacts(facts, built);
