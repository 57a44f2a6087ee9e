import { refOf, schemaValidationError, type AnalysisMessage } from '../messages';
import type { AnalysisContext } from './context';

/**
 * Istio's validation rule: when a rule routes to more than one destination, the weights must
 * add up to 100 (`total destination weight 120 != 100`).
 */
export function analyzeRouteWeights(ctx: AnalysisContext): AnalysisMessage[] {
  const out: AnalysisMessage[] = [];
  for (const vs of ctx.virtualServices) {
    const rules = [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? []), ...(vs.spec.tls ?? [])];
    for (const rule of rules) {
      const route = rule.route ?? [];
      if (route.length < 2) continue;
      const total = route.reduce((sum, d) => sum + (typeof d.weight === 'number' ? d.weight : 0), 0);
      if (total !== 100) out.push(schemaValidationError(refOf(vs), `total destination weight ${total} != 100`));
    }
  }
  return out;
}
