import { type App, Aws, Tags } from 'aws-cdk-lib';
import { checkDomainPrefix } from '../constructs/staff-directory.js';
import { SCREEN_SETTINGS } from '../definitions.js';
import { DataStack } from './data-stack.js';
import { type ApiThrottle, ServiceStack } from './service-stack.js';

export interface ParcelguardOptions {
  /** The region (tenant) the deployment serves; part of the stack names, so kebab-case. */
  regionId: string;
  /** Folder under `rules/` holding the active rule set. */
  ruleSet: string;
  /** Folder under `rules/` holding a rule set screen also evaluates, records and never acts on. */
  shadowRuleSet?: string;
  apiThrottle: ApiThrottle;
  /** Released parcels held at random as control samples, per thousand: 0 (none) to 1000. */
  controlSamplePerMille: number;
  /** How often, at most, a running screen container checks the lists table for new versions: 10 to 3600 s. */
  listRefreshSeconds: number;
  alarmEmail?: string;
  /**
   * Prefix of the staff sign-in domain (Cognito managed login), `<prefix>.auth.<aws region>.amazoncognito.com`.
   * Prefixes are unique per AWS region across all accounts. Default `parcelguard-<regionId>-<account id>`.
   */
  staffDomainPrefix?: string;
}

/** Stands in for the 12 digits of the deploying account when the default prefix is checked at synthesis. */
const ANY_ACCOUNT_ID = '000000000000';

export const DEFAULT_OPTIONS: ParcelguardOptions = {
  regionId: 'yunnan-guangxi',
  ruleSet: 'default',
  apiThrottle: { rateLimit: 50, burstLimit: 100 },
  controlSamplePerMille: SCREEN_SETTINGS.controlSamplePerMille.default,
  listRefreshSeconds: SCREEN_SETTINGS.listRefreshSeconds.default,
};

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const requireWholeNumber = (name: keyof typeof SCREEN_SETTINGS, value: number): void => {
  const { min, max } = SCREEN_SETTINGS[name];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
};

/**
 * parcelguard's two stacks for one region. Stateful and
 * stateless resources are apart so a code deployment can never replace a table or a queue. Both
 * stacks are environment-agnostic: account and region come from the deploying credentials.
 */
export const addParcelguardStacks = (app: App, options: ParcelguardOptions) => {
  if (!KEBAB_CASE.test(options.regionId)) {
    throw new Error(`regionId must be kebab-case, got "${options.regionId}"`);
  }
  if (!KEBAB_CASE.test(options.ruleSet)) {
    throw new Error(`ruleSet must be a kebab-case folder name under rules/, got "${options.ruleSet}"`);
  }
  if (options.shadowRuleSet !== undefined && !KEBAB_CASE.test(options.shadowRuleSet)) {
    throw new Error(
      `shadowRuleSet must be a kebab-case folder name under rules/, got "${options.shadowRuleSet}"`,
    );
  }
  if (options.shadowRuleSet === options.ruleSet) {
    throw new Error(`shadowRuleSet ${options.shadowRuleSet} is the active rule set: shadow another one`);
  }
  requireWholeNumber('controlSamplePerMille', options.controlSamplePerMille);
  requireWholeNumber('listRefreshSeconds', options.listRefreshSeconds);
  const prefix = `parcelguard-${options.regionId}`;
  checkDomainPrefix(options.staffDomainPrefix ?? `${prefix}-${ANY_ACCOUNT_ID}`);
  const data = new DataStack(app, `${prefix}-data`, {
    description: `parcelguard ${options.regionId}: tables, queues, keys, secrets (retained)`,
    alarmEmail: options.alarmEmail,
    staffDomainPrefix: options.staffDomainPrefix ?? `${prefix}-${Aws.ACCOUNT_ID}`,
    regionId: options.regionId,
  });
  const service = new ServiceStack(app, `${prefix}-service`, {
    description: `parcelguard ${options.regionId}: functions, HTTP API, event sources`,
    data,
    regionId: options.regionId,
    ruleSet: options.ruleSet,
    ...(options.shadowRuleSet === undefined ? {} : { shadowRuleSet: options.shadowRuleSet }),
    apiThrottle: options.apiThrottle,
    controlSamplePerMille: options.controlSamplePerMille,
    listRefreshSeconds: options.listRefreshSeconds,
  });

  Tags.of(app).add('project', 'parcelguard');
  Tags.of(app).add('parcelguard:region', options.regionId);
  Tags.of(data).add('parcelguard:tier', 'data');
  Tags.of(service).add('parcelguard:tier', 'service');

  return { data, service };
};
