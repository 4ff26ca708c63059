import { describe, expect, it } from 'vitest';
import { ConsoleConfigSchema, loadConfig, ReviewConfigSchema } from '../../functions/platform/config.js';
import { MAX_PAGE_SIZE } from '../../functions/review/list-inspections.js';

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

  const reviewEnv = {
    AWS_REGION: 'ap-east-1',
    REVIEW_QUEUE_TABLE: 'r',
    PARTY_HISTORY_TABLE: 'h',
    RULE_STATISTICS_TABLE: 's',
    AUDIT_LOG_TABLE: 'a',
    SHARING_AGREEMENTS_FILE: 'agreements.yaml',
    DECISIONS_TABLE: 'd',
    OFFICES_FILE: 'offices.yaml',
  };

  it('refuses a claim lease over a day', () => {
    expect(loadConfig(ReviewConfigSchema, { ...reviewEnv, LEASE_MINUTES: '1440' }).LEASE_MINUTES).toBe(1440);
    expect(() => loadConfig(ReviewConfigSchema, { ...reviewEnv, LEASE_MINUTES: '1441' })).toThrow(
      /LEASE_MINUTES/,
    );
  });

  // The deployment's page size is bounded as a request's `limit` is (MAX_PAGE_SIZE).
  it('takes a queue page size from 1 to the most a request may ask for, 25 when unset', () => {
    expect(loadConfig(ReviewConfigSchema, reviewEnv).LIST_PAGE_SIZE).toBe(25);
    expect(loadConfig(ReviewConfigSchema, { ...reviewEnv, LIST_PAGE_SIZE: '1' }).LIST_PAGE_SIZE).toBe(1);
    expect(
      loadConfig(ReviewConfigSchema, { ...reviewEnv, LIST_PAGE_SIZE: `${MAX_PAGE_SIZE}` }).LIST_PAGE_SIZE,
    ).toBe(MAX_PAGE_SIZE);
    for (const refused of ['0', `${MAX_PAGE_SIZE + 1}`, '2.5']) {
      expect(() => loadConfig(ReviewConfigSchema, { ...reviewEnv, LIST_PAGE_SIZE: refused })).toThrow(
        /LIST_PAGE_SIZE/,
      );
    }
  });
});
