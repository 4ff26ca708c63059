import { Aws, type CfnElement, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  BUCKETS,
  type BucketName,
  type QueueName,
  type SecretName,
  type TableName,
  TOOLS,
  type ToolDefinition,
  type ToolName,
} from '../definitions.js';
import {
  ANCHOR_BUCKET_ACTIONS,
  ANCHOR_OBJECT_ACTIONS,
  REDRIVE_DLQ_ACTIONS,
  REDRIVE_QUEUE_ACTIONS,
  tableGrantsOf,
} from '../grants.js';
import { mapDefinitions, pascalCase } from '../stacks/definition-helpers.js';
import { newObjectPuts } from './new-object-puts.js';
import { tableStatements } from './table-statements.js';

export interface OperatorPoliciesProps {
  tables: Record<TableName, ITable>;
  queues: Record<QueueName, IQueue>;
  deadLetterQueues: Record<QueueName, IQueue>;
  buckets: Record<BucketName, IBucket>;
  secrets: Record<SecretName, ISecret>;
  /** Encrypts the tables, queues and secrets: reading them takes decrypt, writing them encrypt too. */
  dataKey: IKey;
}

const DECRYPT = ['kms:Decrypt', 'kms:DescribeKey'];
/** As CDK grants a writer of a table or a sender to a queue encrypted under a key. */
const ENCRYPT_DECRYPT = [...DECRYPT, 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * One managed policy per operator tool (TOOLS in infra/definitions.ts), from its grants (infra/grants.ts),
 * for an administrator to attach to whoever runs the tool: no operator needs an administrator's rights to
 * load a list or redrive a queue. Besides the grants the tests run the tools under: the data key the
 * tables, queues and secrets are encrypted with (only through those services), and reading the secrets
 * whose value the tool takes.
 */
export class OperatorPolicies extends Construct {
  readonly policies: Record<ToolName, ManagedPolicy>;

  constructor(scope: Construct, id: string, props: OperatorPoliciesProps) {
    super(scope, id);
    this.policies = mapDefinitions(TOOLS, (name, definition: ToolDefinition) => {
      const policy = new ManagedPolicy(this, `${pascalCase(name)}Tool`, {
        description: `parcelguard ${definition.description}`,
        statements: statementsOf(definition, props),
      });
      new CfnOutput(scope, `${pascalCase(name)}ToolPolicyArn`, {
        value: policy.managedPolicyArn,
        description: `attach to whoever runs npm run ${name}: ${definition.description}`,
      });
      acknowledgeWildcards(policy, definition, props);
      return policy;
    });
  }
}

const statementsOf = (definition: ToolDefinition, props: OperatorPoliciesProps): PolicyStatement[] => {
  const statements: PolicyStatement[] = [];
  const allow = (actions: readonly string[], resources: string[]) =>
    statements.push(new PolicyStatement({ actions: [...actions], resources }));
  const onlyKeys: Partial<Record<TableName, string[]>> = definition.onlyKeys ?? {};
  for (const grant of tableGrantsOf(definition)) {
    statements.push(...tableStatements(grant, props.tables[grant.table].tableArn, onlyKeys[grant.table]));
  }
  for (const queue of definition.redrives ?? []) {
    allow(REDRIVE_QUEUE_ACTIONS, [props.queues[queue].queueArn]);
    allow(REDRIVE_DLQ_ACTIONS, [props.deadLetterQueues[queue].queueArn]);
  }
  for (const bucket of definition.anchors ?? []) {
    const { bucketArn } = props.buckets[bucket];
    const objects = `${bucketArn}/${BUCKETS[bucket].prefix}*`;
    allow(ANCHOR_BUCKET_ACTIONS, [bucketArn]);
    allow(
      ANCHOR_OBJECT_ACTIONS.filter((action) => action !== 's3:PutObject'),
      [objects],
    );
    statements.push(newObjectPuts(objects));
  }
  for (const secret of definition.secrets)
    allow(['secretsmanager:GetSecretValue'], [props.secrets[secret].secretArn]);
  const kms = keyActionsOf(definition);
  if (kms.length > 0) {
    // Through the services that hold the data under it, never a call of the tool's user on the key itself.
    statements.push(
      new PolicyStatement({
        actions: kms,
        resources: [props.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': servicesOf(definition).map(viaService) } },
      }),
    );
  }
  return statements;
};

/** The services that use the data key for the tool: its tables, queues and secrets. */
const servicesOf = (definition: ToolDefinition): string[] => [
  ...(definition.tables.read.length + definition.tables.write.length > 0 ? ['dynamodb'] : []),
  ...((definition.redrives ?? []).length > 0 ? ['sqs'] : []),
  ...(definition.secrets.length > 0 ? ['secretsmanager'] : []),
];

const viaService = (service: string): string => `${service}.${Aws.REGION}.amazonaws.com`;

/** What the tool does under the data key: nothing, decrypt (reads), or encrypt too (writes, sends). */
const keyActionsOf = (definition: ToolDefinition): string[] => {
  const encrypts = definition.tables.write.length > 0 || (definition.redrives ?? []).length > 0;
  if (encrypts) return ENCRYPT_DECRYPT;
  const decrypts = definition.tables.read.length > 0 || definition.secrets.length > 0;
  return decrypts ? DECRYPT : [];
};

/** The wildcards a tool's policy holds, each with why (cdk-nag AwsSolutions-IAM5). */
const acknowledgeWildcards = (
  policy: ManagedPolicy,
  definition: ToolDefinition,
  props: OperatorPoliciesProps,
): void => {
  if (keyActionsOf(definition) === ENCRYPT_DECRYPT) {
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          `${action} is the action family SQS and DynamoDB need to encrypt under the data key, and the ` +
          'statement names that one key as its only resource.',
      });
    }
  }
  for (const bucket of definition.anchors ?? []) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.buckets[bucket])}.Arn>/${BUCKETS[bucket].prefix}*]`,
      reason:
        'Every anchor in its folder: verify reads each anchor and its versions, anchor adds a new object ' +
        'named by its time (If-None-Match); no other object and no delete.',
    });
  }
};

/** The logical id by which cdk-nag names a resource of this stack in a finding (`<Id.Arn>`). */
const logicalIdOf = (resource: IBucket): string =>
  Stack.of(resource).resolve((resource.node.defaultChild as CfnElement).logicalId) as string;
