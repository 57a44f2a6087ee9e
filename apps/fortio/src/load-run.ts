import { type CallResult, type ClientOptions, ThreadClient } from './http-client';
import { Counter, Histogram } from './histogram';

/** What `fortio load` was asked to do. */
export interface LoadPlan {
  readonly threads: number;
  /** 0: as fast as possible. */
  readonly qps: number;
  /** Exact number of calls, or 0 to run for `durationMs`. */
  readonly calls: number;
  readonly durationMs: number;
  readonly client: ClientOptions;
  /** Called for each response that is not 200 (fortio logs a warning). */
  readonly onNonOk: (thread: number, r: CallResult) => void;
}

export interface LoadResult {
  readonly elapsedMs: number;
  readonly latency: Histogram;
  readonly codes: ReadonlyMap<number, number>;
  readonly headerSizes: Counter;
  readonly totalSizes: Counter;
  /** Latencies of the calls that did not answer 200 (fortio's "Error cases"). */
  readonly errors: Counter;
  /** Remote address of every socket opened, all threads. */
  readonly sockets: readonly string[];
}

/** Calls per thread: `calls / threads`, the remainder to the first threads (fortio's "N per thread + R"). */
export function callsPerThread(calls: number, threads: number): number[] {
  const base = Math.floor(calls / threads);
  return Array.from({ length: threads }, (_, i) => base + (i < calls % threads ? 1 : 0));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Tally {
  readonly latency: Histogram;
  readonly codes: Map<number, number>;
  readonly headerSizes: Counter;
  readonly totalSizes: Counter;
  readonly errors: Counter;
}

async function runThread(plan: LoadPlan, index: number, quota: number, startedAt: number, tally: Tally): Promise<string[]> {
  const client = new ThreadClient(plan.client);
  const periodMs = plan.qps > 0 ? (1000 * plan.threads) / plan.qps : 0;
  try {
    for (let k = 0; plan.calls > 0 ? k < quota : performance.now() - startedAt < plan.durationMs; k++) {
      if (periodMs > 0) await sleep(Math.max(0, startedAt + k * periodMs - performance.now()));
      const t0 = performance.now();
      const r = await client.call();
      const seconds = (performance.now() - t0) / 1000;
      tally.latency.record(seconds);
      if (r.code !== 200) tally.errors.record(seconds);
      tally.codes.set(r.code, (tally.codes.get(r.code) ?? 0) + 1);
      tally.headerSizes.record(r.headerBytes);
      tally.totalSizes.record(r.totalBytes);
      if (r.code !== 200) plan.onNonOk(index, r);
    }
  } finally {
    client.close();
  }
  return client.sockets;
}

/** Runs the threads concurrently, each on its own connection; resolves when all are done. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const tally: Tally = { latency: new Histogram(), codes: new Map(), headerSizes: new Counter(), totalSizes: new Counter(), errors: new Counter() };
  const quotas = callsPerThread(plan.calls, plan.threads);
  const startedAt = performance.now();
  const sockets = await Promise.all(quotas.map((q, i) => runThread(plan, i, q, startedAt, tally)));
  return { elapsedMs: performance.now() - startedAt, ...tally, sockets: sockets.flat() };
}
