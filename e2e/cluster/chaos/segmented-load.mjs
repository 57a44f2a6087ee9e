// Open-loop load of tools/chaos/load.mjs that runs until it is told to stop: back-to-back segments,
// each started on its own schedule (not after the previous one answered), so the rate holds however
// long a fault takes on the cluster. Record times are ms from the first segment's start.
import { performance } from 'node:perf_hooks';
import { startLoad } from '../../../tools/chaos/load.mjs';

const SEGMENT_MS = 5000;

/** @param {{ url: string, rate: number, timeoutMs?: number }} o */
export function startOpenLoad(o) {
  const t0 = performance.now();
  const segments = [];
  let stopped = false;
  let timer;
  const next = (k) => {
    if (stopped) return;
    const load = startLoad({ url: o.url, rate: o.rate, durationMs: SEGMENT_MS, timeoutMs: o.timeoutMs ?? 15_000, connections: 32 });
    segments.push(load.done.then((records) => records.map((r) => ({ ...r, at: r.at + (load.t0 - t0) }))));
    timer = setTimeout(() => next(k + 1), Math.max(0, t0 + (k + 1) * SEGMENT_MS - performance.now()));
  };
  next(0);
  return {
    /** ms since the load started. */
    now: () => performance.now() - t0,
    /** Ends after the current segment; resolves with every request, in send order. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      return (await Promise.all(segments)).flat().sort((a, b) => a.at - b.at);
    },
  };
}
