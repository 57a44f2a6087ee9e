/** Downstream counters: Envoy's `http.<stat_prefix>.downstream_rq_*` and Istio's istio_requests_total. */
export class TrafficStats {
  /** `${stat_prefix}` → [total, 1xx, 2xx, 3xx, 4xx, 5xx]. */
  readonly http = new Map<string, number[]>();
  /** Label tuple joined by '\u0000' → count. */
  readonly istioRequests = new Map<string, number>();

  record(statPrefix: string, status: number, reporter: string, service: string, flags: string): void {
    let h = this.http.get(statPrefix);
    if (h === undefined) {
      h = [0, 0, 0, 0, 0, 0];
      this.http.set(statPrefix, h);
    }
    h[0]++;
    const klass = (status / 100) | 0;
    if (klass >= 1 && klass <= 5) h[klass]++;
    const key = `${reporter}\u0000${service}\u0000${status}\u0000${flags}`;
    this.istioRequests.set(key, (this.istioRequests.get(key) ?? 0) + 1);
  }
}

export const ISTIO_LABELS = ['reporter', 'destination_service', 'response_code', 'response_flags'] as const;
