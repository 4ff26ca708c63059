import { AppError, ConflictError } from '../platform/errors.js';

/**
 * Items that only grow: a marker set and its count, added to by conditional updates that never remove.
 * Party history's day buckets and outcome pages, and rule hit counters, overflow through numbered slots
 * of such items when one reaches DynamoDB's 400 KB limit.
 */

/** DynamoDB refused an update because the item would outgrow 400 KB (it checks the condition first). */
const isItemTooLarge = (error: unknown): boolean =>
  error instanceof AppError &&
  error.cause instanceof Error &&
  error.cause.name === 'ValidationException' &&
  /item size .*exceeded the maximum allowed size/i.test(error.cause.message);

/** How an item took a conditional add: counted, refused by its condition (already there), or full. */
export type GrowingAdd = 'counted' | 'conflict' | 'full';

export const addToGrowingItem = async (write: () => Promise<unknown>): Promise<GrowingAdd> => {
  try {
    await write();
    return 'counted';
  } catch (error) {
    if (error instanceof ConflictError) return 'conflict';
    if (isItemTooLarge(error)) return 'full';
    throw error;
  }
};

/**
 * Tries slots `first` to `last` in order; the first that holds the entry or takes it, undefined when
 * all are full. Exact under replay because items only grow: a slot that refused an entry for size
 * refuses it for ever, so a replay walks to the slot that holds it, which refuses it by its condition.
 */
export const firstSlotTaking = async (
  first: number,
  last: number,
  add: (slot: number) => Promise<GrowingAdd>,
): Promise<number | undefined> => {
  for (let slot = first; slot <= last; slot += 1) {
    if ((await add(slot)) !== 'full') return slot;
  }
  return undefined;
};
