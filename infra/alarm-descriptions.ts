import {
  DEAD_LETTER_RETENTION_DAYS,
  FUNCTIONS,
  type FunctionDefinition,
  type FunctionName,
  PARTY_DAY_FULL,
  QUEUES,
  type QueueDefinition,
  type QueueName,
  ROUTES,
  SHARED_COUNTERPARTS_FULL,
  stalledAfterSeconds,
  type TableName,
} from './definitions.js';
import { consumedBy } from './grants.js';

/**
 * What each alarm tells the operator it wakes: what waits or failed, whom it concerns, what to look at
 * first, and the On call section of docs/reliability-and-security.md to read. CloudWatch keeps at most
 * 1,024 characters of a description; the infra tests hold every one to that and to a heading that exists.
 */

/** Where the alarms send an operator: sections of docs/reliability-and-security.md (On call). */
export const ON_CALL_DOC = 'docs/reliability-and-security.md';

/**
 * What a dead letter of each queue is, and what to look at before redriving it: an alarm read at night
 * says what is stuck and whom it concerns, not only that something is.
 */
const DEAD_LETTERS: Record<QueueName, { what: string; first: string }> = {
  screening: {
    what: 'parcels for screening that were never screened: they have no decision, review item, inspection message or referral',
    first:
      "Find them: the screen function's `record failed` lines name each message's partnerId, manifestId and parcelIds, and the error code that held it back. Fix that cause first (a throttled table, a bad deploy)",
  },
  referral: {
    what: "referrals (hold, do-not-load) that notify could not deliver to a partner's callback URL in 8 attempts over 32–64 minutes, dead-lettered 1–2 hours after the first",
    first:
      "Find the partners: notify's `record failed` lines name partnerId, parcelId and referralId, and the callback's answer. Tell the partner, or fix its URL (`npm run partner -- callback`)",
  },
  inspection: {
    what: 'inspection messages (flagged parcels) that the inspection systems downstream received but never deleted; parcelguard does not read this queue',
    first:
      "Ask the inspection systems' operators why (each message names partnerId, parcelId and referralId) and let them fix their reader",
  },
};

/** What waits when a consumed queue stalls, and whose log says why. */
const STALLED: Partial<Record<QueueName, { what: string; fn: string }>> = {
  screening: { what: 'parcels wait unscreened (no decision, review item or referral)', fn: 'screen' },
  referral: { what: "referrals wait undelivered to partners' callback URLs", fn: 'notify' },
};

/** The description of a queue's dead-letter alarm (CloudWatch keeps at most 1,024 characters). */
export const deadLetterAlarmDescription = (name: QueueName): string => {
  const { what, first } = DEAD_LETTERS[name];
  const definition: QueueDefinition = QUEUES[name];
  return (
    `Messages in the ${name} dead-letter queue, each after ${definition.maxReceiveCount} receives: ${what}. ${first}; ` +
    `then run \`npm run redrive -- --queue ${name}\` (${definition.env} set to the ${name} queue's URL). ` +
    'This alarm stays in ALARM while any message waits: a new dead letter sends no new notification. ' +
    `Dead letters expire ${DEAD_LETTER_RETENTION_DAYS} days after they were first sent, so an OK after that is no resolution. ` +
    `See ${ON_CALL_DOC}#dead-letters.`
  );
};

/** The description of a consumed queue's stalled-consumer alarm. */
export const stalledAlarmDescription = (name: QueueName): string => {
  const definition: QueueDefinition = QUEUES[name];
  const stalled = STALLED[name];
  if (stalled === undefined || definition.consumer === undefined)
    throw new Error(`the ${name} queue has no consumer parcelguard runs`);
  return (
    `The oldest message in the ${name} queue is older than ${stalledAfterSeconds(definition)} s: ` +
    `${stalled.what}, as ${stalled.fn} is not consuming or is far behind. ` +
    `First look at the ${stalled.fn} function: its Errors and Throttles, its \`record failed\` lines ` +
    '(a throttled table is named in warn lines) and a deploy that fails its cold start. ' +
    `A backlog drains at most ${definition.consumer.maxConcurrency} invocations at once; ` +
    `a message not consumed within ${definition.retentionDays} days expires. See ${ON_CALL_DOC}#a-stalled-queue.`
  );
};

/** The functions that read or write `table`, for an alarm to name where its failures show. */
const functionsUsing = (table: TableName): string[] =>
  (Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][])
    .filter(([, { tables }]) => tables.read.includes(table) || tables.write.includes(table))
    .map(([name]) => name);

/** Minutes of a throttling alarm's window, and how many of them must see a throttled request. */
export const THROTTLE_WINDOW_MINUTES = 5;
export const THROTTLED_MINUTES_TO_ALARM = 3;

/** The description of a table's throttling alarm. */
export const throttlingAlarmDescription = (name: TableName): string => {
  const users = functionsUsing(name);
  return (
    `Requests to the ${name} table were throttled in ${THROTTLED_MINUTES_TO_ALARM} of the last ${THROTTLE_WINDOW_MINUTES} minutes: ` +
    "its throughput limit (an on-demand table's first surge, the account's per-table quota) or a hot key. " +
    'The SDK retries a throttled request, but throttling this sustained fails the work of ' +
    (users.length > 0 ? `${users.join(', ')}: ` : 'the operator tools: ') +
    'a queue consumer logs `record failed` with code DEPENDENCY_UNAVAILABLE naming the table and SQS retries the record; an API answers 503. ' +
    'AWS/DynamoDB ThrottledRequests by Operation shows which calls. Wait for it to pass (on-demand capacity grows with traffic; ' +
    'a quota is raised in Service Quotas), and redrive only then: meanwhile a redrive fails again. ' +
    (users.includes('screen')
      ? "To keep screening messages out of the DLQ meanwhile, disable screen's event source mapping. "
      : '') +
    `See ${ON_CALL_DOC}#dynamodb-throttling.`
  );
};

/** What a function's failure outside its error handling leaves behind, by how it is invoked. */
const afterAFailure = (name: FunctionName): string => {
  const queues = consumedBy(name);
  if (queues.length > 0) {
    const queue = queues.join(', ');
    return `The records of that invocation go back to the ${queue} queue and are retried; after ${QUEUES[queues[0]!].maxReceiveCount} receives they reach its dead-letter queue (its alarm then says so): nothing is lost, but a crash that repeats holds them back.`;
  }
  const { everyMinutes } = FUNCTIONS[name] as FunctionDefinition;
  if (everyMinutes !== undefined)
    return `Its next run, in ${everyMinutes} minutes, starts over; a run that cannot finish its work fails on purpose, naming what, so this alarm stays up until that is fixed.`;
  if (ROUTES.some((route) => route.functionName === name))
    return "Its callers got API Gateway's own 500 without a problem document (a partner posts the same bytes again; an officer retries the action).";
  return 'Its callers got an error.';
};

/** The description of a function's error alarm (crash, timeout, out of memory: errors it did not handle). */
export const functionErrorAlarmDescription = (name: FunctionName): string =>
  `The ${name} function failed outside its error handling (crash, timeout or out of memory). ${afterAFailure(name)} ` +
  `First read its log: \`Task timed out\`, \`Runtime exited\` or a cold start that names a missing setting or a rule set that does not compile; a deploy just before points at the deploy (roll it back). ` +
  `See ${ON_CALL_DOC}#function-errors.`;

/** The description of a scheduled function's missed-runs alarm. */
export const missedRunsAlarmDescription = (name: FunctionName, everyMinutes: number): string =>
  `The ${name} function did not run in ${2 * everyMinutes} minutes, though it runs every ${everyMinutes}: ` +
  'its EventBridge schedule is disabled or gone, or the function cannot be invoked (a deleted function, a throttled account). ' +
  (name === 'reviewSweep'
    ? 'Staff actions whose effects a crash left pending stay pending meanwhile. '
    : name === 'auditAnchor'
      ? 'Audit chains go unanchored meanwhile: a rewrite of entries since the last anchor would not be caught by verify. '
      : '') +
  `Enable the schedule (or redeploy), then check the function's error alarm. See ${ON_CALL_DOC}#missed-scheduled-runs.`;

/** The API's 5xx other than 503. */
export const API_SERVER_ERROR_DESCRIPTION =
  "The API answered with a 5xx other than 503: a function's failure outside its error handling (its error alarm says which), a timeout (API Gateway's bare 500), or a bug. " +
  `Callers are told to retry with the same request, which is safe. See ${ON_CALL_DOC}#api-5xx-answers.`;

/** The API's 503s, going on. */
export const API_UNAVAILABLE_DESCRIPTION =
  'The API has answered 503 (a dependency unavailable) more than 10 times in each of the last three 5-minute periods, deliveries deferred while another is handled left out. ' +
  'Partners retry after retry-after, so nothing is lost while it lasts. Look for the dependency: a throttled table (its alarm), SQS or KMS errors in the ingest and review logs (`request failed` with code DEPENDENCY_UNAVAILABLE). ' +
  `See ${ON_CALL_DOC}#api-5xx-answers.`;

/** Screen could not load the shadow rule set. */
export const SHADOW_RULE_SET_REFUSED_DESCRIPTION =
  'Screen could not load the shadow rule set it was deployed with and screens without it: decisions are made as before, only the shadow comparison is missing (`npm run rules -- shadow` shows parcels without a shadow decision). ' +
  `Its \`shadow rule set refused\` lines say why; deploy a fixed shadow (\`npm run rules -- validate\` first) or none. See ${ON_CALL_DOC}#lists-and-the-shadow-rule-set.`;

/** Screen could not refresh its published lists. */
export const LISTS_NOT_REFRESHED_DESCRIPTION =
  'Screen could not read the lists table to refresh its published lists and screens with those it read before: a list published or rolled back since is not in force yet. ' +
  `Its log says why (a lost permission, a throttled table: its alarm). See ${ON_CALL_DOC}#lists-and-the-shadow-rule-set.`;

/** Screen could not use a published list. */
export const PUBLISHED_LIST_REFUSED_DESCRIPTION =
  "Screen could not use a published list with its rule set (one it cannot compile or read). It screens with the newest older published version of that list it can use, else the bundled file, so the refused version's entries are not in force. Its `published list refused` lines name the list, the reason and what screens instead. First publish a fixed version (`npm run lists -- load`) or roll back (`npm run lists -- rollback <list> --to <version>`); the lines stop at each container's next check of the lists (LIST_REFRESH_SECONDS). See docs/parties-and-history.md#lists-and-watchlists.";

/** Screen found a party's day full: its later parcels that day are not counted for it. */
export const PARTY_DAY_FULL_DESCRIPTION =
  "Screen found a party's day in the party history full (every overflow bucket at DynamoDB's item size): that party's later parcels that day are not counted for it (its counts, flags, origins and tallies), though they are screened and its other parties recorded. " +
  `Its \`${PARTY_DAY_FULL}\` lines name the party's key, region and day. Look at who sent that party's parcels: a partner filling a real shipper's day hides later parcels from tallies. See ${ON_CALL_DOC}#busy-parties.`;

/** Screen found a shared counterparts item full: the indicator's later counterparts that month are not shared. */
export const SHARED_COUNTERPARTS_FULL_DESCRIPTION =
  "Screen found a shared counterparts item full (one indicator's counterparts of one month, at DynamoDB's item size): that indicator's later counterparts that month are not shared with the regions that agreed to it; parcels are screened and recorded all the same. " +
  `Its \`${SHARED_COUNTERPARTS_FULL}\` lines name the item's key, region and month: a pickup point or forwarder, or someone flooding one indicator. See ${ON_CALL_DOC}#busy-parties.`;

/** A queue parcelguard writes and another system reads, whose oldest message waits too long. */
export const unreadAlarmDescription = (name: QueueName, afterSeconds: number): string =>
  `The oldest message in the ${name} queue has waited over ${afterSeconds} s: the system downstream that reads it (the inspection systems, for flagged parcels) is not reading. ` +
  "parcelguard keeps sending; the messages wait up to the queue's retention. Tell that system's operators. " +
  `See ${ON_CALL_DOC}#the-inspection-queue.`;

/** The parcels flagged an hour, outside the band anomaly detection learned. */
export const FLAGGED_PARCELS_ANOMALY_DESCRIPTION =
  'The parcels screen flagged in each of the last two hours are outside the band CloudWatch learned from the weeks before (3 standard deviations): ' +
  "a rule set or list that flags far more than usual (officers' queues flood) or far fewer (parcels pass unflagged) after a deploy or a publish, or a real change in traffic. " +
  "Compare screen's `rule set loaded` lines (the versions in force, with their lists) with the deploys and `npm run lists` publications of the hours before; " +
  `roll back what changed, then backtest the period. See ${ON_CALL_DOC}#flagged-parcels-out-of-their-band.`;
