import { gatewayDurationMs, type HTTPRoute as VsRoute, type HTTPRouteRule, type KubernetesHTTPRoute } from '@trellis/mesh-api';
import { destinationOf, destinationsOf } from './backends';
import type { ConfigProblem } from './conditions';
import { nsOf, type ConvertContext } from './context';
import { headersOf, redirectOf, unsupportedFilter } from './filters';
import type { SplitRoute } from './matches';

export interface ConvertedRule {
  splits: SplitRoute[];
  /** Unresolvable references (ResolvedRefs=False). */
  refProblems: ConfigProblem[];
  /** What Trellis cannot program (Accepted=False); the rule answers 500. */
  acceptProblems: ConfigProblem[];
}

const seconds = (ms: number): string => `${ms / 1000}s`;

/** `timeouts`: backendRequest (per attempt; there are no retries) wins over request, as in istiod; 0 = none. */
function timeoutOf(rule: HTTPRouteRule): string | undefined {
  const backend = rule.timeouts?.backendRequest === undefined ? undefined : gatewayDurationMs(rule.timeouts.backendRequest);
  const request = rule.timeouts?.request === undefined ? undefined : gatewayDurationMs(rule.timeouts.request);
  if (backend !== undefined && backend > 0) return seconds(backend);
  return request !== undefined && request > 0 ? seconds(request) : undefined;
}

/** Filters and backends → the VirtualService route body (without match), plus problems. */
function routeBody(ctx: ConvertContext, route: KubernetesHTTPRoute, rule: HTTPRouteRule, name: string, mesh: boolean): { body: VsRoute; refs: ConfigProblem[]; accept: ConfigProblem[] } {
  const body: VsRoute = { name };
  const refs: ConfigProblem[] = [];
  const accept: ConfigProblem[] = [];
  const filters = rule.filters ?? [];
  const headers = headersOf(filters);
  if (headers) body.headers = headers;
  for (const f of filters) {
    if (f.type === 'RequestRedirect') {
      const r = redirectOf(f);
      if (r.problem) accept.push(r.problem);
      if (r.redirect) body.redirect = r.redirect;
    } else if (f.type === 'URLRewrite' && f.urlRewrite?.hostname !== undefined) {
      body.rewrite = { authority: f.urlRewrite.hostname };
    } else if (f.type === 'RequestMirror' && f.requestMirror !== undefined) {
      const m = f.requestMirror;
      const d = destinationOf(ctx, route, m.backendRef, !mesh);
      if (d.problem) refs.push(d.problem);
      const percent = m.fraction ? (100 * m.fraction.numerator) / (m.fraction.denominator ?? 100) : m.percent;
      if (d.destination) (body.mirrors ??= []).push({ destination: d.destination, ...(percent !== undefined ? { percentage: { value: percent } } : {}) });
    }
  }
  const unsupported = unsupportedFilter(filters);
  if (unsupported) accept.push(unsupported);
  const timeout = timeoutOf(rule);
  if (timeout) body.timeout = timeout;
  if (body.redirect === undefined) {
    const d = destinationsOf(ctx, route, rule.backendRefs ?? [], !mesh);
    refs.push(...d.problems);
    if (d.destinations && accept.length === 0) body.route = d.destinations;
    else body.directResponse = { status: 500 };
  }
  return { body, refs, accept };
}

/** One rule → one split route per match (istiod splits rules so each VirtualService route has one match). */
export function convertRule(ctx: ConvertContext, route: KubernetesHTTPRoute, rule: HTTPRouteRule, index: number, mesh: boolean): ConvertedRule {
  const name = rule.name ?? `${nsOf(route)}.${route.metadata.name}.${index}`;
  const { body, refs, accept } = routeBody(ctx, route, rule, name, mesh);
  const path = (rule.filters ?? []).find((f) => f.type === 'URLRewrite')?.urlRewrite?.path;
  const rewrite = {
    ...(path?.type === 'ReplacePrefixMatch' && path.replacePrefixMatch !== undefined ? { rewritePrefix: path.replacePrefixMatch } : {}),
    ...(path?.type === 'ReplaceFullPath' && path.replaceFullPath !== undefined ? { rewriteFullPath: path.replaceFullPath } : {}),
  };
  const matches = rule.matches ?? [];
  const splits: SplitRoute[] = matches.length === 0 ? [{ route: body, ...rewrite }] : matches.map((match) => ({ match, route: body, ...rewrite }));
  return { splits, refProblems: refs, acceptProblems: accept };
}
