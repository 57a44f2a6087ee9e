#!/usr/bin/env node
// `npm run chaos`: npm start's stack in a state dir of its own, open-loop load through the gateway,
// one fault at a time, a table row per scenario with its verdict (docs/reliability.md). Bounded: every wait has a budget.
// `npm run chaos -- --ci` (CHAOS_PROFILE=ci): the short CI profile (profile.mjs) — exits 1 when a row fails.
//   --no-build (the CI profile builds only when dist/ is older than the sources)
//   CHAOS_RATE=200  CHAOS_DURATION_MS=15000  CHAOS_RESTART_BACKOFF=1s  CHAOS_SCENARIOS=cp-kill,churn,…
//   CHAOS_SEED=<n>  CHAOS_ADDRESS_BLOCK=127.0.123  CHAOS_STATE_DIR=/tmp/trellis-chaos  CHAOS_VERBOSE=1  CHAOS_ACCESS_LOG=1
//   CHAOS_CERT_TTL=10s CHAOS_CERT_KEY=ECDSA|RSA (with cert-rotation or ca-kill chosen: every proxy's SECRET_TTL and key, through mesh.yaml's proxyMetadata)
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './build-fresh.mjs';
import { caKill, certRotation, goSeconds, meshYamlWithCertTtl } from './cert-rotation.mjs';
import { readOptions } from './profile.mjs';
import { formatTable } from './report.mjs';
import { baseline, configStoreCrash, warmUp, controlPlaneKill, reviewsKill, routingChurn } from './scenarios.mjs';
import { startStack } from './stack.mjs';
import { overload, slowAndDeadUpstream } from './upstream-scenarios.mjs';
import { judge } from './verdict.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = process.env;
const o = readOptions(process.argv.slice(2), env);
const SCENARIOS = {
  baseline: (s, x) => baseline(s, x),
  'cp-kill': (s, x) => controlPlaneKill(s, x),
  churn: (s, x) => routingChurn(s, x),
  'reviews-kill': (s, x) => reviewsKill(s, x),
  'slow-dead': (s, x) => slowAndDeadUpstream(s, x),
  overload: (s, x) => overload(s, x),
  'store-crash': (s, x) => configStoreCrash(s, x, mulberry32(o.seed)),
  'cert-rotation': (s, x) => certRotation(s, x),
  'ca-kill': (s, x) => caKill(s, x),
};

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const say = (line) => process.stdout.write(line + '\n');
const t0 = Date.now();
const secs = (ms) => `${Math.round(ms / 1000)}s`;
const replay = () => `replay: CHAOS_SEED=${o.seed} npm run chaos${o.profile === 'ci' ? ' -- --ci' : ''}`;
if (o.build === 'always' || (o.build === 'if-stale' && !distIsFresh(root))) {
  if (spawnSync(process.execPath, [path.join(root, 'tools/build/build.mjs'), '--quiet'], { stdio: 'inherit' }).status !== 0) process.exit(1);
}
const stateDir = env.CHAOS_STATE_DIR ?? '/tmp/trellis-chaos';
say(`chaos (${o.profile}): ${o.rate} rps open loop, ${o.profile === 'ci' ? 'short windows' : `${o.durationMs} ms per scenario`}, restart back-off ${o.restartBackoff}, seed ${o.seed}, state ${stateDir}`);
// Short-lived certificates for the whole run when cert-rotation or ca-kill is in it (the other scenarios then run under rotation too).
const meshYaml = o.scenarios.some((n) => n === 'cert-rotation' || n === 'ca-kill') ? meshYamlWithCertTtl(o.certTtl, o.certKey) : undefined;
if (meshYaml !== undefined) say(`… every proxy's workload certificate lives ${goSeconds(o.certTtl)}s, ${o.certKey} keys (SECRET_TTL, ECC_SIGNATURE_ALGORITHM in mesh.yaml's defaultConfig.proxyMetadata)`);
const stack = await startStack({ root, stateDir, addressBlock: env.CHAOS_ADDRESS_BLOCK ?? '127.0.123', restartBackoff: o.restartBackoff, accessLog: env.CHAOS_ACCESS_LOG === '1', out: env.CHAOS_VERBOSE ? (l) => say(`  | ${l}`) : undefined, meshYaml });
const startedMs = Date.now() - t0;
const rows = [];
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => void stack.stop().then(() => process.exit(130)));
if (Number.isFinite(o.deadlineMs)) {
  setTimeout(() => {
    say(`✘ chaos: still running after ${secs(o.deadlineMs)}; stopping the stack. ${replay()}`);
    void stack.stop().then(() => process.exit(1));
  }, o.deadlineMs - startedMs).unref();
}

async function runOne(name) {
  say(`… ${name}`);
  const started = Date.now();
  let r;
  try {
    r = await SCENARIOS[name](stack, { ...o, durationMs: o.durationOf(name) });
  } catch (err) {
    r = { scenario: name, error: String(err?.stack ?? err) };
    say(`✘ ${name}: ${err?.message ?? err}`);
  }
  const v = judge(name, r);
  rows.push({ ...r, kind: name, pass: v.pass, verdict: v.text, seconds: (Date.now() - started) / 1000 });
  if (r.error === undefined) say(formatTable([rows.at(-1)], { header: false }));
  if (!v.pass && r.samples?.length) say(`  first failures: ${r.samples.join('; ')}`);
}

let warmMs = NaN;
try {
  warmMs = await warmUp(stack, o);
  say(`… warm-up: ${secs(warmMs)} until 3s of load were served without a failure (stack ready after ${secs(startedMs)})`);
  for (const name of o.scenarios) await runOne(name);
} catch (err) {
  rows.push({ scenario: 'warm-up', kind: 'warm-up', pass: false, verdict: `FAIL: ${err?.message ?? err}`, error: String(err) });
  say(`✘ warm-up: ${err?.message ?? err}`);
} finally {
  const restarts = stack.lines.filter((l) => l.startsWith('↻'));
  await stack.stop();
  say('\n' + formatTable(rows.filter((r) => r.error === undefined), { header: true }));
  for (const r of rows.filter((x) => x.error !== undefined)) say(`✘ ${r.kind}: ${r.verdict}`);
  say(`runner restarts seen: ${restarts.length}${restarts.length ? '\n  ' + restarts.join('\n  ') : ''}`);
  writeFileSync(path.join(root, 'dist', 'chaos-results.json'), JSON.stringify({ options: o, restartBackoff: o.restartBackoff, wallMs: Date.now() - t0, stackStartMs: startedMs, warmUpMs: warmMs, rows }, null, 2) + '\n');
  say('results: dist/chaos-results.json');
}
const failed = rows.filter((r) => !r.pass);
const errored = rows.some((r) => r.error !== undefined);
say(`chaos (${o.profile}): ${rows.length - failed.length}/${rows.length} rows pass in ${secs(Date.now() - t0)} (stack start ${secs(startedMs)}, warm-up ${secs(warmMs)}), seed ${o.seed}`);
if (failed.length > 0) say(`${o.strict ? '✘' : '!'} failed: ${failed.map((r) => r.kind).join(', ')}; ${replay()}${o.strict ? '' : ' (the full profile reports figures; only --ci exits 1 on a verdict)'}`);
process.exit(errored || (o.strict && failed.length > 0) ? 1 : 0);
