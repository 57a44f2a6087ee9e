import type { BackendObjectReference, Destination, HTTPBackendRef, HTTPRouteDestination, KubernetesHTTPRoute } from '@trellis/mesh-api';
import { REASON, type ConfigProblem } from './conditions';
import { nsOf, type ConvertContext } from './context';
import { headersOf } from './filters';
import { GATEWAY_API_GROUP, serviceHost } from './names';
import { referenceAllowed } from './reference-grants';

/** A backendRef → a Destination, or the spec's reason it is invalid (gateway routes enforce ReferenceGrants). */
export function destinationOf(ctx: ConvertContext, route: KubernetesHTTPRoute, ref: BackendObjectReference, enforceGrants: boolean): { destination?: Destination; problem?: ConfigProblem } {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  if (group !== '' || kind !== 'Service') return { problem: { reason: REASON.invalidKind, message: `referencing unsupported backendRef: group "${group}" kind "${kind}"` } };
  if (ref.name.includes('.')) return { problem: { reason: REASON.invalidKind, message: 'service name invalid; the name of the Service must be used, not the hostname.' } };
  const namespace = ref.namespace ?? nsOf(route);
  const reference = { fromGroup: GATEWAY_API_GROUP, fromKind: 'HTTPRoute', fromNamespace: nsOf(route), toGroup: '', toKind: 'Service', toNamespace: namespace, toName: ref.name };
  if (enforceGrants && !referenceAllowed(ctx.grants, reference)) {
    return { problem: { reason: REASON.refNotPermitted, message: `backendRef ${ref.name}/${namespace} not accessible to a HTTPRoute in namespace "${nsOf(route)}" (missing a ReferenceGrant?)` } };
  }
  const host = serviceHost(ref.name, namespace, ctx.input.domainSuffix);
  if (!ctx.services.has(`${namespace}/${ref.name}`)) return { problem: { reason: REASON.backendNotFound, message: `backend(${host}) not found` } };
  return { destination: { host, ...(ref.port !== undefined ? { port: { number: ref.port } } : {}) } };
}

/**
 * Weighted backendRefs → VirtualService destinations. Zero weights are dropped; invalid backends are
 * dropped (their problem reported), so the route keeps serving what resolves; none left = undefined
 * (the caller answers 500, as the spec asks).
 */
export function destinationsOf(
  ctx: ConvertContext,
  route: KubernetesHTTPRoute,
  refs: readonly HTTPBackendRef[],
  enforceGrants: boolean,
): { destinations?: HTTPRouteDestination[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const out: HTTPRouteDestination[] = [];
  for (const ref of refs) {
    const weight = ref.weight ?? 1;
    const d = destinationOf(ctx, route, ref, enforceGrants);
    if (d.problem !== undefined) problems.push(d.problem);
    if (weight === 0 || d.destination === undefined) continue;
    const headers = headersOf(ref.filters);
    out.push({ destination: d.destination, weight, ...(headers ? { headers } : {}) });
  }
  if (out.length === 0) return { problems };
  // istiod's weights as given (the proxy splits by their sum, as Envoy does); one backend takes all
  if (out.length === 1 && out[0]) delete out[0].weight;
  return { destinations: out, problems };
}
