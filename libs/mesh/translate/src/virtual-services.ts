import type { HTTPMatchRequest, ProxyInfo, VirtualService } from '@trellis/mesh-api';
import { namespaceOf, type TranslateContext } from './context';
import { intersectHosts, resolveHost } from './hosts';
import { labelsMatch } from './services';

export const MESH_GATEWAY = 'mesh';

/** A VS's gateways as `ns/name` keys (`mesh` kept as is); unset = [mesh]. */
export function vsGateways(vs: VirtualService): string[] {
  const gateways = vs.spec.gateways && vs.spec.gateways.length > 0 ? vs.spec.gateways : [MESH_GATEWAY];
  return gateways.map((g) => gatewayRef(g, namespaceOf(vs)));
}

/** `bookinfo-gateway` in namespace default → `default/bookinfo-gateway`; `ns/name` kept; `mesh` kept. */
export function gatewayRef(ref: string, namespace: string): string {
  if (ref === MESH_GATEWAY || ref.includes('/')) return ref;
  return `${namespace}/${ref}`;
}

/** The VS's hosts resolved to FQDNs in the VS's namespace. */
export function vsHosts(vs: VirtualService, domainSuffix: string): string[] {
  return (vs.spec.hosts ?? []).map((h) => resolveHost(h, namespaceOf(vs), domainSuffix));
}

/** The VirtualService for a sidecar's view of `hostname`: mesh-bound, exact host before wildcard, oldest first. */
export function sidecarVirtualService(ctx: TranslateContext, hostname: string): VirtualService | undefined {
  let wildcard: VirtualService | undefined;
  for (const vs of ctx.virtualServices) {
    if (!vsGateways(vs).includes(MESH_GATEWAY) || !vs.spec.http || vs.spec.http.length === 0) continue;
    const hosts = vsHosts(vs, ctx.snapshot.domainSuffix);
    if (hosts.includes(hostname)) return vs;
    if (!wildcard && hosts.some((h) => intersectHosts(h, hostname) === hostname)) wildcard = vs;
  }
  return wildcard;
}

/** Where a route is being built: which gateway (`mesh` or `ns/name`) and listener port. */
export interface RouteScope {
  gateway: string;
  port: number;
  proxy: ProxyInfo;
}

/** Whether one HTTPMatchRequest applies here (port, gateways, sourceLabels, sourceNamespace). */
export function matchApplies(m: HTTPMatchRequest, vsNamespace: string, scope: RouteScope): boolean {
  if (m.port !== undefined && m.port !== scope.port) return false;
  if (m.gateways && m.gateways.length > 0) {
    if (!m.gateways.map((g) => gatewayRef(g, vsNamespace)).includes(scope.gateway)) return false;
  }
  if (m.sourceLabels && scope.gateway === MESH_GATEWAY && !labelsMatch(m.sourceLabels, scope.proxy.labels)) return false;
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== scope.proxy.namespace) return false;
  return true;
}
