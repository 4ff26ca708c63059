import { z } from 'zod';
import { LANES } from '../functions/core/screening/lane.js';

/** Inspection queue message: a parcel whose lane is not release, for the inspection systems downstream. */
export const ParcelFlaggedSchema = z.strictObject({
  type: z.literal('ParcelFlagged'),
  version: z.literal(1),
  region: z.string(),
  partnerId: z.string(),
  manifestId: z.string(),
  parcelId: z.string(),
  inspectionOffice: z.string(),
  lane: z.enum(LANES),
  score: z.number(),
  ruleSetVersion: z.string(),
  firedRuleIds: z.array(z.string()),
  /** Present on a parcel the rules released and a random pick held for inspection (GLOSSARY: control sample). */
  controlSample: z.literal(true).optional(),
  referralId: z.string(),
  decidedAt: z.iso.datetime({ offset: true }),
});
export type ParcelFlagged = z.infer<typeof ParcelFlaggedSchema>;
