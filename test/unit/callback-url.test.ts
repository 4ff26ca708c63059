import { describe, expect, it } from 'vitest';
import { refusedAddressReason, undeliverableReason } from '../../functions/core/webhooks/callback-url.js';

describe('undeliverableReason', () => {
  it.each([
    ['an https URL on a public name', 'https://hooks.partner.example/parcelguard'],
    ['an https URL with a port and a query', 'https://hooks.partner.example:8443/r?x=1'],
    ['a public IPv4 literal', 'https://93.184.215.14/r'],
    ['a public address just outside 172.16/12', 'https://172.32.0.1/r'],
    ['a public address just outside 100.64/10', 'https://100.128.0.1/r'],
    ['a public IPv6 literal', 'https://[2606:4700:4700::1111]/r'],
    ['a name that merely contains localhost', 'https://localhost.partner.example/r'],
  ])('accepts %s', (_name, url) => {
    // Act / Assess
    expect(undeliverableReason(new URL(url))).toBeUndefined();
  });

  it.each([
    ['plain http', 'http://hooks.partner.example/r', /not https/],
    ['ftp', 'ftp://hooks.partner.example/r', /not https/],
    ['a user and password', 'https://user:secret@hooks.partner.example/r', /credentials/],
    ['a user alone', 'https://user@hooks.partner.example/r', /credentials/],
    ['localhost', 'https://localhost/r', /this machine/],
    ['a name under localhost', 'https://api.localhost/r', /this machine/],
    ['localhost with a trailing dot', 'https://LOCALHOST./r', /this machine/],
    ['the metadata address 169.254.169.254', 'https://169.254.169.254/latest/meta-data', /link-local/],
    ['10/8', 'https://10.1.2.3/r', /private/],
    ['172.16/12 at its start', 'https://172.16.0.1/r', /private/],
    ['172.16/12 at its end', 'https://172.31.255.254/r', /private/],
    ['192.168/16', 'https://192.168.1.10/r', /private/],
    ['127/8', 'https://127.0.0.1/r', /loopback/],
    ['127/8 far from 127.0.0.1', 'https://127.254.0.9/r', /loopback/],
    ['127.0.0.1 written in hex', 'https://0x7f.0.0.1/r', /loopback/],
    ['127.0.0.1 written as one number', 'https://2130706433/r', /loopback/],
    ['127.0.0.1 shortened', 'https://127.1/r', /loopback/],
    ['100.64/10 (CGNAT)', 'https://100.64.0.1/r', /CGNAT/],
    ['100.64/10 at its end', 'https://100.127.255.254/r', /CGNAT/],
    ['0.0.0.0', 'https://0.0.0.0/r', /unspecified/],
    ['the IPv6 loopback', 'https://[::1]/r', /loopback/],
    ['the IPv6 unspecified address', 'https://[::]/r', /unspecified/],
    ['a unique-local fc00::/7 address', 'https://[fd12:3456::1]/r', /unique-local/],
    ['a unique-local address at fc00', 'https://[fc00::1]/r', /has a unique-local address/],
    ['a link-local fe80::/10 address', 'https://[fe80::1]/r', /link-local/],
    ['a link-local address at febf', 'https://[febf::1]/r', /link-local/],
    ['an IPv4-mapped metadata address', 'https://[::ffff:169.254.169.254]/r', /IPv4-mapped/],
    ['an IPv4-mapped loopback in hex', 'https://[::ffff:7f00:1]/r', /IPv4-mapped/],
    ['an IPv4-compatible loopback', 'https://[::127.0.0.1]/r', /IPv4-compatible/],
    ['a NAT64 metadata address', 'https://[64:ff9b::a9fe:a9fe]/r', /a NAT64 address/],
    ['a local-use NAT64 private address', 'https://[64:ff9b:1::a00:5]/r', /a NAT64 address/],
    ['a 6to4 metadata address', 'https://[2002:a9fe:a9fe::1]/r', /a 6to4 address/],
    ['a Teredo address', 'https://[2001:0:4136:e378::1]/r', /a Teredo address/],
    ['an IPv4-translated metadata address', 'https://[::ffff:0:a9fe:a9fe]/r', /an IPv4-translated/],
    ['an IPv6 discard-only address', 'https://[100::1]/r', /discard-only/],
    ['an IPv6 multicast address', 'https://[ff02::1]/r', /a multicast address/],
    ['an IPv4 multicast address', 'https://224.0.0.1/r', /a multicast address/],
    ['a reserved IPv4 address', 'https://240.0.0.1/r', /a reserved address/],
    ['the broadcast address', 'https://255.255.255.255/r', /a reserved address/],
    ['a benchmarking address', 'https://198.18.0.1/r', /a benchmarking address/],
    ['an IETF protocol address (NAT64 discovery)', 'https://192.0.0.170/r', /an IETF protocol/],
  ])('refuses %s', (_name, url, reason) => {
    // Act / Assess
    expect(undeliverableReason(new URL(url))).toMatch(reason);
  });

  it.each([
    ['http on 127.0.0.1', 'http://127.0.0.1:40123/parcelguard/referrals'],
    ['http on localhost', 'http://localhost:40123/r'],
    ['http on the IPv6 loopback', 'http://[::1]:40123/r'],
    ['https on 127.0.0.1', 'https://127.0.0.1/r'],
  ])("accepts the embedded stack's loopback receiver: %s", (_name, url) => {
    // Act / Assess
    expect(undeliverableReason(new URL(url), true)).toBeUndefined();
  });

  it.each([
    ['plain http to a public host', 'http://example.com/cb', /not https/],
    ['plain http to the metadata address', 'http://169.254.169.254/latest/meta-data', /not https/],
    ['the metadata address over https', 'https://169.254.169.254/latest/meta-data', /an? link-local/],
    ['a private address over https', 'https://10.0.0.5/r', /a private address/],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/r', /an IPv4-mapped address/],
    ['credentials', 'http://user:pw@127.0.0.1/r', /credentials/],
    ['ftp', 'ftp://127.0.0.1/r', /not https/],
  ])('refuses on the embedded stack too: %s', (_name, url, reason) => {
    // Act / Assess
    expect(undeliverableReason(new URL(url), true)).toMatch(reason);
  });
});

describe('refusedAddressReason', () => {
  it.each([
    ['a public IPv4 address', '93.184.215.14'],
    ['a public address just above 203.0.113/24', '203.0.114.1'],
    ['a public address just outside 172.16/12', '172.32.0.1'],
    ['a public address just outside 100.64/10', '100.128.0.1'],
    ['a public address just below 10/8', '9.255.255.255'],
    ['a public address just above 127/8', '128.0.0.1'],
    ['a public IPv6 address', '2606:4700:4700::1111'],
    ['a public IPv6 address in full and in capitals', '2606:4700:4700:0000:0000:0000:0000:1111'],
    ['a public IPv6 address just above 2001:db8::/32', '2001:db9::1'],
    ['a public IPv6 address just below fc00::/7', 'fbff:ffff::1'],
    ['a public IPv6 address beside Teredo in 2001::/16', '2001:4860:4860::8888'],
    ['a public address just below multicast', '223.255.255.254'],
    ['a public address just above the benchmarking range', '198.20.0.1'],
    ['a public IPv6 address just above the IETF protocol assignments, 2001::/23', '2001:200::1'],
  ])('allows %s', (_name, address) => {
    // Act / Assess
    expect(refusedAddressReason(address, false)).toBeUndefined();
  });

  it.each([
    ['10/8', '10.0.0.5', 'a private address'],
    ['172.16/12 at its start', '172.16.0.1', 'a private address'],
    ['172.16/12 at its end', '172.31.255.254', 'a private address'],
    ['192.168/16', '192.168.1.10', 'a private address'],
    ['127.0.0.1', '127.0.0.1', 'a loopback address'],
    ['127/8 far from 127.0.0.1', '127.254.0.9', 'a loopback address'],
    ['the metadata address 169.254.169.254', '169.254.169.254', 'a link-local address'],
    ['100.64/10 (CGNAT)', '100.64.0.1', 'a shared (CGNAT) address'],
    ['100.64/10 at its end', '100.127.255.254', 'a shared (CGNAT) address'],
    ['0.0.0.0', '0.0.0.0', 'an unspecified address'],
    ['0/8 beyond 0.0.0.0', '0.1.2.3', 'an unspecified address'],
    ['the IPv6 loopback', '::1', 'a loopback address'],
    ['the IPv6 loopback in full', '0:0:0:0:0:0:0:1', 'a loopback address'],
    ['the IPv6 unspecified address', '::', 'an unspecified address'],
    ['a unique-local fd00::/8 address', 'fd12:3456::1', 'a unique-local address'],
    ['a unique-local address at fc00', 'fc00::1', 'a unique-local address'],
    ['a NAT64 address carrying the metadata address', '64:ff9b::a9fe:a9fe', 'a NAT64 address'],
    ['a 6to4 address carrying a private address', '2002:a00:5::1', 'a 6to4 address'],
    ['a multicast address', '239.1.2.3', 'a multicast address'],
    ['a link-local fe80::/10 address', 'fe80::1', 'a link-local address'],
    ['a link-local address with a zone', 'fe80::1%eth0', 'a link-local address'],
    ['a link-local address in capitals', 'FE80::1', 'a link-local address'],
    ['a site-local fec0::/10 address', 'fec0::1', 'a site-local address'],
    ['an IPv4-mapped private address', '::ffff:10.0.0.1', 'an IPv4-mapped address'],
    ['an IPv4-mapped metadata address in hex', '::ffff:a9fe:a9fe', 'an IPv4-mapped address'],
    ['an IPv4-mapped public address', '::ffff:93.184.215.14', 'an IPv4-mapped address'],
    ['192.0.2/24 (documentation)', '192.0.2.1', 'a documentation address'],
    ['198.51.100/24 (documentation)', '198.51.100.1', 'a documentation address'],
    ['203.0.113/24 (documentation)', '203.0.113.7', 'a documentation address'],
    ['2001:db8::/32 (documentation)', '2001:db8::1', 'a documentation address'],
    ['3fff::/20 (documentation)', '3fff::1', 'a documentation address'],
    ['2001:2::/48 (benchmarking)', '2001:2:0:ffff::1', 'a benchmarking address'],
    ['2001:20::/28 (ORCHIDv2)', '2001:2f::1', 'an ORCHIDv2 address'],
    [
      'the rest of 2001::/23 (IETF protocol assignments)',
      '2001:1ff:ffff::1',
      'an IETF protocol assignment address',
    ],
    ['2001:10::/28 (the deprecated ORCHID)', '2001:10::1', 'an IETF protocol assignment address'],
    ['an IPv4-compatible loopback', '::127.0.0.1', 'an IPv4-compatible address'],
    ['a host name', 'evil.example', 'a non-IP address'],
    ['an empty answer', '', 'a non-IP address'],
    ['an IPv4 address with a fifth part', '10.0.0.5.1', 'a non-IP address'],
    ['an IPv4 part out of range', '10.0.0.256', 'a non-IP address'],
  ])('refuses %s', (_name, address, reason) => {
    // Act / Assess
    expect(refusedAddressReason(address, false)).toBe(reason);
  });

  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['127/8 far from 127.0.0.1', '127.254.0.9'],
    ['the IPv6 loopback', '::1'],
  ])("allows loopback %s for the embedded stack's receivers only", (_name, address) => {
    // Act / Assess
    expect(refusedAddressReason(address, true)).toBeUndefined();
    expect(refusedAddressReason(address, false)).toBe('a loopback address');
  });

  it.each([
    ['10/8', '10.0.0.5', 'a private address'],
    ['192.168/16', '192.168.1.10', 'a private address'],
    ['the metadata address', '169.254.169.254', 'a link-local address'],
    ['100.64/10 (CGNAT)', '100.64.0.1', 'a shared (CGNAT) address'],
    ['0.0.0.0', '0.0.0.0', 'an unspecified address'],
    ['a unique-local address', 'fd00::1', 'a unique-local address'],
    ['a link-local address', 'fe80::1', 'a link-local address'],
    ['an IPv4-mapped loopback', '::ffff:127.0.0.1', 'an IPv4-mapped address'],
    ['an IPv4-mapped private address', '::ffff:10.0.0.1', 'an IPv4-mapped address'],
  ])('refuses on the embedded stack too: %s', (_name, address, reason) => {
    // Act / Assess
    expect(refusedAddressReason(address, true)).toBe(reason);
  });
});
