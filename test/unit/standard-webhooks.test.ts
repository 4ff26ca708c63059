import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import {
  isWebhookSecret,
  signWebhook,
  verifyWebhook,
} from '../../functions/core/webhooks/standard-webhooks.js';

vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return { ...crypto, createHmac: vi.fn(crypto.createHmac) };
});

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ROTATED = 'whsec_G5SPp4ch49uiLD1+649q9tx3r6J9TL9P';
/** A third secret, beside SECRET during a rotation's overlap. */
const NEXT = 'whsec_semTJFBb0y2g4fhdz14ZoJ2wSB6KFfYs';
const NOW = 1_764_300_000;
const BODY = '{"manifestId":"M-1","partnerId":"pearl-express"}';
const TOLERANCE = 300;

/** Signs as a partner would, with the reference implementation. */
const referenceSign = (secret: string, id: string, timestamp: number, body: string) =>
  new Webhook(secret).sign(id, new Date(timestamp * 1000), body);

/** Our verdict at NOW on a delivery of `body` (BODY unless said) with these headers, against `secrets`. */
const verifyAtNow = (
  { id, timestamp = NOW, signature }: { id: string; timestamp?: number; signature: string },
  { body = BODY, secrets = [SECRET] }: { body?: string; secrets?: string[] } = {},
) => verifyWebhook(secrets, { id, timestamp: String(timestamp), signature }, body, NOW, TOLERANCE);

describe('verifyWebhook', () => {
  it('accepts a signature made by the reference implementation', () => {
    // Prepare
    const signature = referenceSign(SECRET, 'msg_1', NOW, BODY);
    // Act
    const verdict = verifyAtNow({ id: 'msg_1', signature });
    // Assess
    expect(verdict).toEqual({ ok: true, webhookId: 'msg_1', timestamp: NOW });
  });

  it('signs exactly as the reference implementation does', () => {
    // Act
    const ours = signWebhook(SECRET, 'msg_2', NOW, BODY);
    // Assess
    expect(ours).toBe(referenceSign(SECRET, 'msg_2', NOW, BODY));
    expect(() =>
      new Webhook(SECRET).verify(BODY, {
        'webhook-id': 'msg_2',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': signWebhook(SECRET, 'msg_2', Math.floor(Date.now() / 1000), BODY),
      }),
    ).not.toThrow();
  });

  it.each([
    ['a tampered body', SECRET, NOW, `${BODY} `, 'no-matching-signature'],
    ['a wrong secret', ROTATED, NOW, BODY, 'no-matching-signature'],
    ['a stale timestamp', SECRET, NOW - TOLERANCE - 1, BODY, 'stale'],
    ['a future timestamp', SECRET, NOW + TOLERANCE + 1, BODY, 'future'],
  ])('rejects %s', (_name, signingSecret, timestamp, deliveredBody, reason) => {
    // Prepare
    const signature = referenceSign(signingSecret, 'msg_3', timestamp, BODY);
    // Act
    const verdict = verifyAtNow({ id: 'msg_3', timestamp, signature }, { body: deliveredBody });
    // Assess
    expect(verdict).toEqual({ ok: false, reason });
  });

  it.each([
    ['the timestamp at the edge of the window', NOW - TOLERANCE],
    ['the timestamp at the future edge', NOW + TOLERANCE],
  ])('accepts %s', (_name, timestamp) => {
    const signature = referenceSign(SECRET, 'msg_4', timestamp, BODY);
    const verdict = verifyAtNow({ id: 'msg_4', timestamp, signature });
    expect(verdict.ok).toBe(true);
  });

  it.each([
    ['no webhook-id', { id: undefined, timestamp: String(NOW), signature: 'v1,abc' }],
    ['no webhook-timestamp', { id: 'msg_5', timestamp: undefined, signature: 'v1,abc' }],
    ['no webhook-signature', { id: 'msg_5', timestamp: String(NOW), signature: undefined }],
  ])('rejects a delivery with %s', (_name, headers) => {
    expect(verifyWebhook([SECRET], headers, BODY, NOW, TOLERANCE)).toEqual({
      ok: false,
      reason: 'missing-headers',
    });
  });

  it('rejects a timestamp that is not a number', () => {
    const verdict = verifyWebhook(
      [SECRET],
      { id: 'm', timestamp: '12abc', signature: 'v1,x' },
      BODY,
      NOW,
      TOLERANCE,
    );
    expect(verdict).toEqual({ ok: false, reason: 'bad-timestamp' });
  });

  it('accepts a delivery signed with the new key during a rotation', () => {
    // Prepare: the partner has rotated; both keys are valid during the overlap
    const signature = referenceSign(ROTATED, 'msg_6', NOW, BODY);
    // Act
    const verdict = verifyAtNow({ id: 'msg_6', signature }, { secrets: [SECRET, ROTATED] });
    // Assess
    expect(verdict.ok).toBe(true);
  });

  it('accepts several space-separated signatures when one of them matches', () => {
    // Prepare
    const signature = `${referenceSign(ROTATED, 'msg_7', NOW, BODY)} ${referenceSign(SECRET, 'msg_7', NOW, BODY)}`;
    // Act
    const verdict = verifyAtNow({ id: 'msg_7', signature });
    // Assess
    expect(verdict.ok).toBe(true);
  });

  it.each([
    ['of 3,000 characters', `msg_${'a'.repeat(2_996)}`],
    ['of 257 characters', 'm'.repeat(257)],
    ['with a space', 'msg 1'],
    ['with a character beyond ASCII', 'msg_é'],
    ['with a control character', 'msg_\u0007'],
  ])('rejects a validly signed webhook-id %s', (_name, id) => {
    // Prepare
    const signature = referenceSign(SECRET, id, NOW, BODY);
    // Act
    const verdict = verifyAtNow({ id, signature });
    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'bad-id' });
  });

  it('accepts a webhook-id of 256 printable ASCII characters', () => {
    // Prepare
    const id = `msg_${'~!'.repeat(126)}`;
    const signature = referenceSign(SECRET, id, NOW, BODY);
    // Act
    const verdict = verifyAtNow({ id, signature });
    // Assess
    expect(id).toHaveLength(256);
    expect(verdict).toEqual({ ok: true, webhookId: id, timestamp: NOW });
  });

  /** The base64 of the right HMAC for msg_8, as the reference implementation writes it (no `v1,`). */
  const mac = () => referenceSign(SECRET, 'msg_8', NOW, BODY).slice(3);
  /** The same 32 bytes in base64 whose last character carries other stray bits (decoders drop them). */
  const withStrayBits = (base64: string) => {
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = ALPHABET.indexOf(base64[42]!);
    return `${base64.slice(0, 42)}${ALPHABET[last | 1]}=`;
  };

  it.each([
    ['junk after its padding', () => `v1,${mac()}junk`],
    ['junk after a second padding character', () => `v1,${mac()}=junk`],
    ['a character outside base64 inside it', () => `v1,${mac().slice(0, 20)}*${mac().slice(20)}`],
    ['no padding', () => `v1,${mac().slice(0, -1)}`],
    ['URL-safe base64 for a MAC with + or /', () => `v1,${mac().replaceAll('+', '-').replaceAll('/', '_')}`],
    ['stray bits in its last character', () => `v1,${withStrayBits(mac())}`],
  ])('matches no v1 signature with %s', (_name, signature) => {
    // Act
    const verdict = verifyAtNow({ id: 'msg_8', signature: signature() });
    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'no-matching-signature' });
  });

  it('ignores entries of other versions and a malformed v1 entry beside the right one', () => {
    // Prepare
    const signature = `v2,${mac()} v1,${mac()}junk v1,${mac()}`;
    // Act
    const verdict = verifyAtNow({ id: 'msg_8', signature });
    // Assess
    expect(verdict.ok).toBe(true);
  });

  it.each([
    ['a partner with a secret', [SECRET]],
    ['a partner mid-rotation, with two live secrets', [SECRET, NEXT]],
    ['no partner (an unknown id, or one whose secrets all ended)', []],
  ])('computes two HMACs over the whole body to refuse %s, so timing tells none apart', (_, secrets) => {
    // Prepare
    const body = 'x'.repeat(100_000);
    const headers = {
      id: 'msg_1',
      timestamp: String(NOW),
      signature: referenceSign(ROTATED, 'msg_1', NOW, body),
    };
    vi.mocked(createHmac).mockClear();
    // Act
    const verdict = verifyWebhook(secrets, headers, body, NOW, TOLERANCE);
    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'no-matching-signature' });
    expect(vi.mocked(createHmac)).toHaveBeenCalledTimes(2);
  });
});

describe('isWebhookSecret', () => {
  it.each([
    ['24 bytes', SECRET],
    ['32 bytes, padded', `whsec_${Buffer.alloc(32, 7).toString('base64')}`],
    ['64 bytes', `whsec_${Buffer.alloc(64, 7).toString('base64')}`],
  ])('accepts the canonical base64 of %s after whsec_', (_, secret) => {
    expect(isWebhookSecret(secret)).toBe(true);
  });

  it.each([
    ['an empty key, which would verify anyone', 'whsec_'],
    ['no whsec_ prefix', SECRET.slice(6)],
    ['23 bytes', `whsec_${Buffer.alloc(23, 7).toString('base64')}`],
    ['65 bytes', `whsec_${Buffer.alloc(65, 7).toString('base64')}`],
    ['characters base64 skips', `${SECRET}!!`],
    ['unpadded base64', `whsec_${Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '')}`],
  ])('refuses %s', (_, secret) => {
    expect(isWebhookSecret(secret)).toBe(false);
  });
});
