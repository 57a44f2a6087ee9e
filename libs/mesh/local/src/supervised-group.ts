/**
 * The stack's process group with the kubelet's restart policy: a crashed control plane, proxy, app or
 * addon is restarted after its back-off, and `npm start`'s output says so, as `kubectl get events` would.
 */
import path from 'node:path';
import type { Logger } from '@trellis/shared';
import { ProcessGroup } from './processes';
import { formatBackoff, KUBELET_BACKOFF, type BackoffPolicy } from './restart-backoff';
import type { RestartEvent } from './supervision';

export const crashLine = (e: RestartEvent, logFile: string): string =>
  `✘ ${e.name} exited unexpectedly (exit ${e.exitCode}), back-off ${formatBackoff(e.delayMs)} restarting failed container (CrashLoopBackOff); see ${logFile}`;

export const restartLine = (e: RestartEvent): string => `↻ ${e.name} restarted (exit ${e.exitCode}), restart ${e.restarts}, back-off ${formatBackoff(e.delayMs)}`;

export function supervisedGroup(stateDir: string, logger: Logger, report: (line: string) => void, policy: BackoffPolicy = KUBELET_BACKOFF, onChange: () => void = () => undefined): ProcessGroup {
  const logDir = path.join(stateDir, 'logs');
  return new ProcessGroup(logDir, logger, () => undefined, {
    policy,
    onCrash: (e) => report(crashLine(e, path.join(logDir, `${e.name}.log`))),
    onRestart: (e) => report(restartLine(e)),
    onChange,
  });
}
