import type { Clock } from '../runtime';
import type { ClusterStats } from './cluster-stats';
import type { OutlierConfig } from './cluster-config';
import type { Endpoint } from './endpoint';

/** What one upstream attempt told us about a host. */
export type HostResult = 'success' | 'error-5xx' | 'gateway-failure';

/**
 * Envoy's consecutive-5xx / consecutive-gateway-failure ejection. A host is ejected for
 * base_ejection_time × times ejected; ejections stop at max_ejection_percent (always allowing one);
 * the `interval` sweep restores hosts whose time is up.
 */
export class OutlierDetector {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private config: OutlierConfig,
    private readonly stats: ClusterStats,
    private readonly hosts: () => readonly Endpoint[],
    private readonly changed: () => void,
    private readonly clock: Clock,
  ) {
    this.startTimer();
  }

  reconfigure(config: OutlierConfig): void {
    const restart = config.intervalMs !== this.config.intervalMs;
    this.config = config;
    if (restart) this.startTimer();
  }

  record(e: Endpoint, result: HostResult): void {
    if (result === 'success') {
      e.consecutive5xx = 0;
      e.consecutiveGatewayFailure = 0;
      return;
    }
    e.consecutive5xx++;
    if (result === 'gateway-failure') e.consecutiveGatewayFailure++;
    if (e.ejected) return;
    const c = this.config;
    if (c.enforcingGatewayFailure && e.consecutiveGatewayFailure >= c.consecutiveGatewayFailure) {
      this.stats.outlier_detection_ejections_consecutive_gateway_failure++;
      this.eject(e);
    } else if (c.enforcing5xx && e.consecutive5xx >= c.consecutive5xx) {
      this.stats.outlier_detection_ejections_consecutive_5xx++;
      this.eject(e);
    }
  }

  /** Restore hosts whose ejection time has passed; run every `interval`. */
  sweep(now = this.clock.now()): void {
    let restored = false;
    for (const e of this.hosts()) {
      if (e.ejected && now >= e.ejectedUntil) {
        e.ejectedUntil = 0;
        e.consecutive5xx = 0;
        e.consecutiveGatewayFailure = 0;
        restored = true;
      }
    }
    if (restored) this.changed();
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private eject(e: Endpoint): void {
    const hosts = this.hosts();
    const ejected = hosts.filter((h) => h.ejected).length;
    if (ejected > 0 && ((ejected + 1) * 100) / hosts.length > this.config.maxEjectionPercent) return;
    e.timesEjected++;
    e.ejectedUntil = this.clock.now() + this.config.baseEjectionMs * e.timesEjected;
    this.stats.outlier_detection_ejections_total++;
    this.stats.outlier_detection_ejections_enforced_total++;
    this.changed();
  }

  private startTimer(): void {
    this.close();
    this.timer = setInterval(() => this.sweep(), Math.max(10, this.config.intervalMs));
    this.timer.unref();
  }
}
