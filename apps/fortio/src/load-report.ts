import { goDuration, goG } from './go-format';
import type { LoadResult } from './load-run';

/** Fortio's version line names this program, not upstream's binary. */
export const FORTIO_VERSION = '1.0.0-trellis';

export interface RunShape {
  readonly threads: number;
  readonly qps: number;
  readonly calls: number;
  readonly durationMs: number;
  readonly url: string;
  readonly procs: number;
}

/** `Fortio … running at …` and `Starting at …`, printed before the run. */
export function startLines(s: RunShape): string[] {
  const span = s.calls > 0 ? `${s.calls} calls` : goDuration(s.durationMs);
  const rate = s.qps > 0 ? `${goG(s.qps)} qps` : 'max qps';
  const base = Math.floor(s.calls / s.threads);
  const what = s.calls > 0 ? `for exactly ${s.calls} calls (${base} per thread + ${s.calls % s.threads})` : `for ${goDuration(s.durationMs)}`;
  return [
    `Fortio ${FORTIO_VERSION} running at ${goG(s.qps)} queries per second, ${s.procs}->${s.procs} procs, for ${span}: ${s.url}`,
    `Starting at ${rate} with ${s.threads} thread(s) [gomax ${s.procs}] ${what}`,
  ];
}

function countBy(items: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

/** The summary after the run: latency histogram, percentiles, sockets, `Code N : count (x %)`, sizes. */
export function resultLines(r: LoadResult, threads: number, percentiles: readonly number[]): string[] {
  const n = r.latency.count;
  const qps = r.elapsedMs > 0 ? (n * 1000) / r.elapsedMs : 0;
  const codes = [...r.codes].sort((a, b) => a[0] - b[0]);
  return [
    `Ended after ${goDuration(r.elapsedMs)} : ${n} calls. qps=${goG(qps, 5)}`,
    r.latency.line('Aggregated Function Time'),
    ...r.latency.lines(percentiles),
    r.errors.count === 0 ? 'Error cases : no data' : r.errors.line('Error cases'),
    `Sockets used: ${r.sockets.length} (for perfect keepalive, would be ${threads})`,
    'IP addresses distribution:',
    ...[...countBy(r.sockets)].map(([ip, c]) => `${ip}: ${c}`),
    ...codes.map(([code, c]) => `Code ${code} : ${c} (${((100 * c) / Math.max(1, n)).toFixed(1)} %)`),
    r.headerSizes.line('Response Header Sizes'),
    r.totalSizes.line('Response Body/Total Sizes'),
    `All done ${n} calls (plus 0 warmup) ${(r.latency.avg * 1000).toFixed(3)} ms avg, ${qps.toFixed(1)} qps`,
  ];
}
