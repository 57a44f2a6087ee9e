/**
 * Proxy benchmark (npm run bench:proxy): open-loop load at fixed rates, 1 KB responses,
 * 16 connections; servers/proxies pinned to CPU 0, the load generator to CPU 1.
 * Topologies: direct, one hop (ingress gateway), two hops (sidecar → sidecar), nginx one hop.
 * Reports achieved rate, p50/p90/p99 and the latency added over direct, proxy CPU µs per request
 * (from /proc/<pid>/stat), and RSS and PSS of each proxy at the end of the row (client/server for two hops).
 * The proxies run as local mode and the image run them: PROXY_NODE_RUNTIME's node flags and environment.
 * Then the TCP path (proxy-tcp.ts): 1 KB round trips over kept connections and connection setup,
 * direct vs gateway tcp_proxy vs HAProxy (mode tcp). `--tcp-only` / `--http-only` run one of them;
 * `--conn-rates` sets the connection-setup rates (default: --rates).
 * `--mtls`: the control plane runs its CA and emits Istio mTLS, every proxy gets a workload certificate,
 * sidecar → sidecar is ISTIO_MUTUAL on kept connections; beside it nginx doing the same TLS work as a
 * pair of hops (nginx-mtls.ts). The server sidecar's `ssl.handshake` count is printed as evidence.
 * `--authz` (with --mtls): then one ALLOW AuthorizationPolicy (principal + method + path) and one
 * RequestAuthentication on the server sidecar, and the sidecar→sidecar row again with a valid token:
 * the added CPU per request is that row's minus the mTLS-only row of the same run (authz.ts).
 * `--telemetry` (with --mtls): the sidecar→sidecar row per Telemetry step (telemetry.ts): no telemetry,
 * metrics, metrics + tracing 1 %, 100 % (spans to the trace store), and what each adds per request.
 * Throughout the HTTP rows every proxy's :15090/stats/prometheus is scraped every `--scrape-interval`
 * seconds (default 2, local mode's Prometheus; 0 = off), so RSS includes the scrape path (proxy-scrape.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLoop, percentilesUs } from './loadgen';
import { startHaproxy } from './haproxy';
import { startNginx } from './nginx';
import { startNginxMtls } from './nginx-mtls';
import { cpuTimes, pssMb, rssMb, startApp, stopAll, waitHttp, ownChild } from './proc';
import { applyBenchAuthz, benchJwt, type BenchJwt } from './authz';
import { configureMesh } from './proxy-mesh';
import { TELEMETRY_STEPS, applyTelemetryStep, startCollector } from './telemetry';
import { runTcpBench, startTcpUpstream, waitTcp, type TcpTarget } from './proxy-tcp';
import { startScrapeLoop } from './proxy-scrape';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const RATES = arg('rates', '1000,2000').split(',').map(Number);
const DURATION_MS = Number(arg('duration', '10')) * 1000;
const CONNECTIONS = Number(arg('connections', '16'));
const WARMUP_MS = Number(arg('warmup', '8')) * 1000;
const CONN_RATES = arg('conn-rates', RATES.join(',')).split(',').map(Number);
const TCP_ONLY = process.argv.includes('--tcp-only');
const HTTP_ONLY = process.argv.includes('--http-only');
const MTLS = process.argv.includes('--mtls');
const AUTHZ = process.argv.includes('--authz');
const TELEMETRY = process.argv.includes('--telemetry');
/** `--telemetry-steps 0,3`: only these steps (indexes into TELEMETRY_STEPS; the first is the baseline). */
const STEPS = arg('telemetry-steps', TELEMETRY_STEPS.map((_, i) => i).join(',')).split(',').map((i) => TELEMETRY_STEPS[Number(i)]!);
/** `--repeat N`: the telemetry steps N times over, interleaved, so drift on a shared machine hits every step alike. */
const REPEAT = Number(arg('repeat', '1'));
const SCRAPE_INTERVAL_MS = Number(arg('scrape-interval', '2')) * 1000;
const BLOCK = '127.0.61';
/** Issue #18: every proxy (gateway, sidecars; metrics on, tracing 1 % and 100 %) stays at or below this RSS. */
const RSS_BUDGET_MB = 60;
const UPSTREAM_PORT = 26080;
const TCP_UPSTREAM_PORT = 26090;
/** The gateway's TCP server port (Istio's tcp-echo sample uses 31400); HAProxy listens on it too, at .3. */
const TCP_PORT = 31400;

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
  return ownChild(spawn('taskset', ['-c', '0', process.execPath, '-e', UPSTREAM_JS], { stdio: 'inherit' }));
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
    rssMb: perProcess(t.pids, rssMb),
    pssMb: perProcess(t.pids, pssMb),
  };
}

/** One figure per process of the row (sidecar→sidecar: client/server), rounded to MB: issue #18's budget is per proxy. */
function perProcess(pids: readonly number[], mb: (pid: number) => number): string {
  return pids.length ? pids.map((pid) => Math.round(mb(pid))).join('/') : '-';
}

/** The largest proxy RSS of the table against issue #18's budget (nginx rows left out). */
function rssBudget(rows: readonly Record<string, string | number>[]): string {
  const mb = rows.filter((r) => !String(r['target']).startsWith('nginx') && r['rssMb'] !== '-').flatMap((r) => String(r['rssMb']).split('/').map(Number));
  const max = Math.max(...mb);
  return `proxy RSS: max ${max} MB over ${mb.length} readings (budget ${RSS_BUDGET_MB} MB: ${max <= RSS_BUDGET_MB ? 'within' : 'OVER'})`;
}

function printTable(rows: Record<string, string | number>[]): void {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(width[i]! + 2)).join('').trimEnd();
  process.stdout.write(line(cols) + '\n');
  for (const r of rows) process.stdout.write(line(cols.map((c) => String(r[c]))) + '\n');
}

async function httpRows(mesh: Awaited<ReturnType<typeof configureMesh>>, stateDir: string, children: ChildProcess[]): Promise<Record<string, string | number>[]> {
  const nginx = MTLS ? await startNginxMtls(`${BLOCK}.3`, 8080, 8443, UPSTREAM_PORT, stateDir) : await startNginx(`${BLOCK}.3`, 8080, UPSTREAM_PORT, stateDir);
  children.push(nginx.process);
  await waitHttp(`http://127.0.0.1:${UPSTREAM_PORT}/`);
  // With --authz every sidecar→sidecar request carries the token, before and after the policies: the rows differ only by them.
  const jwt = AUTHZ ? await benchJwt() : undefined;
  const sidecarHeaders: Record<string, string> = { host: 'bench:8080', ...(jwt && { authorization: jwt.authorization }) };
  const targets: Target[] = [
    { name: 'direct', url: `http://127.0.0.1:${UPSTREAM_PORT}/`, headers: {}, pids: [], hops: 0 },
    { name: 'gateway (1 hop)', url: `http://${BLOCK}.2:8080/`, headers: {}, pids: [mesh.gateway.pid!], hops: 1 },
    { name: `sidecar→sidecar${MTLS ? ' mTLS' : ''}${jwt ? ' + token' : ''} (2 hops)`, url: `http://${BLOCK}.10:15001/`, headers: sidecarHeaders, pids: [mesh.client.pid!, mesh.server.pid!], hops: 2 },
    MTLS
      ? { name: 'nginx→nginx mTLS (2 hops)', url: `http://${BLOCK}.3:8080/`, headers: {}, pids: nginx.pids(), hops: 2 }
      : { name: 'nginx (1 hop)', url: `http://${BLOCK}.3:8080/`, headers: {}, pids: nginx.pids(), hops: 1 },
  ];
  const rows: Record<string, string | number>[] = [];
  const bases = new Map<number, { p50: number; p99: number }>();
  for (const rate of RATES) {
    const direct = await measure(targets[0]!, rate);
    rows.push(direct);
    const base = { p50: Number(direct['p50']) * 1000, p99: Number(direct['p99']) * 1000 };
    bases.set(rate, base);
    for (const t of targets.slice(1)) rows.push(await measure(t, rate, base));
  }
  if (jwt !== undefined) rows.push(...(await authzRows(targets[2]!, rows, bases, jwt)));
  if (TELEMETRY) rows.push(...(await telemetryRows(targets[2]!, bases, stateDir, children)));
  return rows;
}

/** The sidecar→sidecar row per Telemetry step, interleaved per rate, with each step's CPU over the first. */
async function telemetryRows(sidecars: Target, bases: ReadonlyMap<number, { p50: number; p99: number }>, stateDir: string, children: ChildProcess[]): Promise<Record<string, string | number>[]> {
  const cp = `http://${BLOCK}.1:15014`;
  await startCollector(BLOCK, cp, stateDir, children);
  const out: Record<string, string | number>[] = [];
  for (const rate of RATES) {
    for (let round = 0; round < REPEAT; round++) {
      let base: number | undefined;
      for (const step of STEPS) {
        await applyTelemetryStep(cp, `http://${BLOCK}.11:15000`, step);
        const row = await measure({ ...sidecars, name: `${sidecars.name} ${step.name}` }, rate, bases.get(rate));
        const perReq = 2 * Number(row['cpuUsPerReqPerHop']);
        base ??= perReq;
        out.push({ ...row, target: `${String(row['target'])} (adds ${perReq - base} µs/req)` });
      }
    }
  }
  return out;
}

/** The sidecar→sidecar row again with the server sidecar enforcing issue #17's policies, and the CPU they add. */
async function authzRows(sidecars: Target, before: readonly Record<string, string | number>[], bases: ReadonlyMap<number, { p50: number; p99: number }>, jwt: BenchJwt): Promise<Record<string, string | number>[]> {
  await applyBenchAuthz(`http://${BLOCK}.1:15014`, sidecars.url, sidecars.headers['host'] ?? '', jwt);
  const t: Target = { ...sidecars, name: `${sidecars.name} + ALLOW + JWT` };
  const out: Record<string, string | number>[] = [];
  for (const rate of RATES) {
    const row = await measure(t, rate, bases.get(rate));
    const plain = before.find((r) => r['target'] === sidecars.name && r['rate'] === rate);
    // Per hop figures: the policies run on one of the two hops, so the added CPU per request is twice the per-hop difference.
    const added = plain === undefined ? '-' : 2 * (Number(row['cpuUsPerReqPerHop']) - Number(plain['cpuUsPerReqPerHop']));
    out.push({ ...row, target: `${String(row['target'])} (adds ${added} µs/req)` });
  }
  return out;
}

async function tcpTables(mesh: Awaited<ReturnType<typeof configureMesh>>, stateDir: string, children: ChildProcess[]): Promise<void> {
  const haproxy = await startHaproxy(`${BLOCK}.3`, TCP_PORT, TCP_UPSTREAM_PORT, stateDir);
  children.push(haproxy);
  const targets: TcpTarget[] = [
    { name: 'direct', host: '127.0.0.1', port: TCP_UPSTREAM_PORT, pids: [] },
    { name: 'gateway tcp_proxy (1 hop)', host: `${BLOCK}.2`, port: TCP_PORT, pids: [mesh.gateway.pid!] },
    { name: 'haproxy mode tcp (1 hop)', host: `${BLOCK}.3`, port: TCP_PORT, pids: [haproxy.pid!], haproxy: true },
  ];
  for (const t of targets) await waitTcp(t.host, t.port);
  const { roundTrips, connections } = await runTcpBench(targets, { rates: RATES, connRates: CONN_RATES, durationMs: DURATION_MS, warmupMs: WARMUP_MS, connections: CONNECTIONS });
  process.stdout.write(`\nTCP: 1 KB request → 1 KB response round trips, ${CONNECTIONS} kept connections\n`);
  printTable(roundTrips);
  process.stdout.write('\nTCP connection setup: connect, one 1 KB round trip, close\n');
  printTable(connections);
}

/** The server sidecar's `listener.*.ssl.handshake` lines: proof the measured requests went over mTLS. */
async function sslStats(url: string): Promise<string> {
  const text = await (await fetch(url)).text();
  const lines = text.split('\n').filter((l) => /^listener\..*\.ssl\.(handshake|connection_error|fail_verify\w*): [1-9]/.test(l));
  return lines.join('; ') || 'no listener ssl.* stats (plaintext?)';
}

/** The sidecar's span reporter counters: spans sent vs dropped, reports sent (evidence the 100 % rows reported every span). */
async function tracingStats(url: string): Promise<string> {
  const text = await (await fetch(url)).text();
  return text.split('\n').filter((l) => /^tracing\.\w+\.(spans_sent|spans_dropped|reports_sent|reports_failed|reports_dropped):/.test(l)).join('; ') || 'no tracing stats';
}

async function main(): Promise<void> {
  spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const stateDir = mkdtempSync(path.join(tmpdir(), 'trellis-bench-proxy-'));
  const children: ChildProcess[] = [];
  if (!TCP_ONLY) children.push(startUpstream());
  if (!HTTP_ONLY) children.push(startTcpUpstream(TCP_UPSTREAM_PORT));
  try {
    const tcp = HTTP_ONLY ? undefined : { gatewayPort: TCP_PORT, upstreamPort: TCP_UPSTREAM_PORT };
    const mesh = await configureMesh({ block: BLOCK, upstreamPort: UPSTREAM_PORT, stateDir, mtls: MTLS, ...(tcp ? { tcp } : {}) }, children);
    if (!TCP_ONLY) {
      const scraping = startScrapeLoop([2, 10, 11].map((h) => `${BLOCK}.${h}`), SCRAPE_INTERVAL_MS);
      const rows = await httpRows(mesh, stateDir, children);
      const scraped = await scraping.stop();
      process.stdout.write(`HTTP: GET, 1 KB responses${MTLS ? ', Istio mTLS between the sidecars' : ''}\n`);
      printTable(rows);
      process.stdout.write(`${rssBudget(rows)}\n${scraped}\n`);
      if (MTLS) process.stdout.write(`server sidecar: ${await sslStats(`http://${BLOCK}.11:15000/stats`)}\n`);
      if (TELEMETRY) for (const [side, host] of [['client', 10], ['server', 11]] as const) process.stdout.write(`${side} sidecar: ${await tracingStats(`http://${BLOCK}.${host}:15000/stats`)}\n`);
    }
    if (!HTTP_ONLY) await tcpTables(mesh, stateDir, children);
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
