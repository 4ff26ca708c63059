import { describe, expect, it } from 'vitest';
import { chunk, forEachLimited } from '../../functions/platform/concurrency.js';

const settleSoon = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forEachLimited', () => {
  it('runs every item with at most `limit` in flight', async () => {
    // Prepare
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];

    // Act
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await settleSoon(item % 3);
      done.push(item);
      inFlight -= 1;
    });

    // Assess
    expect(most).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('starts nothing after a failure and rejects only once every call in flight has settled', async () => {
    // Prepare
    const started: number[] = [];
    const settled: number[] = [];

    // Act
    const run = forEachLimited([1, 2, 3, 4, 5, 6], 3, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('item 1 failed');
      await settleSoon(20);
      settled.push(item);
    });

    // Assess: items 2 and 3 were in flight when 1 failed; they finished before the rejection
    await expect(run).rejects.toThrow('item 1 failed');
    expect(started).toEqual([1, 2, 3]);
    expect(settled.sort()).toEqual([2, 3]);
  });

  it('rejects with the first failure when several fail', async () => {
    // Act
    const run = forEachLimited([1, 2, 3], 3, async (item) => {
      await settleSoon(item * 5);
      throw new Error(`item ${item} failed`);
    });

    // Assess
    await expect(run).rejects.toThrow('item 1 failed');
  });
});

describe('chunk', () => {
  it.each([
    [[], 2, []],
    [[1, 2, 3], 2, [[1, 2], [3]]],
    [[1, 2], 5, [[1, 2]]],
  ])('splits %j into chunks of %i', (items, size, chunks) => {
    // Act / Assess
    expect(chunk(items as number[], size)).toEqual(chunks);
  });
});
