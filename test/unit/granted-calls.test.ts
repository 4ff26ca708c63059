import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { translateAwsError } from '../../functions/adapters/aws-errors.js';
import {
  GrantCheck,
  inRoleOf,
  loadInRoleOf,
  refusedCallsError,
} from '../../functions/local/granted-calls.js';
import {
  type AwsService,
  grantsNeeded,
  type LocalResources,
  leadingKeysOf,
} from '../../functions/local/grants-needed.js';
import type { ToolName } from '../../infra/definitions.js';
import { grantsOf, toolGrantsOf } from '../../infra/grants.js';

const RESOURCES: LocalResources = {
  tables: {
    manifests: 'local-manifests',
    parcels: 'local-parcels',
    decisions: 'local-decisions',
    reviewQueue: 'local-reviewQueue',
    partyHistory: 'local-partyHistory',
    webhookDeliveries: 'local-webhookDeliveries',
    partnerRateLimits: 'local-partnerRateLimits',
    partners: 'local-partners',
    auditLog: 'local-auditLog',
    lists: 'local-lists',
    ruleStatistics: 'local-ruleStatistics',
  },
  queues: {
    screening: { url: 'http://q/screening', dlqUrl: 'http://q/screening-dlq' },
    inspection: { url: 'http://q/inspection', dlqUrl: 'http://q/inspection-dlq' },
    referral: { url: 'http://q/referral', dlqUrl: 'http://q/referral-dlq' },
  },
  buckets: { auditAnchors: 'local-auditanchors' },
};

describe('grantsNeeded', () => {
  it.each<[string, AwsService, string, Record<string, unknown>, string[]]>([
    ['a put', 'dynamodb', 'PutItemCommand', { TableName: 'local-parcels' }, ['dynamodb:PutItem parcels']],
    [
      'a query of an index',
      'dynamodb',
      'QueryCommand',
      { TableName: 'local-decisions', IndexName: 'byDecidedMonth' },
      ['dynamodb:Query decisions/index/byDecidedMonth'],
    ],
    [
      'a batch read of two tables',
      'dynamodb',
      'BatchGetItemCommand',
      { RequestItems: { 'local-decisions': {}, 'local-parcels': {} } },
      ['dynamodb:BatchGetItem decisions', 'dynamodb:BatchGetItem parcels'],
    ],
    [
      'a table the stack does not have',
      'dynamodb',
      'GetItemCommand',
      { TableName: 'elsewhere' },
      ['dynamodb:GetItem unknown:elsewhere'],
    ],
    [
      'a batch send, authorized as SendMessage',
      'sqs',
      'SendMessageBatchCommand',
      { QueueUrl: 'http://q/screening' },
      ['sqs:SendMessage screening'],
    ],
    [
      'a dead-letter queue',
      'sqs',
      'ReceiveMessageCommand',
      { QueueUrl: 'http://q/referral-dlq' },
      ['sqs:ReceiveMessage referral-dlq'],
    ],
    [
      'a new object under the prefix',
      's3',
      'PutObjectCommand',
      { Bucket: 'local-auditanchors', Key: 'anchors/2026/x.json', IfNoneMatch: '*' },
      ['s3:PutObject auditAnchors/anchors/*'],
    ],
    [
      'an object put over whatever is there',
      's3',
      'PutObjectCommand',
      { Bucket: 'local-auditanchors', Key: 'anchors/2026/x.json' },
      ['s3:PutObject without If-None-Match auditAnchors/anchors/*'],
    ],
    [
      'an object outside the prefix',
      's3',
      'GetObjectCommand',
      { Bucket: 'local-auditanchors', Key: 'elsewhere/x.json' },
      ['s3:GetObject auditAnchors/elsewhere/x.json'],
    ],
    [
      'a head, authorized as GetObject',
      's3',
      'HeadObjectCommand',
      { Bucket: 'local-auditanchors', Key: 'anchors/x.json' },
      ['s3:GetObject auditAnchors/anchors/*'],
    ],
    [
      'a queue URL asked for by name',
      'sqs',
      'GetQueueUrlCommand',
      { QueueName: 'screening' },
      ['sqs:GetQueueUrl screening'],
    ],
    [
      'a transaction, part by part',
      'dynamodb',
      'TransactWriteItemsCommand',
      {
        TransactItems: [
          { Put: { TableName: 'local-parcels' } },
          { Update: { TableName: 'local-manifests' } },
          { ConditionCheck: { TableName: 'local-decisions' } },
        ],
      },
      ['dynamodb:PutItem parcels', 'dynamodb:UpdateItem manifests', 'dynamodb:ConditionCheckItem decisions'],
    ],
    [
      'a listing of the bucket',
      's3',
      'ListObjectsV2Command',
      { Bucket: 'local-auditanchors', Prefix: 'anchors/' },
      ['s3:ListBucket auditAnchors'],
    ],
    [
      'an older version of an object',
      's3',
      'GetObjectCommand',
      { Bucket: 'local-auditanchors', Key: 'anchors/x.json', VersionId: 'v1' },
      ['s3:GetObjectVersion auditAnchors/anchors/*'],
    ],
    [
      'a new object locked, held and tagged as it is put',
      's3',
      'PutObjectCommand',
      {
        Bucket: 'local-auditanchors',
        Key: 'anchors/x.json',
        IfNoneMatch: '*',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockLegalHoldStatus: 'ON',
        Tagging: 'a=b',
        ACL: 'private',
      },
      [
        's3:PutObject auditAnchors/anchors/*',
        's3:PutObjectRetention auditAnchors/anchors/*',
        's3:PutObjectLegalHold auditAnchors/anchors/*',
        's3:PutObjectAcl auditAnchors/anchors/*',
        's3:PutObjectTagging auditAnchors/anchors/*',
      ],
    ],
  ])('names what %s needs', (_, service, command, input, expected) => {
    // Act
    const needed = grantsNeeded(service, command, input, RESOURCES);

    // Assess
    expect(needed).toEqual(expected);
  });

  it('asks of a function what its grants give it, for its own calls', () => {
    // Assess: ingest stores parcels whole and deletes a refused manifest's; statistics only reads counts
    expect(grantsOf('ingest')).toContain(
      grantsNeeded('dynamodb', 'PutItemCommand', { TableName: 'local-parcels' }, RESOURCES)[0],
    );
    expect(grantsOf('ingest')).not.toContain('dynamodb:UpdateItem parcels');
    expect(grantsOf('statistics')).toContain('dynamodb:Query ruleStatistics/index/countsByRegion');
    expect(grantsOf('statistics')).not.toContain('dynamodb:PutItem decisions');
  });
});

describe('leadingKeysOf', () => {
  it.each<[string, string, Record<string, unknown>, string[] | undefined]>([
    ['an item put', 'PutItemCommand', { Item: { chain: 'rules', seq: 3 } }, ['rules']],
    ['an item read', 'GetItemCommand', { Key: { chain: 'wuzhou-customs', seq: 1 } }, ['wuzhou-customs']],
    [
      'a query of the table',
      'QueryCommand',
      {
        KeyConditionExpression: '#s > :s AND #c = :c',
        ExpressionAttributeNames: { '#c': 'chain', '#s': 'seq' },
        ExpressionAttributeValues: { ':c': 'rules', ':s': 1 },
      },
      ['rules'],
    ],
    [
      'a query of an index',
      'QueryCommand',
      {
        IndexName: 'byAction',
        KeyConditionExpression: 'actionId = :a',
        ExpressionAttributeValues: { ':a': 'x' },
      },
      undefined,
    ],
    ['a scan', 'ScanCommand', {}, undefined],
  ])('finds the partition key %s reaches', (_, command, input, expected) => {
    // Assess
    expect(leadingKeysOf(command, input, 'chain')).toEqual(expected);
  });
});

describe('GrantCheck', () => {
  // Nothing listens there: a call the check lets through fails on the network instead.
  const offline = {
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  const stack = () => {
    const check = new GrantCheck(RESOURCES);
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(offline));
    const sqs = new SQSClient(offline);
    const s3 = new S3Client({ ...offline, forcePathStyle: true });
    check.attach(db, 'dynamodb');
    check.attach(sqs, 'sqs');
    check.attach(s3, 's3');
    return { check, db, sqs, s3 };
  };

  it('refuses a function a call outside its grants with AccessDenied, as AWS would, before anything is sent', async () => {
    // Prepare
    const { check, db } = stack();
    const write = inRoleOf('statistics', () =>
      db.send(new PutCommand({ TableName: 'local-decisions', Item: { pk: 'x' } })),
    );

    // Act
    const error = await write().catch((failure: unknown) => failure);

    // Assess
    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect((error as Error).message).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/statistics/local is not authorized to perform: ' +
        'dynamodb:PutItem on resource: decisions because no identity-based policy allows the dynamodb:PutItem action',
    );
    expect(translateAwsError(error, 'put decision').code).toBe('AWS_REQUEST_REJECTED');
    expect(check.calls()).toEqual([
      { role: 'statistics', grant: 'dynamodb:PutItem decisions', count: 1, granted: false },
    ]);
  });

  it('lets a granted call through, and counts it', async () => {
    // Prepare
    const { check, db } = stack();
    const query = inRoleOf('statistics', () =>
      db.send(
        new QueryCommand({
          TableName: 'local-ruleStatistics',
          IndexName: 'countsByRegion',
          KeyConditionExpression: 'regionShard = :r',
          ExpressionAttributeValues: { ':r': 'x' },
        }),
      ),
    );

    // Act
    const errors = await Promise.all(
      [query(), query()].map((call) => call.catch((failure: unknown) => failure)),
    );

    // Assess: on to the network, where nothing answers
    for (const error of errors) expect((error as Error).name).not.toBe('AccessDeniedException');
    expect(check.calls()).toEqual([
      {
        role: 'statistics',
        grant: 'dynamodb:Query ruleStatistics/index/countsByRegion',
        count: 2,
        granted: true,
      },
    ]);
  });

  it.each([
    [
      'sqs',
      'AccessDenied',
      (clients: ReturnType<typeof stack>) =>
        clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: 'http://q/inspection', Entries: [] })),
    ],
    [
      's3',
      'AccessDenied',
      (clients: ReturnType<typeof stack>) =>
        clients.s3.send(new PutObjectCommand({ Bucket: 'local-auditanchors', Key: 'anchors/x', Body: 'x' })),
    ],
  ])('refuses on %s too', async (_, name, call) => {
    // Prepare: ingest sends to the screening queue only; the anchor function puts new objects only
    const clients = stack();
    const role = _ === 'sqs' ? 'ingest' : 'auditAnchor';

    // Act
    const error = await inRoleOf(role, () => call(clients))().catch((failure: unknown) => failure);

    // Assess
    expect(error).toMatchObject({ name, $fault: 'client', $metadata: { httpStatusCode: 403 } });
    expect((error as Error).message).toMatch(
      _ === 'sqs'
        ? / perform: sqs:SendMessage on resource: inspection because /
        : / perform: s3:PutObject on resource: auditAnchors\/anchors\/\* because /,
    );
  });

  it('checks the calls a module makes as it loads, as Lambda runs init code under the role', async () => {
    // Prepare
    const { db } = stack();

    // Act
    const error = await loadInRoleOf('statistics', () =>
      db.send(new PutCommand({ TableName: 'local-decisions', Item: { pk: 'x' } })),
    ).catch((failure: unknown) => failure);

    // Assess
    expect(error).toMatchObject({ name: 'AccessDeniedException' });
  });

  it('refuses to check a client another stack’s check still holds, until that one is released', () => {
    // Prepare
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(offline));
    const first = new GrantCheck(RESOURCES);
    first.attach(db, 'dynamodb');

    // Act
    const second = new GrantCheck(RESOURCES);
    const attachWhileHeld = () => second.attach(db, 'dynamodb');

    // Assess
    expect(attachWhileHeld).toThrow(
      'another embedded stack is running in this process: one stack per process',
    );
    first.release();
    expect(attachWhileHeld).not.toThrow();
  });

  it('names every refused call, with its count, for a stack to fail as it stops', () => {
    // Act
    const error = refusedCallsError([
      { role: 'ingest', grant: 'dynamodb:PutItem parcels', count: 3, granted: true },
      { role: 'screen', grant: 'dynamodb:UpdateItem parcels', count: 2, granted: false },
    ]);

    // Assess
    expect(error?.message).toBe(
      'AWS calls were made outside their IAM grants (infra/grants.ts), refused: screen dynamodb:UpdateItem parcels ×2',
    );
    expect(refusedCallsError([{ role: 'ingest', grant: 'x y', count: 1, granted: true }])).toBeUndefined();
  });

  it('holds a tool to the partition keys its policy names: the lists tool’s audit entries in chain rules only', async () => {
    // Prepare
    const db = DynamoDBDocumentClient.from(new DynamoDBClient(offline));
    const check = new GrantCheck(RESOURCES, (role) => toolGrantsOf(role as ToolName));
    check.attach(db, 'dynamodb', 'lists');
    const append = (chain: string) =>
      db.send(new PutCommand({ TableName: 'local-auditLog', Item: { chain, seq: 1 } })).then(
        () => undefined,
        (failure: unknown) => (failure as Error).name,
      );

    // Act
    const own = await append('rules');
    const office = await append('wuzhou-customs');

    // Assess
    expect(own).not.toBe('AccessDeniedException');
    expect(office).toBe('AccessDeniedException');
    expect(check.calls()).toEqual([
      { role: 'lists', grant: 'dynamodb:PutItem auditLog[chain=rules]', count: 1, granted: true },
      { role: 'lists', grant: 'dynamodb:PutItem auditLog[chain=wuzhou-customs]', count: 1, granted: false },
    ]);
  });

  it('does not check calls made outside an invocation: the runner’s own and the tests’', async () => {
    // Prepare
    const { check, db } = stack();

    // Act
    const error = await db
      .send(new PutCommand({ TableName: 'local-decisions', Item: { pk: 'x' } }))
      .catch((failure: unknown) => failure);

    // Assess
    expect((error as Error).name).not.toBe('AccessDeniedException');
    expect(check.calls()).toEqual([]);
  });
});
