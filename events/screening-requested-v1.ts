import { z } from 'zod';
import { ParcelSchema, TransportSchema } from './manifest-v1.js';

/** Screening queue message: accepted parcels of one manifest, with the facts computed over the whole manifest. */

export const PartyKeysSchema = z.strictObject({
  consignee: z.string(),
  shipper: z.string(),
  phone: z.string(),
  address: z.string(),
  idDocument: z.string().optional(),
  consigneeName: z.string().optional(),
});

export const ManifestFactsSchema = z.strictObject({
  parcelCount: z.number().int(),
  parcelsToConsignee: z.number().int(),
  parcelsToPhone: z.number().int(),
  parcelsToAddress: z.number().int(),
  consigneesOfShipper: z.number().int(),
  splitShipment: z.boolean(),
});

export const ScreeningItemSchema = z.strictObject({
  parcel: ParcelSchema,
  partyKeys: PartyKeysSchema,
  manifestFacts: ManifestFactsSchema,
});
export type ScreeningItem = z.infer<typeof ScreeningItemSchema>;

export const ScreeningRequestedSchema = z.strictObject({
  type: z.literal('ScreeningRequested'),
  version: z.literal(1),
  region: z.string().min(1),
  partnerId: z.string().min(1),
  manifestId: z.string().min(1),
  receivedAt: z.iso.datetime({ offset: true }),
  transport: TransportSchema,
  items: z.array(ScreeningItemSchema).min(1),
});
export type ScreeningRequested = z.infer<typeof ScreeningRequestedSchema>;
