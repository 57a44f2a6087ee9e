import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { TrellisError, type Logger } from '@trellis/shared';
import { containerExitCode, INITIAL_BACKOFF_STATE, nextBackoff, type BackoffState } from './restart-backoff';
import type { ProcessStatus, Supervision } from './supervision';

export interface ProcessSpec {
  /** Unique name, used for the log file (`<logDir>/<name>.log`). */
  readonly name: string;
  /** An executable to run (e.g. mariadbd); without one, this Node runs `script`. */
  readonly command?: string;
  readonly script: string;
  /** Node's own flags before `script` (e.g. `--require` of the pod's resolver). */
  readonly nodeArgs?: readonly string[];
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export interface RunningProcess {
  readonly spec: ProcessSpec;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

/**
 * Signals the child's process group (each child leads one, `detached`), so whatever it started goes
 * with it, as the kubelet stops a container's every process; the child alone when it has no group.
 */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return false;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
  return true;
}

/** Kubernetes' exit code of a container whose command could not be run (a shell's 127 not found, 126 not executable). */
const spawnFailureCode = (err: NodeJS.ErrnoException): number => (err.code === 'ENOENT' ? 127 : 126);

interface Tracked {
  status: ProcessStatus;
  backoff: BackoffState;
  timer?: NodeJS.Timeout;
}

/**
 * Starts and stops the stack's child processes; every child's output goes to its own log file (a
 * restarted child appends to it). With `supervision`, a child that exits on its own is restarted as
 * the kubelet restarts a crashed container (restart-backoff.ts); without, `onUnexpectedExit` is told.
 */
export class ProcessGroup {
  private readonly running = new Map<string, RunningProcess>();
  private readonly tracked = new Map<string, Tracked>();
  private readonly stoppingOne = new Set<string>();
  private stopping = false;
  private readonly stopController = new AbortController();
  /** Aborted when `stopAll` begins: a start-up step waiting on a child gives up then. */
  readonly stopped: AbortSignal = this.stopController.signal;

  constructor(
    private readonly logDir: string,
    private readonly logger: Logger,
    private readonly onUnexpectedExit: (name: string, code: number | null) => void,
    private readonly supervision?: Supervision,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  /** Starts a child; throws STACK_STOPPING once `stopAll` has begun (nothing is started after that). */
  start(spec: ProcessSpec): RunningProcess {
    if (this.stopping) throw new TrellisError('STACK_STOPPING', 'the stack is stopping; nothing more is started', { process: spec.name });
    this.clearTimer(spec.name);
    this.tracked.set(spec.name, { status: { name: spec.name, state: 'Running', restarts: 0, startedAt: this.now() }, backoff: INITIAL_BACKOFF_STATE });
    return this.spawnChild(spec);
  }

  private now(): number {
    return this.supervision?.now?.() ?? Date.now();
  }

  private spawnChild(spec: ProcessSpec): RunningProcess {
    const logFile = path.join(this.logDir, `${spec.name}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    // a log that cannot be opened or written (its directory removed, a full disk) costs the log, never the runner
    log.on('error', (err) => this.logger.warn({ name: spec.name, logFile, err: err.message }, 'process log not written'));
    const [file, argv] = spec.command === undefined ? [process.execPath, [...(spec.nodeArgs ?? []), spec.script, ...spec.args]] : [spec.command, [...spec.args]];
    const child = spawn(file, argv, {
      env: { PATH: process.env['PATH'] ?? '', ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group: a terminal's Ctrl-C reaches only the runner, which stops children in order
      detached: true,
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    let settled = false;
    const exited = new Promise<number | null>((resolve) => {
      const done = (code: number | null, exitCode: number): void => {
        if (settled) return;
        settled = true;
        this.running.delete(spec.name);
        const expected = this.stopping || this.stoppingOne.delete(spec.name);
        if (!expected) this.unexpectedExit(spec, exitCode, code);
        resolve(code);
      };
      child.once('exit', (code, signal) => done(code, containerExitCode(code, signal, constants.signals)));
      // a command that cannot be run (missing binary) never exits: it fails as the container would
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (child.pid === undefined) {
          log.write(`failed to start ${file}: ${err.message}\n`);
          done(spawnFailureCode(err), spawnFailureCode(err));
        }
      });
    });
    const proc = { spec, child, exited };
    this.running.set(spec.name, proc);
    const t = this.tracked.get(spec.name);
    if (t !== undefined) t.status = { ...t.status, state: 'Running', startedAt: this.now(), ...(child.pid !== undefined && { pid: child.pid }) };
    this.logger.debug({ name: spec.name, pid: child.pid }, 'process started');
    this.supervision?.onChange?.();
    return proc;
  }

  private unexpectedExit(spec: ProcessSpec, exitCode: number, code: number | null): void {
    const t = this.tracked.get(spec.name);
    if (this.supervision === undefined || t === undefined) {
      this.onUnexpectedExit(spec.name, code);
      return;
    }
    const { delayMs, state } = nextBackoff(t.backoff, this.now() - t.status.startedAt, this.supervision.policy);
    t.backoff = state;
    const { pid: _pid, ...rest } = t.status;
    t.status = { ...rest, state: 'CrashLoopBackOff', lastExitCode: exitCode };
    this.logger.info({ name: spec.name, exitCode, delayMs }, 'process exited, restart scheduled');
    this.supervision.onCrash?.({ name: spec.name, exitCode, restarts: state.restarts, delayMs });
    this.supervision.onChange?.();
    t.timer = setTimeout(() => {
      t.timer = undefined;
      if (this.stopping || this.tracked.get(spec.name) !== t) return;
      t.status = { ...t.status, restarts: state.restarts };
      this.spawnChild(spec);
      this.supervision?.onRestart?.({ name: spec.name, exitCode, restarts: state.restarts, delayMs });
    }, delayMs);
  }

  private clearTimer(name: string): void {
    const t = this.tracked.get(name);
    if (t?.timer !== undefined) clearTimeout(t.timer);
  }

  /** Every started child's state, restart count and last exit code (kubectl's RESTARTS, STATUS). */
  statuses(): ProcessStatus[] {
    return [...this.tracked.values()].map((t) => t.status);
  }

  /** SIGTERM one child (SIGKILL after `graceMs`); its exit is expected. False when it is not running or waiting to restart. */
  async stop(name: string, graceMs: number): Promise<boolean> {
    const waiting = this.tracked.get(name)?.timer !== undefined;
    this.clearTimer(name);
    this.tracked.delete(name);
    const p = this.running.get(name);
    if (p === undefined) return waiting;
    this.stoppingOne.add(name);
    signalGroup(p.child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(p.child, 'SIGKILL'), graceMs);
    await p.exited;
    clearTimeout(timer);
    return true;
  }

  names(): string[] {
    return [...this.running.keys()];
  }

  /** SIGTERM every child (reverse start order), SIGKILL whatever is left after `graceMs`; no restarts from now on. */
  async stopAll(graceMs: number, order: readonly string[] = []): Promise<void> {
    this.stopping = true;
    this.stopController.abort();
    for (const name of this.tracked.keys()) this.clearTimer(name);
    const procs = [...this.running.values()];
    const rank = (p: RunningProcess): number => {
      const i = order.indexOf(p.spec.name);
      return i < 0 ? -1 : i;
    };
    procs.sort((a, b) => rank(a) - rank(b));
    for (const p of procs) signalGroup(p.child, 'SIGTERM');
    const timer = setTimeout(() => this.killAll(), graceMs);
    await Promise.all(procs.map((p) => p.exited));
    clearTimeout(timer);
  }

  /** SIGKILL every running child's process group now, restarts off (a forced stop, or the runner exiting); how many. */
  killAll(): number {
    this.stopping = true;
    this.stopController.abort();
    for (const name of this.tracked.keys()) this.clearTimer(name);
    return [...this.running.values()].filter((p) => signalGroup(p.child, 'SIGKILL')).length;
  }
}
