import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ownChild } from './proc';

/**
 * HAProxy in TCP mode as the one-hop TCP baseline: Debian's haproxy, installed on first use;
 * one frontend → one backend, one thread, pinned to CPU 0, in the foreground (-db).
 */
export async function startHaproxy(host: string, port: number, upstreamPort: number, dir: string): Promise<ChildProcess> {
  if (!existsSync('/usr/sbin/haproxy')) {
    process.stdout.write('[bench] installing haproxy (apt)…\n');
    spawnSync('apt-get', ['install', '-y', '-q', 'haproxy'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const conf = path.join(dir, 'haproxy.cfg');
  writeFileSync(
    conf,
    `global
  nbthread 1
  maxconn 8000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend bench
  bind ${host}:${port}
  default_backend upstream
backend upstream
  server app 127.0.0.1:${upstreamPort}
`,
  );
  // taskset execs haproxy, so the child's pid is haproxy's (no master/worker with -db and no -W).
  const child = ownChild(spawn('taskset', ['-c', '0', '/usr/sbin/haproxy', '-db', '-f', conf], { stdio: ['ignore', 'ignore', 'inherit'] }));
  await new Promise((r) => setTimeout(r, 500));
  if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}); config ${conf}`);
  return child;
}
