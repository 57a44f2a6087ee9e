/** Host names: short-name resolution, wildcard matching, and virtual host domains. */

/** Istio's ResolveShortnameToFQDN: mesh-api's `toFqdn`, the one rule for short names. */
export { toFqdn as resolveHost } from '@trellis/mesh-api';

function wildcardCovers(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.startsWith('*')) return false;
  return host.endsWith(pattern.slice(1));
}

/**
 * The intersection of two host patterns ("*", "*.example.com" or exact), as the more specific of
 * the two, or undefined when they don't overlap.
 */
export function intersectHosts(a: string, b: string): string | undefined {
  if (a === b) return a;
  if (wildcardCovers(a, b)) return b;
  if (wildcardCovers(b, a)) return a;
  return undefined;
}

/** Strip a Gateway server's `namespace/` host prefix (`./reviews`, `*\/reviews`). */
export function stripNamespacePrefix(host: string): string {
  const slash = host.indexOf('/');
  return slash < 0 ? host : host.slice(slash + 1);
}

export interface DomainSource {
  hostname: string;
  name: string;
  namespace: string;
  kubernetes: boolean;
  addresses: readonly string[];
}

function withPort(hosts: readonly string[], port: number): string[] {
  return hosts.flatMap((h) => [h, `${h}:${port}`]);
}

/**
 * Virtual host domains (istio `generateVirtualHostDomains`): FQDN, then the short forms a client
 * in the proxy's namespace may use, then VIPs; each also with `:port`.
 */
export function serviceDomains(svc: DomainSource, port: number, proxyNamespace: string, domainSuffix: string): string[] {
  const names = [svc.hostname];
  const kubeSuffix = `.${svc.namespace}.svc.${domainSuffix}`;
  if (svc.kubernetes && svc.hostname.endsWith(kubeSuffix)) {
    const short = svc.hostname.slice(0, -kubeSuffix.length);
    if (proxyNamespace === svc.namespace) names.push(short);
    names.push(`${short}.${svc.namespace}`, `${short}.${svc.namespace}.svc`);
  }
  names.push(...svc.addresses);
  return withPort(names, port);
}
