import type { GatewayServer } from '@trellis/mesh-api';
import { TLS_INSPECTOR_FILTER_NAME, TLS_INSPECTOR_TYPE, type FilterChain, type HttpFilter, type Listener, type RouteConfiguration } from '@trellis/mesh-envoy';
import type { TranslateContext } from './context';
import { type GatewayPortPlan, gatewayKey, gatewayRouteConfig, gatewayTargetPort, selectedGateways } from './gateway';
import { missingCredential } from './gateway-credentials';
import { gatewayServerTransportSocket, TERMINATING_MODES } from './gateway-server-tls';
import { stripNamespacePrefix } from './hosts';
import { hcmChain, socketAddress } from './listeners';
import { listenerName, WILDCARD_ADDRESS } from './naming';

/** One terminating HTTPS server of a selected gateway. */
interface SecureServer {
  readonly gateway: string;
  readonly server: GatewayServer;
  readonly routeName: string;
}

/** One pod port with terminating HTTPS servers. */
export interface GatewayHttpsPlan {
  readonly bindPort: number;
  readonly servers: readonly SecureServer[];
}

/** istiod's gatewayRDSRouteName for HTTPS servers: `https.<number>.<portName>.<gateway>.<namespace>`. */
export function gatewayHttpsRouteName(server: GatewayServer, gatewayName: string, namespace: string): string {
  return `https.${server.port.number}.${server.port.name}.${gatewayName}.${namespace}`;
}

function terminates(server: GatewayServer): boolean {
  return server.port.protocol.toUpperCase() === 'HTTPS' && server.tls !== undefined && TERMINATING_MODES.has(server.tls.mode ?? 'SIMPLE');
}

/**
 * HTTPS servers the gateway terminates (SIMPLE, MUTUAL, OPTIONAL_MUTUAL, ISTIO_MUTUAL), by pod port
 * (443 → 8443 through the gateway Service). A server whose Secret is missing is skipped, as istiod
 * logs and skips it: the rest of the push stands.
 */
export function gatewayHttpsPorts(ctx: TranslateContext, taken: ReadonlySet<number>): GatewayHttpsPlan[] {
  const byPort = new Map<number, SecureServer[]>();
  for (const gw of selectedGateways(ctx)) {
    for (const server of gw.spec.servers) {
      if (!terminates(server) || missingCredential(ctx, server) !== undefined) continue;
      const bindPort = gatewayTargetPort(ctx, server.port.number);
      if (taken.has(bindPort)) continue;
      const routeName = gatewayHttpsRouteName(server, gw.metadata.name, gw.metadata.namespace ?? 'default');
      byPort.set(bindPort, [...(byPort.get(bindPort) ?? []), { gateway: gatewayKey(gw), server, routeName }]);
    }
  }
  return [...byPort].map(([bindPort, servers]) => ({ bindPort, servers })).sort((a, b) => a.bindPort - b.bindPort);
}

/** The SNI names a server's chain matches; `[]` = any (a `*` host); undefined = nothing left to claim. */
function serverNames(server: GatewayServer, claimed: Set<string>): string[] | undefined {
  const hosts = server.hosts.map(stripNamespacePrefix);
  if (hosts.includes('*')) return claimed.has('*') ? undefined : (claimed.add('*'), []);
  const names = hosts.filter((h) => !claimed.has(h));
  names.forEach((h) => claimed.add(h));
  return names.length > 0 ? names : undefined;
}

/**
 * Listener `0.0.0.0_<pod port>` with tls_inspector and one chain per server, matched by SNI on the
 * server's hosts (a host another chain claimed already is dropped, so chains never conflict), each
 * terminating TLS with the server's credential and serving HTTP through RDS `https.<port>.<name>.<gw>.<ns>`,
 * with the gateway workload's security filters.
 */
export function gatewayHttpsListener(plan: GatewayHttpsPlan, upstreamAlpn = false, securityFilters: readonly HttpFilter[] = []): Listener | undefined {
  const name = listenerName(WILDCARD_ADDRESS, plan.bindPort);
  const claimed = new Set<string>();
  const chains: FilterChain[] = [];
  for (const s of plan.servers) {
    const names = serverNames(s.server, claimed);
    if (names === undefined) continue;
    const match = names.length > 0 ? { filter_chain_match: { server_names: names } } : {};
    chains.push(hcmChain({ statPrefix: `outbound_${name}`, routes: s.routeName, useRemoteAddress: true, upstreamAlpn, securityFilters, telemetry: 'gateway' }, { ...match, transport_socket: gatewayServerTransportSocket(s.server) }));
  }
  if (chains.length === 0) return undefined;
  return {
    name,
    address: socketAddress(WILDCARD_ADDRESS, plan.bindPort),
    traffic_direction: 'OUTBOUND',
    listener_filters: [{ name: TLS_INSPECTOR_FILTER_NAME, typed_config: { '@type': TLS_INSPECTOR_TYPE } }],
    filter_chains: chains,
  };
}

/** One RDS per route name (servers sharing one are merged, as istiod merges them), the bound VirtualServices' routes. */
export function gatewayHttpsRouteConfigs(ctx: TranslateContext, plan: GatewayHttpsPlan): RouteConfiguration[] {
  const byName = new Map<string, GatewayPortPlan>();
  for (const s of plan.servers) {
    const p = byName.get(s.routeName) ?? { port: plan.bindPort, serverPort: s.server.port.number, servers: [] };
    p.servers.push({ gateway: s.gateway, server: s.server });
    byName.set(s.routeName, p);
  }
  return [...byName].map(([name, p]) => ({ ...gatewayRouteConfig(ctx, p), name }));
}
