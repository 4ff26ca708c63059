import { type Manifest, ParcelSchema } from '../../../events/manifest-v1.js';
import { formatJsonPath } from '../json-path.js';
import { derivePartyKeys } from '../parties/party-keys.js';
import type { ScreeningFacts } from '../screening/facts.js';
import { emptyHistoryFacts, emptyPartySummary } from '../screening/facts.js';
import { computeManifestFacts } from '../screening/manifest-facts.js';
import { parseInstant } from './instants.js';
import { flattenZodIssues } from './zod-issues.js';

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
 * The baseline a rule case starts from: an ordinary parcel (phone cases from Shenzhen to Shanghai,
 * prepaid, a known consignee, nothing on record) that no rule in the default rule set fires on.
 * A case only writes what differs.
 */
export const baselineFacts = (): ScreeningFacts => {
  const knownParty = {
    ...emptyPartySummary(),
    known: true,
    firstSeen: '2025-03-02T10:00:00Z',
    lastSeen: '2026-05-20T09:00:00Z',
    shipments30d: 2,
    shipments90d: 5,
    distinctCounterparts: 1,
    sharedDistinctCounterparts: 1,
    distinctOrigins: 1,
  };
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
      parcelCount: 1,
      parcelsToConsignee: 1,
      parcelsToPhone: 1,
      parcelsToAddress: 1,
      consigneesOfShipper: 1,
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

/** Deep merge for partial facts: objects merge, arrays and scalars replace, `null` removes an optional field. */
export const mergeFacts = <T>(base: T, patch: unknown): T => {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    // Own fields only, defined rather than assigned: a `__proto__` key is a field (an unknown one), not a prototype.
    else
      Object.defineProperty(merged, key, {
        value: mergeFacts(Object.hasOwn(merged, key) ? merged[key] : undefined, value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return merged as T;
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
  if (!isPlainObject(input) || isWholeParcel(input))
    return withDerivedParties({ ...base, parcel: input as ScreeningFacts['parcel'] });
  const facts = mergeFacts(base, input);
  if (!isWholeParcel(input.parcel)) return withDerivedParties(facts);
  // Merged over nothing: `null` removes a field here too, and a `__proto__` key stays a field.
  const parcel = mergeFacts({}, input.parcel) as ScreeningFacts['parcel'];
  return withDerivedParties({ ...facts, parcel });
};

/**
 * The facts of one parcel of a manifest as screening builds them: the manifest's id, partner and
 * transport, and its manifest-level facts (parcels per consignee, phone and address, split shipments)
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
  const { manifestId, partnerId, transport } = manifest;
  return { ...facts, manifest: { ...facts.manifest, manifestId, partnerId, transport, ...manifestFacts } };
};

/** The instants of party history: ISO 8601 text, or null (never seen, no seizure on record), as in the baseline. */
const HISTORY_INSTANT = /^history\.\w+\.(firstSeen|lastSeen|lastSeizureAt)$/;

/**
 * Where partial facts leave the shape of the baseline: a field it does not have (a misspelling, which
 * would be ignored), or a value of another type than its field's. `null` is always allowed: it removes
 * an optional field (see mergeFacts). An instant must be text; text that is not an instant is left to
 * the rules, which read it as missing.
 */
const shapeProblems = (value: unknown, baseline: unknown, path: string): string[] => {
  if (value === null) return [];
  if (HISTORY_INSTANT.test(path))
    return typeof value === 'string'
      ? []
      : [`${path}: expected an instant (ISO 8601 text) or null, not ${JSON.stringify(value)}`];
  if (baseline === null || baseline === undefined) return [];
  if (isPlainObject(baseline)) {
    if (!isPlainObject(value)) return [`${path}: expected an object`];
    return Object.entries(value).flatMap(([key, item]) =>
      Object.hasOwn(baseline, key)
        ? shapeProblems(item, baseline[key], `${path}.${key}`)
        : [`${path}.${key}: unknown fact; ${path} has ${Object.keys(baseline).join(', ')}`],
    );
  }
  if (Array.isArray(baseline)) return Array.isArray(value) ? [] : [`${path}: expected a list`];
  return typeof value === typeof baseline
    ? []
    : [`${path}: expected a ${typeof baseline}, not ${JSON.stringify(value)}`];
};

/** The groups partial facts may give; others would be ignored without a word. */
const FACT_GROUPS = new Set(['parcel', 'manifest', 'history', 'now']);

/**
 * Why facts built from `input` (see factsFromInput) would not be what the analyst meant, one line each
 * with its path: an unknown fact group (a misspelled `histroy:`), or a parcel the contract refuses,
 * whose party keys would then be the baseline's. Empty when there is nothing to say.
 */
const nowProblems = (now: unknown): string[] =>
  now !== undefined && parseInstant(now) === undefined
    ? [`now: ${JSON.stringify(now)} is not an ISO time`]
    : [];

/** What an overlay may set over a parcel's facts: what neither the parcel nor its manifest can say. */
const OVERLAY_GROUPS = new Set(['history', 'now']);

/**
 * Where an overlay (explain's `--with`: partial `history` and `now`, laid over the facts of the parcel
 * being explained) breaks the baseline's shape or sets a group the parcel's own file decides.
 */
export const overlayProblems = (overlay: unknown): string[] => {
  if (!isPlainObject(overlay)) return ['expected an object with history and/or now'];
  const problems: string[] = [];
  for (const key of Object.keys(overlay)) {
    if (!OVERLAY_GROUPS.has(key)) {
      problems.push(
        `${key}: not a group an overlay sets (history, now); the parcel and manifest come from the file explained`,
      );
    }
  }
  if (overlay.history !== undefined)
    problems.push(...shapeProblems(overlay.history, baselineFacts().history, 'history'));
  problems.push(...nowProblems(overlay.now));
  return problems;
};

export const factsInputProblems = (input: unknown, facts: ScreeningFacts): string[] => {
  const problems: string[] = [];
  if (isPlainObject(input) && !('parcelId' in input)) {
    for (const key of Object.keys(input)) {
      if (!FACT_GROUPS.has(key)) problems.push(`${key}: unknown fact group (parcel, manifest, history, now)`);
    }
    const baseline = baselineFacts();
    for (const group of ['history', 'manifest'] as const) {
      if (input[group] !== undefined) problems.push(...shapeProblems(input[group], baseline[group], group));
    }
    problems.push(...nowProblems(input.now));
  }
  const parcel = ParcelSchema.safeParse(facts.parcel);
  if (!parcel.success) {
    for (const issue of flattenZodIssues(parcel.error.issues)) {
      problems.push(`parcel.${formatJsonPath(issue.path)}: ${issue.reason}`);
    }
  }
  return problems;
};
