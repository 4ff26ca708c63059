/**
 * API Gateway route paths (`/v1/inspections/{partnerId}/{parcelId}/claim`) as matchers: the path
 * parameters of a request path, or undefined when it does not match (or a parameter is not valid
 * percent-encoding, which names nothing).
 */
export const pathMatcher = (template: string) => {
  const names: string[] = [];
  const pattern = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${pattern}$`);
  return (path: string): Record<string, string> | undefined => {
    const match = regex.exec(path);
    if (!match) return undefined;
    try {
      return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
    } catch {
      return undefined;
    }
  };
};

/**
 * The methods routes serve at a path (sorted), for `405` and its `allow` header; none: the path is
 * unknown. The routes' matchers are built once, not per request.
 */
export const methodsServed = (
  routes: readonly { method: string; path: string }[],
): ((path: string) => string[]) => {
  const matchers = routes.map((route) => ({ method: route.method, match: pathMatcher(route.path) }));
  return (path) =>
    [
      ...new Set(matchers.filter(({ match }) => match(path) !== undefined).map(({ method }) => method)),
    ].sort();
};
