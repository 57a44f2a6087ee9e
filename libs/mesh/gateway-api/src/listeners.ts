import type { GatewayServer, KubernetesGateway, Listener } from '@trellis/mesh-api';
import { condition, REASON, type Condition, type ConfigProblem } from './conditions';
import { generationOf, nsOf, type ConvertContext } from './context';
import { selectorMatches } from './label-selector';
import { GATEWAY_API_GROUP } from './names';
import { referenceAllowed } from './reference-grants';

/** One listener as routes see it: may a route of `namespace` attach, and is the listener usable. */
export interface ListenerInfo {
  gateway: KubernetesGateway;
  listener: Listener;
  /** The generated Istio Gateway (`ns/name`), undefined when the listener could not be programmed. */
  internalName?: string;
  allowsHttpRoute: boolean;
  allowsNamespace: (namespace: string) => boolean;
}

export interface ListenerResult {
  server?: GatewayServer;
  accepted?: ConfigProblem;
  resolvedRefs?: ConfigProblem;
  supportedKinds: { group: string; kind: string }[];
}

const HTTP_ROUTE_KIND = { group: GATEWAY_API_GROUP, kind: 'HTTPRoute' };

/** Which namespaces' routes a listener admits, as `ns/host` patterns of the Istio server and as a predicate. */
export function namespacePolicy(ctx: ConvertContext, gw: KubernetesGateway, l: Listener): { hosts: string[]; allows: (ns: string) => boolean } {
  const host = l.hostname ?? '*';
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return { hosts: [`*/${host}`], allows: () => true };
  if (from === 'Same') return { hosts: [`${nsOf(gw)}/${host}`], allows: (ns) => ns === nsOf(gw) };
  const selector = l.allowedRoutes?.namespaces?.selector ?? {};
  const allows = (ns: string): boolean => selectorMatches(selector, ctx.namespaceLabels.get(ns) ?? {});
  const selected = [...ctx.namespaceLabels.keys()].filter(allows).sort();
  return { hosts: selected.map((ns) => `${ns}/${host}`), allows };
}

function supportedKinds(l: Listener): { kinds: { group: string; kind: string }[]; problem?: ConfigProblem } {
  const asked = l.allowedRoutes?.kinds;
  if (asked === undefined) return { kinds: [HTTP_ROUTE_KIND] };
  const kinds = asked.filter((k) => (k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && k.kind === 'HTTPRoute').map(() => HTTP_ROUTE_KIND);
  const unsupported = asked.filter((k) => !((k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && k.kind === 'HTTPRoute'));
  if (unsupported.length === 0) return { kinds };
  const names = unsupported.map((k) => `${k.group ?? GATEWAY_API_GROUP}/${k.kind}`).join(', ');
  return { kinds, problem: { reason: REASON.invalidRouteKinds, message: `route kind(s) ${names} are not supported` } };
}

/** HTTPS: the listener's certificate as a gateway credential (`credentialName`), or why it cannot be one. */
function tlsOf(ctx: ConvertContext, gw: KubernetesGateway, l: Listener): { tls?: GatewayServer['tls']; problem?: ConfigProblem } {
  const ref = l.tls?.certificateRefs?.[0];
  if (l.tls === undefined || ref === undefined) return { problem: { reason: REASON.invalidCertificateRef, message: 'no certificateRefs: Trellis serves HTTPS listeners from a Secret' } };
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Secret';
  if (group !== '' || kind !== 'Secret') return { problem: { reason: REASON.invalidCertificateRef, message: `invalid certificate reference ${group}/${kind}/${ref.name}, only secret is allowed` } };
  const namespace = ref.namespace ?? nsOf(gw);
  const reference = { fromGroup: GATEWAY_API_GROUP, fromKind: 'Gateway', fromNamespace: nsOf(gw), toGroup: '', toKind: 'Secret', toNamespace: namespace, toName: ref.name };
  if (!referenceAllowed(ctx.grants, reference)) {
    return { problem: { reason: REASON.refNotPermitted, message: `certificateRef ${namespace}/${ref.name} not accessible to a Gateway in namespace "${nsOf(gw)}" (missing a ReferenceGrant?)` } };
  }
  if (namespace !== nsOf(gw)) {
    return { problem: { reason: REASON.invalidCertificateRef, message: `certificateRef ${namespace}/${ref.name}: Trellis serves gateways only Secrets of their own namespace` } };
  }
  return { tls: { mode: 'SIMPLE', credentialName: ref.name } };
}

/** A listener → its Istio server (HTTP, HTTPS terminate), or why it is not accepted / its refs not resolved. */
export function convertListener(ctx: ConvertContext, gw: KubernetesGateway, l: Listener): ListenerResult {
  const kinds = supportedKinds(l);
  const base = { supportedKinds: kinds.kinds, ...(kinds.problem ? { resolvedRefs: kinds.problem } : {}) };
  if (l.protocol !== 'HTTP' && l.protocol !== 'HTTPS') {
    const hint = l.protocol.toUpperCase() === l.protocol ? '' : `. hint: "${l.protocol.toUpperCase()}" (uppercase) may be supported`;
    return { ...base, supportedKinds: [], accepted: { reason: REASON.unsupportedProtocol, message: `protocol "${l.protocol}" is unsupported${hint}` } };
  }
  const port = { number: l.port, name: 'default', protocol: l.protocol === 'HTTP' ? ('HTTP' as const) : ('HTTPS' as const) };
  const hosts = namespacePolicy(ctx, gw, l).hosts;
  if (l.protocol === 'HTTP') return { ...base, server: { port, hosts } };
  const tls = tlsOf(ctx, gw, l);
  if (tls.problem !== undefined) return { ...base, resolvedRefs: tls.problem };
  return { ...base, server: { port, hosts, ...(tls.tls ? { tls: tls.tls } : {}) } };
}

/** The listener's status entry (istiod's four conditions), given how many routes attached. */
export function listenerStatus(gw: KubernetesGateway, l: Listener, r: ListenerResult, attachedRoutes: number): Record<string, unknown> {
  const g = generationOf(gw);
  const ok = 'No errors found';
  const conditions: Condition[] = [
    r.accepted ? condition('Accepted', false, r.accepted.reason, r.accepted.message, g) : condition('Accepted', true, REASON.accepted, ok, g),
    condition('Conflicted', false, REASON.noConflicts, ok, g),
    r.server === undefined
      ? condition('Programmed', false, REASON.invalid, r.resolvedRefs ? 'Bad TLS configuration' : r.accepted?.message ?? 'Invalid listener', g)
      : condition('Programmed', true, REASON.programmed, ok, g),
    r.resolvedRefs ? condition('ResolvedRefs', false, r.resolvedRefs.reason, r.resolvedRefs.message, g) : condition('ResolvedRefs', true, REASON.resolvedRefs, ok, g),
  ];
  return { name: l.name, supportedKinds: r.supportedKinds, attachedRoutes, conditions };
}
