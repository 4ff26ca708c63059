import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parcelPlaces } from '../../../functions/core/places/parcel-places.js';

/** The places facts of a parcel: each place's province, and how many provinces its route crosses. */

const cn = (region: string | undefined, city: string) =>
  region === undefined ? { country: 'CN', city } : { country: 'CN', region, city };

const parcelWith = (origin: object, via: object[], destination: object) => ({
  shipper: { address: { ...cn('Yunnan', 'Ruili'), line: '1 Road' } },
  consignee: { address: { ...cn('广西壮族自治区', '梧州市'), line: '2 Road' } },
  route: { origin, via, destination, inspectionOffice: 'wuzhou-customs' },
});

describe('parcelPlaces', () => {
  it('gives the Ruili sample parcel two provinces, Yunnan → Guangxi', () => {
    // Prepare
    const manifest = JSON.parse(
      readFileSync('events/samples/manifests/southwest-freight-ruili-wuzhou.json', 'utf8'),
    );
    const parcel = manifest.parcels.find((one: { parcelId: string }) => one.parcelId === 'SWF7781000123');

    // Act
    const { facts, why } = parcelPlaces(parcel);

    // Assess
    expect(facts).toEqual({
      origin: { province: 'CN-YN' },
      destination: { province: 'CN-GX' },
      shipper: { province: 'CN-YN' },
      consignee: { province: 'CN-GX' },
      route: { provinces: 2, unresolved: 0, provinceNames: 'Yunnan → Guangxi' },
    });
    expect(why).toEqual({});
  });

  it.each([
    [
      'one province, however written',
      cn('Yunnan', 'Ruili'),
      [cn('云南省', '昆明')],
      cn('雲南', '大理'),
      1,
      0,
      'Yunnan',
    ],
    [
      'two, written in Chinese and pinyin',
      cn('云南省德宏州', '瑞丽'),
      [cn('Yunnan', 'Kunming')],
      cn('Guangxi', 'Nanning'),
      2,
      0,
      'Yunnan → Guangxi',
    ],
    [
      'three, back again counted once',
      cn('Yunnan', 'Kunming'),
      [cn('Guizhou', 'Guiyang'), cn('Yunnan', 'Qujing'), cn('Hunan', 'Changsha')],
      cn('湖南', '长沙'),
      3,
      0,
      'Yunnan → Guizhou → Yunnan → Hunan',
    ],
    [
      'a lower bound with an unresolved via point',
      cn('Yunnan', 'Ruili'),
      [cn('Yunan', 'Kunming')],
      cn('Guangxi', 'Wuzhou'),
      2,
      1,
      'Yunnan → ? → Guangxi',
    ],
    ['none when none resolves', cn('Dehong', 'Ruili'), [], cn(undefined, 'Wuzhou'), 0, 2, '? → ?'],
    [
      'a municipality from its city',
      cn(undefined, '上海'),
      [],
      cn('Zhejiang', 'Hangzhou'),
      2,
      0,
      'Shanghai → Zhejiang',
    ],
    [
      'a foreign origin left out',
      { country: 'MM', region: 'Shan', city: 'Muse' },
      [],
      cn('Yunnan', 'Ruili'),
      1,
      0,
      'Yunnan',
    ],
  ])('counts %s', (_what, origin, via, destination, provinces, unresolved, names) => {
    // Act
    const { facts } = parcelPlaces(parcelWith(origin, via, destination));

    // Assess
    expect(facts.route).toEqual({ provinces, unresolved, provinceNames: names });
  });

  it('leaves a province missing, and says why, when the place is abroad or names none', () => {
    // Prepare
    const parcel = parcelWith(
      { country: 'MM', region: 'Shan', city: 'Muse' },
      [cn('Yunan', 'Kunming')],
      cn('Yunan', 'Ruili'),
    );

    // Act
    const { facts, why, unresolvedPoints } = parcelPlaces(parcel);

    // Assess
    expect(facts.origin).toEqual({});
    expect(facts.destination).toEqual({});
    expect(why['places.origin.province']).toBe('parcel.route.origin: its country is "MM", not CN');
    expect(why['places.destination.province']).toBe(
      'parcel.route.destination: region "Yunan" names no province, nor does city "Ruili"',
    );
    expect(unresolvedPoints).toEqual([
      'parcel.route.via[0]: region "Yunan" names no province, nor does city "Kunming"',
      'parcel.route.destination: region "Yunan" names no province, nor does city "Ruili"',
    ]);
  });

  it('has no province names when no point of the route is in CN', () => {
    // Prepare
    const abroad = { country: 'VN', region: 'Lao Cai', city: 'Lao Cai' };

    // Act
    const { facts, why } = parcelPlaces(parcelWith(abroad, [], abroad));

    // Assess
    expect(facts.route).toEqual({ provinces: 0, unresolved: 0 });
    expect(why['places.route.provinceNames']).toBe('parcel.route: no point of the route is in CN');
  });

  it('takes a gap in a via list built in code as a point it cannot place, as undefined is, without throwing', () => {
    // Prepare
    const origin = cn('Yunnan', 'Ruili');
    const destination = cn('Guangxi', 'Wuzhou');
    // biome-ignore lint/suspicious/noSparseArray: the gap is the case
    const withGap = parcelWith(origin, [, cn('Hunan', 'Changsha')] as object[], destination);
    const withUndefined = parcelWith(origin, [undefined, cn('Hunan', 'Changsha')] as object[], destination);

    // Act
    const gap = parcelPlaces(withGap);

    // Assess
    expect(gap).toEqual(parcelPlaces(withUndefined));
    expect(gap.facts.route).toMatchObject({ provinces: 3, unresolved: 1 });
  });
});
