import type { Socket } from 'node:net';
import type { TypedConfig } from '../config/envoy-types';
import { type CompiledIstioStats, compileIstioStats } from '../http/filters/istio-stats';
import type { ProxyContext } from '../proxy-context';
import type { TcpSeries } from '../stats/istio-metrics';
import { serviceNameOf } from '../stats/istio-labels';
import { downstreamTlsOf, peerPrincipal } from '../tls/peer-identity';
import type { UpstreamCluster } from '../upstream/upstream-cluster';
import type { WorkloadInfo } from '../stats/workload';

/**
 * istio.stats as a network filter before tcp_proxy (istio_stats.cc's Network::ReadFilter): per
 * connection istio_tcp_connections_opened_total once (when the upstream is connected, or at close
 * when it never was: flags `UF`, `NR` without a cluster), istio_tcp_received_bytes_total (from the
 * downstream) and istio_tcp_sent_bytes_total (to it) as bytes pass, istio_tcp_connections_closed_total
 * at close. The reporter is the listener's direction, fixed at compile time. The peer workload comes
 * from the `istio-peer-exchange` metadata exchange (tcp/metadata-exchange.ts: the downstream's on the
 * server side, the upstream's on the client side); while an exchange is under way the connection is
 * reported opened only once it ends or the connection closes (istio_stats' peerInfoRead), with the
 * bytes that passed meanwhile. Without one the workload labels are `unknown`; the server side still
 * reports the downstream certificate's principal, its namespace and connection_security_policy.
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
  private peer: WorkloadInfo | undefined;
  /** A metadata exchange on this report's side is under way. */
  private waiting = false;
  private connected: UpstreamCluster | undefined;
  /** Bytes before the series is found. */
  private rx = 0;
  private tx = 0;

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
    return scope.edge(this.peer, host, name, peerSan, localSan).tcpSeries(flags);
  }

  /**
   * An exchange started on the downstream (`downstream`) or upstream connection: the one on this
   * report's side (server: downstream, client: upstream) holds the open report until `peerKnown`.
   * Returns whether it is this report's side.
   */
  expectPeer(downstream: boolean): boolean {
    if (downstream !== this.config.server || this.series !== undefined) return false;
    this.waiting = true;
    return true;
  }

  /** The exchange ended: the peer (undefined = it sent none). */
  peerKnown(peer: WorkloadInfo | undefined): void {
    this.peer = peer;
    this.waiting = false;
    if (this.connected !== undefined) this.report(this.connected, '-');
  }

  open(cluster: UpstreamCluster): void {
    this.connected = cluster;
    this.report(cluster, '-');
  }

  private report(cluster: UpstreamCluster | undefined, flags: string): void {
    if (this.series !== undefined || this.waiting) return;
    const s = (this.series = this.find(cluster, flags));
    s.opened++;
    s.received += this.rx;
    s.sent += this.tx;
  }

  received(n: number): void {
    if (this.series !== undefined) this.series.received += n;
    else this.rx += n;
  }

  sent(n: number): void {
    if (this.series !== undefined) this.series.sent += n;
    else this.tx += n;
  }

  /** At close: reported if not yet; a connection never connected upstream with its flag (`NR`, `UF`). */
  close(cluster: UpstreamCluster | undefined): void {
    this.waiting = false;
    this.report(cluster, this.connected !== undefined ? '-' : cluster === undefined ? 'NR' : 'UF');
    (this.series as TcpSeries).closed++;
  }
}
