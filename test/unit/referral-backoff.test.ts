import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../functions/notify/deliver-referral.js';

describe('referral retry backoff', () => {
  it.each([
    [1, 30],
    [2, 60],
    [5, 480],
    [8, 3600],
  ])('waits after receive %i for %i seconds', (receiveCount, seconds) => {
    expect(retryDelaySeconds(receiveCount, 30, 3600)).toBe(seconds);
  });
});
