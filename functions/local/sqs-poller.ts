import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { invokeWithinDeadline } from './lambda-deadline.js';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  context: () => Context;
  batchSize: number;
  visibilityTimeoutSeconds: number;
  /** Reports what the poller saw go wrong; the poller itself carries on, as the event source mapping does. */
  onError?: (error: unknown) => void;
}

const toRecord = (message: Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId!,
  receiptHandle: message.ReceiptHandle!,
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: message.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp:
      message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: queueArn.split(':')[3] ?? 'local',
});

/**
 * Plays Lambda's SQS event source mapping with ReportBatchItemFailures: receive a batch, invoke the
 * handler, delete what succeeded. Failed records stay invisible until their visibility timeout ends,
 * then come back; the queue's redrive policy moves them to the DLQ after maxReceiveCount receives.
 */
export class SqsPoller {
  private running = false;
  private loop: Promise<void> | undefined;
  private inFlight = 0;

  constructor(private readonly options: PollerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async run(): Promise<void> {
    const { sqs, queueUrl } = this.options;
    while (this.running) {
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: this.options.batchSize,
            WaitTimeSeconds: 1,
            VisibilityTimeout: this.options.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) continue;
        this.inFlight += 1;
        try {
          await this.deliver(messages);
        } finally {
          this.inFlight -= 1;
        }
      } catch (error) {
        this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  private async deliver(messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((message) => toRecord(message, this.options.queueArn)) };
    let failed: Set<string>;
    try {
      const context = this.options.context();
      const response = await invokeWithinDeadline(context, () => this.options.handler(event, context));
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      // A handler that throws, or runs out of time, fails the whole batch, as in Lambda.
      this.options.onError?.(error);
      failed = new Set(event.Records.map((record) => record.messageId));
    }
    const succeeded = messages.filter((message) => !failed.has(message.MessageId!));
    if (succeeded.length === 0) return;
    await this.options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.options.queueUrl,
        Entries: succeeded.map((message, index) => ({
          Id: `d${index}`,
          ReceiptHandle: message.ReceiptHandle!,
        })),
      }),
    );
  }
}
