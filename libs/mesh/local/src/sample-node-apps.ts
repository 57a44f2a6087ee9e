/**
 * Istio's sample servers this repository builds as Node apps: the ext-authz image
 * (`registry.istio.io/testing/ext-authz`, `gcr.io/istio-testing/ext-authz`) runs apps/ext-authz, the
 * jwt-server image runs apps/jwt-server. Each listens on the pod's app endpoints (behind the sidecar,
 * or on the container ports without one), with the Go servers' port flags.
 */
import path from 'node:path';
import type { PodPlan } from './plan';
import type { ProcessSpec } from './processes';

interface NodeSample {
  /** The flag of each container port, in the manifest's order (`-http 8000`, `-grpc 9000`). */
  readonly portFlags: readonly string[];
}

/** Keyed by the app `appOfImage` derives from the image (`…/ext-authz:latest` → `ext-authz`). */
const NODE_SAMPLES: Readonly<Record<string, NodeSample>> = {
  'ext-authz': { portFlags: ['-http', '-grpc'] },
  'jwt-server': { portFlags: ['-http', '-https'] },
};

export const isNodeSamplePod = (pod: PodPlan): boolean => Object.hasOwn(NODE_SAMPLES, pod.app);

function endpoints(pod: PodPlan): { host: string; port: number }[] {
  return Object.values(pod.appEndpoints).map((ep) => {
    const colon = ep.lastIndexOf(':');
    return { host: ep.slice(0, colon), port: Number(ep.slice(colon + 1)) };
  });
}

/** `node dist/apps/<app>/main.js -host <pod ip> -http <port> …` with the container's env. */
export function nodeSampleSpec(pod: PodPlan, distDir: string): ProcessSpec {
  const flags = NODE_SAMPLES[pod.app]?.portFlags ?? [];
  const ports = endpoints(pod).flatMap((ep, i) => (flags[i] === undefined ? [] : [flags[i], String(ep.port)]));
  return {
    name: pod.name,
    script: path.join(distDir, 'apps', pod.app, 'main.js'),
    args: ['-host', pod.ip, ...ports],
    env: { ...pod.env, HOSTNAME: pod.name },
  };
}

/** Where the pod is up: a TCP connect to each of its endpoints (ext-authz answers 403 to a plain GET). */
export const nodeSampleReadyEndpoints = (pod: PodPlan): { host: string; port: number }[] => endpoints(pod);
