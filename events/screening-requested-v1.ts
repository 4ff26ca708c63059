import { z } from 'zod';
import { ParcelSchema, SubmittedAtSchema, TransportSchema } from './manifest-v1.js';

/** Screening queue message: accepted parcels of one manifest, with the facts computed over the whole manifest. */

export const PartyKeysSchema = z.strictObject({
  consignee: z.string(),
  shipper: z.string(),
  phone: z.string(),
  /** Left out when the consignee's address names no street (derivePartyKeys), as idDocument without one. */
  address: z.string().optional(),
  idDocument: z.string().optional(),
  consigneeName: z.string().optional(),
});

export const ManifestFactsSchema = z.strictObject({
  parcelCount: z.number().int(),
  parcelsToConsignee: z.number().int(),
  parcelsToPhone: z.number().int(),
  parcelsToAddress: z.number().int(),
  consigneesOfShipper: z.number().int(),
  /** Left out by an ingest from before it existed (messages in flight across the update): then 1. */
  consigneeNamesOfPhone: z.number().int().default(1),
  /**
   * Left out by an ingest from before they existed (messages in flight across the update): then this
   * parcel's own declared gross weight, as a parcel alone weighs (ScreeningItemSchema fills them in).
   */
  weightToConsigneeKg: z.number().optional(),
  weightToPhoneKg: z.number().optional(),
  weightToAddressKg: z.number().optional(),
  splitShipment: z.boolean(),
});

/** One parcel of a screening message; a manifest weight the message leaves out is this parcel's own. */
export const ScreeningItemSchema = z
  .strictObject({
    parcel: ParcelSchema,
    partyKeys: PartyKeysSchema,
    manifestFacts: ManifestFactsSchema,
  })
  .transform(({ parcel, partyKeys, manifestFacts }) => {
    const ownKg = parcel.declaredGrossWeightKg;
    const { weightToConsigneeKg = ownKg, weightToPhoneKg = ownKg, weightToAddressKg = ownKg } = manifestFacts;
    return {
      parcel,
      partyKeys,
      manifestFacts: { ...manifestFacts, weightToConsigneeKg, weightToPhoneKg, weightToAddressKg },
    };
  });
export type ScreeningItem = z.infer<typeof ScreeningItemSchema>;

/**
 * Which of a manifest's screening messages (in one region) this is, when there are several: the
 * manifest's parcels record their party history only once every part is screened, so that no parcel
 * of a manifest sees another of the same manifest in its history (the manifest facts count those).
 */
export const ScreeningPartSchema = z
  .strictObject({
    index: z.number().int().min(0),
    of: z.number().int().min(2),
    /** Every parcel id of the manifest's parts, in this region: the last part screened records them all. */
    parcelIds: z.array(z.string().min(1)).min(2),
  })
  .refine((part) => part.index < part.of, { message: 'index must be below of', path: ['index'] });
export type ScreeningPart = z.infer<typeof ScreeningPartSchema>;

export const ScreeningRequestedSchema = z.strictObject({
  type: z.literal('ScreeningRequested'),
  version: z.literal(1),
  region: z.string().min(1),
  partnerId: z.string().min(1),
  manifestId: z.string().min(1),
  receivedAt: z.iso.datetime({ offset: true }),
  /**
   * The manifest's `submittedAt`, as the partner wrote it. Left out by an ingest from before it was
   * carried (messages in flight across the update): the rules then read it as missing.
   */
  submittedAt: SubmittedAtSchema.optional(),
  transport: TransportSchema,
  items: z.array(ScreeningItemSchema).min(1),
  part: ScreeningPartSchema.optional(),
});
export type ScreeningRequested = z.infer<typeof ScreeningRequestedSchema>;
