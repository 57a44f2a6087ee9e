/**
 * What `--with httpbin,sleep…` adds to the stack's start: the sample containers, the local
 * kube-proxy and hosts files for pods without a sidecar, and `<state>/local-pods.json` for
 * `trellis x exec`. Kept here so stack.ts only calls in.
 */
import type { MeshService } from '@trellis/mesh-api';
import { startKubeProxy } from './kube-proxy';
import { removeLocalPods, writeLocalPods } from './local-pods';
import { hasSidecar, type LocalPlan, type PodPlan } from './plan';
import { writePodHosts } from './pod-hosts';
import { writeNoSidecarPodHosts } from './pod-hosts-nosidecar';
import { writeImageBin } from './sample-image-bin';
import { findRedisServer, isRedisPod } from './sample-ratelimit';
import type { ProcessGroup } from './processes';
import type { ProcessStatus } from './supervision';
import { waitForReady, waitForTcp } from './readiness';
import { isNodeSamplePod, nodeSampleReadyEndpoints, nodeSampleSpec } from './sample-node-apps';
import { commandSpec, findHttpbin, httpbinReadyUrl, httpbinSpec, isHttpbinPod, isSamplePod, type LocalSamplesConfig } from './sample-pods';

export interface PodNetwork {
  /** `vip:port`s the kube-proxy could not bind (privileged ports when not root). */
  readonly skipped: readonly string[];
  /** Rewrites `<state>/local-pods.json` with the processes' states and restart counts. */
  update(statuses: readonly ProcessStatus[]): void;
  close(): Promise<void>;
}

/** Fails before anything starts when a pod needs go-httpbin and it is not built. */
export function checkSampleBinaries(plan: LocalPlan, samples: LocalSamplesConfig | undefined): void {
  if (plan.pods.some(isHttpbinPod)) findHttpbin(samples?.httpbinBinary ?? '');
  if (plan.pods.some(isRedisPod)) findRedisServer();
}

/**
 * Every pod's hosts file (sidecar pods: TCP Services → own address; others: every Service → its VIP,
 * served by the kube-proxy, started only when some pod has no sidecar), its image's programs
 * (sample-image-bin.ts) and the exec index.
 */
export async function startPodNetwork(plan: LocalPlan, stateDir: string, services: readonly MeshService[], distDir = 'dist'): Promise<PodNetwork> {
  const needsKubeProxy = plan.pods.some((p) => !hasSidecar(p));
  const kubeProxy = needsKubeProxy ? await startKubeProxy(plan) : undefined;
  for (const pod of plan.pods) {
    if (hasSidecar(pod) || kubeProxy === undefined) writePodHosts(stateDir, pod, services);
    else writeNoSidecarPodHosts(stateDir, pod, services, kubeProxy.vips);
    writeImageBin(stateDir, pod, distDir, process.execPath);
  }
  writeLocalPods(stateDir, plan);
  let closed = false;
  return {
    skipped: kubeProxy?.skipped ?? [],
    update: (statuses) => {
      if (!closed) writeLocalPods(stateDir, plan, statuses);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      removeLocalPods(stateDir);
      await kubeProxy?.close();
    },
  };
}

/**
 * Starts a sample pod's container and resolves when it is up; false when the pod is not a sample.
 * `distDir`: where the built apps are (the ext-authz and jwt-server images run them).
 */
export async function startSampleContainer(group: ProcessGroup, pod: PodPlan, samples: LocalSamplesConfig | undefined, readyTimeoutMs: number, distDir = 'dist'): Promise<boolean> {
  if (!isSamplePod(pod)) return false;
  if (isNodeSamplePod(pod)) {
    group.start(nodeSampleSpec(pod, distDir));
    for (const { host, port } of nodeSampleReadyEndpoints(pod)) await waitForTcp(pod.name, host, port, readyTimeoutMs, { signal: group.stopped });
  } else if (isHttpbinPod(pod)) {
    group.start(httpbinSpec(pod, findHttpbin(samples?.httpbinBinary ?? '')));
    await waitForReady(pod.name, httpbinReadyUrl(pod), readyTimeoutMs, { signal: group.stopped });
  } else {
    group.start(commandSpec(pod));
  }
  return true;
}
