import { parseArgs } from 'node:util';
import { QUEUES, type QueueName } from '../../infra/definitions.js';
import { SqsDeadLetterQueues } from '../adapters/sqs-dead-letter-queues.js';
import { LEASE_SECONDS, makeRedriveDeadLetters } from '../operations/redrive-dead-letters.js';
import { getSqsClient, TOOL_REQUEST_HANDLER } from '../platform/clients.js';
import { loadConfig, RedriveToolConfigSchema } from '../platform/config.js';
import { DependencyError, isAppError } from '../platform/errors.js';
import { positiveWholeNumber } from './arguments.js';
import { EMBEDDED_STACK_HINT } from './tool-config.js';

/**
 * `npm run redrive -- [--queue screening|inspection|referral] [--max N]`: moves dead-lettered messages back to their
 * source queue once the cause is fixed. The queue URL comes from its usual variable (SCREENING_QUEUE_URL
 * for screening, see infra/definitions.ts); the DLQ from the queue's redrive policy.
 * Exit codes: 0 all moved; 1 some could not be moved (the report says how many, and why it stopped);
 * 2 wrong usage or configuration (the queue has no redrive policy naming a DLQ, say); 3 SQS could not be
 * reached (down, throttling, unreachable endpoint): nothing is known to be wrong with the messages, run it
 * again later.
 */

const USAGE = 'usage: npm run redrive -- [--queue screening|inspection|referral] [--max N]';

/** The code of a DependencyError (platform/errors.ts): SQS slow, throttling or not answering. */
const UNREACHABLE = 'DEPENDENCY_UNAVAILABLE';

const main = async (): Promise<number> => {
  let queue: QueueName;
  let max: number | undefined;
  try {
    const { values } = parseArgs({
      options: { queue: { type: 'string', default: 'screening' }, max: { type: 'string' } },
      strict: true,
    });
    // Own keys only: `toString` is in every object.
    if (!Object.hasOwn(QUEUES, values.queue!)) throw new Error(`unknown queue ${values.queue}`);
    queue = values.queue as QueueName;
    if (values.max !== undefined) {
      max = positiveWholeNumber(values.max);
      if (max === undefined) throw new Error('--max must be a positive whole number');
    }
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  // Every setting this run needs, named at once: a newcomer should not fix them one round at a time.
  const variable = QUEUES[queue].env;
  const needs = `settings: AWS_REGION and ${variable} (the ${queue} queue's URL)`;
  let config: ReturnType<typeof loadConfig<typeof RedriveToolConfigSchema>>;
  try {
    config = loadConfig(RedriveToolConfigSchema);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${needs}\n${EMBEDDED_STACK_HINT}\n${USAGE}\n`);
    return 2;
  }
  const sourceQueueUrl = config[variable];
  if (!sourceQueueUrl) {
    process.stderr.write(
      `${variable} is not set: it names the ${queue} queue\n${needs}\n${EMBEDDED_STACK_HINT}\n`,
    );
    return 2;
  }
  let report: Awaited<ReturnType<ReturnType<typeof makeRedriveDeadLetters>>>;
  try {
    report = await makeRedriveDeadLetters(new SqsDeadLetterQueues(getSqsClient(TOOL_REQUEST_HANDLER)))({
      sourceQueueUrl,
      ...(max === undefined ? {} : { max }),
    });
  } catch (error) {
    // Finding the DLQ failed: nothing was moved.
    if (isAppError(error) && error.code === 'NO_DEAD_LETTER_QUEUE') {
      process.stderr.write(`${error.message}: is ${variable} the ${queue} queue's URL?\n${needs}\n`);
      return 2;
    }
    if (error instanceof DependencyError) {
      process.stderr.write(`redrive could not reach SQS: ${error.message}; nothing was moved\n`);
      return 3;
    }
    // SQS refused the request (no such queue, no access): the settings, not the messages.
    if (isAppError(error) && error.code === 'AWS_REQUEST_REJECTED') {
      process.stderr.write(
        `${error.message}; nothing was moved: is ${variable} the ${queue} queue's URL, and may these credentials read it?\n${needs}\n`,
      );
      return 2;
    }
    throw error;
  }
  const { deadLetterQueueUrl: from, stopped, stoppedCode, ...counts } = report;
  process.stdout.write(`${JSON.stringify({ queue, from, ...counts, ...(stopped ? { stopped } : {}) })}\n`);
  // Messages still leased are hidden from a run started before their lease ends.
  const again =
    report.leased > 0
      ? `run it again in ${LEASE_SECONDS} s, when the ${report.leased} still leased on the DLQ are visible again, to move the rest`
      : 'run it again to move the rest';
  // SQS refused a request of the run before it moved anything (a DLQ these credentials may not read, or
  // a queue they may not send to): the settings, as when finding the DLQ is refused.
  if (stoppedCode === 'AWS_REQUEST_REJECTED' && report.moved + report.notDeleted === 0) {
    process.stderr.write(
      `${stopped}; nothing was moved: may these credentials read and change ${from}, the ${queue} queue's DLQ, and send to the ${queue} queue?\n${needs}\n`,
    );
    return 2;
  }
  if (stoppedCode === UNREACHABLE) {
    process.stderr.write(`redrive could not reach SQS: ${stopped}; ${again}\n`);
    return 3;
  }
  const notAllMoved = report.notSent > 0 || report.notDeleted > 0;
  if (stopped) process.stderr.write(`redrive stopped: ${stopped}; ${again}\n`);
  else if (notAllMoved) process.stderr.write(`redrive moved not all: ${again}\n`);
  return notAllMoved || stopped !== undefined ? 1 : 0;
};

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`redrive failed: ${(error as Error).message}\n`);
  return 1;
});
