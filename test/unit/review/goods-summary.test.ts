import { describe, expect, it } from 'vitest';
import { GOODS_SUMMARY_MAX_CHARS, summarizeGoods } from '../../../functions/core/review/goods-summary.js';

const lineOf = (description: string) => ({ description, hsCode: '940360' });

describe('the goods summary of a review item', () => {
  it.each([
    ['one line', [lineOf('Carved rosewood furniture')], 'Carved rosewood furniture (HS 940360)'],
    [
      'several lines',
      [lineOf('Tea table'), lineOf('红木雕花茶几')],
      'Tea table (HS 940360); 红木雕花茶几 (HS 940360)',
    ],
  ])('keeps %s whole', (_name, goods, summary) => {
    // Act / Assess
    expect(summarizeGoods(goods)).toBe(summary);
  });

  it.each([
    ['an unbroken line', [lineOf('X'.repeat(512))], `${'X'.repeat(GOODS_SUMMARY_MAX_CHARS - 1)}…`],
    ['many lines', Array.from({ length: 50 }, () => lineOf('红木'.repeat(256))), undefined],
  ])('cuts %s to the bound, ending in an ellipsis', (_name, goods, summary) => {
    // Act
    const cut = summarizeGoods(goods);

    // Assess
    expect(Array.from(cut)).toHaveLength(GOODS_SUMMARY_MAX_CHARS);
    expect(cut.endsWith('…')).toBe(true);
    if (summary !== undefined) expect(cut).toBe(summary);
  });

  it('never splits a character outside the Basic Multilingual Plane', () => {
    // Prepare: 𠀀 is two UTF-16 code units
    const goods = [lineOf('𠀀'.repeat(400))];

    // Act
    const cut = summarizeGoods(goods, 10);

    // Assess
    expect(cut).toBe(`${'𠀀'.repeat(9)}…`);
  });

  it.each([
    ['a flag', '🇨🇳'],
    ['a family emoji joined by zero-width joiners', '👨‍👩‍👧'],
    ['a letter and its accent', 'e\u0301'],
  ])('never splits %s, cutting before it instead', (_name, cluster) => {
    // Prepare: the cluster straddles the cut after 9 characters
    const goods = [lineOf(`${'x'.repeat(8)}${cluster}${'y'.repeat(20)}`)];

    // Act
    const cut = summarizeGoods(goods, 10);

    // Assess
    expect(cut).toBe(`${'x'.repeat(8)}…`);
  });
});
