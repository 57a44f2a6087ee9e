import { authorizationPolicyAttaches } from '../../authz/authorization-policy-selection';
import type { AuthorizationPolicy, AuthorizationRule, MeshService, ServiceProtocol } from '../../types';
import { authorizationPolicyHttpFieldOnTcpPort, refOf, type AnalysisMessage } from '../messages';
import { nsOf, type AnalysisContext } from './context';

/**
 * IST0901 AuthorizationPolicyHttpFieldOnTcpPort (Trellis): a rule of an ALLOW, DENY or AUDIT policy
 * uses HTTP-only fields (request principals, hosts, methods, paths, their `not` forms, `request.*`
 * conditions) while every port of every service whose workloads the policy selects is TCP. istiod
 * cannot express those fields on a TCP filter chain (pilot/pkg/security/authz/model): an ALLOW rule is
 * dropped (it never matches), a DENY/AUDIT rule loses them (it matches more than written).
 * Workloads are represented by their services' selectors, as the mTLS analyzer does.
 */

/** Istio's inbound sidecar treats these as opaque TCP (HTTPS is TLS passed through to the app). */
const TCP_PROTOCOLS: ReadonlySet<ServiceProtocol> = new Set(['TCP', 'TLS', 'HTTPS']);
const HTTP_SOURCE = ['requestPrincipals', 'notRequestPrincipals'] as const;
const HTTP_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;

/** The HTTP-only fields of one rule, as field paths (`to[0].operation.methods`, `when[1] request.headers[x]`). */
export function httpOnlyFields(rule: AuthorizationRule): string[] {
  const out: string[] = [];
  (rule.from ?? []).forEach((f, i) => HTTP_SOURCE.forEach((k) => (f.source?.[k]?.length ?? 0) > 0 && out.push(`from[${i}].source.${k}`)));
  (rule.to ?? []).forEach((t, i) => HTTP_OPERATION.forEach((k) => (t.operation?.[k]?.length ?? 0) > 0 && out.push(`to[${i}].operation.${k}`)));
  (rule.when ?? []).forEach((w, i) => w.key.startsWith('request.') && out.push(`when[${i}] ${w.key}`));
  return out;
}

/** The services whose workloads the policy selects (root-namespace policies reach every namespace). */
function selectedServices(p: AuthorizationPolicy, services: readonly MeshService[], rootNamespace: string): MeshService[] {
  const ns = nsOf(p);
  return services.filter((s) => (ns === rootNamespace || ns === s.namespace) && authorizationPolicyAttaches(p, { namespace: s.namespace, labels: s.selector }));
}

export function analyzeAuthzHttpOnTcp(ctx: AnalysisContext): AnalysisMessage[] {
  const out: AnalysisMessage[] = [];
  for (const p of ctx.authorizationPolicies) {
    const action = p.spec.action ?? 'ALLOW';
    if (action === 'CUSTOM') continue;
    const services = selectedServices(p, ctx.services, ctx.rootNamespace);
    if (services.length === 0 || !services.every((s) => s.ports.length > 0 && s.ports.every((port) => TCP_PROTOCOLS.has(port.protocol)))) continue;
    const names = services.map((s) => s.hostname).sort();
    (p.spec.rules ?? []).forEach((rule, i) => {
      const fields = httpOnlyFields(rule);
      if (fields.length > 0) out.push(authorizationPolicyHttpFieldOnTcpPort(refOf(p), i, fields, names, action));
    });
  }
  return out;
}
