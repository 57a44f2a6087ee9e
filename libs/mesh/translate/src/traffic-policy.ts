import type {
  ConnectionPoolSettings,
  DestinationRule,
  LoadBalancerSettings,
  OutlierDetection,
  PortTrafficPolicy,
  TrafficPolicy,
} from '@trellis/mesh-api';
import { durationOr, seconds, toDuration } from './durations';
import {
  HTTP_PROTOCOL_OPTIONS_KEY,
  HTTP_PROTOCOL_OPTIONS_TYPE,
  type CircuitBreakerThresholds,
  type Cluster,
  type HashPolicy,
  type HttpProtocolOptions,
  type LbPolicy,
  type OutlierDetection as EnvoyOutlierDetection,
  type UpstreamHttpProtocolOptions,
} from '@trellis/mesh-envoy';
import { upstreamTls } from './cluster-tls';
import type { IstioMtlsTarget } from './upstream-mtls';

/** The per-cluster policy after port-level and subset-level merging. */
export type EffectivePolicy = Omit<PortTrafficPolicy, 'port'>;

const MAX_UINT32 = 4294967295;
export const DEFAULT_CONNECT_TIMEOUT = seconds(10);

function fields(p: EffectivePolicy | undefined): EffectivePolicy {
  const out: EffectivePolicy = {};
  if (p?.loadBalancer) out.loadBalancer = p.loadBalancer;
  if (p?.connectionPool) out.connectionPool = p.connectionPool;
  if (p?.outlierDetection) out.outlierDetection = p.outlierDetection;
  if (p?.tls) out.tls = p.tls;
  return out;
}

/** A policy with its portLevelSettings for `port` applied over the top-level fields. */
function atPort(policy: TrafficPolicy | undefined, port: number): EffectivePolicy {
  const portLevel = policy?.portLevelSettings?.find((s) => s.port?.number === port);
  return { ...fields(policy), ...fields(portLevel) };
}

/** Istio's MergeTrafficPolicy: subset policy (port-resolved) overrides the top-level one field by field. */
export function effectivePolicy(dr: DestinationRule | undefined, subset: string | undefined, port: number): EffectivePolicy {
  if (!dr) return {};
  const top = atPort(dr.spec.trafficPolicy, port);
  const sub = subset === undefined ? undefined : dr.spec.subsets?.find((s) => s.name === subset);
  return { ...top, ...fields(atPort(sub?.trafficPolicy, port)) };
}

const SIMPLE_LB: Readonly<Record<string, LbPolicy>> = {
  LEAST_CONN: 'LEAST_REQUEST',
  LEAST_REQUEST: 'LEAST_REQUEST',
  ROUND_ROBIN: 'ROUND_ROBIN',
  RANDOM: 'RANDOM',
};

/** lb_policy for a loadBalancer setting; `fallback` is LEAST_REQUEST (Envoy) or ROUND_ROBIN (gRPC). */
export function lbPolicy(lb: LoadBalancerSettings | undefined, fallback: LbPolicy): LbPolicy {
  if (lb?.consistentHash) return 'RING_HASH';
  if (lb?.simple === 'PASSTHROUGH') return 'CLUSTER_PROVIDED';
  return (lb?.simple && SIMPLE_LB[lb.simple]) || fallback;
}

function threshold(value: number | undefined): { value: number } {
  return { value: value ?? MAX_UINT32 };
}

/** Circuit breakers: Istio fills unset thresholds with MaxUint32. */
export function circuitBreakers(pool: ConnectionPoolSettings | undefined): { thresholds: CircuitBreakerThresholds[] } {
  return {
    thresholds: [
      {
        priority: 'DEFAULT',
        max_connections: threshold(pool?.tcp?.maxConnections),
        max_pending_requests: threshold(pool?.http?.http1MaxPendingRequests),
        max_requests: threshold(pool?.http?.http2MaxRequests),
        max_retries: threshold(pool?.http?.maxRetries),
      },
    ],
  };
}

/** Istio's applyOutlierDetection: enforcing 100 for a configured detector, 0 for the other one. */
export function outlierDetection(od: OutlierDetection | undefined): EnvoyOutlierDetection | undefined {
  if (!od) return undefined;
  const out: EnvoyOutlierDetection = { enforcing_success_rate: { value: 0 } };
  const fiveXx = od.consecutive5xxErrors ?? od.consecutiveErrors;
  const gateway = od.consecutiveGatewayErrors;
  if (fiveXx !== undefined) out.consecutive_5xx = { value: fiveXx };
  if (gateway !== undefined) out.consecutive_gateway_failure = { value: gateway };
  if (fiveXx !== undefined || gateway !== undefined) {
    out.enforcing_consecutive_5xx = { value: fiveXx !== undefined && fiveXx > 0 ? 100 : 0 };
    out.enforcing_consecutive_gateway_failure = { value: gateway !== undefined && gateway > 0 ? 100 : 0 };
  }
  const interval = toDuration(od.interval);
  const baseEjection = toDuration(od.baseEjectionTime);
  if (interval) out.interval = interval;
  if (baseEjection) out.base_ejection_time = baseEjection;
  if (od.maxEjectionPercent !== undefined && od.maxEjectionPercent > 0) out.max_ejection_percent = { value: od.maxEjectionPercent };
  return out;
}

/** Istio's isHttp2Cluster: an HTTP/2 port, or HTTP/1 upgraded by `h2UpgradePolicy: UPGRADE`. */
function speaksHttp2(pool: ConnectionPoolSettings | undefined, http2: boolean): boolean {
  return http2 || pool?.http?.h2UpgradePolicy === 'UPGRADE';
}

/**
 * HttpProtocolOptions when anything needs saying (HTTP/2 upstream, idle timeout, requests per
 * connection, TLS's auto_sni / auto_san_validation).
 */
export function httpProtocolOptions(
  pool: ConnectionPoolSettings | undefined,
  http2: boolean,
  upstream?: UpstreamHttpProtocolOptions,
): HttpProtocolOptions | undefined {
  const idle = toDuration(pool?.http?.idleTimeout);
  const perConn = pool?.http?.maxRequestsPerConnection;
  const useH2 = speaksHttp2(pool, http2);
  if (!idle && perConn === undefined && !useH2 && upstream === undefined) return undefined;
  const common: NonNullable<HttpProtocolOptions['common_http_protocol_options']> = {};
  if (idle) common.idle_timeout = idle;
  if (perConn !== undefined && perConn > 0) common.max_requests_per_connection = { value: perConn };
  return {
    '@type': HTTP_PROTOCOL_OPTIONS_TYPE,
    ...(Object.keys(common).length > 0 ? { common_http_protocol_options: common } : {}),
    ...(upstream !== undefined ? { upstream_http_protocol_options: upstream } : {}),
    explicit_http_config: useH2 ? { http2_protocol_options: {} } : { http_protocol_options: {} },
  };
}

/**
 * The traffic-policy fields of a cluster (lb, connect timeout, breakers, outlier detection, protocol
 * options, upstream TLS). `serviceSans`: a ServiceEntry's subjectAltNames.
 */
export function policyClusterFields(
  policy: EffectivePolicy,
  http2: boolean,
  fallbackLb: LbPolicy,
  serviceSans?: readonly string[],
  istio?: IstioMtlsTarget,
): Partial<Cluster> {
  const out: Partial<Cluster> = {
    connect_timeout: durationOr(policy.connectionPool?.tcp?.connectTimeout, DEFAULT_CONNECT_TIMEOUT),
    lb_policy: lbPolicy(policy.loadBalancer, fallbackLb),
    circuit_breakers: circuitBreakers(policy.connectionPool),
  };
  const ringSize = policy.loadBalancer?.consistentHash?.minimumRingSize;
  if (ringSize !== undefined) out.ring_hash_lb_config = { minimum_ring_size: { value: ringSize } };
  const od = outlierDetection(policy.outlierDetection);
  if (od) out.outlier_detection = od;
  const tls = upstreamTls({ tls: policy.tls, http2: speaksHttp2(policy.connectionPool, http2), ...(serviceSans ? { serviceSans } : {}), ...(istio && { istio }) });
  const options = httpProtocolOptions(policy.connectionPool, http2, tls.upstreamHttpOptions);
  if (options) out.typed_extension_protocol_options = { [HTTP_PROTOCOL_OPTIONS_KEY]: options };
  if (tls.transportSocket) out.transport_socket = tls.transportSocket;
  if (tls.transportSocketMatches) out.transport_socket_matches = tls.transportSocketMatches;
  return out;
}

/** Route hash_policy for a consistentHash load balancer. */
export function hashPolicy(lb: LoadBalancerSettings | undefined): HashPolicy[] | undefined {
  const ch = lb?.consistentHash;
  if (!ch) return undefined;
  if (ch.httpHeaderName) return [{ header: { header_name: ch.httpHeaderName } }];
  if (ch.httpCookie) {
    const ttl = toDuration(ch.httpCookie.ttl);
    const cookie = { name: ch.httpCookie.name, ...(ttl ? { ttl } : {}), ...(ch.httpCookie.path ? { path: ch.httpCookie.path } : {}) };
    return [{ cookie }];
  }
  if (ch.useSourceIp) return [{ connection_properties: { source_ip: true } }];
  if (ch.httpQueryParameterName) return [{ query_parameter: { name: ch.httpQueryParameterName } }];
  return undefined;
}
