/**
 * JSON with object keys sorted at every depth and undefined members dropped: the same content always
 * gives the same text. Rule set versions and audit hash chains are both hashes of this text.
 *
 * Only JSON values are written: anything else throws a TypeError naming where it is. JSON.stringify
 * would write NaN and Infinity as null, a Date, Map or Set as {} and a function as nothing, so two
 * different contents would share one hash, which a version or a hash chain must never do.
 */
export const canonicalJson = (value: unknown): string => write(value, '$');

const write = (value: unknown, at: string): string => {
  if (value === undefined || value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${at} is ${value}, which JSON cannot hold`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`${at} is a ${typeof value}, which JSON cannot hold`);
  }
  if (Array.isArray(value)) return `[${value.map((item, i) => write(item, `${at}[${i}]`)).join(',')}]`;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new TypeError(`${at} is a ${kind}, not a plain object: JSON cannot hold it as it is`);
  }
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, member]) => `${JSON.stringify(key)}:${write(member, `${at}.${key}`)}`);
  return `{${members.join(',')}}`;
};
