import type { GoodsLine } from '../../../events/manifest-v1.js';

/** Enough for a queue row to say what a parcel holds; the whole parcel stays in its decision. */
export const GOODS_SUMMARY_MAX_CHARS = 300;

/**
 * A parcel's goods lines as one line of a review item, cut to `max` characters with an ellipsis: 50
 * lines of 512 characters would otherwise make one queue row many screens tall. Counted in code
 * points, so a cut never splits a character outside the Basic Multilingual Plane.
 */
export const summarizeGoods = (
  goods: readonly Pick<GoodsLine, 'description' | 'hsCode'>[],
  max = GOODS_SUMMARY_MAX_CHARS,
): string => {
  const text = goods.map((line) => `${line.description} (HS ${line.hsCode})`).join('; ');
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
};
