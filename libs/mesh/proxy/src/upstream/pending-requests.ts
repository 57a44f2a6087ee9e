import type { ClusterStats } from './cluster-stats';

/**
 * A cluster's pending-request circuit breaker (Envoy's `max_pending_requests`): a request is pending
 * from the moment its host's pool has no ready connection for it until a connection is established
 * for it (a queued request, or one waiting on a new connection's connect). A request that would
 * pend while `max_pending_requests` already do is refused: `upstream_rq_pending_overflow`, 503 UO.
 */
export interface PendingGate {
  /** May one more request pend? Counts it (`upstream_rq_pending_total`) or the overflow. */
  tryEnter(): boolean;
  /** The request got its connection, or ended while pending. */
  leave(): void;
  /** A pool wanted a new connection but max_connections allowed none (`upstream_cx_overflow`). */
  connectionOverflow(): void;
}

export class PendingRequests implements PendingGate {
  /** Requests pending now (`upstream_rq_pending_active`). */
  active = 0;

  constructor(
    private readonly limit: () => number,
    private readonly stats: ClusterStats,
  ) {}

  tryEnter(): boolean {
    if (this.active >= this.limit()) {
      this.stats.upstream_rq_pending_overflow++;
      return false;
    }
    this.active++;
    this.stats.upstream_rq_pending_total++;
    return true;
  }

  leave(): void {
    if (this.active > 0) this.active--;
  }

  connectionOverflow(): void {
    this.stats.upstream_cx_overflow++;
  }
}
