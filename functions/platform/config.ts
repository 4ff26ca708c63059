import { z } from 'zod';
import { MANIFEST_LIMITS } from '../../events/manifest-v1.js';
import { FUNCTIONS, QUEUES, REVIEW_SETTINGS, SCREEN_SETTINGS } from '../../infra/definitions.js';
import { isThisMachine } from '../core/webhooks/callback-url.js';
import { AppError } from './errors.js';

/**
 * The only module that reads process.env. Each function parses its configuration once, at cold
 * start; a missing or malformed variable fails the cold start with every problem listed.
 */

const name = z.string().min(1);
const url = z.url();
/** A whole-number setting within its bounds, its default when unset. */
const wholeNumberIn = (setting: { min: number; max: number; default: number }) =>
  z.coerce.number().int().min(setting.min).max(setting.max).default(setting.default);
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
/** The salt party keys are hashed with: one rule wherever keys are made or compared (ingest, screen, tools). */
const partyKeySalt = z.string().min(16, 'at least 16 characters');
/** How far a partner's signed request may be from now: one policy for manifest posts and status reads. */
const signatureToleranceSeconds = positiveInt.default(300);

const BaseSchema = z.object({
  AWS_REGION: name,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export const IngestConfigSchema = BaseSchema.extend({
  MANIFESTS_TABLE: name,
  PARCELS_TABLE: name,
  PARTNERS_TABLE: name,
  SCREENING_QUEUE_URL: url,
  PARTY_KEY_SALT: partyKeySalt,
  WEBHOOK_DELIVERIES_TABLE: name,
  PARTNER_RATE_LIMITS_TABLE: name,
  /** The inspection office hierarchy: a parcel must be routed to one of its offices or checkpoints. */
  OFFICES_FILE: name,
  MAX_BODY_BYTES: positiveInt.default(1_048_576),
  /** At most the contract's bound: above it, a long manifest would be a 422 of the contract, not a 413. */
  MAX_PARCELS_PER_MANIFEST: positiveInt
    .max(MANIFEST_LIMITS.maxParcels, `at most ${MANIFEST_LIMITS.maxParcels}, the contract's bound`)
    .default(MANIFEST_LIMITS.maxParcels),
  MAX_JSON_DEPTH: positiveInt.default(12),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
  SIGNATURE_TOLERANCE_SECONDS: signatureToleranceSeconds,
});
export type IngestConfig = z.infer<typeof IngestConfigSchema>;

export const ScreenConfigSchema = BaseSchema.extend({
  DECISIONS_TABLE: name,
  PARTY_HISTORY_TABLE: name,
  REVIEW_QUEUE_TABLE: name,
  INSPECTION_QUEUE_URL: url,
  REFERRAL_QUEUE_URL: url,
  RULE_STATISTICS_TABLE: name,
  RULES_DIR: name,
  /** Which regions share seizure indicators with which (rules/sharing/agreements.yaml, bundled). */
  SHARING_AGREEMENTS_FILE: name,
  /** The inspection office hierarchy (rules/reference/offices.yaml, bundled): which region an office is in. */
  OFFICES_FILE: name,
  /** Published list versions, read over the bundled list files at cold start and every LIST_REFRESH_SECONDS. */
  LISTS_TABLE: name,
  /**
   * How often a running container checks the lists table for new versions (a load, a rollback), at most:
   * before a batch, when this long has passed since its last check. Each check is one query per list.
   */
  LIST_REFRESH_SECONDS: wholeNumberIn(SCREEN_SETTINGS.listRefreshSeconds),
  /** Watchlists of phones, addresses, names and ID documents are hashed with it at cold start. */
  PARTY_KEY_SALT: partyKeySalt,
  /** Released parcels held at random as control samples, per thousand (core/screening/control-sample.ts). */
  CONTROL_SAMPLE_PER_MILLE: wholeNumberIn(SCREEN_SETTINGS.controlSamplePerMille),
  /** A rule set evaluated beside the active one, its evaluation recorded and never acted on. */
  SHADOW_RULES_DIR: name.optional(),
});
export type ScreenConfig = z.infer<typeof ScreenConfigSchema>;

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

/** Where staff actions and what they owe are stored: shared by the review function and the review sweep. */
const ReviewEffectsSchema = BaseSchema.extend({
  REVIEW_QUEUE_TABLE: name,
  PARTY_HISTORY_TABLE: name,
  RULE_STATISTICS_TABLE: name,
  AUDIT_LOG_TABLE: name,
  /** Outcomes share seizures with these regions (rules/sharing/agreements.yaml, bundled). */
  SHARING_AGREEMENTS_FILE: name,
});
export type ReviewEffectsConfig = z.infer<typeof ReviewEffectsSchema>;

export const ReviewConfigSchema = ReviewEffectsSchema.extend({
  DECISIONS_TABLE: name,
  /** The inspection office hierarchy (rules/reference/offices.yaml, bundled beside the handler). */
  OFFICES_FILE: name,
  /** How long a claim keeps a parcel for its officer. */
  LEASE_MINUTES: positiveInt.max(24 * 60).default(30),
  LIST_PAGE_SIZE: wholeNumberIn(REVIEW_SETTINGS.listPageSize),
});
export type ReviewConfig = z.infer<typeof ReviewConfigSchema>;

export const ReviewSweepConfigSchema = ReviewEffectsSchema.extend({
  /**
   * Actions younger than this are left to the request still finishing them (review times out at 15 s).
   * Claims keep a shorter grace correct; it only saves contention. The embedded stack's tests use 0.
   */
  PENDING_GRACE_SECONDS: nonNegativeInt.default(120),
  /** Parcels one run takes at most; it also stops starting parcels 20 s before its timeout. */
  SWEEP_MAX_ITEMS: positiveInt.max(1_000).default(500),
});
export type ReviewSweepConfig = z.infer<typeof ReviewSweepConfigSchema>;

export const PartnerStatusConfigSchema = BaseSchema.extend({
  PARTNERS_TABLE: name,
  MANIFESTS_TABLE: name,
  DECISIONS_TABLE: name,
  PARTNER_RATE_LIMITS_TABLE: name,
  SIGNATURE_TOLERANCE_SECONDS: signatureToleranceSeconds,
  /** A read batch-gets up to 500 decisions from the table screening writes: bounded per partner. */
  STATUS_READS_PER_MINUTE: positiveInt.default(600),
});
export type PartnerStatusConfig = z.infer<typeof PartnerStatusConfigSchema>;

export const NotifyConfigSchema = BaseSchema.extend({
  PARTNERS_TABLE: name,
  REFERRAL_QUEUE_URL: url,
  /**
   * A callback that has not answered by then counts as failed. At most half the notify function's
   * timeout, so one hanging callback fails its own record, not the whole batch with the invocation.
   */
  REFERRAL_TIMEOUT_MS: positiveInt.max(FUNCTIONS.notify.timeoutSeconds * 500).default(15_000),
  /** First retry delay; doubles with every receive, up to the maximum. */
  REFERRAL_RETRY_BASE_SECONDS: nonNegativeInt.default(QUEUES.referral.backoff.baseSeconds),
  /**
   * SQS keeps a message invisible at most 12 hours counted from its receive, and the delay is set up to
   * a function timeout after it: a longer one would be refused and the record would come back at once.
   */
  REFERRAL_RETRY_MAX_SECONDS: nonNegativeInt
    .max(43_200 - FUNCTIONS.notify.timeoutSeconds)
    .default(QUEUES.referral.backoff.maxSeconds),
  /**
   * The embedded stack's loopback receivers only: allows plain-http callbacks to this machine and loopback hosts
   * (undeliverableReason in functions/core/webhooks/callback-url.ts). Never set in AWS.
   */
  REFERRAL_ALLOW_HTTP: flag.default(false),
}).refine((config) => config.REFERRAL_RETRY_BASE_SECONDS <= config.REFERRAL_RETRY_MAX_SECONDS, {
  message: 'REFERRAL_RETRY_BASE_SECONDS is at most REFERRAL_RETRY_MAX_SECONDS',
  path: ['REFERRAL_RETRY_BASE_SECONDS'],
});
export type NotifyConfig = z.infer<typeof NotifyConfigSchema>;

/** The `$default` route's function: nothing to configure beyond logging. */
export const NoRouteConfigSchema = BaseSchema;
export type NoRouteConfig = z.infer<typeof NoRouteConfigSchema>;

export const StatisticsConfigSchema = BaseSchema.extend({
  RULE_STATISTICS_TABLE: name,
  /** The inspection office hierarchy: which region each member of staff belongs to. */
  OFFICES_FILE: name,
  /** The deployed rule set (bundled, screen's): its rules are listed, counted or not. Read, never compiled. */
  RULES_DIR: name,
});
export type StatisticsConfig = z.infer<typeof StatisticsConfigSchema>;

export const ConsoleConfigSchema = BaseSchema.extend({
  /** The officers' console's static files (functions/console/assets, bundled beside the handler). */
  CONSOLE_ASSETS_DIR: name,
  /** The inspection office hierarchy: the offices a member of staff's grants cover (GET /v1/offices). */
  OFFICES_FILE: name,
  /**
   * Where staff sign in, the authorization server's origin (Cognito managed login:
   * `https://<prefix>.auth.<aws region>.amazoncognito.com`; only the origin is kept), and the console's
   * app client there. Both or neither: without them (the embedded stack by default) the console takes a pasted token.
   */
  STAFF_SIGN_IN_URL: url.transform((value) => new URL(value).origin).optional(),
  STAFF_CLIENT_ID: name.optional(),
}).refine((config) => (config.STAFF_SIGN_IN_URL === undefined) === (config.STAFF_CLIENT_ID === undefined), {
  message: 'STAFF_SIGN_IN_URL and STAFF_CLIENT_ID are set together or not at all',
  path: ['STAFF_CLIENT_ID'],
});
export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;

export const PartiesConfigSchema = BaseSchema.extend({
  PARTY_HISTORY_TABLE: name,
  /** The inspection office hierarchy: which region each member of staff belongs to. */
  OFFICES_FILE: name,
  /** Bounds of a links answer (functions/parties/party-links.ts). */
  LINKS_MAX_NODES: positiveInt.max(500).default(100),
  LINKS_MAX_PER_NODE: positiveInt.max(100).default(25),
});
export type PartiesConfig = z.infer<typeof PartiesConfigSchema>;

/** An endpoint the SDK reads itself, which takes an empty one for unset: so do we. */
const endpoint = z.preprocess((value) => (value === '' ? undefined : value), url.optional());

/** Set only where S3 is an emulator (the embedded stack's), whose buckets are addressed by path. */
const s3Endpoint = { AWS_ENDPOINT_URL_S3: endpoint };

/**
 * What every tool reads: its region, and the endpoints the SDK reads itself. Checked here so a malformed
 * endpoint is a setting to fix (exit 2), not a request that fails later as if AWS did not answer.
 */
const ToolBaseSchema = z.object({
  AWS_REGION: name,
  AWS_ENDPOINT_URL: endpoint,
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  AWS_ENDPOINT_URL_SQS: endpoint,
  ...s3Endpoint,
});

export const AuditAnchorConfigSchema = BaseSchema.extend({
  AUDIT_LOG_TABLE: name,
  /** The object-locked bucket the chain heads are copied to. */
  AUDIT_ANCHOR_BUCKET: name,
  ...s3Endpoint,
  /** The inspection office hierarchy: each office has an audit chain. */
  OFFICES_FILE: name,
});
export type AuditAnchorConfig = z.infer<typeof AuditAnchorConfigSchema>;

/** `npm run audit`: where the audit log and its anchors are (the embedded stack's, or deployed ones). */
export const AuditToolConfigSchema = ToolBaseSchema.extend({
  AUDIT_LOG_TABLE: name,
  AUDIT_ANCHOR_BUCKET: name,
});
export type AuditToolConfig = z.infer<typeof AuditToolConfigSchema>;

/** `npm run rules -- backtest`: the decisions (with their facts) and the review queue (outcomes) it reads. */
export const BacktestToolConfigSchema = ToolBaseSchema.extend({
  DECISIONS_TABLE: name,
  REVIEW_QUEUE_TABLE: name,
  /** The deployment's: a candidate's watchlists must be hashed as the recorded facts' party keys are. */
  PARTY_KEY_SALT: partyKeySalt,
});

/** `npm run rules -- shadow`: what a backtest reads, without the salt (it screens nothing again). */
export const ShadowReportToolConfigSchema = BacktestToolConfigSchema.omit({ PARTY_KEY_SALT: true });

/** The actor a tool records in the audit log when `--actor` is not given (empty counts as unset). */
const toolUser = z
  .string()
  .optional()
  .transform((user) => (user === '' ? undefined : user));

/** `npm run lists`: the lists table it publishes to, the audit log it records in, the salt of watchlists. */
export const ListsToolConfigSchema = ToolBaseSchema.extend({
  LISTS_TABLE: name,
  AUDIT_LOG_TABLE: name,
  PARTY_KEY_SALT: partyKeySalt,
  USER: toolUser,
});
export type ListsToolConfig = z.infer<typeof ListsToolConfigSchema>;

/**
 * `npm run redrive`: the queues whose dead letters can be moved back (the one named must be set), and
 * the audit log a redrive is recorded in (not needed by `--list`, which changes nothing).
 */
export const RedriveToolConfigSchema = ToolBaseSchema.extend({
  SCREENING_QUEUE_URL: url.optional(),
  INSPECTION_QUEUE_URL: url.optional(),
  REFERRAL_QUEUE_URL: url.optional(),
  AUDIT_LOG_TABLE: name.optional(),
  USER: toolUser,
});
export type RedriveToolConfig = z.infer<typeof RedriveToolConfigSchema>;

/**
 * Whether a tool works on the embedded stack: its DynamoDB endpoint is on this machine, which AWS's never
 * is. Read from the endpoint itself, not a flag, so a shell that once sourced the embedded stack's env
 * file and then points at AWS is not taken for it.
 */
export const ToolTargetConfigSchema = z
  .object({ AWS_ENDPOINT_URL_DYNAMODB: z.string().optional() })
  .transform(({ AWS_ENDPOINT_URL_DYNAMODB: endpoint }) => ({
    embeddedStack: endpoint !== undefined && URL.canParse(endpoint) && isThisMachine(new URL(endpoint)),
  }));

/**
 * The analyst and operator tools that take paths (rules, lists): the folder npm was run from, which npm
 * names in INIT_CWD while it runs every script in the package root (see tools/user-directory.ts).
 */
export const UserDirectoryConfigSchema = z.object({ INIT_CWD: z.string().optional() });

/** `npm run partner`: the partners table whose secrets it rotates. */
/** `npm run partner`: the partners table it changes, the audit log it records each change in. */
export const PartnerToolConfigSchema = ToolBaseSchema.extend({
  PARTNERS_TABLE: name,
  AUDIT_LOG_TABLE: name,
  USER: toolUser,
});
export type PartnerToolConfig = z.infer<typeof PartnerToolConfigSchema>;

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
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    // A variable not set at all says so; one set to something unusable keeps the schema's reason.
    return issue.code === 'invalid_type' && env[name] === undefined
      ? `${name}: not set`
      : `${name}: ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
};
