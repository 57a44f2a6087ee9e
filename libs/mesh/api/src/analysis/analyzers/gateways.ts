import { refOf, referencedResourceNotFound, type AnalysisMessage } from '../messages';
import { nsOf, type AnalysisContext } from './context';

/** Gateway references are `name` (same namespace as the VirtualService) or `namespace/name`; `mesh` is reserved. */
export function gatewayKey(ref: string, namespace: string): string {
  return ref.includes('/') ? ref : `${namespace}/${ref}`;
}

/** IST0101 for VirtualService gateways that do not exist. */
export function analyzeGateways(ctx: AnalysisContext): AnalysisMessage[] {
  const known = new Set(ctx.gateways.map((g) => `${nsOf(g)}/${g.metadata.name}`));
  const out: AnalysisMessage[] = [];
  for (const vs of ctx.virtualServices) {
    const ns = nsOf(vs);
    const refs = new Set<string>(vs.spec.gateways ?? []);
    for (const rule of vs.spec.http ?? []) for (const m of rule.match ?? []) for (const g of m.gateways ?? []) refs.add(g);
    for (const ref of refs) {
      if (ref === 'mesh' || known.has(gatewayKey(ref, ns))) continue;
      out.push(referencedResourceNotFound(refOf(vs), 'gateway', ref));
    }
  }
  return out;
}
