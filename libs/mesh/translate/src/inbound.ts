import { effectivePeerAuthentication, mtlsModeForPort, type EffectivePeerAuthentication, type MtlsMode, type WorkloadInstance } from '@trellis/mesh-api';
import type { TranslateContext } from './context';
import { ZERO_DURATION } from './durations';
import { HTTP_PROTOCOL_OPTIONS_KEY, HTTP_PROTOCOL_OPTIONS_TYPE, type BindConfig, type Cluster, type RouteConfiguration } from '@trellis/mesh-envoy';
import { loadAssignment, parseHostPort } from './endpoints';
import { inboundClusterName, inboundVirtualHostName } from './naming';
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
  /** gRPC / HTTP2 (e.g. `grpc-port`): the app speaks h2c, so the inbound cluster does (istiod's IsHTTP2). */
  http2?: boolean;
  services: { host: string; name: string; namespace: string }[];
  /** The port's effective PeerAuthentication mode; absent when mTLS emission is off. */
  mode?: MtlsMode;
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

/** The proxy's own workload's effective PeerAuthentication; undefined when mTLS emission is off. */
export function ownPeerAuthentication(ctx: TranslateContext): EffectivePeerAuthentication | undefined {
  if (!ctx.options.mtls) return undefined;
  const workload = ownWorkload(ctx);
  const target = { namespace: workload?.namespace ?? ctx.proxy.namespace, labels: workload?.labels ?? ctx.proxy.labels };
  return effectivePeerAuthentication(ctx.snapshot.peerAuthentications, target, ctx.snapshot.rootNamespace);
}

/** Every (target port) of every Kubernetes service selecting this proxy's workload, ascending, with its mTLS mode. */
export function inboundPorts(ctx: TranslateContext): InboundPort[] {
  const workload = ownWorkload(ctx);
  const labels = workload?.labels ?? ctx.proxy.labels;
  const namespace = workload?.namespace ?? ctx.proxy.namespace;
  const authn = ownPeerAuthentication(ctx);
  const byPort = new Map<number, InboundPort>();
  for (const svc of servicesSelecting(ctx.snapshot.services, namespace, labels)) {
    for (const p of svc.ports) {
      const entry = byPort.get(p.targetPort) ?? {
        targetPort: p.targetPort,
        listenPort: workload?.ports?.[String(p.targetPort)] ?? p.targetPort,
        http: false,
        auto: false,
        services: [],
        ...(authn && { mode: mtlsModeForPort(authn, p.targetPort) }),
      };
      entry.http = entry.http || isHttpPort(p);
      entry.auto = entry.auto || isAutoPort(p);
      if (p.protocol === 'GRPC' || p.protocol === 'HTTP2') entry.http2 = true;
      entry.services.push({ host: svc.hostname, name: svc.name, namespace: svc.namespace });
      byPort.set(p.targetPort, entry);
    }
  }
  return [...byPort.values()].sort((a, b) => a.targetPort - b.targetPort);
}

/**
 * Istio's source address for the proxy's own connections to the app (inbound clusters and
 * InboundPassthroughCluster, REDIRECT only): capture's `-o lo -s 127.0.0.6/32 -j RETURN` exempts them.
 */
export const INBOUND_PASSTHROUGH_BIND: BindConfig = { source_address: { address: '127.0.0.6', port_value: 0 } };

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
    ...(ctx.proxy.interception === 'REDIRECT' && { upstream_bind_config: INBOUND_PASSTHROUGH_BIND }),
    ...(p.http2 === true && { typed_extension_protocol_options: { [HTTP_PROTOCOL_OPTIONS_KEY]: { '@type': HTTP_PROTOCOL_OPTIONS_TYPE, explicit_http_config: { http2_protocol_options: {} } } } }),
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
