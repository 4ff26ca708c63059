import { DynamoDbReviewQueue } from '../adapters/dynamodb-review-queue.js';
import type { ReviewItem } from '../ports/review-queue.js';
import { endQuietlyWhenOutputCloses } from '../tools/tool-process.js';
import { startEmbeddedStack } from './embedded-stack.js';
import { postSampleManifests } from './sample-manifests.js';

/**
 * `npm run demo`: start the embedded stack, post every sample manifest as its partner would, wait
 * until every parcel is screened, and print each office's flagged queue with the reasons, and whether
 * every AWS call the functions made was one their roles are granted (exit 1 if not).
 */
endQuietlyWhenOutputCloses();
const started = Date.now();
const stack = await startEmbeddedStack();
try {
  console.log(`parcelguard demo: embedded stack up at ${stack.apiUrl}; posting the sample manifests\n`);
  const { screened, flagged: flaggedCount, offices } = await postSampleManifests(stack, console.log);

  const reviewQueue = new DynamoDbReviewQueue(stack.db, stack.tables.reviewQueue);
  const flagged: ReviewItem[] = [];
  for (const office of offices)
    flagged.push(
      ...(await reviewQueue.list(office, 'open', { limit: 100, now: new Date().toISOString() })).items,
    );

  console.log(
    `\n${screened} parcels screened, ${flaggedCount} flagged, ${screened - flaggedCount} released\n`,
  );
  console.log('FLAGGED QUEUE (per inspection office, highest score first)');
  for (const office of offices) {
    const items = flagged.filter((item) => item.inspectionOffice === office);
    if (items.length === 0) continue;
    console.log(`\n■ ${office}`);
    for (const item of items) {
      console.log(`  ${item.parcelId}  score ${item.score}  lane ${item.lane.toUpperCase()}  ${item.route}`);
      console.log(`    goods: ${item.goodsSummary}`);
      for (const rule of item.firedRules) console.log(`    • [${rule.ruleId}] ${rule.reason}`);
    }
  }
  // stack.stop() fails naming any call refused, so the demo then exits 1 with that list.
  const calls = stack.awsCalls();
  const refused = calls.filter((call) => !call.granted);
  const callers = [...new Set(calls.map((call) => call.role))].sort().join(', ');
  const made = calls.reduce((total, call) => total + call.count, 0);
  console.log(
    `\nAWS calls: ${made} by ${callers}, ${refused.length === 0 ? 'each' : 'not each'} within its function's IAM grants (infra/grants.ts)`,
  );
  console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await stack.stop();
}
