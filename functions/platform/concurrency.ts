/** Splits items into consecutive chunks of at most `size` (batch APIs' item limits). */
export const chunk = <T>(items: T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
};

/**
 * Runs `work` over every item with at most `limit` calls in flight. After the first failure it starts
 * no more, and rejects with that failure only once every call in flight has settled: when it returns,
 * nothing it started is still writing (a frozen Lambda would otherwise finish such writes minutes later).
 */
export const forEachLimited = async <T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
};
