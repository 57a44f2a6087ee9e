// Upstream faults: a hung and a dead upstream (bounded latency, no pile-up of memory or sockets) and
// overload (the circuit breaker sheds with 503 UO, then full throughput again).
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startLoad, summarize } from './load.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const meta = (name) => ({ name, namespace: 'default' });

/** RSS (MB) and open fds of a process, from /proc. */
function usage(pid) {
  try {
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    return { rss: Math.round(rss), fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return { rss: NaN, fds: NaN };
  }
}

/** The gateway and the sidecars in the path, summed: `RSS a→b MB, fds c→d`. */
function usageOf(stack, patterns) {
  const procs = stack.processes().filter((p) => patterns.some((re) => re.test(p.name)));
  return procs.reduce((acc, p) => {
    const u = usage(p.pid);
    return { rss: acc.rss + u.rss, fds: acc.fds + u.fds };
  }, { rss: 0, fds: 0 });
}
const PATH = [/^istio-ingressgateway/, /^productpage-.*\.istio-proxy$/, /^reviews-.*\.istio-proxy$/];
const change = (a, b) => `RSS ${a.rss}→${b.rss} MB, fds ${a.fds}→${b.fds}`;

export async function slowAndDeadUpstream(stack, o) {
  // Istio's answer to a slow upstream: a route timeout (the default is none).
  const timeout = { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: meta('ratings'), spec: { hosts: ['ratings'], http: [{ timeout: '1s', route: [{ destination: { host: 'ratings' } }] }] } };
  await stack.apply([timeout]);
  await sleep(1500);
  const before = usageOf(stack, PATH);
  const ratings = stack.process(/^ratings-v1-[^.]*$/);
  const load = startLoad({ url: stack.gatewayUrl, rate: o.rate, durationMs: o.durationMs });
  await sleep(2000);
  const hungAt = performance.now() - load.t0;
  process.kill(ratings.pid, 'SIGSTOP');
  await sleep(Math.min(5000, o.durationMs / 3));
  process.kill(ratings.pid, 'SIGKILL'); // now dead: refused until the runner restarts it
  const since = performance.now();
  while (performance.now() - since < o.durationMs && !(stack.process(ratings.name).state === 'Running' && stack.process(ratings.name).restarts > ratings.restarts)) await sleep(50);
  const recovery = performance.now() - load.t0 - hungAt;
  const records = await load.done;
  await sleep(2000);
  const after = usageOf(stack, PATH);
  await stack.remove('virtualservices', 'ratings');
  const r = summarize(records, hungAt, hungAt + recovery);
  return { scenario: 'ratings hung (SIGSTOP) then dead (SIGKILL), 1s route timeout', ...r, usage: { before, after }, recoveryMs: recovery, configLost: false, note: `${change(before, after)}; max latency ${Math.round(Math.max(...records.map((x) => x.ms)))} ms` };
}

export async function overload(stack, o) {
  // productpage's circuit breaker, as Istio's circuit-breaking task sets one: beyond it the gateway sheds.
  const pool = o.overloadPool ?? 32;
  const limits = { apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: meta('productpage'), spec: { host: 'productpage', trafficPolicy: { connectionPool: { tcp: { maxConnections: pool }, http: { http1MaxPendingRequests: pool, maxRequestsPerConnection: 0 } } } } };
  await stack.apply([limits]);
  await sleep(1500);
  const before = usageOf(stack, PATH);
  const peakMs = o.peakMs ?? 10_000;
  const peak = startLoad({ url: stack.gatewayUrl, rate: o.rate * 10, durationMs: peakMs, connections: 1024, timeoutMs: 30_000 });
  const during = await peak.done;
  const mid = usageOf(stack, PATH);
  const recoveryStart = performance.now();
  let recovery = NaN;
  let after;
  for (let i = 0; i < 6; i++) {
    after = summarize(await startLoad({ url: stack.gatewayUrl, rate: o.rate, durationMs: 2000 }).done);
    if (after.ok === after.sent) {
      recovery = performance.now() - recoveryStart;
      break;
    }
  }
  await stack.remove('destinationrules', 'productpage');
  const s = summarize(during);
  const achieved = (s.sent / (Math.max(...during.map((x) => x.at)) / 1000)).toFixed(0);
  return { scenario: `overload ${o.rate * 10} rps for ${peakMs / 1000} s (productpage pool ${pool}+${pool})`, ...s, usage: { before, after: mid }, recoveryMs: recovery, configLost: false, note: `scheduled ${achieved} rps; after: ${after.ok}/${after.sent} ok at ${o.rate} rps; ${change(before, mid)} (before→peak)` };
}
