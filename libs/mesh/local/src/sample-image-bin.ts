/**
 * The programs an image built here puts on its PATH (fortio's `/usr/bin/fortio`), for `trellis x exec`:
 * in local mode a pod's commands run on the host, so each such pod gets `<state>/pods/<pod>/bin/` with a
 * wrapper per program (`exec <node> dist/apps/<app>/main.js "$@"`), and its exec environment has
 * that directory first on a container-like PATH.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PodPlan } from './plan';
import { podDir } from './pod-hosts';

/** Keyed by the pod's app (from its image): the program names its image provides. */
const IMAGE_PROGRAMS: Readonly<Record<string, readonly string[]>> = {
  fortio: ['fortio'],
};

/** The PATH of the Debian-based images (Docker's default). */
export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const imageBinDir = (stateDir: string, pod: PodPlan): string => path.join(podDir(stateDir, pod), 'bin');

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** `PATH` for a command exec'd in the pod, when its image ships programs; else nothing. */
export function imageExecPath(stateDir: string, pod: PodPlan): Record<string, string> {
  return IMAGE_PROGRAMS[pod.app] === undefined ? {} : { PATH: `${imageBinDir(stateDir, pod)}:${IMAGE_PATH}` };
}

/** Writes the pod's program wrappers (none for most pods). */
export function writeImageBin(stateDir: string, pod: PodPlan, distDir: string, node: string): void {
  const programs = IMAGE_PROGRAMS[pod.app] ?? [];
  if (programs.length === 0) return;
  const dir = imageBinDir(stateDir, pod);
  mkdirSync(dir, { recursive: true });
  const script = path.resolve(distDir, 'apps', pod.app, 'main.js');
  for (const program of programs) {
    const file = path.join(dir, program);
    writeFileSync(file, `#!/bin/sh\nexec ${quote(node)} ${quote(script)} "$@"\n`);
    chmodSync(file, 0o755);
  }
}
