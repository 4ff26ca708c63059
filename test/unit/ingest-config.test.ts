import { describe, expect, it } from 'vitest';
import { MANIFEST_LIMITS } from '../../events/manifest-v1.js';
import { ConfigError, IngestConfigSchema, loadConfig } from '../../functions/platform/config.js';

const ENV = {
  AWS_REGION: 'us-east-1',
  MANIFESTS_TABLE: 'manifests',
  PARCELS_TABLE: 'parcels',
  PARTNERS_TABLE: 'partners',
  SCREENING_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/screening',
  PARTY_KEY_SALT: 'salt-for-tests-only-0123456789',
  WEBHOOK_DELIVERIES_TABLE: 'deliveries',
  PARTNER_RATE_LIMITS_TABLE: 'rate-limits',
  OFFICES_FILE: 'rules/reference/offices.yaml',
};

describe('IngestConfigSchema', () => {
  it('limits parcels per manifest to the contract’s bound by default', () => {
    expect(loadConfig(IngestConfigSchema, ENV).MAX_PARCELS_PER_MANIFEST).toBe(MANIFEST_LIMITS.maxParcels);
  });

  it('refuses a parcel limit above the contract’s bound at cold start, which would turn 413 into 422', () => {
    expect(() =>
      loadConfig(IngestConfigSchema, {
        ...ENV,
        MAX_PARCELS_PER_MANIFEST: String(MANIFEST_LIMITS.maxParcels + 1),
      }),
    ).toThrow(
      expect.objectContaining({
        constructor: ConfigError,
        message: expect.stringMatching(/MAX_PARCELS_PER_MANIFEST/),
      }),
    );
  });

  it('refuses a party key salt under 16 characters at cold start', () => {
    expect(() => loadConfig(IngestConfigSchema, { ...ENV, PARTY_KEY_SALT: 'fifteen-chars-x' })).toThrow(
      /PARTY_KEY_SALT: at least 16 characters/,
    );
  });

  it('names every problem of the configuration at once', () => {
    const { MANIFESTS_TABLE: _m, PARCELS_TABLE: _p, ...missing } = ENV;
    expect(() => loadConfig(IngestConfigSchema, missing)).toThrow(/MANIFESTS_TABLE: .*; PARCELS_TABLE: /);
  });
});
