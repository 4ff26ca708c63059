import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Manifest, Party } from '../../events/manifest-v1.js';
import { normalizePhone, phoneDigits } from '../../functions/core/parties/phone.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { sampleTemplates, syntheticManifest } from '../../functions/local/synthetic-manifests.js';
import { postAsPartner } from '../support/embedded.js';
import { asStaff, tokenFor } from '../support/staff.js';

const POISON_MANIFEST_ID = 'SCRUB-POISON';

const BEARER_TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImxvY2FsIn0.eyJzdWIiOiJvZmZpY2VyLTEiLCJjb2duaXRvOmdyb3VwcyI6WyJvZmZpY2VyIl19.c2lnbmF0dXJlLW5vdC12YWxpZA';

/**
 * Every form a phone number could leak in: as typed, its digits, E.164 with and without the plus, and
 * its first 8 digits (a parser's excerpt of the text it failed on cuts the number short).
 */
const phoneForms = (party: Party): string[] => {
  const digits = phoneDigits(party.phone).replace('+', '');
  const e164 = normalizePhone(party.phone, party.address.country);
  return [party.phone, digits, digits.slice(0, 8), ...(e164 ? [e164, e164.slice(1)] : [])];
};

describe('log lines of an end-to-end run', () => {
  const lines: string[] = [];
  const posted: Manifest[] = [];
  let stack: EmbeddedStack;

  beforeAll(async () => {
    // Capture everything the process writes, before any handler is loaded
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(
          ...String(chunk)
            .split('\n')
            .filter((line) => line.length > 0),
        );
        return true;
      });
    }
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1, logLevel: 'debug' });

    // Accepted manifests: the samples, and parcels whose phones are typed in several ways
    for (const template of sampleTemplates()) {
      const manifest = syntheticManifest(template, {
        manifestId: `SCRUB-${template.manifestId}`,
        parcelCount: 4,
        consignees: 2,
      });
      manifest.parcels[1]!.shipper.phone = '（0755）8888-8888';
      manifest.parcels[2]!.consignee.phone = '００８６ １３９ ７７４１ ２０８０';
      posted.push(manifest);
      await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest), {
        headers: { authorization: `Bearer ${BEARER_TOKEN}` },
      });
    }
    const [first] = posted;
    // Refused deliveries that carry personal data: invalid contract, wrong signature, malformed JSON
    const invalid = structuredClone(first!);
    invalid.parcels[0]!.goods[0]!.hsCode = 'rosewood';
    (invalid.parcels[0]!.consignee as Record<string, unknown>).nickname = invalid.parcels[0]!.consignee.phone;
    (invalid.parcels[1]!.consignee as Record<string, unknown>).alias = invalid.parcels[1]!.consignee.name;
    invalid.parcels[1]!.consignee.address.line = `${invalid.parcels[1]!.consignee.address.line}\u202E`;
    await postAsPartner(stack, invalid.partnerId, JSON.stringify(invalid));
    await postAsPartner(stack, first!.partnerId, JSON.stringify({ ...first, manifestId: 'SCRUB-FORGED' }), {
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    await postAsPartner(
      stack,
      first!.partnerId,
      `{"partnerId":"${first!.partnerId}","phone":"${first!.parcels[0]!.consignee.phone}"`,
    );
    // Malformed where the parser quotes the text it fails on (V8: `Unexpected token …, "…" is not valid JSON`)
    await postAsPartner(
      stack,
      first!.partnerId,
      `{"partnerId":"${first!.partnerId}","phone":'${phoneDigits(first!.parcels[0]!.consignee.phone)}'}`,
    );
    await postAsPartner(
      stack,
      first!.partnerId,
      `${phoneDigits(first!.parcels[0]!.consignee.phone)} call me`,
    );
    // A staff request with a bearer token the gateway cannot verify
    await fetch(`${stack.apiUrl}/v1/inspections?office=wuzhou-customs`, {
      headers: { authorization: `Bearer ${BEARER_TOKEN}` },
    });
    // Refusals whose answers repeat what was sent: a phone typed into a path and into a query
    const typedPhone = phoneDigits(first!.parcels[0]!.consignee.phone).replace('+', '');
    const officer = await tokenFor('officer', 'wuzhou');
    await asStaff(stack.apiUrl, officer, 'GET', `/v1/parties/${typedPhone}`);
    await asStaff(stack.apiUrl, officer, 'GET', `/v1/inspections?office=${typedPhone}`);
    // Screening messages that fail (and are logged) while carrying a phone, a name and an address: one
    // with nothing but that, one that breaks its contract with its parcel in it
    await stack.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues.screening.url,
        Entries: [
          {
            Id: 'poison',
            MessageBody: JSON.stringify({
              type: 'ScreeningRequested',
              version: 1,
              items: [{ phone: first!.parcels[0]!.consignee.phone }],
            }),
          },
          {
            Id: 'broken',
            MessageBody: JSON.stringify({
              type: 'ScreeningRequested',
              version: 1,
              partnerId: first!.partnerId,
              manifestId: POISON_MANIFEST_ID,
              items: [{ parcel: first!.parcels[0] }],
            }),
          },
        ],
      }),
    );
    await stack.waitForIdle(25_000);
  });

  afterAll(async () => {
    await stack?.stop();
    vi.restoreAllMocks();
  });

  it('captures the handlers’ log lines of acceptance, refusal and failure', () => {
    // Assess: the capture works, so the absence checks below can fail
    const messages = lines.flatMap((line) => {
      try {
        return [(JSON.parse(line) as { message: string }).message];
      } catch {
        return [];
      }
    });
    expect(messages).toContain('manifest accepted');
    expect(messages).toContain('request refused');
    expect(messages).toContain('record failed');
  });

  it('names the partner, manifest and parcels of a screening message that failed, so its dead letter can be found', () => {
    // Prepare
    const [first] = posted;
    // Act
    const failed = lines.flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        return parsed.message === 'record failed' && parsed.manifestId === POISON_MANIFEST_ID ? [parsed] : [];
      } catch {
        return [];
      }
    });
    // Assess: the party's data in the message is checked absent from every line by the tests below
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]).toMatchObject({
      messageId: expect.any(String),
      partnerId: first!.partnerId,
      parcelIds: [first!.parcels[0]!.parcelId],
      code: 'VALIDATION_FAILED',
    });
  });

  it('writes no name, street address or ID document number of a party in any line', () => {
    // Prepare
    const parties = posted.flatMap((manifest) =>
      manifest.parcels.flatMap((parcel) => [parcel.shipper, parcel.consignee]),
    );
    const forbidden = [
      ...new Set(
        parties.flatMap((party) => [
          party.name,
          party.address.line,
          ...(party.idDocument ? [party.idDocument.number] : []),
        ]),
      ),
    ];
    // Act
    const leaks = forbidden.flatMap((value) =>
      lines.filter((line) => line.includes(value)).map((line) => ({ value, line })),
    );
    // Assess
    expect(forbidden.length).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });

  it('writes no partner secret, salt, bearer token or phone number in clear in any line', () => {
    // Prepare
    const secrets = stack.partners.flatMap((partner) =>
      partner.secrets.flatMap(({ secret }) => [secret, secret.slice('whsec_'.length)]),
    );
    const phones = [
      ...new Set(
        posted.flatMap((manifest) =>
          manifest.parcels.flatMap((parcel) => [
            ...phoneForms(parcel.shipper),
            ...phoneForms(parcel.consignee),
          ]),
        ),
      ),
    ];
    const forbidden = [
      ...secrets.map((value) => ({ what: 'partner secret', value })),
      { what: 'salt', value: stack.partyKeySalt },
      { what: 'bearer token', value: BEARER_TOKEN },
      { what: 'bearer token signature', value: BEARER_TOKEN.split('.')[2]! },
      ...phones.map((value) => ({ what: 'phone', value })),
    ];
    // Act
    const leaks = forbidden.flatMap(({ what, value }) =>
      lines.filter((line) => line.includes(value)).map((line) => ({ what, value, line })),
    );
    // Assess
    expect(phones.length).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });
});
