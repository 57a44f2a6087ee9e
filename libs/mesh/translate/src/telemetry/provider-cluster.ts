import type { TranslateContext } from '../context';
import { outboundClusterName } from '../naming';

/**
 * istiod's LookupCluster for an extension provider's `service`/`port`: `<host>` or `<namespace>/<host>`
 * naming a Service or ServiceEntry host the proxy sees; the cluster is `outbound|<port>||<host>`.
 * undefined when the host is unknown (istiod then leaves the provider out, counting a lookup failure).
 */
export function lookupProviderCluster(ctx: TranslateContext, service: string, port: number): { hostname: string; cluster: string } | undefined {
  const slash = service.indexOf('/');
  const hostname = slash < 0 ? service : service.slice(slash + 1);
  if (!ctx.serviceByHost.has(hostname)) return undefined;
  return { hostname, cluster: outboundClusterName(port, hostname) };
}
