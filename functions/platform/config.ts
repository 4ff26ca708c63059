import { z } from 'zod';
import { AppError } from './errors.js';

/**
 * The only module that reads process.env. Each function parses its configuration once, at cold
 * start; a missing or malformed variable fails the cold start with every problem listed.
 */

const name = z.string().min(1);
const url = z.url();
const positiveInt = z.coerce.number().int().positive();

const BaseSchema = z.object({
  AWS_REGION: name,
  /** The region (tenant) this deployment serves, e.g. yunnan-guangxi. */
  REGION_ID: name,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export const IngestConfigSchema = BaseSchema.extend({
  MANIFESTS_TABLE: name,
  PARCELS_TABLE: name,
  PARTNERS_TABLE: name,
  SCREENING_QUEUE_URL: url,
  PARTY_KEY_SALT: z.string().min(16, 'at least 16 characters'),
  MAX_BODY_BYTES: positiveInt.default(1_048_576),
  SIGNATURE_TOLERANCE_SECONDS: positiveInt.default(300),
});
export type IngestConfig = z.infer<typeof IngestConfigSchema>;

export const ScreenConfigSchema = BaseSchema.extend({
  DECISIONS_TABLE: name,
  PARTY_HISTORY_TABLE: name,
  REVIEW_QUEUE_TABLE: name,
  INSPECTION_QUEUE_URL: url,
  RULES_DIR: name,
});
export type ScreenConfig = z.infer<typeof ScreenConfigSchema>;

export class ConfigError extends AppError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

export const loadConfig = <S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> => {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
};
