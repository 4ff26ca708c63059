import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('the test clock', () => {
  it('starts at the pinned instant and runs forward, in this process and in the tools it starts', async () => {
    // Prepare
    const pinned = Date.parse('2026-11-29T08:00:00Z');
    // Act
    const here = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, [
      '-e',
      'process.stdout.write(String(Date.now()) + " " + new Date().toISOString())',
    ]);
    const [child, iso] = stdout.split(' ');
    // Assess
    expect(here).toBeGreaterThanOrEqual(pinned);
    // Pinned when this process started, which may be most of a suite's run ago (this file shares it)
    expect(here - pinned).toBeLessThan(60 * 60_000);
    expect(Number(child)).toBeGreaterThanOrEqual(here);
    expect(Number(child) - here).toBeLessThan(60_000);
    expect(Date.parse(iso!)).toBeGreaterThanOrEqual(here);
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date() instanceof Date).toBe(true);
    expect(new Date().constructor).toBe(Date);
  });

  it('stamps the answers of HTTP servers in this process with the same clock, as the AWS SDK reads them', async () => {
    // Prepare: a server like the embedded emulators (the SDK corrects its clock from their Date header)
    const server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      // Act
      const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      // Assess: HTTP dates have whole seconds
      const stamped = Date.parse(answer.headers.get('date')!);
      expect(Math.abs(stamped - Date.now())).toBeLessThan(2_000);
    } finally {
      server.close();
    }
  });
});
