import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addParcelguardStacks, DEFAULT_OPTIONS } from './stacks/parcelguard-stacks.js';

/**
 * Context (`cdk synth -c regionId=...`): regionId, ruleSet, shadowRuleSet, alarmEmail, apiRateLimit,
 * apiBurstLimit, staffDomainPrefix, controlSamplePerMille, listRefreshSeconds.
 * Defaults are in DEFAULT_OPTIONS.
 */
const app = new App();

const text = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined ? undefined : String(value);
};
const positiveInteger = (key: string, fallback: number): number => {
  const value = text(key);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`context ${key} must be a positive integer`);
  return parsed;
};

const wholeNumber = (key: string, fallback: number): number => {
  const value = text(key);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`context ${key} must be a whole number, got "${value}"`);
  return Number(value);
};

addParcelguardStacks(app, {
  regionId: text('regionId') ?? DEFAULT_OPTIONS.regionId,
  ruleSet: text('ruleSet') ?? DEFAULT_OPTIONS.ruleSet,
  shadowRuleSet: text('shadowRuleSet'),
  alarmEmail: text('alarmEmail'),
  staffDomainPrefix: text('staffDomainPrefix'),
  apiThrottle: {
    rateLimit: positiveInteger('apiRateLimit', DEFAULT_OPTIONS.apiThrottle.rateLimit),
    burstLimit: positiveInteger('apiBurstLimit', DEFAULT_OPTIONS.apiThrottle.burstLimit),
  },
  // At most 1000: checked where the stacks are built.
  controlSamplePerMille: wholeNumber('controlSamplePerMille', DEFAULT_OPTIONS.controlSamplePerMille),
  // From 10 to 3600: checked where the stacks are built.
  listRefreshSeconds: wholeNumber('listRefreshSeconds', DEFAULT_OPTIONS.listRefreshSeconds),
});

// Any unacknowledged finding fails the synthesis; test/infra runs the same pack.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
