/**
 * How `npm start` stops, as the kubelet stops a pod: the first SIGINT/SIGTERM/SIGHUP (at any point of
 * start-up or running) stops every process — SIGTERM to each process group, SIGKILL after the grace —
 * and exits; a second one forces: SIGKILL now, exit. The runner exiting for any other reason (a
 * crash) SIGKILLs whatever is still running, so no child outlives it.
 */
import { constants } from 'node:os';

export interface Stoppable {
  stop(): Promise<void>;
  /** SIGKILL everything now; how many processes were still running. */
  kill(): number;
}

export interface StopSignals {
  /** The stack is up: a stop from now on exits 0 (a stop during start-up exits 128 + the signal). */
  ready(): void;
}

type Emitter = Pick<NodeJS.Process, 'on'>;

export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * A terminal's Ctrl-C reaches `npm start` and the runner at once, and npm forwards it to the runner
 * too: the same signal again this soon is that one Ctrl-C, not a second one.
 */
export const REPEAT_WINDOW_MS = 500;

const signalExitCode = (signal: NodeJS.Signals): number => 128 + constants.signals[signal];

export function handleStopSignals(run: Stoppable, out: (line: string) => void, exit: (code: number) => void, proc: Emitter = process, now: () => number = Date.now): StopSignals {
  let ready = false;
  let stopping: { signal: NodeJS.Signals; at: number } | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping !== undefined && signal === stopping.signal && now() - stopping.at < REPEAT_WINDOW_MS) return;
    if (stopping !== undefined) {
      const n = run.kill();
      out(`${signal} again: forced stop, SIGKILL to ${n} process${n === 1 ? '' : 'es'}`);
      exit(signalExitCode(signal));
      return;
    }
    stopping = { signal, at: now() };
    out(`Stopping (${signal}): draining proxies and workloads… (Ctrl-C again to force)`);
    void run.stop().then(() => {
      out('Stopped.');
      exit(ready ? 0 : signalExitCode(signal));
    });
  };
  for (const s of STOP_SIGNALS) proc.on(s, onSignal);
  proc.on('exit', () => run.kill());
  return { ready: () => (ready = true) };
}
