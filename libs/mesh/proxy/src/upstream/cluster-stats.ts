import type { SslStats } from './tls-stats';

/**
 * Per-cluster counters: plain numbers, incremented on the request path, rendered on scrape.
 * Names follow Envoy's `cluster.<name>.<stat>`.
 */
export class ClusterStats {
  upstream_rq_total = 0;
  upstream_rq_completed = 0;
  upstream_rq_pending_overflow = 0;
  /** Requests admitted past the connection limit, to wait for a connection (Envoy: pending a pool connection). */
  upstream_rq_pending_total = 0;
  /** Requests failed because the connection they waited for failed (Envoy purges pending requests then). */
  upstream_rq_pending_failure_eject = 0;
  upstream_rq_timeout = 0;
  upstream_rq_per_try_timeout = 0;
  upstream_rq_retry = 0;
  upstream_rq_retry_success = 0;
  upstream_rq_retry_overflow = 0;
  upstream_rq_retry_limit_exceeded = 0;
  upstream_cx_overflow = 0;
  upstream_cx_connect_fail = 0;
  /** TCP proxy connections (HTTP pools count theirs in their gauges). */
  upstream_cx_total = 0;
  upstream_cx_connect_timeout = 0;
  upstream_cx_rx_bytes_total = 0;
  upstream_cx_tx_bytes_total = 0;
  upstream_rq_rx_reset = 0;
  outlier_detection_ejections_total = 0;
  outlier_detection_ejections_enforced_total = 0;
  outlier_detection_ejections_consecutive_5xx = 0;
  outlier_detection_ejections_consecutive_gateway_failure = 0;
  /** Responses by status code. */
  readonly byCode = new Map<number, number>();
  /** `ssl.*`, once the cluster has had a TLS transport socket. */
  ssl: SslStats | undefined = undefined;

  recordResponse(status: number): void {
    this.upstream_rq_completed++;
    this.byCode.set(status, (this.byCode.get(status) ?? 0) + 1);
  }

  counters(): [string, number][] {
    const out: [string, number][] = [];
    for (const [k, v] of Object.entries(this)) if (typeof v === 'number') out.push([k, v]);
    if (this.ssl !== undefined) out.push(...this.ssl.counters());
    return out;
  }
}

/** Gauges read from live objects at scrape time, plus `circuit_breakers.<priority>.*` (circuit-breaker-stats.ts). */
export interface ClusterGauges {
  readonly [stat: string]: number;
  readonly upstream_rq_active: number;
  readonly upstream_rq_pending_active: number;
  readonly upstream_cx_active: number;
  readonly membership_total: number;
  readonly membership_healthy: number;
  readonly outlier_detection_ejections_active: number;
}
