import { toFqdn } from '../../match/hosts';
import { conflictingMeshGatewayVirtualServiceHosts, refOf, type AnalysisMessage } from '../messages';
import { nsOf, type AnalysisContext } from './context';

/** IST0109: two VirtualServices bound to the mesh gateway claim the same host. */
export function analyzeMeshHostConflicts(ctx: AnalysisContext): AnalysisMessage[] {
  const byHost = new Map<string, { names: string[]; vs: (typeof ctx.virtualServices)[number][] }>();
  for (const vs of ctx.virtualServices) {
    const gateways = vs.spec.gateways ?? [];
    if (gateways.length > 0 && !gateways.includes('mesh')) continue;
    if ((vs.spec.exportTo ?? []).length > 0 && !(vs.spec.exportTo ?? []).includes('*')) continue;
    for (const h of new Set((vs.spec.hosts ?? []).map((x) => toFqdn(x, nsOf(vs), ctx.domainSuffix)))) {
      const entry = byHost.get(h) ?? { names: [], vs: [] };
      entry.names.push(`${nsOf(vs)}/${vs.metadata.name}`);
      entry.vs.push(vs);
      byHost.set(h, entry);
    }
  }
  const out: AnalysisMessage[] = [];
  for (const [host, { names, vs }] of byHost) {
    if (vs.length < 2) continue;
    const list = [...names].sort().join(',');
    for (const v of vs) out.push(conflictingMeshGatewayVirtualServiceHosts(refOf(v), list, host));
  }
  return out;
}
