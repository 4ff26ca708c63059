import type { SQSClient } from '@aws-sdk/client-sqs';
import { consumerOf, QUEUES, type QueueDefinition, type QueueName } from '../../infra/definitions.js';
import type { LocalFunctions } from './local-functions.js';
import { type SqsHandler, SqsPoller } from './sqs-poller.js';
import { messagesOn, type QueueHandle } from './stack-resources.js';

/** The local cap on the invocations an SQS event source runs at once: races, without 50 loops a queue. */
export const LOCAL_MAX_CONCURRENCY = 4;

/**
 * Invocations at once for a queue's event source. AWS refuses an event source mapping whose queue's
 * visibility timeout is shorter than its function's timeout; the embedded stack runs one (tests shorten
 * the visibility to 1 s for quick retries), but one invocation at a time, as a second invocation would
 * receive a batch again while the first still runs, a duplicate AWS never delivers.
 */
export const eventSourceConcurrency = (
  consumer: { maxConcurrency: number },
  visibilityTimeoutSeconds: number,
  functionTimeoutSeconds: number,
  wanted: number | undefined,
): number => {
  if (visibilityTimeoutSeconds < functionTimeoutSeconds) return 1;
  return Math.max(1, Math.min(consumer.maxConcurrency, wanted ?? LOCAL_MAX_CONCURRENCY));
};

export interface EventSourceSettings {
  /** The visibility timeout the queues were created with, where not infra/definitions.ts's. */
  visibilityTimeoutSeconds?: number;
  /** Invocations at once wanted of each event source (eventSourceConcurrency). */
  maxConcurrency?: number;
}

const consumedQueues = (): QueueName[] =>
  (Object.keys(QUEUES) as QueueName[]).filter((name) => consumerOf(name) !== undefined);

/** Plays the SQS event source mappings: a started poller per consumed queue, feeding its consumer. */
export const startEventSources = (
  sqs: SQSClient,
  queues: Record<QueueName, QueueHandle>,
  functions: LocalFunctions,
  settings: EventSourceSettings,
): SqsPoller[] => {
  const pollers: SqsPoller[] = [];
  for (const name of Object.keys(QUEUES) as QueueName[]) {
    const consumer = consumerOf(name);
    const mapping = (QUEUES[name] as QueueDefinition).consumer;
    if (!consumer || !mapping) continue;
    const visibilityTimeoutSeconds =
      settings.visibilityTimeoutSeconds ?? QUEUES[name].visibilityTimeoutSeconds;
    const poller = new SqsPoller({
      sqs,
      queueUrl: queues[name].url,
      queueArn: queues[name].arn,
      handler: functions.handlerOf(consumer) as SqsHandler,
      context: functions.contextFor(consumer),
      batchSize: mapping.batchSize,
      visibilityTimeoutSeconds,
      concurrency: eventSourceConcurrency(
        mapping,
        visibilityTimeoutSeconds,
        functions.timeoutOf(consumer),
        settings.maxConcurrency,
      ),
      // What Lambda logs of a failed invocation ("Task timed out", a thrown error) and what the event
      // source mapping meets: in AWS it also counts in the function's Errors, which its alarm watches.
      onError: (error) =>
        console.error(
          `${consumer} on the ${name} queue failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
    poller.start();
    pollers.push(poller);
  }
  return pollers;
};

/**
 * Why the stack is not idle: the messages left on each consumed queue, and the records its handlers
 * failed, which wait out their queue's visibility timeout (minutes) before they are tried again.
 */
const stillBusy = (
  timeoutMs: number,
  consumed: readonly QueueName[],
  counts: readonly number[],
  pollers: readonly SqsPoller[],
): string => {
  const left = consumed
    .map((name, index) => ({ name, count: counts[index] ?? 0 }))
    .filter(({ count }) => count > 0)
    .map(({ name, count }) => `${count} on the ${name} queue`);
  const failed = pollers.reduce((sum, poller) => sum + poller.failedRecords, 0);
  return [
    `embedded stack still busy after ${timeoutMs} ms`,
    left.length > 0 ? `: messages left, ${left.join(', ')}` : '',
    failed > 0
      ? `; ${failed} record(s) failed (the errors logged above say why) and are retried only after their queue's visibility timeout`
      : '',
  ].join('');
};

/** Resolves when every consumed queue is empty and no poller's handler runs, twice in a row, 100 ms apart. */
export const waitForEventSourcesIdle = async (
  sqs: SQSClient,
  queues: Record<QueueName, QueueHandle>,
  pollers: readonly SqsPoller[],
  timeoutMs = 30_000,
): Promise<void> => {
  const consumed = consumedQueues();
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  let counts: number[] = [];
  while (quietRounds < 2) {
    if (Date.now() > deadline) throw new Error(stillBusy(timeoutMs, consumed, counts, pollers));
    counts = await Promise.all(
      consumed.map((name) =>
        messagesOn(sqs, queues[name].url, [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
        ]),
      ),
    );
    const idle = counts.every((count) => count === 0) && pollers.every((poller) => !poller.busy);
    quietRounds = idle ? quietRounds + 1 : 0;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
};
