/**
 * The one source of truth for parcelguard's stateful resources: key schemas, indexes, queue
 * settings and which environment variable carries each resource's name to the functions.
 * The CDK data stack and the embedded local stack both build from this; neither repeats it.
 * Plain data only: no CDK or SDK imports, so the local runner can use it without synthesizing.
 */

export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  name: string;
  type: AttributeType;
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
}

export interface TableDefinition {
  /** Environment variable through which functions learn the table name. */
  env: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
  indexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, where items expire. */
  timeToLiveAttribute?: string;
}

export const TABLES = {
  manifests: {
    env: 'MANIFESTS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    indexes: [],
  },
  parcels: {
    env: 'PARCELS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    indexes: [
      {
        indexName: 'byManifest',
        partitionKey: { name: 'manifestPk', type: 'S' },
        sortKey: { name: 'parcelId', type: 'S' },
      },
    ],
  },
  decisions: {
    env: 'DECISIONS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    indexes: [],
  },
  reviewQueue: {
    env: 'REVIEW_QUEUE_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    indexes: [
      {
        indexName: 'byOfficeStatus',
        partitionKey: { name: 'officeStatus', type: 'S' },
        sortKey: { name: 'priority', type: 'S' },
      },
    ],
  },
  partyHistory: {
    env: 'PARTY_HISTORY_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
  },
  partners: {
    env: 'PARTNERS_TABLE',
    partitionKey: { name: 'partnerId', type: 'S' },
    indexes: [],
  },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof TABLES;

export interface QueueDefinition {
  /** Environment variable through which functions learn the queue URL. */
  env: string;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
  retentionDays: number;
  /** The consuming function, when parcelguard itself consumes the queue. */
  consumer?: { functionName: string; batchSize: number; maxBatchingWindowSeconds: number };
}

export const QUEUES = {
  screening: {
    env: 'SCREENING_QUEUE_URL',
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    retentionDays: 14,
    consumer: { functionName: 'screen', batchSize: 10, maxBatchingWindowSeconds: 1 },
  },
  /** ParcelFlagged v1 for the inspection systems downstream; parcelguard only produces to it. */
  inspection: {
    env: 'INSPECTION_QUEUE_URL',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof QUEUES;

export interface FunctionDefinition {
  /** Handler module, relative to the repository root. */
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
  tables: { read: TableName[]; write: TableName[] };
  sendsTo: QueueName[];
  /** Deployment secrets the function reads at cold start (see SECRETS). */
  secrets: SecretName[];
  /** Bundle the rule sets beside the handler. */
  needsRules?: boolean;
}

export const FUNCTIONS = {
  ingest: {
    entry: 'functions/ingest/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: { read: ['partners', 'manifests'], write: ['manifests', 'parcels'] },
    secrets: ['partyKeySalt'],
    sendsTo: ['screening'],
  },
  screen: {
    entry: 'functions/screen/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 1024,
    tables: { read: ['decisions', 'partyHistory'], write: ['decisions', 'partyHistory', 'reviewQueue'] },
    secrets: [],
    sendsTo: ['inspection'],
    needsRules: true,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof FUNCTIONS;

/**
 * How API Gateway authenticates a route before the function runs.
 * `webhook-signature`: none at the gateway; the function verifies the partner's Standard Webhooks HMAC.
 */
export type RouteAuth = 'webhook-signature';

/** HTTP routes served by the API, and the function behind each. */
export const ROUTES = [
  { method: 'POST', path: '/v1/manifests', functionName: 'ingest', auth: 'webhook-signature' },
] as const satisfies {
  method: string;
  path: string;
  functionName: FunctionName;
  auth: RouteAuth;
}[];

/** Deployment-wide secrets: generated at deploy time, handed to functions by environment variable. */
export const SECRETS = {
  /** Salt of the hashed party keys; shared by every function that derives or compares them. */
  partyKeySalt: { env: 'PARTY_KEY_SALT' },
} as const satisfies Record<string, { env: string }>;

export type SecretName = keyof typeof SECRETS;

/** The function consuming a queue; fails loudly when a queue names a function that does not exist. */
export const consumerOf = (queue: QueueName): FunctionName | undefined => {
  const definition: QueueDefinition = QUEUES[queue];
  if (!definition.consumer) return undefined;
  const name = definition.consumer.functionName;
  if (!(name in FUNCTIONS)) throw new Error(`queue ${queue} is consumed by unknown function ${name}`);
  return name as FunctionName;
};
