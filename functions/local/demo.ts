import { DynamoDbReviewQueue } from '../adapters/dynamodb-review-queue.js';
import type { ReviewItem } from '../ports/review-queue.js';
import { startEmbeddedStack } from './embedded-stack.js';
import { postSignedManifest } from './partner-client.js';
import { loadSampleManifests } from './sample-manifests.js';

/**
 * `npm run demo`: start the embedded stack, post every sample manifest as its partner would, wait
 * until every parcel is screened, and print each office's flagged queue with the reasons.
 */
const started = Date.now();
const stack = await startEmbeddedStack();
try {
  const samples = loadSampleManifests();
  console.log(
    `parcelguard demo: embedded stack up at ${stack.apiUrl}; posting ${samples.length} sample manifests\n`,
  );
  let accepted = 0;
  for (const sample of samples) {
    const partner = stack.partners.find((candidate) => candidate.partnerId === sample.partnerId);
    if (!partner) throw new Error(`${sample.file}: no dev partner ${sample.partnerId}`);
    const result = await postSignedManifest(stack.apiUrl, partner.secrets[0]!.secret, sample.body);
    console.log(`  POST /v1/manifests ${sample.file} → ${result.status} ${JSON.stringify(result.body)}`);
    if (result.status !== 202) throw new Error(`${sample.file} was not accepted`);
    accepted += (result.body as { parcelCount: number }).parcelCount;
  }
  await stack.waitForIdle(60_000);

  const reviewQueue = new DynamoDbReviewQueue(stack.db, stack.tables.reviewQueue);
  const offices = [...new Set(samples.flatMap((sample) => sample.offices))].sort();
  const flagged: ReviewItem[] = [];
  for (const office of offices)
    flagged.push(...(await reviewQueue.list(office, 'open', { limit: 100 })).items);

  console.log(
    `\n${accepted} parcels screened, ${flagged.length} flagged, ${accepted - flagged.length} released\n`,
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
  console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await stack.stop();
}
