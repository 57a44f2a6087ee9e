import { existsSync } from 'node:fs';
import path from 'node:path';
import { TrellisError } from '@trellis/shared';
import { nonEmpty, resolveAddress, stateAddress } from './address';

export const TARGET_INVALID = 'TARGET_INVALID';
export const NO_KUBECONFIG = 'NO_KUBECONFIG';
export const DEFAULT_ISTIO_NAMESPACE = 'istio-system';

/** Where the commands go: the local control plane's HTTP API, or a Kubernetes cluster. */
export type Target =
  | { type: 'local'; address: string }
  | {
      type: 'kube';
      /** Absolute kubeconfig path; undefined means the pod's in-cluster service account. */
      kubeconfig?: string;
      context?: string;
      /** Direct control plane address for the debug endpoints (instead of the apiserver's service proxy). */
      istiodAddr?: string;
      istioNamespace: string;
    };

export interface TargetInputs {
  addr?: string;
  kubeconfig?: string;
  context?: string;
  istiodAddr?: string;
  istioNamespace?: string;
  stateDir?: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Injected for tests (default `fs.existsSync`). */
  exists?: (file: string) => boolean;
}

/**
 * Picks the backend (first match wins):
 * 1. `--addr` → local control plane (combining it with `--kubeconfig`/`--context` is an error);
 * 2. `--kubeconfig` or `--context` → cluster;
 * 3. `TRELLIS_TARGET=kube|local` → that backend;
 * 4. `TRELLIS_ADDR`, or an address in `<state-dir>/control-plane.json` → local control plane;
 * 5. a kubeconfig file (first existing `KUBECONFIG` entry, else `$HOME/.kube/config`) → cluster;
 * 6. the local control plane at the default address.
 */
export function resolveTarget(inputs: TargetInputs): Target {
  const addr = nonEmpty(inputs.addr);
  const kubeFlags = nonEmpty(inputs.kubeconfig) !== undefined || nonEmpty(inputs.context) !== undefined;
  if (addr !== undefined && kubeFlags) {
    throw new TrellisError(TARGET_INVALID, '--addr (local control plane) cannot be combined with --kubeconfig or --context (cluster)');
  }
  if (addr !== undefined) return localTarget(inputs);
  if (kubeFlags) return kubeTarget(inputs);
  const forced = nonEmpty(inputs.env['TRELLIS_TARGET'])?.toLowerCase();
  if (forced === 'kube') return kubeTarget(inputs);
  if (forced === 'local') return localTarget(inputs);
  if (forced !== undefined) throw new TrellisError(TARGET_INVALID, `TRELLIS_TARGET must be "local" or "kube", not "${forced}"`);
  if (nonEmpty(inputs.env['TRELLIS_ADDR']) !== undefined || stateAddress(inputs) !== undefined) return localTarget(inputs);
  if (findKubeconfig(inputs) !== undefined) return kubeTarget(inputs);
  return localTarget(inputs);
}

function localTarget(inputs: TargetInputs): Target {
  return { type: 'local', address: resolveAddress(inputs) };
}

function kubeTarget(inputs: TargetInputs): Target {
  const explicit = nonEmpty(inputs.kubeconfig);
  const kubeconfig = explicit === undefined ? findKubeconfig(inputs) : path.resolve(inputs.cwd, explicit);
  if (kubeconfig === undefined && nonEmpty(inputs.env['KUBERNETES_SERVICE_HOST']) === undefined) {
    throw new TrellisError(NO_KUBECONFIG, 'no kubeconfig found: pass --kubeconfig FILE or set KUBECONFIG (or use --addr for the local control plane)');
  }
  const context = nonEmpty(inputs.context);
  const istiodAddr = nonEmpty(inputs.istiodAddr) ?? nonEmpty(inputs.env['TRELLIS_ISTIOD_ADDR']);
  return {
    type: 'kube',
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...(context === undefined ? {} : { context }),
    ...(istiodAddr === undefined ? {} : { istiodAddr }),
    istioNamespace: nonEmpty(inputs.istioNamespace) ?? DEFAULT_ISTIO_NAMESPACE,
  };
}

/** The first existing file of `KUBECONFIG` (a path list), else `$HOME/.kube/config` when it exists. */
export function findKubeconfig(inputs: Pick<TargetInputs, 'env' | 'cwd' | 'exists'>): string | undefined {
  const exists = inputs.exists ?? existsSync;
  const fromEnv = (inputs.env['KUBECONFIG'] ?? '').split(path.delimiter).filter((p) => p.trim() !== '');
  if (fromEnv.length > 0) return fromEnv.map((p) => path.resolve(inputs.cwd, p.trim())).find((p) => exists(p));
  const home = nonEmpty(inputs.env['HOME']) ?? nonEmpty(inputs.env['USERPROFILE']);
  const file = home === undefined ? undefined : path.join(home, '.kube', 'config');
  return file !== undefined && exists(file) ? file : undefined;
}
