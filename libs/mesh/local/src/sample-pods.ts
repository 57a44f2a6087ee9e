/**
 * The containers of Istio's samples in local mode: `docker.io/mccutchen/go-httpbin` runs the real
 * go-httpbin (built once by tools/samples/build-httpbin.sh), `curlimages/curl` (sleep, curl) runs
 * the container's own command (`/bin/sleep infinity`): an idle pod that `trellis x exec` runs
 * commands in, as `kubectl exec` does; ext-authz and jwt-server run their apps (sample-node-apps.ts).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { TrellisError } from '@trellis/shared';
import type { PodPlan } from './plan';
import { isNodeSamplePod } from './sample-node-apps';
import type { ProcessSpec } from './processes';
import type { SampleManifest } from './sample-manifests';

/** What `--with httpbin,sleep…` adds to the stack (read once by the local runner). */
export interface LocalSamplesConfig {
  readonly manifests: readonly SampleManifest[];
  /** The go-httpbin binary (default: where build-httpbin.sh puts it). */
  readonly httpbinBinary: string;
}

export const HTTPBIN_VERSION = 'v2.14.0';
export const HTTPBIN_BUILD_COMMAND = 'tools/samples/build-httpbin.sh';

/** build-httpbin.sh's output: `${TRELLIS_CACHE:-~/.cache/trellis}/go-httpbin-<version>/bin/go-httpbin`. */
export function defaultHttpbinBinary(env: Readonly<Record<string, string | undefined>>): string {
  const cache = env['TRELLIS_CACHE'] ?? path.join(env['HOME'] ?? homedir(), '.cache', 'trellis');
  return path.join(cache, `go-httpbin-${HTTPBIN_VERSION}`, 'bin', 'go-httpbin');
}

export const isHttpbinPod = (pod: PodPlan): boolean => pod.app === 'go-httpbin' || pod.app === 'httpbin';
/** A pod whose container runs its manifest command (curlimages/curl with `/bin/sleep infinity`). */
export const isCommandPod = (pod: PodPlan): boolean => !isHttpbinPod(pod) && !isNodeSamplePod(pod) && pod.command !== undefined && pod.command.length > 0;
/** httpbin, sleep/curl, and the sample servers built here (ext-authz, jwt-server: sample-node-apps.ts). */
export const isSamplePod = (pod: PodPlan): boolean => isHttpbinPod(pod) || isCommandPod(pod) || isNodeSamplePod(pod);

/** The go-httpbin binary, or `HTTPBIN_MISSING` naming the command that builds it. */
export function findHttpbin(binary: string): string {
  if (!existsSync(binary)) {
    throw new TrellisError('HTTPBIN_MISSING', 'the httpbin pod needs go-httpbin', { binary, build: HTTPBIN_BUILD_COMMAND });
  }
  return binary;
}

function appEndpoint(pod: PodPlan): { host: string; port: number } {
  const endpoint = Object.values(pod.appEndpoints)[0] ?? `${pod.ip}:18080`;
  const colon = endpoint.lastIndexOf(':');
  return { host: endpoint.slice(0, colon), port: Number(endpoint.slice(colon + 1)) };
}

/** go-httpbin on the pod's app endpoint (behind the sidecar, or on the container port without one). */
export function httpbinSpec(pod: PodPlan, binary: string): ProcessSpec {
  const { host, port } = appEndpoint(pod);
  return { name: pod.name, command: binary, script: '', args: ['-host', host, '-port', String(port)], env: { ...pod.env, HOSTNAME: pod.name } };
}

/** Where go-httpbin answers once it listens (`/status/200`, as a readiness probe would ask). */
export const httpbinReadyUrl = (pod: PodPlan): string => {
  const { host, port } = appEndpoint(pod);
  return `http://${host}:${port}/status/200`;
};

/** The container's own command, e.g. `/bin/sleep infinity`. */
export function commandSpec(pod: PodPlan): ProcessSpec {
  const [command = '/bin/sleep', ...args] = pod.command ?? [];
  return { name: pod.name, command, script: '', args, env: { ...pod.env, HOSTNAME: pod.name } };
}
