// Test helpers over the env started by tools/kube-env/jest-global-setup.js (real kube-apiserver 1.20).
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '@trellis/shared';
import { KubeClient } from '../client/kube-client';
import { isConflict } from '../client/errors';
import type { KubeObject } from '../client/types';
import { installCrds } from '../crds/install-crds';

export interface KubeTestEnv {
  server: string;
  token: string;
  caFile: string;
  kubeconfig: string;
  dir: string;
  kubectl: string | null;
  version: string;
}

export function kubeTestEnv(): KubeTestEnv {
  const raw = process.env['TRELLIS_KUBE_ENV'];
  if (raw === undefined || raw === '') throw new Error('TRELLIS_KUBE_ENV is not set: run jest with tools/kube-env/jest-global-setup.js');
  return JSON.parse(raw) as KubeTestEnv;
}

export const adminClient = (): KubeClient => KubeClient.load({ type: 'file', path: kubeTestEnv().kubeconfig });

/** Poll `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const value = await Promise.resolve(probe()).catch((err: unknown) => {
      lastError = err;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const why = lastError === undefined ? '' : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Create a namespace and wait for its default ServiceAccount token (needed to create pods on 1.20). */
export async function createNamespace(client: KubeClient, name: string, labels: Record<string, string> = {}): Promise<void> {
  try {
    await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name, labels } } });
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
  await eventually(`serviceaccount ${name}/default`, async () => {
    const sa = await client.request<KubeObject & { secrets?: unknown[] }>('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`);
    return (sa.secrets?.length ?? 0) > 0 ? sa : undefined;
  });
}

let crds: Promise<string[]> | undefined;
/** Install the Istio CRDs once per test file. */
export function ensureCrds(client: KubeClient): Promise<string[]> {
  crds ??= installCrds(client);
  return crds;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run kubectl 1.20 against the test server (admin kubeconfig), optionally with stdin. Each call gets a fresh
 * discovery cache: a cache filled before the CRDs were installed would not know `vs` for 10 minutes.
 */
export function kubectl(args: readonly string[], stdin?: string): Promise<KubectlResult> {
  const env = kubeTestEnv();
  if (env.kubectl === null) throw new Error('the kube env has no kubectl');
  const bin = env.kubectl;
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  return new Promise((resolve) => {
    const child = execFile(bin, ['--cache-dir', cacheDir, ...args], { env: { ...process.env, KUBECONFIG: env.kubeconfig }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      rmSync(cacheDir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(stdin ?? '');
  });
}

/**
 * Stop a child process and wait until it is gone (SIGKILL after `graceMs`). A control plane left draining would
 * keep reconciling the shared API server while the next suite runs: its Gateway API controller, whose store has
 * not seen the next suite's Gateways, would act on their Services.
 */
export async function stopProcess(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (child !== undefined) await stopChild(child, graceMs);
}
