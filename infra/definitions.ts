/**
 * The one source of truth for parcelguard's stateful resources: key schemas, indexes, queue
 * settings and which environment variable carries each resource's name to the functions.
 * The CDK stacks and the embedded local stack both build from this; neither repeats it. Data, and a
 * few pure functions over it that the functions read at run time too (a queue's backoff, a route's
 * roles): no CDK or SDK imports, so the local runner and the Lambda code can use it without synthesizing.
 */
import type { StaffRole } from '../functions/core/access/roles.js';

export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  name: string;
  type: AttributeType;
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
  /**
   * `keys`: the index holds only the keys, for readers that then get the item itself; `include`: the keys
   * and these attributes, for readers that need no more (a scan is charged by the size of what it reads).
   * Default `all`.
   */
  projection?: 'all' | 'keys' | { include: readonly string[] };
}

export interface TableDefinition {
  /** Environment variable through which functions learn the table name. */
  env: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
  indexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, where items expire. */
  timeToLiveAttribute?: string;
  /** Writers may only add items (PutItem), never change or delete one: an append-only log. */
  appendOnly?: true;
  /** Writers put whole items (and delete them, where granted), never update one in place: no UpdateItem. */
  putOnly?: true;
}

export const TABLES = {
  // Manifests, parcels, decisions and review items expire RECORD_RETENTION_DAYS after they were
  // written (functions/core/retention.ts).
  manifests: {
    env: 'MANIFESTS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
  },
  parcels: {
    env: 'PARCELS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
    putOnly: true,
  },
  decisions: {
    env: 'DECISIONS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
    indexes: [
      /**
       * Keys only, by month of decision and shard (`decidedMonth`, `2026-11#07`): a backtest reads the
       * decisions of its period, not every decision ever made (functions/adapters/decided-month.ts).
       */
      {
        indexName: 'byDecidedMonth',
        partitionKey: { name: 'decidedMonth', type: 'S' },
        sortKey: { name: 'decidedAt', type: 'S' },
        projection: 'keys',
      },
    ],
  },
  reviewQueue: {
    env: 'REVIEW_QUEUE_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
    indexes: [
      {
        indexName: 'byOfficeStatus',
        partitionKey: { name: 'officeStatus', type: 'S' },
        sortKey: { name: 'priority', type: 'S' },
      },
      /**
       * Sparse: only items whose action still owes its effects carry these attributes, so the review
       * sweep finds them, oldest first, without scanning the queue.
       */
      {
        indexName: 'byPendingSince',
        partitionKey: { name: 'pendingQueue', type: 'S' },
        sortKey: { name: 'pendingSince', type: 'S' },
        projection: 'keys',
      },
    ],
  },
  partyHistory: {
    env: 'PARTY_HISTORY_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    indexes: [
      {
        // Sparse: a party's day buckets by `bucket` (`<day>#<slot>`), their counts without the parcel
        // sets. A read of a bucket item is charged for its whole size (up to 400 KB on a busy party's
        // day), whatever it projects; a read of this index for what its counts weigh.
        indexName: 'bucketCounts',
        partitionKey: { name: 'pk', type: 'S' },
        sortKey: { name: 'bucket', type: 'S' },
        projection: { include: ['shipments', 'flags', 'links', 'origins'] },
      },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  /** Webhook ids seen per partner, kept for at least the signature tolerance window. */
  webhookDeliveries: {
    env: 'WEBHOOK_DELIVERIES_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
    putOnly: true,
  },
  /** Per-partner request counts per minute (manifest posts at ingest, status reads), for rate limiting. */
  partnerRateLimits: {
    env: 'PARTNER_RATE_LIMITS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
  },
  partners: {
    env: 'PARTNERS_TABLE',
    partitionKey: { name: 'partnerId', type: 'S' },
    indexes: [],
  },
  /** Hash chains of staff actions, one per inspection office; append-only, never expires. */
  auditLog: {
    env: 'AUDIT_LOG_TABLE',
    partitionKey: { name: 'chain', type: 'S' },
    sortKey: { name: 'seq', type: 'N' },
    indexes: [{ indexName: 'byAction', partitionKey: { name: 'actionId', type: 'S' } }],
    appendOnly: true,
  },
  /**
   * Published versions of the rule sets' lists (`npm run lists -- load`), every version kept:
   * partition `name` (the list id), sort `version`. Watchlists hold hashed values only.
   */
  lists: {
    env: 'LISTS_TABLE',
    partitionKey: { name: 'name', type: 'S' },
    sortKey: { name: 'version', type: 'N' },
    indexes: [],
    appendOnly: true,
  },
  /** Per-rule hits, inspections and seizures, per day of decision and shard. */
  ruleStatistics: {
    env: 'RULE_STATISTICS_TABLE',
    partitionKey: { name: 'ruleId', type: 'S' },
    sortKey: { name: 'counter', type: 'S' },
    indexes: [
      {
        // The counts without the marker sets, by region and shard (`regionShard`, `yunnan-guangxi#3`):
        // reading a region's statistics queries its shards from the first day asked, and costs what
        // those counts weigh, not every counter of every region, nor every parcel key a rule marked.
        indexName: 'countsByRegion',
        partitionKey: { name: 'regionShard', type: 'S' },
        sortKey: { name: 'counter', type: 'S' },
        projection: { include: ['hits', 'inspections', 'seizures'] },
      },
    ],
  },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof TABLES;

/** The names of a table's indexes. */
export type IndexName<T extends TableName> = (typeof TABLES)[T]['indexes'][number]['indexName'];

export interface QueueDefinition {
  /** Environment variable through which functions learn the queue URL. */
  env: string;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
  retentionDays: number;
  /**
   * The consuming function, when parcelguard itself consumes the queue. `maxConcurrency` caps the
   * invocations its event source runs at once (messages beyond it wait in the queue, never throttled or
   * counted as receives), so a backlog or a redrive cannot take the account's concurrency from the API
   * functions, or flood what the consumer calls.
   */
  consumer?: {
    functionName: string;
    batchSize: number;
    maxBatchingWindowSeconds: number;
    maxConcurrency: number;
  };
  /**
   * For a queue consumed downstream: alarm when its oldest message has waited longer than this, as its
   * consumer has then stopped reading (messages would expire unread after `retentionDays`).
   */
  unreadAlarmSeconds?: number;
  /**
   * When the consumer backs a failed message off with ChangeMessageVisibility instead of letting its
   * visibility timeout run out: up to `baseSeconds` after the first receive, doubling, at most
   * `maxSeconds`; each delay drawn between half of that and all of it (see jitteredBackoffSeconds).
   */
  backoff?: { baseSeconds: number; maxSeconds: number };
}

/** Slack on top of the longest a healthy consumer lets a message wait, before the stalled-queue alarm. */
const STALLED_MARGIN_SECONDS = 300;

/**
 * The age past which a consumed queue's oldest message means its consumer has stopped: older than a
 * message whose every receive times out gets before it is dead-lettered, and than two of the consumer's
 * longest waits (its visibility timeout, or its backoff ceiling: notify honours a callback's Retry-After
 * up to it from the first receive on), since SQS's age metric leaves out a message received three times.
 */
export const stalledAfterSeconds = (definition: QueueDefinition): number => {
  const longestWait = Math.max(definition.visibilityTimeoutSeconds, definition.backoff?.maxSeconds ?? 0);
  const deadLettered = definition.visibilityTimeoutSeconds * definition.maxReceiveCount;
  return Math.max(deadLettered, 2 * longestWait) + STALLED_MARGIN_SECONDS;
};

/** The longest the consumer keeps a message invisible after its `receiveCount`-th receive fails, by backoff. */
export const backoffSeconds = (
  backoff: NonNullable<QueueDefinition['backoff']>,
  receiveCount: number,
): number => Math.min(backoff.maxSeconds, backoff.baseSeconds * 2 ** Math.max(0, receiveCount - 1));

/**
 * The delay actually set after the `receiveCount`-th failed receive: whole seconds between half of
 * backoffSeconds and all of it, placed by `random` (in [0, 1)). Referrals that failed together (a
 * partner's endpoint down for a minute) then come back spread out, not all in the same second, every
 * time; the half kept fixed still lets a struggling receiver rest at least that long.
 */
export const jitteredBackoffSeconds = (
  backoff: NonNullable<QueueDefinition['backoff']>,
  receiveCount: number,
  random: number,
): number => {
  const ceiling = backoffSeconds(backoff, receiveCount);
  return Math.ceil((ceiling / 2) * (1 + random));
};

/**
 * The log message (JSON `message`) of the screen function when a published list cannot be used with the
 * bundled rule set: screening goes on with the bundled file, and a metric filter on it raises an alarm.
 */
export const PUBLISHED_LIST_REFUSED = 'published list refused';

/**
 * The log message of the screen function for each screening message it screened, with `parcels` and
 * `flagged` counts: a metric filter sums `flagged` an hour, and an anomaly alarm watches that sum.
 */
export const PARCELS_SCREENED = 'parcels screened';

/**
 * The log message of the screen function when the shadow rule set cannot be read or compiled: screening
 * goes on without it, and a metric filter on it raises an alarm.
 */
export const SHADOW_RULE_SET_REFUSED = 'shadow rule set refused';

/**
 * The log message of the screen function when a check of the published lists fails (the lists table
 * unreadable: a lost permission, a throttled table): screening goes on with the lists it read before, and
 * a metric filter on it raises an alarm.
 */
export const LISTS_NOT_REFRESHED = 'published lists not refreshed';

/**
 * The log message (warn) of the screen function when a party's day is full (DynamoDB's item size, every
 * overflow bucket too): that party's later parcels that day are not counted for it, its busiest party
 * being the one whose counts stop. The line names the key, region and day; a metric filter on it raises
 * an alarm (docs/parties-and-history.md, Busy parties).
 */
export const PARTY_DAY_FULL = 'party day full';

/**
 * The log message (warn) of the screen function when a shared counterparts item (one indicator, source
 * region and month) is full: that indicator's later counterparts that month are not shared. The line
 * names the key, region and month; a metric filter on it raises an alarm.
 */
export const SHARED_COUNTERPARTS_FULL = 'shared counterparts full';

/**
 * The log message of ingest answering 503 by design: another delivery of the same manifest is being
 * handled, or an earlier version of it taken back ("send it again after retry-after"). These are a
 * partner's retries, not an outage: a metric filter counts them, and the API's 503 alarm leaves them out.
 */
export const DELIVERY_DEFERRED = 'delivery deferred';

/**
 * Whole-number settings of the screen function a deployment chooses (`-c controlSamplePerMille`,
 * `-c listRefreshSeconds`): their bounds and defaults, checked at synthesis and again by the function.
 */
export const SCREEN_SETTINGS = {
  controlSamplePerMille: { min: 0, max: 1_000, default: 0 },
  listRefreshSeconds: { min: 10, max: 3_600, default: 300 },
} as const;

/** The review function's settings: a queue page's size (`LIST_PAGE_SIZE`), and the most `limit` may ask for. */
export const REVIEW_SETTINGS = {
  listPageSize: { min: 1, max: 100, default: 25 },
} as const;

/**
 * SQS keeps a message at most 14 days, counted from when it was first sent, also once it is moved to a
 * dead-letter queue. Dead-letter queues keep the full 14 days and source queues 7, so a dead letter
 * is kept at least 7 days after it arrives, whenever that is.
 */
export const DEAD_LETTER_RETENTION_DAYS = 14;
const SOURCE_RETENTION_DAYS = 7;

/** The timeouts of the functions that consume a queue: FUNCTIONS and their queue's visibility share them. */
const SCREEN_TIMEOUT_SECONDS = 30;
// A batch of 10 callbacks at up to 15 s each (Standard Webhooks asks receivers to answer within
// 15–30 s), concurrently, with room to spare.
const NOTIFY_TIMEOUT_SECONDS = 40;

// Screen's DynamoDB writes (party history, rule statistics) share hot keys; 50 at once is ~500 parcels.
const SCREENING_CONSUMER = {
  functionName: 'screen',
  batchSize: 10,
  maxBatchingWindowSeconds: 1,
  maxConcurrency: 50,
} as const;
// Partners' callback endpoints are not ours to flood.
const REFERRAL_CONSUMER = {
  functionName: 'notify',
  batchSize: 10,
  maxBatchingWindowSeconds: 1,
  maxConcurrency: 5,
} as const;

/**
 * A consumed queue's visibility timeout as AWS advises for a Lambda event source: six times the
 * function's timeout plus the batching window, so that a batch still running (or retried after a
 * throttle) is not received a second time.
 */
const consumerVisibilitySeconds = (
  functionTimeoutSeconds: number,
  consumer: NonNullable<QueueDefinition['consumer']>,
): number => 6 * functionTimeoutSeconds + consumer.maxBatchingWindowSeconds;

export const QUEUES = {
  screening: {
    env: 'SCREENING_QUEUE_URL',
    visibilityTimeoutSeconds: consumerVisibilitySeconds(SCREEN_TIMEOUT_SECONDS, SCREENING_CONSUMER),
    maxReceiveCount: 5,
    retentionDays: SOURCE_RETENTION_DAYS,
    consumer: SCREENING_CONSUMER,
  },
  /** ParcelFlagged v1 for the inspection systems downstream; parcelguard only produces to it. */
  inspection: {
    env: 'INSPECTION_QUEUE_URL',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    retentionDays: SOURCE_RETENTION_DAYS,
    unreadAlarmSeconds: 3_600,
  },
  /**
   * ParcelReferred v1 for the partners' callback URLs. The notify function backs off failed deliveries
   * with ChangeMessageVisibility (30 s doubling, at most an hour, each wait jittered between half and
   * all of it), so the 8th attempt comes 32–64 minutes after the first, and the DLQ 1–2 hours after it.
   */
  referral: {
    env: 'REFERRAL_QUEUE_URL',
    visibilityTimeoutSeconds: consumerVisibilitySeconds(NOTIFY_TIMEOUT_SECONDS, REFERRAL_CONSUMER),
    maxReceiveCount: 8,
    retentionDays: SOURCE_RETENTION_DAYS,
    consumer: REFERRAL_CONSUMER,
    backoff: { baseSeconds: 30, maxSeconds: 3_600 },
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof QUEUES;

export interface BucketDefinition {
  /** Environment variable through which functions learn the bucket name. */
  env: string;
  /** The folder its writers put objects in, and the only one they may. */
  prefix: string;
  /** Every object is locked this long in compliance mode: nobody, root included, overwrites or deletes it. */
  lockDays: number;
}

export const BUCKETS = {
  /**
   * Heads of the audit chains, copied on a schedule (functions/core/audit/audit-anchor.ts): what a writer
   * of the audit log table cannot rewrite. Seven years, the life of the customs records they vouch for.
   */
  auditAnchors: { env: 'AUDIT_ANCHOR_BUCKET', prefix: 'anchors/', lockDays: 2_557 },
} as const satisfies Record<string, BucketDefinition>;

export type BucketName = keyof typeof BUCKETS;

/** The longest AWS region name (`ap-southeast-2`), for the bucket name length check. */
const LONGEST_AWS_REGION = 14;

/**
 * A bucket's name, fixed rather than generated so that a function's grant can name it without a
 * reference to the data stack: the region (tenant), the bucket, the account and the AWS region, unique
 * across S3. `account` and `awsRegion` are tokens at synthesis. Fails for a region id that would make a
 * name longer than S3's 63 characters.
 */
export const bucketNameOf = (
  regionId: string,
  bucket: BucketName,
  account: string,
  awsRegion: string,
): string => {
  const kebab = bucket.replaceAll(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  const longest = `${regionId}-${kebab}-${'0'.repeat(12)}-${'x'.repeat(LONGEST_AWS_REGION)}`;
  if (longest.length > 63)
    throw new Error(`regionId ${regionId} is too long: bucket ${bucket} would be named over 63 characters`);
  return `${regionId}-${kebab}-${account}-${awsRegion}`;
};

export interface FunctionDefinition {
  /** Handler module, relative to the repository root. */
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
  /**
   * Tables the function reads (get, batch get, query), writes (put, update), and the few it scans or
   * deletes from: least privilege, so a compromised screen cannot delete the first decision ever recorded,
   * nor a partner-facing function enumerate every partner's secrets with one scan.
   */
  tables: {
    read: TableName[];
    write: TableName[];
    scan?: TableName[];
    delete?: TableName[];
    /** The indexes it queries, by table (of `read`): a reader may query these and no other index. */
    query?: { [T in TableName]?: IndexName<T>[] };
  };
  sendsTo: QueueName[];
  /** Buckets the function adds objects to: new objects only (a conditional PutObject), and reads them back. */
  putsInto?: BucketName[];
  /** Deployment secrets the function reads at cold start (see SECRETS). */
  secrets: SecretName[];
  /** Bundle the rule sets beside the handler. */
  needsRules?: boolean;
  /**
   * Bundle only the deployed rule set's rule-set file (no lists: watchlists hold phones and names in
   * clear) and point RULES_DIR at its folder: for a function that reads the rules, never compiles them.
   */
  needsRuleSetFile?: boolean;
  /**
   * Bundle `rules/reference/offices.yaml` (the inspection office hierarchy) and point `OFFICES_FILE`
   * at it.
   */
  needsOffices?: boolean;
  /**
   * Bundle `rules/sharing/agreements.yaml` (which regions share seizure indicators) and point
   * `SHARING_AGREEMENTS_FILE` at it.
   */
  needsSharingAgreements?: boolean;
  /**
   * Bundle `functions/console/assets` (the officers' console: HTML, script, styles) and point
   * `CONSOLE_ASSETS_DIR` at it.
   */
  needsConsoleAssets?: boolean;
  /**
   * Tell the officers' console where staff sign in: `STAFF_SIGN_IN_URL` (the user pool's managed login
   * domain) and `STAFF_CLIENT_ID` (the console's app client). Without them the console takes a pasted token.
   */
  signsInStaff?: boolean;
  /** Holds released parcels at random as control samples: gets `CONTROL_SAMPLE_PER_MILLE` (`-c controlSamplePerMille`). */
  samplesControls?: boolean;
  /** Re-reads published lists while warm: gets `LIST_REFRESH_SECONDS` (`-c listRefreshSeconds`). */
  refreshesLists?: boolean;
  /** Evaluates the shadow rule set, if one is deployed (`-c shadowRuleSet`): gets `SHADOW_RULES_DIR`. */
  screensInShadow?: boolean;
  /** Invoked on a timer (an EventBridge schedule; the embedded stack plays it) every this many minutes. */
  everyMinutes?: number;
}

export const FUNCTIONS = {
  ingest: {
    entry: 'functions/ingest/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: {
      // The rate limiter only adds to its counters (a conditional update), so it is written, never read.
      read: ['partners', 'manifests', 'parcels', 'webhookDeliveries'],
      write: ['manifests', 'parcels', 'webhookDeliveries', 'partnerRateLimits'],
      // A manifest refused midway (a parcel id taken by a concurrent manifest) takes back what it stored.
      delete: ['manifests', 'parcels'],
    },
    secrets: ['partyKeySalt'],
    sendsTo: ['screening'],
    needsOffices: true,
  },
  screen: {
    entry: 'functions/screen/handler.ts',
    timeoutSeconds: SCREEN_TIMEOUT_SECONDS,
    memoryMb: 1024,
    tables: {
      // The newest list versions are read at cold start and every LIST_REFRESH_SECONDS, over the bundled list files.
      read: ['decisions', 'partyHistory', 'lists'],
      write: ['decisions', 'partyHistory', 'reviewQueue', 'ruleStatistics'],
      query: { partyHistory: ['bucketCounts'] },
    },
    // Watchlists are hashed with the party-key salt when the rule set is loaded.
    secrets: ['partyKeySalt'],
    sendsTo: ['inspection', 'referral'],
    needsRules: true,
    // Each parcel's inspection office must be in the message's region (functions/screen/screen-parcels.ts).
    needsOffices: true,
    needsSharingAgreements: true,
    samplesControls: true,
    refreshesLists: true,
    screensInShadow: true,
  },
  /** Staff work the review queue: list, claim, release, outcome, correction. */
  review: {
    entry: 'functions/review/handler.ts',
    timeoutSeconds: 15,
    memoryMb: 512,
    tables: {
      // Outcomes add to rule statistics, which only the statistics function reads.
      read: ['reviewQueue', 'decisions', 'partyHistory', 'auditLog'],
      write: ['reviewQueue', 'partyHistory', 'ruleStatistics', 'auditLog'],
      // An office's queue; an audit entry by its action id (a retried action is recorded once).
      query: { reviewQueue: ['byOfficeStatus'], auditLog: ['byAction'] },
    },
    secrets: [],
    sendsTo: [],
    needsOffices: true,
    // A seizure's hashed indicators are shared with the regions the agreements name.
    needsSharingAgreements: true,
  },
  /**
   * Finishes what an interrupted staff action still owes (audit entry, feedback to history and
   * statistics) when nobody acts on the parcel again: without it a crash after an outcome was stored
   * would leave the outcome unaudited and its seizure unknown to the history.
   */
  reviewSweep: {
    entry: 'functions/review-sweep/handler.ts',
    timeoutSeconds: 120,
    memoryMb: 256,
    tables: {
      read: ['reviewQueue', 'partyHistory', 'auditLog'],
      write: ['reviewQueue', 'partyHistory', 'ruleStatistics', 'auditLog'],
      // The actions still owing effects, oldest first; an audit entry by its action id.
      query: { reviewQueue: ['byPendingSince'], auditLog: ['byAction'] },
    },
    secrets: [],
    sendsTo: [],
    needsSharingAgreements: true,
    everyMinutes: 5,
  },
  /**
   * Copies the head of every audit chain to the object-locked anchor bucket, so that `npm run audit --
   * verify` finds a rewritten or truncated chain (functions/core/audit/audit-anchor.ts).
   */
  auditAnchor: {
    entry: 'functions/audit-anchor/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { read: ['auditLog'], write: [] },
    secrets: [],
    sendsTo: [],
    putsInto: ['auditAnchors'],
    // Every office of the hierarchy is an audit chain.
    needsOffices: true,
    everyMinutes: 15,
  },
  /** A partner reads what it may know of its manifest: per parcel, release / hold / do-not-load. */
  partnerStatus: {
    entry: 'functions/partner-status/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    // Status reads are counted per partner (the rate limiter only adds to its counters).
    tables: { read: ['partners', 'manifests', 'decisions'], write: ['partnerRateLimits'] },
    secrets: [],
    sendsTo: [],
  },
  /** Delivers referrals to partners' callback URLs as signed webhooks; consumes the referral queue. */
  notify: {
    entry: 'functions/notify/handler.ts',
    // The referral queue's visibility is 6× this plus the batching window (consumerVisibilitySeconds).
    timeoutSeconds: NOTIFY_TIMEOUT_SECONDS,
    memoryMb: 256,
    tables: { read: ['partners'], write: [] },
    secrets: [],
    sendsTo: [],
  },
  /** Analysts read per-rule statistics. */
  statistics: {
    entry: 'functions/statistics/handler.ts',
    timeoutSeconds: 15,
    memoryMb: 256,
    // Statistics are read from the `countsByRegion` index: the caller's region, from the day asked.
    tables: { read: ['ruleStatistics'], write: [], query: { ruleStatistics: ['countsByRegion'] } },
    secrets: [],
    sendsTo: [],
    // Lists every rule of the deployed rule set (screen's), counted or not: read, never compiled.
    needsRuleSetFile: true,
    needsOffices: true,
  },
  /**
   * The API's `$default` route: a problem document (404, or 405 with `allow`) for any unrouted request,
   * and the description of a problem type at its path (`GET /problems/validation-failed`).
   */
  noRoute: {
    entry: 'functions/no-route/handler.ts',
    timeoutSeconds: 3,
    memoryMb: 256,
    tables: { read: [], write: [] },
    secrets: [],
    sendsTo: [],
  },
  /**
   * Serves the officers' console: a static page, its script and styles and where staff sign in (no data,
   * no token); and, to staff, the inspection offices their grants cover (the console's office choices).
   */
  console: {
    entry: 'functions/console/handler.ts',
    timeoutSeconds: 5,
    memoryMb: 128,
    tables: { read: [], write: [] },
    secrets: [],
    sendsTo: [],
    needsConsoleAssets: true,
    needsOffices: true,
    signsInStaff: true,
  },
  /** Analysts and officers read the neighbourhood of a party (hashed keys, counts) in their region. */
  parties: {
    entry: 'functions/parties/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: { read: ['partyHistory'], write: [], query: { partyHistory: ['bucketCounts'] } },
    secrets: [],
    sendsTo: [],
    needsOffices: true,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof FUNCTIONS;

/**
 * How API Gateway authenticates a route before the function runs.
 * `webhook-signature`: none at the gateway; the function verifies the partner's Standard Webhooks HMAC.
 * `staff`: the gateway's JWT authorizer (Cognito user pool; the local issuer on the embedded stack)
 * verifies the bearer token and hands its claims to the function, which checks `roles` and office scope.
 * `public`: none at all; static content that carries no data (the console's page, script and styles).
 * The console then calls the staff routes with the officer's bearer token.
 */
export type RouteAuth = 'webhook-signature' | 'staff' | 'public';

export interface RouteDefinition {
  method: 'GET' | 'POST';
  path: string;
  functionName: FunctionName;
  auth: RouteAuth;
  /** Staff routes: the roles (Cognito groups) allowed, in order of preference when a user has several. */
  roles?: readonly StaffRole[];
}

/** HTTP routes served by the API, and the function behind each. */
export const ROUTES = [
  { method: 'POST', path: '/v1/manifests', functionName: 'ingest', auth: 'webhook-signature' },
  {
    method: 'GET',
    path: '/v1/manifests/{manifestId}',
    functionName: 'partnerStatus',
    auth: 'webhook-signature',
  },
  {
    method: 'GET',
    path: '/v1/inspections',
    functionName: 'review',
    auth: 'staff',
    roles: ['officer', 'analyst', 'admin'],
  },
  /** One flagged parcel of the caller's offices, by partner and house document number, as the queue lists it. */
  {
    method: 'GET',
    path: '/v1/inspections/{partnerId}/{parcelId}',
    functionName: 'review',
    auth: 'staff',
    roles: ['officer', 'analyst', 'admin'],
  },
  {
    method: 'POST',
    path: '/v1/inspections/{partnerId}/{parcelId}/claim',
    functionName: 'review',
    auth: 'staff',
    roles: ['officer'],
  },
  {
    method: 'POST',
    path: '/v1/inspections/{partnerId}/{parcelId}/release',
    functionName: 'review',
    auth: 'staff',
    roles: ['officer'],
  },
  {
    method: 'POST',
    path: '/v1/inspections/{partnerId}/{parcelId}/outcome',
    functionName: 'review',
    auth: 'staff',
    roles: ['officer'],
  },
  {
    method: 'POST',
    path: '/v1/inspections/{partnerId}/{parcelId}/correction',
    functionName: 'review',
    auth: 'staff',
    roles: ['admin'],
  },
  {
    method: 'GET',
    path: '/v1/rules/statistics',
    functionName: 'statistics',
    auth: 'staff',
    roles: ['analyst', 'admin'],
  },
  /** The inspection offices the caller's grants cover, which the queue can be listed for. */
  {
    method: 'GET',
    path: '/v1/offices',
    functionName: 'console',
    auth: 'staff',
    roles: ['officer', 'analyst', 'admin'],
  },
  { method: 'GET', path: '/console', functionName: 'console', auth: 'public' },
  { method: 'GET', path: '/console/{asset}', functionName: 'console', auth: 'public' },
  {
    method: 'GET',
    path: '/v1/parties/{key}/links',
    functionName: 'parties',
    auth: 'staff',
    roles: ['analyst', 'officer'],
  },
] as const satisfies readonly RouteDefinition[];

/** The staff roles a route allows; empty for a route that is not a staff route (or not in ROUTES). */
export const rolesOfRoute = (routeKey: string): readonly StaffRole[] => {
  const route: RouteDefinition | undefined = ROUTES.find(
    (candidate) => `${candidate.method} ${candidate.path}` === routeKey,
  );
  return route?.auth === 'staff' ? (route.roles ?? []) : [];
};

/** Deployment-wide secrets: generated at deploy time, handed to functions by environment variable. */
export const SECRETS = {
  /** Salt of the hashed party keys; shared by every function that derives or compares them. */
  partyKeySalt: { env: 'PARTY_KEY_SALT' },
} as const satisfies Record<string, { env: string }>;

export type SecretName = keyof typeof SECRETS;

/**
 * An operator tool that works on a deployment (`npm run <tool>` with the data stack's outputs set): what
 * its users' IAM policy grants. The data stack makes one managed policy per tool (`<Tool>ToolPolicyArn`)
 * for an administrator to attach to whoever runs it; the tests run the tools under the same grants.
 */
export interface ToolDefinition {
  /** The script `npm run <tool>` runs, relative to the repository root. */
  entry: string;
  /** Who runs it, for what: the managed policy's description. */
  description: string;
  /** The tool's commands that reach the deployment, where its others work on files only; all by default. */
  awsCommands?: string[];
  /** As a function's (FunctionDefinition.tables). */
  tables: FunctionDefinition['tables'];
  /** Queues whose dead letters it moves back: receives and deletes on the dead-letter queue, sends to the queue. */
  redrives?: QueueName[];
  /** Buckets of audit anchors it lists and reads, every version, and adds new objects to. */
  anchors?: BucketName[];
  /**
   * Tables of which it may touch only the items under these partition keys (dynamodb:LeadingKeys), its
   * index queries aside: the lists tool appends to and reads the audit chain `rules`, no office's.
   */
  onlyKeys?: { [T in TableName]?: string[] };
  /** Deployment secrets its user reads to set the tool's variable (`aws secretsmanager get-secret-value`). */
  secrets: SecretName[];
}

export const TOOLS = {
  rules: {
    entry: 'functions/tools/rules-cli.ts',
    description:
      'Risk analysts: npm run rules -- backtest | shadow, which read the decisions of a period and their review items',
    awsCommands: ['backtest', 'shadow'],
    tables: { read: ['decisions', 'reviewQueue'], write: [], query: { decisions: ['byDecidedMonth'] } },
    secrets: ['partyKeySalt'],
  },
  lists: {
    entry: 'functions/tools/lists-cli.ts',
    description:
      'Risk analysts: npm run lists -- load | rollback, which publish list versions and audit them',
    tables: { read: ['lists', 'auditLog'], write: ['lists', 'auditLog'], query: { auditLog: ['byAction'] } },
    // RULES_AUDIT_CHAIN (functions/core/audit/audit-chain.ts)
    onlyKeys: { auditLog: ['rules'] },
    secrets: ['partyKeySalt'],
  },
  audit: {
    entry: 'functions/tools/audit-cli.ts',
    description:
      'Auditors: npm run audit -- verify | anchor | show, which recompute the audit chains, anchor their heads and list entries',
    tables: { read: ['auditLog'], write: [], scan: ['auditLog'] },
    anchors: ['auditAnchors'],
    secrets: [],
  },
  redrive: {
    entry: 'functions/tools/redrive.ts',
    description:
      'Operators: npm run redrive, which moves dead-lettered messages back to their queue and audits the run',
    tables: { read: ['auditLog'], write: ['auditLog'], query: { auditLog: ['byAction'] } },
    // OPERATIONS_AUDIT_CHAIN (functions/core/audit/audit-chain.ts)
    onlyKeys: { auditLog: ['operations'] },
    redrives: ['screening', 'inspection', 'referral'],
    secrets: [],
  },
  partner: {
    entry: 'functions/tools/partner.ts',
    description:
      'Operators: npm run partner -- add | rotate | callback, which manage the logistics partners and audit each change',
    tables: {
      read: ['partners', 'auditLog'],
      write: ['partners', 'auditLog'],
      query: { auditLog: ['byAction'] },
    },
    // OPERATIONS_AUDIT_CHAIN (functions/core/audit/audit-chain.ts)
    onlyKeys: { auditLog: ['operations'] },
    secrets: [],
  },
} as const satisfies Record<string, ToolDefinition>;

export type ToolName = keyof typeof TOOLS;

/** The functions run on a timer, with their period: an EventBridge schedule each, played locally by `npm start`. */
export const scheduledFunctions = (): { name: FunctionName; everyMinutes: number }[] =>
  (Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][]).flatMap(([name, definition]) =>
    definition.everyMinutes === undefined ? [] : [{ name, everyMinutes: definition.everyMinutes }],
  );

/** The function consuming a queue; fails loudly when a queue names a function that does not exist. */
export const consumerOf = (queue: QueueName): FunctionName | undefined => {
  const definition: QueueDefinition = QUEUES[queue];
  if (!definition.consumer) return undefined;
  const name = definition.consumer.functionName;
  if (!(name in FUNCTIONS)) throw new Error(`queue ${queue} is consumed by unknown function ${name}`);
  return name as FunctionName;
};
