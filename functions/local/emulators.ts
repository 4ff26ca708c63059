import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { buildApp as buildFauxqs } from 'fauxqs';
import { type FaultPlan, type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { LOCAL_REGION } from './stack-environment.js';
import { startInParts } from './started-parts.js';

/** Where the SDK clients reach each service: through the fault proxies, when there are any. */
export interface EmulatorEndpoints {
  dynamodb: string;
  sqs: string;
  s3: string;
}

export interface Emulators {
  endpoints: EmulatorEndpoints;
  /** Stops the fault proxies, then fauxqs, then dynalite. */
  stop(): Promise<void>;
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });

/**
 * fauxqs (SQS and S3) on the loopback interface, as dynalite and the local API are: its own startFauxqs
 * listens on every interface, where anyone on the network could read the queues, put a screening message
 * no partner signed, or overwrite the local audit anchors.
 */
const startLocalSqsAndS3 = async (): Promise<{ port: number; stop: () => Promise<void> }> => {
  const app = buildFauxqs({ logger: false, defaultRegion: LOCAL_REGION });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as AddressInfo).port, stop: () => app.close() };
};

/**
 * dynalite (DynamoDB) and fauxqs (SQS and S3) in process on 127.0.0.1, with a fault proxy in front of
 * each of DynamoDB and SQS when `faults` is given.
 */
export const startEmulators = (faults: FaultPlan | undefined): Promise<Emulators> =>
  startInParts(async (parts) => {
    const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const dynamoPort = await listen(dynamo);
    parts.add(() => new Promise<void>((resolveClose) => dynamo.close(() => resolveClose())));
    const fauxqs = await startLocalSqsAndS3();
    parts.add(() => fauxqs.stop());
    const proxies: FaultProxy[] = [];
    if (faults !== undefined) {
      for (const port of [dynamoPort, fauxqs.port]) {
        const proxy = await startFaultProxy(`http://127.0.0.1:${port}`, faults);
        parts.add(() => proxy.stop());
        proxies.push(proxy);
      }
    }
    return {
      endpoints: {
        dynamodb: proxies[0]?.url ?? `http://127.0.0.1:${dynamoPort}`,
        sqs: proxies[1]?.url ?? `http://127.0.0.1:${fauxqs.port}`,
        // fauxqs serves S3 too (no object lock there: anchors can be overwritten locally, never in AWS).
        s3: `http://127.0.0.1:${fauxqs.port}`,
      },
      stop: () => parts.stopAll(),
    };
  });
