import { describe, expect, it } from 'vitest';
import { ConfigError, ListsToolConfigSchema, loadConfig } from '../../functions/platform/config.js';

const LISTS_TOOL = {
  AWS_REGION: 'ap-east-1',
  LISTS_TABLE: 'lists',
  AUDIT_LOG_TABLE: 'audit-log',
  PARTY_KEY_SALT: 'salt-for-tests-only-0123456789',
};

describe('the SDK endpoint settings of the operator tools', () => {
  it.each(['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_S3'])(
    'takes an empty %s for unset, as the SDK does',
    (variable) => {
      // Act
      const config = loadConfig(ListsToolConfigSchema, { ...LISTS_TOOL, [variable]: '' });

      // Assess
      expect((config as Record<string, unknown>)[variable]).toBeUndefined();
    },
  );

  it.each(['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_S3'])(
    'names a malformed %s as a setting to fix',
    (variable) => {
      // Act / Assess
      expect(() => loadConfig(ListsToolConfigSchema, { ...LISTS_TOOL, [variable]: 'notaurl' })).toThrow(
        new ConfigError(`invalid configuration: ${variable}: Invalid URL`),
      );
    },
  );

  it('says a setting that is not set is not set, naming each', () => {
    // Act / Assess
    expect(() =>
      loadConfig(ListsToolConfigSchema, { AWS_REGION: 'ap-east-1', LISTS_TABLE: 'lists' }),
    ).toThrow(new ConfigError('invalid configuration: AUDIT_LOG_TABLE: not set; PARTY_KEY_SALT: not set'));
  });
});
