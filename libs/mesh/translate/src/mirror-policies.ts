import type { Destination, HTTPRoute } from '@trellis/mesh-api';
import type { RequestMirrorPolicy } from '@trellis/mesh-envoy';
import { millionths } from './fault';

/**
 * istiod's request mirror policies of an HTTP route: `mirror` with `mirrorPercentage` (or the old
 * integer `mirrorPercent`), then each of `mirrors[]` with its own `percentage`; 100 % when none is
 * given, and no policy at all for an explicit 0 %.
 */
export function mirrorPolicies(http: HTTPRoute, clusterOf: (d: Destination) => string): RequestMirrorPolicy[] {
  const out: RequestMirrorPolicy[] = [];
  if (http.mirror !== undefined) {
    const percent = http.mirrorPercentage?.value ?? http.mirrorPercent;
    if (percent !== 0) out.push(policy(clusterOf(http.mirror), millionthsOrHundred(http)));
  }
  for (const m of http.mirrors ?? []) {
    if (m.percentage?.value === 0) continue;
    out.push(policy(clusterOf(m.destination), millionths(m.percentage, m.percentage === undefined ? 100 : undefined)));
  }
  return out;
}

function millionthsOrHundred(http: HTTPRoute): ReturnType<typeof millionths> {
  return millionths(http.mirrorPercentage, http.mirrorPercentage === undefined ? (http.mirrorPercent ?? 100) : undefined);
}

const policy = (cluster: string, fraction: ReturnType<typeof millionths>): RequestMirrorPolicy => ({ cluster, runtime_fraction: { default_value: fraction } });
