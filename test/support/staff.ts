import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { expect } from 'vitest';
import { FileOfficeDirectory } from '../../functions/adapters/file-office-directory.js';
import type { Actor, StaffPrincipal } from '../../functions/core/access/roles.js';
import { findDevUser, mintDevToken } from '../../functions/local/dev-issuer.js';
import { type EmbeddedStack, REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { statusSigningPayload } from '../../functions/partner-status/get-manifest-status.js';
import type { AuditLog } from '../../functions/ports/audit-log.js';
import type { ReviewQueue } from '../../functions/ports/review-queue.js';
import type { ReviewDeps } from '../../functions/review/review-deps.js';

export interface ApiResult {
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  text: string;
  body: any;
}

const toResult = async (response: Response): Promise<ApiResult> => {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  const { headers } = response;
  return {
    status: response.status,
    contentType: headers.get('content-type'),
    cacheControl: headers.get('cache-control'),
    text,
    body,
  };
};

/** A dev token for a seeded user (functions/local/dev-users.json), e.g. tokenFor('officer', 'wuzhou'). */
export const tokenFor = (role: string, username?: string): Promise<string> =>
  mintDevToken(findDevUser(role, username));

/** A request to the local API as a member of staff; no token sends an anonymous request. */
export const asStaff = async (
  apiUrl: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResult> =>
  toResult(
    await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

/** An officer's outcome body: a seizure, with what was found, how much and where it was hidden. */
export const SEIZURE = {
  outcome: 'seized',
  seizure: {
    substance: 'methamphetamine',
    quantity: { amount: 4.2, unit: 'kg' },
    concealment: 'hollowed furniture panel',
  },
};

/**
 * The demo's Ruili furniture parcel (held by the default rule set) claimed and seized by the Wuzhou
 * officer, as the backtest and shadow reports need an outcome to compare.
 */
export const seizeRuiliParcel = async (apiUrl: string): Promise<void> => {
  const wuzhou = await tokenFor('officer', 'wuzhou');
  const path = '/v1/inspections/southwest-freight/SWF7781000123';
  expect((await asStaff(apiUrl, wuzhou, 'POST', `${path}/claim`)).status).toBe(200);
  const seizure = {
    outcome: 'seized',
    seizure: { substance: 'heroin', quantity: { amount: 46, unit: 'kg' }, concealment: 'carved panel' },
  };
  expect((await asStaff(apiUrl, wuzhou, 'POST', `${path}/outcome`, seizure)).status).toBe(200);
};

/** GET /v1/manifests/{id} as the partner: the request line signed with its webhook secret. */
export const partnerStatus = async (
  stack: EmbeddedStack,
  partnerId: string,
  manifestId: string,
  options: { secret?: string; asPartner?: string } = {},
): Promise<ApiResult> => {
  const secret =
    options.secret ?? stack.partners.find((partner) => partner.partnerId === partnerId)!.secrets[0]!.secret;
  const webhookId = `msg_status_${Math.random().toString(36).slice(2)}`;
  const now = new Date();
  const signature = new Webhook(secret).sign(webhookId, now, statusSigningPayload(manifestId));
  return toResult(
    await fetch(`${stack.apiUrl}/v1/manifests/${encodeURIComponent(manifestId)}`, {
      headers: {
        'partner-id': options.asPartner ?? partnerId,
        'webhook-id': webhookId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
    }),
  );
};

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A partner's callback endpoint on loopback: records every delivery and answers with `status`. */
export const startCallbackReceiver = async (
  status = 204,
): Promise<{
  url: string;
  received: ReceivedWebhook[];
  setStatus(next: number): void;
  stop(): Promise<void>;
}> => {
  const received: ReceivedWebhook[] = [];
  let answer = status;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/parcelguard/referrals`,
    received,
    setStatus: (next) => {
      answer = next;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/**
 * A dependency a use case must not call (a claim or a release feeds no history, statistics or
 * decisions): any call fails the test, naming the method and why it was not expected.
 */
export const mustNotBeCalled = (why: string): never =>
  new Proxy(
    {},
    {
      get: (_target, name) => () => {
        throw new Error(`${String(name)} is not called ${why}`);
      },
    },
  ) as never;

/** An officer of the Wuzhou customs office, as the review use cases receive them after authorization. */
export const wuzhouOfficer = (username: string): { principal: StaffPrincipal; actor: Actor } => ({
  principal: { subject: `sub-${username}`, username, roles: ['officer'], offices: ['wuzhou-customs'] },
  actor: { subject: `sub-${username}`, username, role: 'officer' },
});

/**
 * What claims and releases need, on the given queue and audit log: they feed no history, statistics or
 * decisions, so those fail the test if called. Offices from the reference hierarchy, 30-minute leases.
 */
export const claimAndReleaseDeps = (
  reviewQueue: ReviewQueue,
  auditLog: AuditLog,
  now: () => Date,
): ReviewDeps => {
  const unused = mustNotBeCalled('by a claim or a release');
  return {
    reviewQueue,
    auditLog,
    decisions: unused,
    history: unused,
    ruleStatistics: unused,
    offices: new FileOfficeDirectory(`${REPO_ROOT}/rules/reference/offices.yaml`).load(),
    clock: { now },
    leaseMinutes: 30,
    pageSize: 25,
  };
};
