/**
 * Envoy's histograms as its Prometheus output shows them: cumulative `_bucket{le}` counts over
 * Envoy's default bounds (which Istio's standard histograms use: duration in milliseconds, sizes in
 * bytes), `_sum`, `_count`. Recording is a linear scan over 19 numbers into a preallocated array.
 */

/** Envoy's default histogram bucket bounds (HistogramSettingsImpl::defaultBuckets). */
export const DEFAULT_BUCKETS: readonly number[] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** A bound as Envoy prints `le` (C's %g: 6 significant digits, exponent past 1e6: `3.6e+06`). */
export function formatBound(n: number): string {
  if (n !== 0 && (Math.abs(n) >= 1e6 || Math.abs(n) < 1e-4)) {
    const [mantissa, exp] = n.toExponential().split('e') as [string, string];
    const e = Number(exp);
    return `${Number(Number(mantissa).toPrecision(6))}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(Number(n.toPrecision(6)));
}

export const DEFAULT_BOUND_LABELS: readonly string[] = DEFAULT_BUCKETS.map(formatBound);

export class Histogram {
  /** Per bucket (not cumulative); the last slot is above every bound (+Inf only). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[] = DEFAULT_BUCKETS) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  record(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }

  /** Cumulative counts per bound (`le`), then +Inf = count. */
  cumulative(): number[] {
    const out: number[] = [];
    let acc = 0;
    for (let i = 0; i < this.bounds.length; i++) out.push((acc += this.counts[i] as number));
    out.push(this.count);
    return out;
  }
}
