#!/usr/bin/env node
// `npm run chaos`: npm start's stack in a state dir of its own, open-loop load through the gateway,
// one fault at a time, a table row per scenario (docs/reliability.md). Bounded: every wait has a budget.
//   CHAOS_RATE=200  CHAOS_DURATION_MS=15000  CHAOS_RESTART_BACKOFF=1s  CHAOS_SCENARIOS=cp-kill,churn,…
//   CHAOS_SEED=<n>  CHAOS_ADDRESS_BLOCK=127.0.123  CHAOS_STATE_DIR=/tmp/trellis-chaos  CHAOS_VERBOSE=1  CHAOS_ACCESS_LOG=1
//   CHAOS_CERT_TTL=10s CHAOS_CERT_KEY=ECDSA|RSA (with cert-rotation or ca-kill chosen: every proxy's SECRET_TTL and key, through mesh.yaml's proxyMetadata)
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { caKill, certRotation, goSeconds, meshYamlWithCertTtl } from './cert-rotation.mjs';
import { formatTable } from './report.mjs';
import { baseline, configStoreCrash, warmUp, controlPlaneKill, reviewsKill, routingChurn } from './scenarios.mjs';
import { startStack } from './stack.mjs';
import { overload, slowAndDeadUpstream } from './upstream-scenarios.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = process.env;
const o = {
  rate: Number(env.CHAOS_RATE ?? 200),
  durationMs: Number(env.CHAOS_DURATION_MS ?? 15_000),
  trials: Number(env.CHAOS_TRIALS ?? 3),
  seed: Number(env.CHAOS_SEED ?? Date.now() % 1_000_000),
  certTtl: env.CHAOS_CERT_TTL ?? '10s',
  certKey: env.CHAOS_CERT_KEY ?? 'ECDSA',
};
const SCENARIOS = {
  baseline: (s) => baseline(s, o),
  'cp-kill': (s) => controlPlaneKill(s, o),
  churn: (s) => routingChurn(s, o),
  'reviews-kill': (s) => reviewsKill(s, o),
  'slow-dead': (s) => slowAndDeadUpstream(s, o),
  overload: (s) => overload(s, o),
  'store-crash': (s) => configStoreCrash(s, o, mulberry32(o.seed)),
  'cert-rotation': (s) => certRotation(s, o),
  'ca-kill': (s) => caKill(s, o),
};
const chosen = (env.CHAOS_SCENARIOS ?? Object.keys(SCENARIOS).join(',')).split(',').filter(Boolean);
for (const name of chosen) if (!(name in SCENARIOS)) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);

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
if (spawnSync(process.execPath, [path.join(root, 'tools/build/build.mjs'), '--quiet'], { stdio: 'inherit' }).status !== 0) process.exit(1);
const stateDir = env.CHAOS_STATE_DIR ?? '/tmp/trellis-chaos';
const restartBackoff = env.CHAOS_RESTART_BACKOFF ?? '1s';
say(`chaos: ${o.rate} rps open loop, ${o.durationMs} ms per scenario, restart back-off ${restartBackoff}, seed ${o.seed}, state ${stateDir}`);
// Short-lived certificates for the whole run when cert-rotation or ca-kill is in it (the other scenarios then run under rotation too).
const meshYaml = chosen.some((n) => n === 'cert-rotation' || n === 'ca-kill') ? meshYamlWithCertTtl(o.certTtl, o.certKey) : undefined;
if (meshYaml !== undefined) say(`… every proxy's workload certificate lives ${goSeconds(o.certTtl)}s, ${o.certKey} keys (SECRET_TTL, ECC_SIGNATURE_ALGORITHM in mesh.yaml's defaultConfig.proxyMetadata)`);
const stack = await startStack({ root, stateDir, addressBlock: env.CHAOS_ADDRESS_BLOCK ?? '127.0.123', restartBackoff, accessLog: env.CHAOS_ACCESS_LOG === '1', out: env.CHAOS_VERBOSE ? (l) => say(`  | ${l}`) : undefined, meshYaml });
const rows = [];
let failed = false;
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => void stack.stop().then(() => process.exit(130)));
try {
  say(`… warm-up: ${Math.round((await warmUp(stack, o)) / 1000)}s until 3s of load were served without a failure`);
  for (const name of chosen) {
    say(`… ${name}`);
    const started = Date.now();
    try {
      const r = await SCENARIOS[name](stack);
      rows.push({ ...r, seconds: (Date.now() - started) / 1000 });
      say(formatTable([rows.at(-1)], { header: false }));
    } catch (err) {
      failed = true;
      rows.push({ scenario: name, error: String(err?.stack ?? err) });
      say(`✘ ${name}: ${err?.message ?? err}`);
    }
  }
} finally {
  const restarts = stack.lines.filter((l) => l.startsWith('↻'));
  await stack.stop();
  say('\n' + formatTable(rows.filter((r) => !r.error), { header: true }));
  say(`runner restarts seen: ${restarts.length}${restarts.length ? '\n  ' + restarts.join('\n  ') : ''}`);
  writeFileSync(path.join(root, 'dist', 'chaos-results.json'), JSON.stringify({ options: o, restartBackoff, rows }, null, 2) + '\n');
  say('results: dist/chaos-results.json');
}
process.exit(failed ? 1 : 0);
