// Open-loop load for the chaos scenarios: requests leave at a fixed rate whatever the answers do
// (latency is measured from the scheduled send time), alternating the gateway's /productpage and an
// API path that productpage answers from reviews. Every request is recorded, so a scenario can cut
// the run into before / during / after its fault.
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

/** Envoy's local-reply bodies (libs/mesh/proxy/src/http/local-reply.ts) → response flag. */
const FLAG_OF_BODY = [
  [/reset reason: overflow/, 'UO'],
  [/reset reason: connection failure/, 'UF'],
  [/reset reason: connection termination/, 'UC'],
  [/no healthy upstream/, 'UH'],
  [/upstream request timeout/, 'UT'],
  [/fault filter abort/, 'FI'],
  [/local_rate_limited/, 'RL'],
];

/** A response's outcome: ok, or `<code> <flag>` / `200 degraded` (productpage's own error text). */
export function classify(status, body, headers) {
  if (status === 200) return /Error fetching product|currently unavailable/.test(body) ? '200 degraded' : 'ok';
  const flag = FLAG_OF_BODY.find(([re]) => re.test(body))?.[1] ?? (headers['x-envoy-overloaded'] ? 'UO' : '-');
  return `${status} ${flag}`;
}

export const DEFAULT_PATHS = ['/productpage', '/api/v1/products/0/reviews'];

/**
 * @param {{ url: string, rate: number, durationMs: number, paths?: string[], connections?: number, timeoutMs?: number }} o
 * @returns {{ t0: number, done: Promise<{ at: number, ms: number, path: string, outcome: string }[]>, stop: () => void }}
 *   `stop()` sends nothing more (what was sent is still awaited): a load that lasts until a condition.
 */
export function startLoad(o) {
  const paths = o.paths ?? DEFAULT_PATHS;
  const dispatcher = new Agent({ connections: o.connections ?? 128, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: o.timeoutMs ?? 15_000, bodyTimeout: o.timeoutMs ?? 15_000 });
  let total = Math.floor((o.rate * o.durationMs) / 1000);
  const interval = 1000 / o.rate;
  const t0 = performance.now() + 10;
  const records = [];
  const one = async (i) => {
    const path = paths[i % paths.length];
    const at = t0 + i * interval;
    let outcome;
    try {
      const res = await request(o.url + path, { dispatcher });
      outcome = classify(res.statusCode, await res.body.text(), res.headers);
    } catch (err) {
      outcome = `error ${err?.code ?? err?.name ?? 'unknown'}`;
    }
    records.push({ at: at - t0, ms: performance.now() - at, path, outcome });
  };
  let next = 0;
  const done = new Promise((resolve) => {
    const inflight = [];
    const tick = () => {
      const now = performance.now();
      while (next < total && t0 + next * interval <= now) inflight.push(one(next++));
      if (next < total) setTimeout(tick, Math.max(0, Math.min(2, t0 + next * interval - now)));
      else void Promise.all(inflight).then(async () => {
        await dispatcher.close();
        resolve(records.sort((a, b) => a.at - b.at));
      });
    };
    setTimeout(tick, 10);
  });
  return { t0, done, stop: () => void (total = Math.min(total, next)) };
}

/** The p-th percentile of durations (ms), 0 for none. */
export function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The shortest timeout of Bookinfo's own calls in the path: reviews v3 → ratings 2.5 s (apps/reviews
 * config; v2 waits 10 s), productpage → details/reviews 3 s (apps/productpage config), as upstream.
 */
export const APP_TIMEOUT_MS = 2500;
/** What productpage and the client answer when a call of theirs timed out: productpage's degraded page or 500, the client's own timeouts. */
const TIMEOUT_OUTCOMES = new Set(['200 degraded', '500 -', 'error UND_ERR_HEADERS_TIMEOUT', 'error UND_ERR_BODY_TIMEOUT']);

/**
 * A failure that is an application's own timeout, not an answer of the mesh: one of those outcomes
 * after at least the shortest application timeout (2.5 s). On a CPU-starved box latency grows past it with no fault at all.
 * A response flag from a proxy (503 UF, UO, UH, …) never counts, however late.
 */
export const isTimeoutFailure = (r) => TIMEOUT_OUTCOMES.has(r.outcome) && r.ms >= APP_TIMEOUT_MS;

/** Sent / succeeded / failed-by-outcome (`slow`, `slowBy`: how many were application timeouts) / p99 within [fromMs, toMs) of the run. */
export function summarize(records, fromMs = 0, toMs = Infinity) {
  const failed = {};
  let ok = 0;
  const slowBy = {};
  for (const r of records) {
    if (r.outcome === 'ok') ok++;
    else failed[r.outcome] = (failed[r.outcome] ?? 0) + 1;
    if (isTimeoutFailure(r)) slowBy[r.outcome] = (slowBy[r.outcome] ?? 0) + 1;
  }
  const slow = Object.values(slowBy).reduce((a, b) => a + b, 0);
  const during = records.filter((r) => r.at >= fromMs && r.at < toMs).map((r) => r.ms);
  const all = records.map((r) => r.ms);
  // The first few failures as they happened (ms from the load's start, path, outcome, latency): what a FAIL prints.
  const samples = records.filter((r) => r.outcome !== 'ok').slice(0, 5).map((r) => `${Math.round(r.at)}ms ${r.path} ${r.outcome} in ${Math.round(r.ms)}ms`);
  return { sent: records.length, ok, failed, slow, slowBy, samples, p99: percentile(during, 99), p99All: percentile(all, 99), maxMs: all.length ? Math.max(...all) : 0 };
}
