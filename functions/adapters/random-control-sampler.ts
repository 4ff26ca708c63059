import { randomInt } from 'node:crypto';
import type { ControlSampler } from '../ports/control-sampler.js';

/**
 * Picks `perMille` of the parcels it is asked about, by a cryptographic random draw: nobody can choose
 * parcel ids or contents that are never picked. Screening asks once per parcel, before recording the
 * parcel's one decision, so a redelivery reads the pick rather than drawing again.
 */
export class RandomControlSampler implements ControlSampler {
  constructor(private readonly perMille: number) {}

  pick(): boolean {
    return this.perMille > 0 && randomInt(1_000) < this.perMille;
  }
}
