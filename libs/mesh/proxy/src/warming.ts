import type { ProxyContext } from './proxy-context';
import type { SecureContextSource } from './tls/secure-context-source';

/*
 * Envoy's warming, for readiness: a cluster or listener whose TLS context names SDS secrets is not
 * ready until they arrive (Istio sets initial_fetch_timeout 0: wait). /healthz/ready stays 503 until
 * every TLS context of the config in force can build, so the kubelet (or the local runner) does not
 * send traffic to a sidecar that would answer 503 UF for want of its workload certificate.
 */

function* tlsSources(ctx: ProxyContext): IterableIterator<[string, SecureContextSource]> {
  for (const c of ctx.clusters.all()) {
    if (c.config.tls !== undefined) yield [`cluster ${c.config.name}`, c.config.tls.contexts];
    for (const m of c.config.socketMatches) if (m.tls !== undefined) yield [`cluster ${c.config.name}`, m.tls.contexts];
  }
  for (const l of ctx.listeners.values()) {
    for (const chain of l.chains) if (chain.tls !== undefined) yield [`listener ${l.name}`, chain.tls.contexts];
  }
}

/** The resources still warming (their SDS secrets are missing), in config order, without repeats. */
export function warmingResources(ctx: ProxyContext): string[] {
  const out = new Set<string>();
  for (const [resource, source] of tlsSources(ctx)) if (source.current() === undefined) out.add(resource);
  return [...out];
}
