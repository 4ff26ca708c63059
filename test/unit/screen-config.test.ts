import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, ScreenConfigSchema } from '../../functions/platform/config.js';
import { SCREEN_ENV } from '../support/lambda.js';

describe('ScreenConfigSchema', () => {
  it('checks the published lists every 300 s by default', () => {
    // Act
    const config = loadConfig(ScreenConfigSchema, SCREEN_ENV);
    // Assess
    expect(config.LIST_REFRESH_SECONDS).toBe(300);
  });

  it.each([
    ['10', 10],
    ['3600', 3_600],
  ])('takes a list refresh of %s s', (value, seconds) => {
    // Act
    const config = loadConfig(ScreenConfigSchema, { ...SCREEN_ENV, LIST_REFRESH_SECONDS: value });
    // Assess
    expect(config.LIST_REFRESH_SECONDS).toBe(seconds);
  });

  it.each([
    ['more often than every 10 s', '9'],
    ['less often than hourly', '3601'],
    ['a fraction of a second', '30.5'],
    ['not a number', 'five minutes'],
  ])('refuses a list refresh %s at cold start', (_name, value) => {
    // Act / Assess
    expect(() => loadConfig(ScreenConfigSchema, { ...SCREEN_ENV, LIST_REFRESH_SECONDS: value })).toThrow(
      expect.objectContaining({
        constructor: ConfigError,
        message: expect.stringContaining('LIST_REFRESH_SECONDS'),
      }),
    );
  });
});
