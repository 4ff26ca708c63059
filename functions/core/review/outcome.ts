import { z } from 'zod';
import { notTooFine } from '../../../events/manifest-v1.js';

/**
 * What an inspection found (GLOSSARY: outcome). `not-found` means the parcel could not be located for
 * inspection: it is recorded and audited like any outcome, but it is not an inspection in the rule
 * statistics, since nothing was looked at.
 */
export const OUTCOMES = ['cleared', 'seized', 'documents-irregular', 'not-found'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const QUANTITY_UNITS = ['g', 'kg', 'ml', 'l', 'pieces'] as const;

export const SeizureSchema = z.strictObject({
  substance: z.string().trim().min(1).max(200),
  // Bounded so DynamoDB can store it: no subnormal (5e-324), nothing a seizure could weigh (1e200).
  quantity: z
    .strictObject({
      amount: notTooFine(z.number().positive().max(1e9)),
      unit: z.enum(QUANTITY_UNITS),
    })
    .refine((quantity) => quantity.unit !== 'pieces' || Number.isInteger(quantity.amount), {
      path: ['amount'],
      message: 'pieces are counted: the amount must be a whole number',
    }),
  /** How the goods were hidden, e.g. "hollowed furniture panel". */
  concealment: z.string().trim().min(1).max(500),
});
export type Seizure = z.infer<typeof SeizureSchema>;

/** An officer's finding as submitted: a seizure's details are required with `seized` and refused otherwise. */
export const FindingSchema = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('seized'),
    seizure: SeizureSchema,
    notes: z.string().max(2000).optional(),
  }),
  z.strictObject({
    outcome: z.enum(['cleared', 'documents-irregular', 'not-found']),
    notes: z.string().max(2000).optional(),
  }),
]);
export type Finding = z.infer<typeof FindingSchema>;

export const isInspection = (outcome: Outcome): boolean => outcome !== 'not-found';
export const isSeizure = (outcome: Outcome): boolean => outcome === 'seized';
