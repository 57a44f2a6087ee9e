/**
 * The kubelet's restart policy for a crashed container (CrashLoopBackOff): the first restart waits
 * `initialMs` (10 s), each further crash doubles the wait up to `maxMs` (5 min), and a container that
 * ran `resetAfterMs` (10 min) before it crashed starts over at `initialMs`. Pure: time is passed in.
 */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly resetAfterMs: number;
}

/** The kubelet's figures (pkg/kubelet: backOffPeriod 10 s, MaxContainerBackOff 300 s). */
export const KUBELET_BACKOFF: BackoffPolicy = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

/** One process's crash history: how often it was restarted and what the last wait was. */
export interface BackoffState {
  readonly restarts: number;
  /** The wait before the previous restart; undefined before the first crash (or after a reset). */
  readonly lastDelayMs: number | undefined;
}

export const INITIAL_BACKOFF_STATE: BackoffState = { restarts: 0, lastDelayMs: undefined };

/** The wait before the next restart of a process that ran `ranMs` before it exited, and the new state. */
export function nextBackoff(state: BackoffState, ranMs: number, policy: BackoffPolicy): { delayMs: number; state: BackoffState } {
  const fresh = state.lastDelayMs === undefined || ranMs >= policy.resetAfterMs;
  const delayMs = fresh ? policy.initialMs : Math.min(policy.maxMs, Math.max(policy.initialMs, state.lastDelayMs * 2));
  return { delayMs, state: { restarts: state.restarts + 1, lastDelayMs: delayMs } };
}

/** A duration as the kubelet's events print it: `10s`, `5m0s`, `250ms`. */
export function formatBackoff(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

/** Kubernetes' exit code of a container: its own code, or 128 + the signal's number (SIGKILL → 137). */
export function containerExitCode(code: number | null, signal: NodeJS.Signals | null, signals: Readonly<Record<string, number>>): number {
  if (code !== null) return code;
  const n = signal === null ? undefined : signals[signal];
  return n === undefined ? 128 : 128 + n;
}
