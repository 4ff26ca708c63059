import { ROUTES } from '../../infra/definitions.js';
import { makeLocalJwtAuthorizer } from './dev-issuer.js';
import { DEFAULT_ROUTE, startHttpServer } from './http-server.js';
import type { LocalFunctions } from './local-functions.js';

export interface LocalApi {
  url: string;
  stop(): Promise<void>;
}

/**
 * Plays the HTTP API: every route of infra/definitions.ts to its function, staff routes behind the JWT
 * authorizer, and every other request to `noRoute` ($default).
 */
export const startLocalApi = async (functions: LocalFunctions, port: number): Promise<LocalApi> => {
  const jwtAuthorizer = await makeLocalJwtAuthorizer();
  const { server, url } = await startHttpServer(
    [
      ...ROUTES.map((route) => ({
        method: route.method,
        path: route.path,
        handler: functions.handlerOf(route.functionName) as never,
        context: functions.contextFor(route.functionName),
        ...(route.auth === 'staff' ? { authorize: jwtAuthorizer } : {}),
      })),
      {
        method: 'ANY',
        path: DEFAULT_ROUTE,
        handler: functions.handlerOf('noRoute') as never,
        context: functions.contextFor('noRoute'),
      },
    ],
    port,
  );
  return { url, stop: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())) };
};
