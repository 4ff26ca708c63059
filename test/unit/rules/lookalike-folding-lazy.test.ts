import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The look-alike tables cost a scan of every code point up to U+1FFFF: a process (a Lambda's cold start,
 * the rules CLI) that folds no text other than ASCII must not pay it when it loads the rules.
 */
describe('look-alike folding tables', () => {
  afterEach(() => vi.restoreAllMocks());

  it('are built on the first fold, not when the module loads', async () => {
    vi.resetModules();
    const test = vi.spyOn(RegExp.prototype, 'test');
    const { foldLookalikes } = await import('../../../functions/core/text/lookalike-folding.js');
    expect(test.mock.calls.length).toBeLessThan(1_000);
    expect(foldLookalikes('café')).toBe('cafe');
    expect(test.mock.calls.length).toBeGreaterThan(100_000);
  });
});
