import { namespaceMtlsMode } from '@trellis/mesh-api';
import type { TranslateContext } from './context';
import type { ServiceModel, ServicePortModel } from './services';
import type { EffectivePolicy } from './traffic-policy';
import { istioSni, spiffeId, type IstioMtlsTarget } from './upstream-mtls';

/**
 * What Istio mTLS towards one outbound cluster needs (istiod's buildAutoMtlsSettings inputs): the SNI,
 * the identities to verify and whether auto mTLS may apply — only for in-mesh services that are not
 * passthrough and whose namespace is not DISABLE (BestEffortInferServiceMTLSMode).
 */

/** SPIFFE IDs of every workload behind the service (any port), plus a ServiceEntry's subjectAltNames; sorted, unique. */
export function serviceAccountsOf(svc: ServiceModel, trustDomain: string): string[] {
  const ids = new Set<string>(svc.subjectAltNames ?? []);
  for (const eps of Object.values(svc.endpoints)) {
    for (const e of eps) if (e.workload) ids.add(spiffeId(trustDomain, e.workload.namespace, e.workload.serviceAccount));
  }
  return [...ids].sort();
}

function autoMtlsAllowed(ctx: TranslateContext, svc: ServiceModel, policy: EffectivePolicy): boolean {
  if (svc.meshExternal || svc.discovery === 'ORIGINAL_DST' || policy.loadBalancer?.simple === 'PASSTHROUGH') return false;
  return namespaceMtlsMode(ctx.snapshot.peerAuthentications, svc.namespace, ctx.snapshot.rootNamespace) !== 'DISABLE';
}

/** The cluster's mTLS target; undefined when the translator does not emit mTLS. */
export function clusterMtlsTarget(
  ctx: TranslateContext,
  svc: ServiceModel,
  port: ServicePortModel,
  subset: string | undefined,
  policy: EffectivePolicy,
  accounts: readonly string[],
): IstioMtlsTarget | undefined {
  if (!ctx.options.mtls) return undefined;
  return { sni: istioSni(port.port, svc.hostname, subset), serviceAccounts: accounts, auto: autoMtlsAllowed(ctx, svc, policy) };
}
