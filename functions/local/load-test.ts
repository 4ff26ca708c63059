import { randomUUID } from 'node:crypto';
import type { Manifest } from '../../events/manifest-v1.js';
import { MANIFEST_LIMITS } from '../../events/manifest-v1.js';
import { consumerOf, type QueueName } from '../../infra/definitions.js';
import { parcelKey } from '../core/keys.js';
import { retryAfterSeconds } from '../core/webhooks/retry-after.js';
import { type CounterMismatch, checkEffects } from './effects-check.js';
import {
  type EmbeddedStack,
  type EmbeddedStackOptions,
  messagesOn,
  startEmbeddedStack,
} from './embedded-stack.js';
import { postSignedManifest } from './partner-client.js';
import { sampleTemplates, syntheticManifest } from './synthetic-manifests.js';

/**
 * The load run behind `npm run load` and the benchmark: starts its own embedded stack, posts N signed
 * manifests concurrently to it (loopback only) as partners do (retrying until answered), waits until
 * every parcel is screened, and checks the stores and the dead-letter queues: nothing lost, nothing
 * counted twice, nothing dead-lettered. Bounded in count and in time; stops by itself.
 */

export interface LoadOptions {
  manifests: number;
  parcelsPerManifest: number;
  /** Deliveries in flight at once. */
  concurrency: number;
  /**
   * The whole run (posting, with retries, and screening) must end within this; the run fails otherwise.
   * A manifest still unanswered then is counted as such.
   */
  timeoutSeconds: number;
  /** Progress lines, e.g. to stderr; silent when omitted. */
  log?: (line: string) => void;
  /** What a test changes in the embedded stack the run starts: injected faults, timeouts, receives. */
  stack?: EmbeddedStackOptions;
}

/**
 * What the embedded stack, one process on 2 cores, carries without its own SDK attempts timing out:
 * 5,000 parcels in about 90 s (2026-11-30). At 200 × 100 with 32 in flight the event loop falls so far
 * behind that screenings time out on every receive and dead-letter (83 messages that day, none lost):
 * the emulators' limit, not the pipeline's, so that is a size to run only to watch the dead letters.
 */
export const DEFAULT_LOAD: LoadOptions = {
  manifests: 50,
  parcelsPerManifest: 100,
  concurrency: 8,
  timeoutSeconds: 1_200,
};

/** What one run may ask for at most: keeps a mistyped size from exhausting the machine. */
export const LOAD_BOUNDS = {
  manifests: 2_000,
  parcelsPerManifest: MANIFEST_LIMITS.maxParcels,
  parcels: 200_000,
  concurrency: 128,
  timeoutSeconds: 1_800,
} as const;

export interface LoadReport {
  manifests: number;
  /** Manifests answered with a 4xx other than 408 and 429: the partner would not send them again as they are. Must be 0. */
  refusedManifests: number;
  /**
   * Manifests answered neither 202 nor a 4xx by the run's deadline: the partner was still retrying them
   * (429, 5xx, no answer), or never got to send them. Must be 0.
   */
  unansweredManifests: number;
  /**
   * Parcels of the manifests handed over to screening, as their manifest records say (`queued`): those
   * answered 202, and any a delivery handed over after its partner stopped waiting for the answer.
   */
  accepted: number;
  /**
   * Parcels stored by deliveries that never handed their manifest over (the records of unanswered or
   * refused manifests): no 202 was given, so the partner must send them again. Neither accepted nor lost.
   * Must be 0.
   */
  notHandedOver: number;
  /** Accepted parcels with a decision whose effects are done. */
  screened: number;
  /** Screened parcels whose lane is not `release` (flagged by the rules, or control samples). */
  flagged: number;
  /**
   * Messages left in the dead-letter queues at the end, all queues together. The promised outcome of a
   * message that kept failing, not a loss; but each needs a look and a redrive. Must be 0.
   */
  deadLettered: number;
  /** The dead-letter queues that hold messages, by queue name, and how many each holds. */
  deadLetterQueues: Record<string, number>;
  /** Accepted parcels, not screened, whose screening message is in the screening dead-letter queue. */
  deadLetteredParcels: number;
  /** Accepted parcels, not screened, whose screening message is still on the screening queue (timed out). Must be 0. */
  queued: number;
  /**
   * Accepted parcels neither screened nor dead-lettered nor still queued, and parcels answered 202 whose
   * manifest is not handed over. Must be 0.
   */
  lost: number;
  /** History and rule counters that count more parcels than carry them. Must be 0. */
  duplicated: number;
  /**
   * Counters that count fewer (by more than unfinished decisions explain), flagged parcels with a finished
   * decision missing from the review queue, review items without a flagged decision, decisions of parcels
   * never stored. Must be 0.
   */
  miscounted: number;
  /**
   * Counters short, and review items missing, only by decisions whose effects never finished: those
   * parcels are counted in deadLetteredParcels, queued or lost, and a redelivery finishes them. Must be 0.
   */
  pendingEffects: number;
  timedOut: boolean;
  /** From the first delivery until the last parcel was screened. */
  seconds: number;
  parcelsPerSecond: number;
}

export class LoadOptionsError extends Error {}

const checkBounds = (options: LoadOptions): void => {
  const within = (value: number, max: number) => Number.isInteger(value) && value >= 1 && value <= max;
  if (!within(options.manifests, LOAD_BOUNDS.manifests))
    throw new LoadOptionsError(`manifests must be 1..${LOAD_BOUNDS.manifests}`);
  if (!within(options.parcelsPerManifest, LOAD_BOUNDS.parcelsPerManifest)) {
    throw new LoadOptionsError(`parcels per manifest must be 1..${LOAD_BOUNDS.parcelsPerManifest}`);
  }
  if (options.manifests * options.parcelsPerManifest > LOAD_BOUNDS.parcels) {
    throw new LoadOptionsError(`at most ${LOAD_BOUNDS.parcels} parcels in one run`);
  }
  if (!within(options.concurrency, LOAD_BOUNDS.concurrency))
    throw new LoadOptionsError(`concurrency must be 1..${LOAD_BOUNDS.concurrency}`);
  if (!within(options.timeoutSeconds, LOAD_BOUNDS.timeoutSeconds)) {
    throw new LoadOptionsError(`timeout must be 1..${LOAD_BOUNDS.timeoutSeconds} s`);
  }
};

const isLoopback = (url: string): boolean =>
  ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The least time given to seeing the stack idle after the last post: many times two quiet polls, on a loaded machine. */
const IDLE_WAIT_FLOOR_MS = 3_000;

/** A partner's backoff between attempts: doubling from the first wait up to the cap, with jitter. */
export const RETRY_BACKOFF = { firstMs: 250, maxMs: 8_000 } as const;

const backoffMs = (attempt: number): number =>
  Math.min(RETRY_BACKOFF.maxMs, RETRY_BACKOFF.firstMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);

/** What a partner retries: a timeout (408), throttling (429), the server's failures (API Gateway's 500 of a timed-out function). */
const isRetryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

type Delivery = { outcome: 'accepted' } | { outcome: 'refused'; status: number } | { outcome: 'unanswered' };

/**
 * Posts like a partner: the same bytes under the same webhook id (signed afresh each time), again after
 * a 429, a 5xx or a dropped connection, with capped exponential backoff or the `retry-after` asked for,
 * whichever is longer, until a 202, another 4xx, or the deadline (unanswered). Ingest answers a replay of
 * the same bytes as the first delivery, so retrying is safe.
 */
const deliver = async (stack: EmbeddedStack, manifest: Manifest, deadline: number): Promise<Delivery> => {
  const partner = stack.partners.find((candidate) => candidate.partnerId === manifest.partnerId);
  if (!partner) throw new Error(`no dev partner ${manifest.partnerId}`);
  const body = JSON.stringify(manifest);
  const webhookId = `msg_${randomUUID()}`;
  for (let attempt = 1; ; attempt += 1) {
    const left = deadline - Date.now();
    if (left <= 0) return { outcome: 'unanswered' };
    let waitMs = backoffMs(attempt);
    try {
      const secret = partner.secrets[0]!.secret;
      const signal = AbortSignal.timeout(left);
      const result = await postSignedManifest(stack.apiUrl, secret, body, { webhookId, signal });
      if (result.status === 202) return { outcome: 'accepted' };
      if (!isRetryable(result.status)) return { outcome: 'refused', status: result.status };
      const asked = retryAfterSeconds(result.retryAfter ?? undefined, new Date());
      if (asked !== undefined) waitMs = Math.max(waitMs, asked * 1000);
    } catch {
      // A dropped connection, or no answer by the deadline: retried while there is time.
    }
    if (Date.now() + waitMs >= deadline) return { outcome: 'unanswered' };
    await sleep(waitMs);
  }
};

/**
 * Where each accepted parcel that was not screened is: its message still on the screening queue, in its
 * dead-letter queue, or nowhere (lost). A parcel answered 202 that the stores never hold, or hold as not
 * handed over, is lost too, counted one by one: another manifest's parcels handed over without their
 * 202 must not hide it. A queue that could not be read (undefined) holds nothing known.
 */
export const whereUnscreened = (parcels: {
  unscreened: readonly string[];
  onQueue: ReadonlySet<string> | undefined;
  deadLetters: ReadonlySet<string> | undefined;
  answered: readonly string[];
  stored: ReadonlySet<string>;
  notHandedOver: ReadonlySet<string>;
}): { queued: number; deadLetteredParcels: number; lost: number } => {
  let queued = 0;
  let deadLetteredParcels = 0;
  let lost = 0;
  for (const key of parcels.unscreened) {
    if (parcels.onQueue?.has(key)) queued += 1;
    else if (parcels.deadLetters?.has(key)) deadLetteredParcels += 1;
    else lost += 1;
  }
  for (const key of parcels.answered)
    if (!parcels.stored.has(key) || parcels.notHandedOver.has(key)) lost += 1;
  return { queued, deadLetteredParcels, lost };
};

/**
 * The parcel keys the screening messages on a queue carry, read without receiving them: SQS can only
 * hand a message out (hiding it, and counting the receive), so this asks the embedded SQS, fauxqs, for
 * its non-destructive view of the queue. Undefined when that cannot be read.
 */
const parcelsOn = async (stack: EmbeddedStack, queueUrl: string): Promise<Set<string> | undefined> => {
  const name = queueUrl.split('/').pop()!;
  interface Inspected {
    messages: {
      ready: { body: string }[];
      delayed: { body: string }[];
      inflight: { message: { body: string } }[];
    };
  }
  let inspected: Inspected;
  try {
    const response = await fetch(
      `${stack.toolEnv.AWS_ENDPOINT_URL_SQS}/_fauxqs/queues/${encodeURIComponent(name)}`,
    );
    if (!response.ok) return undefined;
    inspected = (await response.json()) as Inspected;
  } catch {
    return undefined;
  }
  const { ready, delayed, inflight } = inspected.messages;
  const keys = new Set<string>();
  for (const body of [...ready, ...delayed, ...inflight.map((entry) => entry.message)].map((m) => m.body)) {
    try {
      const message = JSON.parse(body) as {
        partnerId?: unknown;
        items?: { parcel?: { parcelId?: unknown } }[];
      };
      for (const item of Array.isArray(message.items) ? message.items : []) {
        if (typeof message.partnerId === 'string' && typeof item.parcel?.parcelId === 'string')
          keys.add(parcelKey(message.partnerId, item.parcel.parcelId));
      }
    } catch {
      // Not a screening message: it carries no parcel.
    }
  }
  return keys;
};

const runOn = async (stack: EmbeddedStack, options: LoadOptions): Promise<LoadReport> => {
  if (!isLoopback(stack.apiUrl))
    throw new LoadOptionsError(`refusing to load ${stack.apiUrl}: loopback only`);
  const log = options.log ?? (() => undefined);
  const templates = sampleTemplates();
  const runId = Date.now().toString(36).toUpperCase();
  const manifests = Array.from({ length: options.manifests }, (_, index) =>
    syntheticManifest(templates[index % templates.length]!, {
      manifestId: `LOAD-${runId}-${String(index).padStart(5, '0')}`,
      parcelCount: options.parcelsPerManifest,
      // Consignees shared within and across manifests, so that concurrent screenings update the same counters.
      consignees: Math.max(1, Math.ceil(options.parcelsPerManifest / 4)),
      consigneeOffset: (index * 37) % 1_000,
    }),
  );

  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  /** Keys of the parcels of every manifest answered 202. */
  const answered: string[] = [];
  let refusedManifests = 0;
  let unansweredManifests = 0;
  let next = 0;
  const worker = async () => {
    while (next < manifests.length && Date.now() < deadline) {
      const manifest = manifests[next]!;
      next += 1;
      const delivery = await deliver(stack, manifest, deadline);
      if (delivery.outcome === 'accepted')
        answered.push(...manifest.parcels.map((parcel) => parcelKey(manifest.partnerId, parcel.parcelId)));
      else if (delivery.outcome === 'refused') refusedManifests += 1;
      else unansweredManifests += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, manifests.length) }, worker));
  // Never sent before the deadline: unanswered too.
  unansweredManifests += manifests.length - next;
  log(
    `posted ${options.manifests} manifests in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for screening`,
  );

  let timedOut = false;
  try {
    // A partner retrying an unanswered manifest gives up only when its next wait would pass the deadline,
    // which may leave no time to see the stack idle: the wait gets at least IDLE_WAIT_FLOOR_MS.
    await stack.waitForIdle(Math.max(IDLE_WAIT_FLOOR_MS, deadline - Date.now()));
  } catch {
    timedOut = true;
  }
  const seconds = (Date.now() - started) / 1000;
  log(`screening ${timedOut ? 'timed out' : 'done'} after ${seconds.toFixed(1)} s; checking the stores`);

  const effects = await checkEffects(stack);
  const deadLetterQueues: Record<string, number> = {};
  for (const [name, queue] of Object.entries(stack.queues)) {
    const count = await messagesOn(stack.sqs, queue.dlqUrl, [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateNumberOfMessagesDelayed',
    ]);
    if (count > 0) deadLetterQueues[name] = count;
  }
  const deadLettered = Object.values(deadLetterQueues).reduce((sum, count) => sum + count, 0);

  // Each accepted parcel not screened: its screening message is still queued, dead-lettered, or lost.
  const notHandedOver = new Set(effects.notHandedOver.parcels);
  const unscreened = [...effects.undecided, ...effects.unfinished].filter((key) => !notHandedOver.has(key));
  const onQueue =
    unscreened.length > 0 ? await parcelsOn(stack, stack.queues.screening.url) : new Set<string>();
  const deadLetters =
    unscreened.length > 0 ? await parcelsOn(stack, stack.queues.screening.dlqUrl) : new Set<string>();
  if (onQueue === undefined || deadLetters === undefined)
    log('could not read the screening queues without receiving: every unscreened parcel counts as lost');
  const { queued, deadLetteredParcels, lost } = whereUnscreened({
    unscreened,
    onQueue,
    deadLetters,
    answered,
    stored: effects.stored,
    notHandedOver,
  });

  // A counter short only by decisions whose effects never finished (their parcels are counted above)
  // waits for those effects; shorter than that, it lost counts.
  const counters = [...effects.history, ...effects.ruleHits];
  const over = counters.filter((mismatch) => mismatch.actual > mismatch.expected);
  const short = counters.filter((mismatch) => mismatch.actual < mismatch.expected);
  const pending = (mismatch: CounterMismatch) =>
    mismatch.expected - mismatch.actual <= (mismatch.unfinished ?? 0);
  const unfinished = new Set(effects.unfinished);
  const missing = effects.reviewQueue.missing;
  const screened = effects.screened - effects.notHandedOver.screened;
  return {
    manifests: options.manifests,
    refusedManifests,
    unansweredManifests,
    accepted: effects.accepted,
    notHandedOver: notHandedOver.size,
    screened,
    flagged: effects.flagged - effects.notHandedOver.flagged,
    deadLettered,
    deadLetterQueues,
    deadLetteredParcels,
    queued,
    lost,
    duplicated: over.length,
    miscounted:
      short.filter((mismatch) => !pending(mismatch)).length +
      missing.filter((key) => !unfinished.has(key)).length +
      effects.reviewQueue.unexpected.length +
      effects.orphanDecisions.length,
    pendingEffects: short.filter(pending).length + missing.filter((key) => unfinished.has(key)).length,
    timedOut,
    seconds: Math.round(seconds * 10) / 10,
    parcelsPerSecond: Math.round(screened / seconds),
  };
};

/**
 * What a failed run's numbers mean and where to look, a line each (for stderr): the stack stops with the
 * run, so its log lines printed before the report are what is left of it.
 */
export const explainLoad = (report: LoadReport): string[] => {
  const lines: string[] = [];
  if (report.deadLettered > 0) {
    const queues = Object.keys(report.deadLetterQueues) as QueueName[];
    const counts = queues.map((name) => `${name}: ${report.deadLetterQueues[name]}`).join(', ');
    const failures = queues.flatMap((name) => {
      const consumer = consumerOf(name);
      return consumer === undefined
        ? []
        : [`"record failed" of fn ${consumer}`, `"${consumer} on the ${name} queue failed"`];
    });
    lines.push(
      `dead-lettered: ${report.deadLettered} message(s) (${counts}), with ${report.deadLetteredParcels} accepted parcel(s), failed on every receive and wait in the dead-letter queue: the promised end of a failure, not a loss, but each one needs a look; why is in the stack's lines above${failures.length > 0 ? ` (${failures.join(', ')})` : ''}; the stack stops with the run: deployed, fix the cause, then npm run redrive`,
    );
  }
  if (report.unansweredManifests > 0) {
    lines.push(
      `unanswered: ${report.unansweredManifests} manifest(s) got neither a 202 nor a 4xx before the run's deadline${report.notHandedOver > 0 ? ` (${report.notHandedOver} parcel(s) stored, never handed over: a partner sends them again)` : ''}; the "POST /v1/manifests failed" and "request failed" lines above say why: a busy machine wants a smaller run or a longer --timeout-seconds`,
    );
  }
  if (report.queued > 0) {
    lines.push(
      `queued: ${report.queued} accepted parcel(s) still on the screening queue at the deadline: the run timed out; give it a longer --timeout-seconds`,
    );
  }
  return lines;
};

/**
 * Runs `run` with whatever this process writes to stdout sent to stderr instead: the functions of the
 * embedded stack log JSON lines to stdout, as Lambda's runtime does, and a load run's stdout is its report.
 */
const withStdoutOnStderr = async <T>(run: () => Promise<T>): Promise<T> => {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await run();
  } finally {
    process.stdout.write = write;
  }
};

/** Starts an embedded stack in this process, runs the load against it, stops it. One per process. */
export const runLoad = async (options: Partial<LoadOptions> = {}): Promise<LoadReport> => {
  const resolved: LoadOptions = { ...DEFAULT_LOAD, ...options };
  checkBounds(resolved);
  resolved.log?.(
    `load: ${resolved.manifests} manifests × ${resolved.parcelsPerManifest} parcels, ${resolved.concurrency} in flight`,
  );
  return withStdoutOnStderr(async () => {
    const stack = await startEmbeddedStack({
      // Warnings too: a screening that fails and is retried logs a warning, and its message may end in the DLQ.
      logLevel: 'warn',
      // Shorter than production, so a record that fails under load is retried within the run's time.
      visibilityTimeoutSeconds: 30,
      ...resolved.stack,
      // A load run measures the pipeline, not the per-partner rate limit (which has its own tests).
      env: { RATE_LIMIT_PER_MINUTE: String(Math.max(600, resolved.manifests * 2)), ...resolved.stack?.env },
    });
    try {
      const report = await runOn(stack, resolved);
      for (const line of explainLoad(report)) resolved.log?.(line);
      return report;
    } finally {
      await stack.stop();
    }
  });
};

/**
 * A run is good when every manifest was accepted and every accepted parcel screened once, with its
 * effects, in time: nothing lost, counted twice, refused, unanswered, dead-lettered or still queued.
 */
export const loadSucceeded = (report: LoadReport): boolean =>
  report.lost === 0 &&
  report.duplicated === 0 &&
  report.miscounted === 0 &&
  report.pendingEffects === 0 &&
  report.refusedManifests === 0 &&
  report.unansweredManifests === 0 &&
  report.notHandedOver === 0 &&
  report.deadLettered === 0 &&
  report.queued === 0 &&
  !report.timedOut;
