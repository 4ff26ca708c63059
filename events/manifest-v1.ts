import { z } from 'zod';
import { dropInvisible } from '../functions/core/text/text.js';

/**
 * Manifest contract v1: what a partner posts to `POST /v1/manifests`.
 * House-level elements of ACAS 7+1 and ICS2, plus what screening needs.
 * Every object is strict (unknown fields are rejected) and every string is bounded.
 */

export const MANIFEST_LIMITS = {
  maxParcels: 500,
  maxGoodsLines: 50,
  maxVia: 10,
  maxText: 512,
  maxName: 200,
} as const;

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]*$/,
    'letters, digits and . _ : - only, starting with a letter or digit',
  );

/**
 * Whether a value read outside the contract (a header, a path parameter, an unverified body) could be a
 * partner, manifest or parcel id: anything else names nothing, and must not reach a key lookup, which
 * DynamoDB refuses for an empty or oversized key.
 */
export const isContractId = (value: unknown): value is string => id.safeParse(value).success;
/**
 * Text holds no control characters (C0, DEL, C1), no line or paragraph separators and no bidirectional
 * formatting (marks, embeddings, overrides, isolates: Unicode's Bidi_Control set): a partner's text
 * reaches officers' screens and analysts' terminals as written, where such characters could show them
 * something other than what is stored (reversed words, terminal escape sequences). Nor a lone surrogate
 * (half of a UTF-16 pair, `\ud800` in JSON): it is no character, and has no UTF-8 form to store. The
 * patterns are matched by code point (the `u` flag), so a whole pair (an emoji, a rare ideograph) is text.
 */
export const REFUSED_TEXT_BEYOND_C0 =
  '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ud800-\\udfff';
export const SAFE_TEXT = new RegExp(`^[^\\u0000-\\u001f${REFUSED_TEXT_BEYOND_C0}]*$`, 'u');
export const SAFE_TEXT_MESSAGE =
  'no control characters, bidirectional formatting characters or lone surrogates';
/** SAFE_TEXT with tabs and line breaks (\t, \n, \r) allowed: notes, descriptions. */
export const SAFE_LINES = new RegExp(
  `^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f${REFUSED_TEXT_BEYOND_C0}]*$`,
  'u',
);
/**
 * Characters that are neither invisible nor white space to Unicode but draw as a blank cell: the Braille
 * pattern blank (U+2800), the usual way to make a name field look filled but empty. Text matching keeps
 * them (they are real characters); only the check that text shows anything looks through them.
 */
const BLANK_GLYPHS = /\u2800/g;
/**
 * Whether text shows anything: it is not empty once its invisible characters (Unicode's
 * Default_Ignorable_Code_Point set, as text matching drops them: see dropInvisible) are dropped and it
 * is trimmed (blank glyphs too: BLANK_GLYPHS). Text of only zero-width spaces, joiners or soft hyphens
 * shows blank to an officer, and the rule engine and party folding read it as empty. Text holding one
 * among visible characters shows (`木\u200b雕`): matching drops it. Text that starts with printable
 * ASCII other than a space, or with a CJK ideograph (neither is invisible or white space), shows without
 * a further look: most text does.
 */
export const showsText = (value: string): boolean => {
  const first = value.charCodeAt(0);
  if ((first > 0x20 && first < 0x7f) || (first >= 0x4e00 && first <= 0x9fff)) return true;
  return dropInvisible(value).replace(BLANK_GLYPHS, '').trim() !== '';
};
export const INVISIBLE_TEXT_MESSAGE =
  'only invisible characters (zero-width spaces, joiners, soft hyphens, …), which show as blank: write the text itself';
/**
 * The schema, refusing text that does not show (see showsText). Empty text is left to the schema's own
 * minimum, so it is refused once, for being empty.
 */
export const visibleText = <T extends z.ZodString>(schema: T): T =>
  schema.refine((value) => value === '' || showsText(value), INVISIBLE_TEXT_MESSAGE);

/** Why text that is empty, or only white space, is refused: it is trimmed before it is checked. */
export const EMPTY_TEXT_MESSAGE =
  'empty once trimmed (white space at either end is dropped): write the text, or leave an optional field out';
/**
 * Text as every message carries it: trimmed, not empty, bounded (in characters) and SAFE_TEXT. Empty
 * text keeps zod's own message here (rule cases and lists read it so): a manifest says EMPTY_TEXT_MESSAGE.
 */
const text = (max: number = MANIFEST_LIMITS.maxText, empty?: string) =>
  z.string().trim().min(1, empty).max(max).regex(SAFE_TEXT, SAFE_TEXT_MESSAGE);
/** Text as a partner sends it in a manifest: text that also shows (see visibleText), empty said so. */
const sentText = (max: number = MANIFEST_LIMITS.maxText) => visibleText(text(max, EMPTY_TEXT_MESSAGE));
/** The longest postcode, in characters. */
const MAX_POSTCODE = 16;
/**
 * A postcode as every message carries it: trimmed, bounded and SAFE_TEXT, like `text`, but possibly
 * empty or invisible: a manifest took any SAFE_TEXT postcode of up to 16 characters (blank, untrimmed,
 * only a zero-width space) until postcodes became text like any other, and a message queued before
 * must still be screened. Trimming only shortens it, so it takes every postcode it took before.
 */
const postcode = () => z.string().trim().max(MAX_POSTCODE).regex(SAFE_TEXT, SAFE_TEXT_MESSAGE);
/** A postcode as a partner sends it in a manifest: text like any other (see sentText). */
const sentPostcode = () => sentText(MAX_POSTCODE);
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, e.g. CN');
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 currency code, e.g. CNY');
/**
 * The finest quantity, weight, size or value a manifest may state. DynamoDB cannot store a number
 * below 1e-130 (a subnormal like 5e-324 fails the write), and nothing on a manifest is that fine.
 */
export const SMALLEST_MEASURE = 0.000001;
/**
 * The schema, refusing a number above 0 but below SMALLEST_MEASURE, and saying what the field takes:
 * `at least 0.000001` for a measure that must be above 0 (the schema's `positive()`: a weight, a size, a
 * quantity), `0 or at least 0.000001` with `zero` for one that may be 0 (a declared value).
 */
export const notTooFine = <T extends z.ZodNumber>(schema: T, { zero = false }: { zero?: boolean } = {}) =>
  schema.refine(
    (value) => !(value > 0 && value < SMALLEST_MEASURE),
    zero ? `0 or at least ${SMALLEST_MEASURE}` : `at least ${SMALLEST_MEASURE}`,
  );

const PHONE_DIGIT = /[0-9０-９]/g;
const NONZERO_DIGIT = /[1-9１-９]/;

/**
 * Whether a phone has digits enough to name someone: at least 5, not all zeros. A party's keys are
 * derived from its phone, so `-----` or `00000` would make every parcel carrying one the same party.
 */
export const hasPhoneDigits = (phone: string): boolean =>
  (phone.match(PHONE_DIGIT)?.length ?? 0) >= 5 && NONZERO_DIGIT.test(phone);

export const MoneySchema = z.strictObject({
  amount: notTooFine(z.number().nonnegative().max(1e9), { zero: true }),
  currency: currencyCode,
});
export type Money = z.infer<typeof MoneySchema>;

export const PAYMENT_METHODS = ['prepaid', 'cash-on-delivery', 'cash'] as const;
export const CONTENT_CATEGORIES = [
  'merchandise',
  'gift',
  'documents',
  'commercial-sample',
  'personal-effects',
  'returned-goods',
  'other',
] as const;

export const TRANSPORT_MODES = ['road', 'rail', 'air', 'sea', 'postal', 'multimodal'] as const;
export const ID_DOCUMENT_TYPES = ['national-id', 'passport', 'business-licence', 'other'] as const;

export const DimensionsSchema = z.strictObject({
  lengthCm: notTooFine(z.number().positive().max(2000)),
  widthCm: notTooFine(z.number().positive().max(2000)),
  heightCm: notTooFine(z.number().positive().max(2000)),
});

/**
 * The schemas of a parcel and of a manifest's transport, their text made by `text` and their postcodes
 * by `postcode`. Built twice, from one definition: as the messages downstream carry them (`text`,
 * `postcode`), and as a partner sends them in a manifest (`sentText`, `sentPostcode`): a text rule added
 * to the manifest must not refuse a message queued before it (see SentParcelSchema).
 */
const parcelSchemasOf = (text: (max?: number) => z.ZodString, postcode: () => z.ZodString) => {
  const PlaceSchema = z.strictObject({
    country: countryCode,
    region: text(100).optional(),
    city: text(100),
  });

  const AddressSchema = z.strictObject({
    country: countryCode,
    region: text(100),
    city: text(100),
    postcode: postcode().optional(),
    line: text(),
  });

  const IdDocumentSchema = z.strictObject({
    type: z.enum(ID_DOCUMENT_TYPES),
    number: text(64),
  });

  const PartySchema = z.strictObject({
    name: text(MANIFEST_LIMITS.maxName),
    address: AddressSchema,
    phone: z
      .string()
      .min(5)
      .max(32)
      .regex(/^[+0-9 ()\-－（）＋０-９]+$/, 'digits, spaces, + ( ) - only'),
    email: z.email().max(254).optional(),
    idDocument: IdDocumentSchema.optional(),
  });

  const RouteSchema = z.strictObject({
    origin: PlaceSchema,
    via: z.array(PlaceSchema).max(MANIFEST_LIMITS.maxVia),
    destination: PlaceSchema,
    inspectionOffice: id,
  });

  const GoodsLineSchema = z.strictObject({
    description: text(),
    hsCode: z.string().regex(/^[0-9]{6,10}$/, 'HS code of 6 to 10 digits, no dots'),
    quantity: notTooFine(z.number().positive().max(1e6)),
    declaredValue: MoneySchema,
  });

  const ParcelSchema = z.strictObject({
    parcelId: id,
    shipper: PartySchema,
    consignee: PartySchema,
    route: RouteSchema,
    goods: z.array(GoodsLineSchema).min(1).max(MANIFEST_LIMITS.maxGoodsLines),
    pieceCount: z.number().int().min(1).max(10_000),
    declaredGrossWeightKg: notTooFine(z.number().positive().max(50_000)),
    measuredWeightKg: notTooFine(z.number().positive().max(50_000)).optional(),
    dimensions: DimensionsSchema.optional(),
    paymentMethod: z.enum(PAYMENT_METHODS),
    contentCategory: z.enum(CONTENT_CATEGORIES),
  });

  const TransportSchema = z.strictObject({
    mode: z.enum(TRANSPORT_MODES),
    masterDocumentNumber: id,
    placeOfLoading: PlaceSchema,
    placeOfUnloading: PlaceSchema,
    conveyanceReference: text(64).optional(),
  });

  return {
    PlaceSchema,
    AddressSchema,
    IdDocumentSchema,
    PartySchema,
    RouteSchema,
    GoodsLineSchema,
    ParcelSchema,
    TransportSchema,
  };
};

/**
 * The parcel and transport as the messages downstream carry them (screening-requested-v1), and as rule
 * cases and list files are read (a watchlist's address or ID document is then checked as sent, by
 * SentAddressSchema and SentIdDocumentSchema, before it is hashed).
 */
export const {
  PlaceSchema,
  AddressSchema,
  IdDocumentSchema,
  PartySchema,
  RouteSchema,
  GoodsLineSchema,
  ParcelSchema,
  TransportSchema,
} = parcelSchemasOf(text, postcode);
export type Place = z.infer<typeof PlaceSchema>;
export type Address = z.infer<typeof AddressSchema>;
export type IdDocument = z.infer<typeof IdDocumentSchema>;
export type Party = z.infer<typeof PartySchema>;
export type Route = z.infer<typeof RouteSchema>;
export type GoodsLine = z.infer<typeof GoodsLineSchema>;
export type Parcel = z.infer<typeof ParcelSchema>;
export type Transport = z.infer<typeof TransportSchema>;

/** The parcel and transport as a partner sends them: every text shows something (see visibleText). */
const sent = parcelSchemasOf(sentText, sentPostcode);

/** An address and an ID document as a partner sends them (and an analyst writes them in a watchlist). */
export const { AddressSchema: SentAddressSchema, IdDocumentSchema: SentIdDocumentSchema } = sent;

/** A party as a partner sends it: a party whose phone names someone (see hasPhoneDigits). */
const SentPartySchema = sent.PartySchema.extend({
  phone: sent.PartySchema.shape.phone.refine(
    hasPhoneDigits,
    'at least 5 digits, not all zeros: a phone without them names nobody',
  ),
});

/**
 * A parcel as a partner sends it in a manifest: the parcel, with the rules ingest added later (text
 * that shows, the phone's digits). The messages downstream carry ParcelSchema, which takes every parcel
 * ingest ever accepted, so a message queued before a rule was added is still screened.
 */
const SentParcelSchema = sent.ParcelSchema.extend({ shipper: SentPartySchema, consignee: SentPartySchema });

/** The longest submittedAt: nanoseconds and an offset (`2026-11-27T16:00:00.123456789+08:00`). */
const SUBMITTED_AT_MAX_LENGTH = 35;
const SUBMITTED_AT_PRECISION_MESSAGE = `at most 9 digits after the second (${SUBMITTED_AT_MAX_LENGTH} characters at most, as in 2026-11-27T16:00:00.123456789+08:00)`;

/**
 * `submittedAt` as the messages downstream carry it (screening-requested-v1): an ISO 8601 time with an
 * offset, bounded as every other text is (screening messages and every decision's facts carry it). It
 * takes every submittedAt a manifest could send before the 9 digits were enforced (SentSubmittedAtSchema),
 * so a message queued before is still screened.
 */
export const SubmittedAtSchema = z.iso
  .datetime({
    offset: true,
    // Only for text that is no such time: a left-out or non-text submittedAt keeps zod's message.
    error: (issue) =>
      issue.code === 'invalid_format'
        ? 'expected an ISO 8601 time with an offset, such as 2026-11-27T08:00:00Z or 2026-11-27T16:00:00+08:00'
        : undefined,
  })
  .max(SUBMITTED_AT_MAX_LENGTH, SUBMITTED_AT_PRECISION_MESSAGE);

/** More than 9 digits after the second (only in text that is an ISO 8601 time: digits after a dot). */
const BEYOND_NANOSECONDS = /\.[0-9]{10}/;

/**
 * The ISO 8601 time as a JSON Schema pattern: zod's own (`z.iso.datetime({ offset: true })`), with its
 * fraction of a second (`\.\d+`) bounded to 9 digits, as SentSubmittedAtSchema checks it.
 */
const sentSubmittedAtPattern = (): string => {
  const zods = (z.toJSONSchema(z.iso.datetime({ offset: true })) as { pattern: string }).pattern;
  const fraction = '(?:\\.\\d+)?';
  if (!zods.includes(fraction)) throw new Error(`zod's date-time pattern has no ${fraction}: ${zods}`);
  return zods.replace(fraction, '(?:\\.\\d{1,9})?');
};

/**
 * `submittedAt` as a partner sends it: at most 9 digits after the second, as docs/partners.md says. A
 * longer time says so once: by SubmittedAtSchema's maximum, which gives the same reason.
 */
const SentSubmittedAtSchema = SubmittedAtSchema.refine(
  (value) => value.length > SUBMITTED_AT_MAX_LENGTH || !BEYOND_NANOSECONDS.test(value),
  SUBMITTED_AT_PRECISION_MESSAGE,
).meta({ pattern: sentSubmittedAtPattern() });

export const ManifestSchema = z
  .strictObject({
    manifestId: id,
    partnerId: id,
    submittedAt: SentSubmittedAtSchema,
    transport: sent.TransportSchema,
    parcels: z.array(SentParcelSchema).min(1).max(MANIFEST_LIMITS.maxParcels),
  })
  .superRefine((manifest, ctx) => {
    for (const issue of duplicateParcelIds(manifest.parcels)) ctx.addIssue(issue);
  });
export type Manifest = z.infer<typeof ManifestSchema>;

/**
 * A house document number used again in one manifest, at each repeat's `parcelId`. Parcels whose
 * `parcelId` is not a valid id (or that are not objects) are skipped: their own issues say why. Also run
 * on the raw input of a manifest zod refused, as zod skips the check when another field has the wrong
 * type (parse-manifest.ts).
 */
export const duplicateParcelIds = (
  parcels: readonly unknown[],
): { code: 'custom'; path: (string | number)[]; message: string }[] => {
  const seen = new Map<string, number>();
  const issues: { code: 'custom'; path: (string | number)[]; message: string }[] = [];
  parcels.forEach((parcel, index) => {
    const parcelId = (parcel as { parcelId?: unknown } | null)?.parcelId;
    if (typeof parcelId !== 'string' || !id.safeParse(parcelId).success) return;
    const first = seen.get(parcelId);
    if (first === undefined) seen.set(parcelId, index);
    else
      issues.push({
        code: 'custom',
        path: ['parcels', index, 'parcelId'],
        message: `duplicate house document number, first used at parcels[${first}]`,
      });
  });
  return issues;
};
