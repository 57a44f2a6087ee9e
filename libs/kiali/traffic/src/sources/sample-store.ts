import { matches, type Matcher, type RateSource, type VectorSample } from '../promql/ast';
import type { TextSample } from './prom-text';

interface StoredSeries {
  labels: Record<string, string>;
  /** Timestamps (epoch s) and values, oldest first. */
  times: number[];
  values: number[];
}

const seriesKey = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * A bounded ring of scraped counter samples per series (by metric name, then label set), answering
 * `rate()` as Prometheus does without extrapolation: the increase over the window (counter resets
 * handled) divided by the time between the first and last sample in it.
 */
export class SampleStore implements RateSource {
  private readonly byMetric = new Map<string, Map<string, StoredSeries>>();
  private count = 0;

  constructor(private readonly retentionSeconds: number, private readonly maxSeries: number) {}

  get seriesCount(): number {
    return this.count;
  }

  /** Adds one scrape's samples; `extra` labels (e.g. the pod) keep targets apart as Prometheus' `instance` does. */
  add(samples: readonly TextSample[], t: number, extra: Record<string, string>): void {
    for (const s of samples) {
      const labels = { ...s.labels, ...extra };
      let family = this.byMetric.get(s.name);
      if (family === undefined) this.byMetric.set(s.name, (family = new Map()));
      const key = seriesKey(labels);
      let series = family.get(key);
      if (series === undefined) {
        if (this.count >= this.maxSeries) continue;
        family.set(key, (series = { labels, times: [], values: [] }));
        this.count++;
      }
      series.times.push(t);
      series.values.push(s.value);
    }
    this.prune(t - this.retentionSeconds);
  }

  private prune(oldest: number): void {
    for (const family of this.byMetric.values()) {
      for (const [key, s] of family) {
        let drop = 0;
        while (drop < s.times.length && (s.times[drop] as number) < oldest) drop++;
        if (drop === 0) continue;
        s.times.splice(0, drop);
        s.values.splice(0, drop);
        if (s.times.length === 0) {
          family.delete(key);
          this.count--;
        }
      }
    }
  }

  rate(metric: string, matchers: readonly Matcher[], windowSeconds: number, t: number): VectorSample[] {
    const out: VectorSample[] = [];
    for (const s of this.byMetric.get(metric)?.values() ?? []) {
      if (!matches(s.labels, matchers)) continue;
      const r = windowRate(s, t - windowSeconds, t);
      if (r !== undefined) out.push({ labels: s.labels, value: r });
    }
    return out;
  }
}

function windowRate(s: StoredSeries, from: number, to: number): number | undefined {
  let first = -1;
  let last = -1;
  for (let i = 0; i < s.times.length; i++) {
    const ti = s.times[i] as number;
    if (ti <= from) continue;
    if (ti > to) break;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0 || last <= first) return undefined;
  let increase = 0;
  for (let i = first + 1; i <= last; i++) {
    const prev = s.values[i - 1] as number;
    const cur = s.values[i] as number;
    increase += cur >= prev ? cur - prev : cur;
  }
  return increase / ((s.times[last] as number) - (s.times[first] as number));
}
