import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parcelKey } from '../../../functions/core/keys.js';
import { REPO_ROOT } from '../../../functions/local/embedded-stack.js';
import { sqsError } from '../../../functions/local/fault-proxy.js';
import { makeLambdaContext } from '../../../functions/local/lambda-context.js';
import { type SqsHandler, SqsPoller } from '../../../functions/local/sqs-poller.js';
import { syntheticManifest } from '../../../functions/local/synthetic-manifests.js';
import { FUNCTIONS } from '../../../infra/definitions.js';
import { expectDeadLetters, expectEffectivelyOnce } from '../../support/effects.js';
import { RUILI_MANIFEST, readSample, SHENZHEN_MANIFEST } from '../../support/factories.js';
import { keyAttribute, useFaultyStack } from '../../support/faulty-stack.js';

describe('SQS redelivering a batch after its visibility timeout', () => {
  const env = useFaultyStack();
  const { faults } = env;

  it('changes nothing twice when the batch was screened but its delete failed, so SQS delivers it again', async () => {
    // Prepare
    const manifest = syntheticManifest(readSample(RUILI_MANIFEST), {
      manifestId: 'REDELIVER-DELETE',
      parcelCount: 20, // one screening message
      consignees: 4,
    });
    const screeningQueue = env.stack.queues.screening.url.split('/').pop()!;
    const fault = faults.inject({
      operation: 'DeleteMessageBatch',
      resource: screeningQueue,
      times: 3, // every attempt of the first delete: the event source gives up and the batch comes back
      fault: sqsError('InternalError', 500),
    });
    const screenings = faults.observe({ operation: 'BatchGetItem', resource: env.stack.tables.decisions });
    // Act
    await env.post(manifest);
    await env.stack.waitForIdle(25_000);
    // Assess
    expect(fault.injected).toBe(3);
    expect(fault.matched).toBeGreaterThan(3);
    expect(screenings.matched).toBeGreaterThanOrEqual(2); // the one message was screened twice
    await expectEffectivelyOnce(env.stack, env.accepted);
    await expectDeadLetters(env.stack, []);
  });

  it('changes nothing twice when a second consumer screens the batch while the first, slower than the visibility timeout, still is', async () => {
    // Prepare: a second poller, as Lambda runs several; the first screening of one parcel stalls 2.5 s
    const screen = (await import(pathToFileURL(resolve(REPO_ROOT, FUNCTIONS.screen.entry)).href)) as {
      handler: SqsHandler;
    };
    const second = new SqsPoller({
      sqs: env.stack.sqs,
      queueUrl: env.stack.queues.screening.url,
      queueArn: env.stack.queues.screening.arn,
      handler: screen.handler,
      context: () => makeLambdaContext('screen', FUNCTIONS.screen.timeoutSeconds),
      batchSize: 10,
      visibilityTimeoutSeconds: 1,
    });
    second.start();
    const manifest = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: 'REDELIVER-SLOW',
      parcelCount: 9,
      consignees: 2,
      consigneeOffset: 500,
    });
    const target = parcelKey(manifest.partnerId, manifest.parcels[4]!.parcelId);
    const stall = faults.inject({
      operation: 'PutItem',
      resource: env.stack.tables.decisions,
      when: (request) => keyAttribute(request, 'pk') === target,
      times: 1,
      fault: { kind: 'delay', ms: 2_500 },
    });
    // Act
    try {
      await env.post(manifest);
      await new Promise((resolveWait) => setTimeout(resolveWait, 3_000));
      await env.stack.waitForIdle(25_000);
    } finally {
      await second.stop();
    }
    // Assess: both consumers decided the parcel, effects still once. The first consumer's SDK gives up on
    // the stalled write after its request timeout (functions/platform/clients.ts) and sends it again, so
    // the rule matches that retry too; the stalled write itself still lands, late, and loses the race.
    expect(stall.injected).toBe(1);
    expect(stall.matched).toBeGreaterThanOrEqual(2);
    await expectEffectivelyOnce(env.stack, env.accepted);
    await expectDeadLetters(env.stack, []);
  });
});
