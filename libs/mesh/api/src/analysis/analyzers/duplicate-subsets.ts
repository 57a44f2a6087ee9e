import { refOf, schemaValidationError, type AnalysisMessage } from '../messages';
import type { AnalysisContext } from './context';

/** Istio's validation rule: subset names are unique within a DestinationRule. */
export function analyzeDuplicateSubsets(ctx: AnalysisContext): AnalysisMessage[] {
  const out: AnalysisMessage[] = [];
  for (const dr of ctx.destinationRules) {
    const seen = new Set<string>();
    const reported = new Set<string>();
    for (const s of dr.spec.subsets ?? []) {
      if (seen.has(s.name) && !reported.has(s.name)) {
        out.push(schemaValidationError(refOf(dr), `duplicate subset names: ${s.name}`));
        reported.add(s.name);
      }
      seen.add(s.name);
    }
  }
  return out;
}
