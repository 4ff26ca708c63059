import { type PlaceText, provinceName, provinceOfPlace } from './resolve-province.js';

/**
 * The `places.*` facts: the provinces a parcel's places are in, computed from the parcel alone (its
 * route's origin, via points and destination, its shipper's and consignee's addresses) by
 * resolve-province.ts. Rules read them to say "the route crosses provinces" whatever way the partner
 * wrote the regions. Pure; the engine computes them only for a rule set that reads them
 * (core/rules/places-facts.ts).
 */

/** One place's province: the ISO 3166-2 code, missing when not in CN or not resolved. */
export interface PlaceFacts {
  province?: string;
}

export interface RoutePlacesFacts {
  /** Distinct provinces resolved among the route's points: a lower bound when some are unresolved. */
  provinces: number;
  /** Route points in CN whose province could not be resolved. */
  unresolved: number;
  /**
   * The provinces' English names in route order, repeats in a row shown once, an unresolved point in CN
   * as `?` (`Yunnan → Guangxi`); missing when no point of the route is in CN.
   */
  provinceNames?: string;
}

export interface PlacesFacts {
  origin: PlaceFacts;
  destination: PlaceFacts;
  shipper: PlaceFacts;
  consignee: PlaceFacts;
  route: RoutePlacesFacts;
}

/** The places facts with, by fact path, why each one missing is (and each unresolved route point why). */
export interface ParcelPlaces {
  facts: PlacesFacts;
  /** `places.origin.province` → `parcel.route.origin: region "Yunan" names no province, …`. */
  why: Record<string, string>;
  /** Each route point in CN that did not resolve, by its path, and why. */
  unresolvedPoints: string[];
}

/** What of the parcel the places facts read: a parcel as the contract gives it, read defensively. */
interface ParcelPlaceTexts {
  route?: { origin?: PlaceText; via?: readonly PlaceText[]; destination?: PlaceText };
  shipper?: { address?: PlaceText };
  consignee?: { address?: PlaceText };
}

/** The separator of provinceNames. */
const ROUTE_ARROW = ' → ';

const placeFacts = (
  place: PlaceText | undefined,
  path: string,
  fact: string,
  why: Record<string, string>,
): PlaceFacts => {
  const found = provinceOfPlace(place);
  if ('code' in found) return { province: found.code };
  why[fact] = `${path}: ${'why' in found ? found.why : found.foreign}`;
  return {};
};

/** The places facts of a parcel (see PlacesFacts), and why those missing are. */
export const parcelPlaces = (parcel: unknown): ParcelPlaces => {
  const texts = (parcel ?? {}) as ParcelPlaceTexts;
  const route = texts.route ?? {};
  const why: Record<string, string> = {};
  const points: [PlaceText | undefined, string][] = [
    [route.origin, 'parcel.route.origin'],
    // Array.from, not map: a gap in a list built in code is an absent point, not a hole to unpack.
    ...Array.from(Array.isArray(route.via) ? route.via : [], (point, i): [PlaceText | undefined, string] => [
      point,
      `parcel.route.via[${i}]`,
    ]),
    [route.destination, 'parcel.route.destination'],
  ];
  const seen = new Set<string>();
  const names: string[] = [];
  const unresolvedPoints: string[] = [];
  let inChina = 0;
  for (const [point, path] of points) {
    const found = provinceOfPlace(point);
    if ('foreign' in found) continue;
    inChina += 1;
    if ('why' in found) {
      unresolvedPoints.push(`${path}: ${found.why}`);
      names.push('?');
      continue;
    }
    seen.add(found.code);
    const name = provinceName(found.code)!;
    if (names.at(-1) !== name) names.push(name);
  }
  const routeFacts: RoutePlacesFacts = { provinces: seen.size, unresolved: unresolvedPoints.length };
  if (inChina > 0) routeFacts.provinceNames = names.join(ROUTE_ARROW);
  else why['places.route.provinceNames'] = 'parcel.route: no point of the route is in CN';
  return {
    facts: {
      origin: placeFacts(route.origin, 'parcel.route.origin', 'places.origin.province', why),
      destination: placeFacts(
        route.destination,
        'parcel.route.destination',
        'places.destination.province',
        why,
      ),
      shipper: placeFacts(texts.shipper?.address, 'parcel.shipper.address', 'places.shipper.province', why),
      consignee: placeFacts(
        texts.consignee?.address,
        'parcel.consignee.address',
        'places.consignee.province',
        why,
      ),
      route: routeFacts,
    },
    why,
    unresolvedPoints,
  };
};
