import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkEffects } from '../functions/local/effects-check.js';
import { REPO_ROOT } from '../functions/local/embedded-stack.js';
import { dynamoDbError } from '../functions/local/fault-proxy.js';
import { makeLambdaContext } from '../functions/local/lambda-context.js';
import { type SqsHandler, SqsPoller } from '../functions/local/sqs-poller.js';
import { syntheticManifest } from '../functions/local/synthetic-manifests.js';
import { FUNCTIONS } from '../infra/definitions.js';
import { postAsPartner } from './support/embedded.js';
import { RUILI_MANIFEST, readSample, SHENZHEN_MANIFEST } from './support/factories.js';
import { useFaultyStack } from './support/faulty-stack.js';

const SEED = Number(process.env.RACE_SEED ?? 1);
let s = SEED;
const rnd = () => {
  s = (s * 1103515245 + 12345) % 2147483648;
  return s / 2147483648;
};

describe('race review chaos', () => {
  const env = useFaultyStack();
  const { faults } = env;

  it('screens everything once under random lost answers and failures with two consumers', async () => {
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
    const tables = env.stack.tables as Record<string, string>;
    const screenTables = [
      tables.decisions,
      tables.partyHistory,
      tables.ruleStatistics,
      tables.reviewQueue,
    ].filter(Boolean);
    const rules = [];
    for (const op of ['PutItem', 'UpdateItem', 'BatchWriteItem']) {
      for (const table of screenTables) {
        rules.push(
          faults.inject({
            operation: op,
            resource: table,
            when: () => rnd() < Number(process.env.RACE_PLOSE ?? 0.04),
            times: Infinity,
            fault: { kind: 'lose-answer' },
          }),
        );
        rules.push(
          faults.inject({
            operation: op,
            resource: table,
            when: () => rnd() < Number(process.env.RACE_P500 ?? 0.12),
            times: Infinity,
            fault: dynamoDbError('InternalServerError', 500),
          }),
        );
      }
    }
    const manifests = [
      syntheticManifest(readSample(RUILI_MANIFEST), {
        manifestId: `CHAOS-A-${SEED}`,
        parcelCount: 60,
        consignees: 5,
      }),
      syntheticManifest(readSample(SHENZHEN_MANIFEST), {
        manifestId: `CHAOS-B-${SEED}`,
        parcelCount: 30,
        consignees: 3,
      }),
      syntheticManifest(readSample(RUILI_MANIFEST), {
        manifestId: `CHAOS-C-${SEED}`,
        parcelCount: 8,
        consignees: 2,
      }),
    ];
    let accepted = 0;
    await Promise.all(
      manifests.map(async (manifest) => {
        const body = JSON.stringify(manifest);
        const answers = await Promise.all([
          postAsPartner(env.stack, manifest.partnerId, body),
          postAsPartner(env.stack, manifest.partnerId, body),
        ]);
        const statuses = answers.map((a) => a.status);
        console.log('POST', manifest.manifestId, statuses);
        if (statuses.includes(202)) accepted += manifest.parcels.length;
      }),
    );
    await env.stack.waitForIdle(30_000).catch(() => undefined);
    for (const rule of rules) rule.clear();
    console.log(
      'INJECTED',
      rules.map((r) => r.injected).reduce((a, b) => a + b, 0),
    );
    await new Promise((r) => setTimeout(r, 8000));
    const { drainQueue: drain } = await import('./support/embedded.js');
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const dead = await drain(env.stack.sqs, env.stack.queues.screening.dlqUrl);
    console.log('REDRIVE', dead.length);
    for (const body of dead)
      await env.stack.sqs.send(
        new SendMessageCommand({ QueueUrl: env.stack.queues.screening.url, MessageBody: body }),
      );
    let report = await checkEffects(env.stack);
    for (let i = 0; i < 40 && (report.unfinished.length > 0 || report.undecided.length > 0); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      report = await checkEffects(env.stack);
    }
    await env.stack.waitForIdle(30_000);
    await second.stop?.();
    report = await checkEffects(env.stack);
    const { drainQueue } = await import('./support/embedded.js');
    console.log('DLQ', (await drainQueue(env.stack.sqs, env.stack.queues.screening.dlqUrl)).length);
    console.log('REPORT', JSON.stringify(report, null, 1).slice(0, 3000));
    expect(report).toMatchObject({
      accepted,
      screened: accepted,
      undecided: [],
      unfinished: [],
      orphanDecisions: [],
      history: [],
      ruleHits: [],
      reviewQueue: { missing: [], unexpected: [] },
    });
  }, 120_000);
});
