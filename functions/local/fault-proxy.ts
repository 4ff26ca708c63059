import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting HTTP proxy for the embedded stack. It sits between the real SDK clients and
 * dynalite / fauxqs (the embedded stack points AWS_ENDPOINT_URL_* at it when asked), forwards every
 * request unchanged, and answers the requests a rule matches with a fault instead: an AWS error in the
 * service's own JSON shape, a dropped connection, or a delay. Adapters and handlers see exactly what
 * they would see from AWS; none of them knows the proxy exists.
 */

/** What a matched request gets instead of (or before) the real answer. */
export type Fault =
  /** An AWS JSON-protocol error response, e.g. 400 ProvisionedThroughputExceededException. */
  | { kind: 'error'; status: number; type: string; message: string; headers?: Record<string, string> }
  /** The connection is destroyed before the request reaches the service, as when a host drops it. */
  | { kind: 'drop' }
  /**
   * The request reaches the service and takes effect, but its answer is lost: the connection is
   * destroyed instead. The caller cannot tell whether its write happened, as after a crash or timeout.
   */
  | { kind: 'lose-answer' }
  /** The request is forwarded after a pause, e.g. to make a handler outlast its visibility timeout. */
  | { kind: 'delay'; ms: number };

/** The parsed request a rule looks at. */
export interface ProxiedRequest {
  /** The operation from `x-amz-target`, e.g. `PutItem`, `DeleteMessageBatch`. */
  operation: string;
  /** Table names (DynamoDB) or queue names (SQS) the request addresses. */
  resources: string[];
  /** The JSON request body. */
  body: Record<string, unknown>;
}

export interface FaultRule {
  operation: string;
  /** A table name or queue name the request must address; any when omitted. */
  resource?: string;
  /** A further condition on the request, e.g. one parcel's item. */
  when?: (request: ProxiedRequest) => boolean;
  /** Matching requests to let through before the first fault; 0 when omitted. */
  skip?: number;
  /** Matching requests to fault after the skipped ones; Infinity until the rule is cleared. */
  times: number;
  fault: Fault;
}

/** A rule once injected: how often it matched and how often it answered with its fault. */
export interface InjectedFault {
  readonly matched: number;
  readonly injected: number;
  /** Stops injecting: the fault is "fixed". */
  clear(): void;
}

interface ActiveRule extends FaultRule {
  matched: number;
  injected: number;
  active: boolean;
}

/** The faults to inject, shared by every proxy of one embedded stack. */
export class FaultPlan {
  private readonly rules: ActiveRule[] = [];

  inject(rule: FaultRule): InjectedFault {
    const active: ActiveRule = { ...rule, matched: 0, injected: 0, active: true };
    this.rules.push(active);
    return {
      get matched() {
        return active.matched;
      },
      get injected() {
        return active.injected;
      },
      clear: () => {
        active.active = false;
      },
    };
  }

  /** Counts the requests that match, without faulting any of them. */
  observe(rule: Omit<FaultRule, 'times' | 'fault' | 'skip'>): InjectedFault {
    return this.inject({ ...rule, times: 0, fault: { kind: 'drop' } });
  }

  /** Clears every rule. */
  clear(): void {
    for (const rule of this.rules) rule.active = false;
  }

  /** The fault for this request, if a rule wants one; counts the match either way. */
  decide(request: ProxiedRequest): Fault | undefined {
    for (const rule of this.rules) {
      if (!rule.active || rule.operation !== request.operation) continue;
      if (rule.resource !== undefined && !request.resources.includes(rule.resource)) continue;
      if (rule.when && !rule.when(request)) continue;
      rule.matched += 1;
      if (rule.matched <= (rule.skip ?? 0) || rule.injected >= rule.times) continue;
      rule.injected += 1;
      return rule.fault;
    }
    return undefined;
  }
}

/** DynamoDB's JSON error, e.g. `dynamoDbError('ProvisionedThroughputExceededException')`. */
export const dynamoDbError = (name: string, status = 400): Fault => ({
  kind: 'error',
  status,
  type: `com.amazonaws.dynamodb.v20120810#${name}`,
  message: `injected fault: ${name}`,
});

/** SQS's JSON error (AWS JSON 1.0 with the query-compatible error header the SDK reads). */
export const sqsError = (name: string, status = 400): Fault => ({
  kind: 'error',
  status,
  type: `com.amazonaws.sqs#${name}`,
  message: `injected fault: ${name}`,
  headers: { 'x-amzn-query-error': `${name};${status >= 500 ? 'Receiver' : 'Sender'}` },
});

const resourcesOf = (body: Record<string, unknown>): string[] => {
  const names: string[] = [];
  if (typeof body.TableName === 'string') names.push(body.TableName);
  if (body.RequestItems && typeof body.RequestItems === 'object')
    names.push(...Object.keys(body.RequestItems));
  if (typeof body.QueueUrl === 'string') names.push(body.QueueUrl.split('/').pop() ?? body.QueueUrl);
  if (typeof body.QueueName === 'string') names.push(body.QueueName);
  return names;
};

const parseRequest = (headers: IncomingMessage['headers'], raw: Buffer): ProxiedRequest => {
  const target = String(headers['x-amz-target'] ?? '');
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {};
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (another protocol): rules can still match on the operation alone.
  }
  return { operation: target.slice(target.lastIndexOf('.') + 1), resources: resourcesOf(body), body };
};

const readAll = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

export interface FaultProxy {
  /** The proxy's endpoint, to put in AWS_ENDPOINT_URL_*. */
  url: string;
  stop(): Promise<void>;
}

/** Starts a proxy on loopback in front of `upstream` (e.g. dynalite's endpoint), faulting as `plan` says. */
export const startFaultProxy = async (upstream: string, plan: FaultPlan): Promise<FaultProxy> => {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });

  const forward = (incoming: IncomingMessage, raw: Buffer, response: ServerResponse, loseAnswer = false) => {
    const outgoing = httpRequest(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host, 'content-length': String(raw.length) },
      },
      (answer) => {
        if (loseAnswer) {
          answer.resume();
          answer.on('end', () => incoming.socket.destroy());
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on('error', () => response.destroy());
    outgoing.end(raw);
  };

  const server: Server = createServer(async (incoming, response) => {
    let raw: Buffer;
    try {
      raw = await readAll(incoming);
    } catch {
      response.destroy();
      return;
    }
    const fault = plan.decide(parseRequest(incoming.headers, raw));
    if (!fault) {
      forward(incoming, raw, response);
      return;
    }
    if (fault.kind === 'drop') {
      incoming.socket.destroy();
      return;
    }
    if (fault.kind === 'lose-answer') {
      forward(incoming, raw, response, true);
      return;
    }
    if (fault.kind === 'delay') {
      setTimeout(() => forward(incoming, raw, response), fault.ms);
      return;
    }
    const body = JSON.stringify({ __type: fault.type, message: fault.message });
    response.writeHead(fault.status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(Buffer.byteLength(body)),
      'x-amzn-requestid': `fault-${Date.now()}`,
      ...fault.headers,
    });
    response.end(body);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
};
