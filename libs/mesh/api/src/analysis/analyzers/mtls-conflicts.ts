import { effectivePeerAuthentication, mtlsModeForPort, type EffectivePeerAuthentication } from '../../authn/peer-authentication';
import { toFqdn } from '../../match/hosts';
import type { ClientTLSSettings, DestinationRule, MeshService, PeerAuthentication } from '../../types';
import { hostMatches } from '../hosts';
import { mtlsPolicyConflict, refOf, type AnalysisMessage } from '../messages';
import { nsOf, type AnalysisContext } from './context';

/** The DestinationRule `tls` a client uses for one service port (port-level settings first). */
function tlsForPort(dr: DestinationRule, port: number): ClientTLSSettings | undefined {
  const policy = dr.spec.trafficPolicy;
  return policy?.portLevelSettings?.find((p) => p.port?.number === port)?.tls ?? policy?.tls;
}

/** The policy that decided a port's mode: the workload policy for port-level settings, else the last level that set one. */
function decidingPolicy(eff: EffectivePeerAuthentication, port: number): PeerAuthentication | undefined {
  if (eff.ports.has(port)) return eff.workload;
  const set = (p: PeerAuthentication | undefined): boolean => p !== undefined && p.spec.mtls?.mode !== undefined && p.spec.mtls.mode !== 'UNSET';
  return [eff.workload, eff.namespace, eff.mesh].find(set);
}

function conflictsFor(svc: MeshService, rules: readonly DestinationRule[], eff: EffectivePeerAuthentication, domainSuffix: string): AnalysisMessage[] {
  const out: AnalysisMessage[] = [];
  const drs = rules.filter((dr) => hostMatches(toFqdn(dr.spec.host, nsOf(dr), domainSuffix), svc.hostname));
  for (const p of svc.ports) {
    if (mtlsModeForPort(eff, p.targetPort) !== 'STRICT') continue;
    const policy = decidingPolicy(eff, p.targetPort);
    for (const dr of drs) {
      if (tlsForPort(dr, p.port)?.mode !== 'DISABLE' || policy === undefined) continue;
      out.push(mtlsPolicyConflict(refOf(dr), `${svc.hostname}:${p.port}`, `${nsOf(dr)}/${dr.metadata.name}`, false, `${nsOf(policy)}/${policy.metadata.name}`, 'Strict'));
    }
  }
  return out;
}

/**
 * IST0113 MTLSPolicyConflict: a DestinationRule that makes clients send plaintext (`tls.mode: DISABLE`)
 * to a service port whose workloads require mTLS (PeerAuthentication STRICT). The workloads are
 * represented by the service's selector: a workload policy counts when its selector is implied by it.
 */
export function analyzeMtlsConflicts(ctx: AnalysisContext): AnalysisMessage[] {
  if (ctx.peerAuthentications.length === 0) return [];
  return ctx.services.flatMap((svc) => {
    const eff = effectivePeerAuthentication(ctx.peerAuthentications, { namespace: svc.namespace, labels: svc.selector }, ctx.rootNamespace);
    return conflictsFor(svc, ctx.destinationRules, eff, ctx.domainSuffix);
  });
}
