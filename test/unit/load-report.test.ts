import { describe, expect, it } from 'vitest';
import { whereUnscreened } from '../../functions/local/load-test.js';

/** The stores and queues after a load run, all empty but for what a case sets. */
const nothing = {
  unscreened: [] as string[],
  onQueue: new Set<string>() as ReadonlySet<string> | undefined,
  deadLetters: new Set<string>() as ReadonlySet<string> | undefined,
  answered: [] as string[],
  stored: new Set<string>(),
  notHandedOver: new Set<string>(),
};

describe('the load report: where an accepted parcel that was not screened is', () => {
  it.each<[string, Partial<typeof nothing>, { queued: number; deadLetteredParcels: number; lost: number }]>([
    [
      'nothing unscreened, every 202 stored',
      { answered: ['p#1'], stored: new Set(['p#1']) },
      { queued: 0, deadLetteredParcels: 0, lost: 0 },
    ],
    [
      'a message still on the screening queue',
      { unscreened: ['p#1'], onQueue: new Set(['p#1']) },
      { queued: 1, deadLetteredParcels: 0, lost: 0 },
    ],
    [
      'a message dead-lettered',
      { unscreened: ['p#1'], deadLetters: new Set(['p#1']) },
      { queued: 0, deadLetteredParcels: 1, lost: 0 },
    ],
    ['a message on neither queue', { unscreened: ['p#1'] }, { queued: 0, deadLetteredParcels: 0, lost: 1 }],
    [
      'unreadable queues: nothing known',
      { unscreened: ['p#1', 'p#2'], onQueue: undefined, deadLetters: undefined },
      { queued: 0, deadLetteredParcels: 0, lost: 2 },
    ],
    [
      'a manifest answered 202 whose parcels were never stored, beside one stored',
      { answered: ['a#1', 'a#2', 'b#1'], stored: new Set(['b#1']) },
      { queued: 0, deadLetteredParcels: 0, lost: 2 },
    ],
    [
      "a manifest answered 202 whose record says it was never handed over, though another's parcel was",
      { answered: ['a#1'], stored: new Set(['a#1', 'b#1']), notHandedOver: new Set(['a#1']) },
      { queued: 0, deadLetteredParcels: 0, lost: 1 },
    ],
  ])('counts %s', (_name, found, counts) => {
    // Act
    const where = whereUnscreened({ ...nothing, ...found });
    // Assess
    expect(where).toEqual(counts);
  });
});
