import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { KubeConfigSource } from '@trellis/mesh-kube';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations as kubectl/istioctl take them: `5m`, `90s`, `1h30m`, `500ms`; a bare number is seconds. */
export function parseDuration(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) throw new InvalidArgumentError(`invalid duration "${value}" (e.g. 5m, 90s)`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] ?? 's'] ?? 1000), 0);
}

export interface KubeTargetOptions {
  kubeconfig?: string;
  context?: string;
}

/**
 * Which cluster: `--kubeconfig`, else the first file in `$KUBECONFIG`, else `~/.kube/config` when it
 * exists (each with `--context`), else the in-cluster service account.
 */
export function kubeConfigSource(opts: KubeTargetOptions, env: Readonly<Record<string, string | undefined>>, cwd: string): KubeConfigSource {
  const fromEnv = env['KUBECONFIG']?.split(path.delimiter).find((f) => f !== '');
  const home = path.join(env['HOME'] ?? os.homedir(), '.kube', 'config');
  const file = opts.kubeconfig ?? fromEnv ?? (existsSync(home) ? home : undefined);
  if (file === undefined) return { type: 'default' };
  return { type: 'file', path: path.resolve(cwd, file), ...(opts.context === undefined ? {} : { context: opts.context }) };
}
