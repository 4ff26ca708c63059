import { z } from 'zod';
import {
  notTooFine,
  SAFE_LINES,
  SAFE_TEXT,
  SAFE_TEXT_MESSAGE,
  visibleText,
} from '../../../events/manifest-v1.js';
import { onlyKnownFields, quoted } from './known-fields.js';

/**
 * What an inspection found (GLOSSARY: outcome). `not-found` means the parcel could not be located for
 * inspection: it is recorded and audited like any outcome, but it is not an inspection in the rule
 * statistics, since nothing was looked at.
 */
export const OUTCOMES = ['cleared', 'seized', 'documents-irregular', 'not-found'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const QUANTITY_UNITS = ['g', 'kg', 'ml', 'l', 'pieces'] as const;

/**
 * Staff text is shown to other staff (the office's queue, admins, the audit log) as written, so it is
 * held to the manifest's rule: no control characters and no bidirectional formatting, which could make
 * what is shown differ from what is stored and audited. Notes and reasons may run over several lines.
 * A required line must also show something (see visibleText): a substance or concealment of only
 * zero-width characters would record a seizure that reads blank.
 */
const staffLine = (max: number) =>
  visibleText(z.string().trim().min(1).max(max).regex(SAFE_TEXT, SAFE_TEXT_MESSAGE));
/** Several lines of staff text: tabs and line breaks allowed, other control characters not. */
export const safeLines = (schema: z.ZodString) =>
  schema.regex(SAFE_LINES, `${SAFE_TEXT_MESSAGE} (line breaks and tabs are allowed)`);

export const SeizureSchema = z.strictObject({
  substance: staffLine(200),
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
  concealment: staffLine(500),
});
export type Seizure = z.infer<typeof SeizureSchema>;

/** An officer's finding, once its outcome is known: a seizure's details with `seized` only. */
const FindingBodySchema = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('seized'),
    seizure: SeizureSchema,
    notes: safeLines(z.string().max(2000)).optional(),
  }),
  z.strictObject({
    outcome: z.enum(['cleared', 'documents-irregular', 'not-found']),
    notes: safeLines(z.string().max(2000)).optional(),
  }),
]);

const OUTCOME_CHOICES = OUTCOMES.join(', ');

/**
 * An officer's finding as submitted: a seizure's details are required with `seized` and refused
 * otherwise. Checked first for what an officer most often gets wrong, each said at its own path: a
 * missing or unknown outcome (with what was sent), an unknown field (named), a seizure with another outcome.
 */
export const FindingSchema = onlyKnownFields(
  ['outcome', 'seizure', 'notes'],
  FindingBodySchema,
  'field',
  (finding, ctx) => {
    if (!Object.hasOwn(finding, 'outcome')) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'outcome is required' });
    } else if (!(OUTCOMES as readonly unknown[]).includes(finding.outcome)) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcome'],
        message: `outcome must be one of ${OUTCOME_CHOICES}; got ${quoted(finding.outcome)}`,
      });
    } else if (finding.outcome !== 'seized' && Object.hasOwn(finding, 'seizure')) {
      ctx.addIssue({
        code: 'custom',
        path: ['seizure'],
        message: `a seizure goes with outcome seized only; this outcome is ${String(finding.outcome)}`,
      });
    }
  },
);
export type Finding = z.infer<typeof FindingSchema>;

export const isInspection = (outcome: Outcome): boolean => outcome !== 'not-found';
export const isSeizure = (outcome: Outcome): boolean => outcome === 'seized';
