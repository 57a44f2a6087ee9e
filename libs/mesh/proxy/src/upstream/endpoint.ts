import { Pool } from './undici-pool';
import type { ClusterConfig, EndpointSpec } from './cluster-config';

/** One upstream host: its connection pool (created on first use), load and outlier state. */
export class Endpoint {
  readonly address: string;
  readonly origin: string;
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
  private pool: Pool | undefined;

  constructor(
    spec: EndpointSpec,
    private config: ClusterConfig,
  ) {
    this.address = spec.host.includes(':') ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
    this.origin = `http://${this.address}`;
    this.healthy = spec.healthy;
    this.weight = spec.weight;
  }

  get ejected(): boolean {
    return this.ejectedUntil !== 0;
  }

  get connections(): number {
    return this.pool?.stats.connected ?? 0;
  }

  dispatcher(): Pool {
    if (this.pool === undefined) this.pool = createPool(this.origin, this.config);
    return this.pool;
  }

  /** A new cluster config applies to connections made from now on (pool rebuilt if limits changed). */
  reconfigure(config: ClusterConfig): void {
    const old = this.config;
    this.config = config;
    const same =
      old.thresholds.maxConnections === config.thresholds.maxConnections &&
      old.connectTimeoutMs === config.connectTimeoutMs &&
      old.idleTimeoutMs === config.idleTimeoutMs &&
      old.maxRequestsPerConnection === config.maxRequestsPerConnection;
    if (!same && this.pool !== undefined) {
      const retired = this.pool;
      this.pool = undefined;
      void retired.close().catch(() => undefined);
    }
  }

  /** Finish in-flight requests, then close; destroy after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool === undefined) return;
    const timer = setTimeout(() => void pool.destroy().catch(() => undefined), graceMs);
    try {
      await pool.close();
    } catch {
      // already destroyed
    } finally {
      clearTimeout(timer);
    }
  }
}

function createPool(origin: string, c: ClusterConfig): Pool {
  const limit = c.thresholds.maxConnections;
  return new Pool(origin, {
    connections: limit > 0 && limit < 0xffff ? limit : null,
    pipelining: 1,
    connect: { timeout: c.connectTimeoutMs },
    keepAliveTimeout: Math.min(c.idleTimeoutMs, 60_000),
    keepAliveMaxTimeout: Math.max(c.idleTimeoutMs, 1_000),
    headersTimeout: 0,
    bodyTimeout: 0,
    maxHeaderSize: 96 * 1024,
    ...(c.maxRequestsPerConnection > 0 ? { maxRequestsPerClient: c.maxRequestsPerConnection } : {}),
  });
}
