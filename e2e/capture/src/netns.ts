/**
 * Pods as network namespaces: a bridge in its own namespace, one veth per pod, 10.244.<n>.0/24 only
 * inside namespaces created here, and /etc/netns/<ns>/hosts for `ip netns exec`. Nothing is
 * created in (or changed about) the root namespace except the namespace names and hosts files.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ETC_NETNS = '/etc/netns';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command to completion (never rejects); `input` goes to stdin. */
export function run(file: string, args: readonly string[], input?: string, timeoutMs = 15_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr: err !== null && stderr === '' ? err.message : stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Like `run` but throws with the command's stderr on a non-zero exit. */
export async function must(file: string, args: readonly string[], input?: string): Promise<string> {
  const r = await run(file, args, input);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

function onPath(bin: string): boolean {
  return (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((dir) => {
    try {
      accessSync(path.join(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why this machine cannot run the test, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'must run as root (ip netns, iptables, setpriv)';
  const missing = ['ip', 'iptables', 'iptables-save', 'setpriv'].filter((b) => !onPath(b));
  return missing.length > 0 ? `missing ${missing.join(', ')} (apt-get install -y iptables iproute2 util-linux)` : undefined;
}

export interface Pod {
  readonly name: string;
  readonly ns: string;
  readonly ip: string;
}

/** A started process inside a namespace, with its output kept for failure messages. */
export interface NsProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
}

export class Topology {
  readonly octet = 100 + Math.floor(Math.random() * 150);
  readonly tag = `tcap${Math.floor(Math.random() * 0xffff).toString(16)}`;
  readonly bridgeNs = `${this.tag}-bridge`;
  readonly bridgeIp = `10.244.${this.octet}.1`;
  readonly pods: Pod[] = [];
  private readonly namespaces: string[] = [];
  private readonly procs: NsProcess[] = [];
  /** /etc/netns is removed again at the end if this run created it and left it empty. */
  private readonly hadEtcNetns = existsSync(ETC_NETNS);

  /** A Service VIP in the same /24 (no kube-proxy: only the outbound capture ever sees it). */
  vip(index: number): string {
    return `10.244.${this.octet}.${200 + index}`;
  }

  async createBridge(): Promise<void> {
    await this.addNs(this.bridgeNs);
    const ipn = (...a: string[]): Promise<string> => must('ip', ['-n', this.bridgeNs, ...a]);
    await ipn('link', 'add', 'br0', 'type', 'bridge');
    await ipn('addr', 'add', `${this.bridgeIp}/24`, 'dev', 'br0');
    await ipn('link', 'set', 'br0', 'up');
  }

  /** A pod namespace: eth0 on the bridge, default route via the bridge, lo up, its own hosts file. */
  async addPod(name: string, hosts: Record<string, string>): Promise<Pod> {
    const index = this.pods.length;
    const pod: Pod = { name, ns: `${this.tag}-${name}`, ip: `10.244.${this.octet}.${10 + index}` };
    await this.addNs(pod.ns, hosts);
    const peer = `${this.tag}p${index}`;
    await must('ip', ['-n', this.bridgeNs, 'link', 'add', peer, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod.ns]);
    await must('ip', ['-n', this.bridgeNs, 'link', 'set', peer, 'master', 'br0', 'up']);
    const ipn = (...a: string[]): Promise<string> => must('ip', ['-n', pod.ns, ...a]);
    await ipn('addr', 'add', `${pod.ip}/24`, 'dev', 'eth0');
    await ipn('link', 'set', 'eth0', 'up');
    await ipn('route', 'add', 'default', 'via', this.bridgeIp);
    this.pods.push(pod);
    return pod;
  }

  pod(name: string): Pod {
    const pod = this.pods.find((p) => p.name === name);
    if (pod === undefined) throw new Error(`no pod ${name}`);
    return pod;
  }

  /** `ip netns exec <ns> <argv>` (bind-mounts /etc/netns/<ns>/hosts over /etc/hosts). */
  exec(ns: string, argv: readonly string[], input?: string, timeoutMs = 15_000): Promise<Run> {
    return run('ip', ['netns', 'exec', ns, ...argv], input, timeoutMs);
  }

  /** Start a long-running process in `ns`; `ip netns exec` execs, so the child pid is the process. */
  start(name: string, ns: string, argv: readonly string[], env: Record<string, string>): NsProcess {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d: Buffer): void => {
      out = (out + d.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (err) => keep(Buffer.from(`spawn error: ${err.message}\n`)));
    const p: NsProcess = { name, child, output: () => out };
    this.procs.push(p);
    return p;
  }

  /** Last lines of every process's output (for assertion messages). */
  logs(): string {
    return this.procs.map((p) => `--- ${p.name} (exit ${String(p.child.exitCode)}):\n${p.output().slice(-3000)}`).join('\n');
  }

  /** Kill our processes (TERM, then KILL after 2 s), delete namespaces and hosts dirs. Never throws. */
  async destroy(): Promise<void> {
    const alive = this.procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    await Promise.all(alive.map((p) => stop(p.child)));
    for (const ns of [...this.namespaces].reverse()) {
      await run('ip', ['netns', 'del', ns]);
      rmSync(path.join(ETC_NETNS, ns), { recursive: true, force: true });
    }
    if (!this.hadEtcNetns && existsSync(ETC_NETNS) && readdirSync(ETC_NETNS).length === 0) rmdirSync(ETC_NETNS);
  }

  private async addNs(ns: string, hosts?: Record<string, string>): Promise<void> {
    this.namespaces.push(ns);
    if (hosts !== undefined) {
      const lines = ['127.0.0.1 localhost', ...Object.entries(hosts).map(([name, ip]) => `${ip} ${name}`), ''];
      mkdirSync(path.join(ETC_NETNS, ns), { recursive: true });
      writeFileSync(path.join(ETC_NETNS, ns, 'hosts'), lines.join('\n'));
    }
    await must('ip', ['netns', 'add', ns]);
    await must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
