import type { Manifest } from '../../events/manifest-v1.js';
import { MANIFEST_LIMITS } from '../../events/manifest-v1.js';
import { checkEffects } from './effects-check.js';
import { type EmbeddedStack, startEmbeddedStack } from './embedded-stack.js';
import { postSignedManifest } from './partner-client.js';
import { sampleTemplates, syntheticManifest } from './synthetic-manifests.js';

/**
 * The load run behind `npm run load` and the benchmark: starts its own embedded stack, posts N signed
 * manifests concurrently to it (loopback only), waits until every parcel is screened, and checks the
 * stores: nothing lost, nothing counted twice. Bounded in count and in time; stops by itself.
 */

export interface LoadOptions {
  manifests: number;
  parcelsPerManifest: number;
  /** Deliveries in flight at once. */
  concurrency: number;
  /** The whole run (posting and screening) must end within this; the run fails otherwise. */
  timeoutSeconds: number;
  /** Progress lines, e.g. to stderr; silent when omitted. */
  log?: (line: string) => void;
}

export const DEFAULT_LOAD: LoadOptions = {
  manifests: 200,
  parcelsPerManifest: 100,
  concurrency: 32,
  // The embedded stack screens tens of parcels a second (dynalite is one process): 20,000 take minutes.
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
  /** Parcels in the manifests the API answered 202. */
  accepted: number;
  /** Manifests the API did not accept after the retries a partner would make. */
  rejectedManifests: number;
  /** Accepted parcels with a decision whose effects are done. */
  screened: number;
  flagged: number;
  /** Accepted parcels without a finished decision (or acknowledged but never stored). Must be 0. */
  lost: number;
  /** History and rule counters that count more parcels than carry them. Must be 0. */
  duplicated: number;
  /** Counters that count fewer, review-queue entries missing or extra, decisions of unaccepted parcels. Must be 0. */
  miscounted: number;
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

/** Posts like a partner: retries what a partner would retry (429, 5xx, a dropped connection), three times. */
const deliver = async (
  stack: EmbeddedStack,
  manifest: Manifest,
  deadline: number,
): Promise<number | undefined> => {
  const partner = stack.partners.find((candidate) => candidate.partnerId === manifest.partnerId);
  if (!partner) throw new Error(`no dev partner ${manifest.partnerId}`);
  const body = JSON.stringify(manifest);
  for (let attempt = 1; attempt <= 3 && Date.now() < deadline; attempt += 1) {
    try {
      const result = await postSignedManifest(stack.apiUrl, partner.secrets[0]!.secret, body);
      if (result.status === 202) return (result.body as { parcelCount: number }).parcelCount;
      if (result.status !== 429 && result.status < 500) return undefined;
    } catch {
      // A dropped connection: retry as a partner would.
    }
    await sleep(250 * 2 ** attempt);
  }
  return undefined;
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
  let accepted = 0;
  let rejectedManifests = 0;
  let next = 0;
  const worker = async () => {
    while (next < manifests.length && Date.now() < deadline) {
      const manifest = manifests[next]!;
      next += 1;
      const parcels = await deliver(stack, manifest, deadline);
      if (parcels === undefined) rejectedManifests += 1;
      else accepted += parcels;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, manifests.length) }, worker));
  rejectedManifests += manifests.length - next;
  log(
    `posted ${options.manifests} manifests in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for screening`,
  );

  let timedOut = false;
  try {
    await stack.waitForIdle(Math.max(1, deadline - Date.now()));
  } catch {
    timedOut = true;
  }
  const seconds = (Date.now() - started) / 1000;
  log(`screening ${timedOut ? 'timed out' : 'done'} after ${seconds.toFixed(1)} s; checking the stores`);

  const effects = await checkEffects(stack);
  const over = [...effects.history, ...effects.ruleHits].filter(
    (mismatch) => mismatch.actual > mismatch.expected,
  );
  const under = [...effects.history, ...effects.ruleHits].filter(
    (mismatch) => mismatch.actual < mismatch.expected,
  );
  return {
    manifests: options.manifests,
    accepted,
    rejectedManifests,
    screened: effects.screened,
    flagged: effects.flagged,
    // Unscreened parcels, and parcels acknowledged with a 202 that never reached the parcels table.
    lost: effects.undecided.length + effects.unfinished.length + Math.max(0, accepted - effects.accepted),
    duplicated: over.length,
    miscounted:
      under.length +
      effects.reviewQueue.missing.length +
      effects.reviewQueue.unexpected.length +
      effects.orphanDecisions.length,
    timedOut,
    seconds: Math.round(seconds * 10) / 10,
    parcelsPerSecond: Math.round(effects.screened / seconds),
  };
};

/** Starts an embedded stack in this process, runs the load against it, stops it. One per process. */
export const runLoad = async (options: Partial<LoadOptions> = {}): Promise<LoadReport> => {
  const resolved: LoadOptions = { ...DEFAULT_LOAD, ...options };
  checkBounds(resolved);
  resolved.log?.(
    `load: ${resolved.manifests} manifests × ${resolved.parcelsPerManifest} parcels, ${resolved.concurrency} in flight`,
  );
  const stack = await startEmbeddedStack({
    logLevel: 'error',
    // Shorter than production, so a record that fails under load is retried within the run's time.
    visibilityTimeoutSeconds: 30,
    // A load run measures the pipeline, not the per-partner rate limit (which has its own tests).
    env: { RATE_LIMIT_PER_MINUTE: String(Math.max(600, resolved.manifests * 2)) },
  });
  try {
    return await runOn(stack, resolved);
  } finally {
    await stack.stop();
  }
};

/** A run is good when every accepted parcel was screened once, in time, and every manifest was accepted. */
export const loadSucceeded = (report: LoadReport): boolean =>
  report.lost === 0 &&
  report.duplicated === 0 &&
  report.miscounted === 0 &&
  report.rejectedManifests === 0 &&
  !report.timedOut;
