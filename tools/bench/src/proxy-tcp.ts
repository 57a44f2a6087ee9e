/**
 * The TCP path of bench:proxy: 1 KB request → 1 KB response round trips over kept connections, and
 * connection setup (connect, one round trip, close), open loop at fixed rates, against the upstream
 * directly, the Trellis gateway (tcp_proxy listener configured from a Gateway TCP server and a
 * VirtualService tcp route) and HAProxy in TCP mode; proxy CPU µs per round trip / per connection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { percentilesUs, type LoadResult } from './loadgen';
import { cpuTimes, pssMb, rssMb, ownChild } from './proc';
import { TCP_MESSAGE, tcpConnectLoop, tcpOpenLoop, tcpUpstreamScript } from './tcp-loadgen';

export interface TcpTarget {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** The proxy's processes (CPU, memory); none for direct. */
  readonly pids: number[];
  readonly haproxy?: boolean;
}

export interface TcpOptions {
  readonly rates: number[];
  readonly connRates: number[];
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly connections: number;
}

type Row = Record<string, string | number>;

/** The TCP upstream, pinned to CPU 0 like the HTTP one. */
export function startTcpUpstream(port: number): ChildProcess {
  return ownChild(spawn('taskset', ['-c', '0', process.execPath, '-e', tcpUpstreamScript(port)], { stdio: 'inherit' }));
}

/** Resolves once one connection through host:port completes a 1 KB round trip. */
export async function waitTcp(host: string, port: number, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const once = (): Promise<boolean> =>
    new Promise((resolve) => {
      let got = 0;
      const s = connect({ host, port });
      const timer = setTimeout(() => s.destroy(), 1000);
      s.on('connect', () => s.write(Buffer.alloc(TCP_MESSAGE)));
      s.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= TCP_MESSAGE) s.end();
      });
      s.on('error', () => undefined);
      s.on('close', () => {
        clearTimeout(timer);
        resolve(got >= TCP_MESSAGE);
      });
    });
  while (Date.now() < deadline) {
    if (await once()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready: tcp ${host}:${port}`);
}

async function measure(t: TcpTarget, rate: number, o: TcpOptions, run: (ms: number) => Promise<LoadResult>, perLabel: string): Promise<Row> {
  await run(o.warmupMs); // warm-up (JIT)
  const cpu0 = t.pids.map(cpuTimes);
  const r = await run(o.durationMs);
  const sys = t.pids.reduce((sum, pid, i) => sum + cpuTimes(pid).sys - cpu0[i]!.sys, 0);
  const cpu = t.pids.reduce((sum, pid, i) => sum + cpuTimes(pid).user - cpu0[i]!.user, sys);
  const p = percentilesUs(r.latenciesUs);
  const ms = (us: number): string => (us / 1000).toFixed(2);
  const proxied = t.pids.length > 0;
  return {
    target: t.name, rate, achieved: Math.round(r.achievedRps), errors: r.errors,
    p50: ms(p.p50), p90: ms(p.p90), p99: ms(p.p99),
    [perLabel]: proxied ? Math.round(cpu / r.sent) : '-',
    ofWhichKernel: proxied ? Math.round(sys / r.sent) : '-',
    cpuVsHaproxy: '-', p99VsHaproxy: '-',
    rssMb: proxied ? Math.round(Math.max(...t.pids.map(rssMb))) : '-',
    pssMb: proxied ? Math.round(Math.max(...t.pids.map(pssMb))) : '-',
  };
}

/** Fills each proxied row's ratios to the HAProxy row of the same rate. */
function ratios(rows: Row[], targets: TcpTarget[], perLabel: string): void {
  const base = targets.find((t) => t.haproxy)?.name;
  for (const row of rows) {
    const h = rows.find((r) => r['target'] === base && r['rate'] === row['rate']);
    if (!h || row[perLabel] === '-') continue;
    row['cpuVsHaproxy'] = (Number(row[perLabel]) / Number(h[perLabel])).toFixed(2);
    row['p99VsHaproxy'] = (Number(row['p99']) / Number(h['p99'])).toFixed(2);
  }
}

export async function runTcpBench(targets: TcpTarget[], o: TcpOptions): Promise<{ roundTrips: Row[]; connections: Row[] }> {
  const roundTrips: Row[] = [];
  for (const rate of o.rates) {
    for (const t of targets) roundTrips.push(await measure(t, rate, o, (ms) => tcpOpenLoop(t, rate, ms, o.connections), 'cpuUsPerRoundTrip'));
  }
  ratios(roundTrips, targets, 'cpuUsPerRoundTrip');
  const connections: Row[] = [];
  for (const rate of o.connRates) {
    for (const t of targets) connections.push(await measure(t, rate, o, (ms) => tcpConnectLoop(t, rate, ms), 'cpuUsPerConn'));
  }
  ratios(connections, targets, 'cpuUsPerConn');
  return { roundTrips, connections };
}
