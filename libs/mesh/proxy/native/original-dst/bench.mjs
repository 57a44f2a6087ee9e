#!/usr/bin/env node
// Cost of one original-destination read, as unsafe/original-dst.ts does it per connection
// (`socket._handle.fd` + originalDst(fd): getsockname + getsockopt), on a connection that a real
// nat REDIRECT sent to the server. Not a test: run it by hand (root, ip, iptables) and put the figure
// in the seam's header.
//
//   node libs/mesh/proxy/native/original-dst/bench.mjs [calls=10000]
//
// It creates a network namespace of its own (deleted at the end), re-runs itself inside with
// --inside, and prints ns per call (best of 5 rounds, after a warm-up round).
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildOriginalDst } from './build.mjs';

const self = fileURLToPath(import.meta.url);
const calls = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10_000);

if (process.argv.includes('--inside')) {
  const mod = { exports: {} };
  process.dlopen(mod, process.argv[process.argv.indexOf('--inside') + 1]);
  const { originalDst } = mod.exports;
  const server = net.createServer((socket) => {
    const read = () => originalDst(socket._handle.fd);
    const dst = read();
    const rounds = [];
    for (let r = 0; r < 6; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) read();
      rounds.push(Number(process.hrtime.bigint() - t0) / calls);
    }
    const best = Math.min(...rounds.slice(1));
    process.stdout.write(`${calls} calls, redirected to ${JSON.stringify(dst)}: best ${best.toFixed(0)} ns/call, rounds ${rounds.map((n) => n.toFixed(0)).join(' ')}\n`);
    socket.destroy();
    server.close();
  });
  server.listen(24999, '0.0.0.0', () => net.connect(3306, '10.250.254.9').on('error', (e) => { console.error(e.message); process.exit(1); }));
} else {
  const built = buildOriginalDst();
  if (built.error !== undefined) throw new Error(built.error);
  const ns = `todbench${process.pid}`;
  const sh = (...a) => execFileSync(a[0], a.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  sh('ip', 'netns', 'add', ns);
  try {
    sh('ip', '-n', ns, 'link', 'set', 'lo', 'up');
    sh('ip', '-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    sh('ip', '-n', ns, 'link', 'set', 'v0', 'up');
    sh('ip', '-n', ns, 'addr', 'add', '10.250.254.1/24', 'dev', 'v0');
    sh('ip', 'netns', 'exec', ns, 'iptables', '-t', 'nat', '-A', 'OUTPUT', '-p', 'tcp', '-d', '10.250.254.9', '--dport', '3306', '-j', 'REDIRECT', '--to-ports', '24999');
    execFileSync('ip', ['netns', 'exec', ns, process.execPath, self, String(calls), '--inside', built.file], { stdio: 'inherit' });
  } finally {
    sh('ip', 'netns', 'del', ns);
  }
}
