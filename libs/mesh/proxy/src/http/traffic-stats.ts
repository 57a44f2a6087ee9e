import type { ProxyNode } from '../proxy-node';
import { IstioMetrics } from '../stats/istio-metrics';
import { localWorkload } from '../stats/workload';

/**
 * Downstream counters: Envoy's `http.<stat_prefix>.downstream_rq_*`, and the home of Istio's
 * standard metrics (recorded by the `istio.stats` filters only, as in Istio: stats/).
 */
export class TrafficStats {
  /** `${stat_prefix}` → [total, 1xx, 2xx, 3xx, 4xx, 5xx]. */
  readonly http = new Map<string, number[]>();
  private istioStore: IstioMetrics | undefined;

  record(statPrefix: string, status: number): void {
    let h = this.http.get(statPrefix);
    if (h === undefined) {
      h = [0, 0, 0, 0, 0, 0];
      this.http.set(statPrefix, h);
    }
    h[0]++;
    const klass = (status / 100) | 0;
    if (klass >= 1 && klass <= 5) h[klass]++;
  }

  /** The standard metrics' store, its local workload from the proxy's node (created on first use). */
  istio(node: ProxyNode): IstioMetrics {
    this.istioStore ??= new IstioMetrics(localWorkload(node));
    return this.istioStore;
  }

  /** The store if any istio.stats filter has recorded (scrapes). */
  get istioMetrics(): IstioMetrics | undefined {
    return this.istioStore;
  }
}
