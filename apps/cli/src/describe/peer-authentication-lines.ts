import { effectivePeerAuthentication, type PeerAuthentication, type WorkloadInstance } from '@trellis/mesh-api';
import type { ObservedMtls } from './observed-mtls';

const ROOT_NAMESPACE = 'istio-system';

/** The pod proxy's inbound listeners as read, or why they could not be (undefined: config only, no note). */
export type InboundTruth = ObservedMtls | { readonly unavailable: string };

type Modes = { readonly workload: string; readonly ports: ReadonlyMap<number, string> };

function modeLines(m: Modes): string[] {
  const lines = [`   Workload mTLS mode: ${m.workload}`];
  const ports = [...m.ports].filter(([, mode]) => mode !== m.workload).sort(([a], [b]) => a - b);
  if (ports.length > 0) lines.push('   Port Level mTLS mode:', ...ports.map(([port, mode]) => `      ${port}: ${mode}`));
  return lines;
}

/** What the stored policy asks for and the proxy's chains disagree on, said plainly. */
function disagreement(configured: Modes, observed: ObservedMtls & { workload: string }): string[] {
  const same = configured.workload === observed.workload && [...configured.ports].every(([p, m]) => (observed.ports.get(p) ?? observed.workload) === m);
  if (same) return [];
  if (!observed.anyMtls) {
    return [`   NOTE: PeerAuthentication resolves to ${configured.workload}, but this proxy has no mTLS filter chain: the control plane emits no mTLS (--mtls off, or no CA), so plaintext is accepted and nothing is enforced`];
  }
  return [`   NOTE: PeerAuthentication resolves to ${configured.workload}; the proxy's listeners enforce the modes above (the change has not reached this proxy yet?)`];
}

/**
 * istioctl's `Applied PeerAuthentication` (every policy selecting the pod) and `Effective
 * PeerAuthentication`. The modes printed are what the pod's proxy enforces — read from its inbound
 * filter chains (`observed-mtls.ts`) — never a mode its data path does not have; the stored policy's
 * resolution (`effectivePeerAuthentication`, the translator's own function) is shown beside it only
 * where the two differ, or alone with a note when the proxy's config could not be read.
 */
export function peerAuthenticationLines(pod: WorkloadInstance, policies: readonly PeerAuthentication[], inbound?: InboundTruth): string[] {
  const eff = effectivePeerAuthentication(policies, { namespace: pod.namespace, labels: pod.labels }, ROOT_NAMESPACE);
  const lines: string[] = [];
  if (eff.applied.length > 0) {
    lines.push('Applied PeerAuthentication:', `   ${eff.applied.map((p) => `${p.metadata.name}.${p.metadata.namespace ?? pod.namespace}`).join(', ')}`);
  }
  lines.push('Effective PeerAuthentication:');
  const configured: Modes = { workload: eff.mode, ports: eff.ports };
  if (inbound === undefined) return [...lines, ...modeLines(configured)];
  if ('unavailable' in inbound) {
    return [...lines, ...modeLines(configured), `   NOTE: computed from the stored config only; the proxy's listeners could not be read (${inbound.unavailable})`];
  }
  const workload = inbound.workload;
  if (workload === undefined) {
    return [...lines, ...modeLines(configured), '   NOTE: computed from the stored config only; the proxy has no inbound listener'];
  }
  const observed = { ...inbound, workload };
  return [...lines, ...modeLines(observed), ...disagreement(configured, observed)];
}
