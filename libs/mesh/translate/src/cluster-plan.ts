import type { DestinationRule } from '@trellis/mesh-api';
import { destinationRuleFor, type TranslateContext } from './context';
import { outboundClusterName } from './naming';
import { labelsMatch, type MeshEndpoint, type ServiceModel, type ServicePortModel } from './services';
import { effectivePolicy, type EffectivePolicy } from './traffic-policy';

/** One outbound cluster to build: the shared input of CDS and EDS generation. */
export interface OutboundClusterPlan {
  name: string;
  service: ServiceModel;
  port: ServicePortModel;
  subset?: string;
  destinationRule?: DestinationRule;
  policy: EffectivePolicy;
  endpoints: MeshEndpoint[];
}

function subsetPlans(svc: ServiceModel, port: ServicePortModel, dr: DestinationRule, all: MeshEndpoint[]): OutboundClusterPlan[] {
  return (dr.spec.subsets ?? []).map((subset) => ({
    name: outboundClusterName(port.port, svc.hostname, subset.name),
    service: svc,
    port,
    subset: subset.name,
    destinationRule: dr,
    policy: effectivePolicy(dr, subset.name, port.port),
    endpoints: all.filter((e) => labelsMatch(subset.labels, e.labels)),
  }));
}

/** For every service port: `outbound|<port>||<host>` plus one cluster per DestinationRule subset. */
export function planOutboundClusters(ctx: TranslateContext): OutboundClusterPlan[] {
  const plans: OutboundClusterPlan[] = [];
  for (const svc of ctx.services) {
    const dr = destinationRuleFor(ctx, svc.hostname);
    for (const port of svc.ports) {
      const endpoints = svc.endpoints[String(port.port)] ?? [];
      plans.push({
        name: outboundClusterName(port.port, svc.hostname),
        service: svc,
        port,
        ...(dr ? { destinationRule: dr } : {}),
        policy: effectivePolicy(dr, undefined, port.port),
        endpoints,
      });
      if (dr) plans.push(...subsetPlans(svc, port, dr, endpoints));
    }
  }
  return plans;
}
