/**
 * The one rule for where referrals may be delivered: a partner's callback URL is https, carries no
 * credentials (`user:pass@`), and its host is not this machine or a private network: no `localhost`,
 * no address in a private, loopback, link-local, unique-local, shared (CGNAT), unspecified, multicast,
 * reserved or special-purpose range, nor an IPv6 address carrying an IPv4 one (mapped, translated,
 * NAT64, 6to4, Teredo). `undeliverableReason` judges the URL as written (host names and IP literals);
 * `refusedAddressReason` judges an address a host name resolves to, and the webhook sender applies it
 * at send time to every address it is given for the host, connecting only to addresses that passed
 * (`functions/adapters/http-webhook-sender.ts`), so a name that resolves, or rebinds, to such an
 * address is refused too.
 *
 * `localReceivers` is for the embedded stack only, whose test receivers listen on loopback over plain
 * http: it allows plain http to this machine (`localhost`, loopback literals), and loopback hosts
 * (and names resolving to loopback) over https; nothing else.
 */

/** An address range as [first address, prefix length, what it is]. */
type Range = readonly [bigint, number, string];

/** IPv4 literals as the URL parser writes them: it turns `0x7f.1`, `2130706433` and `127.1` into `127.0.0.1`. */
const parseIpv4 = (host: string): bigint | undefined => {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) {
    return undefined;
  }
  return parts.reduce((address, part) => (address << 8n) | BigInt(part), 0n);
};

/** IPv6 literals as the URL parser writes them: compressed, lower case, in hex groups only. */
const parseIpv6 = (host: string): bigint | undefined => {
  const halves = host.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.reduce((address, group) => (address << 16n) | BigInt(`0x${group}`), 0n);
};

const v4 = (address: string, prefix: number, what: string): Range => [parseIpv4(address)!, prefix, what];
const v6 = (address: string, prefix: number, what: string): Range => [parseIpv6(address)!, prefix, what];

const REFUSED_IPV4: readonly Range[] = [
  v4('0.0.0.0', 8, 'unspecified'),
  v4('10.0.0.0', 8, 'private'),
  v4('100.64.0.0', 10, 'shared (CGNAT)'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.0.0', 16, 'link-local'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.168.0.0', 16, 'private'),
  v4('192.0.0.0', 24, 'IETF protocol assignment'),
  v4('198.18.0.0', 15, 'benchmarking'),
  // Documentation examples (RFC 5737): not globally reachable, so only ever routed somewhere private.
  v4('192.0.2.0', 24, 'documentation'),
  v4('198.51.100.0', 24, 'documentation'),
  v4('203.0.113.0', 24, 'documentation'),
  // Multicast, then reserved up to the broadcast address: never a web server.
  v4('224.0.0.0', 4, 'multicast'),
  v4('240.0.0.0', 4, 'reserved'),
];

const REFUSED_IPV6: readonly Range[] = [
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  // Embedded IPv4 addresses: mapped (::ffff:a.b.c.d) and the deprecated compatible form (::a.b.c.d).
  v6('::ffff:0:0', 96, 'IPv4-mapped'),
  v6('::', 96, 'IPv4-compatible'),
  v6('::ffff:0:0:0', 96, 'IPv4-translated'),
  // Transition prefixes carry an IPv4 address inside (a NAT64 gateway or relay reaches it for us,
  // the metadata address or a private one included): refused whole, not judged by what they carry.
  v6('64:ff9b::', 96, 'NAT64'),
  v6('64:ff9b:1::', 48, 'NAT64'),
  v6('2002::', 16, '6to4'),
  v6('2001::', 32, 'Teredo'),
  // Not globally reachable (RFC 5180, RFC 7343): benchmarking, and ORCHIDv2 identifiers; then the rest
  // of the IETF protocol assignments (RFC 2928), not globally reachable by default and no web servers.
  v6('2001:2::', 48, 'benchmarking'),
  v6('2001:20::', 28, 'ORCHIDv2'),
  v6('2001::', 23, 'IETF protocol assignment'),
  v6('100::', 64, 'discard-only'),
  v6('ff00::', 8, 'multicast'),
  v6('fc00::', 7, 'unique-local'),
  v6('fe80::', 10, 'link-local'),
  v6('fec0::', 10, 'site-local'),
  // Documentation examples (RFC 3849, RFC 9637).
  v6('2001:db8::', 32, 'documentation'),
  v6('3fff::', 20, 'documentation'),
];

const rangeOf = (address: bigint, bits: number, ranges: readonly Range[]): Range | undefined =>
  ranges.find(([first, prefix]) => address >> BigInt(bits - prefix) === first >> BigInt(bits - prefix));

const isLoopback = (range: Range | undefined): boolean => range?.[2] === 'loopback';

/** The refused range of an address literal as the URL parser writes it (`10.0.0.5`, `[::1]`), if any. */
const rangeOfLiteral = (host: string): Range | undefined => {
  const ipv4 = parseIpv4(host);
  if (ipv4 !== undefined) return rangeOf(ipv4, 32, REFUSED_IPV4);
  const ipv6 = host.startsWith('[') && host.endsWith(']') ? parseIpv6(host.slice(1, -1)) : undefined;
  return ipv6 === undefined ? undefined : rangeOf(ipv6, 128, REFUSED_IPV6);
};

/** "a private address", "an unspecified address": the range as a message says it. */
const describeRange = (range: Range): string => {
  const article = /^(?:[aeioAEIO]|un(?!i))/.test(range[2]) ? 'an' : 'a';
  return `${article} ${range[2]} address`;
};

/** The URL's host, whether it names this machine, and the refused range its address literal is in. */
const classifyHost = (url: URL): { host: string; namesThisMachine: boolean; range?: Range } => {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return { host, namesThisMachine: true };
  const range = rangeOfLiteral(host);
  return range === undefined ? { host, namesThisMachine: false } : { host, namesThisMachine: false, range };
};

/** `localhost` or a loopback address literal: where the embedded stack and its test receivers listen. */
export const isThisMachine = (url: URL): boolean => {
  const { namesThisMachine, range } = classifyHost(url);
  return namesThisMachine || isLoopback(range);
};

/** What is wrong with the URL's host, or undefined when referrals may be posted to it. */
const hostProblem = (url: URL, localReceivers: boolean): string | undefined => {
  const { host, namesThisMachine, range } = classifyHost(url);
  if (namesThisMachine) return localReceivers ? undefined : `names this machine (${host})`;
  if (range === undefined || (localReceivers && isLoopback(range))) return undefined;
  return `has ${describeRange(range)} as its host (${host})`;
};

/** Why referrals may not be posted to this URL ("is not https", …), or undefined when they may. */
export const undeliverableReason = (url: URL, localReceivers = false): string | undefined => {
  const plainHttpToThisMachine = localReceivers && url.protocol === 'http:' && isThisMachine(url);
  if (url.protocol !== 'https:' && !plainHttpToThisMachine) return 'is not https';
  if (url.username !== '' || url.password !== '') return 'carries credentials (user:password@)';
  return hostProblem(url, localReceivers);
};

/**
 * An IP address as `dns.lookup` gives it (`10.0.0.5`, `::1`, `::ffff:10.0.0.1`, `fe80::1%eth0`), written
 * as the URL parser writes an address literal, or undefined when it is not an IP address.
 */
const addressLiteral = (address: string): string | undefined => {
  const bare = address.trim().replace(/%.*$/, '');
  if (bare.includes(':')) {
    const host = URL.parse(`http://[${bare}]/`)?.hostname;
    return host !== undefined && parseIpv6(host.slice(1, -1)) !== undefined ? host : undefined;
  }
  return parseIpv4(bare) === undefined ? undefined : bare;
};

/**
 * Why referrals may not be posted to this resolved address ("a private address", "a loopback
 * address", …), or undefined when they may. What a host name resolves to is held to the same ranges
 * as an address literal in a callback URL; with `localReceivers`, loopback (and only loopback) is
 * allowed. Anything that is not an IPv4 or IPv6 address is refused.
 */
export const refusedAddressReason = (address: string, localReceivers = false): string | undefined => {
  const literal = addressLiteral(address);
  if (literal === undefined) return 'a non-IP address';
  const range = rangeOfLiteral(literal);
  if (range === undefined || (localReceivers && isLoopback(range))) return undefined;
  return describeRange(range);
};
