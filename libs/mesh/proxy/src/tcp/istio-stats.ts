import type { Socket } from 'node:net';
import type { TypedConfig } from '../config/envoy-types';
import { type CompiledIstioStats, compileIstioStats } from '../http/filters/istio-stats';
import type { ProxyContext } from '../proxy-context';
import type { TcpSeries } from '../stats/istio-metrics';
import { serviceNameOf } from '../stats/istio-labels';
import { downstreamTlsOf, peerPrincipal } from '../tls/peer-identity';
import type { UpstreamCluster } from '../upstream/upstream-cluster';

/**
 * istio.stats as a network filter before tcp_proxy (istio_stats.cc's Network::ReadFilter): per
 * connection istio_tcp_connections_opened_total once (when the upstream is connected, or at close
 * when it never was: flags `UF`, `NR` without a cluster), istio_tcp_received_bytes_total (from the
 * downstream) and istio_tcp_sent_bytes_total (to it) as bytes pass, istio_tcp_connections_closed_total
 * at close. The reporter is the listener's direction, fixed at compile time. The peer workload is
 * not known on TCP (no `istio-peer-exchange` metadata exchange yet): source_* / destination_*
 * workload labels are `unknown`; the server side still reports the downstream certificate's
 * principal, its namespace and connection_security_policy.
 */
export interface CompiledTcpIstioStats {
  readonly stats: CompiledIstioStats;
  /** INBOUND listener (or SERVER_GATEWAY): reporter destination. */
  readonly server: boolean;
}

export function compileTcpIstioStats(resource: string, config: TypedConfig, direction: string | undefined): CompiledTcpIstioStats {
  const stats = compileIstioStats(resource, config);
  return { stats, server: stats.serverGateway || direction === 'INBOUND' };
}

const NAMED = new Set(['BlackHoleCluster', 'PassthroughCluster', 'InboundPassthroughCluster', 'InboundPassthroughClusterIpv4', 'InboundPassthroughClusterIpv6']);

/** One connection's report; every method is a few field updates once the series is found. */
export class IstioTcpReport {
  private series: TcpSeries | undefined;

  constructor(
    private readonly ctx: ProxyContext,
    private readonly config: CompiledTcpIstioStats,
    private readonly downstream: Socket,
  ) {}

  private find(cluster: UpstreamCluster | undefined, flags: string): TcpSeries {
    const c = this.config;
    const scope = this.ctx.traffic.istio(this.ctx.node).scope(c.server ? 'destination' : 'source', c.stats.overrides);
    let peerSan = '';
    let localSan = '';
    if (c.server) {
      const tls = downstreamTlsOf(this.downstream);
      peerSan = peerPrincipal(tls) ?? '';
      localSan = tls?.localUriSans[0] ?? '';
    }
    const named = cluster !== undefined && NAMED.has(cluster.name);
    const host = named ? '' : (cluster?.config.serviceHost ?? '');
    const name = named ? (cluster?.name ?? '') : serviceNameOf(host);
    return scope.edge(undefined, host, name, peerSan, localSan).tcpSeries(flags);
  }

  open(cluster: UpstreamCluster | undefined, flags = '-'): void {
    if (this.series !== undefined) return;
    this.series = this.find(cluster, flags);
    this.series.opened++;
  }

  received(n: number): void {
    if (this.series !== undefined) this.series.received += n;
  }

  sent(n: number): void {
    if (this.series !== undefined) this.series.sent += n;
  }

  /** At close: a connection never connected upstream is opened and closed with its flag. */
  close(cluster: UpstreamCluster | undefined): void {
    this.open(cluster, cluster === undefined ? 'NR' : 'UF');
    (this.series as TcpSeries).closed++;
  }
}
