import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import { planOutboundClusters } from './cluster-plan';
import { outboundClusters, specialClusters } from './clusters';
import { buildContext, type TranslateContext } from './context';
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, Secret, XdsResources } from '@trellis/mesh-envoy';
import { outboundLoadAssignments } from './endpoints';
import { gatewayListener, gatewayPorts, gatewayRouteConfig } from './gateway';
import { gatewayTcpListener, gatewayTcpPorts } from './gateway-tcp';
import { gatewayTlsListener, gatewayTlsPorts } from './gateway-tls';
import { gatewaySecrets } from './gateway-credentials';
import { gatewayHttpsListener, gatewayHttpsPorts, gatewayHttpsRouteConfigs } from './gateway-https';
import { boundOutboundTcpListeners, outboundTcpListeners, podAddressPorts } from './tcp-listeners';
import { outboundTlsListeners } from './tls-listeners';
import { outboundCidrListeners } from './cidr-listeners';
import { translateGrpc } from './grpc-flavour';
import { inboundCluster, inboundPorts, ownPeerAuthentication } from './inbound';
import { inboundListeners } from './inbound-listeners';
import { outboundPortListener, virtualOutboundListener } from './listeners';
import { WILDCARD_ADDRESS } from './naming';
import { registryOnly } from './outbound-policy';
import { outboundHttpPorts, outboundRouteConfigs } from './routes';
import { inboundHttpSecurityFilters, securityKey } from './security';
import { translateOptions, type TranslateOptions } from './translate-options';
import { telemetryPlan, withTelemetry, type TelemetryPlan } from './telemetry/telemetry-apply';
import { applyEnvoyFilters } from './envoy-filter';
import { withHttp10 } from './http10';

function compareNames(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byName<T extends { name?: string }>(items: T[]): T[] {
  return items.sort((a, b) => compareNames(a.name, b.name));
}

/** What every proxy of the same kind, namespace (and, where config depends on it, labels) shares. */
export interface SharedOutbound {
  readonly clusters: readonly Cluster[];
  readonly endpoints: readonly ClusterLoadAssignment[];
  readonly listeners: readonly Listener[];
  readonly routes: readonly RouteConfiguration[];
  /** Routers: the credentials of their namespace, sent over SDS by name. */
  readonly secrets?: readonly Secret[];
}

export function sharedOutbound(ctx: TranslateContext): SharedOutbound {
  const plans = planOutboundClusters(ctx);
  const meta = ctx.options.mtls ? { peerAuthentications: ctx.snapshot.peerAuthentications, rootNamespace: ctx.snapshot.rootNamespace } : undefined;
  const endpoints = outboundLoadAssignments(plans, meta).sort((a, b) => compareNames(a.cluster_name, b.cluster_name));
  if (ctx.proxy.type === 'router') {
    const ports = gatewayPorts(ctx);
    const https = gatewayHttpsPorts(ctx, new Set(ports.map((p) => p.port)));
    const httpTaken = new Set([...ports.map((p) => p.port), ...https.map((p) => p.bindPort)]);
    const tcpPlans = gatewayTcpPorts(ctx, httpTaken);
    const taken = new Set([...httpTaken, ...tcpPlans.map((p) => p.bindPort)]);
    const tcp = [...tcpPlans.map((p) => gatewayTcpListener(ctx, p)), ...gatewayTlsPorts(ctx, taken).map((p) => gatewayTlsListener(ctx, p))];
    // Gateways are workloads: their AuthorizationPolicy / RequestAuthentication filters (the memo key has their labels).
    const security = inboundHttpSecurityFilters(ctx);
    return {
      clusters: [...outboundClusters(plans), ...specialClusters(false)],
      endpoints,
      // Istio's istio.alpn filter on gateway HCMs too (mTLS to sidecars offers istio-http/1.1 / istio-h2).
      listeners: [
        ...ports.map((p) => gatewayListener(p.port, ctx.options.mtls, security)),
        ...[...https.map((p) => gatewayHttpsListener(p, ctx.options.mtls, security)), ...tcp].filter((l) => l !== undefined),
      ],
      routes: [...ports.map((p) => gatewayRouteConfig(ctx, p)), ...https.flatMap((p) => gatewayHttpsRouteConfigs(ctx, p))],
      secrets: gatewaySecrets(ctx),
    };
  }
  return {
    clusters: [...outboundClusters(plans), ...specialClusters(true, ctx.proxy.interception === 'REDIRECT')],
    endpoints,
    listeners: [...outboundHttpPorts(ctx).map((port) => outboundPortListener(port, ctx.options.mtls)), ...(ctx.proxy.interception === 'NONE' ? [] : outboundL4Listeners(ctx))],
    routes: outboundRouteConfigs(ctx),
  };
}

/** REDIRECT sidecars: `<vip>_<port>` tcp_proxy listeners, SNI-routed `0.0.0.0_<port>` TLS listeners, CIDR-matched `0.0.0.0_<port>` TCP listeners. */
function outboundL4Listeners(ctx: TranslateContext): Listener[] {
  const http = new Set(outboundHttpPorts(ctx));
  const tls = outboundTlsListeners(ctx, http);
  const taken = new Set([...http, ...tls.map((l) => l.address?.socket_address?.port_value ?? 0)]);
  return [...outboundTcpListeners(ctx), ...tls, ...outboundCidrListeners(ctx, taken)];
}

export interface OwnResources {
  readonly listeners: readonly Listener[];
  readonly clusters: readonly Cluster[];
}

/** The per-proxy inputs, as one string: proxies with equal keys get equal own resources. */
export function ownResourcesKey(ctx: TranslateContext): string {
  if (ctx.proxy.type === 'router') return 'router';
  const p = ctx.proxy;
  // NONE: bound on the pod address, and the namespace's services give the bound TCP listeners.
  // securityKey: the workload's namespace and labels once any AuthorizationPolicy/RequestAuthentication exists.
  return JSON.stringify([p.interception, p.interception === 'NONE' ? `${p.ipAddress} ${p.namespace}` : '', registryOnly(ctx), inboundPorts(ctx), p.appEndpoints ?? {}, ownPeerAuthentication(ctx)?.mode ?? '', securityKey(ctx)]);
}

/**
 * The per-proxy part: capture listener and the proxy's own inbound listeners and clusters; without
 * capture (NONE) also the TCP service ports bound on the pod's address (`boundOutboundTcpListeners`).
 */
export function ownResources(ctx: TranslateContext): OwnResources {
  if (ctx.proxy.type === 'router') return { listeners: [], clusters: [] };
  const ports = inboundPorts(ctx);
  const none = ctx.proxy.interception === 'NONE';
  const captureBind = none ? ctx.proxy.ipAddress : WILDCARD_ADDRESS;
  const boundTcp = none ? boundOutboundTcpListeners(ctx, podAddressPorts(ctx, ports)) : [];
  return {
    listeners: [virtualOutboundListener(captureBind, registryOnly(ctx), !none, ctx.options.mtls), ...inboundListeners(ctx, ports), ...boundTcp],
    clusters: ports.map((p) => inboundCluster(ctx, p)),
  };
}

export function assemble(shared: SharedOutbound, ctx: TranslateContext, own: OwnResources = ownResources(ctx), telemetry: TelemetryPlan = telemetryPlan(ctx)): XdsResources {
  // EnvoyFilter patches last, on the generated config (envoy-filter.ts).
  return applyEnvoyFilters(ctx, {
    // Access logs and tracing on every HCM / tcp_proxy, per side (telemetry/telemetry-apply.ts).
    // HTTP/1.0 acceptance (PILOT_HTTP10, the proxy's HTTP10 metadata) on every HCM (http10.ts).
    listeners: byName(withHttp10(ctx, withTelemetry([...shared.listeners, ...own.listeners], telemetry))),
    routes: byName([...shared.routes]),
    clusters: byName([...shared.clusters, ...own.clusters]),
    endpoints: [...shared.endpoints],
    ...(shared.secrets !== undefined && shared.secrets.length > 0 ? { secrets: shared.secrets } : {}),
  });
}

/**
 * The xDS resources for one proxy: a pure, deterministic function of (snapshot, proxy). Sidecars
 * get outbound listeners/routes/clusters for every service plus inbound for their own workload;
 * routers get Gateway listeners and routes plus all outbound clusters; `generator: grpc` clients
 * get the proxyless flavour. Every list is sorted by name, so equal inputs give equal output.
 * (`createTranslator` gives the same results, sharing work between similar proxies.)
 */
export function translate(snapshot: MeshSnapshot, proxy: ProxyInfo, options: Partial<TranslateOptions> = {}): XdsResources {
  if (proxy.generator === 'grpc') return translateGrpc(snapshot, proxy);
  const ctx = buildContext(snapshot, proxy, translateOptions(options));
  return assemble(sharedOutbound(ctx), ctx);
}
