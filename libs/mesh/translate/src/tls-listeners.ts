import type { VirtualService } from '@trellis/mesh-api';
import { type FilterChain, type Listener, TCP_PROXY_FILTER_NAME, TLS_INSPECTOR_TYPE } from '@trellis/mesh-envoy';
import type { TranslateContext } from './context';
import { tcpProxyTo } from './gateway-tcp';
import { intersectHosts } from './hosts';
import { socketAddress, tcpProxyChain } from './listeners';
import { BLACKHOLE_CLUSTER, listenerName, outboundClusterName, PASSTHROUGH_CLUSTER, WILDCARD_ADDRESS } from './naming';
import { registryOnly } from './outbound-policy';
import { resolveDestination } from './route-action';
import type { ServiceModel } from './services';
import { MESH_GATEWAY, vsGateways, vsHosts } from './virtual-services';
import { envFor } from './vs-routes';
import { istioStatsNetworkFilter } from './telemetry/stats-filter';

/** Istio's TLS port protocols (`https-…`, `tls-…` names): opaque to the sidecar, routed by the ClientHello's SNI. */
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

/** Istio's fallthrough chain name on outbound TCP listeners. */
export const PASSTHROUGH_FILTER_CHAIN = 'PassthroughFilterChain';

const hasVip = (svc: ServiceModel): boolean => svc.addresses.some((a) => !a.includes('/'));

/** Mesh-bound VirtualServices naming `host`, creation order. */
function meshVirtualServices(ctx: TranslateContext, host: string): VirtualService[] {
  return ctx.virtualServices.filter(
    (vs) => vsGateways(vs).includes(MESH_GATEWAY) && vsHosts(vs, ctx.snapshot.domainSuffix).some((h) => intersectHosts(h, host) !== undefined),
  );
}

/** VirtualService `tls` routes for the service's port: one chain per match, `server_names` = its unclaimed sniHosts. */
function tlsRouteChains(ctx: TranslateContext, svc: ServiceModel, port: number, claimed: Set<string>): FilterChain[] {
  const chains: FilterChain[] = [];
  for (const vs of meshVirtualServices(ctx, svc.hostname)) {
    const env = envFor(vs, { ctx, scope: { gateway: MESH_GATEWAY, port, proxy: ctx.proxy } });
    for (const route of vs.spec.tls ?? []) {
      const tcp = tcpProxyTo((route.route ?? []).map((d) => ({ cluster: resolveDestination(d.destination, env).cluster, weight: d.weight })));
      if (tcp === undefined) continue;
      for (const m of route.match) {
        if ((m.port !== undefined && m.port !== port) || (m.gateways !== undefined && !m.gateways.includes(MESH_GATEWAY))) continue;
        const names = m.sniHosts.map((h) => h.toLowerCase()).filter((h) => !claimed.has(h));
        names.forEach((h) => claimed.add(h));
        if (names.length > 0) chains.push({ filter_chain_match: { server_names: names }, filters: [istioStatsNetworkFilter('outbound'), { name: TCP_PROXY_FILTER_NAME, typed_config: tcp }] });
      }
    }
  }
  return chains;
}

/** The service's own chain: SNI = its host name → `outbound|<port>||<host>`, unless a tls route claimed it. */
function defaultChain(svc: ServiceModel, port: number, claimed: Set<string>): FilterChain[] {
  const host = svc.hostname.toLowerCase();
  if (claimed.has(host)) return [];
  claimed.add(host);
  return [tcpProxyChain(outboundClusterName(port, svc.hostname), { filter_chain_match: { server_names: [host] } })];
}

/**
 * Sidecar outbound for TLS ports of services without a VIP (ServiceEntries for external HTTPS hosts,
 * `resolution: DNS|NONE`; Istio's egress tasks): one listener `0.0.0.0_<port>` (bind_to_port false,
 * reached through virtualOutbound by the original port) with tls_inspector and one chain per SNI
 * host — VirtualService `tls` routes first, then each service's own host — and Istio's fallthrough
 * chain: PassthroughCluster, or BlackHoleCluster under REGISTRY_ONLY. A port served as HTTP keeps
 * its HTTP listener; services with a VIP get `<vip>_<port>` tcp_proxy listeners (tcp-listeners.ts).
 */
export function outboundTlsListeners(ctx: TranslateContext, httpPorts: ReadonlySet<number>): Listener[] {
  const byPort = new Map<number, { chains: FilterChain[]; claimed: Set<string> }>();
  for (const svc of ctx.services) {
    if (hasVip(svc)) continue;
    for (const p of svc.ports) {
      if (!TLS_PROTOCOLS.has(p.protocol.toUpperCase()) || httpPorts.has(p.port)) continue;
      const entry = byPort.get(p.port) ?? { chains: [], claimed: new Set<string>() };
      entry.chains.push(...tlsRouteChains(ctx, svc, p.port, entry.claimed), ...defaultChain(svc, p.port, entry.claimed));
      byPort.set(p.port, entry);
    }
  }
  const fallthrough = registryOnly(ctx) ? BLACKHOLE_CLUSTER : PASSTHROUGH_CLUSTER;
  return [...byPort.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, { chains }]) => ({
      name: listenerName(WILDCARD_ADDRESS, port),
      address: socketAddress(WILDCARD_ADDRESS, port),
      bind_to_port: { value: false },
      traffic_direction: 'OUTBOUND',
      listener_filters: [{ name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': TLS_INSPECTOR_TYPE } }],
      filter_chains: [...chains, tcpProxyChain(fallthrough, { name: PASSTHROUGH_FILTER_CHAIN })],
    }));
}
