import type { WorkloadInstance } from '@trellis/mesh-api';
import type { TranslateContext } from './context';
import { ZERO_DURATION } from './durations';
import { type Cluster, type FilterChain, HTTP_INSPECTOR_TYPE, type Listener, type RouteConfiguration } from '@trellis/mesh-envoy';
import { loadAssignment, parseHostPort } from './endpoints';
import { catchAllRoutes, hcmChain, HTTP_APPLICATION_PROTOCOLS, socketAddress, tcpProxyChain } from './listeners';
import {
  INBOUND_CAPTURE_PORT,
  INBOUND_PASSTHROUGH_CLUSTER,
  inboundClusterName,
  inboundVirtualHostName,
  listenerName,
  VIRTUAL_INBOUND,
  WILDCARD_ADDRESS,
} from './naming';
import { servicesSelecting } from './label-index';
import { isAutoPort, isHttpPort } from './services';
import { DEFAULT_CONNECT_TIMEOUT } from './traffic-policy';

/** One inbound port of the proxy's own workload. */
export interface InboundPort {
  /** The service's target port: names the cluster `inbound|<targetPort>||`. */
  targetPort: number;
  /** Where callers reach this workload (target port or the workload's override): the listener port. */
  listenPort: number;
  http: boolean;
  /** No service declares the port's protocol: detected per connection (HTTP, else TCP). */
  auto: boolean;
  services: { host: string; name: string; namespace: string }[];
}

interface WorkloadIndex {
  readonly byName: ReadonlyMap<string, WorkloadInstance>;
  readonly byAddress: ReadonlyMap<string, WorkloadInstance>;
}

/**
 * Built once per snapshot's workload list (snapshots are immutable), so a push to N proxies costs
 * N map lookups instead of N scans of every workload. First entry wins, as `find` did.
 */
const workloadIndexes = new WeakMap<readonly WorkloadInstance[], WorkloadIndex>();

function workloadIndex(workloads: readonly WorkloadInstance[]): WorkloadIndex {
  let index = workloadIndexes.get(workloads);
  if (index === undefined) {
    const byName = new Map<string, WorkloadInstance>();
    const byAddress = new Map<string, WorkloadInstance>();
    for (const w of workloads) {
      const key = `${w.namespace}/${w.name}`;
      if (!byName.has(key)) byName.set(key, w);
      if (!byAddress.has(w.address)) byAddress.set(w.address, w);
    }
    index = { byName, byAddress };
    workloadIndexes.set(workloads, index);
  }
  return index;
}

/** The proxy's own workload: by name + namespace, else by IP. */
export function ownWorkload(ctx: TranslateContext): WorkloadInstance | undefined {
  const { proxy, snapshot } = ctx;
  const index = workloadIndex(snapshot.workloads);
  return index.byName.get(`${proxy.namespace}/${proxy.workloadName}`) ?? (proxy.ipAddress === '' ? undefined : index.byAddress.get(proxy.ipAddress));
}

/** Every (target port) of every Kubernetes service selecting this proxy's workload, ascending. */
export function inboundPorts(ctx: TranslateContext): InboundPort[] {
  const workload = ownWorkload(ctx);
  const labels = workload?.labels ?? ctx.proxy.labels;
  const namespace = workload?.namespace ?? ctx.proxy.namespace;
  const byPort = new Map<number, InboundPort>();
  for (const svc of servicesSelecting(ctx.snapshot.services, namespace, labels)) {
    for (const p of svc.ports) {
      const entry = byPort.get(p.targetPort) ?? {
        targetPort: p.targetPort,
        listenPort: workload?.ports?.[String(p.targetPort)] ?? p.targetPort,
        http: false,
        auto: false,
        services: [],
      };
      entry.http = entry.http || isHttpPort(p);
      entry.auto = entry.auto || isAutoPort(p);
      entry.services.push({ host: svc.hostname, name: svc.name, namespace: svc.namespace });
      byPort.set(p.targetPort, entry);
    }
  }
  return [...byPort.values()].sort((a, b) => a.targetPort - b.targetPort);
}

/** `inbound|<port>||`: STATIC, one endpoint = where the app listens (appEndpoints or 127.0.0.1:port). */
export function inboundCluster(ctx: TranslateContext, p: InboundPort): Cluster {
  const name = inboundClusterName(p.targetPort);
  const app = parseHostPort(ctx.proxy.appEndpoints?.[String(p.targetPort)], p.targetPort);
  return {
    name,
    type: 'STATIC',
    connect_timeout: DEFAULT_CONNECT_TIMEOUT,
    lb_policy: 'ROUND_ROBIN',
    load_assignment: loadAssignment(name, [{ address: app.address, port: app.port, labels: {}, weight: 1 }]),
    metadata: { filter_metadata: { istio: { services: [...p.services].sort((a, b) => (a.host < b.host ? -1 : 1)) } } },
  };
}

/** The inline inbound route config: vhost `inbound|http|<port>`, `*`, prefix "/" → inbound cluster. */
export function inboundRouteConfig(p: InboundPort): RouteConfiguration {
  const cluster = inboundClusterName(p.targetPort);
  return {
    name: cluster,
    virtual_hosts: [
      {
        name: inboundVirtualHostName(p.listenPort),
        domains: ['*'],
        routes: [{ name: 'default', match: { prefix: '/' }, route: { cluster, timeout: ZERO_DURATION } }],
      },
    ],
    validate_clusters: { value: false },
  };
}

function inboundChainOptions(p: InboundPort, bind: string): Parameters<typeof hcmChain>[0] {
  return { statPrefix: `inbound_${listenerName(bind, p.listenPort)}`, routes: inboundRouteConfig(p), fault: false, useRemoteAddress: false };
}

/** One port's chains: HTTP, TCP, or — undeclared — both, told apart by the http_inspector's verdict. */
function portChains(p: InboundPort): FilterChain[] {
  const name = listenerName(WILDCARD_ADDRESS, p.listenPort);
  const port = { destination_port: { value: p.listenPort } };
  const options = inboundChainOptions(p, WILDCARD_ADDRESS);
  if (p.http) return [hcmChain(options, { name, filter_chain_match: port })];
  const tcp = tcpProxyChain(inboundClusterName(p.targetPort), { name: p.auto ? `${name}-tcp` : name, filter_chain_match: port });
  if (!p.auto) return [tcp];
  return [hcmChain(options, { name, filter_chain_match: { ...port, application_protocols: [...HTTP_APPLICATION_PROTOCOLS] } }), tcp];
}

/** REDIRECT: `virtualInbound` on 0.0.0.0:15006, one chain per port plus a passthrough chain. */
export function virtualInboundListener(ports: readonly InboundPort[]): Listener {
  const chains = ports.flatMap((p) => portChains(p));
  const detecting = ports.some((p) => !p.http && p.auto);
  const fallback = { statPrefix: INBOUND_PASSTHROUGH_CLUSTER, routes: catchAllRoutes('inbound_passthrough', INBOUND_PASSTHROUGH_CLUSTER), fault: false };
  chains.push(hcmChain(fallback, { name: INBOUND_PASSTHROUGH_CLUSTER, filter_chain_match: { application_protocols: [...HTTP_APPLICATION_PROTOCOLS] } }));
  // Captured non-HTTP traffic to a port no chain claims (SO_ORIGINAL_DST): Istio's inbound tcp passthrough.
  chains.push(tcpProxyChain(INBOUND_PASSTHROUGH_CLUSTER, { name: `${VIRTUAL_INBOUND}-catchall-tcp` }));
  return {
    name: VIRTUAL_INBOUND,
    address: socketAddress(WILDCARD_ADDRESS, INBOUND_CAPTURE_PORT),
    use_original_dst: { value: true },
    traffic_direction: 'INBOUND',
    ...(detecting && { listener_filters: [{ name: 'envoy.filters.listener.http_inspector', typed_config: { '@type': HTTP_INSPECTOR_TYPE } }] }),
    filter_chains: chains,
  };
}

/** NONE (local mode): one listener `<podIP>_<port>` bound at the pod address per port: HCM for HTTP, tcp_proxy to `inbound|<port>||` else. */
export function directInboundListeners(ports: readonly InboundPort[], podIp: string): Listener[] {
  return ports.map((p) => ({
    name: listenerName(podIp, p.listenPort),
    address: socketAddress(podIp, p.listenPort),
    traffic_direction: 'INBOUND',
    // Without capture nothing inspects a bound listener here: an undeclared port is served as HTTP (local mode's apps are).
    filter_chains: [p.http || p.auto ? hcmChain(inboundChainOptions(p, podIp)) : tcpProxyChain(inboundClusterName(p.targetPort))],
  }));
}

export function inboundListeners(ctx: TranslateContext, ports: readonly InboundPort[]): Listener[] {
  if (ctx.proxy.interception === 'NONE') return directInboundListeners(ports, ctx.proxy.ipAddress);
  return [virtualInboundListener(ports)];
}
