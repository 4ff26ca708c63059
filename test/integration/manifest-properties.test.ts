import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, SQSBatchResponse } from 'aws-lambda';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTENT_CATEGORIES,
  type GoodsLine,
  hasPhoneDigits,
  MANIFEST_LIMITS,
  type Manifest,
  ManifestSchema,
  PAYMENT_METHODS,
  type Parcel,
  type Party,
  PartySchema,
  type Place,
  SAFE_TEXT,
  SMALLEST_MEASURE,
  showsText,
  TransportSchema,
} from '../../events/manifest-v1.js';
import { FileOfficeDirectory } from '../../functions/adapters/file-office-directory.js';
import { isInspectionOffice } from '../../functions/core/access/offices.js';
import { type EmbeddedStack, REPO_ROOT, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { dynamoDbError, type Fault, FaultPlan, sqsError } from '../../functions/local/fault-proxy.js';
import { FUNCTIONS } from '../../infra/definitions.js';
import { scanAll, storedParcelsOf } from '../support/embedded.js';
import { aContext, anHttpEvent, anSqsEvent } from '../support/lambda.js';

/**
 * Properties of ingest over generated manifests, valid and invalid, built from the constraints of
 * manifest contract v1 (events/manifest-v1.ts). The handlers are called in process as Lambda calls
 * them, against the embedded stack's tables and queues.
 */

type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;
type SqsHandler = (event: ReturnType<typeof anSqsEvent>, context: unknown) => Promise<SQSBatchResponse>;

const PARTNER = 'pearl-express';
const OFFICES = new FileOfficeDirectory(resolve(REPO_ROOT, 'rules/reference/offices.yaml')).load();
/** Where parcels may be routed: the offices and checkpoints officers work. */
const INSPECTION_OFFICES = [...OFFICES.offices.keys()].filter((id) => isInspectionOffice(OFFICES, id));

// ---- arbitraries from the contract's constraints --------------------------------------------------

const idArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,40}$/);
/**
 * Non-blank text within a bound that the contract takes; graphemes, so CJK and emoji but never lone
 * surrogates, none of the characters SAFE_TEXT refuses (bidirectional marks, line separators), and not
 * only invisible characters (showsText).
 */
const textArb = (max: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 40) })
    // Graphemes may hold several code points each: the contract counts code points, after trimming.
    .filter(
      (value) =>
        value.trim().length > 0 &&
        [...value.trim()].length <= max &&
        SAFE_TEXT.test(value) &&
        showsText(value),
    );
const countryArb = fc.stringMatching(/^[A-Z]{2}$/);
const currencyArb = fc.stringMatching(/^[A-Z]{3}$/);
const phoneArb = fc.stringMatching(/^[+0-9 ()\-－（）＋０-９]{5,32}$/).filter(hasPhoneDigits);
const emailArb = fc.emailAddress().filter((email) => PartySchema.shape.email.safeParse(email).success);
const positive = (max: number) =>
  fc.double({ min: SMALLEST_MEASURE, max, noNaN: true, noDefaultInfinity: true });
const nonNegative = (max: number) => fc.oneof(fc.constant(0), positive(max));

const placeArb: fc.Arbitrary<Place> = fc.record(
  { country: countryArb, region: textArb(100), city: textArb(100) },
  { requiredKeys: ['country', 'city'] },
);

const partyArb: fc.Arbitrary<Party> = fc.record(
  {
    name: textArb(MANIFEST_LIMITS.maxName),
    address: fc.record(
      {
        country: countryArb,
        region: textArb(100),
        city: textArb(100),
        postcode: textArb(16),
        line: textArb(MANIFEST_LIMITS.maxText),
      },
      { requiredKeys: ['country', 'region', 'city', 'line'] },
    ),
    phone: phoneArb,
    email: emailArb,
    idDocument: fc.record({
      type: fc.constantFrom('national-id', 'passport', 'business-licence', 'other' as const),
      number: textArb(64),
    }),
  },
  { requiredKeys: ['name', 'address', 'phone'] },
);

const goodsLineArb: fc.Arbitrary<GoodsLine> = fc.record({
  description: textArb(MANIFEST_LIMITS.maxText),
  hsCode: fc.stringMatching(/^\d{6,10}$/),
  quantity: positive(1e6),
  declaredValue: fc.record({ amount: nonNegative(1e9), currency: currencyArb }),
});

const parcelArb = (parcelId: string): fc.Arbitrary<Parcel> =>
  fc.record(
    {
      parcelId: fc.constant(parcelId),
      shipper: partyArb,
      consignee: partyArb,
      route: fc.record({
        origin: placeArb,
        via: fc.array(placeArb, { maxLength: 3 }),
        destination: placeArb,
        inspectionOffice: fc.constantFrom(...INSPECTION_OFFICES),
      }),
      goods: fc.array(goodsLineArb, { minLength: 1, maxLength: 3 }),
      pieceCount: fc.integer({ min: 1, max: 10_000 }),
      declaredGrossWeightKg: positive(50_000),
      measuredWeightKg: positive(50_000),
      dimensions: fc.record({ lengthCm: positive(2000), widthCm: positive(2000), heightCm: positive(2000) }),
      paymentMethod: fc.constantFrom(...PAYMENT_METHODS),
      contentCategory: fc.constantFrom(...CONTENT_CATEGORIES),
    },
    {
      requiredKeys: [
        'parcelId',
        'shipper',
        'consignee',
        'route',
        'goods',
        'pieceCount',
        'declaredGrossWeightKg',
        'paymentMethod',
        'contentCategory',
      ],
    },
  );

let manifestSequence = 0;
/** Valid manifests; each gets a fresh manifest id so that runs never replay one another. */
const manifestArb: fc.Arbitrary<Manifest> = fc
  .uniqueArray(idArb, { minLength: 1, maxLength: 6 })
  .chain((parcelIds) =>
    fc.record({
      submittedAt: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
      transport: fc.record(
        {
          mode: fc.constantFrom(...TransportSchema.shape.mode.options),
          masterDocumentNumber: idArb,
          placeOfLoading: placeArb,
          placeOfUnloading: placeArb,
          conveyanceReference: textArb(64),
        },
        { requiredKeys: ['mode', 'masterDocumentNumber', 'placeOfLoading', 'placeOfUnloading'] },
      ),
      parcels: fc.tuple(...parcelIds.map(parcelArb)),
    }),
  )
  .map(({ submittedAt, transport, parcels }) => {
    manifestSequence += 1;
    const manifestId = `PBT-${manifestSequence}`;
    return {
      manifestId,
      partnerId: PARTNER,
      submittedAt: submittedAt.toISOString(),
      transport,
      // A parcel id names one parcel: ids from another manifest of the run would be refused as reused.
      parcels: parcels.map((parcel) => ({ ...parcel, parcelId: `${manifestId}.${parcel.parcelId}` })),
    };
  });

/** One way to break a valid manifest, and the JSON path the answer must name. */
interface Breakage {
  name: string;
  break: (manifest: Manifest) => { body: unknown; path: string } | undefined;
}

/** A manifest as a breakage edits it: any field may be given a value of the wrong type. */
type Loose = Record<string, any>;

const setAt = (manifest: Manifest, edit: (copy: Loose) => void): unknown => {
  const copy = structuredClone(manifest) as Loose;
  edit(copy);
  return copy;
};

const breakages = (index: number, junk: string): Breakage[] => [
  {
    name: 'required field missing',
    break: (m) => {
      const i = index % m.parcels.length;
      return { body: setAt(m, (c) => delete c.parcels[i].consignee), path: `parcels[${i}].consignee` };
    },
  },
  {
    name: 'HS code not 6-10 digits',
    break: (m) => {
      const i = index % m.parcels.length;
      if (/^\d{6,10}$/.test(junk)) return undefined;
      return {
        body: setAt(m, (c) => (c.parcels[i].goods[0].hsCode = junk)),
        path: `parcels[${i}].goods[0].hsCode`,
      };
    },
  },
  {
    name: 'unknown field',
    break: (m) => {
      const i = index % m.parcels.length;
      return { body: setAt(m, (c) => (c.parcels[i].unexpected = junk)), path: `parcels[${i}].unexpected` };
    },
  },
  {
    name: 'negative weight',
    break: (m) => {
      const i = index % m.parcels.length;
      return {
        body: setAt(m, (c) => (c.parcels[i].declaredGrossWeightKg = -1 - index)),
        path: `parcels[${i}].declaredGrossWeightKg`,
      };
    },
  },
  {
    name: 'value too fine to store',
    break: (m) => {
      const i = index % m.parcels.length;
      return {
        body: setAt(m, (c) => (c.parcels[i].goods[0].declaredValue.amount = Number.MIN_VALUE)),
        path: `parcels[${i}].goods[0].declaredValue.amount`,
      };
    },
  },
  {
    name: 'name over its length',
    break: (m) => {
      const i = index % m.parcels.length;
      return {
        body: setAt(m, (c) => (c.parcels[i].shipper.name = 'x'.repeat(MANIFEST_LIMITS.maxName + 1))),
        path: `parcels[${i}].shipper.name`,
      };
    },
  },
  {
    name: 'wrong type',
    break: (m) => {
      const i = index % m.parcels.length;
      return {
        body: setAt(m, (c) => (c.parcels[i].pieceCount = String(c.parcels[i].pieceCount))),
        path: `parcels[${i}].pieceCount`,
      };
    },
  },
  {
    name: 'country not ISO alpha-2',
    break: (m) => ({
      body: setAt(m, (c) => (c.transport.placeOfLoading.country = 'cn')),
      path: 'transport.placeOfLoading.country',
    }),
  },
  {
    name: 'duplicate house document number',
    break: (m) => {
      if (m.parcels.length < 2) return undefined;
      return {
        body: setAt(m, (c) => (c.parcels[1].parcelId = c.parcels[0].parcelId)),
        path: 'parcels[1].parcelId',
      };
    },
  },
  {
    name: 'no parcels',
    break: (m) => ({ body: setAt(m, (c) => (c.parcels = [])), path: 'parcels' }),
  },
  {
    name: 'timestamp not ISO 8601',
    break: (m) => ({ body: setAt(m, (c) => (c.submittedAt = `${junk}yesterday`)), path: 'submittedAt' }),
  },
];

const brokenManifestArb = fc
  .tuple(manifestArb, fc.nat(), fc.nat(), fc.string({ maxLength: 12 }))
  .map(([manifest, which, index, junk]) => {
    const all = breakages(index, junk);
    const breakage = all[which % all.length]!;
    return { manifest, name: breakage.name, broken: breakage.break(manifest) };
  })
  .filter((candidate) => candidate.broken !== undefined);

// ---- the tests ------------------------------------------------------------------------------------

describe('ingest over generated manifests', () => {
  const faults = new FaultPlan();
  let stack: EmbeddedStack;
  let ingest: HttpHandler;
  let screen: SqsHandler;
  let secret: string;

  const post = async (body: string): Promise<APIGatewayProxyStructuredResultV2> => {
    const id = `msg_${Math.random().toString(36).slice(2)}`;
    // One instant for the signature and its header: two clock reads could straddle a second and
    // sign another timestamp than the one sent (a rare 401).
    const now = new Date();
    const signature = new Webhook(secret).sign(id, now, body);
    const event = anHttpEvent({
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
    });
    return ingest(event, aContext('ingest'));
  };

  const storedParcels = (manifestId: string) =>
    storedParcelsOf(stack.db, stack.tables.parcels, PARTNER, manifestId);

  const expectProblem = (response: APIGatewayProxyStructuredResultV2, status: number) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    return JSON.parse(String(response.body)) as { status: number; errors?: { path: string }[] };
  };

  beforeAll(async () => {
    stack = await startEmbeddedStack({ faults, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    const load = async <T>(entry: string) =>
      ((await import(pathToFileURL(resolve(REPO_ROOT, entry)).href)) as { handler: T }).handler;
    ingest = await load<HttpHandler>(FUNCTIONS.ingest.entry);
    screen = await load<SqsHandler>(FUNCTIONS.screen.entry);
    secret = stack.partners.find((partner) => partner.partnerId === PARTNER)!.secrets[0]!.secret;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('accepts every valid manifest and stores all of its parcels as the contract parses them', async () => {
    await fc.assert(
      fc.asyncProperty(manifestArb, async (manifest) => {
        // Act
        const response = await post(JSON.stringify(manifest));
        // Assess
        expect(response.statusCode).toBe(202);
        expect(JSON.parse(String(response.body))).toMatchObject({
          manifestId: manifest.manifestId,
          parcelCount: manifest.parcels.length,
        });
        const stored = await storedParcels(manifest.manifestId);
        const byId = (a: Parcel, b: Parcel) => (a.parcelId < b.parcelId ? -1 : 1);
        expect(stored.map((record) => record.parcel).sort(byId)).toEqual(
          [...ManifestSchema.parse(manifest).parcels].sort(byId),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('rejects every invalid manifest with 422 naming the failing JSON path, and stores none of its parcels', async () => {
    await fc.assert(
      fc.asyncProperty(brokenManifestArb, async ({ manifest, broken }) => {
        // Act
        const response = await post(JSON.stringify(broken!.body));
        // Assess
        const problem = expectProblem(response, 422);
        expect(problem.errors?.map((error) => error.path)).toContain(broken!.path);
        expect(await storedParcels(manifest.manifestId)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('answers any signed body with a response, never an unhandled error: 202 or a 4xx problem document', async () => {
    const bodyArb = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      fc
        .jsonValue({ maxDepth: 20 })
        .map((value) => JSON.stringify({ partnerId: PARTNER, manifestId: 'JUNK', value })),
      manifestArb.map((manifest) => JSON.stringify(manifest).slice(0, -3)),
    );
    await fc.assert(
      fc.asyncProperty(bodyArb, async (body) => {
        // Act
        const response = await post(body);
        // Assess
        const status = response.statusCode ?? 0;
        if (status === 202) return;
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
        expect(response.headers?.['content-type']).toBe('application/problem+json');
      }),
      { numRuns: 80 },
    );
  });

  it('leaves a manifest whole after a failure mid-store: the answer is 202 or 503, and the partner’s retry completes it', async () => {
    const failures: fc.Arbitrary<{ operation: string; resource: () => string; fault: () => Fault }> =
      fc.constantFrom(
        {
          operation: 'PutItem',
          resource: () => stack.tables.parcels,
          fault: () => dynamoDbError('InternalServerError', 500),
        },
        {
          operation: 'PutItem',
          resource: () => stack.tables.parcels,
          fault: () => dynamoDbError('ProvisionedThroughputExceededException'),
        },
        {
          operation: 'SendMessageBatch',
          resource: () => stack.queues.screening.url.split('/').pop()!,
          fault: () => sqsError('InternalError', 500),
        },
        {
          operation: 'UpdateItem',
          resource: () => stack.tables.manifests,
          fault: () => dynamoDbError('InternalServerError', 500),
        },
      );
    await fc.assert(
      fc.asyncProperty(
        manifestArb,
        failures,
        fc.integer({ min: 0, max: 2 }),
        async (manifest, failure, skip) => {
          // Prepare
          const injected = faults.inject({
            operation: failure.operation,
            resource: failure.resource(),
            skip,
            times: 3,
            fault: failure.fault(),
          });
          const body = JSON.stringify(manifest);
          // Act
          let first: APIGatewayProxyStructuredResultV2;
          try {
            first = await post(body);
          } finally {
            injected.clear();
          }
          const retry = await post(body);
          // Assess
          expect([202, 503]).toContain(first.statusCode);
          if (first.statusCode === 503) expectProblem(first, 503);
          expect(retry.statusCode).toBe(202);
          expect((await storedParcels(manifest.manifestId)).length).toBe(manifest.parcels.length);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('settles every malformed screening message as a batch item failure, never by throwing, and decides nothing', async () => {
    await stack.waitForIdle(25_000); // the manifests accepted above are screened by now
    const before = (await scanAll(stack.db, stack.tables.decisions)).length;
    const bodyArb = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.json({ maxDepth: 3 }),
      fc
        .record({
          type: fc.constant('ScreeningRequested'),
          version: fc.constant(1),
          items: fc.jsonValue({ maxDepth: 3 }),
        })
        .map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(bodyArb, { minLength: 1, maxLength: 10 }), async (bodies) => {
        // Act
        const event = anSqsEvent(bodies);
        const result = await screen(event, aContext('screen'));
        // Assess
        expect(result.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
          event.Records.map((record) => record.messageId).sort(),
        );
      }),
      { numRuns: 50 },
    );
    expect((await scanAll(stack.db, stack.tables.decisions)).length).toBe(before);
  });
});
