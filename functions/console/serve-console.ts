import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { NotFoundError } from '../platform/errors.js';
import type { ConsoleAsset, ConsoleAssets } from '../ports/console-assets.js';

/** Where staff sign in: the authorization server (Cognito managed login) and the console's app client. */
export interface StaffSignIn {
  /** The authorization server's origin, e.g. `https://<prefix>.auth.<aws region>.amazoncognito.com`. */
  url: string;
  clientId: string;
}

/** The console's settings, served as `/console/config.json`: the page reads them at start. */
export const CONSOLE_CONFIG_FILE = 'config.json';

/**
 * What the page may do: run its own script and styles, call its own origin's API and, when staff sign
 * in through an authorization server, that server's origin (the token endpoint), and nothing else. No
 * inline script or style, no other origin (no CDN, no fonts), no framing, no form posts anywhere: the
 * page goes to the sign-in and sign-out pages by navigation, which `form-action` does not govern.
 */
export const consoleContentSecurityPolicy = (signIn?: StaffSignIn): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    signIn === undefined ? "connect-src 'self'" : `connect-src 'self' ${new URL(signIn.url).origin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

/** The policy of a console without an authorization server (a pasted token). */
export const CONSOLE_CONTENT_SECURITY_POLICY = consoleContentSecurityPolicy();

const securityHeaders = (signIn?: StaffSignIn): Record<string, string> => ({
  'content-security-policy': consoleContentSecurityPolicy(signIn),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // Revalidate on every load: a deployment changes the files under the same names.
  'cache-control': 'no-cache',
});

/**
 * `GET /console` answers the page; `GET /console/{asset}` one of its files, `config.json` (where staff
 * sign in, or `signIn: null` for a pasted token), or 404.
 */
export const makeServeConsole = (assets: ConsoleAssets, signIn?: StaffSignIn) => {
  const headers = securityHeaders(signIn);
  const respond = (asset: ConsoleAsset): APIGatewayProxyStructuredResultV2 => ({
    statusCode: 200,
    headers: { ...headers, 'content-type': asset.contentType },
    body: asset.body,
  });
  const config: ConsoleAsset = {
    contentType: 'application/json',
    body: JSON.stringify({
      signIn: signIn === undefined ? null : { url: new URL(signIn.url).origin, clientId: signIn.clientId },
    }),
  };
  return (asset: string | undefined): APIGatewayProxyStructuredResultV2 => {
    if (asset === undefined) return respond(assets.page);
    if (asset === CONSOLE_CONFIG_FILE) return respond(config);
    const file = assets.files.get(asset);
    if (file === undefined) throw new NotFoundError(`the console has no file ${asset}`);
    return respond(file);
  };
};
