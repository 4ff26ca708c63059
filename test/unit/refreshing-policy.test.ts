import { describe, expect, it } from 'vitest';
import type { Logger } from '../../functions/platform/logger.js';
import type { ScreeningPolicyLoad } from '../../functions/screen/load-screening-policy.js';
import { makeRefreshingPolicy, type RefreshingPolicyDeps } from '../../functions/screen/refreshing-policy.js';
import { LISTS_NOT_REFRESHED, SHADOW_RULE_SET_REFUSED } from '../../infra/definitions.js';
import { awsError } from '../support/aws-mocks.js';

const REFRESH_SECONDS = 300;
const START = Date.parse('2026-11-29T08:00:00Z');

/** A load of rule set `id` at `version` (what screening needs of it here: its id and version). */
const aLoad = (version: string, refused: ScreeningPolicyLoad['refused'] = [], id = 'default') =>
  ({ policy: { id, version }, fromStore: [], refused }) as unknown as ScreeningPolicyLoad;

const throttled = () =>
  awsError('ProvisionedThroughputExceededException', 'Rate of requests exceeds the allowed throughput');

/** A loader answering each call with the next of `answers` (the last one for good), counting its calls. */
const aLoader = (...answers: (ScreeningPolicyLoad | Error)[]) => {
  const loader = {
    calls: 0,
    load: async (): Promise<ScreeningPolicyLoad> => {
      const answer = answers[Math.min(loader.calls, answers.length - 1)]!;
      loader.calls += 1;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return loader;
};

/** The refreshing policy over `live` (and `shadow`), on a clock the test moves, its log lines and builds kept. */
const aRefreshingPolicy = (live: ReturnType<typeof aLoader>, shadow?: ReturnType<typeof aLoader>) => {
  const clock = { at: START, now: () => new Date(clock.at) };
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const record =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  const logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  } as unknown as Logger;
  const builds: Parameters<RefreshingPolicyDeps<unknown>['build']>[0][] = [];
  const inForce = makeRefreshingPolicy({
    clock,
    refreshSeconds: REFRESH_SECONDS,
    load: live.load,
    ...(shadow === undefined ? {} : { shadow: { dir: 'rules/candidate', load: shadow.load } }),
    build: (policies) => {
      builds.push(policies);
      return { screeningBuilt: builds.length };
    },
    logger,
  });
  const secondsLater = (seconds: number) => {
    clock.at = START + seconds * 1_000;
  };
  const logged = (message: string) => lines.filter((line) => line.message === message);
  return { inForce, secondsLater, builds, logged };
};

describe('makeRefreshingPolicy', () => {
  it('loads the rule set on the first call and logs it loaded', async () => {
    // Prepare
    const live = aLoader(aLoad('sha256:one'));
    const { inForce, builds, logged } = aRefreshingPolicy(live);
    // Act
    const first = await inForce();
    // Assess
    expect(first.live.policy.version).toBe('sha256:one');
    expect(first.screening).toEqual({ screeningBuilt: 1 });
    expect(builds).toHaveLength(1);
    expect(logged('rule set loaded').map((line) => line.fields)).toEqual([
      { ruleSetName: 'default', version: 'sha256:one', listsFromTable: [] },
    ]);
  });

  it('does not read the lists again before the interval has passed', async () => {
    // Prepare
    const live = aLoader(aLoad('sha256:one'), aLoad('sha256:two'));
    const { inForce, secondsLater } = aRefreshingPolicy(live);
    const first = await inForce();
    // Act
    secondsLater(REFRESH_SECONDS - 1);
    const later = await inForce();
    // Assess
    expect(live.calls).toBe(1);
    expect(later).toBe(first);
  });

  it('reads the lists again once the interval has passed, and screens with the new version', async () => {
    // Prepare
    const live = aLoader(aLoad('sha256:one'), aLoad('sha256:two'));
    const { inForce, secondsLater, builds, logged } = aRefreshingPolicy(live);
    const first = await inForce();
    // Act
    secondsLater(REFRESH_SECONDS);
    const refreshed = await inForce();
    // Assess
    expect(live.calls).toBe(2);
    expect(refreshed.live.policy.version).toBe('sha256:two');
    expect(refreshed.screening).not.toBe(first.screening);
    expect(builds.map(({ live: load }) => load.policy.version)).toEqual(['sha256:one', 'sha256:two']);
    expect(logged('rule set loaded').map((line) => line.fields)).toEqual([
      { ruleSetName: 'default', version: 'sha256:one', listsFromTable: [] },
      { ruleSetName: 'default', version: 'sha256:two', listsFromTable: [], previousVersion: 'sha256:one' },
    ]);
  });

  it('keeps the policy and screening in force when the version is unchanged, with the refusals just read', async () => {
    // Prepare: the same lists in use, but the refused list is now a newer bad version
    const refusedThen = { list: 'watched-phones v2', reason: 'wrong kind', instead: 'bundled file v1' };
    const refusedNow = { list: 'watched-phones v3', reason: 'wrong kind', instead: 'bundled file v1' };
    const live = aLoader(aLoad('sha256:one', [refusedThen]), aLoad('sha256:one', [refusedNow]));
    const { inForce, secondsLater, builds, logged } = aRefreshingPolicy(live);
    const first = await inForce();
    // Act
    secondsLater(REFRESH_SECONDS);
    const refreshed = await inForce();
    // Assess
    expect(live.calls).toBe(2);
    expect(refreshed.live.policy).toBe(first.live.policy);
    expect(refreshed.screening).toBe(first.screening);
    expect(refreshed.live.refused).toEqual([refusedNow]);
    expect(builds).toHaveLength(1);
    expect(logged('rule set loaded')).toHaveLength(1);
  });

  it('keeps screening with the rule set in force when the lists cannot be read, logs why, and tries again only at the next interval', async () => {
    // Prepare
    const live = aLoader(aLoad('sha256:one'), throttled(), aLoad('sha256:two'));
    const { inForce, secondsLater, logged } = aRefreshingPolicy(live);
    const first = await inForce();
    // Act
    secondsLater(REFRESH_SECONDS);
    const failed = await inForce();
    secondsLater(2 * REFRESH_SECONDS - 1);
    const meanwhile = await inForce();
    secondsLater(2 * REFRESH_SECONDS);
    const retried = await inForce();
    // Assess
    expect(failed).toBe(first);
    expect(meanwhile).toBe(first);
    expect(live.calls).toBe(3);
    expect(retried.live.policy.version).toBe('sha256:two');
    expect(logged(LISTS_NOT_REFRESHED)).toEqual([
      {
        level: 'error',
        message: LISTS_NOT_REFRESHED,
        fields: {
          ruleSet: 'live',
          ruleSetName: 'default',
          version: 'sha256:one',
          reason: expect.stringMatching(/throughput/),
        },
      },
    ]);
  });

  it('fails while no rule set was ever loaded, and tries again at the next call, without waiting', async () => {
    // Prepare
    const live = aLoader(throttled(), aLoad('sha256:one'));
    const { inForce } = aRefreshingPolicy(live);
    // Act
    const cold = inForce();
    await expect(cold).rejects.toThrow(/throughput/);
    const next = await inForce();
    // Assess
    expect(live.calls).toBe(2);
    expect(next.live.policy.version).toBe('sha256:one');
  });

  it('shares one check between the calls made while it runs', async () => {
    // Prepare
    const live = aLoader(aLoad('sha256:one'));
    const { inForce } = aRefreshingPolicy(live);
    // Act
    const [one, two] = await Promise.all([inForce(), inForce()]);
    // Assess
    expect(live.calls).toBe(1);
    expect(two).toBe(one);
  });

  it('checks again when the clock was set back', async () => {
    // Prepare
    const live = aLoader(aLoad('sha256:one'), aLoad('sha256:two'));
    const { inForce, secondsLater } = aRefreshingPolicy(live);
    await inForce();
    // Act
    secondsLater(-60);
    const refreshed = await inForce();
    // Assess
    expect(refreshed.live.policy.version).toBe('sha256:two');
  });
});

describe('makeRefreshingPolicy with a shadow rule set', () => {
  it('screens without a shadow that cannot be loaded, logs it refused, and tries it again at the next check', async () => {
    // Prepare
    const live = aLoader(aLoad('sha256:one'));
    const shadow = aLoader(throttled(), aLoad('sha256:shadow', [], 'candidate'));
    const { inForce, secondsLater, builds, logged } = aRefreshingPolicy(live, shadow);
    // Act
    const first = await inForce();
    secondsLater(REFRESH_SECONDS);
    const refreshed = await inForce();
    // Assess
    expect(first.shadow).toBeUndefined();
    expect(logged(SHADOW_RULE_SET_REFUSED)).toEqual([
      {
        level: 'error',
        message: SHADOW_RULE_SET_REFUSED,
        fields: { dir: 'rules/candidate', reason: expect.stringMatching(/throughput/) },
      },
    ]);
    expect(refreshed.shadow?.policy.version).toBe('sha256:shadow');
    expect(refreshed.live.policy).toBe(first.live.policy);
    expect(builds.map((policies) => policies.shadow?.policy.version)).toEqual([undefined, 'sha256:shadow']);
    expect(logged('shadow rule set loaded')).toHaveLength(1);
  });

  it('reloads the shadow with new lists, and keeps the one in force when its lists cannot be read', async () => {
    // Prepare
    const live = aLoader(aLoad('sha256:one'));
    const shadow = aLoader(
      aLoad('sha256:shadow-one', [], 'candidate'),
      aLoad('sha256:shadow-two', [], 'candidate'),
      throttled(),
    );
    const { inForce, secondsLater, logged } = aRefreshingPolicy(live, shadow);
    await inForce();
    // Act
    secondsLater(REFRESH_SECONDS);
    const reloaded = await inForce();
    secondsLater(2 * REFRESH_SECONDS);
    const kept = await inForce();
    // Assess
    expect(reloaded.shadow?.policy.version).toBe('sha256:shadow-two');
    expect(kept.shadow).toBe(reloaded.shadow);
    expect(kept.screening).toBe(reloaded.screening);
    expect(logged('shadow rule set loaded').map((line) => line.fields.previousVersion)).toEqual([
      undefined,
      'sha256:shadow-one',
    ]);
    expect(logged(SHADOW_RULE_SET_REFUSED)).toEqual([]);
    expect(logged(LISTS_NOT_REFRESHED).map((line) => line.fields)).toEqual([
      {
        ruleSet: 'shadow',
        ruleSetName: 'candidate',
        version: 'sha256:shadow-two',
        reason: expect.stringMatching(/throughput/),
      },
    ]);
  });

  it('logs, as a warning, each published list the shadow rule set refused when it loads', async () => {
    // Prepare
    const refusal = { list: 'watchlist-phones', reason: 'no entries', instead: 'the bundled list' };
    const live = aLoader(aLoad('sha256:one'));
    const shadow = aLoader(aLoad('sha256:shadow', [refusal], 'candidate'));
    const { inForce, logged } = aRefreshingPolicy(live, shadow);

    // Act
    await inForce();

    // Assess
    expect(logged('published list refused by the shadow rule set')).toEqual([
      { level: 'warn', message: 'published list refused by the shadow rule set', fields: refusal },
    ]);
  });
});
