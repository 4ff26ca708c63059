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
    ['the function timeout itself, twice', FUNCTIONS.notify.timeoutSeconds * 2000],
  ])('refuses a callback timeout of %s at cold start', (_name, timeoutMs) => {
    // Act / Assess
    expect(() => loadConfig(NotifyConfigSchema, { ...ENV, REFERRAL_TIMEOUT_MS: String(timeoutMs) })).toThrow(
      expect.objectContaining({
        constructor: ConfigError,
        message: expect.stringMatching(/REFERRAL_TIMEOUT_MS/),
      }),
    );
  });

  it('waits 15 s for a callback by default, as Standard Webhooks asks receivers to answer within 15 to 30 s', () => {
    // Act
    const config = loadConfig(NotifyConfigSchema, ENV);
    // Assess
    expect(config.REFERRAL_TIMEOUT_MS).toBe(15_000);
  });

  it.each([
    [
      'a retry ceiling SQS would refuse (12 hours counted from a receive a function timeout earlier)',
      { REFERRAL_RETRY_MAX_SECONDS: '43200' },
      /REFERRAL_RETRY_MAX_SECONDS/,
    ],
    [
      'a first retry delay above the ceiling',
      { REFERRAL_RETRY_BASE_SECONDS: '600', REFERRAL_RETRY_MAX_SECONDS: '300' },
      /REFERRAL_RETRY_BASE_SECONDS is at most REFERRAL_RETRY_MAX_SECONDS/,
    ],
  ])('refuses %s at cold start', (_name, settings, message) => {
    // Act / Assess
    expect(() => loadConfig(NotifyConfigSchema, { ...ENV, ...settings })).toThrow(message);
  });
});
