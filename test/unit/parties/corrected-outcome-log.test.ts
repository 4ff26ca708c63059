import { describe, expect, it } from 'vitest';
import { correctedOutcomeLog, currentOutcomeOf } from '../../../functions/core/parties/outcome-log.js';

const FIRST = '2025-10-27T15:00:00.000Z|seized|p1';
const SECOND = '2026-11-27T15:00:00.000Z|seized|p1';

describe('corrections of the outcomes of one parcel key', () => {
  it.each([
    ['the first parcel’s', '2025-10-28T09:00:00.000Z', [`2025-10-27T15:00:00.000Z|cleared|p1`, SECOND]],
    ['the second parcel’s', '2026-11-28T09:00:00.000Z', [FIRST, `2026-11-27T15:00:00.000Z|cleared|p1`]],
    // Two instances' clocks: a correction stamped a second before the outcome it corrects
    [
      'the second parcel’s, stamped a second before it',
      '2026-11-27T14:59:59.000Z',
      [FIRST, `2026-11-27T15:00:00.000Z|cleared|p1`],
    ],
  ])('applies a correction to %s outcome only', (_what, correctedAt, expected) => {
    expect(correctedOutcomeLog([FIRST, SECOND], [`${correctedAt}|cleared|p1`])).toEqual(expected);
  });

  it('counts a correction of a parcel with no recorded outcome as its outcome, at the correction’s time', () => {
    expect(correctedOutcomeLog([FIRST], ['2026-11-28T09:00:00.000Z|cleared|p2'])).toEqual([
      FIRST,
      '2026-11-28T09:00:00.000Z|cleared|p2',
    ]);
  });

  it('counts the corrections of a parcel with no recorded outcome as the latest one, at the first one’s time', () => {
    // A seizure corrected in on the 20th, withdrawn on the 22nd: one outcome, dated the 20th both times
    const corrections = ['2026-11-20T10:00:00.000Z|seized|p2', '2026-11-22T10:00:00.000Z|cleared|p2'];
    expect(correctedOutcomeLog([FIRST], corrections)).toEqual([FIRST, '2026-11-20T10:00:00.000Z|cleared|p2']);
    expect(correctedOutcomeLog([FIRST], corrections, '2026-11-21T00:00:00.000Z')).toEqual([
      FIRST,
      '2026-11-20T10:00:00.000Z|seized|p2',
    ]);
    expect(currentOutcomeOf('p2', [FIRST], corrections, '2026-11-22T10:00:00.000Z')).toEqual({
      at: '2026-11-20T10:00:00.000Z',
      outcome: 'cleared',
    });
  });

  it('names the outcome a correction corrects, for the shared seizure to follow', () => {
    const corrections = ['2026-11-28T09:00:00.000Z|cleared|p1'];
    expect(currentOutcomeOf('p1', [FIRST, SECOND], corrections, '2026-11-28T09:00:00.000Z')).toEqual({
      at: '2026-11-27T15:00:00.000Z',
      outcome: 'cleared',
    });
    expect(currentOutcomeOf('p1', [FIRST, SECOND], corrections, '2025-10-28T09:00:00.000Z')).toEqual({
      at: '2025-10-27T15:00:00.000Z',
      outcome: 'seized',
    });
  });
});
