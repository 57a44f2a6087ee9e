// Test-only helpers for the webhook tests that run against tools/kube-env (real kube-apiserver 1.20).
import { randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';

export interface KubeTestEnv {
  readonly server: string;
  readonly kubeconfig: string;
  readonly kubectl: string | null;
  readonly version: string;
}

/** The env started by tools/kube-env/jest-global-setup.js; throws a clear message when absent. */
export function kubeTestEnv(): KubeTestEnv {
  const raw = process.env['TRELLIS_KUBE_ENV'];
  if (!raw) {
    throw new Error('TRELLIS_KUBE_ENV is not set: run with --globalSetup ./tools/kube-env/jest-global-setup.js --globalTeardown ./tools/kube-env/jest-global-teardown.js');
  }
  return JSON.parse(raw) as KubeTestEnv;
}

export function kubeConfigFor(env: KubeTestEnv): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(env.kubeconfig);
  return kc;
}

export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Creates a namespace and waits for its `default` ServiceAccount token (1.20 admission needs it). */
export async function createNamespace(core: k8s.CoreV1Api, name: string, labels: Record<string, string> = {}): Promise<string> {
  await core.createNamespace({ body: { metadata: { name, labels } } });
  await waitFor(`serviceaccount ${name}/default`, async () => {
    const sa = await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
    return (sa.secrets?.length ?? 0) > 0 ? sa : undefined;
  });
  return name;
}

export function appPod(metadata: k8s.V1ObjectMeta): k8s.V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: { containers: [{ name: 'app', image: 'docker.io/istio/examples-bookinfo-ratings-v1:1.20.2', ports: [{ containerPort: 9080 }] }] },
  };
}

export interface InjectionSummary {
  readonly containers: string[];
  readonly initContainers: string[];
  readonly status: string | undefined;
}

export function summarize(pod: k8s.V1Pod): InjectionSummary {
  return {
    containers: (pod.spec?.containers ?? []).map((c) => c.name),
    initContainers: (pod.spec?.initContainers ?? []).map((c) => c.name),
    status: pod.metadata?.annotations?.['sidecar.istio.io/status'],
  };
}

/** The apiserver's Status message of a client-node ApiException (its body is the raw JSON text). */
export function apiErrorText(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const body = (err as { body?: unknown }).body;
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown };
    if (typeof status.message === 'string') return status.message;
  } catch {
    // not JSON: fall through
  }
  return err instanceof Error ? err.message : String(err);
}
