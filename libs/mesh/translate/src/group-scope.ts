import type { ProxyType } from '@trellis/mesh-api';
import type { TranslateContext } from './context';
import { intersectHosts } from './hosts';
import { egressHosts, imports, virtualServiceDestinations, type EgressHost } from './sidecar-scope';
import type { ChangedHost, SnapshotChange } from './snapshot-change';

/**
 * What the proxies sharing one translation context can see (istiod's SidecarScope as a dependency
 * set): their kind and namespace, the Sidecar's egress hosts, the services they import and the
 * hosts their VirtualServices route to.
 */
export interface GroupScope {
  readonly type: ProxyType;
  readonly namespace: string;
  /** Undefined: no Sidecar egress, every visible host. */
  readonly egress: readonly EgressHost[] | undefined;
  readonly services: ReadonlySet<string>;
  readonly destinations: ReadonlySet<string>;
}

export function groupScope(ctx: TranslateContext): GroupScope {
  const suffix = ctx.snapshot.domainSuffix;
  return {
    type: ctx.proxy.type,
    namespace: ctx.proxy.namespace,
    egress: ctx.proxy.type === 'sidecar' ? egressHosts(ctx.sidecar, ctx.proxy.namespace) : undefined,
    services: new Set(ctx.services.map((s) => s.hostname)),
    destinations: new Set(ctx.virtualServices.flatMap((vs) => virtualServiceDestinations(vs, suffix))),
  };
}

function relevant(h: ChangedHost, scope: GroupScope): boolean {
  const egress = scope.egress;
  if (egress === undefined) return true;
  switch (h.kind) {
    case 'route':
      return imports(egress, h.namespace, h.host);
    case 'policy':
      return [...scope.services].some((s) => intersectHosts(h.host, s) !== undefined);
    case 'service':
      return imports(egress, h.namespace, h.host) || scope.services.has(h.host) || scope.destinations.has(h.host);
  }
}

/** Whether a change can alter what this group's proxies receive (conservative: when unsure, yes). */
export function touches(change: SnapshotChange, scope: GroupScope): boolean {
  if (change.full) return true;
  if (scope.type === 'router' && change.routers) return true;
  return change.hosts.some((h) => h.visibleFrom(scope.namespace) && relevant(h, scope));
}
