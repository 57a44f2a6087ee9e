import type { TCPRoute, VirtualService } from '@trellis/mesh-api';
import { type Listener, type TcpProxy, TCP_PROXY_FILTER_NAME, TCP_PROXY_TYPE } from '@trellis/mesh-envoy';
import type { TranslateContext } from './context';
import { type GatewayL4Plan, gatewayL4Ports } from './gateway';
import { socketAddress } from './listeners';
import { listenerName, WILDCARD_ADDRESS } from './naming';
import { resolveDestination } from './route-action';
import { inboundTcpSecurityFilters } from './security';
import { envFor } from './vs-routes';
import { vsGateways } from './virtual-services';
import { istioStatsNetworkFilter } from './telemetry/stats-filter';

/** Istio's TCP server protocols (opaque to the gateway: a tcp_proxy, no HTTP). */
const TCP_SERVER_PROTOCOLS = new Set(['TCP', 'MONGO', 'MYSQL', 'REDIS']);

/** The TCP server ports of the selected gateways, ascending; a pod port that serves HTTP stays HTTP. */
export function gatewayTcpPorts(ctx: TranslateContext, httpPorts: ReadonlySet<number>): GatewayL4Plan[] {
  return gatewayL4Ports(ctx, (server) => TCP_SERVER_PROTOCOLS.has(server.port.protocol.toUpperCase()), httpPorts);
}

function matchesPort(route: TCPRoute, port: number, gateway: string): boolean {
  if (route.match === undefined || route.match.length === 0) return true;
  return route.match.some((m) => (m.port === undefined || m.port === port) && (m.gateways === undefined || m.gateways.includes(gateway)));
}

/** The first TCP route (VirtualServices in creation order) bound to one of the plan's gateways for its port. */
function firstRoute(ctx: TranslateContext, plan: GatewayL4Plan): { vs: VirtualService; route: TCPRoute; gateway: string } | undefined {
  for (const vs of ctx.virtualServices) {
    const bound = vsGateways(vs);
    for (const gateway of plan.gateways) {
      if (!bound.includes(gateway)) continue;
      const route = (vs.spec.tcp ?? []).find((r) => (r.route?.length ?? 0) > 0 && matchesPort(r, plan.port, gateway));
      if (route !== undefined) return { vs, route, gateway };
    }
  }
  return undefined;
}

/** A tcp_proxy to route destinations: one cluster, or weighted clusters (zero weights dropped). */
export function tcpProxyTo(dests: readonly { readonly cluster: string; readonly weight?: number | undefined }[]): TcpProxy | undefined {
  const first = dests[0];
  if (first === undefined) return undefined;
  if (dests.every((d, i) => i === 0 || d.weight === 0)) return { '@type': TCP_PROXY_TYPE, stat_prefix: first.cluster, cluster: first.cluster };
  return {
    '@type': TCP_PROXY_TYPE,
    stat_prefix: first.cluster,
    weighted_clusters: { clusters: dests.filter((d) => d.weight !== 0).map((d) => ({ name: d.cluster, weight: d.weight ?? 1 })) },
  };
}

/**
 * Gateway TCP server → listener `0.0.0.0_<port>` whose chain is a tcp_proxy to the bound
 * VirtualService's `tcp` route: one cluster, or weighted clusters (Istio's TCP traffic shifting).
 * No bound route → no listener, as istiod builds none. The gateway workload's network security
 * filters (CUSTOM, RBAC) come before the tcp_proxy.
 */
export function gatewayTcpListener(ctx: TranslateContext, plan: GatewayL4Plan): Listener | undefined {
  const found = firstRoute(ctx, plan);
  if (found === undefined) return undefined;
  const env = envFor(found.vs, { ctx, scope: { gateway: found.gateway, port: plan.port, proxy: ctx.proxy } });
  const tcp = tcpProxyTo((found.route.route ?? []).map((d) => ({ cluster: resolveDestination(d.destination, env).cluster, weight: d.weight })));
  if (tcp === undefined) return undefined;
  const name = listenerName(WILDCARD_ADDRESS, plan.bindPort);
  return {
    name,
    address: socketAddress(WILDCARD_ADDRESS, plan.bindPort),
    traffic_direction: 'OUTBOUND',
    filter_chains: [{ filters: [...inboundTcpSecurityFilters(ctx), istioStatsNetworkFilter('gateway'), { name: TCP_PROXY_FILTER_NAME, typed_config: tcp }] }],
  };
}
