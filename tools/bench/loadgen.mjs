// Open-loop HTTP load generator: requests are scheduled at a fixed rate and latency is measured
// from the *scheduled* send time, so a slow server cannot hide its queueing (no coordinated omission).
import { Pool } from 'undici';
import { performance } from 'node:perf_hooks';

/**
 * @param {{ url: string, rate: number, durationMs: number, connections: number, headers?: Record<string,string>, path?: string }} o
 * @returns {Promise<{ sent: number, ok: number, errors: number, statuses: Record<string, number>, achievedRps: number, latenciesUs: Float64Array }>}
 */
export async function runOpenLoop(o) {
  const u = new URL(o.url);
  const pool = new Pool(u.origin, { connections: o.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const total = Math.floor((o.rate * o.durationMs) / 1000);
  const latencies = new Float64Array(total);
  const statuses = {};
  let done = 0, ok = 0, errors = 0;
  const start = performance.now() + 20;
  const intervalMs = 1000 / o.rate;
  const path = u.pathname + u.search;
  await new Promise((resolve) => {
    let next = 0;
    const fire = (i) => {
      const scheduled = start + i * intervalMs;
      pool.request({ method: 'GET', path, headers: o.headers ?? {} }).then(
        async (res) => {
          await res.body.dump();
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          if (res.statusCode === 200) ok++;
          latencies[i] = (performance.now() - scheduled) * 1000;
        },
        () => { errors++; latencies[i] = (performance.now() - scheduled) * 1000; },
      ).finally(() => { if (++done === total) resolve(); });
    };
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) fire(next++);
      if (next < total) setTimeout(tick, Math.max(0, Math.min(1, start + next * intervalMs - performance.now())));
    };
    setTimeout(tick, 20);
  });
  const elapsed = performance.now() - start;
  await pool.close();
  return { sent: total, ok, errors, statuses, achievedRps: (total / elapsed) * 1000, latenciesUs: latencies };
}

/** Percentiles (µs) of a latency array. */
export function percentiles(latenciesUs, ps = [50, 90, 99, 99.9]) {
  const sorted = Float64Array.from(latenciesUs).sort();
  const out = {};
  for (const p of ps) out[`p${p}`] = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return out;
}
