import { Pool } from 'undici';

export interface LoadResult {
  readonly sent: number;
  readonly ok: number;
  readonly errors: number;
  readonly achievedRps: number;
  /** Latencies in µs, measured from each request's scheduled send time (open loop). */
  readonly latenciesUs: Float64Array;
}

/**
 * Open-loop generator: request i is due at start + i/rate whether or not earlier ones finished,
 * and its latency counts from that due time, so server-side queueing is never hidden.
 */
export async function openLoop(url: string, rate: number, durationMs: number, connections: number, headers: Record<string, string> = {}): Promise<LoadResult> {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const total = Math.floor((rate * durationMs) / 1000);
  const latencies = new Float64Array(total);
  const interval = 1000 / rate;
  let ok = 0;
  let errors = 0;
  let done = 0;
  const start = performance.now() + 10;
  await new Promise<void>((resolve) => {
    let next = 0;
    const fire = (i: number): void => {
      const due = start + i * interval;
      pool
        .request({ method: 'GET', path: u.pathname, headers })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode === 200) ok++;
          else errors++;
        }, () => errors++)
        .finally(() => {
          latencies[i] = (performance.now() - due) * 1000;
          if (++done === total) resolve();
        });
    };
    const tick = (): void => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) fire(next++);
      if (next < total) setTimeout(tick, 0);
    };
    setTimeout(tick, 10);
  });
  const elapsed = performance.now() - start;
  await pool.close();
  return { sent: total, ok, errors, achievedRps: (total / elapsed) * 1000, latenciesUs: latencies };
}

export function percentilesUs(latencies: Float64Array): { p50: number; p90: number; p99: number } {
  const s = Float64Array.from(latencies).sort();
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  return { p50: at(50), p90: at(90), p99: at(99) };
}
