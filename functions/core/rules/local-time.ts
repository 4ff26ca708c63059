import { type CompileEnv, report, type Scope } from './compile-env.js';
import type { NumberFn } from './compile-expression.js';
import { didYouMean } from './did-you-mean.js';
import type { EvaluationContext } from './evaluation-context.js';
import { type ResolvedFact, resolveFact } from './fact-access.js';
import { describeType, isInstant } from './fact-types.js';
import { instantReader, parseInstant, unparseableInstant } from './instants.js';
import { isoWeekdayOf, isPlaceZone, localHourOf, type ZoneClock, zoneClock } from './zone-clock.js';

/**
 * `localHour` and `weekday`: the wall-clock hour (0–23) and the ISO 8601 weekday (1 = Monday … 7 =
 * Sunday) of an instant fact in an IANA time zone, daylight saving time included, by the time zone data
 * of the runtime's Intl (ICU). The zone is a literal (`zone: Asia/Shanghai`, checked at load time) or a
 * text fact (`zone: { fact: … }`, read per parcel: a value that is no IANA zone is missing). Either is a
 * place's Area/Location name or UTC: abbreviations (`CST`), old aliases, `Etc/` and offsets are refused.
 */

type Field = 'hour' | 'weekday';
export type LocalTimeKey = 'localHour' | 'weekday';

const FIELD_OF: Record<LocalTimeKey, Field> = { localHour: 'hour', weekday: 'weekday' };

const FIELD_READER: Record<Field, (clock: ZoneClock, ms: number) => number> = {
  hour: localHourOf,
  weekday: isoWeekdayOf,
};

/** Every IANA zone Intl knows by its canonical name, and UTC: whose names "did you mean" suggests. */
const knownZones = (): string[] => [...Intl.supportedValuesOf('timeZone'), 'UTC'];

/**
 * Abbreviations written for a zone that name several, with zones they name (the one a reader in China
 * most likely means first). Intl reads some as one zone (`CST` America/Chicago, `IST` Asia/Calcutta,
 * `BST` Asia/Dhaka), others not at all; all are refused.
 */
const ABBREVIATIONS: Record<string, readonly string[]> = {
  CST: ['Asia/Shanghai', 'America/Chicago', 'Asia/Taipei', 'America/Havana'],
  IST: ['Asia/Kolkata', 'Europe/Dublin', 'Asia/Jerusalem'],
  BST: ['Europe/London', 'Asia/Dhaka'],
  AST: ['America/Halifax', 'Asia/Riyadh'],
  EST: ['America/New_York', 'America/Panama', 'Australia/Sydney'],
  MST: ['America/Denver', 'America/Phoenix', 'Asia/Kuala_Lumpur'],
  PST: ['America/Los_Angeles', 'Asia/Manila'],
  SST: ['Asia/Singapore', 'Pacific/Pago_Pago'],
  GST: ['Asia/Dubai', 'Atlantic/South_Georgia'],
  NST: ['America/St_Johns', 'Pacific/Auckland'],
};

/** The zone Intl reads `zone` as (its canonical name), or undefined when it knows no such zone. */
const intlZone = (zone: string): string | undefined => {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
};

const WRITE_A_PLACE = "write the place's zone, e.g. Asia/Shanghai";

/** Why `zone` is no place's zone, after the message's "not <zone>": what it is and what to write. */
const zoneRefusal = (zone: string): string => {
  const quoted = JSON.stringify(zone);
  // +08:00, UTC+8, GMT-05:00, UTC + 8: an offset, so "did you mean UTC" would be 8 hours off.
  if (/^(utc|gmt|z)?\s*[+\-\u2212]\s*\d/i.test(zone.trim())) {
    return `: a fixed offset is refused (it names no place and knows no daylight saving time): ${WRITE_A_PLACE}`;
  }
  const read = intlZone(zone);
  const etcOffset = /^etc\/gmt([+-])0*(\d+)$/i.exec(zone);
  if (etcOffset !== null && etcOffset[2] !== '0' && etcOffset[2] !== '') {
    const utc = `UTC${etcOffset[1] === '+' ? '\u2212' : '+'}${etcOffset[2]}`;
    return `: Etc/ zones are fixed offsets, refused (they name no place and know no daylight saving time), and their sign is reversed (${zone} is ${utc}): ${WRITE_A_PLACE}`;
  }
  if (read === 'UTC') return `: ${quoted} is an old name of UTC: write UTC`;
  const several = ABBREVIATIONS[zone.toUpperCase()];
  if (several !== undefined) {
    return `: ${zone} is an abbreviation, which names several zones (${several.join(', ')}): write the place's zone, e.g. ${several[0]}`;
  }
  if (read !== undefined) {
    const write = isPlaceZone(read) ? `write the zone of the place you mean, e.g. ${read}` : WRITE_A_PLACE;
    return `: ${quoted} is an abbreviation or an old alias, not a place's zone (the time zone data reads it as ${read}): ${write}`;
  }
  return didYouMean(zone, knownZones());
};

/** The zone operand: a clock fixed at load time, or one read per parcel from a text fact. */
const compileZone = (
  key: LocalTimeKey,
  zone: string | { fact: string },
  scope: Scope,
  env: CompileEnv,
  at: string,
  reads: ResolvedFact[] | undefined,
): ((ctx: EvaluationContext) => ZoneClock | undefined) | undefined => {
  if (typeof zone === 'string') {
    const clock = zoneClock(zone);
    if (clock === undefined) {
      return report(
        env,
        at,
        `${key} needs an IANA time zone name such as Asia/Shanghai, Europe/Berlin or UTC, not ${JSON.stringify(zone)}${zoneRefusal(zone)}`,
      );
    }
    return () => clock;
  }
  const fact = resolveFact(zone.fact, scope, env, `${at}.fact`);
  if (fact === undefined) return undefined;
  if (fact.type.kind !== 'text' || fact.type.key !== undefined || isInstant(fact.type)) {
    return report(
      env,
      `${at}.fact`,
      `${key} reads a time zone from text holding an IANA time zone name, but ${zone.fact} is ${describeType(fact.type)}`,
    );
  }
  const { read } = fact;
  // Text that is no zone makes the result missing: explain names it (`an IANA time zone in <path> is
  // missing`), in a value's note (through `reads`) and in a derived fact's (factsRead).
  const noZone = (text: unknown) => text !== undefined && (typeof text !== 'string' || !zoneClock(text));
  const label = (path: string) => `an IANA time zone in ${path}`;
  reads?.push({
    ...fact,
    read: (ctx) => {
      const text = read(ctx);
      return noZone(text) ? undefined : text;
    },
    concrete: (ctx) => (noZone(read(ctx)) ? label(fact.concrete(ctx)) : fact.concrete(ctx)),
  });
  env.factsRead?.set(label(zone.fact), (ctx) => (noZone(read(ctx)) ? undefined : true));
  let lastText: unknown;
  let lastClock: ZoneClock | undefined;
  return (ctx) => {
    const text = read(ctx);
    if (text !== lastText) {
      lastText = text;
      lastClock = typeof text === 'string' ? zoneClock(text) : undefined;
    }
    return lastClock;
  };
};

/**
 * `{ localHour: { of, zone } }`, `{ weekday: { of, zone } }`: `of` is an instant fact path, read as the
 * day operators read it (absent, or text that is not an instant with an offset: missing); `zone` a
 * literal IANA name (an unknown one fails at load time) or `{ fact }` (no IANA zone: missing). Remembers
 * the last instant and zone it worked out, so a manifest's parcels format its time once.
 */
export const compileLocalTime = (
  key: LocalTimeKey,
  operand: { of: string; zone: string | { fact: string } },
  scope: Scope,
  env: CompileEnv,
  at: string,
  reads: ResolvedFact[] | undefined,
): NumberFn | undefined => {
  const readField = FIELD_READER[FIELD_OF[key]];
  const fact = resolveFact(operand.of, scope, env, `${at}.of`);
  let instant: ((ctx: EvaluationContext) => number | undefined) | undefined;
  if (fact !== undefined && !isInstant(fact.type)) {
    report(
      env,
      `${at}.of`,
      `${key} needs an instant such as manifest.submittedAt or now, but ${operand.of} is ${describeType(fact.type)}`,
    );
  } else if (fact !== undefined) {
    reads?.push(fact);
    const { read } = fact;
    // In a derived fact, explain names an instant fact whose text is there but not an instant.
    env.factsRead?.set(unparseableInstant(operand.of), (ctx) => {
      const text = read(ctx);
      return text === undefined || parseInstant(text) !== undefined ? true : undefined;
    });
    instant = instantReader(read);
  }
  const zone = compileZone(key, operand.zone, scope, env, `${at}.zone`, reads);
  if (instant === undefined || zone === undefined) return undefined;
  let lastMs: number | undefined;
  let lastClock: ZoneClock | undefined;
  let lastValue: number | undefined;
  return (ctx) => {
    const ms = instant(ctx);
    if (ms === undefined) return undefined;
    const clock = zone(ctx);
    if (clock === undefined) return undefined;
    if (ms !== lastMs || clock !== lastClock) {
      lastMs = ms;
      lastClock = clock;
      lastValue = readField(clock, ms);
    }
    return lastValue;
  };
};
