import { describe, expect, it } from 'vitest';
import { ConsoleConfigSchema, loadConfig, ReviewConfigSchema } from '../../functions/platform/config.js';

// Refusals of the staff functions' settings at cold start
describe('staff function settings', () => {
  it.each([
    ['STAFF_SIGN_IN_URL', { STAFF_SIGN_IN_URL: 'https://pg.auth.ap-east-1.amazoncognito.com' }],
    ['STAFF_CLIENT_ID', { STAFF_CLIENT_ID: 'client-1' }],
  ])('refuses a console configured with %s alone', (_name, settings) => {
    const env = {
      AWS_REGION: 'ap-east-1',
      CONSOLE_ASSETS_DIR: 'assets',
      OFFICES_FILE: 'offices.yaml',
      ...settings,
    };
    expect(() => loadConfig(ConsoleConfigSchema, env)).toThrow(/set together or not at all/);
  });

  it('refuses a claim lease over a day', () => {
    const env = {
      AWS_REGION: 'ap-east-1',
      REVIEW_QUEUE_TABLE: 'r',
      PARTY_HISTORY_TABLE: 'h',
      RULE_STATISTICS_TABLE: 's',
      AUDIT_LOG_TABLE: 'a',
      SHARING_AGREEMENTS_FILE: 'agreements.yaml',
      DECISIONS_TABLE: 'd',
      OFFICES_FILE: 'offices.yaml',
    };
    expect(loadConfig(ReviewConfigSchema, { ...env, LEASE_MINUTES: '1440' }).LEASE_MINUTES).toBe(1440);
    expect(() => loadConfig(ReviewConfigSchema, { ...env, LEASE_MINUTES: '1441' })).toThrow(/LEASE_MINUTES/);
  });
});
