/**
 * Runs a command "in" a local-mode pod, as `kubectl exec` does in a cluster: with the pod's
 * environment (its sidecar as `http_proxy`/`HTTP_PROXY` — local mode's capture) and its /etc/hosts,
 * bind-mounted over /etc/hosts in a private mount namespace (`unshare --mount`, plus
 * `--map-root-user` when not root) so every resolver in the command sees the pod's names. The
 * command runs on the host otherwise: same filesystem, same network namespace, the user's PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import type { LocalPodRecord } from '@trellis/mesh-local';

export interface ExecIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Given with `-i`: passed to the command's stdin. */
  readonly stdin?: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const BIND_HOSTS = 'mount --bind "$1" /etc/hosts && shift && exec "$@"';

/** `unshare` arguments for a private /etc/hosts; root needs no user namespace. */
export function unshareArgs(isRoot: boolean): string[] {
  return ['--mount', ...(isRoot ? [] : ['--map-root-user']), '--'];
}

/** The pod's environment: its container env, HOSTNAME and proxy, with the user's PATH and HOME. */
export function podEnvironment(pod: LocalPodRecord, userEnv: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TERM']) {
    const v = userEnv[k];
    if (v !== undefined) base[k] = v;
  }
  return { ...base, ...pod.env };
}

/** Whether this machine lets us make a mount namespace (user namespaces may be disabled). */
function canUnshare(isRoot: boolean): boolean {
  const r = spawnSync('unshare', [...unshareArgs(isRoot), '/bin/sh', '-c', 'exit 0'], { stdio: 'ignore' });
  return r.status === 0;
}

/** argv of the process to spawn: through unshare + the hosts bind mount, or the command itself. */
export function execArgv(pod: LocalPodRecord, command: readonly string[], isolated: boolean, isRoot: boolean): [string, string[]] {
  if (!isolated) return [command[0] ?? 'true', command.slice(1)];
  return ['unshare', [...unshareArgs(isRoot), '/bin/sh', '-c', BIND_HOSTS, 'trellis-exec', pod.hostsFile, ...command]];
}

/** Runs `command` in `pod`, streaming its output; resolves with its exit code (128+n for a signal). */
export function runInPod(pod: LocalPodRecord, command: readonly string[], io: ExecIo): Promise<number> {
  const isRoot = process.getuid?.() === 0;
  const isolated = canUnshare(isRoot);
  if (!isolated) io.stderr.write(`warning: cannot unshare a mount namespace here; names resolve through the host's /etc/hosts, not ${pod.hostsFile}\n`);
  const [file, args] = execArgv(pod, command, isolated, isRoot);
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: podEnvironment(pod, io.env), stdio: [io.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    if (io.stdin && child.stdin) io.stdin.pipe(child.stdin);
    child.stdout?.pipe(io.stdout, { end: false });
    child.stderr?.pipe(io.stderr, { end: false });
    child.once('error', (err: NodeJS.ErrnoException) => {
      io.stderr.write(`error: exec: "${command[0] ?? ''}": ${err.code === 'ENOENT' ? 'executable file not found in $PATH' : err.message}\n`);
      resolve(127);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

const signalNumber = (signal: NodeJS.Signals): number => constants.signals[signal] ?? 0;
