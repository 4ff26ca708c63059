import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpWebhookSender, type ResolveHost } from '../../functions/adapters/http-webhook-sender.js';
import { AppError, DependencyError } from '../../functions/platform/errors.js';
import { freeLoopbackPort } from '../support/ports.js';

const HEADERS = { 'webhook-id': 'ref_0123456789abcdef0123' };
const BODY = JSON.stringify({ type: 'parcel.referred' });

/** A DNS that answers every name with the given addresses and remembers what it was asked. */
const dnsAnswering = (...addresses: string[]): ResolveHost & { asked: string[] } => {
  const asked: string[] = [];
  const lookup = async (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
};

describe('HttpWebhookSender', () => {
  // A receiver on loopback: every connection and request it sees, and how it answers.
  let server: Server;
  let port: number;
  let connections = 0;
  let received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let answer: (response: ServerResponse) => void;

  const senderWith = (lookup: ResolveHost, localReceivers: boolean, timeoutMs = 2_000) =>
    new HttpWebhookSender({ timeoutMs, localReceivers, lookup });

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        answer(response);
      });
    });
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ({ port } = server.address() as AddressInfo);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    connections = 0;
    received = [];
    answer = (response) => response.writeHead(204).end();
  });

  describe('resolving the callback host', () => {
    it.each([
      ['a private address', ['10.0.0.5'], 'a private address (10.0.0.5)'],
      ['the metadata address', ['169.254.169.254'], 'a link-local address (169.254.169.254)'],
      ['loopback', ['127.0.0.1'], 'a loopback address (127.0.0.1)'],
      ['the IPv6 loopback', ['::1'], 'a loopback address (::1)'],
      ['an IPv4-mapped private address', ['::ffff:10.0.0.1'], 'an IPv4-mapped address (::ffff:10.0.0.1)'],
      ['a public and a private address', ['93.184.215.14', '10.0.0.5'], 'a private address (10.0.0.5)'],
      ['a private address after loopback', ['127.0.0.1', '10.0.0.5'], 'a loopback address (127.0.0.1)'],
    ])('refuses a host that resolves to %s, connecting nowhere', async (_name, addresses, reason) => {
      // Prepare
      const lookup = dnsAnswering(...addresses);
      const sender = senderWith(lookup, false);
      // Act
      const posting = sender.post(`http://evil.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      await expect(posting).rejects.toThrow(`callback host evil.example resolves to ${reason}`);
      await expect(posting).rejects.toMatchObject({ code: 'CALLBACK_NOT_DELIVERABLE', retryable: false });
      expect(lookup.asked).toEqual(['evil.example']);
      expect(connections).toBe(0);
      expect(received).toEqual([]);
    });

    it('refuses a host that resolves to a private address over https too, connecting nowhere', async () => {
      // Prepare
      const sender = senderWith(dnsAnswering('10.0.0.5'), false);
      // Act
      const posting = sender.post(`https://evil.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      await expect(posting).rejects.toThrow('callback host evil.example resolves to a private address');
      await expect(posting).rejects.toBeInstanceOf(AppError);
      expect(connections).toBe(0);
    });

    it.each([
      ['a private', '10.0.0.5', 'a private address'],
      ['the metadata', '169.254.169.254', 'a link-local address'],
      ['a unique-local', '[fd00::1]', 'a unique-local address'],
    ])('refuses %s address literal without resolving or connecting', async (_name, host, reason) => {
      // Prepare
      const lookup = dnsAnswering('93.184.215.14');
      const sender = senderWith(lookup, true, 200);
      // Act
      const posting = sender.post(`http://${host}:${port}/referrals`, HEADERS, BODY);
      // Assess
      await expect(posting).rejects.toThrow(`callback host ${host.replace(/[[\]]/g, '')} is ${reason}`);
      await expect(posting).rejects.toMatchObject({ code: 'CALLBACK_NOT_DELIVERABLE', retryable: false });
      expect(lookup.asked).toEqual([]);
    });

    it("delivers to the address the host resolves to when it is the embedded stack's loopback", async () => {
      // Prepare
      const lookup = dnsAnswering('127.0.0.1');
      const sender = senderWith(lookup, true);
      // Act
      const result = await sender.post(`http://receiver.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      expect(result).toEqual({ status: 204 });
      expect(lookup.asked).toEqual(['receiver.example']);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({
        method: 'POST',
        url: '/referrals',
        headers: {
          host: `receiver.example:${port}`,
          'content-type': 'application/json',
          'webhook-id': HEADERS['webhook-id'],
        },
        body: BODY,
      });
    });

    it('refuses the same loopback answer outside the embedded stack', async () => {
      // Prepare
      const sender = senderWith(dnsAnswering('127.0.0.1'), false);
      // Act
      const posting = sender.post(`http://receiver.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      await expect(posting).rejects.toThrow(
        'callback host receiver.example resolves to a loopback address (127.0.0.1)',
      );
      expect(connections).toBe(0);
    });

    it('delivers to a loopback literal without resolving it on the embedded stack only', async () => {
      // Prepare
      const lookup = dnsAnswering('10.0.0.5');
      const url = `http://127.0.0.1:${port}/referrals`;
      // Act
      const local = await senderWith(lookup, true).post(url, HEADERS, BODY);
      const elsewhere = senderWith(lookup, false).post(url, HEADERS, BODY);
      // Assess
      expect(local).toEqual({ status: 204 });
      await expect(elsewhere).rejects.toThrow('callback host 127.0.0.1 is a loopback address');
      await expect(elsewhere).rejects.toMatchObject({ code: 'CALLBACK_NOT_DELIVERABLE' });
      expect(lookup.asked).toEqual([]);
      expect(connections).toBe(1);
      expect(received).toHaveLength(1);
    });

    it('connects over https to the checked address, not to one resolved elsewhere', async () => {
      // Prepare: the receiver speaks plain http, so the TLS handshake fails once connected
      const sender = senderWith(dnsAnswering('127.0.0.1'), true);
      // Act
      const posting = sender.post(`https://receiver.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      await expect(posting).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
      expect(connections).toBe(1);
    });

    it('fails retryably when the host does not resolve', async () => {
      // Prepare
      const lookup: ResolveHost = async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND gone.example'), { code: 'ENOTFOUND' });
      };
      const sender = senderWith(lookup, false);
      // Act
      const posting = sender.post(`https://gone.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      await expect(posting).rejects.toThrow('callback did not answer: ENOTFOUND');
      await expect(posting).rejects.toBeInstanceOf(DependencyError);
      expect(connections).toBe(0);
    });
  });

  describe('answers', () => {
    it.each([
      [200, 200],
      [410, 410],
      [503, 503],
    ])('returns the status %i the receiver answers, discarding the body', async (status) => {
      // Prepare
      answer = (response) =>
        response.writeHead(status, { 'content-type': 'text/plain' }).end('x'.repeat(1e5));
      const sender = senderWith(dnsAnswering('127.0.0.1'), true);
      // Act
      const result = await sender.post(`http://receiver.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      expect(result).toEqual({ status });
      expect(received).toHaveLength(1);
    });

    it('returns the Retry-After the receiver answers with, as it was written', async () => {
      // Prepare
      answer = (response) => response.writeHead(429, { 'retry-after': '600' }).end();
      const sender = senderWith(dnsAnswering('127.0.0.1'), true);
      // Act
      const result = await sender.post(`http://receiver.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      expect(result).toEqual({ status: 429, retryAfter: '600' });
    });

    it('fails retryably, naming the timeout, when the receiver does not answer in time', async () => {
      // Prepare: the receiver reads the request and never answers
      answer = () => {};
      const sender = senderWith(dnsAnswering('127.0.0.1'), true, 150);
      const started = Date.now();
      // Act
      const posting = sender.post(`http://receiver.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      await expect(posting).rejects.toThrow('callback did not answer within 150 ms');
      await expect(posting).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(received).toHaveLength(1);
    });

    it('fails retryably, naming the timeout, when resolution does not answer in time', async () => {
      // Prepare
      const lookup: ResolveHost = () => new Promise<LookupAddress[]>(() => {});
      const sender = senderWith(lookup, true, 150);
      // Act
      const posting = sender.post(`http://receiver.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      await expect(posting).rejects.toThrow('callback did not answer within 150 ms');
      expect(connections).toBe(0);
    });

    it('fails retryably, naming the cause, when nothing listens', async () => {
      // Prepare: a port that was just free
      const freePort = await freeLoopbackPort();
      const sender = senderWith(dnsAnswering('127.0.0.1'), true);
      // Act
      const posting = sender.post(`http://receiver.example:${freePort}/referrals`, HEADERS, BODY);
      // Assess
      await expect(posting).rejects.toThrow('callback did not answer: ECONNREFUSED');
      await expect(posting).rejects.toBeInstanceOf(DependencyError);
    });

    it.each([
      [301, `/elsewhere`],
      [302, `http://127.0.0.1:{port}/elsewhere`],
      [307, `/elsewhere`],
      [308, `http://10.0.0.5/latest/meta-data`],
    ])('returns a %i redirect as it is and follows it nowhere', async (status, location) => {
      // Prepare
      answer = (response) =>
        response.writeHead(status, { location: location.replace('{port}', String(port)) }).end();
      const lookup = dnsAnswering('127.0.0.1');
      const sender = senderWith(lookup, true);
      // Act
      const result = await sender.post(`http://receiver.example:${port}/referrals`, HEADERS, BODY);
      // Assess
      expect(result).toEqual({ status });
      expect(received.map((request) => request.url)).toEqual(['/referrals']);
      expect(lookup.asked).toEqual(['receiver.example']);
    });
  });
});
