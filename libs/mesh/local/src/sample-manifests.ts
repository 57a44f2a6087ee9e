import { readFileSync } from 'node:fs';
import { readKubeManifests, type KubeManifest } from './manifest';

/**
 * One of Istio's sample manifests applied next to bookinfo.yaml, as
 * `kubectl apply -f <(istioctl kube-inject -f samples/httpbin/httpbin.yaml) -n foo` would apply it:
 * into `namespace`, with (`sidecar: true`, kube-inject) or without (a plain `kubectl apply` in a
 * namespace without injection, like the walkthroughs' `legacy`) a sidecar. A pod labelled
 * `sidecar.istio.io/inject: "false"` (Istio's ext-authz.yaml) gets none either way, as kube-inject skips it.
 */
export interface SampleManifest {
  readonly file: string;
  readonly namespace: string;
  readonly sidecar: boolean;
}

/** Istio's opt-out label, which `istioctl kube-inject` and the webhook honour (ext-authz.yaml sets it). */
const INJECT_LABEL = 'sidecar.istio.io/inject';
const optsOut = (podLabels: Readonly<Record<string, string>>): boolean => ['false', 'n', 'no', 'off'].includes((podLabels[INJECT_LABEL] ?? '').trim().toLowerCase());

const key = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`;

/** Later applies of the same object replace earlier ones (kubectl apply is idempotent). */
function mergeByName<T extends { namespace: string; name: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((i) => [key(i), i])).values()];
}

/**
 * The stack's Services and Deployments: `manifestPaths` applied together in `default` (bookinfo.yaml
 * and a Bookinfo variant's files), then each sample manifest in its namespace.
 */
export function readStackManifests(manifestPaths: readonly string[], samples: readonly SampleManifest[], read = (f: string): string => readFileSync(f, 'utf8')): KubeManifest {
  const base = readKubeManifests(manifestPaths.map((file) => ({ text: read(file), source: file })));
  const applied = samples.map((s) => {
    const m = readKubeManifests([{ text: read(s.file), source: s.file }], s.namespace);
    return { services: m.services, deployments: m.deployments.map((d) => ({ ...d, sidecar: s.sidecar && !optsOut(d.podLabels) })) };
  });
  return {
    services: mergeByName([...base.services, ...applied.flatMap((m) => m.services)]),
    deployments: mergeByName([...base.deployments, ...applied.flatMap((m) => m.deployments)]),
  };
}
