import { type Socket, connect } from 'node:net';
import { connectTls } from '../upstream/tls-connect';
import type { ProxyContext } from '../proxy-context';
import type { Endpoint } from '../upstream/endpoint';
import type { UpstreamCluster } from '../upstream/upstream-cluster';
import { type CompiledTcpProxy, pickTcpCluster } from './tcp-proxy-config';
import { IstioTcpReport } from './istio-stats';
import { writeAccessLogs } from '../access-log/compile';
import { downstreamFacts, tcpLogRecord } from '../access-log/tcp-record';
import { type CompiledMetadataExchange, startExchange } from './metadata-exchange';
import type { ExchangeReader } from './metadata-exchange-reader';

/**
 * One downstream connection through envoy.filters.network.tcp_proxy: cluster (weighted) → circuit
 * breaker (max_connections) → host → connect (connect_timeout, up to max_connect_attempts hosts) →
 * bytes both ways with backpressure. Half-close passes through (a FIN one way leaves the other way
 * open, as Envoy does); an error or reset on either side closes both; no bytes either way for
 * idle_timeout closes both. The downstream socket is paused until the upstream is connected.
 */
export class TcpSession {
  private upstream: Socket | undefined;
  private cluster: UpstreamCluster | undefined;
  private attempts = 0;
  private closed = false;
  private readonly tried = new Set<Endpoint>();
  /** Istio's TCP metrics, when istio.stats precedes this tcp_proxy. */
  private readonly istio: IstioTcpReport | undefined;
  /** Access-log facts (only kept when the tcp_proxy has access_log). */
  private readonly startMs: number;
  private readonly startHr: number;
  private host: Endpoint | undefined;
  private upstreamLocal = '';
  private readonly down: ReturnType<typeof downstreamFacts> | undefined;
  private rx = 0;
  private tx = 0;
  /** The downstream's metadata exchange (istio.metadata_exchange before this tcp_proxy, ALPN matched). */
  private readonly downMx: ExchangeReader | undefined;

  constructor(
    private readonly ctx: ProxyContext,
    private readonly config: CompiledTcpProxy,
    private readonly downstream: Socket,
    /** Where a captured connection was going (SO_ORIGINAL_DST): the host of ORIGINAL_DST clusters. */
    private readonly dst?: { readonly address: string; readonly port: number },
  ) {
    config.stats.cx.value++;
    this.startMs = ctx.runtime.clock.now();
    this.startHr = ctx.runtime.clock.monotonic();
    this.down = config.accessLogs.length > 0 ? downstreamFacts(downstream) : undefined;
    this.istio = config.istioStats === undefined ? undefined : new IstioTcpReport(ctx, config.istioStats, downstream);
    this.downMx = config.metadataExchange === undefined ? undefined : this.exchange(config.metadataExchange, downstream, true);
    downstream.pause();
    downstream.on('error', () => this.close());
    downstream.on('close', () => this.close());
    const cluster = ctx.clusters.get(pickTcpCluster(config, ctx.runtime.random));
    if (cluster === undefined) {
      config.stats.noRoute.value++;
      this.close();
      return;
    }
    if (!cluster.admitConnection()) {
      this.close();
      return;
    }
    this.cluster = cluster;
    this.connectNext();
  }

  private connectNext(): void {
    const cluster = this.cluster;
    if (cluster === undefined || this.closed) return;
    const host = cluster.config.type === 'ORIGINAL_DST' ? this.originalHost(cluster) : cluster.pick(undefined, this.tried, 1 + this.tried.size);
    if (host === undefined || this.attempts >= this.config.maxConnectAttempts) {
      this.close();
      return;
    }
    this.attempts++;
    this.tried.add(host);
    cluster.stats.upstream_cx_total++;
    const up = this.open(cluster, host);
    if (up === undefined) {
      this.connectFailed(undefined, cluster, false);
      return;
    }
    this.upstream = up;
    let settled = false;
    const failed = (timeout: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.connectFailed(up, cluster, timeout);
    };
    const timer = setTimeout(failed, cluster.config.connectTimeoutMs, true);
    up.once(host.tls === undefined ? 'connect' : 'secureConnect', () => {
      settled = true;
      clearTimeout(timer);
      this.host = host;
      if (this.down !== undefined) this.upstreamLocal = `${up.localAddress ?? ''}:${up.localPort ?? 0}`;
      this.connected(up, cluster);
    });
    up.once('error', () => failed(false));
  }

  /**
   * Plaintext, or the endpoint's TLS (SNI: the cluster's `sni`; tcp_proxy has no host for auto_sni);
   * undefined while its SDS secrets are missing (counted as Envoy's NotReadySslSocket).
   */
  private open(cluster: UpstreamCluster, host: Endpoint): Socket | undefined {
    const tls = host.tls;
    const localAddress = cluster.config.sourceAddress;
    const ssl = cluster.stats.ssl;
    if (tls === undefined || ssl === undefined) {
      return connect({ host: host.host, port: host.port, allowHalfOpen: true, noDelay: true, ...(localAddress !== undefined ? { localAddress } : {}) });
    }
    if (tls.contexts.current() === undefined) {
      ssl.socketFactory.upstream_context_secrets_not_ready++;
      return undefined;
    }
    return connectTls({ host: host.host, port: host.port, transport: { tls, stats: ssl }, sni: tls.sni, allowHalfOpen: true, localAddress });
  }

  /** PassthroughCluster / InboundPassthroughCluster: the original destination, tried once. */
  private originalHost(cluster: UpstreamCluster): Endpoint | undefined {
    if (this.dst === undefined || this.tried.size > 0) return undefined;
    return cluster.originalDestination(this.dst.address, this.dst.port);
  }

  private connectFailed(up: Socket | undefined, cluster: UpstreamCluster, timeout: boolean): void {
    if (timeout) cluster.stats.upstream_cx_connect_timeout++;
    cluster.stats.upstream_cx_connect_fail++;
    up?.destroy();
    this.upstream = undefined;
    this.connectNext();
  }

  private connected(up: Socket, cluster: UpstreamCluster): void {
    if (this.closed) {
      up.destroy();
      return;
    }
    const down = this.downstream;
    const stats = this.config.stats;
    const istio = this.istio;
    const upMx = cluster.config.metadataExchange === undefined ? undefined : this.exchange(cluster.config.metadataExchange, up, false);
    istio?.open(cluster);
    pipe(down, up, this.downMx, (n) => {
      this.rx += n;
      istio?.received(n);
      stats.rxBytes.value += n;
      cluster.stats.upstream_cx_tx_bytes_total += n;
    });
    pipe(up, down, upMx, (n) => {
      this.tx += n;
      istio?.sent(n);
      stats.txBytes.value += n;
      cluster.stats.upstream_cx_rx_bytes_total += n;
    });
    up.on('error', () => this.close());
    up.on('close', () => this.close());
    if (this.config.idleTimeoutMs > 0) {
      // The downstream socket sees every byte both ways (read one way, written the other).
      down.setTimeout(this.config.idleTimeoutMs, () => {
        stats.idleTimeout.value++;
        this.close();
      });
    }
    down.resume();
  }

  /** Starts a metadata exchange on one side; its peer goes to the metrics when it is their side's. */
  private exchange(mx: CompiledMetadataExchange, socket: Socket, downstream: boolean): ExchangeReader | undefined {
    let ours = false;
    const reader = startExchange(this.ctx, mx, socket, (peer) => {
      if (ours) this.istio?.peerKnown(peer);
    });
    ours = reader !== undefined && this.istio?.expectPeer(downstream) === true;
    return reader;
  }

  /** One line per connection, at close (connection-level fields: bytes, duration, upstream host, `UF` when none connected). */
  private writeAccessLog(down: ReturnType<typeof downstreamFacts>): void {
    writeAccessLogs(
      this.config.accessLogs,
      tcpLogRecord(this.downstream, {
        startMs: this.startMs,
        durationMs: Math.round(this.ctx.runtime.clock.monotonic() - this.startHr),
        bytesReceived: this.rx,
        bytesSent: this.tx,
        responseFlags: this.host === undefined ? (this.cluster === undefined ? 'NR' : 'UF') : '',
        upstreamHost: this.host?.address ?? '',
        upstreamCluster: this.cluster?.name ?? '',
        upstreamLocalAddress: this.upstreamLocal,
        routeName: '',
        ...down,
      }),
    );
  }

  /** Both sides closed (idempotent); the breaker slot is released once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.istio?.close(this.cluster);
    if (this.down !== undefined) this.writeAccessLog(this.down);
    this.downstream.destroy();
    this.upstream?.destroy();
    if (this.cluster !== undefined) this.cluster.tcpActive--;
  }
}

/**
 * Bytes from `from` to `to` with backpressure; a FIN on `from` half-closes `to` once written. A
 * metadata exchange reader takes the peer's exchange off the front first (what it holds when the
 * stream ends is passed on); counted are the bytes passed on.
 */
function pipe(from: Socket, to: Socket, mx: ExchangeReader | undefined, count: (n: number) => void): void {
  from.on('data', (data: Buffer) => {
    const chunk = mx === undefined ? data : mx.push(data);
    if (chunk === undefined) return;
    count(chunk.length);
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.on('end', () => {
    const rest = mx?.flush();
    if (rest !== undefined) {
      count(rest.length);
      to.write(rest);
    }
    to.end();
  });
}
