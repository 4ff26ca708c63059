import { afterEach, beforeEach, vi } from 'vitest';

/**
 * The JSON lines the logger writes to stdout during each test, parsed (the handlers log as Lambda does:
 * one JSON object a line). Cleared before each test; stdout is restored after it.
 */
export const captureLogLines = (): Record<string, unknown>[] => {
  const lines: Record<string, unknown>[] = [];
  beforeEach(() => {
    lines.length = 0;
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      return true;
    });
  });
  afterEach(() => {
    vi.mocked(process.stdout.write).mockRestore();
  });
  return lines;
};
