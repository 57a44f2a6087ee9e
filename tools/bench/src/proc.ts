import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

const TICKS_PER_SECOND = 100;

/** User and kernel CPU time of a process, in µs (utime, stime from /proc/<pid>/stat). */
export function cpuTimes(pid: number): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11]) * 1e6) / TICKS_PER_SECOND, sys: (Number(fields[12]) * 1e6) / TICKS_PER_SECOND };
}

/** utime + stime of a process, in µs. */
export function cpuMicros(pid: number): number {
  const t = cpuTimes(pid);
  return t.user + t.sys;
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Proportional set size: shared pages (the node binary, libraries) split among the processes mapping them. */
export function pssMb(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Every component a bench started: killed when the bench exits, however it exits (a crash, an error, Ctrl-C). */
const started = new Map<ChildProcess, NodeJS.Signals>();
let exitHooked = false;

/**
 * Kills `child` with `signal` if it is still running when the bench exits. nginx gets SIGTERM (its
 * master then stops the workers); a single process gets SIGKILL.
 */
export function ownChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): ChildProcess {
  started.set(child, signal);
  child.once('exit', () => started.delete(child));
  if (exitHooked) return child;
  exitHooked = true;
  process.once('exit', () => {
    for (const [c, sig] of started) if (c.exitCode === null && c.signalCode === null) c.kill(sig);
  });
  // A signal would end the bench without 'exit': turn it into an exit.
  for (const [received, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) process.once(received, () => process.exit(code));
  return child;
}

/** Starts a built app pinned to `cpus` (taskset), under node flags `nodeFlags` (the proxy's: PROXY_NODE_RUNTIME). */
export function startApp(app: string, args: string[], env: Record<string, string>, cpus?: string, nodeFlags: readonly string[] = []): ChildProcess {
  const prof = process.env['BENCH_CPU_PROF'];
  // BENCH_NODE_FLAGS: V8/Node flags for every component (e.g. "--single-threaded-gc"), for experiments.
  const flags = [...nodeFlags, ...(process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean)];
  const node = [process.execPath, ...flags, ...(prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : []), path.join(ROOT, 'dist/apps', app, 'main.js'), ...args];
  const [cmd, ...rest] = cpus ? ['taskset', '-c', cpus, ...node] : node;
  // BENCH_ENV: extra environment for every component ("K=V K2=V2"), for experiments.
  const extra = Object.fromEntries((process.env['BENCH_ENV'] ?? '').split(' ').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const child = spawn(cmd!, rest, { env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: process.env['BENCH_DEBUG'] ? 'debug' : 'warn', ...extra, ...env }, stdio: ['ignore', process.env['BENCH_DEBUG'] ? 'inherit' : 'ignore', 'inherit'] });
  return ownChild(child);
}

export async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 3000).unref();
        }),
    ),
  );
}

export async function waitHttp(url: string, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not ready: ${url}`);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
