// The real kube-apiserver that tools/kube-env/jest-global-setup.js starts for this project's jest run.
import { KubeClient } from '@trellis/mesh-kube';

export interface KubeEnv {
  kubeconfig: string;
  caFile: string;
}

export function kubeEnv(): KubeEnv {
  const raw = process.env['TRELLIS_KUBE_ENV'];
  if (raw === undefined || raw === '') throw new Error('TRELLIS_KUBE_ENV is not set: run jest with tools/kube-env/jest-global-setup.js');
  return JSON.parse(raw) as KubeEnv;
}

export const adminClient = (): KubeClient => KubeClient.load({ type: 'file', path: kubeEnv().kubeconfig });

/** Poll `probe` until it returns a value (not undefined) or `ms` pass. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
