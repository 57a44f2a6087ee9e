/**
 * Proxy benchmark (npm run bench:proxy): open-loop load at fixed rates, 1 KB responses,
 * 16 connections; servers/proxies pinned to CPU 0, the load generator to CPU 1.
 * Topologies: direct, one hop (ingress gateway), two hops (sidecar → sidecar), nginx one hop.
 * Reports achieved rate, p50/p90/p99 and the latency added over direct, proxy CPU µs per request
 * (from /proc/<pid>/stat) and RSS.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLoop, percentilesUs } from './loadgen';
import { startNginx } from './nginx';
import { cpuTimes, pssMb, rssMb, startApp, stopAll, waitHttp } from './proc';
import { configureMesh } from './proxy-mesh';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const RATES = arg('rates', '1000,2000').split(',').map(Number);
const DURATION_MS = Number(arg('duration', '10')) * 1000;
const CONNECTIONS = Number(arg('connections', '16'));
const WARMUP_MS = Number(arg('warmup', '8')) * 1000;
const BLOCK = '127.0.61';
const UPSTREAM_PORT = 26080;

const UPSTREAM_JS = `const body = Buffer.alloc(1024, 'x');
require('node:http').createServer({ keepAliveTimeout: 60000 }, (req, res) => { req.resume(); res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length }); res.end(body); }).listen(${UPSTREAM_PORT}, '127.0.0.1');`;

interface Target {
  readonly name: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly pids: number[];
  readonly hops: number;
}

function startUpstream(): ChildProcess {
  return spawn('taskset', ['-c', '0', process.execPath, '-e', UPSTREAM_JS], { stdio: 'inherit' });
}

async function measure(t: Target, rate: number, direct?: { p50: number; p99: number }): Promise<Record<string, string | number>> {
  await openLoop(t.url, rate, WARMUP_MS, CONNECTIONS, t.headers); // warm-up (JIT)
  const cpu0 = t.pids.map(cpuTimes);
  const r = await openLoop(t.url, rate, DURATION_MS, CONNECTIONS, t.headers);
  const sys = t.pids.reduce((sum, pid, i) => sum + cpuTimes(pid).sys - cpu0[i]!.sys, 0);
  const cpu = t.pids.reduce((sum, pid, i) => sum + cpuTimes(pid).user - cpu0[i]!.user, sys);
  const p = percentilesUs(r.latenciesUs);
  const ms = (us: number): string => (us / 1000).toFixed(2);
  return {
    target: t.name, rate, achieved: Math.round(r.achievedRps), errors: r.errors,
    p50: ms(p.p50), p90: ms(p.p90), p99: ms(p.p99),
    addedP50: direct ? ms(p.p50 - direct.p50) : '-', addedP99: direct ? ms(p.p99 - direct.p99) : '-',
    cpuUsPerReqPerHop: t.hops ? Math.round(cpu / r.sent / t.hops) : '-',
    ofWhichKernel: t.hops ? Math.round(sys / r.sent / t.hops) : '-',
    rssMb: t.pids.length ? Math.round(Math.max(...t.pids.map(rssMb))) : '-',
    pssMb: t.pids.length ? Math.round(Math.max(...t.pids.map(pssMb))) : '-',
  };
}

function printTable(rows: Record<string, string | number>[]): void {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(width[i]! + 2)).join('').trimEnd();
  process.stdout.write(line(cols) + '\n');
  for (const r of rows) process.stdout.write(line(cols.map((c) => String(r[c]))) + '\n');
}

async function main(): Promise<void> {
  spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const stateDir = mkdtempSync(path.join(tmpdir(), 'trellis-bench-proxy-'));
  const children: ChildProcess[] = [startUpstream()];
  try {
    const mesh = await configureMesh({ block: BLOCK, upstreamPort: UPSTREAM_PORT, stateDir }, children);
    const nginx = await startNginx(`${BLOCK}.3`, 8080, UPSTREAM_PORT, stateDir);
    children.push(nginx.process);
    await waitHttp(`http://127.0.0.1:${UPSTREAM_PORT}/`);
    const targets: Target[] = [
      { name: 'direct', url: `http://127.0.0.1:${UPSTREAM_PORT}/`, headers: {}, pids: [], hops: 0 },
      { name: 'gateway (1 hop)', url: `http://${BLOCK}.2:8080/`, headers: {}, pids: [mesh.gateway.pid!], hops: 1 },
      { name: 'sidecar→sidecar (2 hops)', url: `http://${BLOCK}.10:15001/`, headers: { host: 'bench:8080' }, pids: [mesh.client.pid!, mesh.server.pid!], hops: 2 },
      { name: 'nginx (1 hop)', url: `http://${BLOCK}.3:8080/`, headers: {}, pids: nginx.pids(), hops: 1 },
    ];
    const rows: Record<string, string | number>[] = [];
    for (const rate of RATES) {
      const direct = await measure(targets[0]!, rate);
      rows.push(direct);
      const base = { p50: Number(direct['p50']) * 1000, p99: Number(direct['p99']) * 1000 };
      for (const t of targets.slice(1)) rows.push(await measure(t, rate, base));
    }
    printTable(rows);
  } finally {
    await stopAll(children);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

export { startApp };
