import { isIP } from 'node:net';
import type { Cluster, ClusterLoadAssignment, HttpProtocolOptions } from '../config/envoy-types';
import { KNOWN_TYPES, checkDuration, invalid, requireName } from '../config/proto';
import { type UpstreamTlsConfig, compileUpstreamTls } from './tls-config';
import type { TlsEnv } from '../tls/tls-env';
import { type CompiledSocketMatch, type SocketMetadata, TRANSPORT_SOCKET_MATCH_KEY, compileSocketMatches } from './transport-socket-match';
import { type CompiledMetadataExchange, compileClusterFilters } from '../tcp/metadata-exchange';

export type LbPolicy = 'LEAST_REQUEST' | 'ROUND_ROBIN' | 'RANDOM' | 'RING_HASH' | 'MAGLEV';

export interface Thresholds {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
  /** `track_remaining`: the `remaining_*` gauges are published. */
  readonly trackRemaining: boolean;
}

export interface OutlierConfig {
  readonly consecutive5xx: number;
  readonly consecutiveGatewayFailure: number;
  readonly enforcing5xx: boolean;
  readonly enforcingGatewayFailure: boolean;
  readonly intervalMs: number;
  readonly baseEjectionMs: number;
  readonly maxEjectionPercent: number;
}

/** A Cluster compiled; `edsName` is where its endpoints come from (undefined = static/original dst). */
export interface ClusterConfig {
  readonly name: string;
  readonly type: 'EDS' | 'STATIC' | 'STRICT_DNS' | 'ORIGINAL_DST';
  readonly edsName: string | undefined;
  readonly staticAssignment: ClusterLoadAssignment | undefined;
  readonly connectTimeoutMs: number;
  readonly lbPolicy: LbPolicy;
  readonly thresholds: Thresholds;
  /** The HIGH priority thresholds: published as `circuit_breakers.high.*` (no route here asks for HIGH priority). */
  readonly highThresholds: Thresholds;
  readonly outlier: OutlierConfig | undefined;
  readonly idleTimeoutMs: number;
  readonly maxRequestsPerConnection: number;
  readonly serviceHost: string | undefined;
  /** Upstream protocol (HttpProtocolOptions.explicit_http_config): HTTP/2 (h2c) for gRPC/http2 ports. */
  readonly http2: boolean;
  /** transport_socket `envoy.transport_sockets.tls`; undefined = plaintext. */
  readonly tls: UpstreamTlsConfig | undefined;
  /** transport_socket_matches (auto mTLS): chosen per endpoint by its metadata. */
  readonly socketMatches: readonly CompiledSocketMatch[];
  /** Some endpoint may speak TLS (the cluster has `ssl.*` stats). */
  readonly anyTls: boolean;
  /** upstream_bind_config.source_address (Istio: 127.0.0.6 on inbound clusters). */
  readonly sourceAddress: string | undefined;
  /** `filters`: the upstream `istio-peer-exchange` metadata exchange (tcp_proxy connections; tcp/metadata-exchange.ts). */
  readonly metadataExchange?: CompiledMetadataExchange;
}

const ENVOY_DEFAULT_THRESHOLD = 1024;
const ENVOY_DEFAULT_RETRIES = 3;
const LB_POLICIES = new Set(['LEAST_REQUEST', 'ROUND_ROBIN', 'RANDOM', 'RING_HASH', 'MAGLEV']);
const TYPES = new Set(['EDS', 'STATIC', 'STRICT_DNS', 'LOGICAL_DNS', 'ORIGINAL_DST']);

function compileThresholds(c: Cluster, priority: 'DEFAULT' | 'HIGH'): Thresholds {
  const t = (c.circuit_breakers?.thresholds ?? []).find((x) => (x.priority ?? 'DEFAULT') === priority);
  return {
    maxConnections: t?.max_connections?.value ?? ENVOY_DEFAULT_THRESHOLD,
    maxPendingRequests: t?.max_pending_requests?.value ?? ENVOY_DEFAULT_THRESHOLD,
    maxRequests: t?.max_requests?.value ?? ENVOY_DEFAULT_THRESHOLD,
    maxRetries: t?.max_retries?.value ?? ENVOY_DEFAULT_RETRIES,
    trackRemaining: t?.track_remaining === true,
  };
}

function compileOutlier(resource: string, c: Cluster): OutlierConfig | undefined {
  const o = c.outlier_detection;
  if (o === undefined) return undefined;
  return {
    consecutive5xx: o.consecutive_5xx?.value ?? 5,
    consecutiveGatewayFailure: o.consecutive_gateway_failure?.value ?? 5,
    enforcing5xx: (o.enforcing_consecutive_5xx?.value ?? 100) > 0,
    enforcingGatewayFailure: (o.enforcing_consecutive_gateway_failure?.value ?? 0) > 0,
    intervalMs: checkDuration(resource, 'outlier_detection.interval', o.interval) ?? 10_000,
    baseEjectionMs: checkDuration(resource, 'outlier_detection.base_ejection_time', o.base_ejection_time) ?? 30_000,
    maxEjectionPercent: o.max_ejection_percent?.value ?? 10,
  };
}

function protocolOptions(resource: string, c: Cluster): HttpProtocolOptions | undefined {
  const opts = c.typed_extension_protocol_options;
  if (opts === undefined) return undefined;
  const entry = opts['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'];
  if (entry !== undefined && entry['@type'] !== KNOWN_TYPES.httpProtocolOptions) {
    throw invalid(resource, `unknown protocol options @type ${String(entry['@type'])}`);
  }
  return entry as HttpProtocolOptions | undefined;
}

function serviceHost(c: Cluster): string | undefined {
  const services = c.metadata?.filter_metadata?.['istio']?.['services'];
  if (!Array.isArray(services) || services.length === 0) return undefined;
  const host = (services[0] as { host?: unknown }).host;
  return typeof host === 'string' ? host : undefined;
}

function sourceAddress(resource: string, c: Cluster): string | undefined {
  const sa = c.upstream_bind_config?.source_address;
  if (sa === undefined) return undefined;
  if (typeof sa.address !== 'string' || isIP(sa.address) === 0) throw invalid(resource, `upstream_bind_config.source_address ${String(sa.address)} is not an IP address`);
  return sa.address;
}

export function compileCluster(c: Cluster, index: number, env: TlsEnv = {}): ClusterConfig {
  const name = requireName('cluster', c.name, index);
  const resource = `cluster ${name}`;
  const type = c.type ?? 'STATIC';
  if (!TYPES.has(type)) throw invalid(resource, `unsupported type ${String(type)}`);
  const lb = c.lb_policy ?? 'LEAST_REQUEST';
  if (!LB_POLICIES.has(lb) && !(lb === 'CLUSTER_PROVIDED' && type === 'ORIGINAL_DST')) {
    throw invalid(resource, `unsupported lb_policy ${String(lb)}`);
  }
  const options = protocolOptions(resource, c);
  const common = options?.common_http_protocol_options;
  const tls = compileUpstreamTls(resource, c.transport_socket, options, env);
  const socketMatches = compileSocketMatches(resource, c.transport_socket_matches, options, env);
  const mx = compileClusterFilters(resource, c.filters);
  return {
    name,
    type: type === 'LOGICAL_DNS' ? 'STRICT_DNS' : type,
    edsName: type === 'EDS' ? c.eds_cluster_config?.service_name || name : undefined,
    staticAssignment: type === 'STATIC' || type === 'STRICT_DNS' || type === 'LOGICAL_DNS' ? c.load_assignment : undefined,
    connectTimeoutMs: checkDuration(resource, 'connect_timeout', c.connect_timeout) ?? 5000,
    lbPolicy: lb === 'CLUSTER_PROVIDED' ? 'RANDOM' : (lb as LbPolicy),
    thresholds: compileThresholds(c, 'DEFAULT'),
    highThresholds: compileThresholds(c, 'HIGH'),
    outlier: compileOutlier(resource, c),
    idleTimeoutMs: checkDuration(resource, 'idle_timeout', common?.idle_timeout) ?? 3_600_000,
    maxRequestsPerConnection: common?.max_requests_per_connection?.value ?? 0,
    serviceHost: serviceHost(c),
    http2: options?.explicit_http_config?.http2_protocol_options !== undefined || c.http2_protocol_options !== undefined,
    tls,
    socketMatches,
    anyTls: tls !== undefined || socketMatches.some((m) => m.tls !== undefined),
    sourceAddress: sourceAddress(resource, c),
    ...(mx !== undefined && { metadataExchange: mx }),
  };
}

export interface EndpointSpec {
  readonly host: string;
  readonly port: number;
  readonly healthy: boolean;
  readonly weight: number;
  /** `metadata.filter_metadata["envoy.transport_socket_match"]` (Istio: {tlsMode: istio} on sidecar'd pods). */
  readonly socketMatch?: SocketMetadata;
}

function socketMatchOf(meta: unknown): { socketMatch?: SocketMetadata } {
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? { socketMatch: meta as SocketMetadata } : {};
}

const UNHEALTHY = new Set(['UNHEALTHY', 'DRAINING', 'TIMEOUT', 'DEGRADED']);

/** Flatten a ClusterLoadAssignment to endpoints; localities are not prioritised. */
export function compileAssignment(cla: ClusterLoadAssignment, resource: string): EndpointSpec[] {
  const out: EndpointSpec[] = [];
  for (const loc of cla.endpoints ?? []) {
    for (const lb of loc.lb_endpoints ?? []) {
      const sa = lb.endpoint?.address?.socket_address;
      if (typeof sa?.address !== 'string' || typeof sa.port_value !== 'number') {
        throw invalid(resource, 'lb_endpoint without socket_address address/port_value');
      }
      out.push({
        host: sa.address,
        port: sa.port_value,
        healthy: !UNHEALTHY.has(lb.health_status ?? 'UNKNOWN'),
        weight: lb.load_balancing_weight?.value ?? 1,
        ...socketMatchOf(lb.metadata?.filter_metadata?.[TRANSPORT_SOCKET_MATCH_KEY]),
      });
    }
  }
  return out;
}
