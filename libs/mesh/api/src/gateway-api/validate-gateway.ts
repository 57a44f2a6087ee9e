import type { KubernetesGatewaySpec, Listener } from '../types';
import type { FieldProblem } from '../validation/ajv-errors';

/**
 * The Gateway's CEL rules of the upstream CRD (x-kubernetes-validations), with upstream's messages:
 * what the API server checks on Kubernetes ≥ 1.25 and Trellis checks everywhere (1.20 has no CEL).
 */
function listenerProblems(l: Listener, at: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (['HTTP', 'TCP', 'UDP'].includes(l.protocol) && l.tls !== undefined) {
    out.push({ path: `${at}.tls`, message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']" });
  }
  if (l.protocol === 'HTTPS' && (l.tls?.mode ?? 'Terminate') !== 'Terminate') {
    out.push({ path: `${at}.tls.mode`, message: 'tls mode must be Terminate for protocol HTTPS' });
  }
  if ((l.tls?.mode ?? 'Terminate') === 'Terminate' && l.tls !== undefined && (l.tls.certificateRefs ?? []).length === 0 && Object.keys(l.tls.options ?? {}).length === 0) {
    out.push({ path: `${at}.tls`, message: 'certificateRefs or options must be specified when mode is Terminate' });
  }
  if (['TCP', 'UDP'].includes(l.protocol) && l.hostname !== undefined) {
    out.push({ path: `${at}.hostname`, message: "hostname must not be specified for protocols ['TCP', 'UDP']" });
  }
  return out;
}

function uniquenessProblems(listeners: readonly Listener[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  const names = new Set<string>();
  const combos = new Set<string>();
  listeners.forEach((l, i) => {
    if (names.has(l.name)) out.push({ path: `spec.listeners[${i}].name`, message: 'Listener name must be unique within the Gateway' });
    names.add(l.name);
    const combo = `${l.port}/${l.protocol}/${l.hostname ?? ''}`;
    if (combos.has(combo)) out.push({ path: `spec.listeners[${i}]`, message: 'Combination of port, protocol and hostname must be unique for each listener' });
    combos.add(combo);
  });
  return out;
}

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function addressProblems(spec: KubernetesGatewaySpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  (spec.addresses ?? []).forEach((a, i) => {
    const type = a.type ?? 'IPAddress';
    const at = `spec.addresses[${i}].value`;
    if (type === 'Hostname' && !HOSTNAME.test(a.value)) out.push({ path: at, message: `Hostname value must only contain valid characters (matching ${HOSTNAME.source})` });
    if (seen.has(`${type}/${a.value}`)) out.push({ path: at, message: `${type === 'Hostname' ? 'Hostname' : 'IPAddress'} values must be unique` });
    seen.add(`${type}/${a.value}`);
  });
  return out;
}

export function checkKubernetesGateway(spec: KubernetesGatewaySpec): FieldProblem[] {
  return [
    ...spec.listeners.flatMap((l, i) => listenerProblems(l, `spec.listeners[${i}]`)),
    ...uniquenessProblems(spec.listeners),
    ...addressProblems(spec),
  ];
}
