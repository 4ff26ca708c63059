import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../support/cli.js';
import { takeLoopbackPort } from '../support/ports.js';

const SERVE = 'functions/local/serve.ts';
const USAGE = 'usage: npm start [-- PORT] [--samples] [--sign-in]';

describe('npm start refuses what it cannot serve, in one line and the usage', () => {
  let busy: Awaited<ReturnType<typeof takeLoopbackPort>>;
  let busyPort: number;

  beforeAll(async () => {
    busy = await takeLoopbackPort();
    busyPort = busy.port;
  });

  afterAll(() => busy.release());

  it.each([
    [['--port', '4000'], 'unknown argument --port'],
    [['99999'], 'not one port from 1 to 65535: 99999'],
    [['4000', '4001'], 'not one port from 1 to 65535: 4000 4001'],
  ])('answers %j with exit code 2', async (args, message) => {
    // Act
    const run = await runTool(SERVE, args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${message}\n${USAGE}   (PORT 1–65535, default 3000)\n`);
  });

  it('says the port is in use, with exit code 1 and no stack', async () => {
    // Act
    const run = await runTool(SERVE, [String(busyPort)]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`port ${busyPort} is in use: stop what listens there, or pass another port`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
