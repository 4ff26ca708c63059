import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';

/** Local address (hex, as /proc/net/tcp writes it) of every listening socket, by port. */
const listeningAddresses = (): Map<number, string[]> => {
  const byPort = new Map<number, string[]>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A') continue; // LISTEN
      const [address, portHex] = local!.split(':');
      const port = Number.parseInt(portHex!, 16);
      byPort.set(port, [...(byPort.get(port) ?? []), address!]);
    }
  }
  return byPort;
};

/** 127.0.0.1 in /proc/net/tcp, and ::1 or ::ffff:127.0.0.1 in /proc/net/tcp6. */
const LOOPBACK = new Set([
  '0100007F',
  '00000000000000000000000001000000',
  '0000000000000000FFFF00000100007F',
]);

const portOf = (url: string): number => Number(new URL(url).port);

describe.runIf(process.platform === 'linux')('the embedded stack on the network', () => {
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await startEmbeddedStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('listens on the loopback interface only: nobody else on the network reaches its API, DynamoDB, SQS or S3', () => {
    const ports = new Set(
      [
        stack.apiUrl,
        stack.toolEnv.AWS_ENDPOINT_URL_DYNAMODB!,
        stack.toolEnv.AWS_ENDPOINT_URL_SQS!,
        stack.toolEnv.AWS_ENDPOINT_URL_S3!,
        ...(stack.staffSignInUrl === undefined ? [] : [stack.staffSignInUrl]),
      ].map(portOf),
    );
    expect(ports.size).toBeGreaterThanOrEqual(3);
    const listening = listeningAddresses();
    for (const port of ports) {
      const addresses = listening.get(port);
      expect(addresses, `port ${port} listens`).toBeDefined();
      for (const address of addresses!) expect(LOOPBACK, `port ${port} on ${address}`).toContain(address);
    }
  });
});
