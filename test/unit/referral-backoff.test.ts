import { describe, expect, it } from 'vitest';
import { backoffSeconds, QUEUES } from '../../infra/definitions.js';

describe('referral retry backoff', () => {
  it.each([
    [1, 30],
    [2, 60],
    [5, 480],
    [8, 3600],
  ])('waits after receive %i for %i seconds', (receiveCount, seconds) => {
    expect(backoffSeconds({ baseSeconds: 30, maxSeconds: 3600 }, receiveCount)).toBe(seconds);
  });

  it('backs off less than the visibility timeout over the two receives the stalled-consumer alarm sees', () => {
    // SQS leaves a message received three times or more out of ApproximateAgeOfOldestMessage.
    const { backoff, visibilityTimeoutSeconds } = QUEUES.referral;
    expect(backoffSeconds(backoff, 1)).toBeLessThanOrEqual(visibilityTimeoutSeconds);
    expect(backoffSeconds(backoff, 2)).toBeLessThanOrEqual(visibilityTimeoutSeconds);
  });
});
