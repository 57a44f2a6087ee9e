import type { VectorSample } from './ast';

/** Prometheus' histogram_quantile: groups by all labels but `le`, linear interpolation in the bucket. */
export function histogramQuantile(q: number, buckets: readonly VectorSample[]): VectorSample[] {
  const groups = new Map<string, { labels: Record<string, string>; points: [number, number][] }>();
  for (const b of buckets) {
    const le = b.labels['le'];
    if (le === undefined) continue;
    const { le: _le, ...labels } = b.labels;
    const k = JSON.stringify(Object.entries(labels).sort(([x], [y]) => (x < y ? -1 : 1)));
    const g = groups.get(k) ?? { labels, points: [] };
    g.points.push([le === '+Inf' ? Infinity : Number(le), b.value]);
    groups.set(k, g);
  }
  return [...groups.values()].map((g) => ({ labels: g.labels, value: quantile(q, g.points.sort((a, b) => a[0] - b[0])) }));
}

function quantile(q: number, points: [number, number][]): number {
  if (Number.isNaN(q) || q < 0) return q < 0 ? -Infinity : NaN;
  if (q > 1) return Infinity;
  const last = points[points.length - 1];
  if (points.length < 2 || last === undefined || last[0] !== Infinity) return NaN;
  const total = last[1];
  if (!(total > 0)) return NaN;
  const rank = q * total;
  let i = points.findIndex(([, c]) => c >= rank);
  if (i < 0) i = points.length - 1;
  if (i === points.length - 1) return (points[points.length - 2] as [number, number])[0];
  const [upper, count] = points[i] as [number, number];
  const [lower, prev] = i === 0 ? [0, 0] : (points[i - 1] as [number, number]);
  if (i === 0 && upper <= 0) return upper;
  return lower + (upper - lower) * ((rank - prev) / (count - prev));
}
