import type { SQSClient } from '@aws-sdk/client-sqs';
import { toSqsBody } from '../../events/sqs-body.js';
import { sendAllMessages } from './sqs-batch-sender.js';

/** Any outbound queue of JSON messages (screening, inspection): one adapter serves every such port. */
export class SqsMessageQueue<T> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  send(messages: T[]): Promise<void> {
    return sendAllMessages(this.sqs, this.queueUrl, messages.map(toSqsBody));
  }
}
