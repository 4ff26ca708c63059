import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, NotifyConfigSchema } from '../../functions/platform/config.js';
import { FUNCTIONS } from '../../infra/definitions.js';

const ENV = {
  AWS_REGION: 'us-east-1',
  PARTNERS_TABLE: 'partners-table',
  REFERRAL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/referral',
};

/** Half the notify function's timeout: one hanging callback must fail its record, not the whole batch. */
const HALF_OF_NOTIFY_TIMEOUT_MS = (FUNCTIONS.notify.timeoutSeconds * 1000) / 2;

describe('NotifyConfigSchema', () => {
  it('waits for a callback by default at most half the notify function’s timeout', () => {
    // Act
    const config = loadConfig(NotifyConfigSchema, ENV);
    // Assess
    expect(config.REFERRAL_TIMEOUT_MS).toBeLessThanOrEqual(HALF_OF_NOTIFY_TIMEOUT_MS);
  });

  it('accepts a callback timeout of half the notify function’s timeout', () => {
    // Act
    const config = loadConfig(NotifyConfigSchema, {
      ...ENV,
      REFERRAL_TIMEOUT_MS: String(HALF_OF_NOTIFY_TIMEOUT_MS),
    });
    // Assess
    expect(config.REFERRAL_TIMEOUT_MS).toBe(HALF_OF_NOTIFY_TIMEOUT_MS);
  });

  it.each([
    ['1 ms over half the function timeout', HALF_OF_NOTIFY_TIMEOUT_MS + 1],
    ['the function timeout itself', FUNCTIONS.notify.timeoutSeconds * 1000],
    ['25 s', 25_000],
  ])('refuses a callback timeout of %s at cold start', (_name, timeoutMs) => {
    // Act / Assess
    expect(() => loadConfig(NotifyConfigSchema, { ...ENV, REFERRAL_TIMEOUT_MS: String(timeoutMs) })).toThrow(
      expect.objectContaining({
        constructor: ConfigError,
        message: expect.stringMatching(/REFERRAL_TIMEOUT_MS/),
      }),
    );
  });
});
