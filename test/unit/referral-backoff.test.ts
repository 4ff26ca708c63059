import { describe, expect, it } from 'vitest';
import { backoffSeconds, jitteredBackoffSeconds, QUEUES } from '../../infra/definitions.js';

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

  it.each([
    [1, 0, 15],
    [1, 0.5, 23],
    [1, 0.999_999, 30],
    [3, 0, 60],
    [3, 0.25, 75],
    [8, 0, 1800],
    [8, 0.999_999, 3600],
  ])('after receive %i with draw %f waits %i seconds', (receiveCount, random, seconds) => {
    expect(jitteredBackoffSeconds({ baseSeconds: 30, maxSeconds: 3600 }, receiveCount, random)).toBe(seconds);
  });

  it('draws whole seconds between half the backoff and all of it, for any base', () => {
    for (const baseSeconds of [1, 3, 7, 30])
      for (let receiveCount = 1; receiveCount <= 10; receiveCount++)
        for (const random of [0, 1e-9, 0.3, 0.5, 0.7, 0.999_999_999]) {
          const backoff = { baseSeconds, maxSeconds: 3600 };
          const ceiling = backoffSeconds(backoff, receiveCount);
          const delay = jitteredBackoffSeconds(backoff, receiveCount, random);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
          expect(delay).toBeLessThanOrEqual(ceiling);
        }
  });
});
