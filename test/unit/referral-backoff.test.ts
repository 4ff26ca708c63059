import { describe, expect, it } from 'vitest';
import { backoffSeconds, longestStaySeconds, QUEUES } from '../../infra/definitions.js';

describe('referral retry backoff', () => {
  it.each([
    [1, 30],
    [2, 60],
    [5, 480],
    [8, 3600],
  ])('waits after receive %i for %i seconds', (receiveCount, seconds) => {
    expect(backoffSeconds({ baseSeconds: 30, maxSeconds: 3600 }, receiveCount)).toBe(seconds);
  });

  it('lets a referral stay about two hours before its dead letter, which the stalled-consumer alarm allows for', () => {
    // Act / Assess: 60 + 60 + 120 + 240 + 480 + 960 + 1920 + 3600 (each receive: visibility or backoff)
    expect(longestStaySeconds(QUEUES.referral)).toBe(7_440);
    expect(longestStaySeconds(QUEUES.screening)).toBe(900);
  });
});
