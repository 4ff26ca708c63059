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
  /**
   * Receive loops, each invoking the handler with its own batch: how many invocations run at once, as
   * the event source mapping's maximum concurrency caps them. Default 1.
   */
  concurrency?: number;
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
 * The records a batch response fails, or every record of the batch when the response names an
 * identifier that is empty, missing or not one of the batch's message ids: Lambda then treats the
 * whole batch as failed, and so deletes nothing.
 */
const failedRecords = (
  event: SQSEvent,
  response: SQSBatchResponse | undefined,
): { failed: Set<string>; invalid?: string } => {
  const ids = new Set(event.Records.map((record) => record.messageId));
  const failed = new Set<string>();
  for (const failure of response?.batchItemFailures ?? []) {
    const identifier: unknown = failure?.itemIdentifier;
    if (typeof identifier !== 'string' || !ids.has(identifier)) {
      return { failed: ids, invalid: JSON.stringify(identifier) ?? 'undefined' };
    }
    failed.add(identifier);
  }
  return { failed };
};

/**
 * Plays Lambda's SQS event source mapping with ReportBatchItemFailures: receive a batch, invoke the
 * handler, delete what succeeded. Failed records stay invisible until their visibility timeout ends,
 * then come back; the queue's redrive policy moves them to the DLQ after maxReceiveCount receives.
 * `concurrency` receive loops run side by side, so batches of one queue are handled at the same time.
 */
export class SqsPoller {
  private running = false;
  private loops: Promise<void>[] = [];
  private inFlight = 0;
  /** Ends the long polls waiting when the poller stops, rather than waiting out their second. */
  private receiving = new AbortController();

  constructor(private readonly options: PollerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.receiving = new AbortController();
    const concurrency = Math.max(1, Math.floor(this.options.concurrency ?? 1));
    this.loops = Array.from({ length: concurrency }, () => this.run());
  }

  /**
   * Stops receiving, and resolves once every loop has finished the batch it was handling. A receive
   * still waiting for messages is abandoned: a message it had been given meanwhile stays invisible
   * for its visibility timeout, then is received again, as after any lost receive.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.receiving.abort();
    await Promise.all(this.loops);
    this.loops = [];
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Records its handler failed (reported or thrown), since it started: each comes back after the visibility timeout. */
  get failedRecords(): number {
    return this.failures;
  }

  private failures = 0;

  private async run(): Promise<void> {
    const { sqs, queueUrl } = this.options;
    const { signal } = this.receiving;
    while (this.running) {
      try {
        const received = await sqs
          .send(
            new ReceiveMessageCommand({
              QueueUrl: queueUrl,
              MaxNumberOfMessages: this.options.batchSize,
              WaitTimeSeconds: 1,
              VisibilityTimeout: this.options.visibilityTimeoutSeconds,
              MessageSystemAttributeNames: ['All'],
            }),
            { abortSignal: signal },
          )
          .catch((error: unknown) => {
            if (signal.aborted) return undefined;
            throw error;
          });
        if (received === undefined) return;
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
      const settled = failedRecords(event, response);
      failed = settled.failed;
      if (settled.invalid !== undefined) {
        this.options.onError?.(
          new Error(`batchItemFailures names ${settled.invalid}, no record of the batch: the batch failed`),
        );
      }
    } catch (error) {
      // A handler that throws, or runs out of time, fails the whole batch, as in Lambda.
      this.options.onError?.(error);
      failed = new Set(event.Records.map((record) => record.messageId));
    }
    this.failures += failed.size;
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
