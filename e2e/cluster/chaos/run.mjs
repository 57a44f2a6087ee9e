#!/usr/bin/env node
// The cluster chaos table (issue #23 scenarios 3 and 4): open-loop load through the ingress gateway
// (tools/chaos/load.mjs: /productpage and /api/v1/products/0/reviews alternating) while one kubectl
// fault at a time runs; a row per fault as `npm run chaos` prints them. e2e/cluster/chaos.sh sets it up.
//   CHAOS_URL=http://<gateway>  CHAOS_RATE=20  CHAOS_SCENARIOS=baseline,pod-delete,rollout-reviews,rollout-gateway
//   CHAOS_BASELINE_MS=10000  CHAOS_TIMELINE=1 (2 s buckets for every row, not only failed ones)
//   CHAOS_BEFORE_MS=3000  CHAOS_AFTER_MS=3000  CHAOS_MAX_FAILED=0  CHAOS_RESULTS=<json file>
import { readFileSync, writeFileSync } from 'node:fs';
import { formatTable } from '../../../tools/chaos/report.mjs';
import { summarize } from '../../../tools/chaos/load.mjs';
import { warmUp } from '../../../tools/chaos/scenarios.mjs';
import { FAULTS, baselineFault } from './faults.mjs';
import { startOpenLoad } from './segmented-load.mjs';
import { timeline } from './timeline.mjs';

const env = process.env;
const o = {
  url: env.CHAOS_URL ?? '',
  rate: Number(env.CHAOS_RATE ?? 20),
  beforeMs: Number(env.CHAOS_BEFORE_MS ?? 3000),
  afterMs: Number(env.CHAOS_AFTER_MS ?? 3000),
  maxFailed: Number(env.CHAOS_MAX_FAILED ?? 0),
};
if (!/^https?:\/\//.test(o.url)) throw new Error('CHAOS_URL must be the gateway, e.g. http://172.31.254.1:80');
const chosen = (env.CHAOS_SCENARIOS ?? ['baseline', ...Object.keys(FAULTS)].join(',')).split(',').filter(Boolean);
for (const name of chosen) if (name !== 'baseline' && !(name in FAULTS)) throw new Error(`unknown scenario ${name}; known: ${Object.keys(FAULTS).join(', ')}`);

const say = (line) => process.stdout.write(line + '\n');
const readLoadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One fault under load: the whole run is counted; p99 is the fault's window (fault start → old pods gone). */
async function scenario(fault) {
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
  const failedAt = records.filter((r) => r.outcome !== 'ok').map((r) => `${((r.at - faultAt) / 1000).toFixed(1)}s ${r.path} ${r.outcome}`);
  return {
    scenario: fault.name,
    ...summarize(records, faultAt, faultEnd),
    recoveryMs: result.recoveryMs,
    configLost: false,
    note: `${result.note}; fault window ${((faultEnd - faultAt) / 1000).toFixed(1)} s`,
    failedAt,
    timeline: timeline(records, faultAt),
    loadavg: `${loadBefore} → ${readLoadavg()}`,
  };
}

say(`chaos (cluster): ${o.rate} rps open loop through ${o.url}, ${o.beforeMs} ms before and ${o.afterMs} ms after each fault`);
say(`… warm-up: ${Math.round((await warmUp({ gatewayUrl: o.url }, o)) / 1000)} s until 3 s of load were served without a failure`);
const rows = [];
let bad = 0;
for (const name of chosen) {
  const fault = name === 'baseline' ? baselineFault(Number(env.CHAOS_BASELINE_MS ?? 10_000)) : FAULTS[name]();
  say(`… ${fault.name}`);
  const started = Date.now();
  try {
    const row = await scenario(fault);
    rows.push({ ...row, seconds: (Date.now() - started) / 1000 });
    say(formatTable([row], { header: false }));
    const failed = row.sent - row.ok;
    if (failed > o.maxFailed || env.CHAOS_TIMELINE === '1') say(`  load average ${row.loadavg}; 2 s buckets from the fault:\n  ${row.timeline.join('\n  ')}`);
    if (failed > o.maxFailed) {
      bad++;
      say(`✘ ${failed} failed (allowed ${o.maxFailed}), the first at (s from the fault):\n  ${row.failedAt.slice(0, 12).join('\n  ')}`);
    }
  } catch (err) {
    bad++;
    rows.push({ scenario: fault.name, error: String(err?.message ?? err) });
    say(`✘ ${fault.name}: ${err?.message ?? err}`);
  }
}
say('\n' + formatTable(rows.filter((r) => !r.error), { header: true }));
if (env.CHAOS_RESULTS) writeFileSync(env.CHAOS_RESULTS, JSON.stringify({ options: o, rows }, null, 2));
process.exit(bad === 0 ? 0 : 1);
