#!/usr/bin/env node
// The cluster chaos table (issue #23 scenarios 3, 4 and 7): open-loop load through the ingress gateway
// (tools/chaos/load.mjs: /productpage and /api/v1/products/0/reviews alternating) while one fault at a
// time runs; a row per fault as `npm run chaos` prints them. e2e/cluster/chaos.sh sets it up.
//   CHAOS_URL=http://<gateway>  CHAOS_RATE=20
//   CHAOS_SCENARIOS=baseline,pod-delete,rollout-reviews,istiod-apply,rollout-gateway
//   CHAOS_BASELINE_MS=10000  CHAOS_TIMELINE=1 (2 s buckets for every row, not only failed ones)
//   CHAOS_BEFORE_MS=3000  CHAOS_AFTER_MS=3000  CHAOS_MAX_FAILED=0  CHAOS_RESULTS=<json file>
//   CHAOS_GONE_CAP_MS=120000 (wait for the old pods' proxies to be reported exited at most this long)
//   CHAOS_ISTIOD_KILL=sigkill|force-delete  CHAOS_ISTIOD_KILL_DELAY_MS=150 (after kubectl apply starts)
import { readFileSync, writeFileSync } from 'node:fs';
import { formatTable } from '../../../tools/chaos/report.mjs';
import { summarize } from '../../../tools/chaos/load.mjs';
import { warmUp } from '../../../tools/chaos/scenarios.mjs';
import { FAULTS as KUBECTL_FAULTS, baselineFault } from './faults.mjs';
import { istiodCrashDuringApply } from './istiod-crash.mjs';
import { sidecarCounts, sidecarFailures } from './sidecar-flags.mjs';
import { startOpenLoad } from './segmented-load.mjs';
import { timeline } from './timeline.mjs';

const env = process.env;
const o = {
  url: env.CHAOS_URL ?? '',
  rate: Number(env.CHAOS_RATE ?? 20),
  beforeMs: Number(env.CHAOS_BEFORE_MS ?? 3000),
  afterMs: Number(env.CHAOS_AFTER_MS ?? 3000),
  maxFailed: Number(env.CHAOS_MAX_FAILED ?? 0),
  maxTimeouts: Number(env.CHAOS_MAX_TIMEOUTS ?? 0),
};
if (!/^https?:\/\//.test(o.url)) throw new Error('CHAOS_URL must be the gateway, e.g. http://172.31.254.1:80');
const FAULTS = {
  ...KUBECTL_FAULTS,
  'istiod-apply': () => istiodCrashDuringApply({ url: o.url, how: env.CHAOS_ISTIOD_KILL ?? 'sigkill', killDelayMs: Number(env.CHAOS_ISTIOD_KILL_DELAY_MS ?? 150) }),
};
const chosen = (env.CHAOS_SCENARIOS ?? ['baseline', ...Object.keys(FAULTS)].join(',')).split(',').filter(Boolean);
for (const name of chosen) if (name !== 'baseline' && !(name in FAULTS)) throw new Error(`unknown scenario ${name}; known: ${Object.keys(FAULTS).join(', ')}`);

const say = (line) => process.stdout.write(line + '\n');
const readLoadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One fault under load: the whole run is counted; p99 is the fault's window (fault start → old pods gone). */
async function scenario(fault) {
  const countsBefore = await sidecarCounts();
  const load = startOpenLoad({ url: o.url, rate: o.rate });
  await sleep(o.beforeMs);
  const faultAt = load.now();
  const loadBefore = readLoadavg();
  let result;
  let error;
  try {
    result = await fault.run();
  } catch (err) {
    error = err;
  }
  const faultEnd = load.now();
  await sleep(o.afterMs);
  const records = await load.stop();
  if (error) throw error;
  const sidecars = sidecarFailures(countsBefore, await sidecarCounts());
  const failedAt = records.filter((r) => r.outcome !== 'ok').map((r) => `${((r.at - faultAt) / 1000).toFixed(1)}s ${r.path} ${r.outcome}`);
  return {
    scenario: fault.name,
    ...summarize(records, faultAt, faultEnd),
    recoveryMs: result.recoveryMs,
    configLost: result.configLost ?? false,
    note: `${result.note}; fault window ${((faultEnd - faultAt) / 1000).toFixed(1)} s`,
    failedAt,
    sidecars,
    timeline: timeline(records, faultAt),
    loadavg: `${loadBefore} → ${readLoadavg()}`,
  };
}

const fmt = (counts) => JSON.stringify(counts).replace(/"/g, '');
/** Productpage's own 3 s timeout at the client: a degraded page, the API's 500, or our 15 s wait for headers. */
const APP_TIMEOUT = /^(200 degraded|500 -|error UND_ERR_HEADERS_TIMEOUT)$/;

/**
 * Any failure beyond CHAOS_MAX_FAILED fails the row, unless none of them is the mesh's (every one an app timeout
 * at the client and no sidecar flag other than the app's own DC) and they are within CHAOS_MAX_TIMEOUTS.
 */
function judge(row) {
  const failed = row.sent - row.ok;
  const other = Object.entries(row.failed).filter(([k]) => !APP_TIMEOUT.test(k)).reduce((n, [, v]) => n + v, 0);
  const mesh = Object.values(row.sidecars.mesh).reduce((n, v) => n + v, 0);
  if (failed <= o.maxFailed && mesh === 0) return { bad: false, why: `allowed ${o.maxFailed}` };
  if (other > 0 || mesh > 0) return { bad: true, why: `${other} not an app timeout at the client, ${mesh} with a mesh flag at the sidecars` };
  if (row.sidecars.unread.length > 0) return { bad: true, why: `the sidecars of ${row.sidecars.unread.join(', ')} could not be read, so the failures cannot be told from the mesh's` };
  return { bad: failed > o.maxTimeouts, why: `all productpage's own timeouts (the machine's CPU), allowed ${o.maxTimeouts}` };
}

say(`chaos (cluster): ${o.rate} rps open loop through ${o.url}, ${o.beforeMs} ms before and ${o.afterMs} ms after each fault`);
say(`… warm-up: ${Math.round((await warmUp({ gatewayUrl: o.url }, o)) / 1000)} s until 3 s of load were served without a failure`);
const runStarted = Date.now();
const rows = [];
let bad = 0;
for (const name of chosen) {
  const fault = name === 'baseline' ? baselineFault(Number(env.CHAOS_BASELINE_MS ?? 10_000)) : FAULTS[name]();
  say(`… ${fault.name}`);
  const started = Date.now();
  try {
    const row = await scenario(fault);
    rows.push({ ...row, seconds: (Date.now() - started) / 1000 });
    say(`  ${((Date.now() - started) / 1000).toFixed(1)} s for the row`);
    say(formatTable([row], { header: false }));
    const failed = row.sent - row.ok;
    const verdict = judge(row);
    const { appTimeouts, appErrors, mesh, unread, ms } = row.sidecars;
    say(`  load average ${row.loadavg}; Bookinfo sidecars (read in ${(ms / 1000).toFixed(1)} s${unread.length ? `, unreadable: ${unread.join(' ')}` : ''}): app gave up ${fmt(appTimeouts)}, app errors ${fmt(appErrors)}, mesh ${fmt(mesh)}`);
    if (failed > 0 || env.CHAOS_TIMELINE === '1') say(`  2 s buckets from the fault:\n  ${row.timeline.join('\n  ')}`);
    if (failed > 0) say(`${verdict.bad ? '✘' : '!'} ${failed} failed: ${verdict.why}; at (s from the fault):\n  ${row.failedAt.slice(0, 40).join('\n  ')}`);
    if (verdict.bad) bad++;
    if (row.configLost) {
      bad++;
      say(`✘ ${fault.name}: config not (all) in effect — ${row.note}`);
    }
  } catch (err) {
    bad++;
    rows.push({ scenario: fault.name, error: String(err?.message ?? err) });
    say(`✘ ${fault.name}: ${err?.message ?? err}`);
  }
}
say('\n' + formatTable(rows.filter((r) => !r.error), { header: true }));
say(`${((Date.now() - runStarted) / 1000).toFixed(1)} s for ${rows.length} rows`);
if (env.CHAOS_RESULTS) writeFileSync(env.CHAOS_RESULTS, JSON.stringify({ options: o, rows }, null, 2));
process.exit(bad === 0 ? 0 : 1);
