import { describe, expect, it } from 'vitest';
import { factsFromManifest } from '../../../functions/core/rules/cases/index.js';
import { type CompiledRuleSet, ruleSetJsonSchemas } from '../../../functions/core/rules/index.js';
import { isoWeekdayOf, localHourOf, zoneClock } from '../../../functions/core/rules/zone-clock.js';
import type { ScreeningFacts } from '../../../functions/core/screening/facts.js';
import { RUILI_MANIFEST, readSample } from '../../support/factories.js';
import { compile, facts, issuesOf, RULE_SET_FILE, rule } from './rule-set-factory.js';

/** A rule set of one rule whose condition reads the value of `expression`, whatever it is. */
const reading = (expression: unknown) => compile({ rules: [rule('r', { value: expression, gte: -1 })] });

/** What the first rule's condition read of `given`, as the trace shows it (null when missing). */
const actualOf = (policy: CompiledRuleSet, given: ScreeningFacts) =>
  policy.evaluate(given, { trace: true }).trace?.rules[0]?.condition?.actual;

/** The value of an expression on the baseline facts with `patch` merged over them, or null when missing. */
const evaluated = (expression: unknown, patch: unknown = {}): unknown =>
  actualOf(reading(expression), facts(patch));

/** The issues of a rule set of one rule, `night`, with this condition. */
const issuesOfNight = (when: unknown) => issuesOf(() => compile({ rules: [rule('night', when)] }));

const submitted = (submittedAt: unknown) => ({ manifest: { submittedAt } });
const hourIn = (zone: unknown) => ({ localHour: { of: 'manifest.submittedAt', zone } });
const weekdayIn = (zone: unknown) => ({ weekday: { of: 'manifest.submittedAt', zone } });

describe('localHour and weekday of an instant in an IANA time zone', () => {
  const HOURS: [string, unknown, string | null, number | null][] = [
    // Asia/Shanghai: UTC+8 all year. 2026-06-01 is a Monday.
    ['23:59:59 in Shanghai is hour 23, Monday', 'Asia/Shanghai', '2026-06-01T15:59:59Z', 23],
    ['00:00:00 in Shanghai is hour 0 of the next day', 'Asia/Shanghai', '2026-06-01T16:00:00Z', 0],
    [
      'the same instant written at +08:00 gives the same hour',
      'Asia/Shanghai',
      '2026-06-02T00:00:00+08:00',
      0,
    ],
    ['the same instant written at -05:00 too', 'Asia/Shanghai', '2026-06-01T11:00:00-05:00', 0],
    ['an offset instant one second earlier', 'Asia/Shanghai', '2026-06-01T23:59:59+08:00', 23],
    ['04:59:59 in Shanghai is hour 4', 'Asia/Shanghai', '2026-06-01T20:59:59Z', 4],
    ['05:00 in Shanghai is hour 5', 'Asia/Shanghai', '2026-06-01T21:00:00Z', 5],
    // Europe/Berlin: CET (UTC+1), CEST (UTC+2) from 2026-03-29T01:00Z to 2026-10-25T01:00Z.
    ['Berlin before spring forward: 01:59:59 CET', 'Europe/Berlin', '2026-03-29T00:59:59Z', 1],
    [
      'Berlin at spring forward: 03:00 CEST (02:00 never happens)',
      'Europe/Berlin',
      '2026-03-29T01:00:00Z',
      3,
    ],
    ['Berlin before falling back: 02:59:59 CEST', 'Europe/Berlin', '2026-10-25T00:59:59Z', 2],
    ['Berlin after falling back: 02:00 CET again', 'Europe/Berlin', '2026-10-25T01:00:00Z', 2],
    ['Berlin midnight in summer (UTC+2): 23:59:59', 'Europe/Berlin', '2026-06-01T21:59:59Z', 23],
    ['Berlin midnight in summer (UTC+2): 00:00', 'Europe/Berlin', '2026-06-01T22:00:00Z', 0],
    ['UTC', 'UTC', '2026-06-01T16:00:00+08:00', 8],
    ['a zone written in other case', 'asia/shanghai', '2026-06-01T16:00:00Z', 0],
    ['a missing instant is missing', 'Asia/Shanghai', null, null],
    ['a time without offset is missing (its zone is unknown)', 'Asia/Shanghai', '2026-06-01T08:00:00', null],
    ['text that is no instant is missing', 'Asia/Shanghai', '01/06/2026 08:00', null],
  ];
  const WEEKDAYS: [string, unknown, string | null, number | null][] = [
    ['Monday 23:59:59 in Shanghai is 1', 'Asia/Shanghai', '2026-06-01T15:59:59Z', 1],
    ['Tuesday 00:00 in Shanghai is 2', 'Asia/Shanghai', '2026-06-01T16:00:00Z', 2],
    ['the same instant at +08:00 is 2 too', 'Asia/Shanghai', '2026-06-02T00:00:00+08:00', 2],
    ['Saturday 23:59:59 in Shanghai is 6', 'Asia/Shanghai', '2026-06-06T15:59:59Z', 6],
    ['Sunday 00:00 in Shanghai is 7', 'Asia/Shanghai', '2026-06-06T16:00:00Z', 7],
    ['still Sunday at 23:59:59 in Berlin (CEST)', 'Europe/Berlin', '2026-06-07T21:59:59Z', 7],
    ['Monday 00:00 in Berlin (CEST) is 1', 'Europe/Berlin', '2026-06-07T22:00:00Z', 1],
    ['Sunday of the spring-forward night in Berlin', 'Europe/Berlin', '2026-03-29T01:00:00Z', 7],
    ['the same instant is Sunday in UTC, Sunday in Shanghai', 'UTC', '2026-03-29T01:00:00Z', 7],
    ['a missing instant is missing', 'Europe/Berlin', null, null],
    ['a time without offset is missing', 'Europe/Berlin', '2026-06-07T22:00:00', null],
  ];
  it.each([
    ...HOURS.map((row) => ['localHour', ...row] as const),
    ...WEEKDAYS.map((row) => ['weekday', ...row] as const),
  ])('%s: %s', (operator, _name, zone, submittedAt, expected) => {
    // Act
    const value = evaluated((operator === 'localHour' ? hourIn : weekdayIn)(zone), submitted(submittedAt));

    // Assess
    expect(value).toBe(expected);
  });

  it.each<[string, unknown, number | null]>([
    ['a zone read from a fact', 'Europe/Berlin', 18],
    ['a fact that holds no IANA zone is missing', 'Mars/Olympus', null],
    ['a fixed offset in a fact is no zone: missing', '+08:00', null],
    ['an abbreviation in a fact is no zone: missing (not Chicago)', 'CST', null],
    ['an Etc/ offset in a fact is no zone: missing', 'Etc/GMT-8', null],
    ['an absent zone fact is missing', null, null],
  ])('%s', (_name, conveyanceReference, expected) => {
    // Prepare: any text fact may hold the zone; here the conveyance reference stands in for one.
    const patch = {
      manifest: { submittedAt: '2026-06-01T16:00:00Z', transport: { conveyanceReference } },
    };

    // Act
    const hour = evaluated(hourIn({ fact: 'manifest.transport.conveyanceReference' }), patch);

    // Assess
    expect(hour).toBe(expected);
  });

  it('reads the received time and now as well as the submitted time', () => {
    // Act
    const received = evaluated({ localHour: { of: 'manifest.receivedAt', zone: 'Asia/Shanghai' } });
    const now = evaluated({ weekday: { of: 'now', zone: 'Asia/Shanghai' } });

    // Assess: the baseline received 2026-06-01T07:20:01Z (15:20 in Shanghai); now is Monday 16:00 there.
    expect(received).toBe(15);
    expect(now).toBe(1);
  });

  it("reads a manifest file's own submittedAt, as explain gives it", () => {
    // Prepare
    const manifest = readSample(RUILI_MANIFEST);
    const policy = reading(hourIn('Asia/Shanghai'));

    // Act
    const explained = factsFromManifest(manifest, manifest.parcels[0]!.parcelId)!;
    const hour = actualOf(policy, explained);

    // Assess: submitted at 2026-11-27T08:30:00+08:00
    expect(explained.manifest.submittedAt).toBe(manifest.submittedAt);
    expect(hour).toBe(8);
  });

  it('gives the right hour on every evaluation as the instant and zone change', () => {
    // Prepare
    const policy = reading(hourIn({ fact: 'manifest.transport.conveyanceReference' }));
    const hour = (submittedAt: string, zone: string) =>
      actualOf(policy, facts({ manifest: { submittedAt, transport: { conveyanceReference: zone } } }));

    // Act
    const hours = [
      hour('2026-06-01T16:00:00Z', 'Asia/Shanghai'),
      hour('2026-06-01T16:00:00Z', 'Asia/Shanghai'),
      hour('2026-06-01T16:00:00Z', 'Europe/Berlin'),
      hour('2026-06-01T17:00:00Z', 'Europe/Berlin'),
      hour('2026-06-01T16:00:00Z', 'Asia/Shanghai'),
    ];

    // Assess
    expect(hours).toEqual([0, 0, 18, 19, 0]);
  });

  it('fires the night-submission rule and records what it read', () => {
    // Prepare
    const policy = compile({
      rules: [
        rule(
          'night',
          { value: hourIn('Asia/Shanghai'), lt: 5 },
          { reason: 'submitted at {manifest.submittedAt}, at night in China' },
        ),
      ],
    });

    // Act
    const [fired] = policy.evaluate(facts(submitted('2026-06-02T01:30:00+08:00'))).firedRules;

    // Assess
    expect(fired?.reason).toBe('submitted at 2026-06-02T01:30:00+08:00, at night in China');
    expect(fired?.values).toEqual({
      'localHour(manifest.submittedAt, Asia/Shanghai)': 1,
      'manifest.submittedAt': '2026-06-02T01:30:00+08:00',
    });
  });

  it('names a missing instant in the note of a value', () => {
    // Prepare
    const policy = compile({ rules: [rule('r', { value: hourIn('Asia/Shanghai'), lt: 5 })] });

    // Act
    const trace = policy.evaluate(facts(submitted(null)), { trace: true }).trace;

    // Assess
    expect(trace?.rules[0]?.condition).toMatchObject({
      result: 'missing',
      fact: 'localHour(manifest.submittedAt, Asia/Shanghai)',
      note: 'localHour(manifest.submittedAt, Asia/Shanghai) is missing: manifest.submittedAt is missing',
    });
  });

  it('names a zone fact that holds no zone in the note of a value and of a derived fact', () => {
    // Prepare
    const fromFact = hourIn({ fact: 'manifest.transport.conveyanceReference' });
    const policy = compile({
      derived: { submittedHour: { description: 'hour', value: fromFact } },
      rules: [
        rule('value', { value: fromFact, lt: 5 }),
        rule('derived', { fact: 'derived.submittedHour', lt: 5 }),
      ],
    });
    const patch = { manifest: { transport: { conveyanceReference: 'Mars/Olympus' } } };

    // Act
    const trace = policy.evaluate(facts(patch), { trace: true }).trace;

    // Assess
    const input = 'an IANA time zone in manifest.transport.conveyanceReference is missing';
    expect(trace?.rules[0]?.condition?.note).toBe(
      `localHour(manifest.submittedAt, manifest.transport.conveyanceReference) is missing: ${input}`,
    );
    expect(trace?.rules[1]?.condition?.note).toBe(`derived.submittedHour is missing: ${input}`);
  });

  it('records the zone fact it read when the rule fires', () => {
    // Prepare
    const policy = compile({
      rules: [rule('night', { value: hourIn({ fact: 'manifest.transport.conveyanceReference' }), lt: 5 })],
    });
    const patch = {
      manifest: { submittedAt: '2026-06-01T16:00:00Z', transport: { conveyanceReference: 'Asia/Shanghai' } },
    };

    // Act
    const [fired] = policy.evaluate(facts(patch)).firedRules;

    // Assess
    expect(fired?.values).toEqual({
      'localHour(manifest.submittedAt, manifest.transport.conveyanceReference)': 0,
      'manifest.submittedAt': '2026-06-01T16:00:00Z',
      'manifest.transport.conveyanceReference': 'Asia/Shanghai',
    });
  });

  it.each<[string, unknown, string, RegExp]>([
    [
      'an unknown zone, with the zone it is close to',
      hourIn('Asia/Shangai'),
      'rules[0].when.value.localHour.zone',
      /^localHour needs an IANA time zone name such as Asia\/Shanghai, Europe\/Berlin or UTC, not "Asia\/Shangai"; did you mean Asia\/Shanghai\?$/,
    ],
    [
      'a fixed offset, which is no zone',
      weekdayIn('+08:00'),
      'rules[0].when.value.weekday.zone',
      /^weekday needs an IANA time zone name .*, not "\+08:00": a fixed offset is refused .*: write the place's zone, e\.g\. Asia\/Shanghai$/,
    ],
    [
      'a zone fact that is not text',
      hourIn({ fact: 'parcel.pieceCount' }),
      'rules[0].when.value.localHour.zone.fact',
      /^localHour reads a time zone from text holding an IANA time zone name, but parcel\.pieceCount is number$/,
    ],
    [
      'an operand that is not an instant',
      { localHour: { of: 'parcel.pieceCount', zone: 'Asia/Shanghai' } },
      'rules[0].when.value.localHour.of',
      /^localHour needs an instant such as manifest\.submittedAt or now, but parcel\.pieceCount is number$/,
    ],
    [
      'an unknown instant fact',
      { weekday: { of: 'manifest.submitedAt', zone: 'Asia/Shanghai' } },
      'rules[0].when.value.weekday.of',
      /^unknown fact manifest\.submitedAt;.*did you mean manifest\.submittedAt\?$/,
    ],
  ])('refuses at load time %s, naming file, rule and path', (_name, expression, path, reason) => {
    // Act
    const issues = issuesOfNight({ value: expression, lt: 5 });

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: RULE_SET_FILE, ruleId: 'night', path });
    expect(issues[0]?.reason).toMatch(reason);
  });

  const NEEDS = 'localHour needs an IANA time zone name such as Asia/Shanghai, Europe/Berlin or UTC, not';
  const A_PLACE = "write the place's zone, e.g. Asia/Shanghai";
  it.each<[string, string, string]>([
    [
      'an abbreviation, which Intl reads as America/Chicago',
      'CST',
      `${NEEDS} "CST": CST is an abbreviation, which names several zones (Asia/Shanghai, America/Chicago, Asia/Taipei, America/Havana): ${A_PLACE}`,
    ],
    [
      'another abbreviation, which Intl reads as a fixed offset',
      'EST',
      `${NEEDS} "EST": EST is an abbreviation, which names several zones (America/New_York, America/Panama, Australia/Sydney): write the place's zone, e.g. America/New_York`,
    ],
    [
      'an abbreviation Intl reads as Asia/Calcutta',
      'IST',
      `${NEEDS} "IST": IST is an abbreviation, which names several zones (Asia/Kolkata, Europe/Dublin, Asia/Jerusalem): write the place's zone, e.g. Asia/Kolkata`,
    ],
    [
      'an Etc/ offset, whose sign is reversed',
      'Etc/GMT+8',
      `${NEEDS} "Etc/GMT+8": Etc/ zones are fixed offsets, refused (they name no place and know no daylight saving time), and their sign is reversed (Etc/GMT+8 is UTC\u22128): ${A_PLACE}`,
    ],
    [
      'the other Etc/ sign',
      'Etc/GMT-8',
      `${NEEDS} "Etc/GMT-8": Etc/ zones are fixed offsets, refused (they name no place and know no daylight saving time), and their sign is reversed (Etc/GMT-8 is UTC+8): ${A_PLACE}`,
    ],
    ['an Etc/ name of UTC', 'Etc/UTC', `${NEEDS} "Etc/UTC": "Etc/UTC" is an old name of UTC: write UTC`],
    ['GMT', 'GMT', `${NEEDS} "GMT": "GMT" is an old name of UTC: write UTC`],
    [
      'an offset after UTC, with no "did you mean UTC"',
      'UTC+8',
      `${NEEDS} "UTC+8": a fixed offset is refused (it names no place and knows no daylight saving time): ${A_PLACE}`,
    ],
    [
      'an offset after GMT',
      'GMT-05:00',
      `${NEEDS} "GMT-05:00": a fixed offset is refused (it names no place and knows no daylight saving time): ${A_PLACE}`,
    ],
    [
      'an old alias of a country',
      'PRC',
      `${NEEDS} "PRC": "PRC" is an abbreviation or an old alias, not a place's zone (the time zone data reads it as Asia/Shanghai): write the zone of the place you mean, e.g. Asia/Shanghai`,
    ],
    [
      'an old alias with a slash outside the IANA areas',
      'US/Central',
      `${NEEDS} "US/Central": "US/Central" is an abbreviation or an old alias, not a place's zone (the time zone data reads it as America/Chicago): write the zone of the place you mean, e.g. America/Chicago`,
    ],
    ['a name Intl does not know, with no suggestion', 'Asia/Beijing', `${NEEDS} "Asia/Beijing"`],
  ])('refuses %s (%s) at load time, saying what it is and what to write', (_name, zone, reason) => {
    // Act
    const issues = issuesOfNight({ value: hourIn(zone), lt: 5 });

    // Assess
    expect(issues).toEqual([
      { file: RULE_SET_FILE, ruleId: 'night', path: 'rules[0].when.value.localHour.zone', reason },
    ]);
  });

  it.each<[string, string]>([
    ['the IANA name of a place', 'Asia/Kolkata'],
    ["ICU's older spelling of it", 'Asia/Calcutta'],
    ['an old name of a place, in its area', 'Asia/Chongqing'],
    ['a place three levels deep', 'America/Argentina/Buenos_Aires'],
    ['UTC in lower case', 'utc'],
  ])('accepts %s (%s)', (_name, zone) => {
    // Act
    const load = () => compile({ rules: [rule('night', { value: hourIn(zone), lt: 5 })] });

    // Assess
    expect(load).not.toThrow();
  });

  it.each<[string, unknown, string, RegExp]>([
    [
      'a number operator on the instant itself',
      { fact: 'manifest.submittedAt', lt: 5 },
      'rules[0].when.lt',
      /is an instant \(ISO 8601 text\): compare days instead, .*, or its local hour or weekday \(localHour, weekday\)$/,
    ],
    [
      'the instant in arithmetic',
      { value: { fact: 'manifest.receivedAt' }, lt: 5 },
      'rules[0].when.value.fact',
      /for days, \{ localHour: \{ of: manifest\.receivedAt, zone: … \} \} or \{ weekday: … \} for its local time$/,
    ],
  ])('points %s to localHour and weekday', (_name, when, path, reason) => {
    // Act
    const issues = issuesOfNight(when);

    // Assess
    expect(issues).toMatchObject([{ ruleId: 'night', path }]);
    expect(issues[0]?.reason).toMatch(reason);
  });

  it('refuses an unknown zone in a derived fact, at the derived fact', () => {
    // Act
    const issues = issuesOf(() =>
      compile({
        derived: { submittedHour: { description: 'hour', value: hourIn('Europe/Berln') } },
        rules: [rule('night', { fact: 'derived.submittedHour', lt: 5 })],
      }),
    );

    // Assess
    expect(issues).toMatchObject([
      { file: RULE_SET_FILE, path: 'derived.submittedHour.value.localHour.zone' },
    ]);
    expect(issues[0]?.reason).toContain('did you mean Europe/Berlin?');
  });

  it('is in the editors’ JSON Schema', () => {
    // Act
    const schema = JSON.stringify(ruleSetJsonSchemas()['rule-set']);

    // Assess
    expect(schema).toContain('localHour');
    expect(schema).toContain('weekday');
  });
});

describe('zoneClock, localHourOf and isoWeekdayOf', () => {
  it.each<[string, string, string | undefined]>([
    ['an IANA name', 'Asia/Shanghai', 'Asia/Shanghai'],
    ['a name in other case, under its canonical name', 'europe/berlin', 'Europe/Berlin'],
    ['UTC', 'UTC', 'UTC'],
    ['a fixed offset', '+08:00', undefined],
    ['a negative fixed offset', '-05:00', undefined],
    ['an unknown name', 'Asia/Beijing', undefined],
    ['an abbreviation Intl knows', 'CST', undefined],
    ['an Etc/ offset Intl knows', 'Etc/GMT+8', undefined],
    ['an Etc/ name of UTC', 'Etc/UTC', undefined],
    ['an old alias outside the areas', 'US/Central', undefined],
    ['empty text', '', undefined],
  ])('takes %s: %s', (_name, zone, canonical) => {
    // Act
    const clock = zoneClock(zone);

    // Assess
    expect(clock?.zone).toBe(canonical);
  });

  it('shares one clock among the names of a zone', () => {
    // Act
    const clocks = new Set(['Asia/Shanghai', 'asia/shanghai', 'ASIA/SHANGHAI'].map(zoneClock));

    // Assess
    expect(clocks.size).toBe(1);
  });

  it('gives hour 0, not 24, at midnight', () => {
    // Act
    const hour = localHourOf(zoneClock('UTC')!, Date.UTC(2026, 5, 1));

    // Assess
    expect(hour).toBe(0);
  });

  /** Intl's own answer, one formatToParts a call: what the remembered offsets must agree with. */
  const intlHourAndWeekday = (zone: string) => {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      hour: '2-digit',
      weekday: 'short',
    });
    const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    return (ms: number): [number, number] => {
      const parts = format.formatToParts(ms);
      const value = (type: string) => parts.find((part) => part.type === type)!.value;
      return [Number(value('hour')), weekdays.indexOf(value('weekday')) + 1];
    };
  };

  it.each<[string, number]>([
    ['Asia/Shanghai', 0],
    ['Europe/Berlin', 8],
    ['America/New_York', 8],
    ['Australia/Lord_Howe', 8], // a 30-minute daylight saving shift, at half past a UTC hour
    ['Asia/Kathmandu', 0], // +05:45, and LMT before 1920 (offsets with seconds)
    ['Pacific/Chatham', 8], // +12:45 / +13:45
    ['America/St_Johns', 8], // −03:30 / −02:30
    ['Pacific/Apia', 5], // skipped 2011-12-30 entirely; daylight saving time until 2021
  ])(
    'agrees with Intl in %s from 1900 to 2100, and around each quarter hour of its %i offset changes in 2011–2012 and 2025–2026',
    (zone, changes) => {
      // Prepare: seeded pseudo-random instants (Park–Miller), and around each quarter hour of every day of
      // 2011–2012 and 2025–2026 whose UTC offset changes.
      const clock = zoneClock(zone)!;
      const instants: number[] = [];
      let seed = 7;
      for (let i = 0; i < 3_000; i++) {
        seed = (seed * 48_271) % 2_147_483_647;
        instants.push(Date.UTC(1900, 0, 1) + Math.floor((seed / 2_147_483_647) * 200 * 365.25 * 86_400_000));
      }
      const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
      const offsetOf = (ms: number) =>
        offsetFormat.formatToParts(ms).find((part) => part.type === 'timeZoneName')!.value;
      const DAY = 86_400_000;
      let changed = 0;
      for (const [from, to] of [
        [Date.UTC(2011, 0, 1), Date.UTC(2013, 0, 1)],
        [Date.UTC(2025, 0, 1), Date.UTC(2027, 0, 1)],
      ] as const) {
        for (let day = from; day < to; day += DAY) {
          if (offsetOf(day) === offsetOf(day + DAY)) continue; // no change that day
          changed += 1;
          for (let ms = day; ms <= day + DAY; ms += 900_000) instants.push(ms - 1, ms);
        }
      }
      expect(changed).toBe(changes);

      // Act
      const ours = instants.map((ms) => [localHourOf(clock, ms), isoWeekdayOf(clock, ms)]);

      // Assess
      expect(ours).toEqual(instants.map(intlHourAndWeekday(zone)));
    },
  );
});
