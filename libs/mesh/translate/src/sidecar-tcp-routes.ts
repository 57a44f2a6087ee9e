import { labelsMatch, type TCPRoute, type VirtualService } from '@trellis/mesh-api';
import { type TcpProxy, TCP_PROXY_TYPE } from '@trellis/mesh-envoy';
import { cidrContains } from './cidr';
import type { TranslateContext } from './context';
import { tcpProxyTo } from './gateway-tcp';
import { intersectHosts } from './hosts';
import { outboundClusterName } from './naming';
import { resolveDestination } from './route-action';
import type { ServiceModel } from './services';
import { MESH_GATEWAY, vsGateways, vsHosts } from './virtual-services';
import { envFor } from './vs-routes';

/** One TCPRoute match applies to this sidecar, port and destination address. */
function tcpMatchApplies(m: NonNullable<TCPRoute['match']>[number], ctx: TranslateContext, port: number, vip: string): boolean {
  if (m.port !== undefined && m.port !== port) return false;
  if (m.gateways !== undefined && m.gateways.length > 0 && !m.gateways.includes(MESH_GATEWAY)) return false;
  if (m.sourceLabels !== undefined && !labelsMatch(m.sourceLabels, ctx.proxy.labels)) return false;
  return m.destinationSubnets === undefined || m.destinationSubnets.length === 0 || m.destinationSubnets.some((cidr) => cidrContains(cidr, vip));
}

/** Mesh-bound VirtualServices for `host` with tcp routes: exact host first, then wildcard; creation order within. */
function meshTcpVirtualServices(ctx: TranslateContext, host: string): VirtualService[] {
  const bound = ctx.virtualServices.filter((vs) => (vs.spec.tcp?.length ?? 0) > 0 && vsGateways(vs).includes(MESH_GATEWAY));
  const exact = bound.filter((vs) => vsHosts(vs, ctx.snapshot.domainSuffix).includes(host));
  const wildcard = bound.filter((vs) => !exact.includes(vs) && vsHosts(vs, ctx.snapshot.domainSuffix).some((h) => intersectHosts(h, host) === host));
  return [...exact, ...wildcard];
}

/**
 * The tcp_proxy of a sidecar's `<vip>_<port>` listener: the first mesh VirtualService `tcp` route
 * for the service whose match applies (port, sourceLabels, destinationSubnets against the VIP,
 * gateways including `mesh`) — one cluster or weighted clusters, Istio's TCP traffic shifting — else
 * the service's own cluster.
 */
export function sidecarTcpProxy(ctx: TranslateContext, svc: ServiceModel, port: number, vip: string): TcpProxy {
  for (const vs of meshTcpVirtualServices(ctx, svc.hostname)) {
    const env = envFor(vs, { ctx, scope: { gateway: MESH_GATEWAY, port, proxy: ctx.proxy } });
    for (const route of vs.spec.tcp ?? []) {
      const applies = route.match === undefined || route.match.length === 0 || route.match.some((m) => tcpMatchApplies(m, ctx, port, vip));
      if (!applies) continue;
      const tcp = tcpProxyTo((route.route ?? []).map((d) => ({ cluster: resolveDestination(d.destination, env).cluster, weight: d.weight })));
      if (tcp !== undefined) return tcp;
    }
  }
  const cluster = outboundClusterName(port, svc.hostname);
  return { '@type': TCP_PROXY_TYPE, stat_prefix: cluster, cluster };
}
