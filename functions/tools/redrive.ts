import { randomUUID } from 'node:crypto';
import { QUEUES, type QueueName } from '../../infra/definitions.js';
import { DynamoDbAuditLog } from '../adapters/dynamodb-audit-log.js';
import { SqsDeadLetterQueues } from '../adapters/sqs-dead-letter-queues.js';
import type { DeadLetter } from '../operations/dead-letters.js';
import { LIST_LEASE_SECONDS, makeListDeadLetters } from '../operations/list-dead-letters.js';
import { recordAction, redrivenDraft } from '../operations/operator-audit.js';
import { LEASE_SECONDS, makeRedriveDeadLetters } from '../operations/redrive-dead-letters.js';
import { getDocumentClient, getSqsClient, TOOL_REQUEST_HANDLER } from '../platform/clients.js';
import { loadConfig, RedriveToolConfigSchema } from '../platform/config.js';
import { DependencyError, isAppError } from '../platform/errors.js';
import { parseToolArgs, positiveWholeNumber } from './arguments.js';
import { toolActor } from './tool-actor.js';
import { EMBEDDED_STACK_HINT } from './tool-config.js';
import { asksForHelp, runAsTool } from './tool-process.js';

/**
 * `npm run redrive -- [--queue screening|inspection|referral] [--list] [--max N]`: moves dead-lettered messages back to their
 * source queue once the cause is fixed. The queue URL comes from its usual variable (SCREENING_QUEUE_URL
 * for screening, see infra/definitions.ts); the DLQ from the queue's redrive policy.
 * Prints one JSON line of counts, with what waited on the DLQ in all before the run and what waits after
 * (`waitingBefore`, `waitingAfter`: SQS's approximate counts, or `notCounted` and why), then one line per
 * message moved (its ids, never its body), at most SHOWN_MOVED of them and then how many more.
 * With `--list`, moves nothing: prints a line with the total listed and what waited on the DLQ in all
 * when it started (`waiting`, as a redrive's), then what waits on the DLQ (at most --max,
 * LIST_DEFAULT_MAX unless given), one JSON line per message, oldest first.
 * A run that moved anything is recorded in the audit log's `operations` chain (AUDIT_LOG_TABLE) under
 * `--actor`, else $USER, else the account name: how many it moved, and how it ended.
 * Exit codes: 0 all moved (or listed); 1 some could not be moved (the report says how many, and why it stopped);
 * 2 wrong usage or configuration (the queue has no redrive policy naming a DLQ, say); 3 SQS could not be
 * reached (down, throttling, unreachable endpoint): nothing is known to be wrong with the messages, run it
 * again later; or the audit log did not record a run that moved messages (they stay moved).
 */

const USAGE = `usage: npm run redrive -- [--queue screening|inspection|referral] [--list] [--max N] [--actor name]
  (reads the queue's URL variable, AUDIT_LOG_TABLE (not for --list), AWS_REGION; the actor the audit log records defaults to $USER, else the account name)`;

/** Moved messages shown one a line; a larger redrive says how many more. */
const SHOWN_MOVED = 50;

/** What --list shows without --max: a screenful to start from, and few messages hidden while it reads. */
const LIST_DEFAULT_MAX = 100;

const writeLine = (value: object): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

/** One line per message, at most `shown`, then one saying how many more were not shown. */
const writeDeadLetters = (messages: readonly DeadLetter[], shown: number): void => {
  for (const message of messages.slice(0, shown)) writeLine(message);
  if (messages.length > shown) writeLine({ andMore: messages.length - shown });
};

/** The code of a DependencyError (platform/errors.ts): SQS slow, throttling or not answering. */
const UNREACHABLE = 'DEPENDENCY_UNAVAILABLE';

const redrive = async (argv: string[]): Promise<number> => {
  if (asksForHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let queue: QueueName;
  let max: number | undefined;
  let list: boolean;
  let givenActor: string | undefined;
  try {
    const { values } = parseToolArgs({
      args: argv,
      options: {
        queue: { type: 'string', default: 'screening' },
        max: { type: 'string' },
        list: { type: 'boolean', default: false },
        actor: { type: 'string' },
      },
      strict: true,
    });
    list = values.list;
    givenActor = values.actor;
    if (list && givenActor !== undefined) throw new Error('--actor is for a redrive: --list changes nothing');
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
  const needs = `settings: AWS_REGION and ${variable} (the ${queue} queue's URL)${list ? '' : ', AUDIT_LOG_TABLE'}`;
  let config: ReturnType<typeof loadConfig<typeof RedriveToolConfigSchema>>;
  try {
    config = loadConfig(RedriveToolConfigSchema);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${needs}\n${EMBEDDED_STACK_HINT}\n${USAGE}\n`);
    return 2;
  }
  const sourceQueueUrl = config[variable];
  const unset = [
    ...(sourceQueueUrl ? [] : [`${variable} is not set: it names the ${queue} queue`]),
    ...(list || config.AUDIT_LOG_TABLE
      ? []
      : ['AUDIT_LOG_TABLE is not set: it names the audit log a redrive is recorded in']),
  ];
  if (!sourceQueueUrl || unset.length > 0) {
    process.stderr.write(`${unset.join('\n')}\n${needs}\n${EMBEDDED_STACK_HINT}\n`);
    return 2;
  }
  const actor = list ? undefined : toolActor(givenActor, config.USER);
  if (actor instanceof Error) {
    process.stderr.write(`${actor.message}\n${USAGE}\n`);
    return 2;
  }
  const queues = new SqsDeadLetterQueues(getSqsClient(TOOL_REQUEST_HANDLER));
  const tool = list ? 'redrive --list' : 'redrive';
  let report: Awaited<ReturnType<ReturnType<typeof makeRedriveDeadLetters>>>;
  try {
    if (list) {
      const listing = await makeListDeadLetters(queues)({ sourceQueueUrl, max: max ?? LIST_DEFAULT_MAX });
      return writeListing(queue, listing, needs);
    }
    report = await makeRedriveDeadLetters(queues)({
      sourceQueueUrl,
      ...(max === undefined ? {} : { max }),
    });
  } catch (error) {
    // Finding the DLQ failed: nothing was moved (nor listed).
    const nothing = list ? 'nothing was listed' : 'nothing was moved';
    if (isAppError(error) && error.code === 'NO_DEAD_LETTER_QUEUE') {
      process.stderr.write(`${error.message}: is ${variable} the ${queue} queue's URL?\n${needs}\n`);
      return 2;
    }
    if (error instanceof DependencyError) {
      process.stderr.write(`${tool} could not reach SQS: ${error.message}; ${nothing}\n`);
      return 3;
    }
    // SQS refused the request (no such queue, no access): the settings, not the messages.
    if (isAppError(error) && error.code === 'AWS_REQUEST_REJECTED') {
      process.stderr.write(
        `${error.message}; ${nothing}: is ${variable} the ${queue} queue's URL, and may these credentials read it?\n${needs}\n`,
      );
      return 2;
    }
    throw error;
  }
  const { deadLetterQueueUrl: from, stopped, stoppedCode, movedMessages, ...counts } = report;
  writeLine({ queue, from, ...counts, ...(stopped ? { stopped } : {}) });
  // Each went back as a new message, with a new id: the lines name it by its ids, and by the id it had
  // on the DLQ (and in its failure lines).
  writeDeadLetters(movedMessages, SHOWN_MOVED);
  const code = runOutcome(queue, report, needs);
  // Said after what the run did, which stands: the operator still needs to know whether to run it again.
  const unrecorded = await recordRun(config.AUDIT_LOG_TABLE!, actor!, queue, report);
  if (unrecorded === undefined) return code;
  process.stderr.write(`the messages stay moved, but the audit log did not record the run ${unrecorded}\n`);
  return 3;
};

/** Says on stderr what is left to do after a redrive: its exit code as the header says. */
const runOutcome = (
  queue: QueueName,
  report: Awaited<ReturnType<ReturnType<typeof makeRedriveDeadLetters>>>,
  needs: string,
): number => {
  const { deadLetterQueueUrl: from, stopped, stoppedCode } = report;
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

/**
 * Records a run that sent anything back (a run that moved nothing changed nothing): why it is not in
 * the log, and the action to tell the auditors of, if it is not (recordAction).
 */
const recordRun = async (
  auditLogTable: string,
  actor: string,
  queue: QueueName,
  report: Awaited<ReturnType<ReturnType<typeof makeRedriveDeadLetters>>>,
): Promise<string | undefined> => {
  if (report.moved + report.notDeleted === 0) return undefined;
  const auditLog = new DynamoDbAuditLog(getDocumentClient(TOOL_REQUEST_HANDLER), auditLogTable);
  const draft = redrivenDraft(
    { actor, at: new Date().toISOString(), runId: randomUUID() },
    {
      queue,
      moved: report.moved,
      notDeleted: report.notDeleted,
      notSent: report.notSent,
      ...(report.stopped === undefined ? {} : { stopped: report.stopped }),
    },
  );
  return recordAction(auditLog, draft);
};

/**
 * Prints a listing: the total, then each message, as a redrive prints its counts before what it moved;
 * says on stderr when more may wait or some stay hidden.
 * Exit 0 when it read the DLQ to its end or to --max; 2 when SQS refused it before it read anything (the
 * settings, as for a redrive); 3 when SQS stopped answering; 1 when it stopped otherwise. What it read
 * is printed either way.
 */
const writeListing = (
  queue: QueueName,
  report: Awaited<ReturnType<ReturnType<typeof makeListDeadLetters>>>,
  needs: string,
): number => {
  const { deadLetterQueueUrl: from, messages, reachedMax, leased, waiting, stopped, stoppedCode } = report;
  writeLine({ queue, from, listed: messages.length, leased, waiting, ...(stopped ? { stopped } : {}) });
  writeDeadLetters(messages, messages.length);
  if (reachedMax) {
    process.stderr.write(
      `listed ${messages.length}, the most --max lets it: more may wait on the DLQ, older ones too (SQS hands them out in no set order); --max N lists more\n`,
    );
  }
  if (leased > 0) {
    process.stderr.write(
      `${leased} listed stay hidden on the DLQ for up to ${LIST_LEASE_SECONDS} s: a redrive started before then skips them\n`,
    );
  }
  if (stopped === undefined) return 0;
  if (stoppedCode === 'AWS_REQUEST_REJECTED' && messages.length === 0) {
    process.stderr.write(
      `${stopped}; nothing was listed: may these credentials read and change ${from}, the ${queue} queue's DLQ?\n${needs}\n`,
    );
    return 2;
  }
  process.stderr.write(`redrive --list stopped: ${stopped}\n`);
  return stoppedCode === UNREACHABLE ? 3 : 1;
};

/** Runs `npm run redrive -- <argv>`: its exit code. */
export const runRedrive = (argv: string[]): Promise<number> =>
  redrive(argv).catch((error: unknown) => {
    process.stderr.write(`redrive failed: ${(error as Error).message}\n`);
    return 1;
  });

if (import.meta.main) await runAsTool(runRedrive);
