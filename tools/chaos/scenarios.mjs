// One fault at a time under open-loop load; each returns a table row. Times are ms from load start.
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { startLoad, summarize } from './load.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const meta = (name) => ({ name, namespace: 'default' });
const vs = (name, hosts, http, gateways) => ({ apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: meta(name), spec: { hosts, ...(gateways && { gateways }), http } });
const SUBSETS = ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } }));
const reviewsDr = (extra) => ({ apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: meta('reviews'), spec: { host: 'reviews', subsets: extra ? [...SUBSETS, { name: 'all', labels: { app: 'reviews' } }] : SUBSETS } });
const WEIGHTS = [[100, 0, 0], [50, 0, 50], [0, 100, 0], [0, 50, 50], [34, 33, 33], [0, 0, 100]];
const reviewsVs = (w) => vs('reviews', ['reviews'], [{ route: w.map((weight, i) => ({ destination: { host: 'reviews', subset: `v${i + 1}` }, weight })).filter((r) => r.weight > 0) }]);
/** A gateway route answering 4xx `status` by fault abort for Host chaos-probe: proves a config reached the gateway. */
const probeVs = (status) => vs('chaos-probe', ['chaos-probe.example.com'], [{ fault: { abort: { httpStatus: status, percentage: { value: 100 } } }, route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }], ['bookinfo-gateway']);

async function probeStatus(stack) {
  try {
    const res = await request(`${stack.gatewayUrl}/`, { headers: { host: 'chaos-probe.example.com' }, headersTimeout: 2000 });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return 0;
  }
}

/** Applies until the control plane takes it, then waits until the gateway answers `status`: ms from `since`. */
async function configAppliesAgain(stack, status, since, budgetMs = 90_000) {
  while (performance.now() - since < budgetMs) {
    const r = await stack.apply([probeVs(status)]).catch(() => ({ status: 0 }));
    if (r.status === 200) break;
    await sleep(100);
  }
  while (performance.now() - since < budgetMs) {
    if ((await probeStatus(stack)) === status) return performance.now() - since;
    await sleep(50);
  }
  return NaN;
}

const names = async (stack, kind) => new Set((await stack.list(kind)).map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));

function row(name, records, faultAt, faultEnd, recoveryMs, configLost, note = '') {
  return { scenario: name, ...summarize(records, faultAt, faultEnd), recoveryMs, configLost, note };
}

/** Load until a 3 s window is served without a failure (JIT, first connections, addons settling); ms taken. */
export async function warmUp(stack, o, budgetMs = 90_000) {
  const started = performance.now();
  let last;
  while (performance.now() - started < budgetMs) {
    last = summarize(await startLoad({ url: stack.gatewayUrl, rate: o.rate, durationMs: 3000 }).done);
    if (last.ok === last.sent) return performance.now() - started;
  }
  throw new Error(`the stack did not serve ${o.rate} rps without failures within ${budgetMs / 1000}s (last 3 s: ${last?.ok}/${last?.sent} ok, failed ${JSON.stringify(last?.failed)}): lower CHAOS_RATE`);
}

export async function baseline(stack, o) {
  const records = await startLoad({ url: stack.gatewayUrl, rate: o.rate, durationMs: o.durationMs }).done;
  return row('baseline (no fault)', records, 0, Infinity, NaN, false, 'the same load without a fault: what the machine gives');
}

/** Until every proxy that was connected holds a stream to the restarted control plane again: ms from `since`. */
async function proxiesReconnected(stack, count, since, budgetMs = 90_000) {
  while (performance.now() - since < budgetMs) {
    if ((await stack.connectedProxies()) >= count) return performance.now() - since;
    await sleep(100);
  }
  return NaN;
}

/**
 * The load runs at least `durationMs` and until every proxy has reconnected (its ADS back-off) plus
 * 2 s, so the resync on the new stream is under load too — not only the time the control plane is down.
 */
export async function controlPlaneKill(stack, o) {
  const before = await names(stack, 'virtualservices');
  const proxies = await stack.connectedProxies();
  const load = startLoad({ url: stack.gatewayUrl, rate: o.rate, durationMs: o.durationMs + 90_000 });
  await sleep(2000);
  const faultAt = performance.now() - load.t0;
  const killedAt = performance.now();
  stack.kill('control-plane');
  let readyMs = NaN;
  const readyWatch = (async () => {
    while (!(await stack.ready())) await sleep(100);
    readyMs = performance.now() - killedAt;
  })();
  const recovery = await configAppliesAgain(stack, 418, killedAt);
  await readyWatch;
  const resyncMs = await proxiesReconnected(stack, proxies, killedAt);
  await sleep(Math.max(2000, load.t0 + o.durationMs - performance.now()));
  load.stop();
  const records = await load.done;
  const after = await names(stack, 'virtualservices');
  before.add('default/chaos-probe');
  return { ...row('control plane SIGKILL', records, faultAt, faultAt + recovery, recovery, !sameSet(before, after), `restarts ${stack.process('control-plane').restarts}; control plane ready again after ${Math.round(readyMs)} ms; all ${proxies} proxies reconnected after ${Math.round(resyncMs)} ms (load until 2 s later); recovery = kill → a new config served by the gateway (proxies reconnect with their ADS back-off)`), resyncMs };
}

export async function routingChurn(stack, o) {
  await stack.apply([reviewsDr(false)]);
  const load = startLoad({ url: stack.gatewayUrl, rate: o.rate, durationMs: o.durationMs });
  let applied = 0;
  let rejected = 0;
  const end = performance.now() + o.durationMs - 1000;
  for (let i = 0; performance.now() < end; i++) {
    const r = await stack.apply([reviewsVs(WEIGHTS[i % WEIGHTS.length]), reviewsDr(i % 2 === 1), probeVs(400 + (i % 20))]);
    if (r.status === 200) applied++;
    else rejected++;
    await sleep(1000);
  }
  const records = await load.done;
  const last = 400 + ((applied + rejected - 1) % 20);
  const served = (await probeStatus(stack)) === last;
  await stack.remove('virtualservices', 'reviews');
  return { ...row('routing churn 1/s (VS weights, DR subsets, gateway route)', records, 0, Infinity, NaN, !served, `${applied} changes applied, ${rejected} rejected; last change served: ${served}`), changes: { applied, rejected, lastServed: served } };
}

export async function reviewsKill(stack, o) {
  const load = startLoad({ url: stack.gatewayUrl, rate: o.rate, durationMs: o.durationMs });
  await sleep(2000);
  const faultAt = performance.now() - load.t0;
  const killed = stack.kill(/^reviews-v2-[^.]*$/);
  const since = performance.now();
  let recovery = NaN;
  while (performance.now() - since < o.durationMs) {
    const p = stack.process(killed.name);
    if (p.state === 'Running' && p.restarts > killed.restarts) {
      recovery = performance.now() - since;
      break;
    }
    await sleep(50);
  }
  const records = await load.done;
  return row('reviews-v2 app SIGKILL', records, faultAt, faultAt + (Number.isNaN(recovery) ? o.durationMs : recovery), recovery, false, 'recovery = kill → process running again');
}

/** `trellis apply` of 12 objects while the control plane is SIGKILLed at a random point: all or nothing after the restart. */
export async function configStoreCrash(stack, o, random) {
  const trials = [];
  for (let t = 0; t < o.trials; t++) {
    const objects = Array.from({ length: 12 }, (_, i) => vs(`crash-${t}-${i}`, [`crash-${t}-${i}.example.com`], [{ route: [{ destination: { host: 'productpage' } }] }], ['bookinfo-gateway']));
    const delay = Math.floor(random() * 150);
    const reply = stack.apply(objects).then((r) => r.status, () => 0);
    await sleep(delay);
    stack.kill('control-plane');
    const status = await reply;
    const since = performance.now();
    while (!(await stack.ready())) {
      if (performance.now() - since > 120_000) throw new Error('control plane did not come back');
      await sleep(100);
    }
    const stored = [...(await names(stack, 'virtualservices'))].filter((n) => n.startsWith(`default/crash-${t}-`)).length;
    trials.push({ delay, status, stored, ok: stored === 0 || stored === 12, acked: status === 200 });
  }
  const partial = trials.filter((x) => !x.ok);
  const lostAcked = trials.filter((x) => x.acked && x.stored !== 12);
  return { scenario: 'control plane SIGKILL during apply (12 objects)', sent: trials.length, ok: trials.length - partial.length - lostAcked.length, failed: { partial: partial.length, 'acked-but-lost': lostAcked.length }, p99: NaN, recoveryMs: NaN, configLost: partial.length + lostAcked.length > 0, note: trials.map((x) => `${x.delay}ms→${x.status}/${x.stored}`).join(' ') };
}
