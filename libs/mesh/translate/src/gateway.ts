import type { Gateway, GatewayServer, VirtualService } from '@trellis/mesh-api';
import { namespaceOf, sortedByCreation, type TranslateContext } from './context';
import type { Listener, Route, RouteConfiguration, VirtualHost } from '@trellis/mesh-envoy';
import { intersectHosts, stripNamespacePrefix } from './hosts';
import { hcmChain, socketAddress } from './listeners';
import { gatewayRouteName, listenerName, virtualHostName, WILDCARD_ADDRESS } from './naming';
import { claimDomains } from './routes';
import { labelsMatch } from './services';
import { envFor, virtualServiceRoutes } from './vs-routes';
import { vsGateways, vsHosts } from './virtual-services';

const HTTP_SERVER_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC']);

/** One HTTP port of the gateway proxy, with the servers (and their gateways) bound to it. */
export interface GatewayPortPlan {
  port: number;
  servers: { gateway: string; server: GatewayServer }[];
}

export function gatewayKey(gw: Gateway): string {
  return `${namespaceOf(gw)}/${gw.metadata.name}`;
}

/** Gateways (any namespace) whose selector matches the proxy's labels. */
export function selectedGateways(ctx: TranslateContext): Gateway[] {
  return sortedByCreation(ctx.snapshot.gateways).filter((gw) => labelsMatch(gw.spec.selector, ctx.proxy.labels));
}

/** The HTTP server ports of the selected gateways, ascending (HTTPS/TLS/TCP servers: not yet). */
export function gatewayPorts(ctx: TranslateContext): GatewayPortPlan[] {
  const byPort = new Map<number, GatewayPortPlan>();
  for (const gw of selectedGateways(ctx)) {
    for (const server of gw.spec.servers) {
      if (!HTTP_SERVER_PROTOCOLS.has(server.port.protocol.toUpperCase())) continue;
      const plan = byPort.get(server.port.number) ?? { port: server.port.number, servers: [] };
      plan.servers.push({ gateway: gatewayKey(gw), server });
      byPort.set(server.port.number, plan);
    }
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

/** Gateway listener `0.0.0.0_<port>` with RDS `http.<port>`. */
export function gatewayListener(port: number): Listener {
  const name = listenerName(WILDCARD_ADDRESS, port);
  return {
    name,
    address: socketAddress(WILDCARD_ADDRESS, port),
    traffic_direction: 'OUTBOUND',
    filter_chains: [hcmChain({ statPrefix: `outbound_${name}`, routes: gatewayRouteName(port), useRemoteAddress: true })],
  };
}

/** VS hosts ∩ server hosts, as the more specific host of each overlapping pair. */
function boundHosts(vs: VirtualService, servers: readonly GatewayServer[], domainSuffix: string): string[] {
  const out: string[] = [];
  for (const vh of vsHosts(vs, domainSuffix)) {
    for (const server of servers) {
      for (const sh of server.hosts.map(stripNamespacePrefix)) {
        const host = intersectHosts(vh, sh);
        if (host !== undefined && !out.includes(host)) out.push(host);
      }
    }
  }
  return out;
}

function gatewayDomains(host: string, port: number): string[] {
  return host === '*' ? ['*'] : [host, `${host}:${port}`];
}

/** Routes per virtual host, merged across VirtualServices in creation order. */
function collectRoutes(ctx: TranslateContext, plan: GatewayPortPlan): Map<string, Route[]> {
  const byHost = new Map<string, Route[]>();
  for (const vs of ctx.virtualServices) {
    const gateways = vsGateways(vs);
    for (const gateway of [...new Set(plan.servers.map((s) => s.gateway))]) {
      if (!gateways.includes(gateway)) continue;
      const servers = plan.servers.filter((s) => s.gateway === gateway).map((s) => s.server);
      const hosts = boundHosts(vs, servers, ctx.snapshot.domainSuffix);
      if (hosts.length === 0) continue;
      const routes = virtualServiceRoutes(vs, envFor(vs, { ctx, scope: { gateway, port: plan.port, proxy: ctx.proxy } }));
      for (const host of hosts) byHost.set(host, [...(byHost.get(host) ?? []), ...routes]);
    }
  }
  return byHost;
}

/** Gateway RDS `http.<port>`: one virtual host per bound host; none when no VirtualService binds (404). */
export function gatewayRouteConfig(ctx: TranslateContext, plan: GatewayPortPlan): RouteConfiguration {
  const used = new Set<string>();
  const hosts: VirtualHost[] = [];
  const byHost = collectRoutes(ctx, plan);
  for (const host of [...byHost.keys()].sort()) {
    const routes = byHost.get(host) ?? [];
    const domains = claimDomains(gatewayDomains(host, plan.port), used);
    if (domains.length > 0 && routes.length > 0) hosts.push({ name: virtualHostName(host, plan.port), domains, routes });
  }
  return { name: gatewayRouteName(plan.port), virtual_hosts: hosts, validate_clusters: { value: false } };
}
