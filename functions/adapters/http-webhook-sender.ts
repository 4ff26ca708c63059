import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddressReason } from '../core/webhooks/callback-url.js';
import { AppError, DependencyError, isAppError } from '../platform/errors.js';
import type { WebhookAnswer, WebhookSender } from '../ports/webhook-sender.js';

/** Every address a host name resolves to, as `dns.lookup` with `all: true` answers. */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface HttpWebhookSenderOptions {
  /** How long a callback has to answer (resolution, connection and response headers), in ms. */
  timeoutMs: number;
  /** The embedded stack's loopback test receivers: loopback addresses allowed (never in AWS). */
  localReceivers: boolean;
  /** Resolves host names: `dns.lookup` (every address) unless given. */
  lookup?: ResolveHost;
}

const resolveWithDns: ResolveHost = (hostname) => dnsLookup(hostname, { all: true });

/** A callback that can never be delivered to: the same code as a URL the callback URL rule refuses. */
const notDeliverable = (message: string, details: Record<string, unknown>): AppError =>
  new AppError('CALLBACK_NOT_DELIVERABLE', message, { details });

/**
 * Outbound webhooks with node:http(s): no redirects followed (a callback URL is exact), a hard timeout,
 * the response body discarded. The address checked is the address connected to: the request resolves
 * its host through `lookup` below, which refuses the host when any address it resolves to is in a
 * range the callback URL rule refuses (`refusedAddressReason`), and otherwise hands the connection only
 * the addresses it checked; an IP literal host, which is never looked up, is checked the same way. So a
 * public-looking name that resolves, or rebinds between check and connect, to a private, loopback or
 * metadata address is never connected to. Each post resolves afresh on a connection of its own (no
 * shared agent, so no pooled socket skips the check).
 *
 * A refused address rejects with `CALLBACK_NOT_DELIVERABLE` (not retryable), as a refused callback URL
 * does; no answer in time, or a failed resolution or connection, rejects with a `DependencyError`.
 */
export class HttpWebhookSender implements WebhookSender {
  private readonly timeoutMs: number;
  private readonly localReceivers: boolean;
  private readonly resolveHost: ResolveHost;

  constructor(options: HttpWebhookSenderOptions) {
    this.timeoutMs = options.timeoutMs;
    this.localReceivers = options.localReceivers;
    this.resolveHost = options.lookup ?? resolveWithDns;
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<WebhookAnswer> {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    if (target.protocol !== 'https:' && target.protocol !== 'http:') {
      throw notDeliverable(`callback URL scheme ${target.protocol} is neither https nor http`, { url });
    }
    if (isIP(host) !== 0) {
      const reason = refusedAddressReason(host, this.localReceivers);
      if (reason !== undefined) {
        throw notDeliverable(`callback host ${host} is ${reason}`, { host, address: host, reason });
      }
    }
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      return await this.send(target, headers, body, signal);
    } catch (error) {
      if (isAppError(error)) throw error;
      if (signal.aborted) {
        throw new DependencyError(`callback did not answer within ${this.timeoutMs} ms`, error);
      }
      const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
      throw new DependencyError(`callback did not answer: ${cause}`, error);
    }
  }

  private send(
    target: URL,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<WebhookAnswer> {
    return new Promise((resolve, reject) => {
      let refusal: AppError | undefined;
      const lookup: LookupFunction = (hostname, options, callback) => {
        const checked = (addresses: readonly LookupAddress[]): void => {
          for (const { address } of addresses) {
            const reason = refusedAddressReason(address, this.localReceivers);
            if (reason !== undefined) {
              refusal = notDeliverable(`callback host ${hostname} resolves to ${reason} (${address})`, {
                host: hostname,
                address,
                reason,
              });
              callback(refusal, '');
              return;
            }
          }
          const family = options.family === 4 || options.family === 6 ? options.family : undefined;
          const usable = addresses.filter((address) => family === undefined || address.family === family);
          const [first] = usable;
          if (first === undefined) {
            callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
          } else if (options.all) {
            callback(null, usable);
          } else {
            callback(null, first.address, first.family);
          }
        };
        this.resolveHost(hostname)
          .then(checked, (error: NodeJS.ErrnoException) => callback(error, ''))
          .catch((error: Error) => request.destroy(error));
      };
      const request = (target.protocol === 'http:' ? httpRequest : httpsRequest)(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...headers,
          'content-length': String(Buffer.byteLength(body)),
        },
        agent: false,
        lookup,
        signal,
      });
      request.on('response', (response) => {
        response.on('error', () => {});
        response.destroy();
        const retryAfter = response.headers['retry-after'];
        resolve({
          status: response.statusCode ?? 0,
          ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
        });
      });
      request.on('error', (error) => reject(refusal ?? error));
      request.end(body);
    });
  }
}
