/**
 * Wall-clock time of an instant in an IANA time zone, by the runtime's Intl (ICU) time zone data: the
 * arithmetic behind `localHour` and `weekday` (local-time.ts compiles them).
 */

const MS_PER_SECOND = 1_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
/** 400 Gregorian years, in ms: the calendar repeats, so Date.UTC can read a year below 100 shifted by it. */
const MS_PER_400_YEARS = 146_097 * MS_PER_DAY;

/**
 * One IANA time zone: its Intl formatter (built once) and the UTC offsets it has found, by UTC hour.
 * Intl's formatting costs 1 to 3 µs a call, so the offset of an hour is asked of it once, and every
 * instant in that hour is worked out with arithmetic (about 0.1 µs).
 */
export interface ZoneClock {
  /** The zone's canonical name (`Asia/Shanghai` for `asia/shanghai`). */
  zone: string;
  formatter: Intl.DateTimeFormat;
  /** UTC offset in ms by UTC hour (epoch ms / 3,600,000, floored), for hours with one offset throughout. */
  offsets: Map<number, number>;
}

/** Hours a zone remembers the offset of (about 11 months of them); past the bound it starts over. */
const MAX_OFFSETS_PER_ZONE = 8_192;

/**
 * Zone clocks by zone name as written, undefined for a name that is no IANA zone. Bounded: a zone read
 * from a fact is partner or reference text, and Intl takes any case (`asia/shanghai`), so the names
 * are not few; past the bound the cache starts over. Names of one zone share its clock (CANONICAL),
 * so no more clocks exist than IANA zones.
 */
const BY_NAME = new Map<string, ZoneClock | undefined>();
const MAX_NAMES = 1_000;
const CANONICAL = new Map<string, ZoneClock>();

/**
 * The areas of IANA Area/Location names (tzdb's zone1970.tab). `Etc` is no area: its zones are fixed
 * offsets (with the sign reversed, `Etc/GMT+8` is UTC−8) and old names of UTC.
 */
const AREAS = new Set([
  'africa',
  'america',
  'antarctica',
  'arctic',
  'asia',
  'atlantic',
  'australia',
  'europe',
  'indian',
  'pacific',
]);

/**
 * Whether `zone` is written as a place's zone: Area/Location in an IANA area, or UTC (in any case).
 * Intl also takes abbreviations and old aliases (`CST` is America/Chicago to it, `IST` Asia/Calcutta,
 * `US/Central`), `Etc/GMT+8` and fixed offsets (`+08:00`, which know no daylight saving time): those
 * are refused, since the reader of a rule cannot tell which place they mean (`CST` is China Standard
 * Time to many). A name of a place in an area is taken as Intl knows it, old spellings included
 * (`Asia/Calcutta`, `Asia/Kolkata`, `Asia/Chongqing`): which of them ICU calls canonical changes with
 * its version, so only whether it knows the place at all depends on the runtime.
 */
export const isPlaceZone = (zone: string): boolean => {
  if (zone.toLowerCase() === 'utc') return true;
  const slash = zone.indexOf('/');
  return slash > 0 && slash < zone.length - 1 && AREAS.has(zone.slice(0, slash).toLowerCase());
};

/**
 * The clock of `zone`, or undefined when `zone` is no IANA time zone name of a place (Area/Location)
 * Intl knows, nor UTC ([isPlaceZone]).
 */
export const zoneClock = (zone: string): ZoneClock | undefined => {
  if (BY_NAME.has(zone)) return BY_NAME.get(zone);
  let clock: ZoneClock | undefined;
  if (isPlaceZone(zone)) {
    try {
      const formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      const canonical = formatter.resolvedOptions().timeZone;
      clock = CANONICAL.get(canonical) ?? { zone: canonical, formatter, offsets: new Map() };
      CANONICAL.set(canonical, clock);
    } catch {
      clock = undefined; // RangeError: not a time zone Intl knows
    }
  }
  if (BY_NAME.size >= MAX_NAMES) BY_NAME.clear();
  BY_NAME.set(zone, clock);
  return clock;
};

/** The zone's UTC offset at `ms`, in ms, from the wall time Intl gives (to the second: LMT had seconds). */
const intlOffset = (formatter: Intl.DateTimeFormat, ms: number): number => {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of formatter.formatToParts(ms)) {
    const value = Number(part.value);
    if (part.type === 'year') year = value;
    else if (part.type === 'month') month = value;
    else if (part.type === 'day') day = value;
    else if (part.type === 'hour') hour = value;
    else if (part.type === 'minute') minute = value;
    else if (part.type === 'second') second = value;
    else if (part.type === 'era') bc = part.value === 'BC';
  }
  const fullYear = bc ? 1 - year : year;
  const wall = Date.UTC(fullYear + 400, month - 1, day, hour, minute, second) - MS_PER_400_YEARS;
  return wall - Math.floor(ms / MS_PER_SECOND) * MS_PER_SECOND;
};

/**
 * The zone's UTC offset at `ms`, in ms. An hour whose first and last millisecond have the same offset
 * has it throughout (no zone changes its offset twice within an hour), and is remembered; an hour with a
 * change in it is asked of Intl at `ms` itself, every time.
 */
export const offsetAt = (clock: ZoneClock, ms: number): number => {
  const hour = Math.floor(ms / MS_PER_HOUR);
  const known = clock.offsets.get(hour);
  if (known !== undefined) return known;
  const start = hour * MS_PER_HOUR;
  const offset = intlOffset(clock.formatter, start);
  if (offset !== intlOffset(clock.formatter, start + MS_PER_HOUR - 1)) return intlOffset(clock.formatter, ms);
  if (clock.offsets.size >= MAX_OFFSETS_PER_ZONE) clock.offsets.clear();
  clock.offsets.set(hour, offset);
  return offset;
};

/** The wall-clock hour (0–23) of `ms` in the clock's zone. */
export const localHourOf = (clock: ZoneClock, ms: number): number => {
  const wall = ms + offsetAt(clock, ms);
  return Math.floor((((wall % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_HOUR);
};

/** The ISO 8601 weekday (1 = Monday … 7 = Sunday) of `ms` in the clock's zone (1970-01-01 was a Thursday). */
export const isoWeekdayOf = (clock: ZoneClock, ms: number): number => {
  const days = Math.floor((ms + offsetAt(clock, ms)) / MS_PER_DAY);
  return ((((days + 3) % 7) + 7) % 7) + 1;
};
