import { Annotation, Label } from './constants';
import type { Labels, Pod } from './types';

/** Why a pod was (not) injected; stable strings for logs, tests and the webhook's audit annotations. */
export type InjectReason =
  | 'injected'
  | 'reinjected'
  | 'host-network'
  | 'pod-label-opt-out'
  | 'pod-annotation-opt-out'
  | 'namespace-disabled'
  | 'namespace-not-enabled';

export interface InjectDecision {
  readonly inject: boolean;
  readonly reason: InjectReason;
}

function flag(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  if (v === 'true' || v === 'y' || v === 'yes' || v === 'on') return true;
  if (v === 'false' || v === 'n' || v === 'no' || v === 'off') return false;
  return undefined;
}

/** The pod's own choice: label preferred over annotation (Istio's order). */
function podChoice(pod: Pod): { value: boolean; source: 'label' | 'annotation' } | undefined {
  const label = flag(pod.metadata?.labels?.[Label.inject]);
  if (label !== undefined) return { value: label, source: 'label' };
  const annotation = flag(pod.metadata?.annotations?.[Annotation.inject]);
  return annotation === undefined ? undefined : { value: annotation, source: 'annotation' };
}

/**
 * Istio's `injectRequired` plus what its webhook selectors do: hostNetwork pods never; a pod
 * `sidecar.istio.io/inject: false` opts out; a namespace `istio-injection=disabled` wins over a pod's
 * opt-in (no webhook entry matches it in a cluster); then the pod's opt-in or the namespace label
 * `istio-injection=enabled` / `trellis-injection=enabled`.
 */
export function injectionDecision(pod: Pod, namespaceLabels: Labels): InjectDecision {
  if (pod.spec.hostNetwork === true) return { inject: false, reason: 'host-network' };
  const choice = podChoice(pod);
  if (choice?.value === false) {
    return { inject: false, reason: choice.source === 'label' ? 'pod-label-opt-out' : 'pod-annotation-opt-out' };
  }
  if (namespaceLabels[Label.istioInjection] === 'disabled') return { inject: false, reason: 'namespace-disabled' };
  const reinject = pod.metadata?.annotations?.[Annotation.status] !== undefined;
  const enabled =
    choice?.value === true ||
    namespaceLabels[Label.istioInjection] === 'enabled' ||
    namespaceLabels[Label.trellisInjection] === 'enabled';
  if (!enabled) return { inject: false, reason: 'namespace-not-enabled' };
  return { inject: true, reason: reinject ? 'reinjected' : 'injected' };
}
