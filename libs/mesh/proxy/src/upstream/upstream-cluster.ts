import type { ClusterConfig, EndpointSpec } from './cluster-config';
import type { ClusterGauges, ClusterStats } from './cluster-stats';
import { IDLE_USAGE, circuitBreakerGauges } from './circuit-breaker-stats';
import { Endpoint } from './endpoint';
import { PendingRequests } from './pending-requests';
import { SslStats } from './tls-stats';
import { type LoadBalancer, createLoadBalancer } from './load-balancer';
import { type HostResult, OutlierDetector } from './outlier-detector';
import type { ProxyRuntime } from '../runtime';
import type { ExchangeEnv } from '../tcp/metadata-exchange';

/**
 * A cluster at run time: its hosts, the balancer over the available ones (healthy, not ejected),
 * circuit-breaker accounting and outlier detection. Stats outlive the object (owned by the manager).
 */
export class UpstreamCluster {
  private hosts = new Map<string, Endpoint>();
  private available: Endpoint[] = [];
  private lb: LoadBalancer;
  private outlier: OutlierDetector | undefined;
  /** Requests admitted by the circuit breaker and not yet finished. */
  active = 0;
  activeRetries = 0;
  /** tcp_proxy connections open to this cluster (max_connections applies to them). */
  tcpActive = 0;
  /** True once endpoints were set (EDS arrived, or static). */
  hasAssignment = false;
  /** max_pending_requests across the hosts' HTTP/1.1 pools. */
  private readonly pendingGate: PendingRequests;

  constructor(
    public config: ClusterConfig,
    readonly stats: ClusterStats,
    private readonly runtime: ProxyRuntime,
    /** For the cluster's upstream metadata exchange on its HTTP pools' connections (exchange-socket.ts). */
    private readonly exchangeEnv?: ExchangeEnv,
  ) {
    this.pendingGate = new PendingRequests(() => this.config.thresholds.maxPendingRequests, stats);
    this.lb = createLoadBalancer(config.lbPolicy, [], runtime.random);
    this.setupOutlier();
    if (config.anyTls) stats.ssl ??= new SslStats();
  }

  get name(): string {
    return this.config.name;
  }

  endpoints(): readonly Endpoint[] {
    return [...this.hosts.values()];
  }

  reconfigure(config: ClusterConfig): void {
    this.config = config;
    if (config.anyTls) this.stats.ssl ??= new SslStats();
    for (const e of this.hosts.values()) e.reconfigure(config);
    this.setupOutlier();
    this.rebuild();
  }

  /** Replace the host set, keeping pools and outlier state of hosts that stay. */
  setEndpoints(specs: readonly EndpointSpec[], graceMs: number): void {
    const next = new Map<string, Endpoint>();
    for (const s of specs) {
      const fresh = new Endpoint(s, this.config, this.stats, this.pendingGate, this.exchangeEnv);
      const kept = this.hosts.get(fresh.address);
      kept?.update(s);
      next.set(fresh.address, kept ?? fresh);
    }
    for (const [addr, e] of this.hosts) if (!next.has(addr)) void e.close(graceMs);
    this.hosts = next;
    this.hasAssignment = true;
    this.rebuild();
  }

  pick(hash: number | undefined, avoid: ReadonlySet<Endpoint> | undefined, attempts: number): Endpoint | undefined {
    return this.lb.pick(hash, avoid, attempts);
  }

  /**
   * Circuit breaking at the router: max_requests; for HTTP/2 also max_pending_requests past
   * max_connections (HTTP/1.1 pools apply max_pending_requests themselves: pending-requests.ts);
   * false = overflow.
   */
  admit(): boolean {
    const t = this.config.thresholds;
    if (this.active >= t.maxRequests) {
      this.stats.upstream_rq_pending_overflow++;
      return false;
    }
    if (this.config.http2 && this.active >= this.connectionCapacity()) {
      this.stats.upstream_cx_overflow++;
      if (this.active - this.connectionCapacity() >= t.maxPendingRequests) {
        this.stats.upstream_rq_pending_overflow++;
        return false;
      }
      this.stats.upstream_rq_pending_total++;
    }
    this.active++;
    return true;
  }

  release(): void {
    this.active--;
  }

  /** max_connections for tcp_proxy connections; false = overflow (counted). */
  admitConnection(): boolean {
    if (this.tcpActive >= this.config.thresholds.maxConnections) {
      this.stats.upstream_cx_overflow++;
      return false;
    }
    this.tcpActive++;
    return true;
  }

  /** max_retries: may one more retry start now? */
  admitRetry(): boolean {
    if (this.activeRetries >= this.config.thresholds.maxRetries) {
      this.stats.upstream_rq_retry_overflow++;
      return false;
    }
    this.activeRetries++;
    return true;
  }

  /** ORIGINAL_DST: the host is the request's destination, created on first use. */
  originalDestination(host: string, port: number): Endpoint {
    const probe = new Endpoint({ host, port, healthy: true, weight: 1 }, this.config, this.stats, this.pendingGate, this.exchangeEnv);
    const known = this.hosts.get(probe.address);
    if (known !== undefined) return known;
    this.hosts.set(probe.address, probe);
    this.hasAssignment = true;
    return probe;
  }

  recordHost(e: Endpoint, result: HostResult): void {
    this.outlier?.record(e, result);
  }

  sweepOutliers(now?: number): void {
    this.outlier?.sweep(now);
  }

  gauges(): ClusterGauges {
    let cx = 0;
    let healthy = 0;
    let ejected = 0;
    for (const e of this.hosts.values()) {
      cx += e.connections;
      if (e.healthy && !e.ejected) healthy++;
      if (e.ejected) ejected++;
    }
    const usage = { connections: cx + this.tcpActive, connectionCapacity: this.connectionCapacity(), pending: this.pending(), requests: this.active, retries: this.activeRetries };
    return {
      upstream_rq_active: this.active,
      upstream_rq_pending_active: usage.pending,
      upstream_cx_active: usage.connections,
      membership_total: this.hosts.size,
      membership_healthy: healthy,
      outlier_detection_ejections_active: ejected,
      ...Object.fromEntries(circuitBreakerGauges('default', this.config.thresholds, usage)),
      ...Object.fromEntries(circuitBreakerGauges('high', this.config.highThresholds, IDLE_USAGE)),
    };
  }

  async close(graceMs: number): Promise<void> {
    this.outlier?.close();
    await Promise.all([...this.hosts.values()].map((e) => e.close(graceMs)));
  }

  /** Requests that can have a connection at once: max_connections per available host. */
  private connectionCapacity(): number {
    return this.config.thresholds.maxConnections * Math.max(1, this.available.length);
  }

  private pending(): number {
    return this.config.http2 ? Math.max(0, this.active - this.connectionCapacity()) : this.pendingGate.active;
  }

  private setupOutlier(): void {
    const c = this.config.outlier;
    if (c === undefined) {
      this.outlier?.close();
      this.outlier = undefined;
    } else if (this.outlier === undefined) {
      this.outlier = new OutlierDetector(c, this.stats, () => this.endpoints(), () => this.rebuild(), this.runtime.clock);
    } else {
      this.outlier.reconfigure(c);
    }
  }

  private rebuild(): void {
    this.available = [...this.hosts.values()].filter((e) => e.healthy && !e.ejected);
    this.lb = createLoadBalancer(this.config.lbPolicy, this.available, this.runtime.random);
  }
}
