import { z } from 'zod';
import {
  CONTENT_CATEGORIES,
  hasPhoneDigits,
  ID_DOCUMENT_TYPES,
  MANIFEST_LIMITS,
  type Manifest,
  ManifestSchema,
  PAYMENT_METHODS,
  type Parcel,
  SAFE_TEXT,
  SMALLEST_MEASURE,
  showsText,
  TRANSPORT_MODES,
} from './manifest-v1.js';

/**
 * A fast acceptance check of manifest contract v1 (`manifest-v1.ts`), hand-compiled from the zod schemas:
 * the same types, bounds, regular expressions, enums, strictness and trimming, written as plain loops.
 *
 * It only ever says "valid, and here is exactly what zod would return" or "not sure": on any failure it
 * returns undefined and the caller asks zod, so every error (paths, messages) is zod's own. Inputs it
 * cannot vouch for (class instances, arrays, keys present with `undefined`, duplicate parcel ids, text of
 * only invisible characters and blank postcodes, which ParcelSchema takes and a manifest may not send)
 * also go to zod.
 * The equivalence tests (test/unit/fast-manifest-validator.test.ts) compare both on samples, a table of
 * invalid variants and generated inputs; change this file whenever manifest-v1.ts changes.
 */

type Input = Record<string, unknown>;

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;
const PHONE = /^[+0-9 ()\-－（）＋０-９]+$/;
const HS_CODE = /^[0-9]{6,10}$/;
/** The pattern `z.email()` uses. */
const EMAIL = z.regexes.email;

const PAYMENT = new Set<string>(PAYMENT_METHODS);
const DOCUMENT_TYPES = new Set<string>(ID_DOCUMENT_TYPES);
const CONTENT = new Set<string>(CONTENT_CATEGORIES);
const MODES = new Set<string>(TRANSPORT_MODES);

/** A plain object (as JSON.parse makes, or with a null prototype) holding no key outside `allowed`. */
const isStrictObject = (value: unknown, allowed: ReadonlySet<string>): value is Input => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
};
const keys = (...names: string[]): ReadonlySet<string> => new Set(names);

/** An optional field is either absent or valid; present with `undefined` is left to zod. */
const absent = (object: Input, key: string): boolean => object[key] === undefined && !(key in object);

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= 64 && ID.test(value);

/**
 * Whether text is at most `max` long as zod counts it: in code points, a surrogate pair (an emoji, a rare
 * ideograph) being one, so text of such characters may run past `max` UTF-16 units and still fit.
 */
const fits = (value: string, max: number): boolean => {
  if (value.length <= max) return true;
  let count = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    if ((value.charCodeAt(i) & 0xfc00) === 0xd800 && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count <= max;
};

/**
 * `sentText()` of the contract (trim, min 1, max, SAFE_TEXT, shows): the trimmed text, or undefined. Text
 * that does not show (only invisible characters) is refused by the manifest but taken by ParcelSchema,
 * which messages carry; here it is "not sure" for both, so zod decides.
 */
const text = (value: unknown, max: number = MANIFEST_LIMITS.maxText): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length >= 1 && fits(trimmed, max) && SAFE_TEXT.test(trimmed) && showsText(trimmed)
    ? trimmed
    : undefined;
};

/** `notTooFine(z.number().positive().max(max))`. */
const isPositiveMeasure = (value: unknown, max: number): value is number =>
  typeof value === 'number' && value > 0 && value <= max && !(value < SMALLEST_MEASURE);

const PLACE_KEYS = keys('country', 'region', 'city');
const place = (value: unknown): Input | undefined => {
  if (!isStrictObject(value, PLACE_KEYS)) return undefined;
  const { country } = value;
  if (typeof country !== 'string' || !COUNTRY.test(country)) return undefined;
  const city = text(value.city, 100);
  if (city === undefined) return undefined;
  if (absent(value, 'region')) return { country, city };
  const region = text(value.region, 100);
  return region === undefined ? undefined : { country, region, city };
};

const ADDRESS_KEYS = keys('country', 'region', 'city', 'postcode', 'line');
const address = (value: unknown): Input | undefined => {
  if (!isStrictObject(value, ADDRESS_KEYS)) return undefined;
  const { country } = value;
  if (typeof country !== 'string' || !COUNTRY.test(country)) return undefined;
  const region = text(value.region, 100);
  const city = text(value.city, 100);
  const line = text(value.line);
  if (region === undefined || city === undefined || line === undefined) return undefined;
  if (absent(value, 'postcode')) return { country, region, city, line };
  // `sentPostcode()`: text like any other. A blank or invisible postcode, which ParcelSchema still takes
  // (messages queued before the manifest refused it), is "not sure", as for any text.
  const postcode = text(value.postcode, 16);
  if (postcode === undefined) return undefined;
  return { country, region, city, postcode, line };
};

const ID_DOCUMENT_KEYS = keys('type', 'number');
const idDocument = (value: unknown): Input | undefined => {
  if (!isStrictObject(value, ID_DOCUMENT_KEYS)) return undefined;
  const { type } = value;
  if (typeof type !== 'string' || !DOCUMENT_TYPES.has(type)) return undefined;
  const number = text(value.number, 64);
  return number === undefined ? undefined : { type, number };
};

const PARTY_KEYS = keys('name', 'address', 'phone', 'email', 'idDocument');
const party = (value: unknown): Input | undefined => {
  if (!isStrictObject(value, PARTY_KEYS)) return undefined;
  const name = text(value.name, MANIFEST_LIMITS.maxName);
  const partyAddress = address(value.address);
  const { phone, email } = value;
  if (name === undefined || partyAddress === undefined) return undefined;
  if (typeof phone !== 'string' || phone.length < 5 || phone.length > 32 || !PHONE.test(phone))
    return undefined;
  const out: Input = { name, address: partyAddress, phone };
  if (!absent(value, 'email')) {
    if (typeof email !== 'string' || email.length > 254 || !EMAIL.test(email)) return undefined;
    out.email = email;
  }
  if (!absent(value, 'idDocument')) {
    const document = idDocument(value.idDocument);
    if (document === undefined) return undefined;
    out.idDocument = document;
  }
  return out;
};

const ROUTE_KEYS = keys('origin', 'via', 'destination', 'inspectionOffice');
const route = (value: unknown): Input | undefined => {
  if (!isStrictObject(value, ROUTE_KEYS)) return undefined;
  const origin = place(value.origin);
  const destination = place(value.destination);
  const { via, inspectionOffice } = value;
  if (origin === undefined || destination === undefined || !isId(inspectionOffice)) return undefined;
  if (!Array.isArray(via) || via.length > MANIFEST_LIMITS.maxVia) return undefined;
  const stops: Input[] = [];
  for (let i = 0; i < via.length; i++) {
    const stop = place(via[i]);
    if (stop === undefined) return undefined;
    stops.push(stop);
  }
  return { origin, via: stops, destination, inspectionOffice };
};

const MONEY_KEYS = keys('amount', 'currency');
const money = (value: unknown): Input | undefined => {
  if (!isStrictObject(value, MONEY_KEYS)) return undefined;
  const { amount, currency } = value;
  if (typeof amount !== 'number' || !(amount >= 0 && amount <= 1e9)) return undefined;
  if (amount > 0 && amount < SMALLEST_MEASURE) return undefined;
  if (typeof currency !== 'string' || !CURRENCY.test(currency)) return undefined;
  return { amount, currency };
};

const GOODS_LINE_KEYS = keys('description', 'hsCode', 'quantity', 'declaredValue');
const goodsLine = (value: unknown): Input | undefined => {
  if (!isStrictObject(value, GOODS_LINE_KEYS)) return undefined;
  const description = text(value.description);
  const { hsCode, quantity } = value;
  const declaredValue = money(value.declaredValue);
  if (description === undefined || declaredValue === undefined) return undefined;
  if (typeof hsCode !== 'string' || !HS_CODE.test(hsCode)) return undefined;
  if (!isPositiveMeasure(quantity, 1e6)) return undefined;
  return { description, hsCode, quantity, declaredValue };
};

const DIMENSIONS_KEYS = keys('lengthCm', 'widthCm', 'heightCm');
const dimensions = (value: unknown): Input | undefined => {
  if (!isStrictObject(value, DIMENSIONS_KEYS)) return undefined;
  const { lengthCm, widthCm, heightCm } = value;
  if (!isPositiveMeasure(lengthCm, 2000) || !isPositiveMeasure(widthCm, 2000)) return undefined;
  if (!isPositiveMeasure(heightCm, 2000)) return undefined;
  return { lengthCm, widthCm, heightCm };
};

const PARCEL_KEYS = keys(
  'parcelId',
  'shipper',
  'consignee',
  'route',
  'goods',
  'pieceCount',
  'declaredGrossWeightKg',
  'measuredWeightKg',
  'dimensions',
  'paymentMethod',
  'contentCategory',
);

/**
 * The parcel exactly as `ParcelSchema.parse` returns it (keys in schema order, text trimmed), or
 * undefined when it may be invalid, or holds text a manifest may not send (see `text`): then ask
 * `ParcelSchema`.
 */
export const fastValidParcel = (value: unknown): Parcel | undefined => {
  if (!isStrictObject(value, PARCEL_KEYS)) return undefined;
  const { parcelId, goods, pieceCount, declaredGrossWeightKg, paymentMethod, contentCategory } = value;
  if (!isId(parcelId)) return undefined;
  const shipper = party(value.shipper);
  const consignee = party(value.consignee);
  const parcelRoute = route(value.route);
  if (shipper === undefined || consignee === undefined || parcelRoute === undefined) return undefined;
  if (!Array.isArray(goods) || goods.length < 1 || goods.length > MANIFEST_LIMITS.maxGoodsLines)
    return undefined;
  const lines: Input[] = [];
  for (let i = 0; i < goods.length; i++) {
    const line = goodsLine(goods[i]);
    if (line === undefined) return undefined;
    lines.push(line);
  }
  if (typeof pieceCount !== 'number' || !Number.isInteger(pieceCount)) return undefined;
  if (pieceCount < 1 || pieceCount > 10_000) return undefined;
  if (!isPositiveMeasure(declaredGrossWeightKg, 50_000)) return undefined;
  if (typeof paymentMethod !== 'string' || !PAYMENT.has(paymentMethod)) return undefined;
  if (typeof contentCategory !== 'string' || !CONTENT.has(contentCategory)) return undefined;
  const out: Input = {
    parcelId,
    shipper,
    consignee,
    route: parcelRoute,
    goods: lines,
    pieceCount,
    declaredGrossWeightKg,
  };
  if (!absent(value, 'measuredWeightKg')) {
    const measured = value.measuredWeightKg;
    if (!isPositiveMeasure(measured, 50_000)) return undefined;
    out.measuredWeightKg = measured;
  }
  if (!absent(value, 'dimensions')) {
    const size = dimensions(value.dimensions);
    if (size === undefined) return undefined;
    out.dimensions = size;
  }
  out.paymentMethod = paymentMethod;
  out.contentCategory = contentCategory;
  return out as Parcel;
};

const TRANSPORT_KEYS = keys(
  'mode',
  'masterDocumentNumber',
  'placeOfLoading',
  'placeOfUnloading',
  'conveyanceReference',
);
const transport = (value: unknown): Input | undefined => {
  if (!isStrictObject(value, TRANSPORT_KEYS)) return undefined;
  const { mode, masterDocumentNumber } = value;
  if (typeof mode !== 'string' || !MODES.has(mode) || !isId(masterDocumentNumber)) return undefined;
  const placeOfLoading = place(value.placeOfLoading);
  const placeOfUnloading = place(value.placeOfUnloading);
  if (placeOfLoading === undefined || placeOfUnloading === undefined) return undefined;
  const out: Input = { mode, masterDocumentNumber, placeOfLoading, placeOfUnloading };
  if (!absent(value, 'conveyanceReference')) {
    const reference = text(value.conveyanceReference, 64);
    if (reference === undefined) return undefined;
    out.conveyanceReference = reference;
  }
  return out;
};

/** The ISO 8601 timestamp check, taken from the schema itself (once per manifest, so not worth copying). */
const SUBMITTED_AT = ManifestSchema.shape.submittedAt;

const MANIFEST_KEYS = keys('manifestId', 'partnerId', 'submittedAt', 'transport', 'parcels');

/**
 * The manifest exactly as `ManifestSchema.parse` returns it, or undefined when it may be invalid
 * (including duplicate parcel ids): then ask `ManifestSchema`, whose issues are the ones to report.
 */
export const fastValidManifest = (value: unknown): Manifest | undefined => {
  if (!isStrictObject(value, MANIFEST_KEYS)) return undefined;
  const { manifestId, partnerId, submittedAt, parcels } = value;
  if (!isId(manifestId) || !isId(partnerId)) return undefined;
  if (typeof submittedAt !== 'string' || !SUBMITTED_AT.safeParse(submittedAt).success) return undefined;
  const manifestTransport = transport(value.transport);
  if (manifestTransport === undefined) return undefined;
  if (!Array.isArray(parcels) || parcels.length < 1 || parcels.length > MANIFEST_LIMITS.maxParcels)
    return undefined;
  const out: Parcel[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < parcels.length; i++) {
    const parcel = fastValidParcel(parcels[i]);
    if (parcel === undefined || ids.has(parcel.parcelId)) return undefined;
    // The manifest's own rules on top of the parcel contract (SentParcelSchema): text that shows is
    // checked by fastValidParcel already, the phone's digits here.
    if (!hasPhoneDigits(parcel.shipper.phone) || !hasPhoneDigits(parcel.consignee.phone)) return undefined;
    ids.add(parcel.parcelId);
    out.push(parcel);
  }
  return { manifestId, partnerId, submittedAt, transport: manifestTransport, parcels: out } as Manifest;
};
