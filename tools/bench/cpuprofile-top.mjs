#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof; the benches write them with BENCH_CPU_PROF=<dir>):
// the top functions by self time and by inclusive time (a function counted once per sample however
// often it recurses), and self time per source file.
//   node tools/bench/cpuprofile-top.mjs <file.cpuprofile> [--top 25] [--phase connect|changes]
// --phase cuts the profile to one phase of `bench:control-plane` (<dir>/phases.json, written beside
// the profile: connect = initial convergence, changes = the measured changes), by V8's monotonic
// timestamps. --from/--to <µs> cut it by hand.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const file = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
if (!file) {
  process.stderr.write('usage: node tools/bench/cpuprofile-top.mjs <file.cpuprofile> [--top N] [--phase connect|changes] [--from µs --to µs]\n');
  process.exit(2);
}
const top = Number(opt('top', '25'));
// `| head` closing the pipe early is not an error.
process.stdout.on('error', (err) => process.exit(err.code === 'EPIPE' ? 0 : 1));

function window() {
  const phase = opt('phase');
  if (!phase) return [Number(opt('from', '-Infinity')), Number(opt('to', 'Infinity'))];
  const phasesFile = path.join(path.dirname(file), 'phases.json');
  if (!existsSync(phasesFile)) throw new Error(`--phase needs ${phasesFile}`);
  const phases = JSON.parse(readFileSync(phasesFile, 'utf8'));
  const order = ['connect', 'changes', 'end'];
  const next = order[order.indexOf(phase) + 1];
  if (phases[phase] === undefined || next === undefined) throw new Error(`unknown phase ${phase} (${Object.keys(phases).join(', ')})`);
  return [phases[phase], phases[next] ?? Infinity];
}

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
const fileOf = (n) => (n.callFrame.url ? path.basename(n.callFrame.url) : n.callFrame.functionName);

const [from, to] = window();
const self = new Map();
const inclusive = new Map();
const byFile = new Map();
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
let t = profile.startTime;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  const dt = profile.timeDeltas[i + 1] ?? 0;
  if (t < from || t >= to) continue;
  const leaf = nodes.get(profile.samples[i]);
  total += dt;
  add(self, keyOf(leaf), dt);
  add(byFile, fileOf(leaf), dt);
  const seen = new Set();
  for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
    const k = keyOf(nodes.get(id));
    if (!seen.has(k)) add(inclusive, k, dt);
    seen.add(k);
  }
}

const ms = (us) => (us / 1000).toFixed(0).padStart(7);
const pct = (us) => `${((100 * us) / Math.max(total, 1)).toFixed(1).padStart(5)}%`;
const print = (title, m) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${ms(v)} ms ${pct(v)}  ${k}\n`);
};
process.stdout.write(`${file}${opt('phase') ? ` phase ${opt('phase')}` : ''}: ${ms(total).trim()} ms sampled\n`);
print('self time', self);
print('inclusive time', inclusive);
print('self time by file', byFile);
