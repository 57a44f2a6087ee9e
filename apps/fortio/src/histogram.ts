import { goG } from './go-format';

/**
 * Fortio's latency histogram: bucket edges in milliseconds (fortio's values × its 0.001 s divider),
 * intervals `]prev, edge]`, a first bucket up to 0 and a last one past the final edge up to max.
 */
const EDGES_MS = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 250,
  300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 3000, 4000, 5000, 7500, 10000, 20000, 30000, 40000, 50000, 75000, 100000,
];

/** count/avg/stddev/min/max/sum of a series (fortio's Counter). */
export class Counter {
  count = 0;
  sum = 0;
  min = 0;
  max = 0;
  private sumSq = 0;

  record(v: number): void {
    if (this.count === 0 || v < this.min) this.min = v;
    if (this.count === 0 || v > this.max) this.max = v;
    this.count++;
    this.sum += v;
    this.sumSq += v * v;
  }

  get avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  get stdDev(): number {
    if (this.count === 0) return 0;
    return Math.sqrt(Math.max(0, this.sumSq / this.count - this.avg * this.avg));
  }

  /** `<title> : count 20 avg 195.65 +/- 82.19 min 0 max 231 sum 3913`. */
  line(title: string): string {
    return `${title} : count ${this.count} avg ${goG(this.avg, 8)} +/- ${goG(this.stdDev, 4)} min ${goG(this.min)} max ${goG(this.max)} sum ${goG(this.sum, 9)}`;
  }
}

interface Interval {
  readonly start: number;
  readonly end: number;
  readonly percent: number;
  readonly count: number;
}

/** Latencies in seconds, bucketed as fortio does. */
export class Histogram extends Counter {
  private readonly buckets = new Array<number>(EDGES_MS.length + 1).fill(0);

  override record(seconds: number): void {
    super.record(seconds);
    const ms = seconds * 1000;
    const i = EDGES_MS.findIndex((edge) => ms <= edge);
    const at = i < 0 ? EDGES_MS.length : i;
    this.buckets[at] = (this.buckets[at] ?? 0) + 1;
  }

  /** The non-empty buckets with their cumulative percentage, clamped to [min, max]. */
  intervals(): Interval[] {
    const out: Interval[] = [];
    let cumulative = 0;
    this.buckets.forEach((n, i) => {
      if (n === 0) return;
      cumulative += n;
      const start = Math.max(this.min, (EDGES_MS[i - 1] ?? -Infinity) / 1000);
      const end = Math.min(this.max, (EDGES_MS[i] ?? Infinity) / 1000);
      out.push({ start, end, percent: (100 * cumulative) / this.count, count: n });
    });
    return out;
  }

  /** The value below which `p`% fall, interpolated linearly inside its bucket. */
  percentile(p: number): number {
    let prev = 0;
    for (const b of this.intervals()) {
      if (b.percent >= p) return b.start + ((p - prev) / (b.percent - prev)) * (b.end - b.start);
      prev = b.percent;
    }
    return this.max;
  }

  /** The `# range, mid point, percentile, count` table and `# target P% v` lines. */
  lines(percentiles: readonly number[]): string[] {
    const rows = this.intervals().map((b, i) => `${i === 0 ? '>=' : '>'} ${goG(b.start)} <= ${goG(b.end)} , ${goG((b.start + b.end) / 2)} , ${b.percent.toFixed(2)}, ${b.count}`);
    const targets = this.count === 0 ? [] : percentiles.map((p) => `# target ${goG(p)}% ${goG(this.percentile(p))}`);
    return ['# range, mid point, percentile, count', ...rows, ...targets];
  }
}
