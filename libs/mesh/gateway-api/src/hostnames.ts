/** Gateway API hostname intersection (listener hostname × route hostnames), wildcards `*.` as the spec defines. */

function covers(wildcard: string, host: string): boolean {
  if (!wildcard.startsWith('*.')) return wildcard === host;
  const suffix = wildcard.slice(1); // ".example.com"
  return host.endsWith(suffix) && host.length > suffix.length;
}

/** The more specific of two hostnames when one matches the other; undefined when they do not intersect. */
export function intersect(a: string, b: string): string | undefined {
  if (a === b) return a;
  if (covers(a, b)) return b;
  if (covers(b, a)) return a;
  return undefined;
}

/**
 * The hosts a route serves on a listener: the route's hostnames intersected with the listener's
 * hostname (none on either side = everything: `*`). Empty = no hostname matched.
 */
export function routeHostsOnListener(listenerHostname: string | undefined, routeHostnames: readonly string[] | undefined): string[] {
  const route = routeHostnames ?? [];
  if (route.length === 0) return [listenerHostname ?? '*'];
  if (listenerHostname === undefined) return [...route];
  return [...new Set(route.map((h) => intersect(listenerHostname, h)).filter((h): h is string => h !== undefined))];
}
