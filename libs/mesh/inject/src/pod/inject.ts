import { PROXY_CONFIG_ANNOTATION, proxyConfigJson } from './annotation-env';
import { InjectErrorCode, injectError } from '../errors';
import { captureOptionsFor } from './capture-annotations';
import { Annotation, INIT_CONTAINER, PODINFO_VOLUME, PROXY_CONTAINER } from './constants';
import { resolveMeshConfig, type InjectMeshConfig, type ResolvedMeshConfig } from './mesh-config';
import { injectedLabels, mergePrometheus, restorePrometheus } from './metadata';
import { injectionDecision, type InjectReason } from './policy';
import { identityVolumes } from './identity-volumes';
import { mergeProxyConfig } from './proxy-config';
import { proxyEnv } from './proxy-env';
import { assertPodShape } from './shape';
import { initContainer, podInfoVolume, proxyContainer } from './sidecar';
import { formatStatus, parseStatus, stripInjected } from './status';
import type { Labels, Pod } from './types';
import { workloadOf, type WorkloadRef } from './workload';

export interface InjectOptions {
  /** Labels of the pod's namespace (`istio-injection`, `trellis-injection`). */
  readonly namespaceLabels: Labels;
  readonly meshConfig: InjectMeshConfig;
  /** Used when `metadata.namespace` is empty (webhook: `request.namespace`); never written to the pod. */
  readonly namespace?: string;
  /** The enclosing workload when known (kube-inject); otherwise derived from ownerReferences. */
  readonly workload?: WorkloadRef;
}

export interface InjectResult {
  /** The injected pod (a new object), or the input itself when not injected. */
  readonly pod: Pod;
  readonly injected: boolean;
  readonly reason: InjectReason;
}

function assertNoConflicts(pod: Pod, volumes: readonly string[]): void {
  const clash =
    pod.spec.containers.some((c) => c.name === PROXY_CONTAINER) ||
    (pod.spec.initContainers ?? []).some((c) => c.name === INIT_CONTAINER) ||
    (pod.spec.volumes ?? []).some((v) => volumes.includes(v.name));
  if (clash) throw injectError(InjectErrorCode.unsupportedPod, 'pod already has a container or volume named like the sidecar', { names: [PROXY_CONTAINER, INIT_CONTAINER, ...volumes] });
  if (pod.spec.containers.length === 0) throw injectError(InjectErrorCode.unsupportedPod, 'pod has only injected containers', {});
}

/** Annotations in a stable order so that injecting twice is byte-identical. */
function annotationsFor(base: Labels, appName: string, config: ResolvedMeshConfig): { annotations: Labels; prometheus: string | undefined } {
  const withDefault = { ...base, [Annotation.defaultContainer]: base[Annotation.defaultContainer] ?? appName };
  const merged = mergePrometheus(withDefault, config.prometheusMerge);
  const volumes = [PODINFO_VOLUME, ...identityVolumes(config).map((v) => v.name)];
  const status = formatStatus({ initContainers: [INIT_CONTAINER], containers: [PROXY_CONTAINER], volumes, revision: config.revision });
  return { annotations: { ...merged.annotations, [Annotation.status]: status }, prometheus: merged.original };
}

function mutate(input: Pod, options: InjectOptions): Pod {
  const config = resolveMeshConfig(options.meshConfig);
  const { pod, previousProxy } = stripInjected(input, parseStatus(input.metadata?.annotations?.[Annotation.status]));
  assertNoConflicts(pod, [PODINFO_VOLUME, ...identityVolumes(config).map((v) => v.name)]);
  const meta = (pod.metadata ??= {});
  const apps = pod.spec.containers;
  const workload = workloadOf(pod, meta.namespace || options.namespace || 'default', options.workload);
  const capture = captureOptionsFor(meta.annotations ?? {}, config.capture);
  const labels = injectedLabels(meta.labels ?? {}, workload);
  const { annotations, prometheus } = annotationsFor(restorePrometheus(meta.annotations ?? {}, previousProxy), apps[0]?.name ?? '', config);
  meta.labels = labels;
  meta.annotations = annotations;
  const proxyConfig = mergeProxyConfig(config.defaultProxyConfig, proxyConfigJson(input.metadata?.annotations?.[PROXY_CONFIG_ANNOTATION]));
  const proxy = proxyContainer(config, proxyEnv({ config, labels, appContainers: apps, workload, prometheusOriginal: prometheus, ...(proxyConfig !== undefined && { proxyConfig }) }));
  pod.spec.containers = config.holdApplicationUntilProxyStarts ? [proxy, ...apps] : [...apps, proxy];
  // Last, so the app's own init containers run before traffic capture exists (they have no proxy yet).
  pod.spec.initContainers = [...(pod.spec.initContainers ?? []), initContainer(config, capture)];
  pod.spec.volumes = [...(pod.spec.volumes ?? []), podInfoVolume(), ...identityVolumes(config)];
  return pod;
}

/**
 * Pure sidecar injection. Decides (policy.ts), then rebuilds the pod: previous injection removed
 * (status annotation), proxy + capture init container + podinfo volume added, labels/annotations set.
 * Throws `INJECT_UNSUPPORTED_POD` / `INJECT_INVALID_CAPTURE` for pods it cannot handle.
 */
export function injectPod(pod: Pod, options: InjectOptions): InjectResult {
  assertPodShape(pod);
  const decision = injectionDecision(pod, options.namespaceLabels);
  if (!decision.inject) return { pod, injected: false, reason: decision.reason };
  return { pod: mutate(pod, options), injected: true, reason: decision.reason };
}
