import {
  ChangeMessageVisibilityBatchCommand,
  type ChangeMessageVisibilityBatchCommandOutput,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type MessageAttributeValue,
  type QueueAttributeName,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { chunk } from '../platform/concurrency.js';
import { AppError } from '../platform/errors.js';
import type { DeadLetterQueues, LeasedMessage, Released, Waiting } from '../ports/dead-letter-queue.js';
import { awsCall } from './aws-errors.js';
import { groupIntoBatches } from './sqs-batch-sender.js';

const attributesOf = (message: LeasedMessage): Record<string, MessageAttributeValue> =>
  message.attributes as Record<string, MessageAttributeValue>;

/** A message's size as SQS counts it: body bytes (UTF-8), plus each attribute's name, type and value. */
const sqsSize = (message: LeasedMessage): number => {
  let bytes = Buffer.byteLength(message.body);
  for (const [name, value] of Object.entries(attributesOf(message))) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    if (value.StringValue !== undefined) bytes += Buffer.byteLength(value.StringValue);
    if (value.BinaryValue !== undefined) bytes += value.BinaryValue.byteLength;
  }
  return bytes;
};

/** The shortest long poll: it waits at most this long on an empty queue. */
const LONG_POLL_SECONDS = 1;

/** A message, with its index in the list to send: the Id of its batch entry. */
type Indexed = { message: LeasedMessage; index: number };

/**
 * Dead-letter queues in SQS, moved with ReceiveMessage / SendMessageBatch / DeleteMessageBatch. Works
 * on any SQS, fauxqs included (which has no StartMessageMoveTask), with no branch for either. Sends
 * in as many batches as the messages' sizes need: ten dead letters of up to 200,000 bytes each
 * (ingest's budget) do not fit one.
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

  /**
   * GetQueueAttributes, which reads counts SQS keeps and receives nothing. An answer without a count, or
   * with one that is not a whole number, fails: a count the tool would print as 0 is not one.
   */
  async waiting(queueUrl: string): Promise<Waiting> {
    const visible: QueueAttributeName = 'ApproximateNumberOfMessages';
    const hidden: QueueAttributeName = 'ApproximateNumberOfMessagesNotVisible';
    const answer = await awsCall('SQS GetQueueAttributes', () =>
      this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [visible, hidden] })),
    );
    const count = (name: QueueAttributeName): number => {
      const value = answer.Attributes?.[name];
      if (value === undefined || !/^\d+$/.test(value)) {
        throw new AppError('QUEUE_NOT_COUNTED', `SQS GetQueueAttributes gave no ${name} for ${queueUrl}`);
      }
      return Number(value);
    };
    return { visible: count(visible), hidden: count(hidden) };
  }

  /**
   * A long poll, however short: a short poll (WaitTimeSeconds 0) asks a sample of SQS's servers, and of a
   * small queue may answer empty while messages wait; a long poll asks them all, so empty means empty.
   */
  async receive(queueUrl: string, max: number, leaseSeconds: number): Promise<LeasedMessage[]> {
    const received = await awsCall('SQS ReceiveMessage', () =>
      this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max),
          WaitTimeSeconds: LONG_POLL_SECONDS,
          VisibilityTimeout: leaseSeconds,
          MessageAttributeNames: ['All'],
          // What an operator reads of a dead letter besides its ids (npm run redrive -- --list).
          MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        }),
      ),
    );
    const numberOf = (value: string | undefined): number | undefined =>
      value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
    return (received.Messages ?? []).map((message) => {
      const sentAt = numberOf(message.Attributes?.SentTimestamp);
      const receiveCount = numberOf(message.Attributes?.ApproximateReceiveCount);
      return {
        id: message.MessageId!,
        receipt: message.ReceiptHandle!,
        body: message.Body ?? '',
        attributes: message.MessageAttributes ?? {},
        ...(sentAt === undefined ? {} : { sentAt }),
        ...(receiveCount === undefined ? {} : { receiveCount }),
      };
    });
  }

  async send(queueUrl: string, messages: LeasedMessage[]): Promise<Set<string>> {
    const sent = new Set<string>();
    const indexed: Indexed[] = messages.map((message, index) => ({ message, index }));
    for (const batch of groupIntoBatches(indexed, ({ message }) => sqsSize(message))) {
      let result: SendMessageBatchCommandOutput;
      try {
        result = await awsCall('SQS SendMessageBatch', () =>
          this.sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: batch.map(({ message, index }) => ({
                Id: `m${index}`,
                MessageBody: message.body,
                ...(Object.keys(message.attributes).length > 0
                  ? { MessageAttributes: attributesOf(message) }
                  : {}),
              })),
            }),
          ),
        );
      } catch (error) {
        // Nothing sent yet: fail as one batch always did. Otherwise return what was sent, so it is
        // deleted from the DLQ; the rest is reported not sent and stays there, leased.
        if (sent.size === 0) throw error;
        break;
      }
      for (const entry of result.Successful ?? []) sent.add(messages[Number(entry.Id!.slice(1))]!.receipt);
    }
    return sent;
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

  /**
   * In batches of ten, one request each. A request that fails stops the release: what the batches before
   * it released is reported as released, and the failure with it, so a caller counts as still leased
   * only the messages that are.
   */
  async release(queueUrl: string, receipts: string[]): Promise<Released> {
    const released = new Set<string>();
    for (const batch of chunk(receipts, 10)) {
      let result: ChangeMessageVisibilityBatchCommandOutput;
      try {
        result = await awsCall('SQS ChangeMessageVisibilityBatch', () =>
          this.sqs.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: queueUrl,
              Entries: batch.map((ReceiptHandle, index) => ({
                Id: `r${index}`,
                ReceiptHandle,
                VisibilityTimeout: 0,
              })),
            }),
          ),
        );
      } catch (error) {
        return { released, failure: error as Error };
      }
      for (const entry of result.Successful ?? []) released.add(batch[Number(entry.Id!.slice(1))]!);
    }
    return { released };
  }
}
