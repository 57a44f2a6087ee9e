import type { FilterChain, Listener } from '@trellis/mesh-envoy';
import { TCP_PROXY_FILTER_NAME, TLS_INSPECTOR_TYPE } from '@trellis/mesh-envoy';
import type { TranslateContext } from './context';
import { type GatewayL4Plan, gatewayL4Ports } from './gateway';
import { tcpProxyTo } from './gateway-tcp';
import { socketAddress } from './listeners';
import { listenerName, WILDCARD_ADDRESS } from './naming';
import { resolveDestination } from './route-action';
import { inboundTcpSecurityFilters } from './security';
import { envFor } from './vs-routes';
import { vsGateways } from './virtual-services';
import { istioStatsNetworkFilter } from './telemetry/stats-filter';

const PASSTHROUGH_PROTOCOLS = new Set(['HTTPS', 'TLS']);

/** HTTPS/TLS servers with `tls.mode: PASSTHROUGH` (the gateway does not terminate: SNI routes the bytes). */
export function gatewayTlsPorts(ctx: TranslateContext, taken: ReadonlySet<number>): GatewayL4Plan[] {
  return gatewayL4Ports(ctx, (server) => PASSTHROUGH_PROTOCOLS.has(server.port.protocol.toUpperCase()) && server.tls?.mode === 'PASSTHROUGH', taken);
}

/** One chain per bound VirtualService `tls` route match: `server_names` = its sniHosts, [security filters,] a tcp_proxy to its destinations. */
function sniChains(ctx: TranslateContext, plan: GatewayL4Plan): FilterChain[] {
  const chains: FilterChain[] = [];
  const security = inboundTcpSecurityFilters(ctx);
  const claimed = new Set<string>();
  for (const vs of ctx.virtualServices) {
    const gateway = plan.gateways.find((g) => vsGateways(vs).includes(g));
    if (gateway === undefined) continue;
    const env = envFor(vs, { ctx, scope: { gateway, port: plan.port, proxy: ctx.proxy } });
    for (const route of vs.spec.tls ?? []) {
      const tcp = tcpProxyTo((route.route ?? []).map((d) => ({ cluster: resolveDestination(d.destination, env).cluster, weight: d.weight })));
      if (tcp === undefined) continue;
      for (const m of route.match) {
        if (m.port !== undefined && m.port !== plan.port) continue;
        const names = m.sniHosts.filter((h) => !claimed.has(h));
        names.forEach((h) => claimed.add(h));
        if (names.length > 0) chains.push({ filter_chain_match: { server_names: names }, filters: [...security, istioStatsNetworkFilter('gateway'), { name: TCP_PROXY_FILTER_NAME, typed_config: tcp }] });
      }
    }
  }
  return chains;
}

/**
 * Gateway TLS PASSTHROUGH (Istio's ingress-sni-passthrough task): listener `0.0.0.0_<pod port>` with
 * tls_inspector, one chain per SNI host of the bound `tls` routes; a hello naming no such host is
 * closed. No bound route → no listener.
 */
export function gatewayTlsListener(ctx: TranslateContext, plan: GatewayL4Plan): Listener | undefined {
  const chains = sniChains(ctx, plan);
  if (chains.length === 0) return undefined;
  return {
    name: listenerName(WILDCARD_ADDRESS, plan.bindPort),
    address: socketAddress(WILDCARD_ADDRESS, plan.bindPort),
    traffic_direction: 'OUTBOUND',
    listener_filters: [{ name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': TLS_INSPECTOR_TYPE } }],
    filter_chains: chains,
  };
}
