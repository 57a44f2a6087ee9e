import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import { planOutboundClusters } from './cluster-plan';
import { outboundClusters, specialClusters } from './clusters';
import { buildContext, type TranslateContext } from './context';
import type { Cluster, Listener, RouteConfiguration, XdsResources } from './envoy-types';
import { outboundLoadAssignments } from './endpoints';
import { gatewayListener, gatewayPorts, gatewayRouteConfig } from './gateway';
import { translateGrpc } from './grpc-flavour';
import { inboundCluster, inboundListeners, inboundPorts } from './inbound';
import { outboundPortListener, virtualOutboundListener } from './listeners';
import { WILDCARD_ADDRESS } from './naming';
import { registryOnly } from './outbound-policy';
import { outboundHttpPorts, outboundRouteConfigs } from './routes';

function byName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function sidecar(ctx: TranslateContext): { listeners: Listener[]; routes: RouteConfiguration[]; clusters: Cluster[] } {
  const ports = inboundPorts(ctx);
  const captureBind = ctx.proxy.interception === 'NONE' ? ctx.proxy.ipAddress : WILDCARD_ADDRESS;
  return {
    listeners: [...outboundHttpPorts(ctx).map(outboundPortListener), virtualOutboundListener(captureBind, registryOnly(ctx)), ...inboundListeners(ctx, ports)],
    routes: outboundRouteConfigs(ctx),
    clusters: [...specialClusters(true), ...ports.map((p) => inboundCluster(ctx, p))],
  };
}

function router(ctx: TranslateContext): { listeners: Listener[]; routes: RouteConfiguration[]; clusters: Cluster[] } {
  const plans = gatewayPorts(ctx);
  return {
    listeners: plans.map((p) => gatewayListener(p.port)),
    routes: plans.map((p) => gatewayRouteConfig(ctx, p)),
    clusters: specialClusters(false),
  };
}

/**
 * The xDS resources for one proxy: a pure, deterministic function of (snapshot, proxy). Sidecars
 * get outbound listeners/routes/clusters for every service plus inbound for their own workload;
 * routers get Gateway listeners and routes plus all outbound clusters; `generator: grpc` clients
 * get the proxyless flavour. Every list is sorted by name, so equal inputs give equal output.
 */
export function translate(snapshot: MeshSnapshot, proxy: ProxyInfo): XdsResources {
  if (proxy.generator === 'grpc') return translateGrpc(snapshot, proxy);
  const ctx = buildContext(snapshot, proxy);
  const plans = planOutboundClusters(ctx);
  const own = proxy.type === 'router' ? router(ctx) : sidecar(ctx);
  return {
    listeners: byName(own.listeners),
    routes: byName(own.routes),
    clusters: byName([...outboundClusters(plans), ...own.clusters]),
    endpoints: outboundLoadAssignments(plans).sort((a, b) => (a.cluster_name < b.cluster_name ? -1 : a.cluster_name > b.cluster_name ? 1 : 0)),
  };
}
