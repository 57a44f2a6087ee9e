import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@trellis/shared';

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

/** Starts and stops the stack's child processes; every child's output goes to its own log file. */
export class ProcessGroup {
  private readonly running = new Map<string, RunningProcess>();
  private readonly stoppingOne = new Set<string>();
  private stopping = false;

  constructor(
    private readonly logDir: string,
    private readonly logger: Logger,
    private readonly onUnexpectedExit: (name: string, code: number | null) => void,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  start(spec: ProcessSpec): RunningProcess {
    const log = createWriteStream(path.join(this.logDir, `${spec.name}.log`), { flags: 'a' });
    const [file, argv] = spec.command === undefined ? [process.execPath, [...(spec.nodeArgs ?? []), spec.script, ...spec.args]] : [spec.command, [...spec.args]];
    const child = spawn(file, argv, {
      env: { PATH: process.env['PATH'] ?? '', ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        this.running.delete(spec.name);
        if (!this.stopping && !this.stoppingOne.delete(spec.name)) this.onUnexpectedExit(spec.name, code);
        resolve(code);
      });
    });
    const proc = { spec, child, exited };
    this.running.set(spec.name, proc);
    this.logger.debug({ name: spec.name, pid: child.pid }, 'process started');
    return proc;
  }

  /** SIGTERM one child (SIGKILL after `graceMs`); its exit is expected. False when it is not running. */
  async stop(name: string, graceMs: number): Promise<boolean> {
    const p = this.running.get(name);
    if (p === undefined) return false;
    this.stoppingOne.add(name);
    p.child.kill('SIGTERM');
    const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
    await p.exited;
    clearTimeout(timer);
    return true;
  }

  names(): string[] {
    return [...this.running.keys()];
  }

  /** SIGTERM every child (reverse start order), SIGKILL whatever is left after `graceMs`. */
  async stopAll(graceMs: number, order: readonly string[] = []): Promise<void> {
    this.stopping = true;
    const procs = [...this.running.values()];
    const rank = (p: RunningProcess): number => {
      const i = order.indexOf(p.spec.name);
      return i < 0 ? -1 : i;
    };
    procs.sort((a, b) => rank(a) - rank(b));
    for (const p of procs) p.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const p of this.running.values()) p.child.kill('SIGKILL');
    }, graceMs);
    await Promise.all(procs.map((p) => p.exited));
    clearTimeout(timer);
  }
}
