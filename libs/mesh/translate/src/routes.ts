import type { TranslateContext } from './context';
import type { Route, RouteConfiguration, VirtualHost } from '@trellis/mesh-envoy';
import { serviceDomains } from './hosts';
import { outboundRouteName, virtualHostName } from './naming';
import { catchAllVirtualHost, registryOnly } from './outbound-policy';
import { hasHttpRoutes, type ServiceModel } from './services';
import { defaultRoute, envFor, virtualServiceRoutes } from './vs-routes';
import { MESH_GATEWAY, sidecarVirtualService } from './virtual-services';

/** Drop domains already claimed by an earlier virtual host (Envoy rejects duplicates). */
export function claimDomains(domains: readonly string[], used: Set<string>): string[] {
  const fresh = domains.filter((d) => !used.has(d));
  fresh.forEach((d) => used.add(d));
  return fresh;
}

/** The routes for one service port: VirtualService routes (mesh-bound), or the default route. */
export function serviceRoutes(ctx: TranslateContext, svc: ServiceModel, port: number): Route[] {
  const base = { ctx, scope: { gateway: MESH_GATEWAY, port, proxy: ctx.proxy } };
  const vs = sidecarVirtualService(ctx, svc.hostname);
  const vsRoutes = vs ? virtualServiceRoutes(vs, envFor(vs, base)) : [];
  return vsRoutes.length > 0 ? vsRoutes : [defaultRoute(svc, port, base)];
}

function serviceVirtualHost(ctx: TranslateContext, svc: ServiceModel, port: number, used: Set<string>): VirtualHost | undefined {
  const domains = claimDomains(serviceDomains(svc, port, ctx.proxy.namespace, ctx.snapshot.domainSuffix), used);
  if (domains.length === 0) return undefined;
  return { name: virtualHostName(svc.hostname, port), domains, routes: serviceRoutes(ctx, svc, port) };
}

/** The HTTP service ports the sidecar routes for (declared or detected HTTP), ascending. */
export function outboundHttpPorts(ctx: TranslateContext): number[] {
  const ports = new Set<number>();
  for (const svc of ctx.services) for (const p of svc.ports) if (hasHttpRoutes(p)) ports.add(p.port);
  return [...ports].sort((a, b) => a - b);
}

/** Sidecar RDS: one route configuration per HTTP port (`"9080"`), one virtual host per service. */
export function outboundRouteConfigs(ctx: TranslateContext): RouteConfiguration[] {
  return outboundHttpPorts(ctx).map((port) => {
    const used = new Set<string>();
    const hosts: VirtualHost[] = [];
    for (const svc of ctx.services) {
      if (!svc.ports.some((p) => p.port === port && hasHttpRoutes(p))) continue;
      const vh = serviceVirtualHost(ctx, svc, port, used);
      if (vh) hosts.push(vh);
    }
    hosts.push(catchAllVirtualHost(registryOnly(ctx)));
    return { name: outboundRouteName(port), virtual_hosts: hosts, validate_clusters: { value: false } };
  });
}
