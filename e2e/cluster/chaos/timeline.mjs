// Where in a run requests failed or slowed: 2 s buckets relative to the fault (printed for rows that
// failed, or always with CHAOS_TIMELINE=1), so a failure can be told from a machine that ran out of CPU.
import { percentile } from '../../../tools/chaos/load.mjs';

export function timeline(records, faultAt, bucketMs = 2000) {
  const buckets = new Map();
  for (const r of records) {
    const k = Math.floor((r.at - faultAt) / bucketMs);
    const b = buckets.get(k) ?? { ms: [], failed: 0 };
    b.ms.push(r.ms);
    if (r.outcome !== 'ok') b.failed++;
    buckets.set(k, b);
  }
  return [...buckets.entries()].sort(([a], [b]) => a - b).map(([k, b]) =>
    `${String((k * bucketMs) / 1000).padStart(5)}s  sent ${String(b.ms.length).padStart(3)}  failed ${String(b.failed).padStart(3)}  p50 ${Math.round(percentile(b.ms, 50))} ms  max ${Math.round(Math.max(...b.ms))} ms`);
}
