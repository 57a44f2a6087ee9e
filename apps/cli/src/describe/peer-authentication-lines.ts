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

/** The mode the stored policy gives a port: its portLevelMtls override, else the workload's. */
const expectedAt = (configured: Modes, port: number): string => configured.ports.get(port) ?? configured.workload;

/**
 * Without passthrough chains (local mode's bound listeners) the workload-level mode is not on the wire:
 * the policy's, when every port the proxy serves is as the policy says; DISABLE when no chain takes
 * mTLS though the policy wants it somewhere (the control plane emits none); else the policy's.
 */
function unobservedWorkload(configured: Modes, inbound: ObservedMtls): string {
  const asConfigured = [...inbound.ports].every(([p, m]) => m === expectedAt(configured, p));
  return !asConfigured && !inbound.anyMtls ? 'DISABLE' : configured.workload;
}

/** What the stored policy asks for and the proxy's chains disagree on, said plainly. */
function disagreement(configured: Modes, observed: Modes, anyMtls: boolean): string[] {
  const ports = [...new Set([...configured.ports.keys(), ...observed.ports.keys()])];
  const same = configured.workload === observed.workload && ports.every((p) => (observed.ports.get(p) ?? observed.workload) === expectedAt(configured, p));
  if (same) return [];
  const wantsTls = [configured.workload, ...configured.ports.values()].some((m) => m !== 'DISABLE');
  if (!anyMtls && wantsTls) {
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
  if (inbound.workload === undefined && inbound.ports.size === 0) {
    return [...lines, ...modeLines(configured), '   NOTE: computed from the stored config only; the proxy has no inbound listener'];
  }
  const observed: Modes = { workload: inbound.workload ?? unobservedWorkload(configured, inbound), ports: inbound.ports };
  return [...lines, ...modeLines(observed), ...disagreement(configured, observed, inbound.anyMtls)];
}
