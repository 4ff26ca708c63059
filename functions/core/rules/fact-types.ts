import type { z } from 'zod';
import { ParcelSchema, TransportSchema } from '../../../events/manifest-v1.js';
import type { PartyKeyKind, PartyKeys } from '../parties/party-keys.js';
import {
  HISTORY_PARTIES,
  type HistoryFacts,
  type ManifestContext,
  type ManifestFacts,
  type PartySummary,
} from '../screening/facts.js';
import { normalizeText, quoteWritten } from '../text/text.js';

/**
 * The static type of every fact path a rule may read. The parcel and transport parts are read from
 * the manifest zod schemas, so the rule language follows the contract; the rest mirrors
 * `ScreeningFacts`, with compile-time checks that no field is forgotten.
 */
export type FactType =
  | { kind: 'text'; values?: readonly string[]; key?: PartyKeyKind; instant?: true; format?: TextFormat }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'object'; fields: Readonly<Record<string, FactType>> }
  | { kind: 'list'; element: FactType };

/**
 * What the manifest contract lets a text fact hold when its pattern is one kind of character, a bounded
 * number of times: an HS code, 6 to 10 digits (`^\d{6,10}$`); a country code, 2 letters A–Z. Read from
 * the contract's regex, never made up here; other patterns give no format.
 */
export interface TextFormat {
  /** One character the contract allows, tested case-insensitively (text is compared lower-cased). */
  char: RegExp;
  min: number;
  max: number;
  /** The contract's own words for it: `HS code of 6 to 10 digits, no dots`. */
  says: string;
}

/** A contract regex of one character (`\d` or a class) repeated `{n}` or `{min,max}` times, whole. */
const ONE_KIND_REPEATED = /^\^(\\d|\[[^\]\\]+\])\{(\d+)(?:,(\d+))?\}\$$/;

const formatOf = (checks: unknown): TextFormat | undefined => {
  for (const check of Array.isArray(checks) ? checks : []) {
    const def = (check as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    const pattern = def?.pattern;
    if (def?.format !== 'regex' || !(pattern instanceof RegExp) || pattern.flags !== '') continue;
    const parts = ONE_KIND_REPEATED.exec(pattern.source);
    if (parts === null) continue;
    const error = def.error as ((issue: object) => unknown) | undefined;
    const says = typeof error === 'function' ? error({}) : undefined;
    const min = Number(parts[2]);
    return {
      char: new RegExp(`^${parts[1]}$`, 'i'),
      min,
      max: parts[3] === undefined ? min : Number(parts[3]),
      says: typeof says === 'string' ? says : `text matching ${pattern.source}`,
    };
  }
  return undefined;
};

const TEXT: FactType = { kind: 'text' };
/**
 * An instant: ISO 8601 text (`2026-06-01T08:00:00Z`). Still text to `eq`, `ne`, `in`, the text operators,
 * `exists` and `missing` (compared as written, as before); `daysSince` and `daysBetween` read it as a time.
 */
const INSTANT: FactType = { kind: 'text', instant: true };
const NUMBER: FactType = { kind: 'number' };
const BOOLEAN: FactType = { kind: 'boolean' };

/** Reads a zod schema's shape into a FactType (optional and nullable wrappers only mean "may be missing"). */
export const factTypeFromZod = (schema: z.core.$ZodType): FactType => {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      const fields: Record<string, FactType> = {};
      for (const [key, value] of Object.entries(shape)) fields[key] = factTypeFromZod(value);
      return { kind: 'object', fields };
    }
    case 'array':
      return { kind: 'list', element: factTypeFromZod(def.element as z.core.$ZodType) };
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return factTypeFromZod(def.innerType as z.core.$ZodType);
    case 'pipe':
      return factTypeFromZod(def.in as z.core.$ZodType);
    case 'enum':
      return { kind: 'text', values: Object.values(def.entries as Record<string, string>) };
    case 'string': {
      if (def.format === 'datetime' || def.format === 'date') return INSTANT;
      const format = formatOf(def.checks);
      return format === undefined ? TEXT : { kind: 'text', format };
    }
    case 'number':
    case 'int':
      return NUMBER;
    case 'boolean':
      return BOOLEAN;
    default:
      throw new Error(`fact type: unsupported zod type ${def.type}`);
  }
};

type Fields<T> = { [K in keyof Required<T>]: FactType };
const objectOf = <T>(fields: Fields<T>): FactType => ({ kind: 'object', fields });

const partySummaryType = objectOf<PartySummary>({
  known: BOOLEAN,
  firstSeen: INSTANT,
  lastSeen: INSTANT,
  parcels7d: NUMBER,
  parcels30d: NUMBER,
  parcels90d: NUMBER,
  distinctCounterparts: NUMBER,
  sharedDistinctCounterparts: NUMBER,
  distinctOrigins: NUMBER,
  flags: NUMBER,
  inspections: NUMBER,
  seizures: NUMBER,
  lastSeizureAt: INSTANT,
  // A rule set's own: each of its tallies is a number under here (factsTypeWithTallies).
  tallies: { kind: 'object', fields: {} },
});

const historyType = objectOf<HistoryFacts>({
  consignee: partySummaryType,
  shipper: partySummaryType,
  phone: partySummaryType,
  address: partySummaryType,
  idDocument: partySummaryType,
  sharedSeizures: NUMBER,
});

const keyOf = (key: PartyKeyKind): FactType => ({ kind: 'text', key });

/**
 * The parcel's salted party keys, compared with watchlists (`in: { list }`). A key is an identifier,
 * not text: it is compared exactly (base64url is case-sensitive), and only with keys of its kind.
 */
const partiesType = objectOf<PartyKeys>({
  consignee: keyOf('consignee'),
  shipper: keyOf('shipper'),
  phone: keyOf('phone'),
  address: keyOf('address'),
  idDocument: keyOf('idDocument'),
  consigneeName: keyOf('name'),
});

/** The `parties.*` fact that holds each kind of key, for load-time errors that say what to compare with. */
export const PARTY_KEY_FACTS = Object.fromEntries(
  Object.entries((partiesType as { fields: Record<string, { key: PartyKeyKind }> }).fields).map(
    ([field, type]) => [type.key, `parties.${field}`],
  ),
) as Readonly<Record<PartyKeyKind, string>>;

const manifestFields: Fields<ManifestFacts> = {
  parcelCount: NUMBER,
  parcelsToConsignee: NUMBER,
  parcelsToPhone: NUMBER,
  parcelsToAddress: NUMBER,
  consigneesOfShipper: NUMBER,
  consigneeNamesOfPhone: NUMBER,
  weightToConsigneeKg: NUMBER,
  weightToPhoneKg: NUMBER,
  weightToAddressKg: NUMBER,
  splitShipment: BOOLEAN,
};

const manifestType = objectOf<ManifestContext & ManifestFacts>({
  manifestId: TEXT,
  partnerId: TEXT,
  transport: factTypeFromZod(TransportSchema),
  submittedAt: INSTANT,
  receivedAt: INSTANT,
  ...manifestFields,
});

/** The root of every fact path: `parcel.*`, `manifest.*`, `history.*`, `parties.*`, `now`. */
export const SCREENING_FACTS_TYPE: FactType = {
  kind: 'object',
  fields: {
    parcel: factTypeFromZod(ParcelSchema),
    manifest: manifestType,
    history: historyType,
    parties: partiesType,
    now: INSTANT,
  },
};

/**
 * The facts a rule set's rules read: SCREENING_FACTS_TYPE with each history party's `tallies` holding
 * the rule set's tallies, each a number (0 when none was counted, never missing).
 */
export const factsTypeWithTallies = (tallyIds: readonly string[]): FactType => {
  if (tallyIds.length === 0) return SCREENING_FACTS_TYPE;
  const root = SCREENING_FACTS_TYPE as { kind: 'object'; fields: Record<string, FactType> };
  const history = root.fields.history as { kind: 'object'; fields: Record<string, FactType> };
  const tallies: FactType = {
    kind: 'object',
    fields: Object.fromEntries(tallyIds.map((id) => [id, NUMBER])),
  };
  const parties = Object.fromEntries(
    HISTORY_PARTIES.map((party) => {
      const summary = history.fields[party] as { kind: 'object'; fields: Record<string, FactType> };
      return [party, { kind: 'object', fields: { ...summary.fields, tallies } } satisfies FactType];
    }),
  );
  return {
    kind: 'object',
    fields: { ...root.fields, history: { kind: 'object', fields: { ...history.fields, ...parties } } },
  };
};

const TALLY_PATH = /^history\.([A-Za-z]+)\.tallies(?:\.(.*))?$/;

/**
 * The history party and tally id of a tally's path (`history.address.tallies.<id>`), or the party alone
 * of a party's tallies (`history.address.tallies`); undefined for any other path.
 */
export const tallyPathOf = (path: string): { party: string; id?: string } | undefined => {
  const match = TALLY_PATH.exec(path);
  if (match === null) return undefined;
  const [, party, id] = match;
  return id === undefined ? { party: party! } : { party: party!, id };
};

/**
 * Why a value written in a rule (a literal, a list's value) can never match a text fact whose format the
 * contract knows (TextFormat), or undefined: no text the contract lets the fact hold equals it (`eq`,
 * `ne`, `in`, `notIn`) or, for a `prefix` (`startsWith`), starts with it, both normalized as text
 * comparisons normalize them (`９４０３６０` is 940360). With the fix when one is plain: the value without
 * the characters the format has no place for (`"9403.60"`: write 940360), or startsWith for a value too
 * short to be one.
 */
export const neverMatchReason = (
  value: string,
  type: FactType,
  label: string,
  prefix: boolean,
): string | undefined => {
  const format = type.kind === 'text' ? type.format : undefined;
  if (format === undefined) return undefined;
  const allowed = (text: string) => [...text].every((char) => format.char.test(char));
  const fits = (text: string) =>
    allowed(text) && text.length <= format.max && text.length >= (prefix ? 1 : format.min);
  const normalized = normalizeText(value);
  if (fits(normalized)) return undefined;
  const kept = [...value].filter((char) => allowed(normalizeText(char))).join('');
  const fix =
    kept !== value && fits(normalizeText(kept))
      ? `: write ${kept}`
      : !prefix && allowed(normalized) && normalized.length < format.min
        ? ': to match the values that start with it, use startsWith'
        : '';
  return `${quoteWritten(value)} can never match ${label} (${format.says})${fix}`;
};

export const isInstant = (type: FactType): boolean => type.kind === 'text' && type.instant === true;

export const describeType = (type: FactType): string => {
  switch (type.kind) {
    case 'text':
      if (type.key !== undefined) return `a hashed ${type.key} key`;
      if (type.instant === true) return 'an instant (ISO 8601 text)';
      return type.values ? `one of ${type.values.join(', ')}` : 'text';
    case 'list':
      return 'a list (use some/every/none)';
    case 'object':
      return 'an object';
    default:
      return type.kind;
  }
};
