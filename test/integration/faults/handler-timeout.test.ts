import { afterEach, describe, expect, it, vi } from 'vitest';
import { parcelKey } from '../../../functions/core/keys.js';
import { syntheticManifest } from '../../../functions/local/synthetic-manifests.js';
import { expectEffectivelyOnce } from '../../support/effects.js';
import { postAsPartner } from '../../support/embedded.js';
import { readSample, SHENZHEN_MANIFEST } from '../../support/factories.js';
import { keyAttribute, useFaultyStack } from '../../support/faulty-stack.js';

const pause = (ms: number) => new Promise((resolveWait) => setTimeout(resolveWait, ms));

/**
 * Functions that run out of time on the embedded stack fail as in Lambda: the local runner ends the
 * invocation at the function's deadline (shortened here), though it cannot stop the handler's work.
 */
describe('a function past its timeout on the embedded stack', () => {
  const env = useFaultyStack({ functionTimeoutSeconds: { ingest: 1, screen: 2 } });
  const { faults } = env;
  /** What the local runner logged of failed invocations, as Lambda logs them. */
  const logged = () => {
    const spy = vi.spyOn(console, 'error');
    return () => spy.mock.calls.map((args) => args.join(' '));
  };
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("answers the partner 500 as API Gateway does, and the partner's retry is accepted, screened once", async () => {
    // Prepare: the manifest write takes longer than ingest's whole second
    const manifest = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: 'TIMEOUT-INGEST',
      parcelCount: 3,
    });
    const body = JSON.stringify(manifest);
    const stall = faults.inject({
      operation: 'PutItem',
      resource: env.stack.tables.manifests,
      times: 1,
      fault: { kind: 'delay', ms: 1_300 },
    });
    const errors = logged();
    // Act
    const first = await postAsPartner(env.stack, manifest.partnerId, body, { webhookId: 'msg_timeout_1' });
    // The timed-out invocation finishes in the background meanwhile (~0.5 s after the 500; a retry while it
    // still hands over would be answered "in progress", as it should, not 202)
    await pause(2_000);
    const retried = await postAsPartner(env.stack, manifest.partnerId, body, { webhookId: 'msg_timeout_1' });
    await env.stack.waitForIdle(25_000);
    // Assess
    expect(stall.injected).toBe(1);
    expect(first).toMatchObject({ status: 500, body: { message: 'Internal Server Error' } });
    expect(errors()).toContainEqual(
      expect.stringMatching(/^POST \/v1\/manifests failed: .*task timed out after 1\.00 seconds$/),
    );
    expect(retried).toMatchObject({ status: 202, body: { manifestId: 'TIMEOUT-INGEST', parcelCount: 3 } });
    await expectEffectivelyOnce(env.stack, 3);
  });

  it('fails the batch of a screen invocation that runs out of time, which SQS delivers again, screened once', async () => {
    // Prepare: two writes in a row that together take longer than screen's two seconds
    const manifest = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: 'TIMEOUT-SCREEN',
      parcelCount: 4,
      consigneeOffset: 700,
    });
    const target = parcelKey(manifest.partnerId, manifest.parcels[0]!.parcelId);
    const slowRead = faults.inject({
      operation: 'BatchGetItem',
      resource: env.stack.tables.decisions,
      times: 1,
      fault: { kind: 'delay', ms: 1_300 },
    });
    const slowWrite = faults.inject({
      operation: 'PutItem',
      resource: env.stack.tables.decisions,
      when: (request) => keyAttribute(request, 'pk') === target,
      times: 1,
      fault: { kind: 'delay', ms: 1_300 },
    });
    const screenings = faults.observe({ operation: 'BatchGetItem', resource: env.stack.tables.decisions });
    const errors = logged();
    // Act
    await env.post(manifest);
    await pause(3_000); // past the deadline, the redelivery and the late first invocation
    await env.stack.waitForIdle(25_000);
    // Assess
    expect([slowRead.injected, slowWrite.injected]).toEqual([1, 1]);
    expect(screenings.matched).toBeGreaterThanOrEqual(2); // the batch came back after the timeout
    expect(errors()).toContainEqual(
      expect.stringMatching(/^screen on the screening queue failed: .*task timed out after 2\.00 seconds$/),
    );
    await expectEffectivelyOnce(env.stack, env.accepted + 3);
  });
});
