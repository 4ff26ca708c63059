import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { NotFoundError } from '../platform/errors.js';
import type { ConsoleAsset, ConsoleAssets } from '../ports/console-assets.js';

/**
 * What the page may do: run its own script and styles, call its own origin's API, and nothing else.
 * No inline script or style, no other origin (no CDN, no fonts), no framing, no form posts elsewhere.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // Revalidate on every load: a deployment changes the files under the same names.
  'cache-control': 'no-cache',
};

const respond = (asset: ConsoleAsset): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: { ...SECURITY_HEADERS, 'content-type': asset.contentType },
  body: asset.body,
});

/** `GET /console` answers the page; `GET /console/{asset}` one of its files, or 404. */
export const makeServeConsole =
  (assets: ConsoleAssets) =>
  (asset: string | undefined): APIGatewayProxyStructuredResultV2 => {
    if (asset === undefined) return respond(assets.page);
    const file = assets.files.get(asset);
    if (file === undefined) throw new NotFoundError(`the console has no file ${asset}`);
    return respond(file);
  };
