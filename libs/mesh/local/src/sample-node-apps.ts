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
  /** The flag of each container port, in port order (`-http 8000`, `-grpc 9000`); ports without one are not served. */
  readonly portFlags: readonly string[];
  /** Or the flag by container port (`{ '8080': '-http-port' }`), the other ports not served. */
  readonly flagByPort?: Readonly<Record<string, string>>;
  /** Arguments before the flags (fortio's `server` subcommand). */
  readonly leading?: readonly string[];
  /** The address goes in each port flag (`-http-port ip:port`, fortio's form) instead of a `-host` flag. */
  readonly hostInPort?: boolean;
}

/** Keyed by the app `appOfImage` derives from the image (`…/ext-authz:latest` → `ext-authz`). */
const NODE_SAMPLES: Readonly<Record<string, NodeSample>> = {
  'ext-authz': { portFlags: ['-http', '-grpc'] },
  'jwt-server': { portFlags: ['-http', '-https'] },
  // apps/fortio (docker.io/fortio/fortio): `fortio server`, HTTP echo only (its grpc-ping port is not served).
  fortio: { portFlags: [], flagByPort: { '8080': '-http-port' }, leading: ['server', '-grpc-port', 'disabled'], hostInPort: true },
};

export const isNodeSamplePod = (pod: PodPlan): boolean => Object.hasOwn(NODE_SAMPLES, pod.app);

interface AppEndpoint {
  readonly host: string;
  readonly port: number;
  /** The flag that serves it, if any. */
  readonly flag: string | undefined;
}

function endpoints(pod: PodPlan): AppEndpoint[] {
  const sample = NODE_SAMPLES[pod.app];
  return Object.entries(pod.appEndpoints).map(([containerPort, ep], i) => {
    const colon = ep.lastIndexOf(':');
    const flag = sample?.flagByPort !== undefined ? sample.flagByPort[containerPort] : sample?.portFlags[i];
    return { host: ep.slice(0, colon), port: Number(ep.slice(colon + 1)), flag };
  });
}

/** `node dist/apps/<app>/main.js -host <pod ip> -http <port> …` with the container's env. */
export function nodeSampleSpec(pod: PodPlan, distDir: string): ProcessSpec {
  const sample = NODE_SAMPLES[pod.app];
  const ports = endpoints(pod).flatMap((ep) => (ep.flag === undefined ? [] : [ep.flag, sample?.hostInPort === true ? `${ep.host}:${ep.port}` : String(ep.port)]));
  return {
    name: pod.name,
    script: path.join(distDir, 'apps', pod.app, 'main.js'),
    args: [...(sample?.leading ?? []), ...(sample?.hostInPort === true ? [] : ['-host', pod.ip]), ...ports],
    env: { ...pod.env, HOSTNAME: pod.name },
  };
}

/** Where the pod is up: a TCP connect to each endpoint it serves (ext-authz answers 403 to a plain GET). */
export const nodeSampleReadyEndpoints = (pod: PodPlan): { host: string; port: number }[] =>
  endpoints(pod).flatMap((ep) => (ep.flag === undefined ? [] : [{ host: ep.host, port: ep.port }]));
