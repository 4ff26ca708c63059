import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { AppError } from '../platform/errors.js';
import type { DeadLetterQueues, LeasedMessage } from '../ports/dead-letter-queue.js';
import { awsCall } from './aws-errors.js';

/**
 * Dead-letter queues in SQS, moved with ReceiveMessage / SendMessageBatch / DeleteMessageBatch. Works
 * on any SQS, fauxqs included (which has no StartMessageMoveTask), with no branch for either.
 */
export class SqsDeadLetterQueues implements DeadLetterQueues {
  constructor(private readonly sqs: SQSClient) {}

  async deadLetterQueueOf(sourceQueueUrl: string): Promise<string> {
    const attributes = await awsCall('SQS GetQueueAttributes', () =>
      this.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: sourceQueueUrl, AttributeNames: ['RedrivePolicy'] }),
      ),
    );
    const policy = attributes.Attributes?.RedrivePolicy;
    const arn = policy
      ? (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn
      : undefined;
    if (!arn)
      throw new AppError('NO_DEAD_LETTER_QUEUE', `${sourceQueueUrl} has no redrive policy naming a DLQ`);
    const [, , , , accountId, queueName] = arn.split(':');
    const found = await awsCall('SQS GetQueueUrl', () =>
      this.sqs.send(new GetQueueUrlCommand({ QueueName: queueName, QueueOwnerAWSAccountId: accountId })),
    );
    return found.QueueUrl!;
  }

  async receive(queueUrl: string, max: number, leaseSeconds: number): Promise<LeasedMessage[]> {
    const received = await awsCall('SQS ReceiveMessage', () =>
      this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max),
          WaitTimeSeconds: 0,
          VisibilityTimeout: leaseSeconds,
          MessageAttributeNames: ['All'],
        }),
      ),
    );
    return (received.Messages ?? []).map((message) => ({
      receipt: message.ReceiptHandle!,
      body: message.Body ?? '',
      attributes: message.MessageAttributes ?? {},
    }));
  }

  async send(queueUrl: string, messages: LeasedMessage[]): Promise<Set<string>> {
    if (messages.length === 0) return new Set();
    const result = await awsCall('SQS SendMessageBatch', () =>
      this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((message, index) => ({
            Id: `m${index}`,
            MessageBody: message.body,
            ...(Object.keys(message.attributes).length > 0
              ? { MessageAttributes: message.attributes as Record<string, MessageAttributeValue> }
              : {}),
          })),
        }),
      ),
    );
    return new Set((result.Successful ?? []).map((entry) => messages[Number(entry.Id!.slice(1))]!.receipt));
  }

  async delete(queueUrl: string, receipts: string[]): Promise<Set<string>> {
    if (receipts.length === 0) return new Set();
    const result = await awsCall('SQS DeleteMessageBatch', () =>
      this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: receipts.map((ReceiptHandle, index) => ({ Id: `d${index}`, ReceiptHandle })),
        }),
      ),
    );
    return new Set((result.Successful ?? []).map((entry) => receipts[Number(entry.Id!.slice(1))]!));
  }
}
