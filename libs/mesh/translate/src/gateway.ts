import type { Gateway, GatewayServer, VirtualService } from '@trellis/mesh-api';
import { namespaceOf, sortedByCreation, type TranslateContext } from './context';
import type { HttpFilter, Listener, Route, RouteConfiguration, VirtualHost } from '@trellis/mesh-envoy';
import { intersectHosts, stripNamespacePrefix } from './hosts';
import { hcmChain, socketAddress } from './listeners';
import { gatewayRouteName, listenerName, virtualHostName, WILDCARD_ADDRESS } from './naming';
import { claimDomains } from './routes';
import { servicesSelecting } from './label-index';
import { labelsMatch } from './services';
import { envFor, virtualServiceRoutes } from './vs-routes';
import { vsGateways, vsHosts } from './virtual-services';

const HTTP_SERVER_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC']);

/** One HTTP port of the gateway proxy, with the servers (and their gateways) bound to it. */
export interface GatewayPortPlan {
  /** The port the gateway pod listens on (the Service's targetPort for the servers' port). */
  port: number;
  /** The servers' `port.number` (the gateway Service's port): virtual host domains carry it. */
  serverPort: number;
  servers: { gateway: string; server: GatewayServer }[];
}

export function gatewayKey(gw: Gateway): string {
  return `${namespaceOf(gw)}/${gw.metadata.name}`;
}

/** Gateways (any namespace) whose selector matches the proxy's labels. */
export function selectedGateways(ctx: TranslateContext): Gateway[] {
  return sortedByCreation(ctx.snapshot.gateways).filter((gw) => labelsMatch(gw.spec.selector, ctx.proxy.labels));
}

/**
 * As istiod maps it: a Gateway server's `port.number` is a port of the gateway's Service (80, 443…);
 * the gateway pod listens on that Service port's `targetPort` (8080, 8443…). No Service of the gateway
 * declares the port (local mode, or a Gateway written with the pod port): the number as it is.
 */
export function gatewayTargetPort(ctx: TranslateContext, port: number): number {
  for (const svc of servicesSelecting(ctx.snapshot.services, ctx.proxy.namespace, ctx.proxy.labels)) {
    const p = svc.ports.find((x) => x.port === port);
    if (p !== undefined) return p.targetPort;
  }
  return port;
}

/** One opaque (TCP or TLS PASSTHROUGH) port of the gateway proxy and the gateways with such a server on it. */
export interface GatewayL4Plan {
  /** The servers' `port.number` (what `tcp`/`tls` route matches name). */
  readonly port: number;
  /** Where the gateway pod listens (gatewayTargetPort). */
  readonly bindPort: number;
  readonly gateways: readonly string[];
}

/** The selected gateways' servers that `accepts`, by server port, ascending; pod ports in `taken` are skipped. */
export function gatewayL4Ports(ctx: TranslateContext, accepts: (server: GatewayServer) => boolean, taken: ReadonlySet<number>): GatewayL4Plan[] {
  const byPort = new Map<number, string[]>();
  for (const gw of selectedGateways(ctx)) {
    for (const server of gw.spec.servers) {
      if (!accepts(server) || taken.has(gatewayTargetPort(ctx, server.port.number))) continue;
      const list = byPort.get(server.port.number) ?? [];
      if (!list.includes(gatewayKey(gw))) list.push(gatewayKey(gw));
      byPort.set(server.port.number, list);
    }
  }
  return [...byPort].map(([port, gateways]) => ({ port, bindPort: gatewayTargetPort(ctx, port), gateways })).sort((a, b) => a.port - b.port);
}

/** The HTTP server ports of the selected gateways, by pod port, ascending (HTTPS/TLS servers: not yet). */
export function gatewayPorts(ctx: TranslateContext): GatewayPortPlan[] {
  const byPort = new Map<number, GatewayPortPlan>();
  for (const gw of selectedGateways(ctx)) {
    for (const server of gw.spec.servers) {
      if (!HTTP_SERVER_PROTOCOLS.has(server.port.protocol.toUpperCase())) continue;
      const port = gatewayTargetPort(ctx, server.port.number);
      const plan = byPort.get(port) ?? { port, serverPort: server.port.number, servers: [] };
      plan.servers.push({ gateway: gatewayKey(gw), server });
      byPort.set(port, plan);
    }
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

/** Gateway listener `0.0.0.0_<port>` with RDS `http.<port>`; `securityFilters`: the gateway workload's (security/index.ts). */
export function gatewayListener(port: number, upstreamAlpn = false, securityFilters: readonly HttpFilter[] = []): Listener {
  const name = listenerName(WILDCARD_ADDRESS, port);
  return {
    name,
    address: socketAddress(WILDCARD_ADDRESS, port),
    traffic_direction: 'OUTBOUND',
    filter_chains: [hcmChain({ statPrefix: `outbound_${name}`, routes: gatewayRouteName(port), useRemoteAddress: true, upstreamAlpn, securityFilters, telemetry: 'gateway' })],
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

/** Routes per virtual host, merged across VirtualServices in creation order; hosts of `httpsRedirect` servers. */
function collectRoutes(ctx: TranslateContext, plan: GatewayPortPlan): { byHost: Map<string, Route[]>; redirect: Set<string> } {
  const byHost = new Map<string, Route[]>();
  const redirect = new Set<string>();
  for (const vs of ctx.virtualServices) {
    const gateways = vsGateways(vs);
    for (const gateway of [...new Set(plan.servers.map((s) => s.gateway))]) {
      if (!gateways.includes(gateway)) continue;
      const servers = plan.servers.filter((s) => s.gateway === gateway).map((s) => s.server);
      const hosts = boundHosts(vs, servers, ctx.snapshot.domainSuffix);
      if (hosts.length === 0) continue;
      const routes = virtualServiceRoutes(vs, envFor(vs, { ctx, scope: { gateway, port: plan.port, proxy: ctx.proxy } }));
      for (const host of hosts) byHost.set(host, [...(byHost.get(host) ?? []), ...routes]);
      const redirecting = servers.filter((sv) => sv.tls?.httpsRedirect === true);
      for (const host of boundHosts(vs, redirecting, ctx.snapshot.domainSuffix)) redirect.add(host);
    }
  }
  return { byHost, redirect };
}

/**
 * Gateway RDS `http.<port>`: one virtual host per bound host; none when no VirtualService binds (404).
 * A host served by an HTTP server with `tls.httpsRedirect` gets `require_tls: ALL` (301 to https).
 */
export function gatewayRouteConfig(ctx: TranslateContext, plan: GatewayPortPlan): RouteConfiguration {
  const used = new Set<string>();
  const hosts: VirtualHost[] = [];
  const { byHost, redirect } = collectRoutes(ctx, plan);
  for (const host of [...byHost.keys()].sort()) {
    const routes = byHost.get(host) ?? [];
    const domains = claimDomains(gatewayDomains(host, plan.serverPort), used);
    const tls: Pick<VirtualHost, 'require_tls'> = redirect.has(host) ? { require_tls: 'ALL' } : {};
    if (domains.length > 0 && routes.length > 0) hosts.push({ name: virtualHostName(host, plan.port), domains, routes, ...tls });
  }
  return { name: gatewayRouteName(plan.port), virtual_hosts: hosts, validate_clusters: { value: false } };
}
