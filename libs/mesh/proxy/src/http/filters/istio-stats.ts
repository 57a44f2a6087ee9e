import type { OutgoingHttpHeaders } from 'node:http';
import { ISTIO_STATS_TYPE, type IstioMetricOverride, type IstioStatsConfig, type Received } from '@trellis/mesh-envoy';
import type { TypedConfig } from '../../config/envoy-types';
import { invalid } from '../../config/proto';
import { ALL_METRICS } from '../../stats/istio-render';
import { type CompiledOverrides, type StatsScope, compileOverrides } from '../../stats/istio-metrics';
import type { Reporter } from '../../stats/istio-labels';
import { GrpcMessageCounts } from '../../stats/grpc-messages';
import { serviceNameOf } from '../../stats/istio-labels';
import { downstreamTlsOf, peerPrincipal } from '../../tls/peer-identity';
import type { Exchange } from '../exchange';
import type { FilterStatus, HttpFilter, HttpFilterFactory } from '../filter';

/**
 * istio.stats (istio/proxy source/extensions/filters/http/istio_stats): records Istio's standard HTTP
 * metrics when the exchange completes — istio_requests_total, istio_request_duration_milliseconds,
 * istio_request_bytes, istio_response_bytes — with the reporter from the listener's direction
 * (INBOUND → destination; outbound and gateway listeners → source), the peer from the metadata
 * exchange (ex.downstreamPeer / ex.upstreamPeer), the downstream certificate's principals, and the
 * destination service from the cluster's `istio.services` metadata (or a passthrough cluster's name,
 * or the Host header unless `disable_host_header_fallback`). Recording is lookups in stats/istio-metrics.ts.
 */
export interface CompiledIstioStats {
  readonly disableHostHeaderFallback: boolean;
  /** stats.Reporter SERVER_GATEWAY (a waypoint): server-side labels whatever the direction. */
  readonly serverGateway: boolean;
  readonly overrides: CompiledOverrides;
}

/** Clusters whose name is the destination service name (istio_stats populatePeerInfo). */
const NAMED_CLUSTERS = new Set(['BlackHoleCluster', 'PassthroughCluster', 'InboundPassthroughCluster', 'InboundPassthroughClusterIpv4', 'InboundPassthroughClusterIpv6']);

export function compileIstioStats(resource: string, config: TypedConfig): CompiledIstioStats {
  const c = config as Received<IstioStatsConfig>;
  const reporter = c.reporter ?? 'UNSPECIFIED';
  if (reporter !== 'UNSPECIFIED' && reporter !== 'SERVER_GATEWAY' && (reporter as unknown) !== 0 && (reporter as unknown) !== 1) {
    throw invalid(resource, `reporter ${String(reporter)} unknown`);
  }
  const metrics = (c.metrics ?? []) as IstioMetricOverride[];
  if (!Array.isArray(metrics)) throw invalid(resource, 'metrics must be a list');
  return {
    disableHostHeaderFallback: c.disable_host_header_fallback === true,
    serverGateway: reporter === 'SERVER_GATEWAY' || (reporter as unknown) === 1,
    overrides: compileOverrides(metrics, ALL_METRICS),
  };
}

/** destination_service host and name of an exchange. */
function serviceOf(ex: Exchange, config: CompiledIstioStats): [host: string, name: string] {
  const fallback = config.disableHostHeaderFallback ? '' : ex.authority;
  const routeName = ex.route.name;
  if (routeName === 'block_all') return [fallback, 'BlackHoleCluster'];
  if (routeName === 'allow_any') return [fallback, 'PassthroughCluster'];
  const cluster = ex.cluster;
  if (cluster === undefined) return [fallback, fallback];
  if (NAMED_CLUSTERS.has(cluster.name)) return [fallback, cluster.name];
  const host = cluster.config.serviceHost;
  return host === undefined ? [fallback, fallback] : [host, serviceNameOf(host)];
}

function isGrpc(ex: Exchange): boolean {
  const ct = ex.headers['content-type'];
  return ct !== undefined && ct.startsWith('application/grpc');
}

function grpcStatusOf(ex: Exchange): number {
  const t = ex.trailers?.['grpc-status'];
  if (typeof t === 'string') {
    const n = Number(t);
    if (Number.isInteger(n) && n >= 0) return n;
  }
  return ex.grpcStatus;
}

class IstioStatsFilter implements HttpFilter {
  private scope: StatsScope | undefined;

  constructor(
    readonly name: string,
    private readonly config: CompiledIstioStats,
  ) {}

  decodeHeaders(ex: Exchange): FilterStatus {
    // Envoy's grpc_stats (istio/proxy counts messages through it): only gRPC requests pay for counting.
    if (isGrpc(ex)) ex.grpcMessages = new GrpcMessageCounts();
    return 'continue';
  }

  encodeHeaders(ex: Exchange, _status: number, headers: OutgoingHttpHeaders): void {
    const g = headers['grpc-status'];
    if (g !== undefined) ex.grpcStatus = Number(g);
  }

  onComplete(ex: Exchange): void {
    const server = this.config.serverGateway || ex.target.listener.direction === 'INBOUND';
    const reporter: Reporter = server ? 'destination' : 'source';
    this.scope ??= ex.ctx.traffic.istio(ex.ctx.node).scope(reporter, this.config.overrides);
    let peerSan = '';
    let localSan = '';
    if (server) {
      const tls = downstreamTlsOf(ex.req.socket);
      peerSan = peerPrincipal(tls) ?? '';
      localSan = tls?.localUriSans[0] ?? '';
    }
    const [host, name] = serviceOf(ex, this.config);
    const edge = this.scope.edge(server ? ex.downstreamPeer : ex.upstreamPeer, host, name, peerSan, localSan);
    const grpc = isGrpc(ex);
    const series = edge.httpSeries(ex.flags === '' ? '-' : ex.flags, ex.status, grpc, grpc ? grpcStatusOf(ex) : -1);
    series.requests++;
    const messages = ex.grpcMessages;
    if (messages !== undefined) {
      series.requestMessages += messages.request.count;
      series.responseMessages += messages.response.count;
    }
    series.duration.record(ex.ctx.runtime.clock.monotonic() - ex.startHr);
    series.requestBytes.record(Number(ex.headers['content-length'] ?? 0) || 0);
    series.responseBytes.record(ex.bytesSent);
  }
}

export const istioStatsFilter: HttpFilterFactory = {
  typeUrl: ISTIO_STATS_TYPE,
  create: (resource, name, config) => new IstioStatsFilter(name, compileIstioStats(resource, config)),
};
