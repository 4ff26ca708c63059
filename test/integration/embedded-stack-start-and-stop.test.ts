import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { takeLoopbackPort } from '../support/ports.js';

/** Whether anything accepts a connection at the URL's host and port. */
const accepts = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    fetch(`http://${hostname}:${port}/`, { signal: AbortSignal.timeout(2_000) }).then(
      () => resolve(true),
      (error: Error & { cause?: { code?: string } }) => resolve(error.cause?.code !== 'ECONNREFUSED'),
    );
  });

describe('an embedded stack that fails to start', () => {
  let taken: Awaited<ReturnType<typeof takeLoopbackPort>>;
  let port: number;

  beforeAll(async () => {
    taken = await takeLoopbackPort();
    port = taken.port;
  });

  afterAll(() => taken.release());

  it('says why, and stops the emulators and the sign-in server it had started', async () => {
    // Prepare: the API's port is taken (beforeAll) / Act / Assess
    await expect(startEmbeddedStack({ port, staffSignIn: true })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });

    // Assess: the parts started before the API failed to listen had told the process where they listen.
    const started = [
      process.env.AWS_ENDPOINT_URL_DYNAMODB,
      process.env.AWS_ENDPOINT_URL_SQS,
      process.env.STAFF_SIGN_IN_URL,
    ];
    expect(started.every((url) => url !== undefined)).toBe(true);
    for (const url of started) expect({ url, accepts: await accepts(url!) }).toEqual({ url, accepts: false });
  });

  it('leaves the ports free: a stack started after it listens and serves', async () => {
    // Prepare
    await expect(startEmbeddedStack({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    // Act
    const stack = await startEmbeddedStack();
    // Assess
    expect((await fetch(`${stack.apiUrl}/console`)).status).toBe(200);
    await stack.stop();
  });
});

describe('an embedded stack asked to stop twice', () => {
  it('answers both only once it has stopped (a SIGINT then a SIGTERM)', async () => {
    // Prepare
    const stack = await startEmbeddedStack();
    const dynamodb = stack.toolEnv.AWS_ENDPOINT_URL_DYNAMODB!;

    // Act
    const first = stack.stop();
    await stack.stop();

    // Assess
    expect(await accepts(dynamodb)).toBe(false);
    await expect(first).resolves.toBeUndefined();
  });
});
