/** Host names as Istio qualifies them: the one place a short name becomes `name.namespace.svc.<suffix>`. */

export const DEFAULT_DOMAIN_SUFFIX = 'cluster.local';

/** A Kubernetes Service's own host name: `reviews.default.svc.cluster.local`. */
export function serviceHostname(name: string, namespace: string, domainSuffix = DEFAULT_DOMAIN_SUFFIX): string {
  return `${name}.${namespace}.svc.${domainSuffix}`;
}

/**
 * Istio's ResolveShortnameToFQDN (ConvertHostToFQDN): a short name (`reviews`) is relative to the
 * namespace of the config that mentions it (`reviews.default.svc.cluster.local`). Taken as given:
 * anything with a dot (already qualified, or `reviews.default`), wildcards (`*`, `*.example.com`),
 * IPv6 literals, and the empty string.
 */
export function toFqdn(host: string, namespace: string, domainSuffix = DEFAULT_DOMAIN_SUFFIX): string {
  if (host === '' || host.includes('.') || host.includes('*') || host.includes(':')) return host;
  return serviceHostname(host, namespace, domainSuffix);
}

/**
 * The FQDNs a host can name, as Kubernetes DNS resolves it: `toFqdn` first, then the completion of a
 * partially qualified service name (`reviews.default` and `reviews.default.svc` →
 * `reviews.default.svc.cluster.local`, istioctl's extendFQDN).
 */
export function hostCandidates(host: string, namespace: string, domainSuffix = DEFAULT_DOMAIN_SUFFIX): string[] {
  const fqdn = toFqdn(host, namespace, domainSuffix);
  const out = [fqdn];
  if (fqdn.split('.').length === 2) out.push(`${fqdn}.svc.${domainSuffix}`);
  if (fqdn.endsWith('.svc')) out.push(`${fqdn}.${domainSuffix}`);
  return out;
}
