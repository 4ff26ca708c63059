import type { GoodsLine } from '../../../events/manifest-v1.js';

/** Enough for a queue row to say what a parcel holds; the whole parcel stays in its decision. */
export const GOODS_SUMMARY_MAX_CHARS = 300;

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A parcel's goods lines as one line of a review item, cut to `max` code points with an ellipsis: 50
 * lines of 512 characters would otherwise make one queue row many screens tall. The cut falls between
 * what a reader sees as characters (grapheme clusters), so it never leaves half of a flag, of an emoji
 * sequence or of a letter and its accent.
 */
export const summarizeGoods = (
  goods: readonly Pick<GoodsLine, 'description' | 'hsCode'>[],
  max = GOODS_SUMMARY_MAX_CHARS,
): string => {
  const text = goods.map((line) => `${line.description} (HS ${line.hsCode})`).join('; ');
  if (Array.from(text).length <= max) return text;
  let kept = '';
  let count = 0;
  for (const { segment } of GRAPHEMES.segment(text)) {
    const size = Array.from(segment).length;
    if (count + size > max - 1) break;
    kept += segment;
    count += size;
  }
  return `${kept}…`;
};
