import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  BUCKETS,
  type BucketName,
  QUEUES,
  type QueueName,
  TABLES,
  type TableName,
} from '../../infra/definitions.js';
import type { StackClients } from './stack-clients.js';
import { createTableInput } from './table-from-definition.js';

const PREFIX = 'parcelguard-local';

export interface QueueHandle {
  url: string;
  arn: string;
  dlqUrl: string;
}

export interface ResourceNames {
  tables: Record<TableName, string>;
  buckets: Record<BucketName, string>;
}

/** What the queues are created with, where a test wants other than infra/definitions.ts gives. */
export interface QueueSettings {
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
}

/** The local names of the tables and buckets of infra/definitions.ts. */
export const localResourceNames = (): ResourceNames => ({
  tables: Object.fromEntries(Object.keys(TABLES).map((name) => [name, `${PREFIX}-${name}`])) as Record<
    TableName,
    string
  >,
  buckets: Object.fromEntries(
    Object.keys(BUCKETS).map((name) => [name, `${PREFIX}-${name.toLowerCase()}`]),
  ) as Record<BucketName, string>,
});

/** The buckets, then the tables, then each queue after its DLQ; the queues' handles. */
export const createResources = async (
  clients: StackClients,
  { tables, buckets }: ResourceNames,
  settings: QueueSettings,
): Promise<Record<QueueName, QueueHandle>> => {
  for (const bucket of Object.values(buckets))
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await Promise.all(
    (Object.keys(TABLES) as TableName[]).map((name) =>
      clients.rawDynamo.send(new CreateTableCommand(createTableInput(tables[name], TABLES[name]))),
    ),
  );
  return createQueues(clients.sqs, settings);
};

const createQueues = async (
  sqs: SQSClient,
  settings: QueueSettings,
): Promise<Record<QueueName, QueueHandle>> => {
  const queues = {} as Record<QueueName, QueueHandle>;
  for (const [name, queue] of Object.entries(QUEUES) as [QueueName, (typeof QUEUES)[QueueName]][]) {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${PREFIX}-${name}-dlq` }));
    const dlqArn = await queueArn(sqs, dlq.QueueUrl!);
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${PREFIX}-${name}`,
        Attributes: {
          VisibilityTimeout: String(settings.visibilityTimeoutSeconds ?? queue.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: settings.maxReceiveCount ?? queue.maxReceiveCount,
          }),
        },
      }),
    );
    queues[name] = {
      url: created.QueueUrl!,
      arn: await queueArn(sqs, created.QueueUrl!),
      dlqUrl: dlq.QueueUrl!,
    };
  }
  return queues;
};

/** The counts SQS keeps of a queue's messages: visible, in flight (received, not deleted), delayed. */
type MessageCount =
  | 'ApproximateNumberOfMessages'
  | 'ApproximateNumberOfMessagesNotVisible'
  | 'ApproximateNumberOfMessagesDelayed';

/** The messages on a queue in the counts asked for, summed, as SQS counts them: nothing is received. */
export const messagesOn = async (
  sqs: SQSClient,
  queueUrl: string,
  counts: readonly MessageCount[],
): Promise<number> => {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...counts] }),
  );
  return counts.reduce((sum, count) => sum + Number(attributes[count] ?? 0), 0);
};

const queueArn = async (sqs: SQSClient, queueUrl: string): Promise<string> => {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return attributes.Attributes!.QueueArn!;
};
