import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import { planOutboundClusters, type OutboundClusterPlan } from './cluster-plan';
import { ADS } from './clusters';
import { buildContext, type TranslateContext } from './context';
import { durationIsZero } from './durations';
import { FAULT_FILTER_NAME, HCM_TYPE, type Cluster, type Listener, type Route, type RouteAction, type XdsResources } from '@trellis/mesh-envoy';
import { outboundLoadAssignments } from './endpoints';
import { serviceDomains } from './hosts';
import { FAULT_FILTER, ROUTER_FILTER } from './listeners';
import { virtualHostName } from './naming';
import { serviceRoutes } from './routes';
import type { ServiceModel } from './services';
import { lbPolicy } from './traffic-policy';

interface GrpcTarget {
  svc: ServiceModel;
  port: number;
}

/** Every spelling a proxyless client may dial (`xds:///<name>`), mapped to its service port. */
function grpcTargets(ctx: TranslateContext): Map<string, GrpcTarget> {
  const out = new Map<string, GrpcTarget>();
  for (const svc of ctx.services) {
    for (const p of svc.ports) {
      const withPorts = serviceDomains(svc, p.port, ctx.proxy.namespace, ctx.snapshot.domainSuffix).filter((d) => d.endsWith(`:${p.port}`));
      const bare = svc.ports.length === 1 ? withPorts.map((d) => d.slice(0, -`:${p.port}`.length)) : [];
      for (const name of [...withPorts, ...bare]) if (!out.has(name)) out.set(name, { svc, port: p.port });
    }
  }
  return out;
}

/** Listener names a gRPC client may request: `fqdn:port`, `short:port`, `short.ns:port`, … (sorted). */
export function grpcListenerNames(snapshot: MeshSnapshot, proxy: ProxyInfo): string[] {
  return [...grpcTargets(buildContext(snapshot, proxy)).keys()].sort();
}

const GRPC_RETRY_ON = new Set(['cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable']);

function grpcAction(a: RouteAction): RouteAction {
  const out: RouteAction = {};
  if (a.cluster !== undefined) out.cluster = a.cluster;
  if (a.weighted_clusters) {
    const clusters = (a.weighted_clusters.clusters ?? []).map((c) => ({ name: c.name, weight: c.weight }));
    out.weighted_clusters = { clusters, total_weight: { value: clusters.reduce((s, c) => s + (c.weight?.value ?? 0), 0) } };
  }
  if (!durationIsZero(a.timeout) && a.timeout) out.max_stream_duration = { max_stream_duration: a.timeout };
  const retryOn = a.retry_policy?.retry_on?.split(',').filter((n) => GRPC_RETRY_ON.has(n)) ?? [];
  if (a.retry_policy && retryOn.length > 0) out.retry_policy = { retry_on: retryOn.join(','), num_retries: a.retry_policy.num_retries };
  const hash = a.hash_policy?.filter((h) => 'header' in h);
  if (hash && hash.length > 0) out.hash_policy = hash;
  return out;
}

/** gRPC NACKs a whole route config holding redirect/direct_response: such routes are dropped. */
function grpcRoutes(routes: readonly Route[]): Route[] {
  return routes
    .filter((r) => r.route !== undefined)
    .map((r) => {
      const out: Route = { match: r.match, route: grpcAction(r.route ?? {}) };
      if (r.name !== undefined) out.name = r.name;
      if (r.typed_per_filter_config) out.typed_per_filter_config = r.typed_per_filter_config;
      return out;
    });
}

/** An ApiListener named as requested, with an inline route config whose vhost answers that name. */
function grpcListener(ctx: TranslateContext, name: string, target: GrpcTarget, aliases: string[]): Listener {
  const routes = grpcRoutes(serviceRoutes(ctx, target.svc, target.port));
  const fault = routes.some((r) => r.typed_per_filter_config?.[FAULT_FILTER_NAME] !== undefined);
  const vhostName = virtualHostName(target.svc.hostname, target.port);
  return {
    name,
    api_listener: {
      api_listener: {
        '@type': HCM_TYPE,
        stat_prefix: name,
        route_config: { name, virtual_hosts: [{ name: vhostName, domains: [...new Set([name, ...aliases])], routes }] },
        http_filters: fault ? [FAULT_FILTER, ROUTER_FILTER] : [ROUTER_FILTER],
      },
    },
  };
}

function grpcCluster(plan: OutboundClusterPlan): Cluster {
  const cluster: Cluster = {
    name: plan.name,
    type: 'EDS',
    eds_cluster_config: { eds_config: ADS, service_name: plan.name },
    lb_policy: lbPolicy(plan.policy.loadBalancer, 'ROUND_ROBIN') === 'RING_HASH' ? 'RING_HASH' : 'ROUND_ROBIN',
  };
  const maxRequests = plan.policy.connectionPool?.http?.http2MaxRequests;
  if (maxRequests !== undefined) cluster.circuit_breakers = { thresholds: [{ priority: 'DEFAULT', max_requests: { value: maxRequests } }] };
  return cluster;
}

/**
 * The proxyless gRPC flavour (Istio's `grpc` generator): ApiListeners named as the client dials
 * them (all known names when `requested` is omitted), EDS clusters with ROUND_ROBIN (or RING_HASH),
 * CLAs with explicit locality weights. Only EDS-discovered services are offered.
 */
export function translateGrpc(snapshot: MeshSnapshot, proxy: ProxyInfo, requested?: readonly string[]): XdsResources {
  const ctx = buildContext(snapshot, proxy);
  const targets = grpcTargets(ctx);
  const names = requested ? [...new Set(requested)].sort() : [...targets.keys()].sort();
  const listeners: Listener[] = [];
  for (const name of names) {
    const target = targets.get(name);
    if (!target) continue;
    const aliases = [...targets.entries()].filter(([, t]) => t.svc === target.svc && t.port === target.port).map(([n]) => n);
    listeners.push(grpcListener(ctx, name, target, aliases));
  }
  const plans = planOutboundClusters(ctx).filter((p) => p.service.discovery === 'EDS');
  return { listeners, routes: [], clusters: plans.map(grpcCluster), endpoints: outboundLoadAssignments(plans) };
}
