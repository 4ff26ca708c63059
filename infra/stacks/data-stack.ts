import {
  Annotations,
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  deadLetterAlarmDescription,
  stalledAlarmDescription,
  THROTTLE_WINDOW_MINUTES,
  THROTTLED_MINUTES_TO_ALARM,
  throttlingAlarmDescription,
  unreadAlarmDescription,
} from '../alarm-descriptions.js';
import { OperatorPolicies } from '../constructs/operator-policies.js';
import { StaffDirectory } from '../constructs/staff-directory.js';
import {
  BUCKETS,
  type BucketDefinition,
  type BucketName,
  bucketNameOf,
  DEAD_LETTER_RETENTION_DAYS,
  type AttributeType as DefinedAttributeType,
  FUNCTIONS,
  type IndexDefinition,
  QUEUES,
  type QueueDefinition,
  type QueueName,
  SECRETS,
  type SecretName,
  stalledAfterSeconds,
  TABLES,
  type TableDefinition,
  type TableName,
  TOOLS,
} from '../definitions.js';
import { tableGrantsOf } from '../grants.js';
import { mapDefinitions, pascalCase } from './definition-helpers.js';

const projectionOf = (index: IndexDefinition) => {
  if (index.projection === 'keys') return { projectionType: ProjectionType.KEYS_ONLY };
  if (typeof index.projection === 'object')
    return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.include] };
  return { projectionType: ProjectionType.ALL };
};

const ATTRIBUTE_TYPES: Record<DefinedAttributeType, AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
};

/** Secrets that must keep their value for the life of the data; any other secret needs rotation. */
const NEVER_ROTATED: Partial<Record<SecretName, string>> = {
  partyKeySalt:
    'Deliberately never rotated: the party key salt keys every party history item and the indicators ' +
    'shared between regions; rotating it orphans all of them. Replacing it is a re-keying migration.',
};

/**
 * The DynamoDB operations (API names, as the ThrottledRequests metric's Operation dimension has them)
 * that some function or operator tool is granted on `table`, its items or its indexes: the only ones
 * that can be throttled there, as IAM refuses every other.
 */
export const operationsOn = (table: TableName): string[] => {
  const operations = new Set<string>();
  for (const definition of [...Object.values(FUNCTIONS), ...Object.values(TOOLS)]) {
    for (const grant of tableGrantsOf(definition)) {
      if (grant.table !== table) continue;
      // Reads are granted on the table and the indexes it queries, writes on the table: one action each.
      for (const action of [...grant.reads, ...grant.writes])
        operations.add(action.slice('dynamodb:'.length));
    }
  }
  return [...operations].sort();
};

export interface DataStackProps extends StackProps {
  /** Subscribed by email to the alarm topic, when given. */
  alarmEmail?: string;
  /** Prefix of the staff sign-in domain (Cognito managed login). */
  staffDomainPrefix: string;
  /** The region (tenant) served: part of the buckets' names. */
  regionId: string;
}

/**
 * Everything stateful: tables, queues with their dead-letter queues, the secrets, the staff user
 * pool, the keys that encrypt them, and the alarms on lost work. Nothing here changes when code is deployed, and every
 * stateful resource is retained if the stack is deleted or a resource is replaced.
 *
 * Construct ids come from the keys in `definitions.ts`: renaming a key there replaces the resource
 * (the old one is retained, orphaned, with its data).
 *
 * Encryption: one customer-managed KMS key for parcel data (tables, queues, secrets). Manifests hold
 * names, phone numbers, addresses and ID documents; a customer-managed key puts every decrypt in
 * CloudTrail, lets the key policy decide who may read the data at all, and lets an agency disable
 * the key to cut off access at once. The AWS-managed keys offer none of that. A second key
 * encrypts the alarm topic, because CloudWatch must be allowed to use it and has no business
 * with the data key.
 *
 * Partner webhook secrets live in the partners table, encrypted under the data key (issue 6 allows
 * a KMS-encrypted table item); one Secrets Manager secret per partner would cost a secret and a
 * cold-start call per partner for no gain in protection.
 */
export class DataStack extends Stack {
  readonly dataKey: Key;
  readonly tables: Record<TableName, Table>;
  readonly queues: Record<QueueName, Queue>;
  readonly deadLetterQueues: Record<QueueName, Queue>;
  readonly secrets: Record<SecretName, Secret>;
  readonly buckets: Record<BucketName, Bucket>;
  readonly staff: StaffDirectory;
  readonly alarmTopic: Topic;
  /** One managed policy per operator tool, to attach to whoever runs it (`<Tool>ToolPolicyArn`). */
  readonly operatorPolicies: OperatorPolicies;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: true, ...props });

    this.dataKey = new Key(this, 'DataKey', {
      description: 'parcelguard parcel data: tables, queues, secrets',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.tables = mapDefinitions(TABLES, (name, definition) => this.table(name, definition));
    this.deadLetterQueues = mapDefinitions(QUEUES, (name) =>
      this.queue(`${pascalCase(name)}DeadLetterQueue`, {
        retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS),
      }),
    );
    this.queues = mapDefinitions(QUEUES, (name, definition) =>
      this.queue(`${pascalCase(name)}Queue`, {
        retentionPeriod: Duration.days(definition.retentionDays),
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: this.deadLetterQueues[name], maxReceiveCount: definition.maxReceiveCount },
      }),
    );

    // Generated by Secrets Manager at first deployment: the value is never in the repository, the
    // template or cdk.out. Retained and not rotated: a new party key salt orphans all party history.
    this.secrets = mapDefinitions(SECRETS, (name) => {
      const secret = new Secret(this, `${pascalCase(name)}Secret`, {
        description: `parcelguard ${name}`,
        encryptionKey: this.dataKey,
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const neverRotatedBecause = NEVER_ROTATED[name];
      if (neverRotatedBecause !== undefined) {
        Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: neverRotatedBecause });
      }
      return secret;
    });

    this.buckets = mapDefinitions(BUCKETS, (name, definition) =>
      this.lockedBucket(name, definition, bucketNameOf(props.regionId, name, Aws.ACCOUNT_ID, Aws.REGION)),
    );

    this.staff = new StaffDirectory(this, 'Staff', { domainPrefix: props.staffDomainPrefix });

    this.alarmTopic = this.createAlarmTopic(props.alarmEmail);
    for (const name of Object.keys(this.tables) as TableName[]) this.alarmOnThrottling(name);
    for (const [name, definition] of Object.entries(QUEUES) as [QueueName, QueueDefinition][]) {
      this.alarmOnDeadLetters(name);
      if (definition.consumer !== undefined) this.alarmOnStalledConsumer(name, definition);
      if (definition.unreadAlarmSeconds !== undefined) {
        this.alarmOnUnreadMessages(name, definition.unreadAlarmSeconds);
      }
    }

    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    // What operators need after a deploy: staff users are created in this pool, and the operator tools
    // (npm run partner, lists, audit, rules -- backtest) read these tables by the variable each names.
    new CfnOutput(this, 'StaffUserPoolId', { value: this.staff.userPool.userPoolId });
    new CfnOutput(this, 'StaffSignInDomain', {
      value: this.staff.signInUrl,
      description: 'managed login of the staff user pool: the console signs in here',
    });
    for (const [name, table] of Object.entries(this.tables) as [TableName, Table][]) {
      new CfnOutput(this, `${pascalCase(name)}TableName`, {
        value: table.tableName,
        description: `set ${TABLES[name].env} to this for the operator tools`,
      });
    }
    // npm run redrive reads a queue's URL; lists load and rules backtest hash with the salt, which an
    // operator allowed to read this secret fetches into the tool's environment, never into a file.
    for (const [name, queue] of Object.entries(this.queues) as [QueueName, Queue][]) {
      new CfnOutput(this, `${pascalCase(name)}QueueUrl`, {
        value: queue.queueUrl,
        description: `set ${QUEUES[name].env} to this for npm run redrive`,
      });
    }
    // npm run audit -- verify reads the anchors of this bucket.
    for (const [name, bucket] of Object.entries(this.buckets) as [BucketName, Bucket][]) {
      new CfnOutput(this, `${pascalCase(name)}BucketName`, {
        value: bucket.bucketName,
        description: `set ${BUCKETS[name].env} to this for the operator tools`,
      });
    }
    this.operatorPolicies = new OperatorPolicies(this, 'OperatorPolicies', {
      tables: this.tables,
      queues: this.queues,
      deadLetterQueues: this.deadLetterQueues,
      buckets: this.buckets,
      secrets: this.secrets,
      dataKey: this.dataKey,
    });
    for (const [name, secret] of Object.entries(this.secrets) as [SecretName, Secret][]) {
      new CfnOutput(this, `${pascalCase(name)}SecretArn`, {
        value: secret.secretArn,
        description: `the value of ${SECRETS[name].env} for the operator tools (aws secretsmanager get-secret-value)`,
      });
    }
  }

  private table(name: TableName, definition: TableDefinition): Table {
    const key = ({ name: attribute, type }: { name: string; type: DefinedAttributeType }) => ({
      name: attribute,
      type: ATTRIBUTE_TYPES[type],
    });
    const table = new Table(this, `${pascalCase(name)}Table`, {
      partitionKey: key(definition.partitionKey),
      sortKey: definition.sortKey === undefined ? undefined : key(definition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: definition.timeToLiveAttribute,
    });
    for (const index of definition.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: index.sortKey === undefined ? undefined : key(index.sortKey),
        ...projectionOf(index),
      });
    }
    return table;
  }

  private queue(
    id: string,
    props: Pick<QueueProps, 'retentionPeriod' | 'visibilityTimeout' | 'deadLetterQueue'>,
  ): Queue {
    return new Queue(this, id, {
      ...props,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.dataKey,
      // Fewer KMS calls; SQS reuses a data key for at most this long.
      dataKeyReuse: Duration.minutes(15),
      enforceSSL: true,
      // A queue replaced by a deployment would take its undelivered parcels with it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createAlarmTopic(alarmEmail: string | undefined): Topic {
    const alarmKey = new Key(this, 'AlarmKey', {
      description: 'parcelguard alarm notifications',
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to the encrypted topic only if CloudWatch may use its key.
    alarmKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: 'parcelguard alarms',
      masterKey: alarmKey,
      enforceSSL: true,
    });
    // The topic policy that enforceSSL creates replaces SNS's default one, whose statement let sources
    // of this account publish: without this one, no alarm would ever reach the topic.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowThisAccountsAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*`,
          },
        },
      }),
    );
    if (alarmEmail !== undefined) {
      topic.addSubscription(new EmailSubscription(alarmEmail));
    } else {
      Annotations.of(this).addWarningV2(
        'parcelguard:alarm-subscriber',
        'No alarm subscriber: deploy with -c alarmEmail=<address> (or subscribe to the AlarmTopicArn output), or alarms reach nobody.',
      );
    }
    return topic;
  }

  /**
   * A write-once bucket: every object version is locked in compliance mode for `lockDays`, so nobody (the
   * account's root included) can overwrite or delete it before then, and the bucket outlives the stack.
   * It holds hashes and office ids, no parcel data: S3's own keys encrypt it, and every function or
   * person that may read the data key need not be able to read it.
   */
  private lockedBucket(name: BucketName, definition: BucketDefinition, bucketName: string): Bucket {
    const bucket = new Bucket(this, `${pascalCase(name)}Bucket`, {
      bucketName,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(definition.lockDays)),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // What a lock cannot stop: a new version over an object, or a delete marker hiding one. Denied to
    // everyone while this policy stands, and readers see every version anyway. Bucket-level settings
    // (lifecycle, the lock's default) stay with CloudFormation, which updates the bucket through them.
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'NeverReplaceAnObject',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'NeverDeleteAnObject',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Its object versions cannot be changed or deleted by anyone while locked, the bucket policy denies ' +
        'replacing or deleting objects, and verify reads every version; server access logs would record ' +
        'reads of office ids and hashes, nothing to protect.',
    });
    return bucket;
  }

  /** Any dead letter is a parcel that was not screened or a flag that was not delivered. */
  private alarmOnDeadLetters(name: QueueName): void {
    const alarm = new Alarm(this, `${pascalCase(name)}DeadLetterAlarm`, {
      alarmDescription: deadLetterAlarmDescription(name),
      metric: this.deadLetterQueues[name].metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
  }

  /**
   * A message older than a healthy consumer ever lets one get means the consumer is not consuming at
   * all: parcels wait unscreened. Healthy, a message is dead-lettered after its receives all time out,
   * or waits out the consumer's deliberate backoff (notify's, which honours a callback's Retry-After up
   * to its ceiling). SQS leaves a message received three times or more out of this metric, so a
   * backed-off message counts through its first two waits only.
   */
  private alarmOnStalledConsumer(name: QueueName, definition: QueueDefinition): void {
    const threshold = stalledAfterSeconds(definition);
    const alarm = new Alarm(this, `${pascalCase(name)}StalledAlarm`, {
      alarmDescription: stalledAlarmDescription(name),
      metric: this.queues[name].metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
  }

  /** A queue read downstream whose oldest message waits this long: its consumer has stopped reading. */
  private alarmOnUnreadMessages(name: QueueName, afterSeconds: number): void {
    const alarm = new Alarm(this, `${pascalCase(name)}UnreadAlarm`, {
      alarmDescription: unreadAlarmDescription(name, afterSeconds),
      metric: this.queues[name].metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: afterSeconds,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
  }

  /**
   * Throttling sustained past the SDK's retries fails records, which reach the DLQ (or stall the queue)
   * only minutes later: this says why first. The tables are on demand, where any throttle is unusual, so
   * any throttled request counts; one burst (a surge absorbed by retries and redelivery) does not alarm,
   * throttling in 3 of 5 minutes does, before a screening record's 5 receives (about 15 minutes) are spent.
   * Summed over the operations granted on the table (operationsOn): CDK's
   * metricThrottledRequestsForOperations sums all 14 by default, over the 10 metrics an alarm may hold
   * (aws/aws-cdk#24509). FILL: ThrottledRequests has a data point only in a minute with a throttle, so
   * an operation without one counts 0 and the sum has a value whenever any operation was throttled.
   */
  private alarmOnThrottling(name: TableName): void {
    const table = this.tables[name];
    const period = Duration.minutes(1);
    const metrics: Record<string, Metric> = {};
    for (const operation of operationsOn(name)) {
      metrics[operation.charAt(0).toLowerCase() + operation.slice(1)] =
        table.metricThrottledRequestsForOperation(operation, { period, statistic: 'Sum' });
    }
    const ids = Object.keys(metrics);
    if (ids.length === 0 || ids.length > 10)
      throw new Error(`table ${name}: ${ids.length} operations to alarm on, where an alarm takes 1 to 10`);
    const throttled: IMetric = new MathExpression({
      expression: ids.map((id) => `FILL(${id}, 0)`).join(' + '),
      usingMetrics: metrics,
      label: `throttled requests to ${name}`,
      period,
    });
    const alarm = new Alarm(this, `${pascalCase(name)}ThrottledAlarm`, {
      alarmDescription: throttlingAlarmDescription(name),
      metric: throttled,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: THROTTLE_WINDOW_MINUTES,
      datapointsToAlarm: THROTTLED_MINUTES_TO_ALARM,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
  }

  private notify(alarm: Alarm): void {
    const action = new SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
