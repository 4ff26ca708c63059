import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { STAFF_ROLES } from '../../functions/core/access/roles.js';
import { OPERATIONS_AUDIT_CHAIN, RULES_AUDIT_CHAIN } from '../../functions/core/audit/audit-chain.js';
import {
  BUCKETS,
  FUNCTIONS,
  type IndexDefinition,
  QUEUES,
  type QueueName,
  SECRETS,
  TABLES,
  type TableName,
  TOOLS,
  type ToolDefinition,
  type ToolName,
} from '../../infra/definitions.js';
import { grantsOf, itemsUnder, toolGrantsOf } from '../../infra/grants.js';
import { operationsOn } from '../../infra/stacks/data-stack.js';
import { DEFAULT_OPTIONS } from '../../infra/stacks/parcelguard-stacks.js';
import { docAnchorsOf, docLinksIn } from '../support/doc-anchors.js';
import {
  consumedQueues,
  logicalId,
  type SynthesizedParcelguard,
  synthParcelguard,
} from './synth-parcelguard.js';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

const tableNames = Object.keys(TABLES) as TableName[];
const queueNames = Object.keys(QUEUES) as QueueName[];

describe('DataStack', () => {
  let parcelguard: SynthesizedParcelguard;
  let data: Template;
  const resourcesOfType = (type: string): Record<string, Resource> =>
    data.findResources(type) as Record<string, Resource>;
  const table = (name: TableName): Resource => {
    const resource = resourcesOfType('AWS::DynamoDB::Table')[logicalId(parcelguard.dataStack.tables[name])];
    if (resource === undefined) throw new Error(`no table for ${name}`);
    return resource;
  };
  const queue = (id: string): Resource => {
    const resource = resourcesOfType('AWS::SQS::Queue')[id];
    if (resource === undefined) throw new Error(`no queue ${id}`);
    return resource;
  };

  beforeAll(() => {
    parcelguard = synthParcelguard();
    data = parcelguard.data;
  });

  describe('tables', () => {
    it('creates exactly one table per definition', () => {
      // Assess
      data.resourceCountIs('AWS::DynamoDB::Table', tableNames.length);
    });

    const projectionOf = (index: IndexDefinition) => {
      if (index.projection === 'keys') return { ProjectionType: 'KEYS_ONLY' };
      if (typeof index.projection === 'object')
        return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.include] };
      return { ProjectionType: 'ALL' };
    };

    it('reads rule statistics from an index by region and shard holding the counts without the marker sets', () => {
      // Act
      const { Properties } = table('ruleStatistics');

      // Assess
      expect(Properties.GlobalSecondaryIndexes).toEqual([
        expect.objectContaining({
          IndexName: 'countsByRegion',
          KeySchema: [
            { AttributeName: 'regionShard', KeyType: 'HASH' },
            { AttributeName: 'counter', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['hits', 'inspections', 'seizures'] },
        }),
      ]);
    });

    it.each(tableNames)('builds the %s table key schema and indexes from its definition', (name) => {
      // Prepare
      const definition = TABLES[name];
      const keySchema = [
        { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        ...('sortKey' in definition ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
      ];
      const indexes = (definition.indexes as readonly IndexDefinition[]).map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        Projection: projectionOf(index),
      }));

      // Act
      const { Properties } = table(name);

      // Assess
      expect(Properties.KeySchema).toEqual(keySchema);
      expect(Properties.GlobalSecondaryIndexes ?? []).toEqual(indexes);
      expect(Properties.TableName).toBeUndefined();
    });

    it.each(tableNames)('bills %s on demand, with recovery, protection, KMS and retention', (name) => {
      // Act
      const resource = table(name);

      // Assess
      expect(resource.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [logicalId(parcelguard.dataStack.dataKey), 'Arn'] },
        },
      });
      expect(resource.DeletionPolicy).toBe('Retain');
    });

    it.each(tableNames)('expires %s items only where the definition names a TTL attribute', (name) => {
      // Prepare
      const definition = TABLES[name];
      const expected =
        'timeToLiveAttribute' in definition
          ? { AttributeName: definition.timeToLiveAttribute, Enabled: true }
          : undefined;

      // Act
      const { Properties } = table(name);

      // Assess
      expect(Properties.TimeToLiveSpecification).toEqual(expected);
    });
  });

  describe('queues', () => {
    it('creates a queue and a dead-letter queue per definition, and nothing else', () => {
      // Assess
      data.resourceCountIs('AWS::SQS::Queue', queueNames.length * 2);
    });

    it.each(queueNames)(
      'sends %s messages to its own dead-letter queue after maxReceiveCount receives',
      (name) => {
        // Prepare
        const deadLetterQueueId = logicalId(parcelguard.dataStack.deadLetterQueues[name]);

        // Act
        const { Properties } = queue(logicalId(parcelguard.dataStack.queues[name]));

        // Assess
        expect(Properties.RedrivePolicy).toEqual({
          deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] },
          maxReceiveCount: QUEUES[name].maxReceiveCount,
        });
        expect(QUEUES[name].maxReceiveCount).toBeGreaterThanOrEqual(1);
        expect(QUEUES[name].maxReceiveCount).toBeLessThanOrEqual(10);
      },
    );

    it.each(queueNames)('takes the %s queue visibility timeout and retention from its definition', (name) => {
      // Act
      const { Properties } = queue(logicalId(parcelguard.dataStack.queues[name]));

      // Assess
      expect(Properties.VisibilityTimeout).toBe(QUEUES[name].visibilityTimeoutSeconds);
      expect(Properties.MessageRetentionPeriod).toBe(QUEUES[name].retentionDays * 86_400);
    });

    it.each(queueNames)(
      'keeps a dead letter of the %s queue at least a week after it arrives, as SQS counts from the first send',
      (name) => {
        // Act
        const source = queue(logicalId(parcelguard.dataStack.queues[name])).Properties;
        const deadLetters = queue(logicalId(parcelguard.dataStack.deadLetterQueues[name])).Properties;

        // Assess: a message dead-lettered just before its source retention ends still has this long
        expect(
          Number(deadLetters.MessageRetentionPeriod) - Number(source.MessageRetentionPeriod),
        ).toBeGreaterThanOrEqual(7 * 86_400);
      },
    );

    it.each(
      consumedQueues().map(
        ({ queue, functionName, maxBatchingWindowSeconds }) =>
          [queue, functionName, maxBatchingWindowSeconds] as const,
      ),
    )(
      'gives the %s queue at least six times the timeout of its consumer %s plus its batching window (%i s)',
      (name, functionName, maxBatchingWindowSeconds) => {
        // Act
        const { Properties } = queue(logicalId(parcelguard.dataStack.queues[name]));

        // Assess: AWS's rule, so a slow batch is not received twice while it is still running.
        expect(Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
          6 * FUNCTIONS[functionName].timeoutSeconds + maxBatchingWindowSeconds,
        );
      },
    );

    it('encrypts every queue with the data key, under no hard-coded name', () => {
      // Prepare
      const dataKey = { 'Fn::GetAtt': [logicalId(parcelguard.dataStack.dataKey), 'Arn'] };

      // Act
      const queues = Object.values(resourcesOfType('AWS::SQS::Queue'));

      // Assess
      for (const { Properties } of queues) {
        expect(Properties.KmsMasterKeyId).toEqual(dataKey);
        expect(Properties.QueueName).toBeUndefined();
      }
    });

    it('denies every queue, dead-letter queues included, to requests without TLS', () => {
      // Prepare
      const queueIds = Object.keys(resourcesOfType('AWS::SQS::Queue'));
      const policies = Object.values(resourcesOfType('AWS::SQS::QueuePolicy'));

      // Act
      const tlsOnly = queueIds.filter((id) =>
        policies.some(({ Properties }) => {
          const covers = (Properties.Queues as unknown[]).some(
            (ref) => JSON.stringify(ref) === `{"Ref":"${id}"}`,
          );
          const statements = (Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
            .Statement;
          const denies = statements.some(
            (statement) =>
              statement.Effect === 'Deny' &&
              JSON.stringify(statement.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}',
          );
          return covers && denies;
        }),
      );

      // Assess
      expect(tlsOnly).toEqual(queueIds);
    });
  });

  describe('alarms', () => {
    it.each(queueNames)('alarms on any message in the %s dead-letter queue', (name) => {
      // Prepare
      const deadLetterQueueId = logicalId(parcelguard.dataStack.deadLetterQueues[name]);
      const topic = { Ref: logicalId(parcelguard.dataStack.alarmTopic) };

      // Assess
      data.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId, 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topic],
      });
    });

    it.each([
      // 5 receives of 181 s (6 × screen's 30 s and the 1 s batching window) and 300 s of margin
      ['screening', 1_205],
      // Two waits of notify's backoff ceiling (3,600 s: a callback's Retry-After is honoured up to it
      // from the first receive on) and 300 s of margin: a message received three times or more is not
      // counted in the age SQS reports, and 8 receives of 241 s to dead-letter it are less
      ['referral', 7_500],
    ] as const)(
      'alarms when the %s queue’s oldest message is older than a working consumer lets one get (%i s)',
      (name, threshold) => {
        // Assess
        data.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateAgeOfOldestMessage',
          Dimensions: [
            {
              Name: 'QueueName',
              Value: { 'Fn::GetAtt': [logicalId(parcelguard.dataStack.queues[name]), 'QueueName'] },
            },
          ],
          Threshold: threshold,
        });
      },
    );

    /** The description of the alarm on `metric` of `queue` (a queue or dead-letter queue construct). */
    const descriptionOf = (metric: string, queue: unknown): string => {
      const queueId = logicalId(queue as never);
      const [alarm] = Object.values(resourcesOfType('AWS::CloudWatch::Alarm')).filter(
        (candidate) =>
          candidate.Properties.MetricName === metric &&
          JSON.stringify(candidate.Properties.Dimensions).includes(`"${queueId}"`),
      );
      return String(alarm?.Properties.AlarmDescription);
    };

    it.each([
      ['screening', 'parcels for screening', 'parcelIds'],
      ['referral', 'referrals', 'referralId'],
      ['inspection', 'inspection messages', 'referralId'],
    ] as const)(
      'says what a dead letter of the %s queue is (%s), how to find it and what to run first',
      (name, what, identifier) => {
        // Act
        const description = descriptionOf(
          'ApproximateNumberOfMessagesVisible',
          parcelguard.dataStack.deadLetterQueues[name],
        );
        // Assess
        expect(description).toContain(`Messages in the ${name} dead-letter queue`);
        expect(description).toContain(what);
        expect(description).toContain(identifier);
        // As the redrive tool takes it, with the variable it reads the queue URL from
        expect(description).toContain(`\`npm run redrive -- --queue ${name}\``);
        expect(description).toContain(QUEUES[name].env);
        expect(description).toContain('stays in ALARM');
        expect(description).toContain('expire 14 days after');
        expect(description).toContain('docs/reliability-and-security.md#dead-letters');
        expect(description.length).toBeLessThanOrEqual(1_024);
      },
    );

    it.each([
      ['screening', 'screen', 1_205],
      ['referral', 'notify', 7_500],
    ] as const)(
      'says what waits when the %s queue stalls and that %s is the function to look at first',
      (name, fn, threshold) => {
        // Act
        const description = descriptionOf(
          'ApproximateAgeOfOldestMessage',
          parcelguard.dataStack.queues[name],
        );
        // Assess
        expect(description).toContain(`older than ${threshold} s`);
        expect(description).toContain(`First look at the ${fn} function`);
        expect(description).toContain(`at most ${QUEUES[name].consumer.maxConcurrency} invocations at once`);
        expect(description).toContain('docs/reliability-and-security.md#a-stalled-queue');
        expect(description.length).toBeLessThanOrEqual(1_024);
      },
    );

    it('sends operators only to doc sections that exist, in descriptions CloudWatch accepts', () => {
      const descriptions = Object.values(resourcesOfType('AWS::CloudWatch::Alarm')).map((alarm) =>
        String(alarm.Properties.AlarmDescription),
      );
      // Act
      const links = descriptions.flatMap(docLinksIn);
      // Assess
      expect(links.length).toBeGreaterThanOrEqual(5);
      for (const [file, anchor] of links) expect(docAnchorsOf(file)).toContain(anchor);
      for (const description of descriptions) expect(description.length).toBeLessThanOrEqual(1_024);
    });

    /** The alarms whose metrics are DynamoDB's ThrottledRequests of `name`'s table, one entry per alarm. */
    const throttlingAlarmsOf = (name: TableName): Resource[] => {
      const tableRef = JSON.stringify({ Ref: logicalId(parcelguard.dataStack.tables[name]) });
      return Object.values(resourcesOfType('AWS::CloudWatch::Alarm')).filter((alarm) => {
        const metrics = (alarm.Properties.Metrics ?? []) as { MetricStat?: { Metric: unknown } }[];
        return metrics.some(
          ({ MetricStat }) =>
            JSON.stringify(MetricStat?.Metric ?? null).includes('"ThrottledRequests"') &&
            JSON.stringify(MetricStat?.Metric ?? null).includes(tableRef),
        );
      });
    };

    it.each(tableNames)(
      'alarms on requests to the %s table throttled in 3 of 5 minutes, over every operation granted on it',
      (name) => {
        // Prepare
        const tableRef = { Ref: logicalId(parcelguard.dataStack.tables[name]) };
        const topic = { Ref: logicalId(parcelguard.dataStack.alarmTopic) };

        // Act
        const alarms = throttlingAlarmsOf(name);

        // Assess: one alarm; a sum of one-minute Sums per operation, each filled with 0 where it has no data
        expect(alarms).toHaveLength(1);
        const { Properties } = alarms[0]!;
        expect(Properties).toMatchObject({
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 5,
          DatapointsToAlarm: 3,
          TreatMissingData: 'notBreaching',
          AlarmActions: [topic],
          OKActions: [topic],
        });
        type Query = {
          Id: string;
          Expression?: string;
          ReturnData?: boolean;
          MetricStat?: {
            Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] };
            Period: number;
            Stat: string;
          };
        };
        const queries = Properties.Metrics as Query[];
        const stats = queries.filter((query) => query.MetricStat !== undefined);
        const [expression] = queries.filter((query) => query.Expression !== undefined);
        const operations = stats.map(({ MetricStat }) => {
          expect(MetricStat).toMatchObject({
            Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'ThrottledRequests' },
            Period: 60,
            Stat: 'Sum',
          });
          const dimensions = Object.fromEntries(
            MetricStat!.Metric.Dimensions.map((dimension) => [dimension.Name, dimension.Value]),
          );
          expect(dimensions.TableName).toEqual(tableRef);
          return dimensions.Operation;
        });
        expect(operations.sort()).toEqual(operationsOn(name));
        expect(operations.length).toBeLessThanOrEqual(10);
        expect(expression!.Expression).toBe(stats.map((query) => `FILL(${query.Id}, 0)`).join(' + '));
      },
    );

    it('alarms on throttling of every operation the functions and tools may call on a table', () => {
      // Prepare: each DynamoDB action granted anywhere, by table (decisions/index/x and auditLog[chain=y] included)
      const granted = new Set(
        [
          ...(Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[]).flatMap((name) => [...grantsOf(name)]),
          ...(Object.keys(TOOLS) as ToolName[]).flatMap((name) => [...toolGrantsOf(name)]),
        ]
          .filter((grant) => grant.startsWith('dynamodb:'))
          .map((grant) => {
            const [action, resource] = grant.split(' ');
            return `${action!.slice('dynamodb:'.length)} ${resource!.split(/[/[]/)[0]}`;
          }),
      );
      // Act
      const alarmed = new Set(tableNames.flatMap((name) => operationsOn(name).map((op) => `${op} ${name}`)));
      // Assess
      expect([...alarmed].sort()).toEqual([...granted].sort());
      expect(granted.has('PutItem decisions')).toBe(true);
    });

    // Written out from infra/grants.ts and the definitions, not worked out as operationsOn does, so a bug
    // in reading the grants fails here. decisions: read, queried by index, updated; auditLog: append-only
    // (put only), written under the rules chain key by the lists tool, scanned by the audit tool; partyHistory:
    // counters updated in place; lists: append-only; parcels: written whole (putOnly), deleted by ingest.
    it.each([
      ['decisions', ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']],
      ['auditLog', ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'Scan']],
      ['partyHistory', ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']],
      ['lists', ['BatchGetItem', 'GetItem', 'PutItem', 'Query']],
      ['parcels', ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query']],
    ] as const)('alarms on throttling of exactly these operations on the %s table', (name, expected) => {
      // Act
      const metrics = throttlingAlarmsOf(name)[0]!.Properties.Metrics as {
        MetricStat?: { Metric: { Dimensions: { Name: string; Value: unknown }[] } };
      }[];
      const operations = metrics.flatMap(
        (query) =>
          query.MetricStat?.Metric.Dimensions.filter((d) => d.Name === 'Operation').map((d) => d.Value) ?? [],
      );
      // Assess
      expect(operations.sort()).toEqual([...expected]);
      expect(operationsOn(name)).toEqual([...expected]);
    });

    it.each(tableNames)('says what throttling of the %s table means and what to do', (name) => {
      // Act
      const description = String(throttlingAlarmsOf(name)[0]?.Properties.AlarmDescription);
      // Assess
      expect(description).toContain(
        `Requests to the ${name} table were throttled in 3 of the last 5 minutes`,
      );
      expect(description).toContain('DEPENDENCY_UNAVAILABLE');
      expect(description).toContain('Wait for it to pass');
      expect(description).toContain('docs/reliability-and-security.md#dynamodb-throttling');
      expect(description.length).toBeLessThanOrEqual(1_024);
    });

    it('alarms when the inspection queue’s oldest message has waited an hour: its downstream reader stopped', () => {
      // Assess
      data.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [logicalId(parcelguard.dataStack.queues.inspection), 'QueueName'] },
          },
        ],
        Threshold: 3_600,
        AlarmActions: [{ Ref: logicalId(parcelguard.dataStack.alarmTopic) }],
      });
    });

    it('lets CloudWatch alarms of this account, and nothing else, publish to the topic', () => {
      // Prepare: a topic policy replaces SNS's default one, so the alarms need their own statement
      const topicId = logicalId(parcelguard.dataStack.alarmTopic);

      // Act
      const [policy] = Object.values(resourcesOfType('AWS::SNS::TopicPolicy'));
      const allows = (
        policy!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }
      ).Statement.filter((statement) => statement.Effect === 'Allow');

      // Assess
      expect(allows).toEqual([
        expect.objectContaining({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: topicId },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': expect.anything() },
          },
        }),
      ]);
      expect(JSON.stringify(allows[0]!.Condition)).toContain(':alarm:*');
    });

    it('warns at synthesis when no address will receive the alarms, and subscribes the one given', () => {
      // Act
      const withEmail = synthParcelguard({ alarmEmail: 'customs-ops@example.org' });

      // Assess
      expect(
        Annotations.fromStack(parcelguard.dataStack).findWarning('*', Match.stringLikeRegexp('alarmEmail')),
      ).toHaveLength(1);
      expect(Annotations.fromStack(withEmail.dataStack).findWarning('*', Match.anyValue())).toEqual([]);
      withEmail.data.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'customs-ops@example.org',
      });
    });

    it('sends alarms to a KMS-encrypted, TLS-only topic', () => {
      // Prepare
      const topicId = logicalId(parcelguard.dataStack.alarmTopic);

      // Assess
      data.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      data.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  it('outputs the staff user pool and every table name, with the variable the operator tools read', () => {
    // Act
    const outputs = data.findOutputs('*');

    // Assess
    expect(outputs.StaffUserPoolId?.Value).toEqual({ Ref: logicalId(parcelguard.dataStack.staff.userPool) });
    for (const name of tableNames) {
      const output = outputs[`${name[0]!.toUpperCase()}${name.slice(1)}TableName`];
      expect(output?.Value, name).toEqual({ Ref: logicalId(parcelguard.dataStack.tables[name]) });
      expect(output?.Description).toContain(TABLES[name].env);
    }
  });

  it('outputs every queue URL, bucket and secret with the variable the operator tools read them from', () => {
    // Act
    const outputs = data.findOutputs('*');
    const pascal = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}`;

    // Assess
    for (const name of queueNames) {
      const output = outputs[`${pascal(name)}QueueUrl`];
      expect(output?.Value, name).toEqual({ Ref: logicalId(parcelguard.dataStack.queues[name]) });
      expect(output?.Description).toContain(QUEUES[name].env);
    }
    for (const name of Object.keys(SECRETS) as (keyof typeof SECRETS)[]) {
      const output = outputs[`${pascal(name)}SecretArn`];
      expect(output?.Value, name).toEqual({ Ref: logicalId(parcelguard.dataStack.secrets[name]) });
      expect(output?.Description).toContain(SECRETS[name].env);
    }
    for (const name of Object.keys(BUCKETS) as (keyof typeof BUCKETS)[]) {
      const output = outputs[`${pascal(name)}BucketName`];
      expect(output?.Value, name).toEqual({ Ref: logicalId(parcelguard.dataStack.buckets[name]) });
      expect(output?.Description).toContain(BUCKETS[name].env);
    }
  });

  describe('secrets and keys', () => {
    it('generates one retained, KMS-encrypted secret per definition', () => {
      // Prepare
      const secrets = Object.values(resourcesOfType('AWS::SecretsManager::Secret'));

      // Assess
      expect(secrets).toHaveLength(Object.keys(SECRETS).length);
      for (const secret of secrets) {
        expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48 });
        expect(secret.Properties.KmsKeyId).toBeDefined();
        expect(secret.Properties.Name).toBeUndefined();
        expect(secret.DeletionPolicy).toBe('Retain');
      }
    });

    it('rotates and retains every KMS key', () => {
      // Act
      const keys = Object.values(resourcesOfType('AWS::KMS::Key'));

      // Assess
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key.Properties.EnableKeyRotation).toBe(true);
        expect(key.DeletionPolicy).toBe('Retain');
      }
    });
  });

  describe('staff directory', () => {
    it('has one user pool group per staff role', () => {
      // Act
      const groups = Object.values(resourcesOfType('AWS::Cognito::UserPoolGroup'))
        .map((group) => group.Properties.GroupName)
        .sort();

      // Assess
      expect(groups).toEqual([...STAFF_ROLES].sort());
    });

    it('lets only administrators create accounts, requires MFA and retains the pool', () => {
      // Act
      const pools = Object.values(resourcesOfType('AWS::Cognito::UserPool'));

      // Assess
      expect(pools).toHaveLength(1);
      expect(pools[0]?.Properties).toMatchObject({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        DeletionProtection: 'ACTIVE',
      });
      expect(pools[0]?.DeletionPolicy).toBe('Retain');
    });

    it("retains the pool's groups (every staff member's role) and its domain with it", () => {
      // Act
      const kept = ['AWS::Cognito::UserPoolGroup', 'AWS::Cognito::UserPoolDomain'].flatMap((type) =>
        Object.values(resourcesOfType(type)),
      );

      // Assess
      expect(kept).toHaveLength(4);
      for (const resource of kept) {
        expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    });

    it('gives the pool a managed login prefix domain, parcelguard-<regionId>-<account> by default', () => {
      // Act
      const domains = Object.values(resourcesOfType('AWS::Cognito::UserPoolDomain'));

      // Assess
      expect(domains).toHaveLength(1);
      expect(domains[0]?.Properties).toEqual({
        UserPoolId: { Ref: logicalId(parcelguard.dataStack.staff.userPool) },
        Domain: { 'Fn::Join': ['', [`parcelguard-${DEFAULT_OPTIONS.regionId}-`, { Ref: 'AWS::AccountId' }]] },
        ManagedLoginVersion: 2,
      });
      expect(domains[0]?.Properties.CustomDomainConfig).toBeUndefined();
    });

    it('leaves the app client to the service stack, where the console URL is known', () => {
      // Assess
      expect(resourcesOfType('AWS::Cognito::UserPoolClient')).toEqual({});
    });

    it('outputs the sign-in domain', () => {
      // Act
      const output = data.findOutputs('StaffSignInDomain').StaffSignInDomain;

      // Assess
      expect(output?.Value).toEqual({
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: logicalId(parcelguard.dataStack.staff.domain) },
            '.auth.',
            { Ref: 'AWS::Region' },
            '.amazoncognito.com',
          ],
        ],
      });
    });
  });

  describe('audit anchors bucket', () => {
    it('locks every object version in compliance mode for seven years, denies replacing or deleting one, keeps it private and TLS-only, and outlives the stack', () => {
      // Act
      const buckets = Object.values(resourcesOfType('AWS::S3::Bucket'));
      const policies = Object.values(resourcesOfType('AWS::S3::BucketPolicy'));

      // Assess
      expect(buckets).toHaveLength(1);
      expect(buckets[0]!.DeletionPolicy).toBe('Retain');
      expect(buckets[0]!.Properties).toMatchObject({
        BucketName: {
          'Fn::Join': [
            '',
            ['yunnan-guangxi-audit-anchors-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }],
          ],
        },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: BUCKETS.auditAnchors.lockDays } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      const statements = (policies[0]!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
        .Statement;
      expect(JSON.stringify(statements)).toContain('"aws:SecureTransport":"false"');
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Sid: 'NeverReplaceAnObject',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Condition: { Null: { 's3:if-none-match': 'true' } },
          }),
          expect.objectContaining({
            Sid: 'NeverDeleteAnObject',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          }),
        ]),
      );
    });
  });

  it.each([
    ['at 21 characters', 'a'.repeat(19).concat('-b'), undefined],
    ['over 21 characters', 'a'.repeat(20).concat('-b'), /regionId a+-b is too long: bucket auditAnchors/],
  ])('names the anchor bucket for a region id %s, or refuses it', (_case, regionId, refusal) => {
    // Act
    const synth = () => synthParcelguard({ regionId });

    // Assess
    if (refusal === undefined) expect(synth).not.toThrow();
    else expect(synth).toThrow(refusal);
  });

  describe('operator policies', () => {
    const toolNames = Object.keys(TOOLS) as ToolName[];
    type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
    const policyOf = (
      name: ToolName,
    ): { Description: string; PolicyDocument: { Statement: Statement[] } } => {
      const id = logicalId(parcelguard.dataStack.operatorPolicies.policies[name]);
      return (resourcesOfType('AWS::IAM::ManagedPolicy')[id] as Resource).Properties as never;
    };
    /** A statement's resource by its definition's name: `decisions/index/byDecidedMonth`, `screening-dlq`. */
    const nameOf = (resource: unknown): string => {
      const text = JSON.stringify(resource);
      const { tables, queues, deadLetterQueues, buckets, secrets, dataKey } = parcelguard.dataStack;
      const named = [
        ...Object.entries(tables).map(([name, table]) => [name, logicalId(table)]),
        ...Object.entries(queues).map(([name, queue]) => [name, logicalId(queue)]),
        ...Object.entries(deadLetterQueues).map(([name, queue]) => [`${name}-dlq`, logicalId(queue)]),
        ...Object.entries(buckets).map(([name, bucket]) => [name, logicalId(bucket)]),
        ...Object.entries(secrets).map(([name, secret]) => [`secret ${name}`, logicalId(secret)]),
        ['data key', logicalId(dataKey)],
      ];
      const found = named.find(([, id]) => text.includes(`"${id}"`));
      if (found === undefined) return `unknown ${text}`;
      const index = /\/index\/([^"\\]+)/.exec(text)?.[1];
      const objects = /\/([a-z-]+\/\*)"/.exec(text)?.[1];
      if (index !== undefined) return `${found[0]}/index/${index}`;
      return objects === undefined ? found[0]! : `${found[0]}/${objects}`;
    };
    /** A statement's keys condition (dynamodb:LeadingKeys), if any. */
    const keysOf = (statement: Statement): string[] | undefined =>
      (
        statement.Condition as
          | { 'ForAllValues:StringEquals'?: { 'dynamodb:LeadingKeys'?: string[] } }
          | undefined
      )?.['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys'];
    const grantsIn = (name: ToolName) =>
      policyOf(name).PolicyDocument.Statement.flatMap((statement) =>
        [statement.Action].flat().flatMap((action) =>
          [statement.Resource].flat().flatMap((resource) => {
            const grant = `${action} ${nameOf(resource)}`;
            const keys = keysOf(statement);
            return keys === undefined
              ? [grant]
              : keys.map((key) => `${action} ${itemsUnder(nameOf(resource) as TableName, key)}`);
          }),
        ),
      );

    it.each(toolNames)('lets whoever runs npm run %s do what the tests run it under, and no more', (name) => {
      // Act
      const policy = policyOf(name);
      const granted = grantsIn(name);

      // Assess: Allow only; DynamoDB, SQS and S3 exactly as infra/grants.ts; the data key and secrets besides
      expect(policy.PolicyDocument.Statement.every((statement) => statement.Effect === 'Allow')).toBe(true);
      expect(policy.Description).toBe(`parcelguard ${TOOLS[name].description}`);
      expect(granted.filter((grant) => /^(dynamodb|sqs|s3):/.test(grant)).sort()).toEqual(
        [...toolGrantsOf(name)].sort(),
      );
      const others = granted.filter((grant) => !/^(dynamodb|sqs|s3):/.test(grant));
      const secrets = (TOOLS[name] as ToolDefinition).secrets.flatMap((secret) => [
        `secretsmanager:GetSecretValue secret ${secret}`,
      ]);
      expect(others.filter((grant) => !grant.startsWith('kms:')).sort()).toEqual(secrets.sort());
      expect(
        others.filter((grant) => grant.startsWith('kms:')).every((grant) => grant.endsWith(' data key')),
      ).toBe(true);
    });

    it.each([
      ['rules', ['kms:Decrypt', 'kms:DescribeKey']],
      ['audit', ['kms:Decrypt', 'kms:DescribeKey']],
      ['lists', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']],
      [
        'redrive',
        ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      ],
      [
        'partner',
        ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      ],
    ] as const)('lets npm run %s use the data key as its tables and queues need: %j', (name, actions) => {
      // Act
      const kms = grantsIn(name).filter((grant) => grant.startsWith('kms:'));

      // Assess
      expect(kms.sort()).toEqual(actions.map((action) => `${action} data key`).sort());
    });

    it.each(toolNames)('attaches conditions to npm run %s’s statements only where they belong', (name) => {
      // Act
      const conditioned = policyOf(name).PolicyDocument.Statement.filter((statement) => statement.Condition);

      // Assess: new anchors only; one partition key's items; the data key only through its services
      for (const statement of conditioned) {
        const actions = [statement.Action].flat();
        if (actions.includes('s3:PutObject')) {
          expect(statement.Condition).toEqual({ Null: { 's3:if-none-match': 'false' } });
        } else if (actions.every((action) => action.startsWith('kms:'))) {
          expect(Object.keys(statement.Condition as object)).toEqual(['StringEquals']);
        } else {
          expect(keysOf(statement)).toEqual(
            (TOOLS[name] as ToolDefinition).onlyKeys?.[nameOf(statement.Resource) as TableName],
          );
          expect(Object.keys(statement.Condition as object)).toEqual(['ForAllValues:StringEquals']);
        }
      }
    });

    it('lets the lists tool touch the audit log’s rules chain only, whose entries it writes', () => {
      // Act
      const onAuditLog = grantsIn('lists').filter((grant) => grant.includes(' auditLog'));

      // Assess: its items under chain rules; the index it finds an action's entry by, unconditioned
      expect(TOOLS.lists.onlyKeys.auditLog).toEqual([RULES_AUDIT_CHAIN]);
      expect(onAuditLog.sort()).toEqual(
        [
          'dynamodb:BatchGetItem auditLog[chain=rules]',
          'dynamodb:GetItem auditLog[chain=rules]',
          'dynamodb:PutItem auditLog[chain=rules]',
          'dynamodb:Query auditLog[chain=rules]',
          'dynamodb:BatchGetItem auditLog/index/byAction',
          'dynamodb:GetItem auditLog/index/byAction',
          'dynamodb:Query auditLog/index/byAction',
        ].sort(),
      );
    });

    it.each(['partner', 'redrive'] as const)(
      'lets the %s tool touch the audit log’s operations chain only, whose entries it writes',
      (tool) => {
        // Act
        const onAuditLog = grantsIn(tool).filter((grant) => grant.includes(' auditLog'));

        // Assess: its items under chain operations; the index it finds an action's entry by, unconditioned
        expect(TOOLS[tool].onlyKeys.auditLog).toEqual([OPERATIONS_AUDIT_CHAIN]);
        expect(onAuditLog.sort()).toEqual(
          [
            'dynamodb:BatchGetItem auditLog[chain=operations]',
            'dynamodb:GetItem auditLog[chain=operations]',
            'dynamodb:PutItem auditLog[chain=operations]',
            'dynamodb:Query auditLog[chain=operations]',
            'dynamodb:BatchGetItem auditLog/index/byAction',
            'dynamodb:GetItem auditLog/index/byAction',
            'dynamodb:Query auditLog/index/byAction',
          ].sort(),
        );
      },
    );

    it('lets the tools use the data key only through the services that hold their data', () => {
      // Act
      const via = (name: ToolName) =>
        policyOf(name)
          .PolicyDocument.Statement.filter((statement) =>
            [statement.Action].flat().some((action) => action.startsWith('kms:')),
          )
          .map((statement) => JSON.stringify(statement.Condition));

      // Assess
      // (redrive: its queues, and the audit log it records a run in)
      expect(via('redrive')).toEqual([
        JSON.stringify({
          StringEquals: {
            'kms:ViaService': [
              { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
              { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
            ],
          },
        }),
      ]);
      expect(via('rules')[0]).toContain('dynamodb.');
      expect(via('rules')[0]).toContain('secretsmanager.');
      expect(via('rules')[0]).not.toContain('sqs.');
    });

    it('adds anchors only as new objects (If-None-Match), as the functions do', () => {
      // Act
      const puts = policyOf('audit').PolicyDocument.Statement.filter((statement) =>
        [statement.Action].flat().includes('s3:PutObject'),
      );

      // Assess
      expect(puts.map((statement) => statement.Condition)).toEqual([
        { Null: { 's3:if-none-match': 'false' } },
      ]);
    });

    it('outputs each tool’s policy for an administrator to attach', () => {
      // Act
      const outputs = data.findOutputs('*');

      // Assess
      for (const name of toolNames) {
        const output = outputs[`${name[0]!.toUpperCase()}${name.slice(1)}ToolPolicyArn`];
        expect(output?.Value, name).toEqual({
          Ref: logicalId(parcelguard.dataStack.operatorPolicies.policies[name]),
        });
        expect(output?.Description).toContain(`npm run ${name}`);
      }
    });
  });

  it('protects the stack itself from deletion', () => {
    // Assess
    expect(parcelguard.dataStack.terminationProtection).toBe(true);
  });
});
