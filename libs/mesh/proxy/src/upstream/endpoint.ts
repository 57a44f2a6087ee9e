import { H1Pool } from './h1/pool';
import type { PoolOptions, UpstreamPool } from './upstream-pool';
import { H2Pool } from './h2/pool';
import type { ClusterConfig, EndpointSpec } from './cluster-config';
import type { ClusterStats } from './cluster-stats';
import type { PendingGate } from './pending-requests';
import { SniPools } from './sni-pools';
import { AlpnPools } from './alpn-pools';
import { SslStats } from './tls-stats';
import type { UpstreamTlsConfig } from './tls-config';
import { SecretsGate } from './secrets-gate';
import { type SocketMetadata, selectTransport } from './transport-socket-match';
import type { ExchangeEnv } from '../tcp/metadata-exchange';

/** One upstream host: its connection pool (created on first use), load and outlier state. */
export class Endpoint {
  readonly address: string;
  readonly host: string;
  readonly port: number;
  healthy: boolean;
  weight: number;
  /** Requests in flight to this host (least-request balancing, /clusters rq_active). */
  active = 0;
  rqTotal = 0;
  rqError = 0;
  consecutive5xx = 0;
  consecutiveGatewayFailure = 0;
  /** 0 when not ejected, else the time the ejection ends. */
  ejectedUntil = 0;
  timesEjected = 0;
  /** This endpoint's transport socket: the cluster's, or the one its metadata picks (auto mTLS). */
  tls: UpstreamTlsConfig | undefined;
  private socketMatch: SocketMetadata | undefined;
  private pool: UpstreamPool | undefined;

  constructor(
    spec: EndpointSpec,
    private config: ClusterConfig,
    private readonly stats?: ClusterStats,
    private readonly pending?: PendingGate,
    /** What the cluster's upstream metadata exchange needs of the proxy (none: no exchange on HTTP pools). */
    private readonly exchangeEnv?: ExchangeEnv,
  ) {
    this.address = spec.host.includes(':') ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
    this.host = spec.host;
    this.port = spec.port;
    this.healthy = spec.healthy;
    this.weight = spec.weight;
    this.socketMatch = spec.socketMatch;
    this.tls = selectTransport(config.socketMatches, config.tls, spec.socketMatch);
  }

  /** EDS changed a kept endpoint: health, weight, and its socket-match metadata (a sidecar injected or removed). */
  update(spec: EndpointSpec): void {
    this.healthy = spec.healthy;
    this.weight = spec.weight;
    if (JSON.stringify(spec.socketMatch) !== JSON.stringify(this.socketMatch)) {
      this.socketMatch = spec.socketMatch;
      this.reconfigure(this.config);
    }
  }

  get ejected(): boolean {
    return this.ejectedUntil !== 0;
  }

  get connections(): number {
    return this.pool?.connected ?? 0;
  }

  dispatcher(): UpstreamPool {
    if (this.pool === undefined) this.pool = createPool(this.host, this.port, this.config, this.tls, this.stats, this.pending, this.exchangeEnv);
    return this.pool;
  }

  /** A new cluster config applies to connections made from now on (pool rebuilt if limits changed). */
  reconfigure(config: ClusterConfig): void {
    const old = this.config;
    const oldTls = this.tls;
    this.config = config;
    this.tls = selectTransport(config.socketMatches, config.tls, this.socketMatch);
    const same =
      old.thresholds.maxConnections === config.thresholds.maxConnections &&
      old.connectTimeoutMs === config.connectTimeoutMs &&
      old.idleTimeoutMs === config.idleTimeoutMs &&
      old.maxRequestsPerConnection === config.maxRequestsPerConnection &&
      old.http2 === config.http2 &&
      old.sourceAddress === config.sourceAddress &&
      old.metadataExchange?.protocol === config.metadataExchange?.protocol &&
      oldTls?.key === this.tls?.key;
    if (!same && this.pool !== undefined) {
      const retired = this.pool;
      this.pool = undefined;
      void retired.close();
    }
  }

  /** Finish in-flight requests, then close; destroy after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool === undefined) return;
    const timer = setTimeout(() => pool.destroy(), graceMs);
    await pool.close();
    clearTimeout(timer);
  }
}

function createPool(host: string, port: number, c: ClusterConfig, tls: UpstreamTlsConfig | undefined, stats: ClusterStats | undefined, pending: PendingGate | undefined, env: ExchangeEnv | undefined): UpstreamPool {
  const limit = c.thresholds.maxConnections;
  const options: PoolOptions = {
    ...(pending !== undefined ? { pending } : {}),
    maxConnections: limit > 0 && limit < 0xffff ? limit : 0,
    connectTimeoutMs: c.connectTimeoutMs,
    idleTimeoutMs: Math.min(c.idleTimeoutMs, 60_000),
    maxRequestsPerConnection: c.maxRequestsPerConnection,
    maxHeaderBytes: 96 * 1024,
    ...(c.sourceAddress !== undefined ? { localAddress: c.sourceAddress } : {}),
  };
  const make = (o: PoolOptions): UpstreamPool => (c.http2 ? new H2Pool(host, port, o) : new H1Pool(host, port, o));
  if (tls === undefined) return make(options);
  const ssl = stats === undefined ? new SslStats() : (stats.ssl ??= new SslStats());
  const mx = c.metadataExchange;
  const tlsOptions: PoolOptions = { ...options, transport: { tls, stats: ssl }, sni: tls.sni, ...(mx !== undefined && env !== undefined ? { exchange: { mx, env } } : {}) };
  const bySni = (o: PoolOptions): UpstreamPool => (tls.autoSni ? new SniPools(o, make) : make(o));
  const pool = new AlpnPools(tlsOptions, c.http2, bySni);
  return tls.contexts.usesSds && stats !== undefined ? new SecretsGate(pool, tls, stats) : pool;
}
