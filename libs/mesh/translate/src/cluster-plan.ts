import type { DestinationRule } from '@trellis/mesh-api';
import { destinationRuleFor, type TranslateContext } from './context';
import { outboundClusterName } from './naming';
import { labelsMatch, type MeshEndpoint, type ServiceModel, type ServicePortModel } from './services';
import { effectivePolicy, type EffectivePolicy } from './traffic-policy';
import { clusterMtlsTarget, serviceAccountsOf } from './cluster-mtls';
import type { IstioMtlsTarget } from './upstream-mtls';

/** One outbound cluster to build: the shared input of CDS and EDS generation. */
export interface OutboundClusterPlan {
  name: string;
  service: ServiceModel;
  port: ServicePortModel;
  subset?: string;
  destinationRule?: DestinationRule;
  policy: EffectivePolicy;
  endpoints: MeshEndpoint[];
  /** Istio mTLS towards the cluster (ISTIO_MUTUAL, auto mTLS); absent when mTLS emission is off. */
  mtls?: IstioMtlsTarget;
}

/** Adds the mTLS target to a plan (pure: a new object). */
function withMtls(ctx: TranslateContext, plan: OutboundClusterPlan, accounts: readonly string[]): OutboundClusterPlan {
  const mtls = clusterMtlsTarget(ctx, plan.service, plan.port, plan.subset, plan.policy, accounts);
  return mtls ? { ...plan, mtls } : plan;
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
    const accounts = ctx.options.mtls ? serviceAccountsOf(svc, ctx.options.trustDomain) : [];
    const add = (plan: OutboundClusterPlan): number => plans.push(withMtls(ctx, plan, accounts));
    for (const port of svc.ports) {
      const endpoints = svc.endpoints[String(port.port)] ?? [];
      add({
        name: outboundClusterName(port.port, svc.hostname),
        service: svc,
        port,
        ...(dr ? { destinationRule: dr } : {}),
        policy: effectivePolicy(dr, undefined, port.port),
        endpoints,
      });
      if (dr) subsetPlans(svc, port, dr, endpoints).forEach(add);
    }
  }
  return plans;
}
