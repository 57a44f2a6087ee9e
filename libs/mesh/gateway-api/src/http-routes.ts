import type { KubernetesHTTPRoute, VirtualService } from '@trellis/mesh-api';
import { condition, REASON, type Condition, type ConfigProblem } from './conditions';
import { generationOf, nsOf, type ConvertContext } from './context';
import { GATEWAY_CONTROLLER_NAME } from './contract';
import type { ListenerInfo } from './listeners';
import { expandPath, type SplitRoute } from './matches';
import { resolveParents, type Attachment, type ResolvedParent } from './parents';
import { sortByPrecedence } from './precedence';
import { convertRule, type ConvertedRule } from './rules';

/** Routes of every HTTPRoute that share one (gateway or mesh port, host): merged into one VirtualService. */
interface Bucket {
  name: string;
  namespace: string;
  gateway: string;
  host: string;
  port?: number;
  creationTimestamp?: string;
  parents: string[];
  splits: SplitRoute[];
}

export interface HttpRouteResults {
  virtualServices: VirtualService[];
  statuses: { route: KubernetesHTTPRoute; status: Record<string, unknown> }[];
  attachedRoutes: Map<ListenerInfo, number>;
}

function convertRules(ctx: ConvertContext, route: KubernetesHTTPRoute, mesh: boolean): ConvertedRule[] {
  return (route.spec.rules ?? []).map((rule, i) => convertRule(ctx, route, rule, i, mesh));
}

function bucketKeys(a: Attachment, route: KubernetesHTTPRoute): { key: string; host: string }[] {
  const prefix = a.mesh ? `${nsOf(route)}${a.port !== undefined ? `/${a.port}` : ''}` : a.gateway;
  return a.hosts.map((host) => ({ key: `${prefix}/${host}`, host }));
}

function addToBuckets(buckets: Map<string, Bucket>, route: KubernetesHTTPRoute, a: Attachment, rules: ConvertedRule[]): void {
  for (const { key, host } of bucketKeys(a, route)) {
    let b = buckets.get(key);
    if (b === undefined) {
      b = { name: key.replace(/\//g, '~'), namespace: nsOf(route), gateway: a.gateway, host, parents: [], splits: [] };
      if (a.port !== undefined) b.port = a.port;
      if (route.metadata.creationTimestamp) b.creationTimestamp = route.metadata.creationTimestamp;
      buckets.set(key, b);
    }
    b.parents.push(`HTTPRoute/${route.metadata.name}.${nsOf(route)}`);
    b.splits.push(...rules.flatMap((r) => r.splits));
  }
}

function toVirtualService(b: Bucket): VirtualService {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: {
      name: b.name,
      namespace: b.namespace,
      annotations: { 'internal.istio.io/parents': [...new Set(b.parents)].join(','), 'internal.istio.io/route-semantics': 'gateway' },
      ...(b.creationTimestamp ? { creationTimestamp: b.creationTimestamp } : {}),
    },
    spec: { hosts: [b.host], gateways: [b.gateway], http: sortByPrecedence(b.splits).flatMap((s) => expandPath(s, b.port)) },
  };
}

function parentStatus(route: KubernetesHTTPRoute, p: ResolvedParent, rules: ConvertedRule[]): Record<string, unknown> {
  const g = generationOf(route);
  const accept: ConfigProblem | undefined = p.problem ?? rules.flatMap((r) => r.acceptProblems)[0];
  const refs = rules.flatMap((r) => r.refProblems)[0];
  const conditions: Condition[] = [
    accept ? condition('Accepted', false, accept.reason, accept.message, g) : condition('Accepted', true, REASON.accepted, 'Route was valid', g),
    refs ? condition('ResolvedRefs', false, refs.reason, refs.message, g) : condition('ResolvedRefs', true, REASON.resolvedRefs, 'All references resolved', g),
  ];
  return { parentRef: p.ref, controllerName: GATEWAY_CONTROLLER_NAME, conditions };
}

/**
 * Every HTTPRoute → VirtualServices (one per gateway listener + host, or per mesh Service host and
 * port, merged across routes oldest first, matches ordered by the spec's precedence), each route's
 * status per parent, and how many routes attached to each listener.
 */
export function convertHttpRoutes(ctx: ConvertContext, listenersByGateway: ReadonlyMap<string, readonly ListenerInfo[]>): HttpRouteResults {
  const buckets = new Map<string, Bucket>();
  const statuses: HttpRouteResults['statuses'] = [];
  const attachedRoutes = new Map<ListenerInfo, number>();
  for (const route of ctx.routes) {
    const parents = resolveParents(ctx, route, listenersByGateway);
    if (parents.length === 0) continue;
    const gatewayRules = convertRules(ctx, route, false);
    const meshRules = parents.some((p) => p.mesh) ? convertRules(ctx, route, true) : [];
    const counted = new Set<ListenerInfo>();
    for (const p of parents) {
      const rules = p.mesh ? meshRules : gatewayRules;
      for (const a of p.attachments) {
        addToBuckets(buckets, route, a, rules);
        if (a.listener !== undefined && !counted.has(a.listener)) {
          counted.add(a.listener);
          attachedRoutes.set(a.listener, (attachedRoutes.get(a.listener) ?? 0) + 1);
        }
      }
    }
    statuses.push({ route, status: { parents: parents.map((p) => parentStatus(route, p, p.mesh ? meshRules : gatewayRules)) } });
  }
  return { virtualServices: [...buckets.values()].map(toVirtualService), statuses, attachedRoutes };
}
