import type { HTTPRoute } from '@trellis/mesh-api';
import { mirrorPolicies } from './mirror-policies';

const clusterOf = (d: { host: string; subset?: string }): string => `outbound|8000|${d.subset ?? ''}|${d.host}.default.svc.cluster.local`;
const v1 = { destination: { host: 'httpbin', subset: 'v1' } };

describe("mirror policies as istiod writes them (Istio's mirroring task)", () => {
  it('mirror + mirrorPercentage → one policy in millionths; 100 % (HUNDRED) when no percentage', () => {
    expect(mirrorPolicies({ route: [v1], mirror: { host: 'httpbin', subset: 'v2' }, mirrorPercentage: { value: 100.0 } } as HTTPRoute, clusterOf)).toEqual([
      { cluster: 'outbound|8000|v2|httpbin.default.svc.cluster.local', runtime_fraction: { default_value: { numerator: 1000000, denominator: 'MILLION' } } },
    ]);
    expect(mirrorPolicies({ route: [v1], mirror: { host: 'httpbin', subset: 'v2' } } as HTTPRoute, clusterOf)[0]?.runtime_fraction).toEqual({ default_value: { numerator: 100, denominator: 'HUNDRED' } });
    expect(mirrorPolicies({ route: [v1], mirror: { host: 'httpbin', subset: 'v2' }, mirrorPercent: 25 } as HTTPRoute, clusterOf)[0]?.runtime_fraction).toEqual({ default_value: { numerator: 25, denominator: 'HUNDRED' } });
  });

  it('mirrors[] → one policy each with its own percentage; an explicit 0 % mirrors nothing', () => {
    const http = {
      route: [v1],
      mirrors: [{ destination: { host: 'httpbin', subset: 'v2' }, percentage: { value: 50 } }, { destination: { host: 'httpbin', subset: 'v3' } }, { destination: { host: 'other' }, percentage: { value: 0 } }],
    } as HTTPRoute;
    expect(mirrorPolicies(http, clusterOf)).toEqual([
      { cluster: 'outbound|8000|v2|httpbin.default.svc.cluster.local', runtime_fraction: { default_value: { numerator: 500000, denominator: 'MILLION' } } },
      { cluster: 'outbound|8000|v3|httpbin.default.svc.cluster.local', runtime_fraction: { default_value: { numerator: 100, denominator: 'HUNDRED' } } },
    ]);
    expect(mirrorPolicies({ route: [v1], mirror: { host: 'httpbin' }, mirrorPercentage: { value: 0 } } as HTTPRoute, clusterOf)).toEqual([]);
  });
});
