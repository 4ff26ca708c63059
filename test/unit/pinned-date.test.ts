import { execFile } from 'node:child_process';
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
    expect(here - pinned).toBeLessThan(10 * 60_000);
    expect(Number(child)).toBeGreaterThanOrEqual(here);
    expect(Number(child) - here).toBeLessThan(60_000);
    expect(Date.parse(iso!)).toBeGreaterThanOrEqual(here);
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date() instanceof Date).toBe(true);
  });
});
