/** One message taken off a queue, held invisible to others until it is deleted or its lease ends. */
export interface LeasedMessage {
  /** Identifies the message itself (SQS MessageId): the same on every receive, unlike the receipt. */
  id: string;
  /** Identifies the lease; needed to delete the message. */
  receipt: string;
  body: string;
  /** Message attributes as the queue returned them, carried over unchanged on a move. */
  attributes: Record<string, unknown>;
  /** When it was first sent to its source queue, in epoch milliseconds (SQS SentTimestamp), when known. */
  sentAt?: number;
  /** How many times it was received, this receive included (SQS ApproximateReceiveCount), when known. */
  receiveCount?: number;
}

/**
 * How many messages wait on a queue, as SQS counts them: approximate (SQS counts across its servers and
 * may lag a little behind), and never a message read.
 */
export interface Waiting {
  /** Visible: a receive may take them now (ApproximateNumberOfMessages). */
  visible: number;
  /**
   * Hidden: received and not yet deleted, nor their lease ended or given back, by a consumer, a listing or
   * a redrive (ApproximateNumberOfMessagesNotVisible).
   */
  hidden: number;
}

/** Port: moving messages between a dead-letter queue and the queue it serves. */
export interface DeadLetterQueues {
  /** The dead-letter queue the source queue's redrive policy names. */
  deadLetterQueueOf(sourceQueueUrl: string): Promise<string>;
  /** How many messages wait on a queue, visible and hidden, as the queue counts them; receives none. */
  waiting(queueUrl: string): Promise<Waiting>;
  /**
   * Takes up to `max` (at most 10) messages off a queue, leased for `leaseSeconds`. An empty answer means
   * the queue has no visible message (not merely that the servers asked had none).
   */
  receive(queueUrl: string, max: number, leaseSeconds: number): Promise<LeasedMessage[]>;
  /** Sends messages to a queue; returns the receipts of those the queue accepted. */
  send(queueUrl: string, messages: LeasedMessage[]): Promise<Set<string>>;
  /** Deletes messages by receipt; returns the receipts that were deleted. */
  delete(queueUrl: string, receipts: string[]): Promise<Set<string>>;
  /**
   * Ends leases before their time, so the messages are visible again now. Resolves with what it released
   * even when part of it failed: a lease it did not end runs out on its own.
   */
  release(queueUrl: string, receipts: string[]): Promise<Released>;
}

/** What a release gave back, and what stopped it when part of it failed. */
export interface Released {
  /** The receipts whose lease ended: their messages are visible again. */
  released: Set<string>;
  /**
   * Why a request of the release failed, when one did: its receipts, and those the release did not try
   * after it, are not in `released` (nor those the queue refused one by one).
   */
  failure?: Error;
}
