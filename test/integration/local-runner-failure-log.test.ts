import type { Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpServer } from '../../functions/local/http-server.js';
import { makeLambdaContext } from '../../functions/local/lambda-context.js';

// The local API Gateway's line for a failed invocation names the route, never what the caller typed
describe('the local API Gateway, when a handler throws', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    ({ server, url } = await startHttpServer([
      {
        method: 'GET',
        path: '/v1/inspections/{partnerId}/{parcelId}',
        handler: async () => {
          throw new Error('the store is down');
        },
        context: () => makeLambdaContext('review', 3),
      },
    ]));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers 500 and logs the route template, without the path or query an officer typed', async () => {
    // Prepare
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});

    // Act
    const answer = await fetch(`${url}/v1/inspections/SWF/13977412080?office=%E5%BC%A0%E4%BC%9F`);

    // Assess
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ message: 'Internal Server Error' });
    const lines = errors.mock.calls.map((args) => args.join(' '));
    expect(lines).toEqual(['GET /v1/inspections/{partnerId}/{parcelId} failed: the store is down']);
  });
});
