import type { DestinationRule } from '../../types';
import { mirrorDestinations, routeDestinations } from '../destinations';
import { hostCandidates, toFqdn } from '../../match/hosts';
import { hostMatches, isVisible } from '../hosts';
import { refOf, referencedResourceNotFound, type AnalysisMessage } from '../messages';
import { nsOf, type AnalysisContext } from './context';

function hasSubset(rules: readonly DestinationRule[], ctx: AnalysisContext, host: string, ns: string, subset: string): boolean {
  const candidates = hostCandidates(host, ns, ctx.domainSuffix);
  return rules.some((dr) => {
    if (!isVisible(dr.spec.exportTo, nsOf(dr), ns)) return false;
    const drHost = toFqdn(dr.spec.host, nsOf(dr), ctx.domainSuffix);
    if (!candidates.some((c) => hostMatches(drHost, c))) return false;
    return (dr.spec.subsets ?? []).some((s) => s.name === subset);
  });
}

/** IST0101 `host+subset in destinationrule` for subsets no visible DestinationRule defines. */
export function analyzeDestinationSubsets(ctx: AnalysisContext): AnalysisMessage[] {
  const out: AnalysisMessage[] = [];
  for (const vs of ctx.virtualServices) {
    const ns = nsOf(vs);
    for (const d of [...routeDestinations(vs), ...mirrorDestinations(vs)]) {
      const { host, subset } = d.destination;
      if (subset === undefined || subset === '') continue;
      if (hasSubset(ctx.destinationRules, ctx, host, ns, subset)) continue;
      out.push(referencedResourceNotFound(refOf(vs), 'host+subset in destinationrule', `${host}+${subset}`));
    }
  }
  return out;
}
