/**
 * What the local runner's process supervision reports: each child's state as the kubelet reports a
 * container's (`Running`, `CrashLoopBackOff` while it waits to be restarted), and the events it prints.
 */
import type { BackoffPolicy } from './restart-backoff';

export type ProcessState = 'Running' | 'CrashLoopBackOff';

export interface ProcessStatus {
  readonly name: string;
  readonly state: ProcessState;
  readonly restarts: number;
  /** Kubernetes' exit code of the last crash (137 = SIGKILL). */
  readonly lastExitCode?: number;
  readonly pid?: number;
  /** Epoch ms the current (or last) run started. */
  readonly startedAt: number;
}

/** A crash (`delayMs` until the restart) or the restart itself. */
export interface RestartEvent {
  readonly name: string;
  readonly exitCode: number;
  /** The restart count once this restart happens (1 for the first). */
  readonly restarts: number;
  readonly delayMs: number;
}

export interface Supervision {
  readonly policy: BackoffPolicy;
  onCrash?(event: RestartEvent): void;
  onRestart?(event: RestartEvent): void;
  /** Any status change (started, crashed, restarted): e.g. rewrite `<state>/local-pods.json`. */
  onChange?(): void;
  /** The clock the backoff reads (tests). */
  now?(): number;
}
