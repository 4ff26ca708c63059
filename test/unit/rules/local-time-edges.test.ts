import { describe, expect, it } from 'vitest';
import { isoWeekdayOf, localHourOf, zoneClock } from '../../../functions/core/rules/zone-clock.js';
import { compile, facts, issuesOf, RULE_SET_FILE, rule } from './rule-set-factory.js';

const msOf = (instant: string): number => Date.parse(instant);

describe('localHour and weekday on instants far in the past', () => {
  it.each<[string, string, string, number, number]>([
    // Shanghai kept local mean time, UTC+08:05:43, until 1901: the offset's seconds move the hour.
    ['the second before midnight in Shanghai LMT', 'Asia/Shanghai', '1900-01-01T15:54:16Z', 23, 1],
    ['midnight in Shanghai LMT, to the second', 'Asia/Shanghai', '1900-01-01T15:54:17Z', 0, 2],
    // A year below 100, which Date.UTC would read as 19xx, and year 0 (1 BC to Intl).
    ['a day of the year 50', 'UTC', '0050-06-01T12:00:00Z', 12, 3],
    ['a day of the year 99', 'UTC', '0099-12-31T23:00:00Z', 23, 4],
    ['a day of the year 0, 1 BC', 'UTC', '0000-06-01T12:00:00Z', 12, 4],
  ])('%s', (_name, zone, instant, hour, weekday) => {
    // Prepare
    const clock = zoneClock(zone)!;

    // Act
    const shown = { hour: localHourOf(clock, msOf(instant)), weekday: isoWeekdayOf(clock, msOf(instant)) };

    // Assess
    expect(shown).toEqual({ hour, weekday });
  });
});

describe('a time zone read from a fact', () => {
  it.each<[string, string, RegExp]>([
    [
      'an instant',
      'manifest.submittedAt',
      /^localHour reads a time zone from text holding an IANA time zone name, but manifest\.submittedAt is /,
    ],
    [
      'a hashed party key',
      'parties.phone',
      /^localHour reads a time zone from text holding an IANA time zone name, but parties\.phone is /,
    ],
  ])('refuses %s at load time', (_name, path, reason) => {
    // Prepare
    const when = { value: { localHour: { of: 'manifest.submittedAt', zone: { fact: path } } }, lt: 5 };

    // Act
    const issues = issuesOf(() => compile({ rules: [rule('night', when)] }));

    // Assess
    expect(issues).toContainEqual({
      file: RULE_SET_FILE,
      ruleId: 'night',
      path: 'rules[0].when.value.localHour.zone.fact',
      reason: expect.stringMatching(reason),
    });
  });
});

describe('a derived localHour of an instant that does not parse', () => {
  it('names the unparseable instant in the derived fact’s note', () => {
    // Prepare
    const policy = compile({
      derived: {
        submittedHour: {
          description: 'the hour the manifest was submitted, in Shanghai',
          value: { localHour: { of: 'manifest.submittedAt', zone: 'Asia/Shanghai' } },
        },
      },
      rules: [rule('night', { fact: 'derived.submittedHour', lt: 5 })],
    });

    // Act
    const trace = policy.evaluate(facts({ manifest: { submittedAt: '01/06/2026 08:00' } }), { trace: true })
      .trace!;

    // Assess
    expect(trace.derived.submittedHour).toBeNull();
    expect(trace.rules[0]!.condition!.note).toBe(
      'derived.submittedHour is missing: an ISO 8601 instant in manifest.submittedAt is missing',
    );
  });
});
