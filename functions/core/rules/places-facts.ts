import { CN_PROVINCES } from '../places/cn-provinces.js';
import { type ParcelPlaces, type PlacesFacts, parcelPlaces } from '../places/parcel-places.js';
import type { EvaluationContext } from './evaluation-context.js';
import type { FactType } from './fact-types.js';

/**
 * `places.*`: the provinces of the parcel's places (core/places/parcel-places.ts), computed from the
 * parcel by the engine, never given: not by screening's facts, not by a case. Like `marks.<id>`, they
 * are computed only for a rule set that reads them, once per evaluation, on the first read: a rule set
 * that reads none never computes them.
 */

/** The root of the places' fact paths. */
export const PLACES = 'places';

/** A province: the ISO 3166-2 code of one of the 34 divisions, compared exactly as written (`CN-YN`). */
const PROVINCE: FactType = { kind: 'text', values: CN_PROVINCES.map((division) => division.code) };
const NUMBER: FactType = { kind: 'number' };
const place: FactType = { kind: 'object', fields: { province: PROVINCE } };

/** The type of `places`, which fact-access.ts walks as it walks the screening facts. */
export const PLACES_TYPE: FactType = {
  kind: 'object',
  fields: {
    origin: place,
    destination: place,
    shipper: place,
    consignee: place,
    route: {
      kind: 'object',
      fields: { provinces: NUMBER, unresolved: NUMBER, provinceNames: { kind: 'text' } },
    },
  },
};

/** The places of the parcel being evaluated, as compiled rules and derived facts read them. */
export interface PlacesReader {
  /** The places facts of the parcel `ctx` holds: computed on the first read of an evaluation. */
  read(ctx: EvaluationContext): PlacesFacts;
  /** Why the places fact at `path` is missing, in an analyst's words, or undefined. */
  why(ctx: EvaluationContext, path: string): string | undefined;
}

/** What compiling needs of the places: their reader, and whether anything read them. */
export interface PlacesRegistry {
  /** The reader; asking for it is reading the places (a rule set that never asks never computes them). */
  resolve(): PlacesReader;
  /** What explain shows: every places fact of the parcel and why those missing are; undefined when none is read. */
  explainer(): ((ctx: EvaluationContext) => ParcelPlaces) | undefined;
}

export const placesRegistry = (): PlacesRegistry => {
  let used = false;
  // The places of the evaluation of epoch `epoch`.
  const memo: { epoch: number; value: ParcelPlaces | undefined } = { epoch: -1, value: undefined };
  const computed = (ctx: EvaluationContext): ParcelPlaces => {
    if (memo.epoch !== ctx.epoch || memo.value === undefined) {
      memo.value = parcelPlaces(ctx.facts.parcel);
      memo.epoch = ctx.epoch;
    }
    return memo.value;
  };
  const reader: PlacesReader = {
    read: (ctx) => computed(ctx).facts,
    why: (ctx, path) => computed(ctx).why[path],
  };
  return {
    resolve: () => {
      used = true;
      return reader;
    },
    explainer: () => (used ? computed : undefined),
  };
};
