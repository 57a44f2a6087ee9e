/**
 * The check a wizard submission meets before anything is written: every route weight an integer from
 * 0 to 100, and the weights of a rule with more than one destination summing to 100 (Istio's webhook
 * rule, `total destination weight N != 100`). The error names the field, so the UI shows where.
 */
import { TrellisError } from '@trellis/shared';

interface RouteLike {
  weight?: unknown;
}

function rulesOf(spec: unknown): [string, RouteLike[]][] {
  if (spec === null || typeof spec !== 'object') return [];
  const out: [string, RouteLike[]][] = [];
  for (const section of ['http', 'tcp', 'tls'] as const) {
    const rules = (spec as Record<string, unknown>)[section];
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule: unknown, i) => {
      const route = rule !== null && typeof rule === 'object' ? (rule as { route?: unknown }).route : undefined;
      if (Array.isArray(route)) out.push([`spec.${section}[${i}].route`, route as RouteLike[]]);
    });
  }
  return out;
}

/** Throws OBJECT_INVALID naming the VirtualService and the field when a weight is wrong. */
export function checkRouteWeights(name: string, spec: unknown): void {
  for (const [path, route] of rulesOf(spec)) {
    let total = 0;
    route.forEach((dest, j) => {
      const w = dest.weight;
      if (w === undefined) return;
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100) {
        throw new TrellisError('OBJECT_INVALID', `VirtualService ${name}: ${path}[${j}].weight must be an integer from 0 to 100, got ${JSON.stringify(w)}`, { resource: `VirtualService/${name}`, field: `${path}[${j}].weight` });
      }
      total += w;
    });
    if (route.length > 1 && total !== 100) {
      throw new TrellisError('OBJECT_INVALID', `VirtualService ${name}: ${path}: total destination weight ${total} != 100`, { resource: `VirtualService/${name}`, field: `${path}` });
    }
  }
}
