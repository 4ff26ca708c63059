import type { z } from 'zod';
import { ParcelSchema, TransportSchema } from '../../../events/manifest-v1.js';
import type { PartyKeyKind, PartyKeys } from '../parties/party-keys.js';
import type { HistoryFacts, ManifestFacts, PartySummary } from '../screening/facts.js';

/**
 * The static type of every fact path a rule may read. The parcel and transport parts are read from
 * the manifest zod schemas, so the rule language follows the contract; the rest mirrors
 * `ScreeningFacts`, with compile-time checks that no field is forgotten.
 */
export type FactType =
  | { kind: 'text'; values?: readonly string[]; key?: PartyKeyKind; instant?: true }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'object'; fields: Readonly<Record<string, FactType>> }
  | { kind: 'list'; element: FactType };

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
    case 'string':
      return def.format === 'datetime' || def.format === 'date' ? INSTANT : TEXT;
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
  shipments7d: NUMBER,
  shipments30d: NUMBER,
  shipments90d: NUMBER,
  distinctCounterparts: NUMBER,
  sharedDistinctCounterparts: NUMBER,
  distinctOrigins: NUMBER,
  flags: NUMBER,
  inspections: NUMBER,
  seizures: NUMBER,
  lastSeizureAt: INSTANT,
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
  splitShipment: BOOLEAN,
};

const manifestType: FactType = {
  kind: 'object',
  fields: {
    manifestId: TEXT,
    partnerId: TEXT,
    transport: factTypeFromZod(TransportSchema),
    ...manifestFields,
  },
};

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
