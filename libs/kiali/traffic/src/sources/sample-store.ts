import { matches, type Matcher, type RateSource, type VectorSample } from '../promql/ast';
import type { TextSample } from './prom-text';

/** One series' samples in a fixed ring (oldest at `start`). */
interface StoredSeries {
  labels: Record<string, string>;
  times: Float64Array;
  values: Float64Array;
  start: number;
  len: number;
}

const seriesKey = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

function push(s: StoredSeries, t: number, v: number): void {
  const cap = s.times.length;
  let i: number;
  if (s.len < cap) i = (s.start + s.len++) % cap;
  else {
    i = s.start;
    s.start = (s.start + 1) % cap;
  }
  s.times[i] = t;
  s.values[i] = v;
}

/**
 * Bounded memory for scraped counters: at most `maxSeries` series (by metric name, then label set),
 * each a ring of `capacity` samples no older than `retentionSeconds`. Answers `rate()` as Prometheus
 * does without extrapolation: the increase over the window (counter resets handled) divided by the
 * time between its first and last sample.
 */
export class SampleStore implements RateSource {
  private readonly byMetric = new Map<string, Map<string, StoredSeries>>();
  private count = 0;

  constructor(private readonly retentionSeconds: number, private readonly maxSeries: number, private readonly capacity = 256) {}

  get seriesCount(): number {
    return this.count;
  }

  /** Adds one scrape's samples; `extra` labels (the target) keep pods apart as Prometheus' `instance` does. */
  add(samples: readonly TextSample[], t: number, extra: Record<string, string>): void {
    const extraKey = seriesKey(extra);
    for (const s of samples) {
      let family = this.byMetric.get(s.name);
      if (family === undefined) this.byMetric.set(s.name, (family = new Map()));
      const key = `${s.key ?? seriesKey(s.labels)}${extraKey}`;
      let series = family.get(key);
      if (series === undefined) {
        if (this.count >= this.maxSeries) continue;
        series = { labels: { ...s.labels, ...extra }, times: new Float64Array(this.capacity), values: new Float64Array(this.capacity), start: 0, len: 0 };
        family.set(key, series);
        this.count++;
      }
      push(series, t, s.value);
    }
  }

  /** Drops samples older than the retention at `now` (once per scrape round), and emptied series. */
  prune(now: number): void {
    const oldest = now - this.retentionSeconds;
    for (const family of this.byMetric.values()) {
      for (const [key, s] of family) {
        while (s.len > 0 && (s.times[s.start] as number) < oldest) {
          s.start = (s.start + 1) % s.times.length;
          s.len--;
        }
        if (s.len === 0) {
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
  const cap = s.times.length;
  let firstT = NaN;
  let lastT = NaN;
  let prev = NaN;
  let increase = 0;
  for (let k = 0; k < s.len; k++) {
    const i = (s.start + k) % cap;
    const t = s.times[i] as number;
    if (t <= from) continue;
    if (t > to) break;
    const v = s.values[i] as number;
    if (Number.isNaN(firstT)) firstT = t;
    else increase += v >= prev ? v - prev : v;
    lastT = t;
    prev = v;
  }
  if (Number.isNaN(firstT) || lastT <= firstT) return undefined;
  return increase / (lastT - firstT);
}
